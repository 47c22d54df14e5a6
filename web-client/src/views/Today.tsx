// The coordinator's day: appointments, new referrals (urgent first), referrals waiting for contact.
import { count } from "../names";
import { api, ok } from "../api/client";
import type { Appointment, CcasReferral } from "../api/types";
import { PageTitle } from "../components/Layout";
import { ProblemAlert } from "../components/ProblemAlert";
import { useLoad } from "../components/useLoad";
import { BriefContactPanel } from "./BriefContactForm";
import { allPages, type PageOf } from "../api/query";
import { addDays, formatLongDay, parisDay, parisToUtc } from "../time";
import { AppointmentLine, ReferralTable, byUrgencyThenAge } from "./shared";

async function referralsWith(status: "received" | "contact_attempted", signal: AbortSignal): Promise<CcasReferral[]> {
  const items = await allPages(async (cursor) => {
    const page = await ok(api.GET("/api/v1/referrals", { signal, params: { query: { status, limit: 200, cursor } } }));
    return page as PageOf<CcasReferral>;
  });
  return (items as CcasReferral[]).sort(byUrgencyThenAge);
}

/** New referrals arrive while the page is open: read again every minute while it is visible. */
const BACKGROUND = { refetchInterval: 60_000 };

export function Today() {
  const today = parisDay();
  const day = useLoad(
    ["Today.day", today],
    async (signal) => {
      const [appointments, fresh, waiting] = await Promise.all([
        allPages((cursor) =>
          ok(
            api.GET("/api/v1/appointments", {
              signal,
              params: {
                query: { from: parisToUtc(today).toISOString(), to: parisToUtc(addDays(today, 1)).toISOString(), limit: 200, cursor },
              },
            }),
          ),
        ),
        referralsWith("received", signal),
        referralsWith("contact_attempted", signal),
      ]);
      return { appointments: appointments as Appointment[], fresh, waiting };
    },
    BACKGROUND,
  );

  const urgent = day.data?.fresh.filter((r) => r.urgency === "urgent").length ?? 0;
  return (
    <section>
      <PageTitle title="Aujourd'hui">Aujourd'hui, {formatLongDay(new Date())}</PageTitle>
      <ProblemAlert problem={day.problem} />
      {day.loading && !day.data && <p aria-live="polite">Chargement…</p>}
      <BriefContactPanel />
      {day.data && (
        <div className="today">
          <section className="card" aria-labelledby="today-appointments">
            <h2 id="today-appointments">Rendez-vous du jour ({day.data.appointments.length})</h2>
            {day.data.appointments.length === 0 ? (
              <p className="muted">Aucun rendez-vous aujourd'hui.</p>
            ) : (
              <ul className="plain-list">
                {day.data.appointments.map((a) => (
                  <li key={a.id}>
                    <AppointmentLine appointment={a} />
                  </li>
                ))}
              </ul>
            )}
          </section>
          <section className="card" aria-labelledby="today-new">
            <h2 id="today-new">
              Nouvelles saisines ({day.data.fresh.length})
              {urgent > 0 && <span className="badge badge-urgent">{count(urgent, "urgente", "urgentes")}</span>}
            </h2>
            <ReferralTable referrals={day.data.fresh} label="Nouvelles saisines" />
          </section>
          <section className="card" aria-labelledby="today-waiting">
            <h2 id="today-waiting">En attente de contact ({day.data.waiting.length})</h2>
            <ReferralTable referrals={day.data.waiting} label="Saisines en attente de contact" />
          </section>
        </div>
      )}
    </section>
  );
}
