import { render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { expect, test } from "vitest";
import { App } from "../../App";
import { SessionProvider } from "../../session";
import { fakeToken, json, on, signedInAs, stubFetch } from "../../test-support";

const problemTypes = on("GET", "/api/v1/problem-types", () => json(200, [{ code: "domestic_violence", label_fr: "Violences conjugales" }]));

function renderForm() {
  signedInAs("gnd.leroy", fakeToken({ scope: "gendarmerie" }));
  window.history.pushState(null, "", "/saisir");
  render(
    <SessionProvider>
      <App />
    </SessionProvider>,
  );
}

/** The error message a screen reader reads for a control. */
function errorOf(control: HTMLElement): string | null | undefined {
  const ids = control.getAttribute("aria-describedby")?.split(" ") ?? [];
  return ids.map((id) => document.getElementById(id)).find((el) => el?.className === "error-text")?.textContent;
}

test("the API's refusal shows in French next to each field, and a corrected form is a new request", async () => {
  let posts = 0;
  const requests = stubFetch(
    problemTypes,
    on("POST", "/api/v1/referrals", () =>
      ++posts === 1
        ? json(
            422,
            {
              type: "urn:relais:problem:validation_failed",
              title: "The request is not valid",
              status: 422,
              code: "validation_failed",
              errors: [
                { field: "persons[0].phone", code: "phone", message: "is not a valid phone number (French, or with its country code)" },
                { field: "summary", code: "length", message: "must be between 1 and 4000 characters long" },
              ],
            },
            "application/problem+json",
          )
        : json(201, { id: "r-1" }),
    ),
  );
  renderForm();
  const user = userEvent.setup();
  await user.click(await screen.findByLabelText("Violences conjugales"));
  await user.type(screen.getByLabelText("Nom"), "Durand");
  await user.type(screen.getByLabelText("Téléphone"), "appelez-moi");
  await user.click(screen.getByRole("button", { name: "Transmettre la saisine" }));

  expect((await screen.findByRole("alert")).textContent).toBe("Certains champs sont à corriger. 2 champs sont signalés ci-dessous.");
  // The focus lands on the summary, not at the top of the page.
  await waitFor(() => expect(document.activeElement).toBe(screen.getByRole("alert")));
  const phone = screen.getByLabelText("Téléphone");
  expect(phone.getAttribute("aria-invalid")).toBe("true");
  expect(errorOf(phone)).toBe("Numéro invalide : un numéro français (06 12 34 56 78) ou avec l’indicatif du pays (+32 …).");
  expect(errorOf(screen.getByLabelText(/Résumé des faits/))).toBe("Obligatoire, 4000 caractères au plus.");

  await user.clear(phone);
  await user.type(phone, "06 12 34 56 78");
  await user.type(screen.getByLabelText(/Résumé des faits/), "Violences signalées cette nuit.");
  await user.click(screen.getByRole("button", { name: "Transmettre la saisine" }));
  expect((await screen.findByRole("status")).textContent).toContain("Saisine transmise à la coordination sociale.");

  const sent = requests.filter((r) => r.method === "POST");
  expect(sent).toHaveLength(2);
  const keys = sent.map((r) => r.headers.get("Idempotency-Key"));
  expect(keys[0]).toMatch(/^[0-9a-f-]{36}$/);
  expect(keys[1]).not.toBe(keys[0]);
  const body = await sent[1]?.json();
  expect(body).toMatchObject({
    problem_types: ["domestic_violence"],
    summary: "Violences signalées cette nuit.",
    persons: [{ last_name: "Durand", phone: "06 12 34 56 78" }],
  });
  expect(body).not.toHaveProperty("source");
});

test("sending again after a network failure replays the same request", async () => {
  let posts = 0;
  const requests = stubFetch(
    problemTypes,
    on("POST", "/api/v1/referrals", () => {
      if (++posts === 1) throw new TypeError("Failed to fetch");
      return json(201, { id: "r-1" });
    }),
  );
  renderForm();
  const user = userEvent.setup();
  await user.type(await screen.findByLabelText("Nom"), "Durand");
  await user.type(screen.getByLabelText(/Résumé des faits/), "Appel de la voisine.");
  await user.click(screen.getByRole("button", { name: "Transmettre la saisine" }));
  expect((await screen.findByRole("alert")).textContent).toContain("Le serveur ne répond pas.");
  await user.click(screen.getByRole("button", { name: "Transmettre la saisine" }));
  await screen.findByRole("status");
  await waitFor(() => expect(requests.filter((r) => r.method === "POST")).toHaveLength(2));
  const [first, second] = requests.filter((r) => r.method === "POST").map((r) => r.headers.get("Idempotency-Key"));
  expect(second).toBe(first);
});
