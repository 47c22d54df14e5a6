// The partners directory: search, filter by theme or kind, add and edit.
import { CheckboxGroup, LabelOptions, LabelSelect } from "../components/Choices";
import { useState } from "react";
import { api, ifMatch, ok } from "../api/client";
import type { Partner, PartnerInput, PartnerKind } from "../api/types";
import { Field, FieldSet } from "../components/Field";
import { PageTitle } from "../components/Layout";
import { MoreButton } from "../components/MoreButton";
import { FormErrors, ProblemAlert } from "../components/ProblemAlert";
import { useAction } from "../components/useLoad";
import { usePaged } from "../components/usePaged";
import { options, partnerKind, publicServed } from "../labels";
import { useReference } from "../reference";
import { DataInclusionImport } from "./DataInclusionImport";

export function Partners() {
  const reference = useReference();
  const [query, setQuery] = useState("");
  const [applied, setApplied] = useState("");
  const [theme, setTheme] = useState("");
  const [kind, setKind] = useState<PartnerKind | "">("");
  const [editing, setEditing] = useState<Partner | "new" | null>(null);
  const [importing, setImporting] = useState(false);
  const list = usePaged(["Partners.list", applied, theme, kind], async (cursor, signal) => {
    const page = await ok(
      api.GET("/api/v1/partners", {
        signal,
        params: { query: { q: applied || undefined, theme: theme || undefined, kind: kind || undefined, limit: 50, cursor } },
      }),
    );
    return page as { items: Partner[]; next_cursor?: string | null };
  });

  return (
    <section>
      <PageTitle title="Partenaires">Annuaire des partenaires</PageTitle>
      <form
        className="toolbar"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          setApplied(query.trim());
        }}
      >
        <Field label="Nom, commune">{(c) => <input {...c} type="search" value={query} onChange={(e) => setQuery(e.target.value)} />}</Field>
        <Field label="Thème">
          {(c) => (
            <select {...c} value={theme} onChange={(e) => setTheme(e.target.value)}>
              <option value="">Tous</option>
              {reference.problemTypes.map((t) => (
                <option key={t.code} value={t.code}>
                  {t.label_fr}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Type">
          {(c) => (
            <select {...c} value={kind} onChange={(e) => setKind(e.target.value as PartnerKind | "")}>
              <option value="">Tous</option>
              <LabelOptions labels={partnerKind} />
            </select>
          )}
        </Field>
        <button type="submit" className="button-secondary">
          Rechercher
        </button>
        <button type="button" className="button" onClick={() => setEditing("new")}>
          Ajouter un partenaire
        </button>
        <button type="button" className="button-secondary" aria-expanded={importing} onClick={() => setImporting(!importing)}>
          Importer un fichier data·inclusion
        </button>
      </form>
      {importing && <DataInclusionImport onDone={list.reload} />}
      {editing && (
        <PartnerForm
          key={editing === "new" ? "new" : editing.id}
          partner={editing === "new" ? null : editing}
          onDone={() => {
            setEditing(null);
            list.reload();
          }}
          onCancel={() => setEditing(null)}
        />
      )}
      <ProblemAlert problem={list.problem} />
      {list.items.length === 0 && !list.loading && <p className="muted">Aucun partenaire ne correspond.</p>}
      <ul className="partner-list">
        {list.items.map((p) => (
          <li key={p.id} className={p.active ? "card" : "card inactive"}>
            <h2 className="h3">
              {p.name}
              {!p.active && <span className="badge">inactif</span>}
            </h2>
            <p>
              {partnerKind[p.kind]}
              {p.commune && ` · ${p.commune}`}
              {p.phone && ` · ${p.phone}`}
              {p.email && ` · ${p.email}`}
            </p>
            {p.themes.length > 0 && <p className="muted">Thèmes : {p.themes.map(reference.problemLabel).join(", ")}</p>}
            {p.opening_hours && <p className="muted">Horaires : {p.opening_hours}</p>}
            {p.notes && <p className="prewrap small">{p.notes}</p>}
            <button type="button" className="button-small" onClick={() => setEditing(p)}>
              Modifier <span className="visually-hidden">{p.name}</span>
            </button>
          </li>
        ))}
      </ul>
      <MoreButton hasMore={list.hasMore} loading={list.loading} onMore={() => void list.more()} />
    </section>
  );
}

function PartnerForm({ partner, onDone, onCancel }: { partner: Partner | null; onDone: () => void; onCancel: () => void }) {
  const reference = useReference();
  const [draft, setDraft] = useState<PartnerInput>(() => ({
    name: partner?.name ?? "",
    kind: partner?.kind ?? "victim_support",
    themes: partner?.themes ?? [],
    publics: partner?.publics ?? [],
    address: partner?.address ?? "",
    commune: partner?.commune ?? "",
    phone: partner?.phone ?? "",
    email: partner?.email ?? "",
    website: partner?.website ?? "",
    opening_hours: partner?.opening_hours ?? "",
    notes: partner?.notes ?? "",
    active: partner?.active ?? true,
  }));
  const { problem, errors, busy, handleSubmit } = useAction();
  const set = (change: Partial<PartnerInput>) => setDraft((d) => ({ ...d, ...change }));
  const text = (field: "name" | "address" | "commune" | "phone" | "email" | "website" | "opening_hours" | "notes") =>
    (draft[field] ?? "") as string;
  const body = (): PartnerInput =>
    Object.fromEntries(Object.entries(draft).map(([k, v]) => [k, typeof v === "string" ? v.trim() || null : v])) as unknown as PartnerInput;

  const submit = handleSubmit(async () => {
    if (partner)
      await ok(
        api.PUT("/api/v1/partners/{id}", {
          params: { path: { id: partner.id }, header: { "If-Match": ifMatch(partner.version) } },
          body: body(),
        }),
      );
    else await ok(api.POST("/api/v1/partners", { body: body() }));
    onDone();
  });

  const input = (field: Parameters<typeof text>[0], label: string, type = "text") => (
    <Field label={label} error={errors[field]} required={field === "name"}>
      {(c) => <input {...c} type={type} value={text(field)} onChange={(e) => set({ [field]: e.target.value })} />}
    </Field>
  );

  return (
    <form className="card" onSubmit={submit} aria-labelledby="partner-form-title">
      <h2 id="partner-form-title">{partner ? `Modifier ${partner.name}` : "Nouveau partenaire"}</h2>
      <FormErrors problem={problem} />
      <div className="grid-2">
        {input("name", "Nom")}
        <LabelSelect
          label="Type"
          error={errors.kind}
          labels={partnerKind}
          value={draft.kind}
          onChange={(value) => set({ kind: value as PartnerKind })}
        />
        {input("address", "Adresse")}
        {input("commune", "Commune")}
        {input("phone", "Téléphone", "tel")}
        {input("email", "Courriel", "email")}
        {input("website", "Site web", "url")}
        {input("opening_hours", "Horaires")}
      </div>
      <FieldSet legend="Thèmes" error={errors.themes}>
        <CheckboxGroup choices={reference.problemChoices} value={draft.themes ?? []} onChange={(themes) => set({ themes })} />
      </FieldSet>
      <FieldSet legend="Publics" error={errors.publics}>
        <CheckboxGroup choices={options(publicServed)} value={draft.publics ?? []} onChange={(publics) => set({ publics })} />
      </FieldSet>
      <Field label="Notes internes (jamais visibles des gendarmes ni des policiers)" error={errors.notes}>
        {(c) => <textarea {...c} rows={3} value={text("notes")} onChange={(e) => set({ notes: e.target.value })} />}
      </Field>
      <label className="inline">
        <input type="checkbox" checked={draft.active ?? true} onChange={(e) => set({ active: e.target.checked })} /> Partenaire actif
      </label>
      <div className="actions">
        <button className="button" type="submit" disabled={busy}>
          Enregistrer
        </button>
        <button className="button-secondary" type="button" onClick={onCancel}>
          Annuler
        </button>
      </div>
    </form>
  );
}
