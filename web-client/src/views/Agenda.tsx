// The agenda of one coordinator at one site, as a time grid over the site's opening hours: the
// week (Monday to Saturday) or one day. Book in a free slot for the persons expected, move,
// cancel, record whether they came. Overlaps are refused by the API (409), shown here.
import { CoordinatorOptions } from "../components/Choices";
import { useState, type FormEvent } from "react";
import { Link, useSearch } from "wouter";
import { api, ifMatch, ok } from "../api/client";
import { ApiProblem } from "../api/problem";
import type { Appointment, AppointmentKind, Situation, Slot } from "../api/types";
import { Field, FieldSet } from "../components/Field";
import { TimeGrid } from "../components/TimeGrid";
import { fullName, namesOf } from "../names";
import { PageTitle } from "../components/Layout";
import { FormErrors, ProblemAlert } from "../components/ProblemAlert";
import { useAction, useLoad } from "../components/useLoad";
import { allPages } from "../api/query";
import { appointmentKind, appointmentStatus, role } from "../labels";
import { useReference } from "../reference";
import { useSession } from "../session";
import { addDays, formatDate, formatLongDay, formatTime, mondayOf, parisDay, parisToUtc } from "../time";
import { SituationPicker } from "../components/SituationPicker";
import { situationTitle } from "./Situations";

const DAYS = [0, 1, 2, 3, 4, 5];

/** The week to show first: this one, or on a Sunday the coming one (Saturday's is over). */
export function currentMonday(today = parisDay()): string {
  return new Date(`${today}T12:00:00Z`).getUTCDay() === 0 ? addDays(today, 1) : mondayOf(today);
}
const DURATIONS = [30, 45, 60, 90];

export function Agenda() {
  const session = useSession();
  const reference = useReference();
  const params = new URLSearchParams(useSearch());
  const situationId = params.get("situation");
  const [monday, setMonday] = useState(currentMonday);
  const [chosenCoordinator, setCoordinator] = useState<string | null>(null);
  const [chosenSite, setSite] = useState<string | null>(null);
  const coordinator =
    chosenCoordinator ?? reference.coordinators.find((c) => c.id === session.claims?.sub)?.id ?? reference.coordinators[0]?.id ?? "";
  const site = chosenSite ?? reference.sites[0]?.id ?? "";
  const [moving, setMoving] = useState<Appointment | null>(null);
  const [selectedId, setSelected] = useState<string | null>(null);
  // A phone shows one day at a time; wider screens the week.
  const [view, setView] = useState<"week" | "day">(() => (window.matchMedia?.("(max-width: 640px)").matches ? "day" : "week"));
  const [chosenDay, setDay] = useState<string | null>(null);

  const week = useLoad(["Agenda.week", coordinator, site, monday], async (signal) => {
    if (!coordinator) return [];
    const items = await allPages((cursor) =>
      ok(
        api.GET("/api/v1/appointments", {
          signal,
          params: {
            query: {
              coordinator_id: coordinator,
              site_id: site || undefined,
              from: parisToUtc(monday).toISOString(),
              to: parisToUtc(addDays(monday, 7)).toISOString(),
              limit: 200,
              cursor,
            },
          },
        }),
      ),
    );
    return items as Appointment[];
  });

  const days = DAYS.map((n) => addDays(monday, n));
  const today = parisDay();
  const day = chosenDay && days.includes(chosenDay) ? chosenDay : days.includes(today) ? today : monday;
  const hours = reference.sites.find((s) => s.id === site)?.opening_hours ?? [];
  const selected = week.data?.find((a) => a.id === selectedId) ?? null;
  return (
    <section>
      <PageTitle title="Agenda">Agenda</PageTitle>
      <div className="toolbar">
        <Field label="Coordinateur">
          {(c) => (
            <select {...c} value={coordinator} onChange={(e) => setCoordinator(e.target.value)}>
              <CoordinatorOptions />
            </select>
          )}
        </Field>
        <Field label="Lieu">
          {(c) => (
            <select {...c} value={site} onChange={(e) => setSite(e.target.value)}>
              {reference.sites.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name}
                </option>
              ))}
            </select>
          )}
        </Field>
        <div className="week-nav" role="group" aria-label="Semaine">
          <button type="button" className="button-secondary" onClick={() => setMonday((m) => addDays(m, -7))}>
            ← Semaine précédente
          </button>
          <button type="button" className="button-secondary" onClick={() => setMonday(currentMonday())}>
            Cette semaine
          </button>
          <button type="button" className="button-secondary" onClick={() => setMonday((m) => addDays(m, 7))}>
            Semaine suivante →
          </button>
        </div>
      </div>
      <h2 className="week-title">
        Semaine du {formatDate(monday)} au {formatDate(addDays(monday, 5))}
      </h2>
      <ProblemAlert problem={week.problem} />
      <div className="view-switch" role="group" aria-label="Affichage">
        <button type="button" className="button-secondary" aria-pressed={view === "week"} onClick={() => setView("week")}>
          Semaine
        </button>
        <button type="button" className="button-secondary" aria-pressed={view === "day"} onClick={() => setView("day")}>
          Jour
        </button>
        {view === "day" && (
          <Field label="Jour affiché">
            {(c) => (
              <select {...c} value={day} onChange={(e) => setDay(e.target.value)}>
                {days.map((d) => (
                  <option key={d} value={d}>
                    {formatLongDay(parisToUtc(d, "12:00"))}
                  </option>
                ))}
              </select>
            )}
          </Field>
        )}
      </div>
      <div className="week" aria-busy={week.loading}>
        <TimeGrid
          days={view === "week" ? days : [day]}
          hours={hours}
          appointments={week.data ?? []}
          selected={selected?.id ?? null}
          onSelect={(a) => setSelected(a.id)}
        />
        {week.data?.length === 0 && <p className="muted small">Aucun rendez-vous cette semaine.</p>}
      </div>
      {selected && (
        <section className={`card appointment appointment-detail appointment-${selected.status}`} aria-labelledby="selected-title">
          <h2 id="selected-title">Rendez-vous du {formatLongDay(selected.starts_at)}</h2>
          <AppointmentCard key={selected.id} appointment={selected} onChange={week.reload} onMove={() => setMoving(selected)} />
        </section>
      )}
      {moving ? (
        <MovePanel
          key={moving.id}
          appointment={moving}
          days={days}
          onDone={() => (setMoving(null), week.reload())}
          onCancel={() => setMoving(null)}
        />
      ) : (
        coordinator &&
        site && (
          <BookPanel
            key={`${coordinator}/${site}/${monday}`}
            coordinator={coordinator}
            site={site}
            days={days}
            situationId={situationId}
            onBooked={week.reload}
          />
        )
      )}
    </section>
  );
}

function AppointmentCard({ appointment: a, onChange, onMove }: { appointment: Appointment; onChange: () => void; onMove: () => void }) {
  const { problem, errors, busy, run } = useAction();
  const [cancelling, setCancelling] = useState(false);
  const [reason, setReason] = useState("");
  const outcome = (value: "attended" | "no_show" | "cancelled", why?: string) =>
    void run(async () => {
      await ok(
        api.POST("/api/v1/appointments/{id}/outcome", {
          params: { path: { id: a.id } },
          body: { outcome: value, reason: why?.trim() || null },
        }),
      );
      onChange();
    });
  return (
    <>
      <p>
        <strong>
          {formatTime(a.starts_at)}–{formatTime(a.ends_at)}
        </strong>{" "}
        {appointmentKind[a.kind]}
      </p>
      <p>
        <span className={`status status-${a.status}`}>{appointmentStatus[a.status]}</span>
        {a.cancel_reason && <span className="muted small"> — {a.cancel_reason}</span>}
      </p>
      <p>{a.persons.length > 0 ? `Attendu(s) : ${namesOf(a.persons)}` : "Personne attendue non précisée"}</p>
      {a.situation_id && <Link href={`/situations/${a.situation_id}`}>Ouvrir la situation</Link>}
      {!cancelling && <ProblemAlert problem={problem} />}
      {a.status === "planned" && !cancelling && (
        <div className="actions">
          {/* Whether the person came is known once the appointment has begun. */}
          {new Date(a.starts_at) <= new Date() && (
            <>
              <button type="button" className="button-small" disabled={busy} onClick={() => outcome("attended")}>
                Honoré
              </button>
              <button type="button" className="button-small" disabled={busy} onClick={() => outcome("no_show")}>
                Absent
              </button>
            </>
          )}
          <button type="button" className="button-small" disabled={busy} onClick={onMove}>
            Déplacer
          </button>
          <button type="button" className="button-small" disabled={busy} onClick={() => setCancelling(true)}>
            Annuler
          </button>
        </div>
      )}
      {cancelling && (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            outcome("cancelled", reason);
          }}
        >
          <FormErrors problem={problem} />
          <Field label="Motif d'annulation" error={errors.reason} required>
            {(c) => <input {...c} value={reason} onChange={(e) => setReason(e.target.value)} />}
          </Field>
          <button type="submit" className="button-small" disabled={busy}>
            Confirmer l'annulation
          </button>{" "}
          <button type="button" className="button-small" onClick={() => setCancelling(false)}>
            Garder
          </button>
        </form>
      )}
    </>
  );
}

/** The free slots of a day for a coordinator at a site, as buttons. */
function SlotPicker({
  coordinator,
  site,
  days,
  chosen,
  onChoose,
  refresh = 0,
}: {
  coordinator: string;
  site: string;
  days: string[];
  chosen: Slot | null;
  onChoose: (slot: Slot, duration: number) => void;
  /** Bumped after a booking: the slot just taken is no longer free. */
  refresh?: number;
}) {
  // Only days to come: a past slot is no appointment to book.
  const open = days.filter((d) => d >= parisDay());
  const [day, setDay] = useState(() => open[0] ?? "");
  const [duration, setDuration] = useState(45);
  const slots = useLoad(["Agenda.slots", site, coordinator, day, duration, refresh], async (signal) => {
    if (!day) return [];
    const availability = await ok(
      api.GET("/api/v1/availability", { signal, params: { query: { site, coordinator, date: day, duration } } }),
    );
    return availability.slots;
  });
  return (
    <>
      <div className="grid-2">
        <Field label="Jour">
          {(c) => (
            <select {...c} value={day} onChange={(e) => setDay(e.target.value)}>
              {open.length === 0 && <option value="">Semaine passée : choisissez une autre semaine</option>}
              {open.map((d) => (
                <option key={d} value={d}>
                  {formatLongDay(parisToUtc(d, "12:00"))}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Durée">
          {(c) => (
            <select {...c} value={duration} onChange={(e) => setDuration(Number(e.target.value))}>
              {DURATIONS.map((d) => (
                <option key={d} value={d}>
                  {d} minutes
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>
      <ProblemAlert problem={slots.problem} />
      <div role="group" aria-label="Créneaux libres" className="slots">
        {slots.data?.length === 0 && <p className="muted">Aucun créneau libre ce jour-là (lieu fermé ou agenda complet).</p>}
        {slots.data?.map((slot) => (
          <button
            key={slot.starts_at}
            type="button"
            className={chosen?.starts_at === slot.starts_at ? "slot slot-chosen" : "slot"}
            aria-pressed={chosen?.starts_at === slot.starts_at}
            onClick={() => onChoose(slot, duration)}
          >
            {formatTime(slot.starts_at)}
          </button>
        ))}
      </div>
    </>
  );
}

function ConflictList({ problem }: { problem: ApiProblem | null }) {
  if (problem?.problem.code !== "appointment_overlap" || !Array.isArray(problem.problem.conflicts)) return null;
  return (
    <ul className="error-text">
      {(problem.problem.conflicts as unknown as Appointment[]).map((c) => (
        <li key={c.id}>
          Déjà pris : {formatLongDay(c.starts_at)}, {formatTime(c.starts_at)}–{formatTime(c.ends_at)} ({appointmentKind[c.kind]})
        </li>
      ))}
    </ul>
  );
}

function BookPanel({
  coordinator,
  site,
  days,
  situationId: given,
  onBooked,
}: {
  coordinator: string;
  site: string;
  days: string[];
  situationId: string | null;
  onBooked: () => void;
}) {
  const [chosenSituation, setChosenSituation] = useState("");
  const situationId = given ?? (chosenSituation || null);
  const [slot, setSlot] = useState<Slot | null>(null);
  const [kind, setKind] = useState<AppointmentKind>("scheduled");
  const [booked, setBooked] = useState<string | null>(null);
  const [bookings, setBookings] = useState(0);
  const situation = useLoad(["Agenda.situation", situationId], async (signal) =>
    situationId ? await ok(api.GET("/api/v1/situations/{id}", { signal, params: { path: { id: situationId } } })) : null,
  );
  // Who is expected is the coordinator's choice: nobody is ticked in advance.
  const [expected, setExpected] = useState<string[]>([]);
  const [expectedMissing, setExpectedMissing] = useState(false);
  const { problem, errors, busy, run } = useAction();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!slot) return;
    if (expected.length === 0) {
      setExpectedMissing(true);
      return;
    }
    setExpectedMissing(false);
    void run(async () => {
      const created = await ok(
        api.POST("/api/v1/appointments", {
          body: {
            kind,
            site_id: site,
            coordinator_id: coordinator,
            situation_id: situationId,
            expected_person_ids: expected,
            starts_at: slot.starts_at,
            ends_at: slot.ends_at,
          },
        }),
      ).catch((error: unknown) => {
        // Taken meanwhile: show the week and the slots as they now are, with the conflict.
        if (error instanceof ApiProblem && error.problem.code === "appointment_overlap") {
          setSlot(null);
          setBookings((n) => n + 1);
          onBooked();
        }
        throw error;
      });
      setBooked(`${formatLongDay(created.starts_at)} à ${formatTime(created.starts_at)}`);
      setSlot(null);
      setBookings((n) => n + 1);
      onBooked();
    });
  };
  const s: Situation | null | undefined = situation.data;
  return (
    <form className="card" onSubmit={submit} aria-labelledby="book-title">
      <h2 id="book-title">Prendre rendez-vous{s && ` pour ${situationTitle(s)}`}</h2>
      {booked && (
        <div className="alert alert-success" role="status">
          Rendez-vous pris : {booked}. {given && <Link href={`/situations/${given}`}>Revenir à la situation</Link>}
        </div>
      )}
      <FormErrors problem={problem} />
      <ConflictList problem={problem} />
      <SlotPicker
        coordinator={coordinator}
        site={site}
        days={days}
        chosen={slot}
        refresh={bookings}
        onChoose={(chosen) => (setSlot(chosen), setBooked(null))}
      />
      {!given && (
        <SituationPicker value={chosenSituation} onChange={(id) => (setChosenSituation(id), setExpected([]))} error={errors.situation_id} />
      )}
      {s && (
        <FieldSet
          legend="Personnes attendues"
          error={expectedMissing ? "Cochez au moins une personne attendue." : errors.expected_person_ids}
        >
          {s.persons.map(({ person: p, role: r }) => (
            <label key={p.id} className="inline">
              <input
                type="checkbox"
                checked={expected.includes(p.id)}
                onChange={(e) => setExpected(e.target.checked ? [...expected, p.id] : expected.filter((x) => x !== p.id))}
              />
              {fullName(p)} ({role[r]})
            </label>
          ))}
        </FieldSet>
      )}
      <Field label="Modalité" error={errors.kind}>
        {(c) => (
          <select {...c} value={kind} onChange={(e) => setKind(e.target.value as AppointmentKind)}>
            <option value="scheduled">{appointmentKind.scheduled}</option>
            <option value="phone">{appointmentKind.phone}</option>
          </select>
        )}
      </Field>
      <button className="button" type="submit" disabled={busy || !slot || !situationId}>
        {slot ? `Réserver ${formatLongDay(slot.starts_at)} à ${formatTime(slot.starts_at)}` : "Choisissez un créneau"}
      </button>
    </form>
  );
}

function MovePanel({
  appointment,
  days,
  onDone,
  onCancel,
}: {
  appointment: Appointment;
  days: string[];
  onDone: () => void;
  onCancel: () => void;
}) {
  const [slot, setSlot] = useState<Slot | null>(null);
  const { problem, busy, run } = useAction();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!slot) return;
    void run(async () => {
      // The version shown: if someone changed it since, the API answers 412 and nothing moves.
      await ok(
        api.PATCH("/api/v1/appointments/{id}", {
          params: { path: { id: appointment.id }, header: { "If-Match": ifMatch(appointment.version) } },
          body: { starts_at: slot.starts_at, ends_at: slot.ends_at } as never,
          headers: { "Content-Type": "application/merge-patch+json" },
        }),
      );
      onDone();
    });
  };
  return (
    <form className="card" onSubmit={submit} aria-labelledby="move-title">
      <h2 id="move-title">
        Déplacer le rendez-vous du {formatLongDay(appointment.starts_at)} à {formatTime(appointment.starts_at)}
      </h2>
      <FormErrors problem={problem} />
      <ConflictList problem={problem} />
      <SlotPicker coordinator={appointment.coordinator_id} site={appointment.site_id} days={days} chosen={slot} onChoose={setSlot} />
      <button className="button" type="submit" disabled={busy || !slot}>
        Confirmer le déplacement
      </button>{" "}
      <button className="button-secondary" type="button" onClick={onCancel}>
        Ne pas déplacer
      </button>
    </form>
  );
}
