// An agency's referrals and where each stands: what it sent and the status, never what the
// person confided to the coordinators afterwards. A month after the coordinators settle one,
// the API keeps only the persons' initials, and so does this list.
import { namesOf } from "../../names";
import { Link } from "wouter";
import { api, ok } from "../../api/client";
import type { AgencyReferral } from "../../api/types";
import { PageTitle } from "../../components/Layout";
import { MoreButton } from "../../components/MoreButton";
import { ProblemAlert } from "../../components/ProblemAlert";
import { usePaged } from "../../components/usePaged";
import { referralStatus, urgency } from "../../labels";
import { formatDate, formatDateTime, parisDay } from "../../time";

export function MyReferrals() {
  const list = usePaged(["MyReferrals.list"], async (cursor, signal) => {
    const page = await ok(api.GET("/api/v1/referrals", { signal, params: { query: { limit: 50, cursor } } }));
    return page as { items: AgencyReferral[]; next_cursor?: string | null };
  });

  return (
    <section>
      <PageTitle title="Mes saisines">Mes saisines</PageTitle>
      <p>
        <Link className="button" href="/saisir">
          Nouvelle saisine
        </Link>
      </p>
      <ProblemAlert problem={list.problem} />
      {!list.loading && list.items.length === 0 && !list.problem && <p>Aucune saisine transmise pour l'instant.</p>}
      {list.items.length > 0 && (
        <table className="table" aria-label="Saisines transmises et leur suivi">
          <thead>
            <tr>
              <th scope="col">Transmise le</th>
              <th scope="col">Personnes</th>
              <th scope="col">Urgence</th>
              <th scope="col">Votre référence</th>
              <th scope="col">Statut</th>
            </tr>
          </thead>
          <tbody>
            {list.items.map((referral) => (
              <tr key={referral.id} data-referral={referral.id}>
                <td>{formatDateTime(referral.received_at)}</td>
                <td>
                  {referral.minimised ? (
                    <>
                      {referral.persons.map((p) => p.initials ?? "?").join(", ")}
                      {referral.personal_data_until && (
                        <span className="muted small"> (identités retirées le {formatDate(parisDay(referral.personal_data_until))})</span>
                      )}
                    </>
                  ) : (
                    namesOf(referral.persons)
                  )}
                </td>
                <td>{urgency[referral.urgency]}</td>
                <td>{referral.agent_reference ?? referral.procedure_reference ?? "—"}</td>
                <td>
                  <span className={`status status-${referral.status}`}>{referralStatus[referral.status]}</span>
                  <span className="muted small"> depuis le {formatDateTime(referral.status_changed_at)}</span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <MoreButton hasMore={list.hasMore} loading={list.loading} onMore={() => void list.more()} />
    </section>
  );
}
