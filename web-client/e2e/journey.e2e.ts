// The scenarios of a working day, through the real client, the real API and a fresh database:
// a gendarme refers two persons' situation; the coordinator triages it into a situation (one
// referral names a person already known), books an appointment in a free slot, orients the
// victim to a partner and finds it in the activity report; the gendarme sees the status change
// and gets no situation page.
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, inject, test } from "vitest";
import type { Browser, Page } from "playwright-core";
import { PASSWORD, accessibilityViolations, launch, newPage, screenshot, signIn } from "./browser";

const base = inject("baseUrl");
let browser: Browser;
let gendarme: Page;
let coordinator: Page;
const errors: string[] = [];
const violations: string[] = [];
let situationUrl = "";

beforeAll(async () => {
  browser = await launch();
  gendarme = await newPage(browser, errors);
  coordinator = await newPage(browser, errors);
  // Time flows as usual; a step fast-forwards it to see the background reads come.
  await coordinator.clock.install();
});

afterAll(async () => {
  await browser?.close();
});

async function submitReferral(page: Page, summary: string, urgent: boolean, safe: { call: string; text: string }) {
  await page.getByRole("link", { name: "Nouvelle saisine" }).first().click();
  await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent()).toBe("Nouvelle saisine");
  if (urgent) await page.getByLabel("Urgente").check();
  await page.getByLabel("Violences conjugales").check();
  await page.getByLabel("Résumé des faits et de la demande").fill(summary);
  await page.getByLabel("Procédure judiciaire en cours").selectOption("yes");
  // The liaison form: what led to it, the children at home, when and whether she may be reached.
  await page.getByLabel("Intervention à l'origine").selectOption("home_call_out");
  await page.getByLabel("Enfants présents ou exposés").selectOption("yes");
  await page.getByLabel("Nombre d'enfants").fill("2");
  await page.getByLabel("Meilleur moment pour la joindre").fill("le matin avant 9 h");
  await page.getByLabel("Informée de l'existence de la coordination sociale ?").selectOption("yes");
  await page.getByLabel("Nom", { exact: true }).fill("Durand");
  await page.getByLabel("Prénom").fill("Sophie");
  await page.getByLabel("Téléphone").fill("06 12 34 56 78");
  await page.getByLabel("Peut-on l'appeler sans danger ?").selectOption(safe.call);
  await page.getByLabel("Peut-on lui écrire un SMS sans danger ?").selectOption(safe.text);
  await page.getByRole("button", { name: "Transmettre la saisine" }).click();
  await page.getByText("Saisine transmise à la coordination sociale.").waitFor();
}

describe("a referral from the gendarmerie to an orientation in the report", () => {
  test("the gendarme's form shows the API's errors in French next to the fields", async () => {
    await gendarme.goto(base);
    await gendarme.getByRole("heading", { name: "Connexion" }).waitFor();
    await screenshot(gendarme, "login", violations);
    await signIn(gendarme, base, "gnd.leroy", PASSWORD);
    await gendarme.getByRole("heading", { name: "Mes saisines" }).waitFor();
    await gendarme.getByRole("link", { name: "Nouvelle saisine" }).first().click();
    await gendarme.getByLabel("Téléphone").fill("appelez-moi");
    await gendarme.getByRole("button", { name: "Transmettre la saisine" }).click();
    await gendarme.getByText("Certains champs sont à corriger.").waitFor();
    // The focus goes to the error summary, so that a screen reader says it at once.
    await expect.poll(() => gendarme.evaluate(() => document.activeElement?.textContent ?? "")).toMatch(/^Certains champs sont à corriger/);
    const phone = gendarme.getByLabel("Téléphone");
    expect(await phone.getAttribute("aria-invalid")).toBe("true");
    const described = (await phone.getAttribute("aria-describedby")) ?? "";
    const message = await gendarme.locator(`[id="${described.split(" ").pop()}"]`).textContent();
    expect(message).toBe("Numéro invalide : un numéro français (06 12 34 56 78) ou avec l’indicatif du pays (+32 …).");
    await screenshot(gendarme, "agency-referral-form-errors", violations);
    await gendarme.getByRole("link", { name: "Mes saisines", exact: true }).click();
  });

  test("the gendarme submits two referrals and sees them as new", async () => {
    await submitReferral(
      gendarme,
      "Violences conjugales signalées cette nuit, plainte déposée. Madame souhaite être rappelée le matin.",
      true,
      { call: "yes", text: "no" },
    );
    await gendarme.getByRole("link", { name: "Mes saisines", exact: true }).click();
    // The second time she says calls are not safe any more, texts are: the file will keep "no" for both.
    await submitReferral(gendarme, "Nouvelle intervention au domicile, Madame demande un hébergement.", false, { call: "no", text: "yes" });
    await gendarme.getByRole("link", { name: "Mes saisines", exact: true }).click();
    const rows = gendarme.getByRole("table", { name: "Saisines transmises et leur suivi" }).locator("tbody tr");
    await expect.poll(() => rows.count()).toBe(2);
    expect(await rows.first().textContent()).toContain("Nouvelle");
    await screenshot(gendarme, "agency-referrals", violations);
  });

  test("the coordinator sees today's new referrals, urgent first, and triages one into a new situation", async () => {
    await signIn(coordinator, base, "claire.martin", PASSWORD);
    await coordinator.getByRole("heading", { name: /Aujourd'hui/ }).waitFor();
    const fresh = coordinator.getByRole("table", { name: "Nouvelles saisines" }).locator("tbody tr");
    await expect.poll(() => fresh.count()).toBe(2);
    expect(await fresh.first().textContent()).toContain("Urgente");
    await screenshot(coordinator, "today", violations);

    await fresh.first().getByRole("link").click();
    await coordinator.getByRole("heading", { name: "Tentative de contact" }).waitFor();
    await coordinator.getByText("Intervention à domicile").waitFor();
    await coordinator.getByText("Oui (2)").waitFor();
    await coordinator.getByText(/À joindre : le matin avant 9 h/).waitFor();
    // No answer is chosen for her: whether the person was reached is said, not assumed.
    expect(await coordinator.getByLabel("Résultat").inputValue()).toBe("");
    await coordinator.getByLabel("Résultat").selectOption("reached");
    await coordinator.getByLabel("Note (facultative)").fill("Rappel convenu demain matin");
    await coordinator.getByRole("button", { name: "Enregistrer la tentative" }).click();
    await coordinator.locator("li", { hasText: "Rappel convenu demain matin" }).waitFor();
    await screenshot(coordinator, "referral-triage", violations);

    // The coordinator who accepts is the file's coordinator unless she chooses another.
    const referent = coordinator.getByLabel("Coordinateur référent");
    await expect.poll(() => referent.evaluate((el: HTMLSelectElement) => el.selectedOptions[0]?.textContent)).toBe("Claire Martin");
    await coordinator.getByRole("button", { name: "Accepter la saisine" }).click();
    await coordinator.waitForURL(/\/situations\/[0-9a-f-]{36}$/);
    situationUrl = coordinator.url();
    await coordinator.getByRole("heading", { level: 1, name: "Sophie Durand" }).waitFor();
    // What the gendarme wrote stays in view in the file, with a link back to the referral.
    const fed = coordinator.getByRole("region", { name: "Saisines à l’origine du dossier" });
    await fed.getByText(/Violences conjugales signalées cette nuit/).waitFor();
    await fed.getByRole("link", { name: /^Saisine du/ }).waitFor();
  });

  test("the second referral names a person already known: the coordinator says it is her", async () => {
    await coordinator.getByRole("link", { name: /^Saisines( \(\d+\+? nouvelles?\))?$/ }).click();
    await coordinator.getByRole("table", { name: "Saisines" }).locator("tbody tr").first().getByRole("link").click();
    await coordinator.getByRole("button", { name: "Accepter la saisine" }).click();
    await coordinator.getByText("Sophie Durand ressemble à une personne déjà connue").waitFor();
    await coordinator.getByLabel(/C'est Sophie Durand/).check();
    // She has an open file: it is proposed first, and chosen.
    const proposed = coordinator.getByLabel(/^Rattacher à son dossier ouvert : Sophie Durand/);
    await proposed.waitFor();
    expect(await proposed.isChecked()).toBe(true);
    await coordinator.getByRole("button", { name: "Accepter la saisine" }).click();
    await coordinator.waitForURL(situationUrl);
    await coordinator.getByRole("heading", { level: 1, name: "Sophie Durand" }).waitFor();
    // The safer answer of the two referrals, channel by channel, said in the timeline.
    await coordinator.getByText(/Consignes de contact de Sophie Durand renforcées par une saisine .*appel : Non, SMS : Non/).waitFor();
    await screenshot(coordinator, "safe-contact-merged", violations);
    await coordinator.goto(situationUrl);
  });

  test("the gendarme sees the status change, and no situation page at its address", async () => {
    await gendarme.reload();
    const rows = gendarme.getByRole("table", { name: "Saisines transmises et leur suivi" }).locator("tbody tr");
    await expect.poll(async () => (await rows.allTextContents()).filter((t) => t.includes("Prise en charge")).length).toBe(2);

    await gendarme.goto(situationUrl);
    await gendarme.getByRole("heading", { name: "Page introuvable" }).waitFor();
    expect(await gendarme.content()).not.toContain("Rappel convenu");
    // Nor does the API give it, whatever the client does.
    const token = await gendarme.evaluate(() => JSON.parse(sessionStorage.getItem("relais.session") ?? "{}").token as string);
    const direct = await fetch(`${base}/api/v1/situations/${situationUrl.split("/").pop()}`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    expect(direct.status).toBe(403);
  });

  test("the coordinator books an appointment in a free slot for the situation", async () => {
    await coordinator.getByRole("heading", { level: 1, name: "Sophie Durand" }).waitFor();
    await coordinator.getByRole("link", { name: "Prendre rendez-vous" }).click();
    await coordinator.getByRole("heading", { name: "Prendre rendez-vous pour Sophie Durand" }).waitFor();
    // Next week: this week's days may all be past.
    await coordinator.getByRole("button", { name: "Semaine suivante →" }).click();
    const slots = coordinator.getByRole("group", { name: "Créneaux libres" }).getByRole("button");
    await expect.poll(() => slots.count()).toBeGreaterThan(10);
    expect(await slots.first().textContent()).toBe("09:00");
    await slots.nth(4).click(); // 10:00
    // Nobody is expected until the coordinator says who.
    await coordinator.getByRole("button", { name: /Réserver .* à 10:00/ }).click();
    await coordinator.getByText("Cochez au moins une personne attendue.").waitFor();
    const expected = coordinator.getByRole("group", { name: "Personnes attendues" });
    expect(await expected.getByRole("checkbox", { checked: true }).count()).toBe(0);
    await expected.getByLabel(/Sophie Durand/).check();
    await coordinator.getByRole("button", { name: /Réserver .* à 10:00/ }).click();
    await coordinator.getByText(/Rendez-vous pris : .* à 10:00/).waitFor();
    // The time grid shows it with the person's name, over the site's opening hours.
    const block = coordinator.locator(".time-grid .grid-appointment").first();
    await block.waitFor();
    expect(await block.textContent()).toContain("10:00–10:45");
    expect(await block.textContent()).toContain("Sophie Durand");
    expect(await coordinator.locator(".time-grid .grid-hour").first().textContent()).toBe("09:00");
    // The slot is no longer offered.
    await expect.poll(async () => (await slots.allTextContents()).includes("10:00")).toBe(false);
    await screenshot(coordinator, "agenda", violations);
  });

  test("a slot taken meanwhile is refused with the conflict shown; appointments move, are cancelled, are attended", async () => {
    const day = await coordinator.getByLabel("Jour").inputValue();
    const slots = coordinator.getByRole("group", { name: "Créneaux libres" }).getByRole("button");
    await slots.filter({ hasText: /^11:00$/ }).click();
    // Meanwhile, a colleague's client books 11:00 for the same coordinator.
    const token = await coordinator.evaluate(() => JSON.parse(sessionStorage.getItem("relais.session") ?? "{}").token as string);
    const sub = JSON.parse(Buffer.from(token.split(".")[1] ?? "", "base64url").toString()).sub as string;
    const api = (path: string, init?: RequestInit) =>
      fetch(`${base}${path}`, { ...init, headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" } }).then((r) =>
        r.json(),
      );
    const site = (await api("/api/v1/sites")).items[0].id as string;
    const free = (await api(`/api/v1/availability?site=${site}&coordinator=${sub}&date=${day}&duration=45`)).slots as {
      starts_at: string;
      ends_at: string;
    }[];
    const eleven = free.find(
      (slot) =>
        new Date(slot.starts_at).toLocaleTimeString("fr-FR", { timeZone: "Europe/Paris", hour: "2-digit", minute: "2-digit" }) === "11:00",
    );
    const taken = await api("/api/v1/appointments", {
      method: "POST",
      body: JSON.stringify({ kind: "phone", site_id: site, coordinator_id: sub, situation_id: situationUrl.split("/").pop(), ...eleven }),
    });
    expect(taken.status, JSON.stringify(taken)).toBe("planned");

    await coordinator.getByRole("button", { name: /Réserver .* à 11:00/ }).click();
    await coordinator.getByText("Ce créneau chevauche un autre rendez-vous du même coordinateur.").waitFor();
    await coordinator.getByText(/Déjà pris : .*11:00–11:45 \(Par téléphone\)/).waitFor();
    // The week and the free slots now show it.
    const block = (time: string) => coordinator.locator(".time-grid .grid-appointment", { hasText: time });
    const detail = coordinator.locator(".appointment-detail");
    const card = async (time: string) => {
      await block(time).click();
      await detail.getByText(new RegExp(time)).waitFor();
      return detail;
    };
    await block("11:00–11:45").waitFor();
    await expect.poll(async () => (await slots.allTextContents()).includes("11:00")).toBe(false);
    await screenshot(coordinator, "agenda-conflict", violations);

    await (await card("11:00–11:45")).getByRole("button", { name: "Déplacer" }).click();
    await coordinator.getByRole("heading", { name: /Déplacer le rendez-vous .* à 11:00/ }).waitFor();
    await coordinator.getByRole("group", { name: "Créneaux libres" }).getByRole("button", { name: "14:00", exact: true }).click();
    await coordinator.getByRole("button", { name: "Confirmer le déplacement" }).click();
    await block("14:00–14:45").waitFor();

    await (await card("14:00–14:45")).getByRole("button", { name: "Annuler" }).click();
    await coordinator.getByRole("button", { name: "Confirmer l'annulation" }).click();
    await expect.poll(() => coordinator.getByLabel(/^Motif d.annulation/).getAttribute("aria-invalid")).toBe("true");
    await coordinator.getByLabel(/^Motif d'annulation/).fill("La personne a rappelé pour annuler");
    await coordinator.getByRole("button", { name: "Confirmer l'annulation" }).click();
    await detail.getByText("Annulé").waitFor();

    // Next week's appointment cannot be said attended yet; one that began an hour ago can.
    expect(await (await card("10:00–10:45")).getByRole("button", { name: "Honoré" }).count()).toBe(0);
    // The agenda opens on this week (on Sunday, the coming one); two weeks back from next week
    // is the week before it, whose Tuesday at 10:00 in Paris is past.
    const now = new Date();
    const sinceMonday = now.getUTCDay() === 0 ? -1 : now.getUTCDay() - 1;
    const lastTuesday = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - sinceMonday - 6, 9));
    const earlier = await api("/api/v1/appointments", {
      method: "POST",
      body: JSON.stringify({
        kind: "emergency",
        site_id: site,
        coordinator_id: sub,
        situation_id: situationUrl.split("/").pop(),
        starts_at: lastTuesday.toISOString(),
        ends_at: new Date(lastTuesday.getTime() + 1_800_000).toISOString(),
      }),
    });
    expect(earlier.status, JSON.stringify(earlier)).toBe("planned");
    const title = () => coordinator.locator(".week-title").textContent();
    const nextWeek = await title();
    await coordinator.getByRole("button", { name: "← Semaine précédente" }).click();
    await expect.poll(title).not.toBe(nextWeek);
    const thisWeek = await title();
    await coordinator.getByRole("button", { name: "← Semaine précédente" }).click();
    await expect.poll(title).not.toBe(thisWeek);
    await coordinator.locator(".time-grid .grid-appointment", { hasText: "En urgence" }).click();
    await detail.getByRole("button", { name: "Honoré" }).click();
    await detail.getByText("Honoré", { exact: true }).waitFor();
  });

  test("the coordinator orients the victim to a partner chosen from the directory", async () => {
    await coordinator.goto(situationUrl);
    await coordinator.getByRole("heading", { name: "Nouvelle intervention" }).waitFor();
    await coordinator.getByLabel("Type d'intervention").selectOption("orientation");
    await coordinator.getByLabel("Rechercher un partenaire").fill("victimes");
    const partner = coordinator.getByRole("combobox", { name: "Partenaire", exact: true });
    await expect.poll(async () => (await partner.locator("option").allTextContents()).join("|")).toContain("France Victimes 44");
    await partner.selectOption({ label: "France Victimes 44 (Aide aux victimes, Nantes)" });
    await coordinator
      .getByRole("group", { name: "Personnes concernées" })
      .getByLabel(/Sophie Durand/)
      .check();
    await coordinator.getByLabel("Durée (minutes)").fill("30");
    await coordinator.getByRole("button", { name: "Enregistrer l'intervention" }).click();
    await coordinator.getByText("Orientation vers un partenaire → France Victimes 44").waitFor();
    // Whether the partner took her in charge is not known yet; the coordinator says it when she learns it.
    await coordinator.getByText("prise en charge par le partenaire : pas encore connue").waitFor();
    await coordinator.getByRole("button", { name: "Indiquer la suite" }).click();
    const followUp = coordinator.getByRole("form", { name: "Suite de l'orientation" });
    await followUp.getByLabel(/^Prise en charge par le partenaire/).selectOption("yes");
    await followUp.getByRole("button", { name: "Enregistrer la suite" }).click();
    await coordinator.getByText("prise en charge par le partenaire : oui").waitFor();
    await coordinator.getByLabel("Nouvelle note").fill("Madame accepte d'être accompagnée par France Victimes.");
    await coordinator.getByRole("button", { name: "Ajouter la note" }).click();
    await coordinator.locator(".notes li").first().waitFor();
    await screenshot(coordinator, "situation", violations);
  });

  test("a call for advice is counted in two clicks from the day, without a name", async () => {
    await coordinator.getByRole("link", { name: "Aujourd'hui" }).click();
    await coordinator.getByRole("button", { name: "Noter un contact bref" }).click();
    const form = coordinator.getByRole("form", { name: "Contact bref anonyme" });
    expect(await form.getByRole("textbox").count()).toBe(0);
    await form.getByRole("button", { name: "Enregistrer le contact bref" }).click();
    await coordinator.getByText("Contact bref enregistré.").waitFor();
  });

  test("the orientation is in the activity report", async () => {
    await coordinator.getByRole("link", { name: "Bilan d'activité" }).click();
    const orientations = coordinator.getByRole("table", { name: "Orientations par type de partenaire" });
    await orientations.waitFor();
    await expect.poll(() => orientations.getByRole("row", { name: /Aide aux victimes/ }).textContent()).toContain("1");
    const sources = coordinator.getByRole("table", { name: "Saisines par origine" });
    expect(await sources.getByRole("row", { name: /Gendarmerie/ }).textContent()).toContain("2");
    // The slower end of the delays is on screen, not only in the CSV; months to come are not drawn.
    await coordinator.getByText("Délai de premier contact, 9 saisines sur 10").waitFor();
    const brief = coordinator.locator(".key-figure", { hasText: "Contacts brefs anonymes" });
    expect(await brief.locator(".key-value").textContent()).toBe("1");
    const persons = coordinator.locator(".key-figure", { hasText: "Personnes reçues" });
    expect(await persons.locator(".key-value").textContent()).not.toBe("");
    const monthly = coordinator.getByRole("table", { name: "Situations suivies par mois" }).locator("tbody tr");
    const thisMonth = Number(new Date().toLocaleDateString("en-CA", { timeZone: "Europe/Paris" }).slice(5, 7));
    expect(await monthly.count()).toBe(thisMonth);
    await screenshot(coordinator, "report", violations);

    const download = coordinator.waitForEvent("download");
    await coordinator.getByRole("button", { name: "Télécharger le tableur (CSV)" }).click();
    const file = await download;
    expect(file.suggestedFilename()).toMatch(/^bilan-activite-.*\.csv$/);
    // French labels for people, the code in its own column for tools.
    const csv = readFileSync(await file.path(), "utf8");
    expect(csv.split("\n")[0]).toContain("Catégorie;Code;");
    expect(csv).toMatch(/;Gendarmerie;gendarmerie;/);
  });

  test("the same period in the funders' grid, with its charts and its CSV", async () => {
    await coordinator.getByRole("button", { name: "Grille des financeurs" }).click();
    const publics = coordinator.getByRole("table", { name: "Personnes reçues par public" });
    await publics.waitFor();
    // The guide's ten publics, in its order, zeros included.
    expect(await publics.locator("tbody tr").count()).toBe(10);
    expect(await publics.locator("tbody tr th").first().textContent()).toBe("Victimes");
    const origins = coordinator.getByRole("table", { name: "Saisines par origine" });
    expect(
      Number((await origins.getByRole("row", { name: /Services de police ou de gendarmerie/ }).textContent())?.replace(/\D/g, "")),
    ).toBeGreaterThan(0);
    const actions = coordinator.getByRole("table", { name: "Actions par type" });
    expect(await actions.getByRole("row", { name: /^Orientation/ }).textContent()).not.toBe("Orientation0");
    await coordinator.getByText("Comment les catégories sont établies").click();
    await coordinator.getByText(/chaque situation, compte dans un seul public/).waitFor();
    await screenshot(coordinator, "funders-grid", violations);

    const download = coordinator.waitForEvent("download");
    await coordinator.getByRole("button", { name: "Télécharger le tableur (CSV)" }).click();
    const file = await download;
    expect(file.suggestedFilename()).toMatch(/^grille-financeurs-.*\.csv$/);
    const csv = readFileSync(await file.path(), "utf8");
    expect(csv).toMatch(/;personnes_par_public;Victimes;victims;/);
    expect(csv).toMatch(/;actions_par_type;Facilitation du lien;liaison;/);
    await coordinator.getByRole("button", { name: "Bilan détaillé" }).click();
    await coordinator.getByRole("table", { name: "Orientations par type de partenaire" }).waitFor();
  });

  test("a referral sent while the coordinator works appears without a reload, counted in the menu", async () => {
    await coordinator.getByRole("link", { name: "Aujourd'hui" }).click();
    await coordinator.getByRole("heading", { name: /Rendez-vous du jour/ }).waitFor();
    const inboxLink = coordinator.getByRole("navigation", { name: "Menu principal" }).getByRole("link", { name: /^Saisines/ });
    expect(await inboxLink.textContent()).toBe("Saisines");
    await coordinator.evaluate(() => ((window as unknown as { stillHere: boolean }).stillHere = true));
    await submitReferral(gendarme, "Appel de voisins : cris dans l'appartement, Madame rassurée sur place.", false, {
      call: "yes",
      text: "yes",
    });
    // A minute later, without anyone reloading, the menu and the day show it.
    await coordinator.clock.fastForward(61_000);
    await coordinator.getByRole("link", { name: "Saisines (1 nouvelle)" }).waitFor();
    const fresh = coordinator.getByRole("table", { name: "Nouvelles saisines" }).locator("tbody tr");
    await expect.poll(() => fresh.count()).toBe(1);
    expect(await fresh.first().textContent()).toContain("Sophie Durand");
    expect(await coordinator.evaluate(() => (window as unknown as { stillHere?: boolean }).stillHere)).toBe(true);

    // Any of a file's phone numbers finds it.
    await coordinator.getByRole("link", { name: "Situations", exact: true }).click();
    await coordinator.getByLabel(/Nom ou téléphone/).fill("06 12 34 56 78");
    await coordinator.getByLabel(/Nom ou téléphone/).press("Enter");
    await coordinator
      .getByRole("link", { name: /Sophie Durand/ })
      .first()
      .waitFor();
  });

  test("on a desktop, a tablet and a phone, every view fits the screen", async () => {
    const overflow = () => coordinator.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    for (const [width, height, device] of [
      [1280, 800, "desktop"],
      [768, 1024, "tablet"],
      [390, 844, "phone"],
    ] as const) {
      await coordinator.setViewportSize({ width, height });
      await coordinator.getByRole("link", { name: "Aujourd'hui" }).click();
      await coordinator.getByRole("heading", { name: /Rendez-vous du jour/ }).waitFor();
      expect(await overflow(), `today at ${width}`).toBe(0);
      await screenshot(coordinator, `today-${device}`, violations);
      await coordinator.getByRole("link", { name: /^Saisines( \(\d+\+? nouvelles?\))?$/ }).click();
      await coordinator.getByRole("heading", { level: 1, name: "Saisines" }).waitFor();
      expect(await overflow(), `inbox at ${width}`).toBe(0);
      await coordinator.getByRole("link", { name: "Situations", exact: true }).click();
      await coordinator.getByRole("heading", { level: 1, name: "Situations" }).waitFor();
      expect(await overflow(), `situations at ${width}`).toBe(0);
      await coordinator.getByRole("link", { name: "Agenda" }).click();
      await coordinator.getByRole("heading", { name: /^Semaine du/ }).waitFor();
      expect(await overflow(), `agenda at ${width}`).toBe(0);
      await screenshot(coordinator, `agenda-${device}`, violations);
      await coordinator.goto(situationUrl);
      await coordinator.getByRole("heading", { name: "Chronologie" }).waitFor();
      expect(await overflow(), `file at ${width}`).toBe(0);
      await screenshot(coordinator, `situation-${device}`, violations);
      await gendarme.setViewportSize({ width, height });
      await gendarme.getByRole("link", { name: "Mes saisines", exact: true }).click();
      await gendarme.getByRole("table", { name: "Saisines transmises et leur suivi" }).waitFor();
      expect(
        await gendarme.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth),
        `unit at ${width}`,
      ).toBe(0);
    }
    await coordinator.setViewportSize({ width: 1366, height: 900 });
    await gendarme.setViewportSize({ width: 1366, height: 900 });
  });

  test("the partners directory searches and edits", async () => {
    await coordinator.getByRole("link", { name: "Partenaires" }).click();
    await coordinator.getByLabel("Type", { exact: true }).selectOption("health");
    await coordinator.getByText("Aucun partenaire ne correspond.").waitFor();
    await coordinator.getByLabel("Type", { exact: true }).selectOption("victim_support");
    await coordinator.getByLabel("Thème").selectOption("domestic_violence");
    await coordinator.getByRole("button", { name: "Modifier France Victimes 44" }).click();
    await coordinator.getByLabel("Horaires").fill("Du lundi au vendredi, 9 h – 17 h");
    await coordinator.getByRole("button", { name: "Enregistrer" }).click();
    await coordinator.getByText("Horaires : Du lundi au vendredi, 9 h – 17 h").waitFor();
    await screenshot(coordinator, "partners", violations);
  });

  test("partners come from a data·inclusion file, once, then update in place", async () => {
    await coordinator.getByLabel("Type", { exact: true }).selectOption("");
    await coordinator.getByLabel("Thème").selectOption("");
    await coordinator.getByRole("button", { name: "Importer un fichier data·inclusion" }).click();
    const form = coordinator.getByRole("form", { name: "Importer des partenaires data·inclusion" });
    const file = form.getByLabel("Fichier data·inclusion (JSON)");
    await file.setInputFiles({ name: "notes.json", mimeType: "application/json", buffer: Buffer.from("pas du JSON") });
    await form.getByRole("button", { name: "Importer le fichier" }).click();
    await form.getByText("Ce fichier n'est pas un document JSON au format data·inclusion.").waitFor();
    await file.setInputFiles(resolve(import.meta.dirname, "../../tests/data_inclusion/sample.json"));
    await form.getByRole("button", { name: "Importer le fichier" }).click();
    await form.getByText("3 partenaires ajoutés, 0 mis à jour.").waitFor();
    await coordinator.getByRole("heading", { name: "CIDFF de l'Isère" }).waitFor();
    await form.getByRole("button", { name: "Importer le fichier" }).click();
    await form.getByText("0 partenaire ajouté, 3 mis à jour.").waitFor();
    expect(await coordinator.getByRole("heading", { name: "CIDFF de l'Isère" }).count()).toBe(1);
    await screenshot(coordinator, "partners-import", violations);
  });

  test("the coordinator updates a person, adds another, corrects a note", async () => {
    await coordinator.goto(situationUrl);
    await coordinator.getByRole("button", { name: "Modifier Sophie Durand" }).click();
    const edit = coordinator.getByRole("form", { name: "Modifier Sophie Durand" });
    await edit.getByLabel("Téléphone").fill("06 99 88 77 66");
    await edit.getByLabel("Précautions de contact").fill("Appeler après 18 h");
    await edit.getByRole("button", { name: "Enregistrer" }).click();
    await coordinator.getByText("tél. 06 99 88 77 66").waitFor();
    await coordinator.getByText(/Appeler après 18 h/).waitFor();

    await coordinator.getByRole("button", { name: "Ajouter une personne" }).click();
    await coordinator.getByLabel("Rôle dans la situation").selectOption("alleged_author");
    await coordinator.getByLabel("Nom", { exact: true }).fill("Durand");
    await coordinator.getByLabel("Prénom").fill("Marc");
    await coordinator.getByRole("button", { name: "Ajouter au dossier" }).click();
    await coordinator.getByRole("heading", { level: 1, name: "Sophie Durand, Marc Durand" }).waitFor();
    expect(await coordinator.getByLabel("Rôle de Marc").inputValue()).toBe("alleged_author");

    await coordinator
      .getByRole("button", { name: /^Corriger la note du/ })
      .first()
      .click();
    await coordinator.getByLabel(/^Correction de la note du/).fill("Précision : Madame sera accompagnée par sa sœur.");
    await coordinator.getByRole("button", { name: "Ajouter la correction" }).click();
    await coordinator.locator(".notes li", { hasText: "correction" }).waitFor();
  });

  test("the coordinator downloads what is held about a person, and nothing about the other", async () => {
    await coordinator.goto(situationUrl);
    const download = coordinator.waitForEvent("download");
    await coordinator.getByRole("button", { name: "Exporter ses données (droit d’accès) Sophie Durand" }).click();
    const file = await download;
    expect(file.suggestedFilename()).toMatch(/^personne-.*\.json$/);
    const path = await file.path();
    const exported = JSON.parse(readFileSync(path, "utf8")) as { person: { first_name: string }; situations: { other_roles: string[] }[] };
    expect(exported.person.first_name).toBe("Sophie");
    // Her one file (the second referral joined it), where Marc is the alleged author, by his role only.
    expect(exported.situations.map((s) => s.other_roles)).toEqual([["alleged_author"]]);
    expect(JSON.stringify(exported)).not.toContain("Marc");
  });

  test("a file prints without menus, forms nor private notes, unless she asks for hers", async () => {
    await coordinator.goto(situationUrl);
    await coordinator.getByLabel("Nouvelle note").fill("Note pour moi seule : relancer l'avocate.");
    await coordinator.getByLabel(/Note personnelle/).check();
    await coordinator.getByRole("button", { name: "Ajouter la note" }).click();
    const privateNote = coordinator.locator(".note-private", { hasText: "relancer l'avocate" });
    await privateNote.waitFor();
    await coordinator.getByRole("button", { name: "Imprimer" }).waitFor();
    await coordinator.emulateMedia({ media: "print" });
    expect(await privateNote.isVisible()).toBe(false);
    expect(await coordinator.locator(".site-header").isVisible()).toBe(false);
    expect(await coordinator.getByRole("heading", { name: "Chronologie" }).isVisible()).toBe(true);
    await coordinator.evaluate(() => document.body.classList.add("print-private-notes"));
    expect(await privateNote.isVisible()).toBe(true);
    await coordinator.evaluate(() => document.body.classList.remove("print-private-notes"));
    await coordinator.emulateMedia({ media: "screen" });
  });

  test("the coordinator closes the file, which then offers to reopen it", async () => {
    await coordinator.goto(situationUrl);
    await coordinator.getByLabel("Motif de clôture").selectOption("oriented");
    await coordinator.getByRole("button", { name: "Clore", exact: true }).click();
    await coordinator.getByRole("heading", { name: "Situation close" }).waitFor();
    expect(await coordinator.locator(".lead").textContent()).toContain("Orientée vers un partenaire");
    // A closed file takes no new intervention.
    expect(await coordinator.getByRole("heading", { name: "Nouvelle intervention" }).count()).toBe(0);
    await coordinator.getByRole("button", { name: "Rouvrir la situation" }).click();
    await coordinator.getByRole("heading", { name: "Clore la situation" }).waitFor();
    expect(await coordinator.locator(".lead .status").textContent()).toBe("Ouverte");
  });

  test("no console error, no blocked resource, on any page", () => {
    expect(errors).toEqual([]);
  });

  test("no WCAG 2.1 A or AA violation found by axe-core on any view", async () => {
    expect(violations).toEqual([]);
    // The audit is real: an unlabelled field on a blank page is reported.
    const blank = await newPage(browser, []);
    await blank.setContent('<html lang="fr"><title>t</title><main><input type="text"></main></html>');
    expect((await accessibilityViolations(blank)).join("\n")).toContain("label");
    await blank.close();
  });
});
