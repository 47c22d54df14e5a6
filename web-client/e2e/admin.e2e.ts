// The administration of a CCAS in Chromium: its units, a site's opening hours, an account with
// a one-time password, an API client whose secret is shown once, the units' webhooks and the
// access log with its CSV. A coordinator without `admin` sees none of it.
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, expect, inject, test } from "vitest";
import type { Browser, Page } from "playwright-core";
import { PASSWORD, launch, newPage, screenshot, signIn } from "./browser";

let browser: Browser;
let admin: Page;
const errors: string[] = [];
const violations: string[] = [];

beforeAll(async () => {
  browser = await launch();
  admin = await newPage(browser, errors);
  await signIn(admin, inject("baseUrl"), "nadia.admin", PASSWORD);
  await admin.getByRole("link", { name: "Administration" }).click();
  await admin.getByRole("heading", { level: 1, name: "Administration" }).waitFor();
});
afterAll(async () => {
  await browser?.close();
});

test("a unit is created, renamed and deactivated", async () => {
  await admin.getByRole("link", { name: "Unités" }).click();
  const form = admin.getByRole("form", { name: "Nouvelle unité" });
  await form.getByLabel("Nom de l'unité").fill("Commissariat de Rezé");
  await form.getByLabel("Type").selectOption("police_nationale");
  await form.getByRole("button", { name: "Ajouter l'unité" }).click();
  const row = admin.getByRole("row", { name: /Commissariat de Rezé/ });
  await row.waitFor();
  expect(await row.textContent()).toContain("Police nationale");
  await row.getByRole("button", { name: /Renommer/ }).click();
  await admin.getByLabel("Nouveau nom").fill("Commissariat de Rezé-Bouguenais");
  await admin.getByRole("button", { name: "Enregistrer le nom" }).click();
  const renamed = admin.getByRole("row", { name: /Commissariat de Rezé-Bouguenais/ });
  await renamed.waitFor();
  await renamed.getByRole("button", { name: /Désactiver/ }).click();
  await expect.poll(() => renamed.textContent()).toContain("Désactivée");
  await screenshot(admin, "admin-units", violations);
});

test("a site's weekly hours are set, and unreadable hours are said so", async () => {
  await admin.getByRole("link", { name: "Sites et horaires" }).click();
  await admin.getByRole("button", { name: "Ajouter un site" }).click();
  const form = admin.getByRole("form", { name: "Nouveau site" });
  await form.getByLabel("Nom du site").fill("Commissariat de Rezé — bureau");
  await form.getByLabel("Lundi").fill("09:00-12:00, 14:00-17:00");
  await form.getByLabel("Mardi").fill("le matin");
  await form.getByRole("button", { name: "Enregistrer le site" }).click();
  await form.getByText("Horaires illisibles").waitFor();
  await form.getByLabel("Mardi").fill("9h30-12h00");
  await form.getByRole("button", { name: "Enregistrer le site" }).click();
  const card = admin.locator(".card", { hasText: "Commissariat de Rezé — bureau" });
  await card.getByText("09:00-12:00, 14:00-17:00").waitFor();
  expect(await card.textContent()).toContain("09:30-12:00");
  await screenshot(admin, "admin-sites", violations);
});

test("an account gets a one-time password, which its owner must change at first sign-in", async () => {
  await admin.getByRole("link", { name: "Comptes" }).click();
  const form = admin.getByRole("form", { name: "Nouveau compte" });
  await form.getByLabel("Nom et prénom").fill("Léa Durand");
  await form.getByLabel("Identifiant").fill("lea.durand");
  await form.getByLabel("Mot de passe à usage unique").fill("un mot de passe provisoire");
  await form.getByRole("button", { name: "Créer le compte" }).click();
  const row = admin.getByRole("row", { name: /Léa Durand/ });
  await row.waitFor();
  // The one-time password opens no session: it must be changed first.
  const response = await fetch(`${inject("baseUrl")}/api/v1/auth/token`, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ grant_type: "password", username: "lea.durand", password: "un mot de passe provisoire" }),
  });
  expect(((await response.json()) as { code?: string }).code).toBe("password_change_required");
  await row.getByRole("button", { name: /Nouveau mot de passe/ }).click();
  await admin
    .getByRole("form", { name: "Nouveau mot de passe pour Léa Durand" })
    .getByLabel("Mot de passe à usage unique")
    .fill("un autre mot de passe provisoire");
  await admin.getByRole("button", { name: "Enregistrer le mot de passe" }).click();
  await row.getByText("Mot de passe à usage unique enregistré.").waitFor();
  await row.getByRole("button", { name: /Désactiver/ }).click();
  await expect.poll(() => row.textContent()).toContain("Désactivé");
  await screenshot(admin, "admin-accounts", violations);
});

test("an API client's secret is shown once, then the client is revoked", async () => {
  await admin.getByRole("link", { name: "Clients API" }).click();
  const form = admin.getByRole("form", { name: "Nouveau client API" });
  await form.getByLabel("Nom du logiciel").fill("Logiciel de la police municipale");
  await form.getByRole("button", { name: "Créer le client API" }).click();
  const secret = await admin.getByTestId("client-secret").textContent();
  expect(secret?.length).toBeGreaterThan(20);
  await admin.getByRole("button", { name: "J'ai copié le secret" }).click();
  expect(await admin.getByTestId("client-secret").count()).toBe(0);
  const row = admin.getByRole("row", { name: /Logiciel de la police municipale/ });
  await row.getByRole("button", { name: /Révoquer/ }).click();
  await expect.poll(() => row.textContent()).toContain("Révoqué");
  expect(await admin.content()).not.toContain(secret ?? "never");
});

/** An access token of the brigade's account, as its software would hold one. */
async function unitToken(): Promise<string> {
  const response = await fetch(`${inject("baseUrl")}/api/v1/auth/token`, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ grant_type: "password", username: "gnd.leroy", password: PASSWORD }),
  });
  return ((await response.json()) as { access_token: string }).access_token;
}

test("the units' webhooks are listed and suspended, and the access log filters and downloads", async () => {
  const subscribed = await fetch(`${inject("baseUrl")}/api/v1/webhook-subscriptions`, {
    method: "POST",
    headers: { Authorization: `Bearer ${await unitToken()}`, "Content-Type": "application/json" },
    body: JSON.stringify({ url: "https://logiciel.brigade.example.fr/relais", events: ["referral.status_changed"] }),
  });
  expect(subscribed.status).toBe(201);
  await admin.getByRole("link", { name: "Webhooks" }).click();
  const row = admin.getByRole("row", { name: /Brigade de Saint-Herblain/ });
  await row.waitFor();
  expect(await row.textContent()).toContain("https://logiciel.brigade.example.fr/relais");
  await row.getByRole("button", { name: /Suspendre/ }).click();
  await expect.poll(() => row.textContent()).toContain("Suspendu (désactivé par un administrateur)");
  await screenshot(admin, "admin-webhooks", violations);
  await admin.getByRole("link", { name: "Journal des accès" }).click();
  const filter = admin.getByRole("search", { name: "Filtrer le journal" });
  await filter.getByLabel("Action").fill("api_client.create");
  await filter.getByRole("button", { name: "Filtrer" }).click();
  const rows = admin.getByRole("table", { name: "Événements du journal" }).locator("tbody tr");
  await expect.poll(() => rows.count()).toBe(1);
  expect(await rows.first().textContent()).toContain("api_client.create");
  await screenshot(admin, "admin-access-log", violations);
  const download = admin.waitForEvent("download");
  await admin.getByRole("button", { name: "Télécharger le journal (CSV)" }).click();
  const csv = readFileSync(await (await download).path(), "utf8");
  expect(csv).toContain("api_client.create");
  expect(violations).toEqual([]);
  expect(errors).toEqual([]);
});

test("a coordinator without the admin scope sees no administration", async () => {
  const coordinatorErrors: string[] = [];
  const coordinator = await newPage(browser, coordinatorErrors);
  await signIn(coordinator, inject("baseUrl"), "claire.martin", PASSWORD);
  await coordinator.getByRole("link", { name: "Partenaires" }).waitFor();
  expect(await coordinator.getByRole("link", { name: "Administration" }).count()).toBe(0);
  await coordinator.goto(`${inject("baseUrl")}/administration/comptes`);
  await coordinator.getByRole("heading", { name: /Page introuvable/ }).waitFor();
});
