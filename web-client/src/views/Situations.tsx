// The CCAS's files: search by name or phone, open or closed.
import { namesOf } from "../names";
import { useState } from "react";
import { Link } from "wouter";
import { api, ok } from "../api/client";
import type { Situation } from "../api/types";
import { Field } from "../components/Field";
import { PageTitle } from "../components/Layout";
import { MoreButton } from "../components/MoreButton";
import { ProblemAlert } from "../components/ProblemAlert";
import { usePaged } from "../components/usePaged";
import { situationStatus } from "../labels";
import { useReference } from "../reference";
import { formatDateTime } from "../time";

export const situationTitle = (s: Situation) =>
  s.persons.length > 0 ? namesOf(s.persons.map((p) => p.person)) : "Situation sans personne";

export function Situations() {
  const reference = useReference();
  const [query, setQuery] = useState("");
  const [applied, setApplied] = useState("");
  const [status, setStatus] = useState<"open" | "closed" | "">("open");
  const list = usePaged(["Situations.list", applied, status], async (cursor, signal) => {
    const page = await ok(
      api.GET("/api/v1/situations", {
        signal,
        params: { query: { q: applied || undefined, status: status || undefined, limit: 50, cursor } },
      }),
    );
    return page as { items: Situation[]; next_cursor?: string | null };
  });

  return (
    <section>
      <PageTitle title="Situations">Situations</PageTitle>
      <form
        className="toolbar"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          setApplied(query.trim());
        }}
      >
        <Field label="Nom ou téléphone">
          {(c) => <input {...c} type="search" value={query} onChange={(e) => setQuery(e.target.value)} />}
        </Field>
        <Field label="État">
          {(c) => (
            <select {...c} value={status} onChange={(e) => setStatus(e.target.value as typeof status)}>
              <option value="open">Ouvertes</option>
              <option value="closed">Closes</option>
              <option value="">Toutes</option>
            </select>
          )}
        </Field>
        <button type="submit" className="button-secondary">
          Rechercher
        </button>
      </form>
      <ProblemAlert problem={list.problem} />
      {list.items.length === 0 && !list.loading ? (
        <p className="muted">Aucune situation.</p>
      ) : (
        <table className="table" aria-label="Situations">
          <thead>
            <tr>
              <th scope="col">Personnes</th>
              <th scope="col">Problématiques</th>
              <th scope="col">Référent</th>
              <th scope="col">Ouverte le</th>
              <th scope="col">État</th>
            </tr>
          </thead>
          <tbody>
            {list.items.map((s) => (
              <tr key={s.id}>
                <td>
                  <Link href={`/situations/${s.id}`}>{situationTitle(s)}</Link>
                </td>
                <td>{s.problem_types.map(reference.problemLabel).join(", ") || "—"}</td>
                <td>{s.coordinator?.display_name ?? "Non attribuée"}</td>
                <td>{formatDateTime(s.opened_at)}</td>
                <td>{situationStatus[s.status]}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <MoreButton hasMore={list.hasMore} loading={list.loading} onMore={() => void list.more()} />
    </section>
  );
}
