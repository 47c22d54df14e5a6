// Dates as the coordinators live them: in Europe/Paris, whatever the device's zone. The API
// speaks UTC instants; a "day" or a "week" is Paris's.
const ZONE = "Europe/Paris";

const dateTime = new Intl.DateTimeFormat("fr-FR", { timeZone: ZONE, dateStyle: "medium", timeStyle: "short" });
const dateOnly = new Intl.DateTimeFormat("fr-FR", { timeZone: ZONE, dateStyle: "medium" });
const longDay = new Intl.DateTimeFormat("fr-FR", { timeZone: ZONE, weekday: "long", day: "numeric", month: "long" });
const hourMinute = new Intl.DateTimeFormat("fr-FR", { timeZone: ZONE, hour: "2-digit", minute: "2-digit" });
const parts = new Intl.DateTimeFormat("en-CA", {
  timeZone: ZONE,
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
  hourCycle: "h23",
});

export const formatDateTime = (iso: string) => dateTime.format(new Date(iso));
export const formatTime = (iso: string) => hourMinute.format(new Date(iso));
export const formatLongDay = (isoOrDate: string | Date) => longDay.format(typeof isoOrDate === "string" ? new Date(isoOrDate) : isoOrDate);

/** A calendar date (YYYY-MM-DD) in French, read as that day (not an instant). */
export function formatDate(day: string): string {
  return dateOnly.format(new Date(`${day}T12:00:00Z`));
}

function wallClock(instant: Date): { day: string; time: string; offsetMs: number } {
  const p = Object.fromEntries(parts.formatToParts(instant).map((x) => [x.type, x.value]));
  const asUtc = Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute), Number(p.second));
  return {
    day: `${p.year}-${p.month}-${p.day}`,
    time: `${p.hour}:${p.minute}`,
    offsetMs: asUtc - Math.floor(instant.getTime() / 1000) * 1000,
  };
}

/** The Paris calendar day of an instant (YYYY-MM-DD). */
export function parisDay(instant: Date | string = new Date()): string {
  return wallClock(typeof instant === "string" ? new Date(instant) : instant).day;
}

/** The Paris wall-clock time of an instant (HH:MM). */
export function parisTime(instant: Date | string): string {
  return wallClock(typeof instant === "string" ? new Date(instant) : instant).time;
}

/** The UTC instant of a Paris wall-clock time (`day` YYYY-MM-DD, `time` HH:MM). */
export function parisToUtc(day: string, time = "00:00"): Date {
  const [y, m, d] = day.split("-").map(Number);
  const [hh, mm] = time.split(":").map(Number);
  const guess = Date.UTC(y ?? 1970, (m ?? 1) - 1, d ?? 1, hh ?? 0, mm ?? 0);
  // The offset at the guess, then at the corrected instant: right on both sides of a DST change.
  const first = guess - wallClock(new Date(guess)).offsetMs;
  return new Date(guess - wallClock(new Date(first)).offsetMs);
}

/** `day` plus `n` calendar days. */
export function addDays(day: string, n: number): string {
  const date = new Date(`${day}T12:00:00Z`);
  date.setUTCDate(date.getUTCDate() + n);
  return date.toISOString().slice(0, 10);
}

/** The Monday of the week holding `day`. */
export function mondayOf(day: string): string {
  const weekday = new Date(`${day}T12:00:00Z`).getUTCDay(); // 0 = Sunday
  return addDays(day, weekday === 0 ? -6 : 1 - weekday);
}

/** The value of an `<input type="datetime-local">` for an instant, in Paris time. */
export function toLocalInput(instant: Date | string): string {
  const clock = wallClock(typeof instant === "string" ? new Date(instant) : instant);
  return `${clock.day}T${clock.time}`;
}

/** An `<input type="datetime-local">` value (Paris time) as an RFC 3339 UTC instant. */
export function fromLocalInput(value: string): string {
  const [day = "", time = "00:00"] = value.split("T");
  return parisToUtc(day, time.slice(0, 5)).toISOString();
}

/** A report's delay in minutes, in the unit a reader thinks in ("45 min", "6 h", "3 jours"). */
export function delayText(minutes: number | null | undefined): string {
  if (minutes == null) return "—";
  if (minutes < 60) return `${minutes} min`;
  if (minutes < 48 * 60) return `${Math.round(minutes / 60)} h`;
  return `${Math.round(minutes / 1440)} jours`;
}
