// The webhook subscriptions of the CCAS's units: where each unit's software is told of its
// referrals' status. The units manage them; an administrator sees them and may disable one.
import { api, ok } from "../../api/client";
import { allPages } from "../../api/query";
import { ProblemAlert } from "../../components/ProblemAlert";
import { useAction, useLoad } from "../../components/useLoad";
import { useOrganisations } from "./Units";

const DISABLED: Record<string, string> = {
  failing: "désactivé après une journée d'échecs",
  owner: "désactivé par l'unité",
  admin: "désactivé par un administrateur",
};

export function Webhooks() {
  const subscriptions = useLoad(["Admin.webhooks"], (signal) =>
    allPages((cursor) => ok(api.GET("/api/v1/webhook-subscriptions", { signal, params: { query: { limit: 200, cursor } } }))),
  );
  const organisations = useOrganisations();
  const disable = useAction();
  const list = subscriptions.data ?? [];
  return (
    <div>
      <h2>Webhooks des unités</h2>
      <p className="muted">Les unités abonnent leur logiciel elles-mêmes, par l'API ; vous pouvez suspendre un abonnement.</p>
      <ProblemAlert problem={subscriptions.problem ?? disable.problem} />
      {list.length === 0 && !subscriptions.loading && <p>Aucune unité n'est abonnée.</p>}
      {list.length > 0 && (
        <table className="table">
          <caption className="visually-hidden">Abonnements</caption>
          <thead>
            <tr>
              <th scope="col">Unité</th>
              <th scope="col">Adresse</th>
              <th scope="col">État</th>
              <th scope="col">Échecs consécutifs</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {list.map((s) => (
              <tr key={s.id}>
                <th scope="row">{organisations.nameOf(s.organisation_id)}</th>
                <td>
                  <code>{s.url}</code>
                </td>
                <td>{s.enabled ? "Actif" : `Suspendu (${DISABLED[s.disabled_reason ?? ""] ?? "désactivé"})`}</td>
                <td>{s.consecutive_failures}</td>
                <td>
                  {s.enabled && (
                    <button
                      type="button"
                      className="button-link"
                      onClick={() =>
                        void disable.run(async () => {
                          await ok(
                            api.PATCH("/api/v1/webhook-subscriptions/{id}", { params: { path: { id: s.id } }, body: { enabled: false } }),
                          );
                        })
                      }
                    >
                      Suspendre<span className="visually-hidden"> l'abonnement de {organisations.nameOf(s.organisation_id)}</span>
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
