import { describe, expect, test } from "vitest";
import { addDays, fromLocalInput, mondayOf, parisDay, parisToUtc, toLocalInput } from "./time";
import { currentMonday } from "./views/Agenda";

describe("Paris time, whatever the device's zone", () => {
  test("midnight in Paris is 23:00 UTC in winter and 22:00 UTC in summer", () => {
    expect(parisToUtc("2026-01-15").toISOString()).toBe("2026-01-14T23:00:00.000Z");
    expect(parisToUtc("2026-07-15").toISOString()).toBe("2026-07-14T22:00:00.000Z");
  });

  test("both sides of the DST changes", () => {
    // 29 March 2026: 02:00 becomes 03:00. 25 October 2026: 03:00 becomes 02:00.
    expect(parisToUtc("2026-03-29", "01:30").toISOString()).toBe("2026-03-29T00:30:00.000Z");
    expect(parisToUtc("2026-03-29", "09:00").toISOString()).toBe("2026-03-29T07:00:00.000Z");
    expect(parisToUtc("2026-10-25", "09:00").toISOString()).toBe("2026-10-25T08:00:00.000Z");
    expect(parisDay(new Date("2026-10-24T22:30:00Z"))).toBe("2026-10-25");
  });

  test("datetime-local inputs round-trip through UTC", () => {
    expect(fromLocalInput("2026-11-30T10:15")).toBe("2026-11-30T09:15:00.000Z");
    expect(toLocalInput("2026-11-30T09:15:00Z")).toBe("2026-11-30T10:15");
  });

  test("weeks start on Monday; on a Sunday the agenda opens on the coming week", () => {
    expect(mondayOf("2026-11-29")).toBe("2026-11-23");
    expect(mondayOf("2026-12-02")).toBe("2026-11-30");
    expect(addDays("2026-12-31", 1)).toBe("2027-01-01");
    expect(currentMonday("2026-11-29")).toBe("2026-11-30");
    expect(currentMonday("2026-11-28")).toBe("2026-11-23");
  });
});
