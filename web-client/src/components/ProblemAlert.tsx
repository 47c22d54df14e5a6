// The message of a failed API call, announced to screen readers.
import { useEffect, useRef } from "react";
import { problemMessage, type ApiProblem } from "../api/problem";

export function ProblemAlert({ problem }: { problem: ApiProblem | null | undefined }) {
  if (!problem) return null;
  return (
    <div className="alert alert-error" role="alert">
      {problemMessage(problem.problem)}
      <Reference problem={problem} />
    </div>
  );
}

/** For a server's failure, the request's reference: what support looks up in the logs. */
function Reference({ problem }: { problem: ApiProblem }) {
  if (problem.status < 500 || !problem.problem.request_id) return null;
  return <span className="small"> Référence à donner au support : {problem.problem.request_id}.</span>;
}

/** For a refused form: the general message and how many fields are flagged next to them. It
 * takes the focus when it appears, so that a keyboard or screen reader user lands on what to
 * correct rather than at the top of the page. */
export function FormErrors({ problem }: { problem: ApiProblem | null }) {
  const summary = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (problem) summary.current?.focus();
  }, [problem]);
  if (!problem) return null;
  const count = Object.keys(problem.fields()).length;
  return (
    <div className="alert alert-error" role="alert" tabIndex={-1} ref={summary}>
      {problemMessage(problem.problem)}
      <Reference problem={problem} />
      {count > 0 && <span> {count === 1 ? "1 champ est signalé ci-dessous." : `${count} champs sont signalés ci-dessous.`}</span>}
    </div>
  );
}
