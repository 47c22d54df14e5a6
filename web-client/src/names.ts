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

/** "née le 12 avr. 1985", "née en 1985", or "". */
export function birthText(p: { birth_date?: string | null; birth_year?: number | null }): string {
  if (p.birth_date) return `née le ${formatDate(p.birth_date)}`;
  return p.birth_year ? `née en ${p.birth_year}` : "";
}

/** A person to recognise among look-alikes: name, birth, phone. */
export function identityLine(p: Named & { birth_date?: string | null; birth_year?: number | null; phone?: string | null }): string {
  return [fullName(p), birthText(p), p.phone && `tél. ${p.phone}`].filter(Boolean).join(", ");
}
