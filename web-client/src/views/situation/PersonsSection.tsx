// The persons of a file: who they are, how to reach them safely, their role; edit them, add a
// person (known already, or new after the duplicate question), take one out of the file.
import { birthText, fullName, identityLine } from "../../names";
import { SafeContactLine } from "../../components/SafeContactLine";
import { useState } from "react";
import { api, ifMatch, ok } from "../../api/client";
import { fileName, saveFile } from "../../download";
import { ApiProblem } from "../../api/problem";
import type { Person, PersonInput, Role, Safety, Situation } from "../../api/types";
import { LabelOptions, LabelSelect } from "../../components/Choices";
import { Field } from "../../components/Field";
import { FormErrors, ProblemAlert } from "../../components/ProblemAlert";
import { useAction, useLoad } from "../../components/useLoad";
import { role, safety } from "../../labels";

export function PersonsSection({ situation, onChange }: { situation: Situation; onChange: () => void }) {
  const [adding, setAdding] = useState(false);
  const open = situation.status === "open";
  return (
    <section className="card" aria-labelledby="persons-title">
      <h2 id="persons-title">Personnes</h2>
      {situation.persons.map(({ person, role: r }) => (
        <PersonEntry key={`${person.id}/${person.version}`} situation={situation} person={person} role={r} onChange={onChange} />
      ))}
      {open && !adding && (
        <button type="button" className="button-secondary" onClick={() => setAdding(true)}>
          Ajouter une personne
        </button>
      )}
      {adding && (
        <AddPerson
          situation={situation}
          onDone={() => {
            setAdding(false);
            onChange();
          }}
          onCancel={() => setAdding(false)}
        />
      )}
    </section>
  );
}

function PersonEntry({
  situation,
  person: p,
  role: r,
  onChange,
}: {
  situation: Situation;
  person: Person;
  role: Role;
  onChange: () => void;
}) {
  const [editing, setEditing] = useState(false);
  const [removing, setRemoving] = useState(false);
  const { problem, busy, run } = useAction();
  const open = situation.status === "open";
  const path = { id: situation.id, person_id: p.id };
  const setRole = (value: Role) =>
    void run(async () => {
      await ok(api.PUT("/api/v1/situations/{id}/persons/{person_id}", { params: { path }, body: { role: value } }));
      onChange();
    });
  const remove = () =>
    void run(async () => {
      await ok(api.DELETE("/api/v1/situations/{id}/persons/{person_id}", { params: { path } }));
      onChange();
    });

  const exportData = () =>
    void run(async () => {
      const call = api.GET("/api/v1/persons/{id}/export", { params: { path: { id: p.id } }, parseAs: "blob" });
      const contents = await ok(call);
      saveFile(contents, fileName((await call).response, `personne-${p.id}.json`));
    });

  if (editing) return <EditPerson person={p} onDone={() => (setEditing(false), onChange())} onCancel={() => setEditing(false)} />;
  return (
    <div className="person">
      <strong>{fullName(p)}</strong>
      {birthText(p) && ` · ${birthText(p)}`}
      {p.phone && ` · tél. ${p.phone}`}
      {p.commune && ` · ${p.commune}`}
      <SafeContactLine contact={p.safe_contact} />
      <ProblemAlert problem={problem} />
      <Field label={`Rôle de ${p.first_name ?? p.last_name ?? "la personne"}`}>
        {(c) => (
          <select {...c} value={r} onChange={(e) => setRole(e.target.value as Role)} disabled={!open || busy}>
            <LabelOptions labels={role} />
          </select>
        )}
      </Field>
      <div className="actions">
        <button type="button" className="button-small" disabled={busy} onClick={exportData}>
          Exporter ses données (droit d’accès) <span className="visually-hidden">{fullName(p)}</span>
        </button>
      </div>
      {open && (
        <div className="actions">
          <button type="button" className="button-small" onClick={() => setEditing(true)}>
            Modifier <span className="visually-hidden">{fullName(p)}</span>
          </button>
          {removing ? (
            <>
              <button type="button" className="button-small" disabled={busy} onClick={remove}>
                Confirmer le retrait de {fullName(p)}
              </button>
              <button type="button" className="button-small" onClick={() => setRemoving(false)}>
                Garder
              </button>
            </>
          ) : (
            <button type="button" className="button-small" onClick={() => setRemoving(true)}>
              Retirer du dossier <span className="visually-hidden">{fullName(p)}</span>
            </button>
          )}
        </div>
      )}
    </div>
  );
}

type Draft = {
  last_name: string;
  first_name: string;
  birth_date: string;
  phone: string;
  commune: string;
  call: Safety;
  text: Safety;
  note: string;
};

const draftOf = (p?: Person): Draft => ({
  last_name: p?.last_name ?? "",
  first_name: p?.first_name ?? "",
  birth_date: p?.birth_date ?? "",
  phone: p?.phone ?? "",
  commune: p?.commune ?? "",
  call: p?.safe_contact.call ?? "unknown",
  text: p?.safe_contact.text ?? "unknown",
  note: p?.safe_contact.note ?? "",
});

/** The draft as the API reads it; an emptied field is `null`, which clears it. */
function toInput(d: Draft, previous?: Person): PersonInput {
  const text = (v: string) => v.trim() || null;
  return {
    last_name: text(d.last_name),
    first_name: text(d.first_name),
    birth_date: text(d.birth_date),
    phone: text(d.phone),
    commune: text(d.commune),
    safe_contact: { ...previous?.safe_contact, call: d.call, text: d.text, note: text(d.note) },
  };
}

function PersonFields({ draft, set, errors }: { draft: Draft; set: (d: Partial<Draft>) => void; errors: Record<string, string> }) {
  const input = (field: "last_name" | "first_name" | "phone" | "commune", label: string, type = "text") => (
    <Field label={label} error={errors[field]}>
      {(c) => <input {...c} type={type} autoComplete="off" value={draft[field]} onChange={(e) => set({ [field]: e.target.value })} />}
    </Field>
  );
  return (
    <>
      {errors.body && <p className="error-text">{errors.body}</p>}
      <div className="grid-2">
        {input("last_name", "Nom")}
        {input("first_name", "Prénom")}
        <Field label="Date de naissance" error={errors.birth_date}>
          {(c) => <input {...c} type="date" value={draft.birth_date} onChange={(e) => set({ birth_date: e.target.value })} />}
        </Field>
        {input("phone", "Téléphone", "tel")}
        {input("commune", "Commune")}
        <LabelSelect
          label="Peut-on l'appeler sans danger ?"
          error={errors["safe_contact.call"]}
          labels={safety}
          value={draft.call}
          onChange={(value) => set({ call: value as Safety })}
        />
        <LabelSelect
          label="Peut-on lui écrire un SMS sans danger ?"
          error={errors["safe_contact.text"]}
          labels={safety}
          value={draft.text}
          onChange={(value) => set({ text: value as Safety })}
        />
        <Field label="Précautions de contact" error={errors["safe_contact.note"]}>
          {(c) => <input {...c} value={draft.note} onChange={(e) => set({ note: e.target.value })} />}
        </Field>
      </div>
    </>
  );
}

function EditPerson({ person, onDone, onCancel }: { person: Person; onDone: () => void; onCancel: () => void }) {
  const [draft, setDraft] = useState(() => draftOf(person));
  const { problem, errors, busy, handleSubmit } = useAction();
  const submit = handleSubmit(async () => {
    await ok(
      api.PATCH("/api/v1/persons/{id}", {
        params: { path: { id: person.id }, header: { "If-Match": ifMatch(person.version) } },
        body: toInput(draft, person),
        headers: { "Content-Type": "application/merge-patch+json" },
      }),
    );
    onDone();
  });
  return (
    <form className="subform" onSubmit={submit} aria-label={`Modifier ${fullName(person)}`}>
      <FormErrors problem={problem} />
      <PersonFields draft={draft} set={(d) => setDraft((x) => ({ ...x, ...d }))} errors={errors} />
      <div className="actions">
        <button type="submit" className="button" disabled={busy}>
          Enregistrer
        </button>
        <button type="button" className="button-secondary" onClick={onCancel}>
          Annuler
        </button>
      </div>
    </form>
  );
}

/** Add a person: one already known to the CCAS, or a new one (answering the duplicate question). */
function AddPerson({ situation, onDone, onCancel }: { situation: Situation; onDone: () => void; onCancel: () => void }) {
  const [query, setQuery] = useState("");
  const [chosen, setChosen] = useState("");
  const [newRole, setNewRole] = useState<Role>("other");
  const [draft, setDraft] = useState(() => draftOf());
  const [candidates, setCandidates] = useState<Person[]>([]);
  const { problem, errors, busy, handleSubmit } = useAction();
  const known = useLoad(["PersonsSection.known", query], async (signal) => {
    if (query.trim().length < 2) return [];
    const page = await ok(api.GET("/api/v1/persons", { signal, params: { query: { q: query.trim(), limit: 20 } } }));
    return (page.items as Person[]).filter((p) => !situation.persons.some((sp) => sp.person.id === p.id));
  });

  const join = (personId: string) =>
    ok(
      api.PUT("/api/v1/situations/{id}/persons/{person_id}", {
        params: { path: { id: situation.id, person_id: personId } },
        body: { role: newRole },
      }),
    );

  const submit = handleSubmit(async () => {
    if (chosen && chosen !== "new" && chosen !== "distinct") {
      await join(chosen);
      return onDone();
    }
    try {
      const created = await ok(api.POST("/api/v1/persons", { body: { ...toInput(draft), confirm_distinct: chosen === "distinct" } }));
      await join(created.id);
      onDone();
    } catch (error) {
      if (error instanceof ApiProblem && error.problem.code === "possible_duplicate" && Array.isArray(error.problem.conflicts)) {
        setCandidates(error.problem.conflicts as unknown as Person[]);
      }
      throw error;
    }
  });

  return (
    <form className="subform no-print" onSubmit={submit} aria-labelledby="add-person-title">
      <h3 id="add-person-title">Ajouter une personne</h3>
      <FormErrors problem={problem} />
      <LabelSelect label="Rôle dans la situation" labels={role} value={newRole} onChange={setNewRole} />
      <Field label="Rechercher une personne déjà connue (nom, téléphone)">
        {(c) => <input {...c} type="search" value={query} onChange={(e) => setQuery(e.target.value)} />}
      </Field>
      {[...(known.data ?? []), ...candidates].map((p) => (
        <label key={p.id} className="inline">
          <input type="radio" name="person-choice" checked={chosen === p.id} onChange={() => setChosen(p.id)} />
          {identityLine(p)}
        </label>
      ))}
      {candidates.length > 0 && (
        <label className="inline">
          <input type="radio" name="person-choice" checked={chosen === "distinct"} onChange={() => setChosen("distinct")} />
          C'est une autre personne : la créer
        </label>
      )}
      <label className="inline">
        <input type="radio" name="person-choice" checked={chosen === "" || chosen === "new"} onChange={() => setChosen("new")} />
        Une nouvelle personne
      </label>
      {(chosen === "" || chosen === "new" || chosen === "distinct") && (
        <PersonFields draft={draft} set={(d) => setDraft((x) => ({ ...x, ...d }))} errors={errors} />
      )}
      <div className="actions">
        <button type="submit" className="button" disabled={busy}>
          Ajouter au dossier
        </button>
        <button type="button" className="button-secondary" onClick={onCancel}>
          Annuler
        </button>
      </div>
    </form>
  );
}
