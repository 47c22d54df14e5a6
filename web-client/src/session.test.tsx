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

/** The token endpoint: the password grant works; the refresh grant answers `refresh`. */
const tokenEndpoint = (refresh: () => Response) =>
  on("POST", "/api/v1/auth/token", async (request) => {
    const form = new URLSearchParams(await request.text());
    if (form.get("grant_type") === "refresh_token") return refresh();
    return json(200, { access_token: fakeToken({}), token_type: "Bearer", expires_in: 900, scope: "ccas", refresh_expires_in: 1800 });
  });
const revoke = on("POST", "/api/v1/auth/token/revoke", () => new Response(null, { status: 204 }));
const ended = () =>
  json(400, { type: "urn:relais:problem:invalid_grant", title: "", status: 400, code: "invalid_grant" }, "application/problem+json");
const grants = async (requests: Request[], type: string) => {
  const forms = await Promise.all(
    requests.filter((r) => r.url.endsWith("/api/v1/auth/token")).map(async (r) => new URLSearchParams(await r.clone().text())),
  );
  return forms.filter((f) => f.get("grant_type") === type);
};

function renderApp() {
  render(
    <SessionProvider>
      <App />
    </SessionProvider>,
  );
}

test("when the session has ended, the sign-in dialog covers the page and what was typed is kept", async () => {
  signedInAs("claire.martin", fakeToken({ expiresInSeconds: 2 }));
  const requests = stubFetch(...reference, tokenEndpoint(ended), revoke);
  window.history.pushState(null, "", "/saisines/nouvelle");
  const user = userEvent.setup();
  renderApp();
  const summary = await screen.findByLabelText(/Résumé des faits/);
  await user.click(summary);
  await user.paste("Madame appelle depuis le domicile de sa sœur.");

  const dialog = await screen.findByRole("dialog", { name: "Session expirée" }, { timeout: 4000 });
  expect(await grants(requests, "refresh_token")).toHaveLength(1);
  expect((screen.getByLabelText(/^Identifiant/) as HTMLInputElement).value).toBe("claire.martin");
  await user.type(screen.getByLabelText(/^Mot de passe/), "le mot de passe");
  await user.click(screen.getByRole("button", { name: "Se connecter" }));

  await waitFor(() => expect(dialog.isConnected).toBe(false));
  expect((screen.getByLabelText(/Résumé des faits/) as HTMLTextAreaElement).value).toBe("Madame appelle depuis le domicile de sa sœur.");
  const [signIn] = await grants(requests, "password");
  expect(signIn?.get("username")).toBe("claire.martin");
});

test("while the coordinator works, the access token is renewed without a dialog", async () => {
  signedInAs("claire.martin", fakeToken({ expiresInSeconds: 2 }));
  const renewed = fakeToken({ expiresInSeconds: 900 });
  const requests = stubFetch(
    ...reference,
    tokenEndpoint(() =>
      json(200, { access_token: renewed, token_type: "Bearer", expires_in: 900, scope: "ccas", refresh_expires_in: 1800 }),
    ),
    revoke,
  );
  window.history.pushState(null, "", "/saisines/nouvelle");
  const user = userEvent.setup();
  renderApp();
  await user.click(await screen.findByLabelText(/Résumé des faits/));
  await waitFor(() => expect(JSON.parse(sessionStorage.getItem("relais.session") ?? "{}").token).toBe(renewed), { timeout: 4000 });
  expect(await grants(requests, "refresh_token")).toHaveLength(1);
  expect(screen.queryByRole("dialog")).toBeNull();
  // The refresh token is never in the page's reach: not in the body read, not in storage.
  expect(sessionStorage.getItem("relais.session")).not.toContain("refresh");
});

test("after the idle time without a key press or a click, the session ends and is revoked", async () => {
  signedInAs("claire.martin", fakeToken({ expiresInSeconds: 900 }), 1);
  const requests = stubFetch(...reference, tokenEndpoint(ended), revoke);
  window.history.pushState(null, "", "/saisines/nouvelle");
  renderApp();
  await screen.findByRole("dialog", { name: "Session expirée" }, { timeout: 4000 });
  expect(requests.some((r) => r.url.endsWith("/api/v1/auth/token/revoke"))).toBe(true);
  expect(await grants(requests, "refresh_token")).toHaveLength(0);
});

test("a renewed token for another account (signed in from another tab) is not taken", async () => {
  signedInAs("claire.martin", fakeToken({ sub: "user-1", expiresInSeconds: 2 }));
  const other = fakeToken({ sub: "user-2" });
  stubFetch(
    ...reference,
    tokenEndpoint(() => json(200, { access_token: other, token_type: "Bearer", expires_in: 900, scope: "ccas" })),
    revoke,
  );
  window.history.pushState(null, "", "/saisines/nouvelle");
  const user = userEvent.setup();
  renderApp();
  await user.click(await screen.findByLabelText(/Résumé des faits/));
  await screen.findByRole("dialog", { name: "Session expirée" }, { timeout: 4000 });
  expect(sessionStorage.getItem("relais.session")).not.toContain(other);
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
