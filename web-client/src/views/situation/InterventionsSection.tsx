// What the coordinators did in a file, and the form to record it (an orientation names a
// partner from the directory; a concern or prosecutor report its date and recipient).
import { fullName } from "../../names";
import { CoordinatorOptions, LabelSelect } from "../../components/Choices";
import { useState } from "react";
import { api, ok } from "../../api/client";
import type { Answer, Intervention, InterventionKind, OrientationFollowUp, Situation } from "../../api/types";
import { Field, FieldSet } from "../../components/Field";
import { PartnerPicker } from "../../components/PartnerPicker";
import { FormErrors, ProblemAlert } from "../../components/ProblemAlert";
import { useAction, useLoad } from "../../components/useLoad";
import { allPages } from "../../api/query";
import { interventionKind } from "../../labels";
import { useReference } from "../../reference";
import { useSession } from "../../session";
import { formatDate, formatDateTime, fromLocalInput, toLocalInput } from "../../time";

const LEGAL: InterventionKind[] = ["concern_report", "prosecutor_report"];

export function InterventionsSection({ situation, changes, onChange }: { situation: Situation; changes: number; onChange: () => void }) {
  const list = useLoad(["InterventionsSection.list", situation.id, changes], async (signal) => {
    const items = await allPages((cursor) =>
      ok(api.GET("/api/v1/interventions", { signal, params: { query: { situation_id: situation.id, limit: 200, cursor } } })),
    );
    return items as Intervention[];
  });
  const directory = useLoad(["InterventionsSection.directory", list.data], async (signal) => {
    const ids = [...new Set((list.data ?? []).map((i) => i.partner_id).filter((x): x is string => !!x))];
    const entries = await Promise.all(ids.map((id) => ok(api.GET("/api/v1/directory/{id}", { signal, params: { path: { id } } }))));
    return Object.fromEntries(entries.map((e) => [e.id, e.name]));
  });
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
            {i.follow_up && <FollowUp intervention={i} followUp={i.follow_up} onDone={onChange} />}
          </li>
        ))}
      </ul>
      {situation.status === "open" && <InterventionForm situation={situation} onDone={onChange} />}
    </section>
  );
}

const TOOK_OVER: Record<Answer, string> = { yes: "Oui", no: "Non", unknown: "Pas encore connue" };

/** What came of an orientation: said when the coordinator learns it, dated if known. */
function FollowUp({ intervention, followUp, onDone }: { intervention: Intervention; followUp: OrientationFollowUp; onDone: () => void }) {
  const [editing, setEditing] = useState(false);
  const [tookOver, setTookOver] = useState<Answer | "">("");
  const [on, setOn] = useState("");
  const { problem, errors, busy, handleSubmit } = useAction();
  const submit = handleSubmit(async () => {
    if (!tookOver) return;
    await ok(
      api.POST("/api/v1/interventions/{id}/follow-up", {
        params: { path: { id: intervention.id } },
        body: { took_over: tookOver, on: tookOver !== "unknown" && on ? on : null },
      }),
    );
    setEditing(false);
    onDone();
  });
  const said =
    followUp.took_over === "unknown"
      ? "prise en charge par le partenaire : pas encore connue"
      : `prise en charge par le partenaire : ${TOOK_OVER[followUp.took_over].toLowerCase()}${followUp.on ? ` (le ${formatDate(followUp.on)})` : ""}`;
  return (
    <div className="small">
      {said}{" "}
      {!editing && (
        <button type="button" className="button-link no-print" onClick={() => setEditing(true)}>
          Indiquer la suite
        </button>
      )}
      {editing && (
        <form onSubmit={submit} className="subform no-print" aria-label="Suite de l'orientation">
          <FormErrors problem={problem} />
          <div className="grid-2">
            <LabelSelect
              label="Prise en charge par le partenaire"
              error={errors.took_over}
              labels={TOOK_OVER}
              placeholder="— choisir —"
              value={tookOver}
              onChange={setTookOver}
              required
            />
            <Field label="Le" error={errors.on}>
              {(c) => <input {...c} type="date" value={on} disabled={tookOver === "unknown"} onChange={(e) => setOn(e.target.value)} />}
            </Field>
          </div>
          <button type="submit" className="button-small" disabled={busy || !tookOver}>
            Enregistrer la suite
          </button>{" "}
          <button type="button" className="button-small" onClick={() => setEditing(false)}>
            Annuler
          </button>
        </form>
      )}
    </div>
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
  // Who took part is ticked by the coordinator: an alleged author is not "oriented" by default.
  const [personIds, setPersonIds] = useState<string[]>([]);
  const [partnerId, setPartnerId] = useState("");
  const [outcome, setOutcome] = useState("");
  const [sentOn, setSentOn] = useState("");
  const [recipient, setRecipient] = useState("");
  // Me by default, once the coordinators are known; else the file's coordinator.
  const [chosenCoordinator, setCoordinator] = useState<string | null>(null);
  const coordinator = chosenCoordinator ?? me ?? situation.coordinator?.id ?? "";
  const { problem, errors, busy, handleSubmit } = useAction();

  const submit = handleSubmit(async () => {
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

  return (
    <form onSubmit={submit} aria-labelledby="new-intervention-title" className="subform no-print">
      <h3 id="new-intervention-title">Nouvelle intervention</h3>
      <FormErrors problem={problem} />
      <div className="grid-2">
        <LabelSelect label="Type d'intervention" error={errors.kind} labels={interventionKind} value={kind} onChange={setKind} />
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
            {fullName(p)}
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
