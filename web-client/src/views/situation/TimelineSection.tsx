// Everything that happened in a file, oldest first.
import { Link } from "wouter";
import { api, ok } from "../../api/client";
import type { Situation, TimelineEntry } from "../../api/types";
import { MoreButton } from "../../components/MoreButton";
import { ProblemAlert } from "../../components/ProblemAlert";
import { usePaged } from "../../components/usePaged";
import { appointmentStatus, contactChannel, interventionKind, referralStatus, safety, timelineKind } from "../../labels";
import { fullName } from "../../names";
import { formatDateTime } from "../../time";

const APPOINTMENT: Record<string, string> = {
  scheduled: "Rendez-vous",
  phone: "Rendez-vous téléphonique",
  emergency: "Accueil en urgence",
};

const CHANNELS: Record<string, string> = { call: "appel", text: "SMS", write: "courrier" };

/** "call:no text:no write:yes" → "appel : Non, SMS : Non, courrier : Oui". */
function answers(state: string | null | undefined): string {
  return (state ?? "")
    .split(" ")
    .map((pair) => pair.split(":"))
    .map(([channel, answer]) => `${CHANNELS[channel ?? ""] ?? channel} : ${safety[answer as keyof typeof safety] ?? answer}`)
    .join(", ");
}

function describe(entry: TimelineEntry, situation: Situation): string {
  const code = entry.code ?? "";
  switch (entry.kind) {
    case "safe_contact": {
      const person = situation.persons.find((p) => p.person.id === code)?.person;
      const who = person ? fullName(person) : "la personne";
      return `Consignes de contact de ${who} renforcées par une saisine (la réponse la plus prudente l’emporte) : ${answers(entry.state)}`;
    }
    case "referral":
      return `${timelineKind.referral} (${referralStatus[entry.state as keyof typeof referralStatus] ?? entry.state ?? ""})`;
    case "contact_attempt":
      return `${timelineKind.contact_attempt} · ${contactChannel[code as keyof typeof contactChannel] ?? code}`;
    case "appointment":
      return `${APPOINTMENT[code] ?? timelineKind.appointment} · ${appointmentStatus[entry.state as keyof typeof appointmentStatus] ?? entry.state ?? ""}`;
    case "intervention":
      return interventionKind[code as keyof typeof interventionKind] ?? code;
    default:
      return timelineKind[entry.kind] ?? entry.kind;
  }
}

export function TimelineSection({ situation, changes }: { situation: Situation; changes: number }) {
  const timeline = usePaged(["TimelineSection.timeline", situation.id, changes], async (cursor, signal) => {
    const page = await ok(
      api.GET("/api/v1/situations/{id}/timeline", { signal, params: { path: { id: situation.id }, query: { limit: 50, cursor } } }),
    );
    return page as { items: TimelineEntry[]; next_cursor?: string | null };
  });
  return (
    <section className="card" aria-labelledby="timeline-title">
      <h2 id="timeline-title">Chronologie</h2>
      <ProblemAlert problem={timeline.problem} />
      <ol className="timeline">
        {timeline.items.map((entry) => (
          <li key={`${entry.kind}-${entry.id}`}>
            <span className="muted small">{formatDateTime(entry.at)}</span>{" "}
            {entry.kind === "referral" ? (
              <Link href={`/saisines/${entry.id}`}>{describe(entry, situation)}</Link>
            ) : (
              describe(entry, situation)
            )}
            {entry.text && entry.kind !== "note" && entry.kind !== "safe_contact" && <span className="muted"> — {entry.text}</span>}
          </li>
        ))}
      </ol>
      <MoreButton hasMore={timeline.hasMore} loading={timeline.loading} onMore={() => void timeline.more()} />
    </section>
  );
}
