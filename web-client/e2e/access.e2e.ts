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
