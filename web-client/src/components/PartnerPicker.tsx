// Choose a partner from the directory, by name, commune or theme.
import { useState } from "react";
import { api, ok } from "../api/client";
import type { DirectoryEntry } from "../api/types";
import { partnerKind } from "../labels";
import { Field } from "./Field";
import { useLoad } from "./useLoad";

export function PartnerPicker({ value, onChange, error }: { value: string; onChange: (id: string) => void; error?: string | undefined }) {
  const [query, setQuery] = useState("");
  const results = useLoad(["PartnerPicker.results", query], async (signal) => {
    const page = await ok(
      api.GET("/api/v1/directory", { signal, params: { query: { q: query.trim() || undefined, active: true, limit: 30 } } }),
    );
    return page.items as DirectoryEntry[];
  });
  const entries = results.data ?? [];
  return (
    <div className="partner-picker">
      <Field label="Rechercher un partenaire">
        {(c) => <input {...c} type="search" value={query} onChange={(e) => setQuery(e.target.value)} />}
      </Field>
      <Field label="Partenaire" error={error} required>
        {(c) => (
          <select {...c} value={value} onChange={(e) => onChange(e.target.value)}>
            <option value="">— choisir dans l'annuaire —</option>
            {entries.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name} ({partnerKind[p.kind]}
                {p.commune ? `, ${p.commune}` : ""})
              </option>
            ))}
          </select>
        )}
      </Field>
    </div>
  );
}
