// The referrals that fed a file: what the unit or partner said when it referred, kept in view
// while the coordinator works (summary, urgency, who referred, their references, consent).
import { Link } from "wouter";
import { api, ok } from "../../api/client";
import type { CcasReferral, Situation } from "../../api/types";
import { ProblemAlert } from "../../components/ProblemAlert";
import { useLoad } from "../../components/useLoad";
import { allPages, type PageOf } from "../../api/query";
import { childrenText, consent, judicial, policeContact, role, source, urgency } from "../../labels";
import { fullName } from "../../names";
import { formatDateTime } from "../../time";

export function ReferralsSection({ situation, changes }: { situation: Situation; changes: number }) {
  const referrals = useLoad(["ReferralsSection.referrals", situation.id, changes], async (signal) => {
    const items = await allPages(async (cursor) => {
      const page = await ok(
        api.GET("/api/v1/referrals", { signal, params: { query: { situation_id: situation.id, limit: 200, cursor } } }),
      );
      return page as PageOf<CcasReferral>;
    });
    return items as CcasReferral[];
  });
  if (!referrals.data?.length && !referrals.problem) return null;
  return (
    <section className="card" aria-labelledby="referrals-title">
      <h2 id="referrals-title">Saisines à l’origine du dossier</h2>
      <ProblemAlert problem={referrals.problem} />
      {(referrals.data ?? []).map((r) => (
        <article key={r.id} className="referral-fed" aria-label={`Saisine du ${formatDateTime(r.received_at)}`}>
          <p>
            <Link href={`/saisines/${r.id}`}>Saisine du {formatDateTime(r.received_at)}</Link> ·{" "}
            {r.referring_organisation?.name ?? source[r.source]}
            {r.urgency === "urgent" && <span className="badge badge-urgent">{urgency.urgent}</span>}
          </p>
          <p>{r.summary}</p>
          <p className="muted small">
            {[
              r.agent_reference && `Réf. agent : ${r.agent_reference}`,
              r.procedure_reference && `Procédure : ${r.procedure_reference}`,
              `Procédure judiciaire : ${judicial[r.judicial_proceedings]}`,
              r.police_contact && `Intervention à l'origine : ${policeContact[r.police_contact]}`,
              `Enfants présents ou exposés : ${childrenText(r)}`,
            ]
              .filter(Boolean)
              .join(" · ")}
          </p>
          <ul className="small">
            {r.persons.map((p, i) => (
              <li key={i}>
                {fullName(p)} ({role[p.role]}) · consentement : {consent[p.consent]}
                {p.best_time && ` · à joindre : ${p.best_time}`}
              </li>
            ))}
          </ul>
        </article>
      ))}
    </section>
  );
}
