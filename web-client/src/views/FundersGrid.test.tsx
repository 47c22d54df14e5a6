import { render, screen, within } from "@testing-library/react";
import { expect, test } from "vitest";
import type { Count, FundersFigures } from "../api/types";
import { FundersGrid, PUBLICS } from "./FundersGrid";

const n = (value: number): Count => ({ value, suppressed: false });
const hidden: Count = { value: null, suppressed: true };
const publics = Object.fromEntries(Object.keys(PUBLICS).map((key) => [key, n(0)])) as FundersFigures["persons_by_public"];
const delay = { referrals: n(0), median_minutes: null, p90_minutes: null };

const figures: FundersFigures = {
  persons_received: n(322),
  persons_by_public: { ...publics, victims: n(150), minors_at_risk: hidden },
  persons_by_sex: { female: n(200), male: n(110), other: n(0), unknown: n(12) },
  persons_by_age: { minor: n(40), adult: n(270), unknown: n(12) },
  persons_by_commune: [
    { commune: "Villefontaine", count: n(300) },
    { commune: null, count: n(22) },
  ],
  situations_met: n(176),
  situations_by_public: publics,
  referrals_received: n(189),
  referrals_by_origin: { police_gendarmerie: n(150), other_services: n(20), spontaneous: n(19) },
  referrals_by_unit: [
    { organisation_id: "b1", name: "Brigade de Villefontaine", kind: "gendarmerie", count: n(140) },
    { organisation_id: null, name: null, kind: null, count: n(10) },
  ],
  actions_total: n(900),
  actions_by_kind: { reception: n(300), listening: n(200), action: n(250), orientation: n(100), liaison: n(50) },
  brief_contacts_total: n(40),
  brief_contacts_by_origin: { police_gendarmerie: n(10), other_services: n(10), spontaneous: n(20) },
  first_contact_delay: delay,
  first_interview_delay: delay,
  reactivity_by_origin: [{ key: "police_gendarmerie", first_contact: { ...delay, median_minutes: 45 }, first_interview: delay }],
};

test("the grid keeps the guide's order, zeros included, and says a hidden count as such", () => {
  render(<FundersGrid figures={figures} />);
  const table = screen.getByRole("table", { name: "Personnes reçues par public" });
  const rows = within(table).getAllByRole("row").slice(1);
  expect(rows.map((r) => r.querySelector("th")?.textContent)).toEqual(Object.values(PUBLICS));
  expect(rows[0]?.textContent).toBe("Victimes150");
  expect(rows[2]?.textContent).toBe("Mineurs en danger< 5");
  expect(rows[3]?.textContent).toBe("Conflits conjugaux0");
  const communes = screen.getByRole("table", { name: "Personnes reçues par commune" });
  expect(within(communes).getByRole("rowheader", { name: "Commune non renseignée" })).toBeTruthy();
  const units = screen.getByRole("table", { name: "Saisines des services de police et de gendarmerie, par unité" });
  expect(within(units).getByRole("rowheader", { name: "Démarches proactives" })).toBeTruthy();
  const reactivity = screen.getByRole("table", { name: "Réactivité par origine" });
  expect(within(reactivity).getByRole("row", { name: /Services de police ou de gendarmerie/ }).textContent).toContain("45 min");
});
