// An agenda's time grid: one column per day, one row per quarter hour, over the site's opening
// hours (stretched to any appointment outside them, an emergency at night for one). Closed
// hours are shaded. Each appointment is a button naming its time, persons and kind; choosing
// it shows its actions outside the grid, where they have room.
import type { Appointment, OpeningRange, Weekday } from "../api/types";
import { appointmentKind, appointmentStatus } from "../labels";
import { namesOf } from "../names";
import { formatLongDay, formatTime, parisDay, parisTime, parisToUtc } from "../time";

const WEEKDAYS: Weekday[] = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"];
const STEP = 15;

const minutes = (hhmm: string) => {
  const [h = 0, m = 0] = hhmm.split(":").map(Number);
  return h * 60 + m;
};

function weekdayOf(day: string): Weekday {
  return WEEKDAYS[new Date(`${day}T12:00:00Z`).getUTCDay()] ?? "monday";
}

/** Minutes of a Paris day an appointment covers, clipped to the day. */
function span(a: Appointment, day: string): [number, number] {
  const start = parisDay(a.starts_at) === day ? minutes(parisTime(a.starts_at)) : 0;
  const end = parisDay(a.ends_at) === day ? minutes(parisTime(a.ends_at)) : 24 * 60;
  return [start, Math.max(end, start + STEP)];
}

/** The hours the grid shows: the opening hours of its days and every appointment, whole hours. */
export function gridBounds(days: string[], hours: OpeningRange[], appointments: Appointment[]): [number, number] {
  const shown = new Set(days.map(weekdayOf));
  const edges = hours.filter((h) => shown.has(h.weekday)).flatMap((h) => [minutes(h.opens), minutes(h.closes)]);
  for (const a of appointments) for (const day of days) if (parisDay(a.starts_at) === day) edges.push(...span(a, day));
  if (edges.length === 0) return [9 * 60, 17 * 60];
  return [Math.floor(Math.min(...edges) / 60) * 60, Math.ceil(Math.max(...edges) / 60) * 60];
}

export function TimeGrid({
  days,
  hours,
  appointments,
  selected,
  onSelect,
}: {
  days: string[];
  hours: OpeningRange[];
  appointments: Appointment[];
  selected: string | null;
  onSelect: (appointment: Appointment) => void;
}) {
  const [first, last] = gridBounds(days, hours, appointments);
  const rows = (last - first) / STEP;
  const row = (minute: number) => Math.min(Math.max(Math.round((minute - first) / STEP), 0), rows) + 2;
  const hourMarks = Array.from({ length: (last - first) / 60 }, (_, i) => first + i * 60);
  return (
    <div
      className="time-grid"
      style={{ gridTemplateColumns: `3.2rem repeat(${days.length}, minmax(0, 1fr))`, gridTemplateRows: `auto repeat(${rows}, 0.8rem)` }}
    >
      {days.map((day, i) => (
        <div key={day} className="grid-day-head" style={{ gridColumn: i + 2, gridRow: 1 }}>
          {formatLongDay(parisToUtc(day, "12:00"))}
        </div>
      ))}
      {hourMarks.map((m) => (
        <div key={m} className="grid-hour" style={{ gridColumn: 1, gridRow: `${row(m)} / span 4` }} aria-hidden="true">
          {`${String(m / 60).padStart(2, "0")}:00`}
        </div>
      ))}
      {days.map((day, i) =>
        hours
          .filter((h) => h.weekday === weekdayOf(day))
          .map((h) => (
            <div
              key={`${day}-${h.opens}`}
              className="grid-open"
              style={{ gridColumn: i + 2, gridRow: `${row(minutes(h.opens))} / ${row(minutes(h.closes))}` }}
              aria-hidden="true"
            />
          )),
      )}
      {days.flatMap((day, i) =>
        appointments
          .filter((a) => parisDay(a.starts_at) === day)
          .sort((a, b) => a.starts_at.localeCompare(b.starts_at))
          .map((a) => {
            const [start, end] = span(a, day);
            return (
              <button
                key={a.id}
                type="button"
                className={`grid-appointment appointment-${a.status}${a.id === selected ? " grid-selected" : ""}`}
                style={{ gridColumn: i + 2, gridRow: `${row(start)} / ${row(end)}` }}
                aria-pressed={a.id === selected}
                onClick={() => onSelect(a)}
              >
                <span className="grid-time">
                  {formatTime(a.starts_at)}–{formatTime(a.ends_at)}
                </span>{" "}
                <span className="grid-who">{a.persons.length > 0 ? namesOf(a.persons) : appointmentKind[a.kind]}</span>
                {/* What the block has no room to show, for screen readers. */}
                <span className="visually-hidden">
                  , {formatLongDay(a.starts_at)}
                  {a.persons.length > 0 && `, ${appointmentKind[a.kind]}`}, {appointmentStatus[a.status]}
                </span>
              </button>
            );
          }),
      )}
    </div>
  );
}
