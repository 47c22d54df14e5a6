// Importing partners from a data·inclusion file (the open data of social-inclusion structures
// and services): chosen on the coordinator's computer, sent as it is, and what came of it said
// in words. A second import of the same structures updates them.
import { useState } from "react";
import { api, ok } from "../api/client";
import type { components } from "../api/schema";
import { Field } from "../components/Field";
import { FormErrors } from "../components/ProblemAlert";
import { useAction } from "../components/useLoad";
import { ApiProblem } from "../api/problem";

type Summary = components["schemas"]["ImportSummary"];
type Document = components["schemas"]["Document"];

const REASONS: Record<string, string> = {
  invalid_name: "nom manquant",
  invalid_id: "identifiant manquant",
  duplicate_id: "structure en double dans le fichier",
  invalid_fields: "champs invalides",
};

export function DataInclusionImport({ onDone }: { onDone: () => void }) {
  const [file, setFile] = useState<File | null>(null);
  const [summary, setSummary] = useState<Summary | null>(null);
  const action = useAction();
  return (
    <form
      className="card"
      aria-label="Importer des partenaires data·inclusion"
      onSubmit={action.handleSubmit(async () => {
        if (!file) return;
        let document: Document;
        try {
          document = JSON.parse(await file.text()) as Document;
        } catch {
          // Read here, before anything is sent: the API never sees an unreadable file.
          throw new ApiProblem(400, { type: "about:blank", title: "unreadable file", status: 400, code: "unreadable_file" });
        }
        setSummary(await ok(api.POST("/api/v1/partners/import/data-inclusion", { body: document })));
        onDone();
      })}
    >
      <FormErrors problem={action.problem} />
      <Field label="Fichier data·inclusion (JSON)" hint="Structures et services au format data·inclusion ; 64 Ko au plus.">
        {(c) => <input {...c} type="file" accept="application/json,.json" onChange={(e) => setFile(e.target.files?.[0] ?? null)} />}
      </Field>
      <button type="submit" className="button" disabled={!file || action.busy}>
        Importer le fichier
      </button>
      {summary && (
        <div role="status">
          <p>
            {summary.created} partenaire{summary.created > 1 ? "s" : ""} ajouté{summary.created > 1 ? "s" : ""}, {summary.updated} mis à
            jour.
          </p>
          {summary.skipped.length > 0 && (
            <ul>
              {summary.skipped.map((s) => (
                <li key={s.id}>
                  {s.id} ignorée : {REASONS[s.reason] ?? s.reason}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </form>
  );
}
