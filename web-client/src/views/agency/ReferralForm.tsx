// The referral form: what a gendarme or a municipal police officer passes on to the
// coordinators (coordinators use it too, for a person who came by themselves). Sent once
// even when the network makes the officer press twice (Idempotency-Key).
import { CheckboxGroup, LabelSelect } from "../../components/Choices";
import { useMemo, useState, type FormEvent } from "react";
import { Link } from "wouter";
import { api, ok } from "../../api/client";
import type { Answer, JudicialProceedings, NewReferral, NewReferralPerson, PoliceContact, Urgency } from "../../api/types";
import { Field, FieldSet } from "../../components/Field";
import { PageTitle } from "../../components/Layout";
import { FormErrors } from "../../components/ProblemAlert";
import { useAction } from "../../components/useLoad";
import { answer, consent, contactChannel, judicial, policeContact, role, safety } from "../../labels";
import { useReference } from "../../reference";
import { useSession } from "../../session";

// Consent is not presumed: "unknown" until the unit records what the person said.
const emptyPerson = (): NewReferralPerson => ({
  role: "victim",
  safe_contact: { call: "unknown", text: "unknown" },
  consent: "unknown",
  informed_of_coordination: "unknown",
});

interface Draft {
  urgency: Urgency;
  problem_types: string[];
  summary: string;
  judicial_proceedings: JudicialProceedings;
  police_contact: PoliceContact | "";
  children_exposed: Answer;
  children_count: string;
  agent_reference: string;
  procedure_reference: string;
  source: "walk_in" | "proactive";
  persons: NewReferralPerson[];
}

const emptyDraft = (): Draft => ({
  urgency: "normal",
  problem_types: [],
  summary: "",
  judicial_proceedings: "unknown",
  police_contact: "",
  children_exposed: "unknown",
  children_count: "",
  agent_reference: "",
  procedure_reference: "",
  source: "walk_in",
  persons: [emptyPerson()],
});

/** Empty text fields are left out rather than sent as "". */
function blankToNull<T extends Record<string, unknown>>(value: T): T {
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, v === "" ? null : v])) as T;
}

function toRequest(draft: Draft, asCoordinator: boolean): NewReferral {
  return {
    ...(asCoordinator ? { source: draft.source } : {}),
    urgency: draft.urgency,
    problem_types: draft.problem_types,
    summary: draft.summary.trim(),
    judicial_proceedings: draft.judicial_proceedings,
    police_contact: draft.police_contact || null,
    children_exposed: draft.children_exposed,
    children_count: draft.children_exposed === "yes" && draft.children_count ? Number(draft.children_count) : null,
    agent_reference: draft.agent_reference.trim() || null,
    procedure_reference: draft.procedure_reference.trim() || null,
    persons: draft.persons.map((p) => blankToNull(p)),
  };
}

function PersonFields({
  index,
  person,
  errors,
  onChange,
  onRemove,
}: {
  index: number;
  person: NewReferralPerson;
  errors: Record<string, string>;
  onChange: (p: NewReferralPerson) => void;
  onRemove?: (() => void) | undefined;
}) {
  const at = (field: string) => errors[`persons[${index}].${field}`];
  const set = (field: keyof NewReferralPerson, value: unknown) => onChange({ ...person, [field]: value });
  return (
    <fieldset className="card person-fields">
      <legend>Personne {index + 1}</legend>
      {errors[`persons[${index}]`] && <p className="error-text">{errors[`persons[${index}]`]}</p>}
      <div className="grid-3">
        <LabelSelect label="Rôle" error={at("role")} required labels={role} value={person.role} onChange={(value) => set("role", value)} />
        <Field label="Nom" error={at("last_name")}>
          {(c) => <input {...c} autoComplete="off" value={person.last_name ?? ""} onChange={(e) => set("last_name", e.target.value)} />}
        </Field>
        <Field label="Prénom" error={at("first_name")}>
          {(c) => <input {...c} autoComplete="off" value={person.first_name ?? ""} onChange={(e) => set("first_name", e.target.value)} />}
        </Field>
        <Field label="Date de naissance" error={at("birth_date")}>
          {(c) => <input {...c} type="date" value={person.birth_date ?? ""} onChange={(e) => set("birth_date", e.target.value)} />}
        </Field>
        <Field label="Téléphone" error={at("phone")}>
          {(c) => <input {...c} type="tel" autoComplete="off" value={person.phone ?? ""} onChange={(e) => set("phone", e.target.value)} />}
        </Field>
        <Field label="Commune" error={at("commune")}>
          {(c) => <input {...c} autoComplete="off" value={person.commune ?? ""} onChange={(e) => set("commune", e.target.value)} />}
        </Field>
        <LabelSelect
          label="Peut-on l'appeler sans danger ?"
          error={at("safe_contact.call")}
          labels={safety}
          value={person.safe_contact?.call ?? "unknown"}
          onChange={(value) => set("safe_contact", { ...person.safe_contact, call: value })}
        />
        <LabelSelect
          label="Peut-on lui écrire un SMS sans danger ?"
          error={at("safe_contact.text")}
          labels={safety}
          value={person.safe_contact?.text ?? "unknown"}
          onChange={(value) => set("safe_contact", { ...person.safe_contact, text: value })}
        />
        <LabelSelect
          label="Accord pour être contactée"
          error={at("consent")}
          labels={consent}
          value={person.consent ?? "unknown"}
          onChange={(value) => set("consent", value)}
        />
        <Field label="Meilleur moment pour la joindre" error={at("best_time")} hint="Par exemple : le matin avant 9 h.">
          {(c) => <input {...c} autoComplete="off" value={person.best_time ?? ""} onChange={(e) => set("best_time", e.target.value)} />}
        </Field>
        <LabelSelect
          label="Moyen de contact à privilégier"
          error={at("best_channel")}
          labels={contactChannel}
          placeholder="— non précisé —"
          value={person.best_channel ?? ""}
          onChange={(value) => set("best_channel", value)}
        />
        <LabelSelect
          label="Informée de l'existence de la coordination sociale ?"
          error={at("informed_of_coordination")}
          labels={answer}
          value={person.informed_of_coordination ?? "unknown"}
          onChange={(value) => set("informed_of_coordination", value)}
        />
      </div>
      {onRemove && (
        <button type="button" className="button-secondary" onClick={onRemove}>
          Retirer la personne {index + 1}
        </button>
      )}
    </fieldset>
  );
}

export function ReferralForm() {
  const session = useSession();
  const reference = useReference();
  const asCoordinator = session.audience === "ccas";
  const [draft, setDraft] = useState<Draft>(emptyDraft);
  // One key per content: pressing "send" again after a network failure replays the same
  // request (the API answers it once), while a corrected form is a new request.
  const idempotencyKey = useMemo(() => crypto.randomUUID(), [draft]);
  const [sent, setSent] = useState(false);
  const { problem, errors, busy, run } = useAction();

  const update = (change: Partial<Draft>) => setDraft((d) => ({ ...d, ...change }));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void run(async () => {
      await ok(
        api.POST("/api/v1/referrals", { params: { header: { "Idempotency-Key": idempotencyKey } }, body: toRequest(draft, asCoordinator) }),
      );
      setSent(true);
      setDraft(emptyDraft());
    });
  };

  return (
    <section>
      <PageTitle title="Nouvelle saisine">Nouvelle saisine</PageTitle>
      <p className="muted">
        Les champs marqués d'un astérisque (<span aria-hidden="true">*</span>) sont obligatoires. Ne transmettez que ce qui est utile à la
        prise de contact.
      </p>
      {sent && (
        <div className="alert alert-success" role="status">
          Saisine transmise à la coordination sociale. <Link href="/">{asCoordinator ? "Voir les saisines" : "Suivre mes saisines"}</Link>
        </div>
      )}
      <form onSubmit={submit} noValidate onChange={() => setSent(false)}>
        <FormErrors problem={problem} />
        {asCoordinator && (
          <Field label="Origine" error={errors.source}>
            {(c) => (
              <select {...c} value={draft.source} onChange={(e) => update({ source: e.target.value as Draft["source"] })}>
                <option value="walk_in">Venue spontanée</option>
                <option value="proactive">Démarche proactive</option>
              </select>
            )}
          </Field>
        )}
        <FieldSet legend="Urgence" error={errors.urgency}>
          {(["normal", "urgent"] as const).map((value) => (
            <label key={value} className="inline">
              <input
                type="radio"
                name="urgency"
                value={value}
                checked={draft.urgency === value}
                onChange={() => update({ urgency: value })}
              />
              {value === "urgent" ? "Urgente" : "Normale"}
            </label>
          ))}
        </FieldSet>
        <FieldSet
          legend="Problématiques"
          error={errors.problem_types ?? Object.entries(errors).find(([k]) => k.startsWith("problem_types["))?.[1]}
        >
          <CheckboxGroup
            choices={reference.problemChoices}
            value={draft.problem_types}
            onChange={(problem_types) => update({ problem_types })}
          />
        </FieldSet>
        <Field
          label="Résumé des faits et de la demande"
          error={errors.summary}
          required
          hint="Quelques lignes factuelles : ce qui s'est passé, ce que la personne attend."
        >
          {(c) => <textarea {...c} rows={5} value={draft.summary} onChange={(e) => update({ summary: e.target.value })} />}
        </Field>
        <div className="grid-3">
          <LabelSelect
            label="Procédure judiciaire en cours"
            error={errors.judicial_proceedings}
            labels={judicial}
            value={draft.judicial_proceedings}
            onChange={(value) => update({ judicial_proceedings: value as JudicialProceedings })}
          />
          <LabelSelect
            label="Intervention à l'origine"
            error={errors.police_contact}
            labels={policeContact}
            placeholder="— non précisé —"
            value={draft.police_contact}
            onChange={(value) => update({ police_contact: value })}
          />
          <LabelSelect
            label="Enfants présents ou exposés"
            error={errors.children_exposed}
            labels={answer}
            value={draft.children_exposed}
            onChange={(value) => update({ children_exposed: value, children_count: value === "yes" ? draft.children_count : "" })}
          />
          {draft.children_exposed === "yes" && (
            <Field label="Nombre d'enfants" error={errors.children_count}>
              {(c) => (
                <input
                  {...c}
                  type="number"
                  min={1}
                  max={20}
                  value={draft.children_count}
                  onChange={(e) => update({ children_count: e.target.value })}
                />
              )}
            </Field>
          )}
          <Field label="Référence de l'agent" error={errors.agent_reference}>
            {(c) => <input {...c} value={draft.agent_reference} onChange={(e) => update({ agent_reference: e.target.value })} />}
          </Field>
          <Field label="Numéro de procédure" error={errors.procedure_reference}>
            {(c) => <input {...c} value={draft.procedure_reference} onChange={(e) => update({ procedure_reference: e.target.value })} />}
          </Field>
        </div>
        <h2>Personnes concernées</h2>
        {errors.persons && <p className="error-text">{errors.persons}</p>}
        {draft.persons.map((person, index) => (
          <PersonFields
            key={index}
            index={index}
            person={person}
            errors={errors}
            onChange={(p) => update({ persons: draft.persons.map((q, i) => (i === index ? p : q)) })}
            onRemove={draft.persons.length > 1 ? () => update({ persons: draft.persons.filter((_, i) => i !== index) }) : undefined}
          />
        ))}
        <p>
          <button
            type="button"
            className="button-secondary"
            onClick={() => update({ persons: [...draft.persons, { ...emptyPerson(), role: "other" }] })}
          >
            Ajouter une personne
          </button>
        </p>
        <button type="submit" className="button" disabled={busy}>
          {busy ? "Transmission…" : "Transmettre la saisine"}
        </button>
      </form>
    </section>
  );
}
