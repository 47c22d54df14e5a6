// The access log of the CCAS: who read or wrote what, filtered by object, person, action,
// outcome and dates, newest first; the same rows as CSV for an inquiry.
import { useState } from "react";
import { api, ok } from "../../api/client";
import { fileName, saveFile } from "../../download";
import { Field } from "../../components/Field";
import { ProblemAlert } from "../../components/ProblemAlert";
import { MoreButton } from "../../components/MoreButton";
import { usePaged } from "../../components/usePaged";
import { useAction } from "../../components/useLoad";
import type { components } from "../../api/schema";

type AuditEvent = components["schemas"]["AuditEvent"];
type Outcome = "success" | "not_found" | "refused" | "failure";

interface Filter {
  object_id?: string;
  actor_sub?: string;
  action?: string;
  outcome?: Outcome;
  from?: string;
  to?: string;
}

const OUTCOME: Record<string, string> = { success: "Réussi", not_found: "Introuvable", refused: "Refusé", failure: "Échec" };

/** A local day's start, as the instant the API reads. */
const dayStart = (day: string) => (day ? new Date(`${day}T00:00:00`).toISOString() : undefined);

export function AccessLog() {
  const [draft, setDraft] = useState({ object_id: "", actor_sub: "", action: "", outcome: "", from: "", to: "" });
  const [filter, setFilter] = useState<Filter>({});
  const csv = useAction();
  const events = usePaged(["Admin.audit", filter], async (cursor, signal) => {
    const page = await ok(api.GET("/api/v1/audit-events", { signal, params: { query: { ...filter, limit: 50, cursor } } }));
    return page as { items: AuditEvent[]; next_cursor?: string | null };
  });
  const set = (field: keyof typeof draft) => (e: { target: { value: string } }) => setDraft({ ...draft, [field]: e.target.value });
  return (
    <div>
      <h2>Journal des accès</h2>
      <form
        className="toolbar"
        role="search"
        aria-label="Filtrer le journal"
        onSubmit={(e) => {
          e.preventDefault();
          const value = (v: string) => v.trim() || undefined;
          setFilter({
            object_id: value(draft.object_id),
            actor_sub: value(draft.actor_sub),
            action: value(draft.action),
            outcome: (value(draft.outcome) as Outcome | undefined) ?? undefined,
            from: dayStart(draft.from),
            to: draft.to ? new Date(new Date(`${draft.to}T00:00:00`).getTime() + 86_400_000).toISOString() : undefined,
          });
        }}
      >
        <Field label="Objet (identifiant)">{(c) => <input {...c} value={draft.object_id} onChange={set("object_id")} />}</Field>
        <Field label="Auteur (identifiant)">{(c) => <input {...c} value={draft.actor_sub} onChange={set("actor_sub")} />}</Field>
        <Field label="Action" hint="Par exemple person.read">
          {(c) => <input {...c} value={draft.action} onChange={set("action")} />}
        </Field>
        <Field label="Résultat">
          {(c) => (
            <select {...c} value={draft.outcome} onChange={set("outcome")}>
              <option value="">Tous</option>
              <option value="success">Réussi</option>
              <option value="not_found">Introuvable</option>
              <option value="refused">Refusé</option>
              <option value="failure">Échec</option>
            </select>
          )}
        </Field>
        <Field label="Du">{(c) => <input {...c} type="date" value={draft.from} onChange={set("from")} />}</Field>
        <Field label="Au (inclus)">{(c) => <input {...c} type="date" value={draft.to} onChange={set("to")} />}</Field>
        <button type="submit" className="button-secondary">
          Filtrer
        </button>
        <button
          type="button"
          className="button"
          onClick={() =>
            void csv.run(async () => {
              const call = api.GET("/api/v1/audit-events", {
                params: { query: { ...filter, limit: 5000 } },
                headers: { Accept: "text/csv" },
                parseAs: "blob",
              });
              const blob = await ok(call);
              saveFile(blob as Blob, fileName((await call).response, "journal-des-acces.csv"));
            })
          }
        >
          Télécharger le journal (CSV)
        </button>
      </form>
      <ProblemAlert problem={events.problem ?? csv.problem} />
      <table className="table">
        <caption className="visually-hidden">Événements du journal</caption>
        <thead>
          <tr>
            <th scope="col">Date</th>
            <th scope="col">Action</th>
            <th scope="col">Objet</th>
            <th scope="col">Auteur</th>
            <th scope="col">Résultat</th>
          </tr>
        </thead>
        <tbody>
          {events.items.map((event) => (
            <tr key={event.id}>
              <td>{new Date(event.at).toLocaleString("fr-FR", { timeZone: "Europe/Paris" })}</td>
              <th scope="row">{event.action}</th>
              <td>
                {event.object_type}
                {event.object_id ? ` ${event.object_id.slice(0, 8)}` : ""}
                {event.object_ids.length > 0 ? ` (+${event.object_ids.length})` : ""}
              </td>
              <td>
                <code>{event.actor_sub.slice(0, 8)}</code> ({event.scope})
              </td>
              <td>{OUTCOME[event.outcome] ?? event.outcome}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <MoreButton hasMore={events.hasMore} loading={events.loading} onMore={() => void events.more()} />
    </div>
  );
}
