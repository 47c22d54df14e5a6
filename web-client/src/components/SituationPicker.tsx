// Choose an open situation by the name or phone of one of its persons.
import { useState } from "react";
import { api, ok } from "../api/client";
import type { Situation } from "../api/types";
import { formatDateTime } from "../time";
import { situationTitle } from "../views/Situations";
import { Field } from "./Field";
import { useLoad } from "./useLoad";

export function SituationPicker({ value, onChange, error }: { value: string; onChange: (id: string) => void; error?: string | undefined }) {
  const [query, setQuery] = useState("");
  const results = useLoad(["SituationPicker.results", query], async (signal) => {
    const page = await ok(
      api.GET("/api/v1/situations", { signal, params: { query: { status: "open", q: query.trim() || undefined, limit: 30 } } }),
    );
    return page.items as Situation[];
  });
  return (
    <div className="grid-2">
      <Field label="Rechercher une situation (nom, téléphone)">
        {(c) => <input {...c} type="search" value={query} onChange={(e) => setQuery(e.target.value)} />}
      </Field>
      <Field label="Situation" error={error} required>
        {(c) => (
          <select {...c} value={value} onChange={(e) => onChange(e.target.value)}>
            <option value="">— choisir —</option>
            {(results.data ?? []).map((s) => (
              <option key={s.id} value={s.id}>
                {situationTitle(s)} — ouverte le {formatDateTime(s.opened_at)}
              </option>
            ))}
          </select>
        )}
      </Field>
    </div>
  );
}
