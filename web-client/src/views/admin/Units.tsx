// The units attached to the CCAS: gendarmerie brigades, police services. Created, renamed,
// deactivated (never deleted: their referrals stay theirs).
import { useState } from "react";
import { api, ok } from "../../api/client";
import { allPages } from "../../api/query";
import type { components } from "../../api/schema";
import { Field } from "../../components/Field";
import { FormErrors, ProblemAlert } from "../../components/ProblemAlert";
import { useAction, useLoad } from "../../components/useLoad";
import { ORG_KIND } from "./AdminPage";

type Organisation = components["schemas"]["Organisation"];
type UnitKind = "gendarmerie" | "police_municipale" | "police_nationale";

export function useOrganisations() {
  const load = useLoad(["Admin.organisations"], (signal) =>
    allPages((cursor) => ok(api.GET("/api/v1/organisations", { signal, params: { query: { limit: 200, cursor } } }))),
  );
  const list = load.data ?? [];
  return { ...load, list, nameOf: (id: string) => list.find((o) => o.id === id)?.name ?? "—" };
}

/** Which active organisation of the CCAS an account or a client belongs to; the first until
 * one is chosen. */
export function OrganisationField({ value, onChange }: { value: string; onChange: (id: string) => void }) {
  const organisations = useOrganisations();
  return (
    <Field label="Organisation">
      {(c) => (
        <select {...c} value={value} onChange={(e) => onChange(e.target.value)}>
          {organisations.list
            .filter((o) => o.active)
            .map((o) => (
              <option key={o.id} value={o.id}>
                {o.name}
              </option>
            ))}
        </select>
      )}
    </Field>
  );
}

export function Units() {
  const organisations = useOrganisations();
  const units = organisations.list.filter((o) => o.kind !== "ccas");
  return (
    <div>
      <h2>Unités rattachées au CCAS</h2>
      <ProblemAlert problem={organisations.problem} />
      <NewUnit />
      <table className="table">
        <caption className="visually-hidden">Unités</caption>
        <thead>
          <tr>
            <th scope="col">Nom</th>
            <th scope="col">Type</th>
            <th scope="col">État</th>
            <th scope="col">Actions</th>
          </tr>
        </thead>
        <tbody>
          {units.map((unit) => (
            <UnitRow key={unit.id} unit={unit} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

function NewUnit() {
  const [name, setName] = useState("");
  const [kind, setKind] = useState<UnitKind>("gendarmerie");
  const action = useAction();
  return (
    <form
      className="card form-inline"
      aria-label="Nouvelle unité"
      onSubmit={action.handleSubmit(async () => {
        await ok(api.POST("/api/v1/organisations", { body: { kind, name } }));
        setName("");
      })}
    >
      <FormErrors problem={action.problem} />
      <Field label="Nom de l'unité" error={action.errors["name"]} required>
        {(c) => <input {...c} value={name} onChange={(e) => setName(e.target.value)} required />}
      </Field>
      <Field label="Type">
        {(c) => (
          <select {...c} value={kind} onChange={(e) => setKind(e.target.value as UnitKind)}>
            <option value="gendarmerie">Gendarmerie</option>
            <option value="police_municipale">Police municipale</option>
            <option value="police_nationale">Police nationale</option>
          </select>
        )}
      </Field>
      <button type="submit" className="button" disabled={action.busy}>
        Ajouter l'unité
      </button>
    </form>
  );
}

function UnitRow({ unit }: { unit: Organisation }) {
  const [renaming, setRenaming] = useState(false);
  const [name, setName] = useState(unit.name);
  const action = useAction();
  const change = (body: { name?: string; active?: boolean }) =>
    action.run(async () => {
      await ok(api.PATCH("/api/v1/organisations/{id}", { params: { path: { id: unit.id } }, body }));
      setRenaming(false);
    });
  return (
    <tr>
      <th scope="row">
        {renaming ? (
          <form
            aria-label={`Renommer ${unit.name}`}
            onSubmit={(e) => {
              e.preventDefault();
              void change({ name });
            }}
          >
            <Field label="Nouveau nom" error={action.errors["name"]}>
              {(c) => <input {...c} value={name} onChange={(e) => setName(e.target.value)} required />}
            </Field>
            <button type="submit" className="button-secondary">
              Enregistrer le nom
            </button>
          </form>
        ) : (
          unit.name
        )}
        <ProblemAlert problem={action.problem} />
      </th>
      <td>{ORG_KIND[unit.kind] ?? unit.kind}</td>
      <td>{unit.active ? "Active" : "Désactivée"}</td>
      <td className="actions">
        {!renaming && (
          <button type="button" className="button-link" onClick={() => setRenaming(true)}>
            Renommer<span className="visually-hidden"> {unit.name}</span>
          </button>
        )}
        <button type="button" className="button-link" onClick={() => void change({ active: !unit.active })}>
          {unit.active ? "Désactiver" : "Réactiver"}
          <span className="visually-hidden"> {unit.name}</span>
        </button>
      </td>
    </tr>
  );
}
