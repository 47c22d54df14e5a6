use std::collections::HashMap;

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::models::{
    ClosingReason, CoordinatorRef, NewSituation, PersonRole, Situation, SituationChanges, SituationFilter, SituationPerson, SituationRow,
    SituationStatus,
};
use crate::auth::Scope;
use crate::auth::scope::parse_scopes;
use crate::db::DbConnection;
use crate::db::schema::{persons, referrals, situation_persons, situation_problem_types, situations, users};
use crate::error::{ApiError, ApiResult};
use crate::persons::models::PersonRow;
use crate::search::{persons_with_prefix, query_words};
use crate::vocabulary::{JudicialProceedings, Role};

pub fn find_row(conn: &mut DbConnection, ccas_id: &str, id: &str) -> ApiResult<SituationRow> {
    situations::table
        .filter(situations::id.eq(id))
        .filter(situations::ccas_id.eq(ccas_id))
        .select(SituationRow::as_select())
        .first(conn)
        .map_err(ApiError::from)
}

/// A file of the CCAS that is open, or 404 / 409 `situation_closed`: a closed file takes no
/// booking, intervention, note or edit until it is reopened.
pub fn find_open(conn: &mut DbConnection, ccas_id: &str, id: &str) -> ApiResult<SituationRow> {
    let row = find_row(conn, ccas_id, id)?;
    if row.status == SituationStatus::Closed.as_str() {
        return Err(closed());
    }
    Ok(row)
}

pub fn closed() -> ApiError {
    ApiError::Conflict { code: "situation_closed", detail: "The file is closed: reopen it first".into() }
}

pub fn find(conn: &mut DbConnection, ccas_id: &str, id: &str) -> ApiResult<Situation> {
    let row = find_row(conn, ccas_id, id)?;
    load_views(conn, vec![row])?.pop().ok_or(ApiError::NotFound)
}

/// A user of this CCAS who works as a coordinator (`ccas` scope), or 422 on `field`.
pub fn check_coordinator(conn: &mut DbConnection, ccas_id: &str, user_id: &str, field: &str) -> ApiResult<()> {
    let scopes: Option<String> = users::table
        .filter(users::id.eq(user_id))
        .filter(users::organisation_id.eq(ccas_id))
        .filter(users::active.eq(true))
        .select(users::scopes)
        .first(conn)
        .optional()?;
    match scopes.map(|s| parse_scopes(&s)) {
        Some(Ok(scopes)) if scopes.contains(&Scope::Ccas) => Ok(()),
        _ => Err(ApiError::validation(field, "unknown", "is not a coordinator of this CCAS")),
    }
}

/// Checks that every person belongs to the CCAS.
fn check_persons(conn: &mut DbConnection, ccas_id: &str, ids: &[&str], field: &str) -> ApiResult<()> {
    let known: Vec<String> =
        persons::table.filter(persons::id.eq_any(ids)).filter(persons::ccas_id.eq(ccas_id)).select(persons::id).load(conn)?;
    match ids.iter().position(|id| !known.iter().any(|k| k == id)) {
        Some(i) => Err(ApiError::validation(&format!("{field}[{i}].person_id"), "unknown", "is not a person of this CCAS")),
        None => Ok(()),
    }
}

pub fn create(
    conn: &mut DbConnection,
    ccas_id: &str,
    input: &NewSituation,
    opened_at: NaiveDateTime,
    now: NaiveDateTime,
) -> ApiResult<String> {
    if let Some(coordinator) = &input.coordinator_id {
        check_coordinator(conn, ccas_id, coordinator, "coordinator_id")?;
    }
    crate::reference::check_problem_types(conn, "problem_types", &input.problem_types)?;
    let person_ids: Vec<&str> = input.persons.iter().map(|p| p.person_id.as_str()).collect();
    check_persons(conn, ccas_id, &person_ids, "persons")?;
    let id = uuid::Uuid::new_v4().to_string();
    diesel::insert_into(situations::table)
        .values((
            situations::id.eq(&id),
            situations::ccas_id.eq(ccas_id),
            situations::status.eq(SituationStatus::Open.as_str()),
            situations::coordinator_id.eq(&input.coordinator_id),
            situations::judicial_proceedings.eq(input.judicial_proceedings.as_str()),
            situations::opened_at.eq(opened_at),
            situations::created_at.eq(now),
            situations::updated_at.eq(now),
        ))
        .execute(conn)?;
    replace_problem_types(conn, &id, &input.problem_types)?;
    set_roles(conn, &id, &input.persons, now)?;
    Ok(id)
}

/// Gives several persons their roles at once. The file lists its persons in the order they
/// were added: those of one request, which share its instant, in the order it gave them, a
/// microsecond apart.
pub fn set_roles(conn: &mut DbConnection, situation_id: &str, persons: &[PersonRole], now: NaiveDateTime) -> ApiResult<()> {
    for (i, person) in (0_i64..).zip(persons) {
        set_role(conn, situation_id, person, now + chrono::Duration::microseconds(i))?;
    }
    Ok(())
}

pub fn replace_problem_types(conn: &mut DbConnection, situation_id: &str, codes: &[String]) -> ApiResult<()> {
    diesel::delete(situation_problem_types::table.filter(situation_problem_types::situation_id.eq(situation_id))).execute(conn)?;
    let mut codes = codes.to_vec();
    codes.sort();
    codes.dedup();
    for code in codes {
        diesel::insert_into(situation_problem_types::table)
            .values((situation_problem_types::situation_id.eq(situation_id), situation_problem_types::problem_type.eq(code)))
            .execute(conn)?;
    }
    Ok(())
}

/// Gives a person a role in the situation (adding them when absent).
pub fn set_role(conn: &mut DbConnection, situation_id: &str, person: &PersonRole, now: NaiveDateTime) -> ApiResult<()> {
    let updated = diesel::update(
        situation_persons::table
            .filter(situation_persons::situation_id.eq(situation_id))
            .filter(situation_persons::person_id.eq(&person.person_id)),
    )
    .set((situation_persons::role.eq(person.role.as_str()), situation_persons::role_detail.eq(&person.role_detail)))
    .execute(conn)?;
    if updated == 0 {
        diesel::insert_into(situation_persons::table)
            .values((
                situation_persons::situation_id.eq(situation_id),
                situation_persons::person_id.eq(&person.person_id),
                situation_persons::role.eq(person.role.as_str()),
                situation_persons::role_detail.eq(&person.role_detail),
                situation_persons::added_at.eq(now),
            ))
            .execute(conn)?;
    }
    Ok(())
}

pub fn add_person_checked(
    conn: &mut DbConnection,
    ccas_id: &str,
    situation_id: &str,
    person: &PersonRole,
    now: NaiveDateTime,
) -> ApiResult<()> {
    crate::persons::queries::find(conn, ccas_id, &person.person_id)?;
    set_role(conn, situation_id, person, now)?;
    bump_version(conn, situation_id, None, now)
}

pub fn remove_person(conn: &mut DbConnection, situation_id: &str, person_id: &str, now: NaiveDateTime) -> ApiResult<()> {
    let removed = diesel::delete(
        situation_persons::table
            .filter(situation_persons::situation_id.eq(situation_id))
            .filter(situation_persons::person_id.eq(person_id)),
    )
    .execute(conn)?;
    if removed == 0 {
        return Err(ApiError::NotFound);
    }
    bump_version(conn, situation_id, None, now)
}

/// Moves the file to its next version; with `expected`, only from that version (412 otherwise).
pub fn bump_version(conn: &mut DbConnection, situation_id: &str, expected: Option<i32>, now: NaiveDateTime) -> ApiResult<()> {
    let next = (situations::version.eq(situations::version + 1), situations::updated_at.eq(now));
    let this = situations::table.filter(situations::id.eq(situation_id));
    let bumped = match expected {
        Some(version) => diesel::update(this.filter(situations::version.eq(version))).set(next).execute(conn)?,
        None => diesel::update(this).set(next).execute(conn)?,
    };
    if bumped == 0 { Err(ApiError::PreconditionFailed) } else { Ok(()) }
}

pub fn as_changes(situation: &Situation) -> SituationChanges {
    SituationChanges {
        coordinator_id: situation.coordinator.as_ref().map(|c| c.id.clone()),
        problem_types: situation.problem_types.clone(),
        judicial_proceedings: situation.judicial_proceedings,
    }
}

pub fn update(
    conn: &mut DbConnection,
    ccas_id: &str,
    id: &str,
    version: i32,
    changes: &SituationChanges,
    now: NaiveDateTime,
) -> ApiResult<()> {
    if let Some(coordinator) = &changes.coordinator_id {
        check_coordinator(conn, ccas_id, coordinator, "coordinator_id")?;
    }
    crate::reference::check_problem_types(conn, "problem_types", &changes.problem_types)?;
    bump_version(conn, id, Some(version), now)?;
    diesel::update(situations::table.find(id))
        .set((
            situations::coordinator_id.eq(&changes.coordinator_id),
            situations::judicial_proceedings.eq(changes.judicial_proceedings.as_str()),
        ))
        .execute(conn)?;
    replace_problem_types(conn, id, &changes.problem_types)
}

/// Closes an open file, or reopens a closed one; 409 when it already is.
pub fn set_status(
    conn: &mut DbConnection,
    ccas_id: &str,
    id: &str,
    closing: Option<ClosingReason>,
    at: NaiveDateTime,
    now: NaiveDateTime,
) -> ApiResult<()> {
    let row = find_row(conn, ccas_id, id)?;
    let (from, wanted) =
        if closing.is_some() { (SituationStatus::Open, SituationStatus::Closed) } else { (SituationStatus::Closed, SituationStatus::Open) };
    let already = || ApiError::Conflict { code: "invalid_transition", detail: format!("The situation is already {}", wanted.as_str()) };
    if row.status != from.as_str() {
        return Err(already());
    }
    if closing.is_some() && at < row.opened_at {
        return Err(ApiError::validation("closed_at", "before_opening", "a file closes after it opened"));
    }
    let closed_at = closing.map(|_| at);
    // Conditional: of two coordinators closing (or reopening) at once, the second finds the
    // status changed once the first commits, and answers 409 (PostgreSQL re-reads the row).
    let changed = diesel::update(situations::table.find(id).filter(situations::status.eq(from.as_str())))
        .set((
            situations::status.eq(wanted.as_str()),
            situations::closed_at.eq(closed_at),
            situations::closing_reason.eq(closing.map(|c| c.as_str())),
            situations::version.eq(situations::version + 1),
            situations::updated_at.eq(now),
        ))
        .execute(conn)?;
    if changed == 0 { Err(already()) } else { Ok(()) }
}

pub fn list(
    conn: &mut DbConnection,
    ccas_id: &str,
    filter: &SituationFilter,
    after: Option<(NaiveDateTime, String)>,
    limit: i64,
) -> ApiResult<Vec<SituationRow>> {
    let mut query = situations::table
        .filter(situations::ccas_id.eq(ccas_id))
        .select(SituationRow::as_select())
        .order((situations::opened_at.desc(), situations::id.desc()))
        .limit(limit + 1)
        .into_boxed();
    if let Some(status) = filter.status {
        query = query.filter(situations::status.eq(status.as_str()));
    }
    if let Some(coordinator) = &filter.coordinator_id {
        query = query.filter(situations::coordinator_id.eq(coordinator.clone()));
    }
    if let Some(code) = &filter.problem_type {
        let with_type = situation_problem_types::table
            .filter(situation_problem_types::problem_type.eq(code.clone()))
            .select(situation_problem_types::situation_id);
        query = query.filter(situations::id.eq_any(with_type));
    }
    if let Some(person) = &filter.person_id {
        let with_person =
            situation_persons::table.filter(situation_persons::person_id.eq(person.clone())).select(situation_persons::situation_id);
        query = query.filter(situations::id.eq_any(with_person));
    }
    if let Some(prefix) = filter.q.as_deref().filter(|q| crate::phone::looks_like_phone(q)).and_then(crate::phone::search_prefix) {
        // Files one of whose persons has a number starting so, however it was written.
        let phoned = crate::persons::queries::with_phone_prefix(ccas_id, &prefix);
        let files = situation_persons::table.filter(situation_persons::person_id.eq_any(phoned)).select(situation_persons::situation_id);
        query = query.filter(situations::id.eq_any(files));
    } else if let Some(q) = filter.q.as_deref().filter(|q| !q.trim().is_empty()) {
        let words = query_words(q);
        if words.is_empty() {
            return Ok(Vec::new());
        }
        // Files whose persons' names hold every word.
        for word in &words {
            let named = situation_persons::table
                .filter(situation_persons::person_id.eq_any(persons_with_prefix(ccas_id, word)))
                .select(situation_persons::situation_id);
            query = query.filter(situations::id.eq_any(named));
        }
    }
    if let Some((at, id)) = after {
        query = query.filter(situations::opened_at.lt(at).or(situations::opened_at.eq(at).and(situations::id.lt(id))));
    }
    Ok(query.load(conn)?)
}

/// Builds the views of `rows` with four more queries, whatever their number.
pub fn load_views(conn: &mut DbConnection, rows: Vec<SituationRow>) -> ApiResult<Vec<Situation>> {
    let ids: Vec<&str> = rows.iter().map(|r| r.id.as_str()).collect();
    let mut types: HashMap<String, Vec<String>> = HashMap::new();
    for (id, code) in situation_problem_types::table
        .filter(situation_problem_types::situation_id.eq_any(&ids))
        .order(situation_problem_types::problem_type)
        .select((situation_problem_types::situation_id, situation_problem_types::problem_type))
        .load::<(String, String)>(conn)?
    {
        types.entry(id).or_default().push(code);
    }
    let mut people: HashMap<String, Vec<SituationPerson>> = HashMap::new();
    for (id, role, detail, person) in situation_persons::table
        .inner_join(persons::table)
        .filter(situation_persons::situation_id.eq_any(&ids))
        .order((situation_persons::added_at, persons::id))
        .select((situation_persons::situation_id, situation_persons::role, situation_persons::role_detail, PersonRow::as_select()))
        .load::<(String, String, Option<String>, PersonRow)>(conn)?
    {
        let person = crate::persons::queries::view(person)?;
        people.entry(id).or_default().push(SituationPerson { person, role: Role::parse(&role)?, role_detail: detail });
    }
    let coordinator_ids: Vec<&str> = rows.iter().filter_map(|r| r.coordinator_id.as_deref()).collect();
    let coordinators: HashMap<String, String> = users::table
        .filter(users::id.eq_any(&coordinator_ids))
        .select((users::id, users::display_name))
        .load::<(String, String)>(conn)?
        .into_iter()
        .collect();
    let mut referral_ids: HashMap<String, Vec<String>> = HashMap::new();
    for (referral, situation) in referrals::table
        .filter(referrals::situation_id.eq_any(&ids))
        .order(referrals::received_at)
        .select((referrals::id, referrals::situation_id.assume_not_null()))
        .load::<(String, String)>(conn)?
    {
        referral_ids.entry(situation).or_default().push(referral);
    }
    rows.into_iter()
        .map(|r| {
            Ok(Situation {
                status: SituationStatus::parse(&r.status)?,
                coordinator: r
                    .coordinator_id
                    .as_ref()
                    .map(|id| CoordinatorRef { id: id.clone(), display_name: coordinators.get(id).cloned().unwrap_or_default() }),
                judicial_proceedings: JudicialProceedings::parse(&r.judicial_proceedings)?,
                problem_types: types.remove(&r.id).unwrap_or_default(),
                persons: people.remove(&r.id).unwrap_or_default(),
                referral_ids: referral_ids.remove(&r.id).unwrap_or_default(),
                closing_reason: r.closing_reason.as_deref().map(ClosingReason::parse).transpose()?,
                id: r.id,
                opened_at: r.opened_at,
                closed_at: r.closed_at,
                version: r.version,
                updated_at: r.updated_at,
            })
        })
        .collect()
}
