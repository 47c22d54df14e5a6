import { expect, test } from "vitest";
import { birthText, count } from "./names";

test("a birth agrees with the person's sex, and stays neutral when it is not recorded", () => {
  expect(birthText({ birth_year: 1985, sex: "female" })).toBe("née en 1985");
  expect(birthText({ birth_year: 1985, sex: "male" })).toBe("né en 1985");
  expect(birthText({ birth_year: 1985 })).toBe("né(e) en 1985");
  expect(birthText({})).toBe("");
});

test("counts follow French plural rules and number formatting", () => {
  expect(count(0, "urgente", "urgentes")).toBe("0 urgente");
  expect(count(1, "urgente", "urgentes")).toBe("1 urgente");
  expect(count(2, "urgente", "urgentes")).toBe("2 urgentes");
  expect(count(5000, "situation", "situations")).toBe("5\u202f000 situations");
});
