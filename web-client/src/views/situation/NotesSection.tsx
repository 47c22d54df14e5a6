// Append-only notes: a correction is a new note pointing at the one it corrects.
import { useRef, useState } from "react";
import { api, ok } from "../../api/client";
import type { Note, Situation } from "../../api/types";
import { Field } from "../../components/Field";
import { MoreButton } from "../../components/MoreButton";
import { FormErrors, ProblemAlert } from "../../components/ProblemAlert";
import { useAction } from "../../components/useLoad";
import { usePaged } from "../../components/usePaged";
import { useReference } from "../../reference";
import { useSession } from "../../session";
import { formatDateTime } from "../../time";

export function NotesSection({ situation, changes, onChange }: { situation: Situation; changes: number; onChange: () => void }) {
  const reference = useReference();
  const me = useSession().claims?.sub;
  const notes = usePaged(["NotesSection.notes", situation.id, changes], async (cursor, signal) => {
    const page = await ok(
      api.GET("/api/v1/situations/{id}/notes", { signal, params: { path: { id: situation.id }, query: { limit: 50, cursor } } }),
    );
    return page as { items: Note[]; next_cursor?: string | null };
  });
  const [body, setBody] = useState("");
  const [isPrivate, setPrivate] = useState(false);
  const [correcting, setCorrecting] = useState<Note | null>(null);
  const textarea = useRef<HTMLTextAreaElement>(null);
  const { problem, errors, busy, handleSubmit } = useAction();
  const submit = handleSubmit(async () => {
    await ok(
      api.POST("/api/v1/situations/{id}/notes", {
        params: { path: { id: situation.id } },
        body: { body: body.trim(), private: isPrivate, corrects_id: correcting?.id ?? null },
      }),
    );
    setBody("");
    setPrivate(false);
    setCorrecting(null);
    onChange();
  });
  return (
    <section className="card" aria-labelledby="notes-title">
      <h2 id="notes-title">Notes</h2>
      <form onSubmit={submit} className="no-print">
        <FormErrors problem={problem} />
        <Field
          label={correcting ? `Correction de la note du ${formatDateTime(correcting.created_at)}` : "Nouvelle note"}
          error={errors.body ?? errors.corrects_id}
          hint="Les notes ne se modifient pas : une correction s'ajoute à la suite."
        >
          {(c) => <textarea {...c} ref={textarea} rows={4} value={body} onChange={(e) => setBody(e.target.value)} />}
        </Field>
        {correcting && (
          <button type="button" className="button-small" onClick={() => setCorrecting(null)}>
            Ne plus corriger
          </button>
        )}
        <label className="inline">
          <input type="checkbox" checked={isPrivate} onChange={(e) => setPrivate(e.target.checked)} /> Note personnelle (visible de moi
          seul)
        </label>
        <button className="button-secondary" type="submit" disabled={busy || !body.trim()}>
          {correcting ? "Ajouter la correction" : "Ajouter la note"}
        </button>
      </form>
      <ProblemAlert problem={notes.problem} />
      <ul className="notes">
        {notes.items.map((n) => (
          <li key={n.id} className={n.private ? "note-private" : undefined}>
            <p className="muted small">
              {formatDateTime(n.created_at)} · {reference.coordinatorName(n.author_id)}
              {n.private && " · note personnelle"}
              {n.corrects_id && " · correction"}
            </p>
            <p className="prewrap">{n.body}</p>
            {n.author_id === me && (
              <button
                type="button"
                className="button-small"
                onClick={() => {
                  setCorrecting(n);
                  textarea.current?.focus();
                }}
              >
                Corriger <span className="visually-hidden">la note du {formatDateTime(n.created_at)}</span>
              </button>
            )}
          </li>
        ))}
      </ul>
      <MoreButton hasMore={notes.hasMore} loading={notes.loading} onMore={() => void notes.more()} />
    </section>
  );
}
