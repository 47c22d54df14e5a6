import { expect, test } from "vitest";
import { dayText, parseDay } from "./Sites";

test("a day's hours read as the coordinators write them, and back", () => {
  expect(parseDay("09:00-12:00, 14h00 - 17h30", "monday")).toEqual([
    { weekday: "monday", opens: "09:00", closes: "12:00" },
    { weekday: "monday", opens: "14:00", closes: "17:30" },
  ]);
  expect(parseDay("9h30–12h00", "tuesday")).toEqual([{ weekday: "tuesday", opens: "09:30", closes: "12:00" }]);
  expect(parseDay("", "sunday")).toEqual([]);
  expect(parseDay("le matin", "monday")).toBeNull();
  expect(dayText([{ weekday: "monday", opens: "09:00:00", closes: "12:00:00" }], "monday")).toBe("09:00-12:00");
});
