// A situation's file: persons and roles, problem types, timeline, notes, interventions,
// appointments; close and reopen.
import { CheckboxGroup, CoordinatorOptions, LabelSelect } from "../../components/Choices";
import { useState } from "react";
import { Link } from "wouter";
import { api, ifMatch, ok } from "../../api/client";
import type { Appointment, ClosingReason, JudicialProceedings, Situation } from "../../api/types";
import { Field, FieldSet } from "../../components/Field";
import { PageTitle } from "../../components/Layout";
import { PrintButton } from "../../components/PrintButton";
import { FormErrors, ProblemAlert } from "../../components/ProblemAlert";
import { useAction, useLoad } from "../../components/useLoad";
import { allPages } from "../../api/query";
import { closingReason, judicial, situationStatus } from "../../labels";
import { useReference } from "../../reference";
import { formatDateTime } from "../../time";
import { AppointmentLine } from "../shared";
import { situationTitle } from "../Situations";
import { PersonsSection } from "./PersonsSection";
import { InterventionsSection } from "./InterventionsSection";
import { NotesSection } from "./NotesSection";
import { ReferralsSection } from "./ReferralsSection";
import { TimelineSection } from "./TimelineSection";

async function loadSituation(id: string, signal: AbortSignal): Promise<Situation> {
  return ok(api.GET("/api/v1/situations/{id}", { signal, params: { path: { id } } }));
}

export function SituationFile({ id }: { id: string }) {
  const situation = useLoad(["SituationFile.situation", id], (signal) => loadSituation(id, signal));
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
      <div className="page-tools">
        <Link href="/situations">← Situations</Link>
        <PrintButton withPrivateNotes />
      </div>
      <PageTitle title="Situation">{situationTitle(s)}</PageTitle>
      <p className="lead">
        <span className={`status status-${s.status}`}>{situationStatus[s.status]}</span> · ouverte le {formatDateTime(s.opened_at)} ·
        référent : {s.coordinator?.display_name ?? "non attribuée"}
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
          <ReferralsSection situation={s} changes={changes} />
          <NotesSection situation={s} changes={changes} onChange={changed} />
          <TimelineSection situation={s} changes={changes} />
        </div>
      </div>
    </section>
  );
}

function ProblemsSection({ situation, onChange }: { situation: Situation; onChange: () => void }) {
  const reference = useReference();
  const [types, setTypes] = useState(situation.problem_types);
  const [proceedings, setProceedings] = useState<JudicialProceedings>(situation.judicial_proceedings);
  const [coordinator, setCoordinator] = useState(situation.coordinator?.id ?? "");
  const { problem, errors, busy, handleSubmit } = useAction();
  const submit = handleSubmit(async () => {
    await ok(
      api.PATCH("/api/v1/situations/{id}", {
        params: { path: { id: situation.id }, header: { "If-Match": ifMatch(situation.version) } },
        body: { problem_types: types, judicial_proceedings: proceedings, coordinator_id: coordinator || null },
        headers: { "Content-Type": "application/merge-patch+json" },
      }),
    );
    onChange();
  });
  return (
    <form className="card" onSubmit={submit} aria-labelledby="problems-title">
      <h2 id="problems-title">Problématiques et suivi</h2>
      <FormErrors problem={problem} />
      <FieldSet legend="Problématiques" error={errors.problem_types}>
        <CheckboxGroup choices={reference.problemChoices} value={types} onChange={setTypes} />
      </FieldSet>
      <div className="grid-2">
        <LabelSelect
          label="Procédure judiciaire en cours"
          error={errors.judicial_proceedings}
          labels={judicial}
          value={proceedings}
          onChange={setProceedings}
        />
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
  const list = useLoad(["SituationFile.list", situation.id, changes], async (signal) => {
    const items = await allPages((cursor) =>
      ok(api.GET("/api/v1/appointments", { signal, params: { query: { situation_id: situation.id, limit: 200, cursor } } })),
    );
    return items as Appointment[];
  });
  return (
    <section className="card" aria-labelledby="appointments-title">
      <h2 id="appointments-title">Rendez-vous</h2>
      <ProblemAlert problem={list.problem} />
      {list.data?.length === 0 && <p className="muted">Aucun rendez-vous.</p>}
      <ul className="plain-list">
        {list.data?.map((a) => (
          <li key={a.id}>
            <AppointmentLine appointment={a} withDate inFile />
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

function CloseSection({ situation, onChange }: { situation: Situation; onChange: () => void }) {
  const [reason, setReason] = useState<ClosingReason>("resolved");
  const { problem, busy, run, handleSubmit } = useAction();
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
      className="card no-print"
      aria-labelledby="close-title"
      onSubmit={handleSubmit(async () => {
        await ok(api.POST("/api/v1/situations/{id}/close", { params: { path: { id: situation.id } }, body: { reason } }));
        onChange();
      })}
    >
      <h2 id="close-title">Clore la situation</h2>
      <FormErrors problem={problem} />
      <LabelSelect label="Motif de clôture" labels={closingReason} value={reason} onChange={setReason} />
      <button className="button-danger" type="submit" disabled={busy}>
        Clore
      </button>
    </form>
  );
}
