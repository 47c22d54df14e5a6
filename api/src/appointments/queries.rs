use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;

use super::hours::{Range, within};
use super::models::{AgendaFilter, Appointment, AppointmentInput, AppointmentKind, AppointmentRow, AppointmentStatus, ExpectedPerson};
use crate::db::DbConnection;
use crate::db::schema::{appointment_persons, appointments, persons, site_opening_hours, sites, situation_persons, situations, users};
use crate::error::{ApiError, ApiResult};
use crate::http::pagination::{Cursor, Page};
use crate::time::utc;

pub const OVERLAP_CONSTRAINT: &str = "appointments_no_overlap";

/// The longest an appointment lasts.
pub const MAX_LENGTH: Duration = Duration::hours(8);

pub fn find(conn: &mut DbConnection, ccas_id: &str, id: &str) -> ApiResult<AppointmentRow> {
    appointments::table
        .filter(appointments::id.eq(id))
        .filter(appointments::ccas_id.eq(ccas_id))
        .select(AppointmentRow::as_select())
        .first(conn)
        .map_err(ApiError::from)
}

/// An appointment with the persons it expects.
pub fn find_view(conn: &mut DbConnection, ccas_id: &str, id: &str) -> ApiResult<Appointment> {
    let row = find(conn, ccas_id, id)?;
    let mut views = views(conn, vec![row])?;
    views.pop().ok_or(ApiError::NotFound)
}

/// Appointments with the persons they expect: one query for all of them.
pub fn views(conn: &mut DbConnection, rows: Vec<AppointmentRow>) -> ApiResult<Vec<Appointment>> {
    let ids: Vec<&str> = rows.iter().map(|r| r.id.as_str()).collect();
    let expected: Vec<(String, String, Option<String>, Option<String>)> = appointment_persons::table
        .inner_join(persons::table)
        .filter(appointment_persons::appointment_id.eq_any(&ids))
        .order((persons::last_name, persons::first_name, persons::id))
        .select((appointment_persons::appointment_id, persons::id, persons::last_name, persons::first_name))
        .load(conn)?;
    let mut by_appointment: std::collections::HashMap<String, Vec<ExpectedPerson>> = std::collections::HashMap::new();
    for (appointment_id, id, last_name, first_name) in expected {
        by_appointment.entry(appointment_id).or_default().push(ExpectedPerson { id, last_name, first_name });
    }
    rows.into_iter()
        .map(|row| {
            let persons = by_appointment.remove(&row.id).unwrap_or_default();
            Appointment::try_from(row).map(|a| Appointment { persons, ..a })
        })
        .collect()
}

/// The persons an input expects: those listed and `person_id`, each once.
pub fn expected_persons(input: &AppointmentInput) -> Vec<String> {
    let mut ids: Vec<String> = input.expected_person_ids.iter().chain(input.person_id.iter()).cloned().collect();
    ids.sort();
    ids.dedup();
    ids
}

/// Sets the persons an appointment expects.
pub fn set_expected(conn: &mut DbConnection, appointment_id: &str, person_ids: &[String]) -> ApiResult<()> {
    diesel::delete(appointment_persons::table.filter(appointment_persons::appointment_id.eq(appointment_id))).execute(conn)?;
    for person in person_ids {
        diesel::insert_into(appointment_persons::table)
            .values((appointment_persons::appointment_id.eq(appointment_id), appointment_persons::person_id.eq(person)))
            .execute(conn)?;
    }
    Ok(())
}

/// Listed persons that are not of the appointment's situation (or, without one, of the CCAS).
fn strangers(conn: &mut DbConnection, ccas_id: &str, input: &AppointmentInput) -> ApiResult<Vec<String>> {
    let listed: Vec<String> = input.expected_person_ids.iter().filter(|id| Some(*id) != input.person_id.as_ref()).cloned().collect();
    if listed.is_empty() {
        return Ok(Vec::new());
    }
    let known: Vec<String> = match &input.situation_id {
        Some(situation) => situation_persons::table
            .filter(situation_persons::situation_id.eq(situation))
            .filter(situation_persons::person_id.eq_any(&listed))
            .select(situation_persons::person_id)
            .load(conn)?,
        None => persons::table.filter(persons::ccas_id.eq(ccas_id)).filter(persons::id.eq_any(&listed)).select(persons::id).load(conn)?,
    };
    Ok(listed.into_iter().filter(|id| !known.contains(id)).collect())
}

pub fn opening_ranges(conn: &mut DbConnection, site_id: &str) -> ApiResult<Vec<Range>> {
    let rows: Vec<(i32, i32, i32)> = site_opening_hours::table
        .filter(site_opening_hours::site_id.eq(site_id))
        .select((site_opening_hours::weekday, site_opening_hours::opens_minute, site_opening_hours::closes_minute))
        .load(conn)?;
    Ok(rows.into_iter().map(|(weekday, opens, closes)| Range { weekday, opens, closes }).collect())
}

/// Checks what an appointment refers to and when it happens; all problems at once.
pub fn check(conn: &mut DbConnection, ccas_id: &str, input: &AppointmentInput) -> ApiResult<()> {
    let mut errors = Vec::new();
    let invalid = |field: &str, code: &str, message: &str| crate::error::FieldError::new(field, code, message);
    let site_known =
        diesel::select(diesel::dsl::exists(sites::table.filter(sites::id.eq(&input.site_id)).filter(sites::ccas_id.eq(ccas_id))))
            .get_result::<bool>(conn)?;
    if !site_known {
        errors.push(invalid("site_id", "unknown", "is not a site of this CCAS"));
    }
    if let Err(ApiError::Validation(mut e)) =
        crate::situations::queries::check_coordinator(conn, ccas_id, &input.coordinator_id, "coordinator_id")
    {
        errors.append(&mut e);
    }
    if let Some(situation) = &input.situation_id {
        let known = diesel::select(diesel::dsl::exists(
            situations::table.filter(situations::id.eq(situation)).filter(situations::ccas_id.eq(ccas_id)),
        ))
        .get_result::<bool>(conn)?;
        if !known {
            errors.push(invalid("situation_id", "unknown", "is not a situation of this CCAS"));
        }
    }
    if let Some(person) = &input.person_id {
        let known = diesel::select(diesel::dsl::exists(persons::table.filter(persons::id.eq(person)).filter(persons::ccas_id.eq(ccas_id))))
            .get_result::<bool>(conn)?;
        if !known {
            errors.push(invalid("person_id", "unknown", "is not a person of this CCAS"));
        }
    }
    if !strangers(conn, ccas_id, input)?.is_empty() {
        errors.push(invalid("expected_person_ids", "unknown", "lists a person who is not of the appointment's situation"));
    }
    if input.situation_id.is_none() && input.person_id.is_none() {
        errors.push(invalid("situation_id", "required", "an appointment is for a situation or a person"));
    }
    let length = input.ends_at - input.starts_at;
    if length <= Duration::zero() || length > MAX_LENGTH {
        errors.push(invalid("ends_at", "range", "must be after starts_at, at most 8 hours later"));
    } else if input.kind == AppointmentKind::Scheduled
        && site_known
        && !within(&opening_ranges(conn, &input.site_id)?, input.starts_at, input.ends_at)
    {
        errors.push(invalid("starts_at", "closed", "a scheduled appointment lies inside the site's opening hours (Europe/Paris)"));
    }
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    if let Some(situation) = &input.situation_id {
        crate::situations::queries::find_open(conn, ccas_id, situation)?;
    }
    Ok(())
}

/// Takes the coordinator's agenda for the rest of the transaction, before writing into it.
///
/// PostgreSQL's exclusion constraint alone is not enough: two transactions that insert
/// overlapping rows at the same moment each find the other's uncommitted row and wait for it,
/// and the deadlock detector then kills one of them (SQLSTATE 40P01) instead of answering 409.
/// Holding the coordinator's row (`FOR NO KEY UPDATE`, which does not block foreign-key checks)
/// makes the second booking wait for the first to commit, then meet its row as a plain overlap.
/// SQLite needs nothing: `BEGIN IMMEDIATE` already serialises writers.
pub fn lock_agenda(conn: &mut DbConnection, coordinator_id: &str) -> ApiResult<()> {
    if let DbConnection::Postgres(pg) = conn {
        users::table.filter(users::id.eq(coordinator_id)).select(users::id).for_no_key_update().load::<String>(pg)?;
    }
    Ok(())
}

/// True when a write failed because it would overlap another planned appointment.
pub fn is_overlap(error: &diesel::result::Error) -> bool {
    match error {
        diesel::result::Error::DatabaseError(_, info) => {
            info.constraint_name() == Some(OVERLAP_CONSTRAINT) || info.message().contains(OVERLAP_CONSTRAINT)
        }
        _ => false,
    }
}

/// The 409 answer naming the appointments a slot overlaps (read after the failed write).
pub fn overlap_conflict(
    conn: &mut DbConnection,
    coordinator_id: &str,
    starts: NaiveDateTime,
    ends: NaiveDateTime,
    except: Option<&str>,
) -> ApiResult<ApiError> {
    let mut query = appointments::table
        .filter(appointments::coordinator_id.eq(coordinator_id))
        .filter(appointments::status.eq(AppointmentStatus::Planned.as_str()))
        .filter(appointments::kind.ne(AppointmentKind::Emergency.as_str()))
        .filter(appointments::starts_at.lt(ends))
        .filter(appointments::ends_at.gt(starts))
        .select(AppointmentRow::as_select())
        .into_boxed();
    if let Some(id) = except {
        query = query.filter(appointments::id.ne(id.to_owned()));
    }
    let rows: Vec<AppointmentRow> = query.load(conn)?;
    let conflicts = views(conn, rows)?;
    Ok(ApiError::ConflictWith {
        code: "appointment_overlap",
        detail: "The coordinator already has a planned appointment at that time".into(),
        conflicts: serde_json::to_value(conflicts).map_err(ApiError::internal)?,
    })
}

/// Inserts a new planned appointment; an overlap surfaces as the database's error.
pub fn insert(
    conn: &mut DbConnection,
    ccas_id: &str,
    input: &AppointmentInput,
    now: NaiveDateTime,
) -> Result<String, diesel::result::Error> {
    let id = uuid::Uuid::new_v4().to_string();
    diesel::insert_into(appointments::table)
        .values((
            appointments::id.eq(&id),
            appointments::ccas_id.eq(ccas_id),
            appointments::site_id.eq(&input.site_id),
            appointments::coordinator_id.eq(&input.coordinator_id),
            appointments::situation_id.eq(&input.situation_id),
            appointments::person_id.eq(&input.person_id),
            appointments::kind.eq(input.kind.as_str()),
            appointments::starts_at.eq(input.starts_at.naive_utc()),
            appointments::ends_at.eq(input.ends_at.naive_utc()),
            appointments::status.eq(AppointmentStatus::Planned.as_str()),
            appointments::created_at.eq(now),
            appointments::updated_at.eq(now),
        ))
        .execute(conn)?;
    Ok(id)
}

/// Inserts a new planned appointment and the persons it expects.
pub fn insert_expecting(conn: &mut DbConnection, ccas_id: &str, input: &AppointmentInput, now: NaiveDateTime) -> ApiResult<String> {
    let id = insert(conn, ccas_id, input, now).map_err(overlap_error)?;
    set_expected(conn, &id, &expected_persons(input))?;
    Ok(id)
}

/// The database's refusal of an overlap, as a 409 the handler explains.
pub fn overlap_error(error: diesel::result::Error) -> ApiError {
    if is_overlap(&error) { ApiError::Conflict { code: OVERLAP, detail: OVERLAP_DETAIL.to_owned() } } else { error.into() }
}

pub const OVERLAP: &str = "appointment_overlap";
const OVERLAP_DETAIL: &str = "The appointment overlaps another planned appointment of the same coordinator";

/// Moves an appointment if still at `version`; `Ok(false)` when the version is stale.
pub fn reschedule(
    conn: &mut DbConnection,
    id: &str,
    version: i32,
    input: &AppointmentInput,
    now: NaiveDateTime,
) -> Result<bool, diesel::result::Error> {
    let moved = diesel::update(appointments::table.filter(appointments::id.eq(id)).filter(appointments::version.eq(version)))
        .set((
            appointments::site_id.eq(&input.site_id),
            appointments::coordinator_id.eq(&input.coordinator_id),
            appointments::situation_id.eq(&input.situation_id),
            appointments::person_id.eq(&input.person_id),
            appointments::kind.eq(input.kind.as_str()),
            appointments::starts_at.eq(input.starts_at.naive_utc()),
            appointments::ends_at.eq(input.ends_at.naive_utc()),
            appointments::version.eq(version + 1),
            appointments::updated_at.eq(now),
        ))
        .execute(conn)?;
    Ok(moved == 1)
}

pub fn as_input(a: &Appointment) -> AppointmentInput {
    AppointmentInput {
        kind: a.kind,
        site_id: a.site_id.clone(),
        coordinator_id: a.coordinator_id.clone(),
        situation_id: a.situation_id.clone(),
        person_id: a.person_id.clone(),
        expected_person_ids: a.persons.iter().map(|p| p.id.clone()).collect(),
        starts_at: a.starts_at.and_utc(),
        ends_at: a.ends_at.and_utc(),
    }
}

/// A page of the agenda, in time order.
pub fn agenda(
    conn: &mut DbConnection,
    ccas_id: &str,
    filter: &AgendaFilter,
    after: Option<(NaiveDateTime, String)>,
    limit: i64,
) -> ApiResult<Page<Appointment>> {
    let mut query = appointments::table
        .filter(appointments::ccas_id.eq(ccas_id))
        .select(AppointmentRow::as_select())
        .order((appointments::starts_at, appointments::id))
        .limit(limit + 1)
        .into_boxed();
    if let Some(v) = &filter.coordinator_id {
        query = query.filter(appointments::coordinator_id.eq(v.clone()));
    }
    if let Some(v) = &filter.site_id {
        query = query.filter(appointments::site_id.eq(v.clone()));
    }
    if let Some(v) = &filter.situation_id {
        query = query.filter(appointments::situation_id.eq(v.clone()));
    }
    if let Some(v) = filter.status {
        query = query.filter(appointments::status.eq(v.as_str()));
    }
    if let Some(from) = filter.from {
        // Ending after `from` means starting at most the longest length before it: the bound
        // on `starts_at` lets the index start there instead of at the CCAS's first appointment.
        let earliest_start = from.naive_utc() - MAX_LENGTH;
        query = query.filter(appointments::ends_at.gt(from.naive_utc())).filter(appointments::starts_at.gt(earliest_start));
    }
    if let Some(to) = filter.to {
        query = query.filter(appointments::starts_at.lt(to.naive_utc()));
    }
    if let Some((at, id)) = after {
        query = query.filter(appointments::starts_at.gt(at).or(appointments::starts_at.eq(at).and(appointments::id.gt(id))));
    }
    let rows: Vec<AppointmentRow> = query.load(conn)?;
    let page = Page::from_rows(rows, limit, |r| Cursor { key: utc(r.starts_at).to_rfc3339(), id: r.id.clone() });
    page.map_items(|rows| views(conn, rows))
}
