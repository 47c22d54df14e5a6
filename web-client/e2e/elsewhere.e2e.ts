// The client is a separate application: hosted on another origin, with its config.js naming
// the API, it works through the API's CORS allow-list.
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
