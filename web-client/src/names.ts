// How persons are named on screen, the same in every view.
import { formatDate } from "./time";

interface Named {
  first_name?: string | null;
  last_name?: string | null;
}

/** "Sophie Durand", or "Sans nom" when neither name is known. */
export const fullName = (p: Named) => [p.first_name, p.last_name].filter(Boolean).join(" ") || "Sans nom";

/** The persons of a referral or a file, in one line. */
export const namesOf = (persons: Named[]) => persons.map(fullName).join(", ");

/** "née" for a woman, "né" for a man, "né(e)" when the person's sex is not recorded. */
export function born(sex?: string | null): string {
  if (sex === "female") return "née";
  if (sex === "male") return "né";
  return "né(e)";
}

/** "née le 12 avr. 1985", "né en 1985", or "". */
export function birthText(p: { birth_date?: string | null; birth_year?: number | null; sex?: string | null }): string {
  if (p.birth_date) return `${born(p.sex)} le ${formatDate(p.birth_date)}`;
  return p.birth_year ? `${born(p.sex)} en ${p.birth_year}` : "";
}

const plural = new Intl.PluralRules("fr-FR");

/** "1 urgente", "2 urgentes": French plural rules (0 and 1 are singular). */
export function count(n: number, one: string, other: string): string {
  return `${new Intl.NumberFormat("fr-FR").format(n)} ${plural.select(n) === "one" ? one : other}`;
}

/** A person to recognise among look-alikes: name, birth, phone. */
export function identityLine(
  p: Named & { birth_date?: string | null; birth_year?: number | null; sex?: string | null; phone?: string | null },
): string {
  return [fullName(p), birthText(p), p.phone && `tél. ${p.phone}`].filter(Boolean).join(", ");
}
