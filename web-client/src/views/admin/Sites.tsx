// Where the coordinators receive people, and when: each site's weekly opening hours, which
// the agenda offers slots in.
import { useState } from "react";
import { api, ok } from "../../api/client";
import { allPages } from "../../api/query";
import type { OpeningRange, Site, Weekday } from "../../api/types";
import { Field, FieldSet } from "../../components/Field";
import { FormErrors, ProblemAlert } from "../../components/ProblemAlert";
import { useAction, useLoad } from "../../components/useLoad";

const DAYS: [Weekday, string][] = [
  ["monday", "Lundi"],
  ["tuesday", "Mardi"],
  ["wednesday", "Mercredi"],
  ["thursday", "Jeudi"],
  ["friday", "Vendredi"],
  ["saturday", "Samedi"],
  ["sunday", "Dimanche"],
];

/** "09:00-12:00, 14:00-17:00" for one day's ranges. */
export function dayText(ranges: OpeningRange[], day: Weekday): string {
  return ranges
    .filter((r) => r.weekday === day)
    .map((r) => `${r.opens.slice(0, 5)}-${r.closes.slice(0, 5)}`)
    .join(", ");
}

/** One day's text back into ranges; null when it cannot be read. */
export function parseDay(text: string, weekday: Weekday): OpeningRange[] | null {
  const parts = text
    .split(",")
    .map((p) => p.trim())
    .filter(Boolean);
  const ranges: OpeningRange[] = [];
  for (const part of parts) {
    const match = /^(\d{1,2})[:h](\d{2})\s*[-–à]\s*(\d{1,2})[:h](\d{2})$/.exec(part);
    if (!match) return null;
    const [, h1 = "", m1 = "", h2 = "", m2 = ""] = match;
    ranges.push({ weekday, opens: `${h1.padStart(2, "0")}:${m1}`, closes: `${h2.padStart(2, "0")}:${m2}` });
  }
  return ranges;
}

export function Sites() {
  const sites = useLoad(["Admin.sites"], (signal) =>
    allPages((cursor) => ok(api.GET("/api/v1/sites", { signal, params: { query: { limit: 100, cursor } } }))),
  );
  const [editing, setEditing] = useState<Site | "new" | null>(null);
  return (
    <div>
      <h2>Sites et horaires d'ouverture</h2>
      <ProblemAlert problem={sites.problem} />
      <button type="button" className="button" onClick={() => setEditing("new")}>
        Ajouter un site
      </button>
      {editing && (
        <SiteForm key={editing === "new" ? "new" : editing.id} site={editing === "new" ? null : editing} onDone={() => setEditing(null)} />
      )}
      <ul className="card-list">
        {(sites.data ?? []).map((site) => (
          <li key={site.id} className="card">
            <h3>{site.name}</h3>
            {site.commune && <p className="muted">{site.commune}</p>}
            <dl className="hours">
              {DAYS.map(([day, label]) => (
                <div key={day}>
                  <dt>{label}</dt>
                  <dd>{dayText(site.opening_hours, day) || "Fermé"}</dd>
                </div>
              ))}
            </dl>
            <button type="button" className="button-secondary" onClick={() => setEditing(site)}>
              Modifier<span className="visually-hidden"> {site.name}</span>
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}

function SiteForm({ site, onDone }: { site: Site | null; onDone: () => void }) {
  const [name, setName] = useState(site?.name ?? "");
  const [commune, setCommune] = useState(site?.commune ?? "");
  const [days, setDays] = useState<Record<Weekday, string>>(
    () => Object.fromEntries(DAYS.map(([day]) => [day, site ? dayText(site.opening_hours, day) : ""])) as Record<Weekday, string>,
  );
  const [unreadable, setUnreadable] = useState<Weekday[]>([]);
  const action = useAction();
  const save = action.handleSubmit(async () => {
    const parsed = DAYS.map(([day]) => [day, parseDay(days[day], day)] as const);
    const bad = parsed.filter(([, ranges]) => ranges === null).map(([day]) => day);
    setUnreadable(bad);
    if (bad.length > 0) return;
    const opening_hours = parsed.flatMap(([, ranges]) => ranges ?? []);
    const body = { name, commune: commune || null, address: site?.address ?? null, opening_hours };
    if (site) await ok(api.PUT("/api/v1/sites/{id}", { params: { path: { id: site.id } }, body }));
    else await ok(api.POST("/api/v1/sites", { body }));
    onDone();
  });
  return (
    <form className="card" aria-label={site ? `Modifier ${site.name}` : "Nouveau site"} onSubmit={save}>
      <FormErrors problem={action.problem} />
      <Field label="Nom du site" error={action.errors["name"]} required>
        {(c) => <input {...c} value={name} onChange={(e) => setName(e.target.value)} required />}
      </Field>
      <Field label="Commune" error={action.errors["commune"]}>
        {(c) => <input {...c} value={commune} onChange={(e) => setCommune(e.target.value)} />}
      </Field>
      <FieldSet legend="Horaires d'ouverture" error={action.errors["opening_hours"]}>
        {DAYS.map(([day, label]) => (
          <Field
            key={day}
            label={label}
            hint="Par exemple 09:00-12:00, 14:00-17:00 ; vide si fermé"
            error={unreadable.includes(day) ? "Horaires illisibles : écrire 09:00-12:00, séparés par des virgules" : undefined}
          >
            {(c) => <input {...c} value={days[day]} onChange={(e) => setDays({ ...days, [day]: e.target.value })} />}
          </Field>
        ))}
      </FieldSet>
      <div className="form-actions">
        <button type="submit" className="button" disabled={action.busy}>
          Enregistrer le site
        </button>
        <button type="button" className="button-secondary" onClick={onDone}>
          Annuler
        </button>
      </div>
    </form>
  );
}
