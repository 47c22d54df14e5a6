// Accounts of software (client credentials): the municipal police's software, a reporting
// tool. The secret is shown once, at creation; a client is revoked, never edited.
import { useState } from "react";
import { api, ok } from "../../api/client";
import { allPages } from "../../api/query";
import { Field } from "../../components/Field";
import { FormErrors, ProblemAlert } from "../../components/ProblemAlert";
import { useAction, useLoad } from "../../components/useLoad";
import { OrganisationField, useOrganisations } from "./Units";

export function ApiClients() {
  const clients = useLoad(["Admin.clients"], (signal) =>
    allPages((cursor) => ok(api.GET("/api/v1/api-clients", { signal, params: { query: { limit: 200, cursor } } }))),
  );
  const organisations = useOrganisations();
  const [organisation, setOrganisation] = useState("");
  const [label, setLabel] = useState("");
  const [created, setCreated] = useState<{ id: string; secret: string } | null>(null);
  const create = useAction();
  const revoke = useAction();
  const chosen = organisation || organisations.list[0]?.id || "";
  return (
    <div>
      <h2>Clients API</h2>
      <ProblemAlert problem={clients.problem ?? revoke.problem} />
      <form
        className="card"
        aria-label="Nouveau client API"
        onSubmit={create.handleSubmit(async () => {
          const answer = await ok(api.POST("/api/v1/api-clients", { body: { organisation_id: chosen, label } }));
          setCreated({ id: answer.client.id, secret: answer.client_secret });
          setLabel("");
        })}
      >
        <FormErrors problem={create.problem} />
        <OrganisationField value={chosen} onChange={setOrganisation} />
        <Field label="Nom du logiciel" error={create.errors["label"]} required>
          {(c) => <input {...c} value={label} onChange={(e) => setLabel(e.target.value)} required />}
        </Field>
        <button type="submit" className="button" disabled={create.busy}>
          Créer le client API
        </button>
      </form>
      {created && (
        <div className="card secret" role="status">
          <p>
            <strong>Secret du client, affiché cette seule fois :</strong> copiez-le maintenant dans le logiciel.
          </p>
          <p>
            Identifiant : <code>{created.id}</code>
          </p>
          <p>
            Secret : <code data-testid="client-secret">{created.secret}</code>
          </p>
          <button type="button" className="button-secondary" onClick={() => setCreated(null)}>
            J'ai copié le secret
          </button>
        </div>
      )}
      <table className="table">
        <caption className="visually-hidden">Clients API</caption>
        <thead>
          <tr>
            <th scope="col">Logiciel</th>
            <th scope="col">Organisation</th>
            <th scope="col">Droits</th>
            <th scope="col">État</th>
            <th scope="col">Actions</th>
          </tr>
        </thead>
        <tbody>
          {(clients.data ?? []).map((client) => (
            <tr key={client.id}>
              <th scope="row">{client.label}</th>
              <td>{organisations.nameOf(client.organisation_id)}</td>
              <td>{client.scopes.join(", ")}</td>
              <td>{client.active ? "Actif" : "Révoqué"}</td>
              <td>
                {client.active && (
                  <button
                    type="button"
                    className="button-link"
                    onClick={() =>
                      void revoke.run(async () => {
                        await ok(api.DELETE("/api/v1/api-clients/{id}", { params: { path: { id: client.id } } }));
                      })
                    }
                  >
                    Révoquer<span className="visually-hidden"> {client.label}</span>
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
