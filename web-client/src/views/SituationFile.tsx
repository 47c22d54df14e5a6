// A situation's file: persons and roles, problem types, timeline, notes, interventions,
// appointments; close and reopen.
import { CheckboxGroup, LabelOptions, CoordinatorOptions } from "../components/Choices";
import { useState, type FormEvent } from "react";
import { Link } from "wouter";
import { api, ifMatch, ok } from "../api/client";
import type { Appointment, ClosingReason, Intervention, InterventionKind, JudicialProceedings, Note, Role, Situation, TimelineEntry } from "../api/types";
import { Field, FieldSet } from "../components/Field";
import { PageTitle } from "../components/Layout";
import { MoreButton } from "../components/MoreButton";
import { PartnerPicker } from "../components/PartnerPicker";
import { FormErrors, ProblemAlert } from "../components/ProblemAlert";
import { useAction, useLoad } from "../components/useLoad";
import { usePaged } from "../components/usePaged";
import {
  appointmentKind,
  appointmentStatus,
  closingReason,
  contactChannel,
  interventionKind,
  judicial,
  referralStatus,
  role,
  safety,
  situationStatus,
  timelineKind,
} from "../labels";
import { useReference } from "../reference";
import { useSession } from "../session";
import { formatDate, formatDateTime, fromLocalInput, toLocalInput } from "../time";
import { AppointmentLine } from "./shared";
import { situationTitle } from "./Situations";

async function loadSituation(id: string): Promise<Situation> {
  return ok(api.GET("/api/v1/situations/{id}", { params: { path: { id } } }));
}

export function SituationFile({ id }: { id: string }) {
  const situation = useLoad(() => loadSituation(id), [id]);
  // Bumped after each change, so that the timeline and lists show it.
  const [changes, setChanges] = useState(0);
  const changed = () => {
    situation.reload();
    setChanges((n) => n + 1);
  };
  const s = situation.data;
  if (!s) {
    return (
      <section>
        <PageTitle title="Situation">Situation</PageTitle>
        <ProblemAlert problem={situation.problem} />
        {situation.loading && <p aria-live="polite">Chargement…</p>}
      </section>
    );
  }
  return (
    <section>
      <p>
        <Link href="/situations">← Situations</Link>
      </p>
      <PageTitle title="Situation">{situationTitle(s)}</PageTitle>
      <p className="lead">
        <span className={`status status-${s.status}`}>{situationStatus[s.status]}</span> · ouverte le {formatDateTime(s.opened_at)} · référent :{" "}
        {s.coordinator?.display_name ?? "non attribuée"}
        {s.closed_at && (
          <>
            {" "}
            · close le {formatDateTime(s.closed_at)} ({s.closing_reason ? closingReason[s.closing_reason] : ""})
          </>
        )}
      </p>
      <div className="two-columns">
        <div>
          <PersonsSection situation={s} onChange={changed} />
          <ProblemsSection key={s.version} situation={s} onChange={changed} />
          <AppointmentsSection situation={s} changes={changes} />
          <InterventionsSection situation={s} changes={changes} onChange={changed} />
          <CloseSection situation={s} onChange={changed} />
        </div>
        <div>
          <NotesSection situation={s} changes={changes} onChange={changed} />
          <TimelineSection situation={s} changes={changes} />
        </div>
      </div>
    </section>
  );
}

function PersonsSection({ situation, onChange }: { situation: Situation; onChange: () => void }) {
  const { problem, run } = useAction();
  const setRole = (personId: string, value: Role) =>
    void run(async () => {
      await ok(api.PUT("/api/v1/situations/{id}/persons/{person_id}", { params: { path: { id: situation.id, person_id: personId } }, body: { role: value } }));
      onChange();
    });
  return (
    <section className="card" aria-labelledby="persons-title">
      <h2 id="persons-title">Personnes</h2>
      <ProblemAlert problem={problem} />
      {situation.persons.map(({ person: p, role: r }) => (
        <div key={p.id} className="person">
          <strong>{[p.first_name, p.last_name].filter(Boolean).join(" ") || "Sans nom"}</strong>
          {p.birth_date ? ` · née le ${formatDate(p.birth_date)}` : p.birth_year ? ` · née en ${p.birth_year}` : ""}
          {p.phone && ` · tél. ${p.phone}`}
          {p.commune && ` · ${p.commune}`}
          <div className={p.safe_contact.call === "no" || p.safe_contact.text === "no" ? "warning" : "muted"}>
            Appel sans danger : {safety[p.safe_contact.call ?? "unknown"]} · SMS sans danger : {safety[p.safe_contact.text ?? "unknown"]}
            {p.safe_contact.note && ` — ${p.safe_contact.note}`}
          </div>
          <Field label={`Rôle de ${p.first_name ?? p.last_name ?? "la personne"}`}>
            {(c) => (
              <select {...c} value={r} onChange={(e) => setRole(p.id, e.target.value as Role)} disabled={situation.status === "closed"}>
                <LabelOptions labels={role} />
              </select>
            )}
          </Field>
        </div>
      ))}
    </section>
  );
}

function ProblemsSection({ situation, onChange }: { situation: Situation; onChange: () => void }) {
  const reference = useReference();
  const [types, setTypes] = useState(situation.problem_types);
  const [proceedings, setProceedings] = useState<JudicialProceedings>(situation.judicial_proceedings);
  const [coordinator, setCoordinator] = useState(situation.coordinator?.id ?? "");
  const { problem, busy, run } = useAction();
  const errors = problem?.fields() ?? {};
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      await ok(
        api.PATCH("/api/v1/situations/{id}", {
          params: { path: { id: situation.id }, header: { "If-Match": ifMatch(situation.version) } },
          body: { problem_types: types, judicial_proceedings: proceedings, coordinator_id: coordinator || null },
          headers: { "Content-Type": "application/merge-patch+json" },
        }),
      );
      onChange();
    });
  };
  return (
    <form className="card" onSubmit={submit} aria-labelledby="problems-title">
      <h2 id="problems-title">Problématiques et suivi</h2>
      <FormErrors problem={problem} />
      <FieldSet legend="Problématiques" error={errors.problem_types}>
        <CheckboxGroup choices={reference.problemChoices} value={types} onChange={setTypes} />
      </FieldSet>
      <div className="grid-2">
        <Field label="Procédure judiciaire en cours" error={errors.judicial_proceedings}>
          {(c) => (
            <select {...c} value={proceedings} onChange={(e) => setProceedings(e.target.value as JudicialProceedings)}>
              <LabelOptions labels={judicial} />
            </select>
          )}
        </Field>
        <Field label="Coordinateur référent" error={errors.coordinator_id}>
          {(c) => (
            <select {...c} value={coordinator} onChange={(e) => setCoordinator(e.target.value)}>
              <CoordinatorOptions empty="Non attribuée" />
            </select>
          )}
        </Field>
      </div>
      <button className="button-secondary" type="submit" disabled={busy}>
        Enregistrer
      </button>
    </form>
  );
}

function AppointmentsSection({ situation, changes }: { situation: Situation; changes: number }) {
  const list = useLoad(async () => {
    const page = await ok(api.GET("/api/v1/appointments", { params: { query: { situation_id: situation.id, limit: 100 } } }));
    return page.items as Appointment[];
  }, [situation.id, changes]);
  return (
    <section className="card" aria-labelledby="appointments-title">
      <h2 id="appointments-title">Rendez-vous</h2>
      <ProblemAlert problem={list.problem} />
      {list.data?.length === 0 && <p className="muted">Aucun rendez-vous.</p>}
      <ul className="plain-list">
        {list.data?.map((a) => (
          <li key={a.id}>
            <AppointmentLine appointment={a} withDate />
          </li>
        ))}
      </ul>
      {situation.status === "open" && (
        <Link className="button-secondary" href={`/agenda?situation=${situation.id}`}>
          Prendre rendez-vous
        </Link>
      )}
    </section>
  );
}

const LEGAL: InterventionKind[] = ["concern_report", "prosecutor_report"];

function InterventionsSection({ situation, changes, onChange }: { situation: Situation; changes: number; onChange: () => void }) {
  const list = useLoad(async () => {
    const page = await ok(api.GET("/api/v1/interventions", { params: { query: { situation_id: situation.id, limit: 100 } } }));
    return page.items as Intervention[];
  }, [situation.id, changes]);
  const directory = useLoad(async () => {
    const ids = [...new Set((list.data ?? []).map((i) => i.partner_id).filter((x): x is string => !!x))];
    const entries = await Promise.all(ids.map((id) => ok(api.GET("/api/v1/directory/{id}", { params: { path: { id } } }))));
    return Object.fromEntries(entries.map((e) => [e.id, e.name]));
  }, [list.data]);
  return (
    <section className="card" aria-labelledby="interventions-title">
      <h2 id="interventions-title">Interventions</h2>
      <ProblemAlert problem={list.problem} />
      {list.data?.length === 0 && <p className="muted">Aucune intervention.</p>}
      <ul className="plain-list">
        {list.data?.map((i) => (
          <li key={i.id}>
            <strong>{formatDateTime(i.occurred_at)}</strong> · {interventionKind[i.kind]}
            {i.partner_id && ` → ${directory.data?.[i.partner_id] ?? "partenaire"}`}
            {i.report && ` · transmis le ${formatDate(i.report.sent_on)} à ${i.report.recipient}`}
            {i.outcome && <span className="muted"> — {i.outcome}</span>}
          </li>
        ))}
      </ul>
      {situation.status === "open" && <InterventionForm situation={situation} onDone={onChange} />}
    </section>
  );
}

function InterventionForm({ situation, onDone }: { situation: Situation; onDone: () => void }) {
  const session = useSession();
  const reference = useReference();
  const me = reference.coordinators.find((c) => c.id === session.claims?.sub)?.id;
  const [kind, setKind] = useState<InterventionKind>("first_listening");
  const [occurredAt, setOccurredAt] = useState(() => toLocalInput(new Date()));
  const [duration, setDuration] = useState("");
  const [inPerson, setInPerson] = useState(true);
  const [personIds, setPersonIds] = useState<string[]>(situation.persons.map((p) => p.person.id));
  const [partnerId, setPartnerId] = useState("");
  const [outcome, setOutcome] = useState("");
  const [sentOn, setSentOn] = useState("");
  const [recipient, setRecipient] = useState("");
  const [coordinator, setCoordinator] = useState(me ?? situation.coordinator?.id ?? "");
  const { problem, busy, run } = useAction();
  const errors = problem?.fields() ?? {};

  const submit = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      await ok(
        api.POST("/api/v1/interventions", {
          body: {
            situation_id: situation.id,
            kind,
            occurred_at: fromLocalInput(occurredAt),
            duration_minutes: duration ? Number(duration) : null,
            coordinator_id: coordinator,
            person_ids: personIds,
            partner_id: kind === "orientation" ? partnerId || null : null,
            in_person: inPerson,
            outcome: outcome.trim() || null,
            report: LEGAL.includes(kind) ? { sent_on: sentOn, recipient: recipient.trim() } : null,
          },
        }),
      );
      setOutcome("");
      setPartnerId("");
      onDone();
    });
  };

  return (
    <form onSubmit={submit} aria-labelledby="new-intervention-title" className="subform">
      <h3 id="new-intervention-title">Nouvelle intervention</h3>
      <FormErrors problem={problem} />
      <div className="grid-2">
        <Field label="Type d'intervention" error={errors.kind}>
          {(c) => (
            <select {...c} value={kind} onChange={(e) => setKind(e.target.value as InterventionKind)}>
              <LabelOptions labels={interventionKind} />
            </select>
          )}
        </Field>
        <Field label="Date et heure" error={errors.occurred_at}>
          {(c) => <input {...c} type="datetime-local" value={occurredAt} onChange={(e) => setOccurredAt(e.target.value)} />}
        </Field>
        <Field label="Durée (minutes)" error={errors.duration_minutes}>
          {(c) => <input {...c} type="number" min={1} value={duration} onChange={(e) => setDuration(e.target.value)} />}
        </Field>
        <Field label="Coordinateur" error={errors.coordinator_id}>
          {(c) => (
            <select {...c} value={coordinator} onChange={(e) => setCoordinator(e.target.value)}>
              <CoordinatorOptions empty="— choisir —" />
            </select>
          )}
        </Field>
      </div>
      {kind === "orientation" && <PartnerPicker value={partnerId} onChange={setPartnerId} error={errors.partner_id} />}
      {LEGAL.includes(kind) && (
        <div className="grid-2">
          <Field label="Transmis le" error={errors["report.sent_on"] ?? errors.report} required>
            {(c) => <input {...c} type="date" value={sentOn} onChange={(e) => setSentOn(e.target.value)} />}
          </Field>
          <Field label="Destinataire" error={errors["report.recipient"]} required>
            {(c) => <input {...c} value={recipient} onChange={(e) => setRecipient(e.target.value)} />}
          </Field>
        </div>
      )}
      <FieldSet legend="Personnes concernées" error={errors.person_ids}>
        {situation.persons.map(({ person: p }) => (
          <label key={p.id} className="inline">
            <input
              type="checkbox"
              checked={personIds.includes(p.id)}
              onChange={(e) => setPersonIds(e.target.checked ? [...personIds, p.id] : personIds.filter((x) => x !== p.id))}
            />
            {[p.first_name, p.last_name].filter(Boolean).join(" ") || "Sans nom"}
          </label>
        ))}
      </FieldSet>
      <label className="inline">
        <input type="checkbox" checked={inPerson} onChange={(e) => setInPerson(e.target.checked)} /> En présence de la personne
      </label>
      <Field label="Suite donnée (facultatif)" error={errors.outcome}>
        {(c) => <input {...c} value={outcome} onChange={(e) => setOutcome(e.target.value)} />}
      </Field>
      <button className="button" type="submit" disabled={busy}>
        Enregistrer l'intervention
      </button>
    </form>
  );
}

function NotesSection({ situation, changes, onChange }: { situation: Situation; changes: number; onChange: () => void }) {
  const reference = useReference();
  const notes = usePaged(async (cursor) => {
    const page = await ok(api.GET("/api/v1/situations/{id}/notes", { params: { path: { id: situation.id }, query: { limit: 50, cursor } } }));
    return page as { items: Note[]; next_cursor?: string | null };
  }, [situation.id, changes]);
  const [body, setBody] = useState("");
  const [isPrivate, setPrivate] = useState(false);
  const { problem, busy, run } = useAction();
  const errors = problem?.fields() ?? {};
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      await ok(api.POST("/api/v1/situations/{id}/notes", { params: { path: { id: situation.id } }, body: { body: body.trim(), private: isPrivate } }));
      setBody("");
      setPrivate(false);
      onChange();
    });
  };
  return (
    <section className="card" aria-labelledby="notes-title">
      <h2 id="notes-title">Notes</h2>
      <form onSubmit={submit}>
        <FormErrors problem={problem} />
        <Field label="Nouvelle note" error={errors.body} hint="Les notes ne se modifient pas : une correction s'ajoute à la suite.">
          {(c) => <textarea {...c} rows={4} value={body} onChange={(e) => setBody(e.target.value)} />}
        </Field>
        <label className="inline">
          <input type="checkbox" checked={isPrivate} onChange={(e) => setPrivate(e.target.checked)} /> Note personnelle (visible de moi seul)
        </label>
        <button className="button-secondary" type="submit" disabled={busy || !body.trim()}>
          Ajouter la note
        </button>
      </form>
      <ProblemAlert problem={notes.problem} />
      <ul className="notes">
        {notes.items.map((n) => (
          <li key={n.id}>
            <p className="muted small">
              {formatDateTime(n.created_at)} · {reference.coordinatorName(n.author_id)}
              {n.private && " · note personnelle"}
              {n.corrects_id && " · correction"}
            </p>
            <p className="prewrap">{n.body}</p>
          </li>
        ))}
      </ul>
      <MoreButton hasMore={notes.hasMore} loading={notes.loading} onMore={() => void notes.more()} />
    </section>
  );
}

function describe(entry: TimelineEntry): string {
  const code = entry.code ?? "";
  switch (entry.kind) {
    case "referral":
      return `${timelineKind.referral} (${referralStatus[entry.state as keyof typeof referralStatus] ?? entry.state ?? ""})`;
    case "contact_attempt":
      return `${timelineKind.contact_attempt} · ${contactChannel[code as keyof typeof contactChannel] ?? code}`;
    case "appointment":
      return `${timelineKind.appointment} ${appointmentKind[code as keyof typeof appointmentKind]?.toLowerCase() ?? code} · ${
        appointmentStatus[entry.state as keyof typeof appointmentStatus] ?? entry.state ?? ""
      }`;
    case "intervention":
      return interventionKind[code as keyof typeof interventionKind] ?? code;
    default:
      return timelineKind[entry.kind] ?? entry.kind;
  }
}

function TimelineSection({ situation, changes }: { situation: Situation; changes: number }) {
  const timeline = usePaged(async (cursor) => {
    const page = await ok(api.GET("/api/v1/situations/{id}/timeline", { params: { path: { id: situation.id }, query: { limit: 50, cursor } } }));
    return page as { items: TimelineEntry[]; next_cursor?: string | null };
  }, [situation.id, changes]);
  return (
    <section className="card" aria-labelledby="timeline-title">
      <h2 id="timeline-title">Chronologie</h2>
      <ProblemAlert problem={timeline.problem} />
      <ol className="timeline">
        {timeline.items.map((entry) => (
          <li key={`${entry.kind}-${entry.id}`}>
            <span className="muted small">{formatDateTime(entry.at)}</span> {describe(entry)}
            {entry.text && entry.kind !== "note" && <span className="muted"> — {entry.text}</span>}
          </li>
        ))}
      </ol>
      <MoreButton hasMore={timeline.hasMore} loading={timeline.loading} onMore={() => void timeline.more()} />
    </section>
  );
}

function CloseSection({ situation, onChange }: { situation: Situation; onChange: () => void }) {
  const [reason, setReason] = useState<ClosingReason>("resolved");
  const { problem, busy, run } = useAction();
  if (situation.status === "closed") {
    return (
      <section className="card" aria-labelledby="close-title">
        <h2 id="close-title">Situation close</h2>
        <ProblemAlert problem={problem} />
        <button
          className="button-secondary"
          type="button"
          disabled={busy}
          onClick={() =>
            void run(async () => {
              await ok(api.POST("/api/v1/situations/{id}/reopen", { params: { path: { id: situation.id } } }));
              onChange();
            })
          }
        >
          Rouvrir la situation
        </button>
      </section>
    );
  }
  return (
    <form
      className="card"
      aria-labelledby="close-title"
      onSubmit={(e) => {
        e.preventDefault();
        void run(async () => {
          await ok(api.POST("/api/v1/situations/{id}/close", { params: { path: { id: situation.id } }, body: { reason } }));
          onChange();
        });
      }}
    >
      <h2 id="close-title">Clore la situation</h2>
      <FormErrors problem={problem} />
      <Field label="Motif de clôture">
        {(c) => (
          <select {...c} value={reason} onChange={(e) => setReason(e.target.value as ClosingReason)}>
            <LabelOptions labels={closingReason} />
          </select>
        )}
      </Field>
      <button className="button-danger" type="submit" disabled={busy}>
        Clore
      </button>
    </form>
  );
}
