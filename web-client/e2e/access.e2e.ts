// Ways in: the client hosted on another origin (its config.js naming the API, allowed by the
// API's CORS list), and the keyboard alone.
import { afterAll, beforeAll, expect, inject, test } from "vitest";
import type { Browser } from "playwright-core";
import { PASSWORD, launch, newPage, signIn } from "./browser";

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

test("a client hosted on another origin signs in and works against the API", async () => {
  const errors: string[] = [];
  const page = await newPage(browser, errors);
  const apiCalls: string[] = [];
  page.on("request", (request) => {
    if (request.url().includes("/api/v1/")) apiCalls.push(new URL(request.url()).origin);
  });
  await signIn(page, inject("elsewhereUrl"), "gnd.leroy", PASSWORD);
  await page.getByRole("heading", { name: "Mes saisines" }).waitFor();
  await page.getByRole("link", { name: "Nouvelle saisine", exact: true }).first().click();
  await page.getByLabel("Violences conjugales").waitFor();
  expect(new Set(apiCalls)).toEqual(new Set([inject("baseUrl")]));
  expect(errors).toEqual([]);
});

test("keyboard only: sign in, skip to the content, move through the menu", async () => {
  const errors: string[] = [];
  const page = await newPage(browser, errors);
  await page.goto(inject("baseUrl"));
  // "load" can come before React's first render: wait for the form, not for the page.
  await page.getByRole("heading", { name: "Connexion" }).waitFor();
  await page.keyboard.press("Tab");
  expect(await page.evaluate(() => document.activeElement?.getAttribute("name"))).toBe("username");
  await page.keyboard.type("claire.martin");
  await page.keyboard.press("Tab");
  await page.keyboard.type(PASSWORD);
  await page.keyboard.press("Enter");
  await page.getByRole("heading", { name: /Aujourd'hui/ }).waitFor();

  // The first Tab reaches the skip link, which takes the focus past the menu.
  await page.keyboard.press("Tab");
  expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("Aller au contenu");
  await page.keyboard.press("Enter");
  expect(await page.evaluate(() => document.activeElement?.id || new URL(location.href).hash)).toMatch(/contenu/);

  // Through the menu to the agenda, by keyboard; the focus lands on the new page's content.
  await page.keyboard.press("Shift+Tab");
  let guard = 0;
  while ((await page.evaluate(() => document.activeElement?.textContent)) !== "Agenda" && guard++ < 20)
    await page.keyboard.press("Shift+Tab");
  await page.keyboard.press("Enter");
  await page.getByRole("heading", { level: 1, name: "Agenda" }).waitFor();
  // The focus moves in an effect after the render: poll rather than read once.
  await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe("contenu");
  expect(errors).toEqual([]);
});

test("a session outlives its access tokens, keeps its refresh token from scripts, and ends at sign-out", async () => {
  const errors: string[] = [];
  const page = await newPage(browser, errors);
  const base = inject("baseUrl");
  const grants: string[] = [];
  page.on("request", (request) => {
    if (request.url().endsWith("/api/v1/auth/token")) grants.push(new URLSearchParams(request.postData() ?? "").get("grant_type") ?? "");
  });
  await signIn(page, base, "claire.martin", PASSWORD);
  await page.getByRole("heading", { name: /Aujourd'hui/ }).waitFor();

  // The refresh token is in a cookie the page's scripts cannot read, sent to the token path only.
  const cookie = (await page.context().cookies()).find((c) => c.name === "relais_refresh");
  expect(cookie).toMatchObject({ httpOnly: true, secure: true, sameSite: "Strict", path: "/api/v1/auth/token" });
  expect(await page.evaluate(() => document.cookie)).not.toContain("relais_refresh");

  // Coming back with an expired access token (a reload after the lunch break): the client
  // renews it before any request, and the coordinator stays in her work.
  const expired = await page.evaluate(() => {
    const stored = JSON.parse(sessionStorage.getItem("relais.session") ?? "{}");
    const [header, payload, signature] = String(stored.token).split(".");
    const claims = JSON.parse(atob((payload ?? "").replace(/-/g, "+").replace(/_/g, "/")));
    const now = Math.floor(Date.now() / 1000);
    const encoded = btoa(JSON.stringify({ ...claims, iat: now - 960, exp: now - 60 }))
      .replace(/=+$/, "")
      .replace(/\+/g, "-")
      .replace(/\//g, "_");
    stored.token = `${header}.${encoded}.${signature}`;
    sessionStorage.setItem("relais.session", JSON.stringify(stored));
    return stored.token as string;
  });
  await page.reload();
  await page.getByRole("heading", { name: /Rendez-vous du jour/ }).waitFor();
  expect(await page.getByRole("dialog", { name: "Session expirée" }).count()).toBe(0);
  const renewed = await page.evaluate(() => JSON.parse(sessionStorage.getItem("relais.session") ?? "{}").token as string);
  expect(renewed).not.toBe(expired);
  expect(grants).toEqual(["password", "refresh_token"]);
  const rotated = (await page.context().cookies()).find((c) => c.name === "relais_refresh");
  expect(rotated?.value).not.toBe(cookie?.value);

  // Sign-out ends the session on the server too: the last refresh token no longer works.
  await page.getByRole("button", { name: "Se déconnecter" }).click();
  await page.getByRole("heading", { name: "Connexion" }).waitFor();
  await expect.poll(async () => (await page.context().cookies()).some((c) => c.name === "relais_refresh")).toBe(false);
  const replay = await fetch(`${base}/api/v1/auth/token`, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Cookie: `relais_refresh=${rotated?.value}` },
    body: "grant_type=refresh_token",
  });
  expect(replay.status).toBe(400);
  expect(errors).toEqual([]);
});
