// The accounts of the CCAS and its units: created with a one-time password the person changes
// at first sign-in, renamed, deactivated, given a new one-time password.
import { useState } from "react";
import { api, ok } from "../../api/client";
import { allPages } from "../../api/query";
import type { components } from "../../api/schema";
import { Field } from "../../components/Field";
import { FormErrors, ProblemAlert } from "../../components/ProblemAlert";
import { useAction, useLoad } from "../../components/useLoad";
import { OrganisationField, useOrganisations } from "./Units";

type User = components["schemas"]["User"];

export function Accounts() {
  const users = useLoad(["Admin.users"], (signal) =>
    allPages((cursor) => ok(api.GET("/api/v1/users", { signal, params: { query: { limit: 200, cursor } } }))),
  );
  const organisations = useOrganisations();
  return (
    <div>
      <h2>Comptes</h2>
      <ProblemAlert problem={users.problem} />
      <NewAccount />
      <table className="table">
        <caption className="visually-hidden">Comptes</caption>
        <thead>
          <tr>
            <th scope="col">Nom</th>
            <th scope="col">Identifiant</th>
            <th scope="col">Organisation</th>
            <th scope="col">État</th>
            <th scope="col">Actions</th>
          </tr>
        </thead>
        <tbody>
          {(users.data ?? []).map((user) => (
            <AccountRow key={user.id} user={user} organisation={organisations.nameOf(user.organisation_id)} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

function NewAccount() {
  const organisations = useOrganisations();
  const [organisation, setOrganisation] = useState("");
  const [login, setLogin] = useState("");
  const [name, setName] = useState("");
  const [password, setPassword] = useState("");
  const [admin, setAdmin] = useState(false);
  const action = useAction();
  const chosen = organisation || organisations.list[0]?.id || "";
  const isCcas = organisations.list.find((o) => o.id === chosen)?.kind === "ccas";
  return (
    <form
      className="card"
      aria-label="Nouveau compte"
      onSubmit={action.handleSubmit(async () => {
        await ok(
          api.POST("/api/v1/users", {
            body: { organisation_id: chosen, login, display_name: name, password, admin: isCcas && admin },
          }),
        );
        setLogin("");
        setName("");
        setPassword("");
      })}
    >
      <FormErrors problem={action.problem} />
      <OrganisationField value={chosen} onChange={setOrganisation} />
      <Field label="Nom et prénom" error={action.errors["display_name"]} required>
        {(c) => <input {...c} value={name} onChange={(e) => setName(e.target.value)} required />}
      </Field>
      <Field label="Identifiant" error={action.errors["login"]} required>
        {(c) => <input {...c} value={login} onChange={(e) => setLogin(e.target.value)} autoComplete="off" required />}
      </Field>
      <Field
        label="Mot de passe à usage unique"
        hint="À transmettre à la personne : elle en choisira un autre à sa première connexion (12 caractères au moins)."
        error={action.errors["password"]}
        required
      >
        {(c) => <input {...c} type="text" value={password} onChange={(e) => setPassword(e.target.value)} autoComplete="off" required />}
      </Field>
      {isCcas && (
        <label className="checkbox">
          <input type="checkbox" checked={admin} onChange={(e) => setAdmin(e.target.checked)} /> Administrateur du CCAS
        </label>
      )}
      <button type="submit" className="button" disabled={action.busy}>
        Créer le compte
      </button>
    </form>
  );
}

function AccountRow({ user, organisation }: { user: User; organisation: string }) {
  const [resetting, setResetting] = useState(false);
  const [password, setPassword] = useState("");
  const [done, setDone] = useState("");
  const action = useAction();
  const change = (body: { active?: boolean; password?: string }, message: string) =>
    action.run(async () => {
      await ok(api.PATCH("/api/v1/users/{id}", { params: { path: { id: user.id } }, body }));
      setResetting(false);
      setPassword("");
      setDone(message);
    });
  return (
    <tr>
      <th scope="row">
        {user.display_name}
        {user.scopes.includes("admin") && <span className="badge">Administrateur</span>}
      </th>
      <td>{user.login}</td>
      <td>{organisation}</td>
      <td>{user.active ? "Actif" : "Désactivé"}</td>
      <td className="actions">
        <ProblemAlert problem={action.problem} />
        {done && (
          <p role="status" className="muted">
            {done}
          </p>
        )}
        {resetting ? (
          <form
            aria-label={`Nouveau mot de passe pour ${user.display_name}`}
            onSubmit={(e) => {
              e.preventDefault();
              void change({ password }, "Mot de passe à usage unique enregistré.");
            }}
          >
            <Field label="Mot de passe à usage unique" error={action.errors["password"]}>
              {(c) => <input {...c} type="text" value={password} onChange={(e) => setPassword(e.target.value)} required />}
            </Field>
            <button type="submit" className="button-secondary">
              Enregistrer le mot de passe
            </button>
          </form>
        ) : (
          <button type="button" className="button-link" onClick={() => setResetting(true)}>
            Nouveau mot de passe<span className="visually-hidden"> pour {user.display_name}</span>
          </button>
        )}
        <button
          type="button"
          className="button-link"
          onClick={() => void change({ active: !user.active }, user.active ? "Compte désactivé." : "Compte réactivé.")}
        >
          {user.active ? "Désactiver" : "Réactiver"}
          <span className="visually-hidden"> {user.display_name}</span>
        </button>
      </td>
    </tr>
  );
}
