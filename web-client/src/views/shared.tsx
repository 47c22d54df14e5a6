// Small pieces several coordinator views show the same way.
import { Link } from "wouter";
import type { Appointment, CcasReferral } from "../api/types";
import { appointmentKind, appointmentStatus, referralStatus, source, urgency } from "../labels";
import { useReference } from "../reference";
import { formatDateTime, formatTime } from "../time";
import { namesOf } from "../names";

export function ReferralTable({ referrals, label }: { referrals: CcasReferral[]; label: string }) {
  const reference = useReference();
  if (referrals.length === 0) return <p className="muted">Aucune saisine.</p>;
  return (
    <table className="table" aria-label={label}>
      <thead>
        <tr>
          <th scope="col">Reçue le</th>
          <th scope="col">Personnes</th>
          <th scope="col">Origine</th>
          <th scope="col">Problématiques</th>
          <th scope="col">Statut</th>
        </tr>
      </thead>
      <tbody>
        {referrals.map((r) => (
          <tr key={r.id} className={r.urgency === "urgent" ? "row-urgent" : undefined}>
            <td>
              <Link href={`/saisines/${r.id}`}>{formatDateTime(r.received_at)}</Link>
              {r.urgency === "urgent" && <span className="badge badge-urgent">{urgency.urgent}</span>}
            </td>
            <td>{namesOf(r.persons) || "—"}</td>
            <td>{r.referring_organisation?.name ?? source[r.source]}</td>
            <td>{r.problem_types.map(reference.problemLabel).join(", ") || "—"}</td>
            <td>
              <span className={`status status-${r.status}`}>{referralStatus[r.status]}</span>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** An appointment in one line; `inFile` when shown in its situation's file (no link to itself). */
export function AppointmentLine({ appointment, withDate, inFile }: { appointment: Appointment; withDate?: boolean; inFile?: boolean }) {
  const reference = useReference();
  return (
    <>
      <strong>
        {withDate ? formatDateTime(appointment.starts_at) : formatTime(appointment.starts_at)}–{formatTime(appointment.ends_at)}
      </strong>{" "}
      {appointment.persons.length > 0 && <>{namesOf(appointment.persons)} · </>}
      {appointmentKind[appointment.kind]} · {reference.coordinatorName(appointment.coordinator_id)} ·{" "}
      {reference.siteName(appointment.site_id)} ·{" "}
      <span className={`status status-${appointment.status}`}>{appointmentStatus[appointment.status]}</span>
      {appointment.situation_id && !inFile && (
        <>
          {" "}
          · <Link href={`/situations/${appointment.situation_id}`}>Voir la situation</Link>
        </>
      )}
    </>
  );
}

/** Urgent first, then oldest first: who has waited longest is called first. */
export function byUrgencyThenAge(a: CcasReferral, b: CcasReferral): number {
  if (a.urgency !== b.urgency) return a.urgency === "urgent" ? -1 : 1;
  return a.received_at.localeCompare(b.received_at);
}
