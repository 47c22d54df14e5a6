// One referral and its triage: contact attempts, then accept into a new or an open situation
// (answering the duplicate-person question), or decline with a reason.
import { birthText, fullName, identityLine } from "../names";
import { SafeContactLine } from "../components/SafeContactLine";
import { CoordinatorOptions, LabelSelect } from "../components/Choices";
import { useState } from "react";
import { Link, useLocation } from "wouter";
import { api, ok } from "../api/client";
import { ApiProblem } from "../api/problem";
import type { CcasReferral, ContactChannel, ContactOutcome, DeclineReason, Person, ReferralPerson, Situation } from "../api/types";
import { SituationPicker } from "../components/SituationPicker";
import { Field, FieldSet } from "../components/Field";
import { PageTitle } from "../components/Layout";
import { FormErrors, ProblemAlert } from "../components/ProblemAlert";
import { useAction, useLoad } from "../components/useLoad";
import {
  answer,
  childrenText,
  consent,
  contactChannel,
  contactOutcome,
  declineReason,
  judicial,
  policeContact,
  referralStatus,
  role,
  source,
  urgency,
} from "../labels";
import { useReference } from "../reference";
import { useSession } from "../session";
import { formatDateTime } from "../time";
import { situationTitle } from "./Situations";

export function ReferralTriage({ id }: { id: string }) {
  const referral = useLoad(
    ["ReferralTriage.referral", id],
    async (signal) => (await ok(api.GET("/api/v1/referrals/{id}", { signal, params: { path: { id } } }))) as CcasReferral,
  );
  const r = referral.data;
  return (
    <section>
      <p>
        <Link href="/saisines">← Saisines</Link>
      </p>
      <PageTitle title="Saisine">Saisine {r && `du ${formatDateTime(r.received_at)}`}</PageTitle>
      <ProblemAlert problem={referral.problem} />
      {r && (
        <div className="two-columns">
          <ReferralDetails referral={r} />
          <div>
            {r.status === "accepted" && r.situation_id && (
              <div className="alert alert-success">
                Prise en charge. <Link href={`/situations/${r.situation_id}`}>Ouvrir la situation</Link>
              </div>
            )}
            {r.status === "declined" && (
              <div className="alert">Non retenue : {r.decline_reason ? declineReason[r.decline_reason] : "—"}</div>
            )}
            {(r.status === "received" || r.status === "contact_attempted") && (
              <>
                <ContactAttemptForm referral={r} onDone={referral.reload} />
                <AcceptForm referral={r} />
                <DeclineForm referral={r} onDone={referral.reload} />
              </>
            )}
          </div>
        </div>
      )}
    </section>
  );
}

function ReferralDetails({ referral: r }: { referral: CcasReferral }) {
  const reference = useReference();
  return (
    <div>
      <dl className="facts">
        <dt>Statut</dt>
        <dd>
          <span className={`status status-${r.status}`}>{referralStatus[r.status]}</span>
        </dd>
        <dt>Origine</dt>
        <dd>{r.referring_organisation?.name ?? source[r.source]}</dd>
        <dt>Urgence</dt>
        <dd>{urgency[r.urgency]}</dd>
        <dt>Problématiques</dt>
        <dd>{r.problem_types.map(reference.problemLabel).join(", ") || "—"}</dd>
        <dt>Procédure judiciaire</dt>
        <dd>{judicial[r.judicial_proceedings]}</dd>
        <dt>Intervention à l'origine</dt>
        <dd>{r.police_contact ? policeContact[r.police_contact] : "Non précisée"}</dd>
        <dt>Enfants présents ou exposés</dt>
        <dd>{childrenText(r)}</dd>
        {r.procedure_reference && (
          <>
            <dt>N° de procédure</dt>
            <dd>{r.procedure_reference}</dd>
          </>
        )}
      </dl>
      <h2>Résumé</h2>
      <p className="prewrap">{r.summary}</p>
      <h2>Personnes</h2>
      {r.persons.map((p, i) => (
        <ReferralPersonCard key={i} person={p} />
      ))}
      {r.contact_attempts.length > 0 && (
        <>
          <h2>Tentatives de contact</h2>
          <ul className="plain-list">
            {r.contact_attempts.map((a) => (
              <li key={a.id}>
                {formatDateTime(a.at)} · {contactChannel[a.channel]} · {contactOutcome[a.outcome]}
                {a.note && <span className="muted"> — {a.note}</span>}
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}

function ReferralPersonCard({ person: p }: { person: ReferralPerson }) {
  return (
    <div className="card">
      <strong>{fullName(p)}</strong> · {role[p.role]}
      {p.birth_date && ` · ${birthText(p)}`}
      {p.age != null && <> · {p.age} ans</>}
      <div>{[p.phone && `Tél. ${p.phone}`, p.commune].filter(Boolean).join(" · ")}</div>
      <SafeContactLine contact={p.safe_contact}> · Accord : {consent[p.consent]}</SafeContactLine>
      <div>
        {[
          p.best_time && `À joindre : ${p.best_time}`,
          p.best_channel && `de préférence ${contactChannel[p.best_channel].toLowerCase()}`,
          `informée de la coordination : ${answer[p.informed_of_coordination].toLowerCase()}`,
        ]
          .filter(Boolean)
          .join(", ")}
      </div>
    </div>
  );
}

function ContactAttemptForm({ referral, onDone }: { referral: CcasReferral; onDone: () => void }) {
  const [channel, setChannel] = useState<ContactChannel>("phone");
  // What came of the attempt is the coordinator's to say: nothing is pre-set.
  const [outcome, setOutcome] = useState<ContactOutcome | "">("");
  const [note, setNote] = useState("");
  const { problem, errors, busy, handleSubmit } = useAction();
  const submit = handleSubmit(async () => {
    if (outcome === "") return; // the select is required: the browser asks for it first
    await ok(
      api.POST("/api/v1/referrals/{id}/contact-attempts", {
        params: { path: { id: referral.id } },
        body: { channel, outcome, note: note.trim() || null },
      }),
    );
    setNote("");
    setOutcome("");
    onDone();
  });
  return (
    <form className="card" onSubmit={submit} aria-labelledby="contact-title">
      <h2 id="contact-title">Tentative de contact</h2>
      <FormErrors problem={problem} />
      <div className="grid-2">
        <LabelSelect label="Moyen" error={errors.channel} labels={contactChannel} value={channel} onChange={setChannel} />
        <LabelSelect
          label="Résultat"
          error={errors.outcome}
          labels={contactOutcome}
          value={outcome}
          onChange={setOutcome}
          placeholder="— Choisir —"
          required
        />
      </div>
      <Field label="Note (facultative)" error={errors.note}>
        {(c) => <input {...c} value={note} onChange={(e) => setNote(e.target.value)} />}
      </Field>
      <button className="button-secondary" type="submit" disabled={busy}>
        Enregistrer la tentative
      </button>
    </form>
  );
}

interface DuplicateQuestion {
  index: number;
  candidates: Person[];
}

type Choice = { person_id: string } | { confirm_distinct: true } | Record<string, never>;

function AcceptForm({ referral }: { referral: CcasReferral }) {
  const session = useSession();
  const reference = useReference();
  const [, navigate] = useLocation();
  const isCoordinator = reference.coordinators.some((c) => c.id === session.claims?.sub);
  // Me by default, once the coordinators are known.
  const [chosenCoordinator, setCoordinator] = useState<string | null>(null);
  const coordinator = chosenCoordinator ?? (isCoordinator ? (session.claims?.sub ?? "") : "");
  const [target, setTarget] = useState<"new" | "existing">("new");
  const [situationId, setSituationId] = useState("");
  // The open files of the known persons chosen: proposed first, so that one person does not
  // end up with two open files.
  const [proposed, setProposed] = useState<Situation[]>([]);
  const [questions, setQuestions] = useState<DuplicateQuestion[]>([]);
  const [choices, setChoices] = useState<Choice[]>(() => referral.persons.map(() => ({})));
  const { problem, errors, busy, handleSubmit, setProblem } = useAction();

  const submit = handleSubmit(async () => {
    try {
      const accepted = await ok(
        api.POST("/api/v1/referrals/{id}/accept", {
          params: { path: { id: referral.id } },
          body: {
            situation_id: target === "existing" ? situationId || null : null,
            coordinator_id: target === "new" ? coordinator || null : null,
            persons: choices,
          },
        }),
      );
      navigate(`/situations/${accepted.situation_id}`);
    } catch (error) {
      if (error instanceof ApiProblem && error.problem.code === "possible_duplicate" && Array.isArray(error.problem.conflicts)) {
        setQuestions(error.problem.conflicts as unknown as DuplicateQuestion[]);
        setProblem(null);
        return;
      }
      throw error;
    }
  });

  const chooseKnown = (index: number, candidate: Person) => {
    setChoices((cs) => cs.map((c, i) => (i === index ? { person_id: candidate.id } : c)));
    void api.GET("/api/v1/situations", { params: { query: { person_id: candidate.id, status: "open", limit: 5 } } }).then(({ data }) => {
      const open = data?.items ?? [];
      if (open.length === 0) return;
      setProposed((known) => [...known, ...open.filter((s) => !known.some((k) => k.id === s.id))]);
      setTarget("existing");
      setSituationId((chosen) => chosen || (open[0]?.id ?? ""));
    });
  };

  const personLabel = (index: number) => {
    const p = referral.persons[index];
    return p && (p.first_name || p.last_name) ? fullName(p) : `Personne ${index + 1}`;
  };

  return (
    <form className="card" onSubmit={submit} aria-labelledby="accept-title">
      <h2 id="accept-title">Prendre en charge</h2>
      <FormErrors problem={problem} />
      <FieldSet legend="Dans quelle situation ?">
        {proposed.map((open) => (
          <label key={open.id} className="inline">
            <input
              type="radio"
              name="target"
              checked={target === "existing" && situationId === open.id}
              onChange={() => {
                setTarget("existing");
                setSituationId(open.id);
              }}
            />
            Rattacher à son dossier ouvert : {situationTitle(open)}, ouvert le {formatDateTime(open.opened_at)} (proposé)
          </label>
        ))}
        <label className="inline">
          <input type="radio" name="target" checked={target === "new"} onChange={() => setTarget("new")} />
          Ouvrir une nouvelle situation
        </label>
        <label className="inline">
          <input
            type="radio"
            name="target"
            checked={target === "existing" && !proposed.some((p) => p.id === situationId)}
            onChange={() => {
              setTarget("existing");
              setSituationId("");
            }}
          />
          Rattacher à une autre situation ouverte
        </label>
      </FieldSet>
      {target === "new" ? (
        <Field label="Coordinateur référent" error={errors.coordinator_id}>
          {(c) => (
            <select {...c} value={coordinator} onChange={(e) => setCoordinator(e.target.value)}>
              <CoordinatorOptions empty="Non attribuée" />
            </select>
          )}
        </Field>
      ) : (
        !proposed.some((p) => p.id === situationId) && (
          <SituationPicker value={situationId} onChange={setSituationId} error={errors.situation_id} />
        )
      )}
      {questions.map((q) => (
        <FieldSet key={q.index} legend={`${personLabel(q.index)} ressemble à une personne déjà connue`}>
          {q.candidates.map((candidate) => (
            <label key={candidate.id} className="inline">
              <input
                type="radio"
                name={`duplicate-${q.index}`}
                checked={"person_id" in (choices[q.index] ?? {}) && (choices[q.index] as { person_id: string }).person_id === candidate.id}
                onChange={() => chooseKnown(q.index, candidate)}
              />
              C'est {identityLine(candidate)}
            </label>
          ))}
          <label className="inline">
            <input
              type="radio"
              name={`duplicate-${q.index}`}
              checked={"confirm_distinct" in (choices[q.index] ?? {})}
              onChange={() => setChoices((cs) => cs.map((c, i) => (i === q.index ? { confirm_distinct: true } : c)))}
            />
            C'est une autre personne
          </label>
        </FieldSet>
      ))}
      <button className="button" type="submit" disabled={busy || (target === "existing" && !situationId)}>
        Accepter la saisine
      </button>
    </form>
  );
}

function DeclineForm({ referral, onDone }: { referral: CcasReferral; onDone: () => void }) {
  const [reason, setReason] = useState<DeclineReason>("unreachable");
  const { problem, busy, handleSubmit } = useAction();
  const submit = handleSubmit(async () => {
    await ok(api.POST("/api/v1/referrals/{id}/decline", { params: { path: { id: referral.id } }, body: { reason } }));
    onDone();
  });
  return (
    <form className="card" onSubmit={submit} aria-labelledby="decline-title">
      <h2 id="decline-title">Ne pas retenir</h2>
      <FormErrors problem={problem} />
      <LabelSelect label="Motif" labels={declineReason} value={reason} onChange={setReason} />
      <button className="button-danger" type="submit" disabled={busy}>
        Ne pas retenir la saisine
      </button>
    </form>
  );
}
