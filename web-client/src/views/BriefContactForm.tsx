// A brief anonymous contact (a call for advice, someone who gives no name), counted in two
// clicks from the day's view: open, record. Nothing here names anyone: the API has no field
// for it. The usual case is filled in (a call from the person herself), the rest is optional.
import { useState } from "react";
import { api, ok } from "../api/client";
import type { ContactChannel, PartnerKind, Source } from "../api/types";
import { CheckboxGroup, LabelSelect } from "../components/Choices";
import { Field, FieldSet } from "../components/Field";
import { FormErrors } from "../components/ProblemAlert";
import { useAction } from "../components/useLoad";
import { contactChannel, partnerKind, source } from "../labels";
import { useReference } from "../reference";

export function BriefContactPanel() {
  const [open, setOpen] = useState(false);
  const [recorded, setRecorded] = useState(0);
  return (
    <section className="card no-print" aria-labelledby="brief-title">
      <h2 id="brief-title">Contact bref anonyme</h2>
      {recorded > 0 && (
        <p role="status" className="alert alert-success">
          {recorded === 1 ? "Contact bref enregistré." : `${recorded} contacts brefs enregistrés.`}
        </p>
      )}
      {open ? (
        <BriefContactForm onDone={() => (setRecorded((n) => n + 1), setOpen(false))} onCancel={() => setOpen(false)} />
      ) : (
        <button type="button" className="button-secondary" onClick={() => setOpen(true)}>
          Noter un contact bref
        </button>
      )}
    </section>
  );
}

function BriefContactForm({ onDone, onCancel }: { onDone: () => void; onCancel: () => void }) {
  const reference = useReference();
  const [channel, setChannel] = useState<ContactChannel>("phone");
  const [origin, setOrigin] = useState<Source>("walk_in");
  const [problemTypes, setProblemTypes] = useState<string[]>([]);
  const [partner, setPartner] = useState<PartnerKind | "">("");
  const [duration, setDuration] = useState("");
  const { problem, errors, busy, handleSubmit } = useAction();
  const submit = handleSubmit(async () => {
    await ok(
      api.POST("/api/v1/brief-contacts", {
        body: {
          channel,
          origin,
          problem_types: problemTypes,
          partner_kind: partner || null,
          duration_minutes: duration ? Number(duration) : null,
        },
      }),
    );
    onDone();
  });
  return (
    <form onSubmit={submit} aria-label="Contact bref anonyme">
      <FormErrors problem={problem} />
      <div className="grid-3">
        <LabelSelect label="Canal" error={errors.channel} labels={contactChannel} value={channel} onChange={setChannel} />
        <LabelSelect label="Origine" error={errors.origin} labels={source} value={origin} onChange={setOrigin} />
        <Field label="Durée (minutes)" error={errors.duration_minutes}>
          {(c) => <input {...c} type="number" min={1} max={480} value={duration} onChange={(e) => setDuration(e.target.value)} />}
        </Field>
      </div>
      <FieldSet legend="Problématiques" error={errors.problem_types}>
        <CheckboxGroup choices={reference.problemChoices} value={problemTypes} onChange={setProblemTypes} />
      </FieldSet>
      <LabelSelect
        label="Orientée vers (type de partenaire)"
        error={errors.partner_kind}
        labels={partnerKind}
        placeholder="— aucune orientation —"
        value={partner}
        onChange={setPartner}
      />
      <button type="submit" className="button" disabled={busy}>
        Enregistrer le contact bref
      </button>{" "}
      <button type="button" className="button-secondary" onClick={onCancel}>
        Annuler
      </button>
    </form>
  );
}
