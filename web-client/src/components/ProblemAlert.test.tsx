import { render, screen } from "@testing-library/react";
import { expect, test } from "vitest";
import { ApiProblem } from "../api/problem";
import { ProblemAlert } from "./ProblemAlert";

test("a server's failure gives the reference support looks up in the logs; a refusal does not", () => {
  const failure = new ApiProblem(503, {
    type: "urn:relais:problem:service_unavailable",
    title: "The service is temporarily unavailable",
    status: 503,
    code: "service_unavailable",
    request_id: "7f3a9c",
  });
  const { unmount } = render(<ProblemAlert problem={failure} />);
  expect(screen.getByRole("alert").textContent).toContain("Référence à donner au support : 7f3a9c.");
  unmount();
  const refusal = new ApiProblem(404, {
    type: "urn:relais:problem:not_found",
    title: "Not found",
    status: 404,
    code: "not_found",
    request_id: "x",
  });
  render(<ProblemAlert problem={refusal} />);
  expect(screen.getByRole("alert").textContent).not.toContain("Référence");
});
