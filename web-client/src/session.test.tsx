import { render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { expect, test } from "vitest";
import { App } from "./App";
import { SessionProvider } from "./session";
import { fakeToken, json, on, signedInAs, stubFetch } from "./test-support";

const reference = [
  on("GET", "/api/v1/problem-types", () => json(200, [{ code: "domestic_violence", label_fr: "Violences conjugales" }])),
  on("GET", "/api/v1/coordinators", () => json(200, [{ id: "user-1", display_name: "Claire Martin" }])),
  on("GET", "/api/v1/sites", () => json(200, { items: [] })),
];

test("when the token expires, the sign-in dialog covers the page and what was typed is kept", async () => {
  signedInAs("claire.martin", fakeToken({ expiresInSeconds: 2 }));
  const requests = stubFetch(
    ...reference,
    on("POST", "/api/v1/auth/token", () =>
      json(200, { access_token: fakeToken({}), token_type: "Bearer", expires_in: 900, scope: "ccas" }),
    ),
  );
  window.history.pushState(null, "", "/saisines/nouvelle");
  const user = userEvent.setup();
  render(
    <SessionProvider>
      <App />
    </SessionProvider>,
  );
  const summary = await screen.findByLabelText(/Résumé des faits/);
  await user.click(summary);
  await user.paste("Madame appelle depuis le domicile de sa sœur.");

  const dialog = await screen.findByRole("dialog", { name: "Session expirée" }, { timeout: 4000 });
  expect((screen.getByLabelText(/^Identifiant/) as HTMLInputElement).value).toBe("claire.martin");
  await user.type(screen.getByLabelText(/^Mot de passe/), "le mot de passe");
  await user.click(screen.getByRole("button", { name: "Se connecter" }));

  await waitFor(() => expect(dialog.isConnected).toBe(false));
  expect((screen.getByLabelText(/Résumé des faits/) as HTMLTextAreaElement).value).toBe("Madame appelle depuis le domicile de sa sœur.");
  const signIn = requests.find((r) => r.url.endsWith("/api/v1/auth/token"));
  expect(new URLSearchParams(await signIn?.text()).get("username")).toBe("claire.martin");
});

test("empty fields and a wrong password are said in French, and the form stays", async () => {
  stubFetch(
    on("POST", "/api/v1/auth/token", () =>
      json(400, { type: "urn:relais:problem:invalid_grant", title: "", status: 400, code: "invalid_grant" }, "application/problem+json"),
    ),
  );
  window.history.pushState(null, "", "/");
  const user = userEvent.setup();
  render(
    <SessionProvider>
      <App />
    </SessionProvider>,
  );
  await user.click(screen.getByRole("button", { name: "Se connecter" }));
  expect(screen.getByLabelText(/^Identifiant/).getAttribute("aria-invalid")).toBe("true");
  await user.type(screen.getByLabelText(/^Identifiant/), "claire.martin");
  await user.type(screen.getByLabelText(/^Mot de passe/), "faux");
  await user.click(screen.getByRole("button", { name: "Se connecter" }));
  expect((await screen.findByRole("alert")).textContent).toBe("Identifiant ou mot de passe incorrect.");
  expect((screen.getByLabelText(/^Identifiant/) as HTMLInputElement).value).toBe("claire.martin");
});

test("a gendarme typing a situation's address gets no situation page", async () => {
  signedInAs("gnd.leroy", fakeToken({ scope: "gendarmerie" }));
  const requests = stubFetch(
    reference[0]!,
    on("GET", "/api/v1/referrals", () => json(200, { items: [] })),
  );
  window.history.pushState(null, "", "/situations/0193a1b2-0000-7000-8000-000000000000");
  render(
    <SessionProvider>
      <App />
    </SessionProvider>,
  );
  expect(await screen.findByRole("heading", { name: "Page introuvable" })).toBeTruthy();
  expect(requests.some((r) => r.url.includes("/situations"))).toBe(false);
  expect(screen.queryByRole("link", { name: "Situations" })).toBeNull();
});
