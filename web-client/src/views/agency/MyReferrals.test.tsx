import { render, screen, within } from "@testing-library/react";
import { expect, test } from "vitest";
import { App } from "../../App";
import { SessionProvider } from "../../session";
import { fakeToken, json, on, signedInAs, stubFetch } from "../../test-support";

const person = { role: "victim", initials: "S. L.", last_name: "Lefèvre", first_name: "Sandrine", safe_contact: null, consent: null };
const referral = {
  source: "gendarmerie",
  status_history: [],
  received_at: "2026-09-01T08:00:00Z",
  urgency: "urgent",
  agent_reference: "MDL Test",
  procedure_reference: null,
  problem_types: ["domestic_violence"],
  judicial_proceedings: "yes",
};

test("a settled referral past its period shows the persons' initials only, and says since when", async () => {
  stubFetch(
    on("GET", "/api/v1/referrals", () =>
      json(200, {
        items: [
          {
            ...referral,
            id: "r-new",
            status: "received",
            status_changed_at: "2026-11-20T08:00:00Z",
            summary: "Dispute",
            persons: [person],
            personal_data_until: null,
            minimised: false,
          },
          {
            ...referral,
            id: "r-old",
            status: "declined",
            status_changed_at: "2026-09-02T08:00:00Z",
            summary: null,
            persons: [{ role: "victim", initials: "M. D.", last_name: null, first_name: null, safe_contact: null, consent: null }],
            personal_data_until: "2026-10-02T08:00:00Z",
            minimised: true,
          },
        ],
        next_cursor: null,
      }),
    ),
  );
  signedInAs("gnd.leroy", fakeToken({ scope: "gendarmerie" }));
  window.history.pushState(null, "", "/");
  render(
    <SessionProvider>
      <App />
    </SessionProvider>,
  );
  const table = await screen.findByRole("table", { name: "Saisines transmises et leur suivi" });
  const rows = within(table).getAllByRole("row");
  expect(rows[1]?.textContent).toContain("Sandrine Lefèvre");
  expect(rows[2]?.textContent).toContain("M. D. (identités retirées le 2 oct. 2026)");
});
