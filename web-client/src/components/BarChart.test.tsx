import { render, screen, within } from "@testing-library/react";
import { expect, test } from "vitest";
import { BarChart } from "./BarChart";

test("a chart is a table a screen reader can read, with suppressed counts said as such", () => {
  render(
    <BarChart
      title="Orientations par type de partenaire"
      bars={[
        { label: "Aide aux victimes", count: { value: 12, suppressed: false } },
        { label: "Santé", count: { value: null, suppressed: true } },
      ]}
    />,
  );
  const table = screen.getByRole("table", { name: "Orientations par type de partenaire" });
  expect(within(table).getByRole("rowheader", { name: "Aide aux victimes" })).toBeTruthy();
  const rows = within(table).getAllByRole("row");
  expect(rows[1]?.textContent).toBe("Aide aux victimes12");
  expect(rows[2]?.textContent).toBe("Santé< 5");
});
