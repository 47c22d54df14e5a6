//! Triage by the coordinators: contact attempts, then accept into a situation or decline.
//! Received → contact_attempted (repeatable) → accepted | declined; anything else is 409.

use actix_web::{HttpResponse, post, web};
use chrono::Datelike;
use diesel::prelude::*;
use validator::Validate;

use super::models::{AcceptReferral, DeclineReferral, NewContactAttempt, ReferralStatus};
use super::queries::{ReferralRow, change_status, load_details};
use super::read::{Reach, find_view};
use super::views::{CcasReferral, ReferralPerson};
use crate::audit::{self, Action, Outcome};
use crate::auth::extractor::CcasOnly;
use crate::auth::{Authorized, Caller};
use crate::db::DbConnection;
use crate::db::schema::referrals;
use crate::error::{ApiError, ApiResult};
use crate::openapi::{AuthErrors, BodyErrors, ConflictError, NotFoundError};
use crate::persons::models::PersonInput;
use crate::situations::models::{NewSituation, PersonRole};
use crate::state::AppState;

/// A referral of the caller's CCAS still waiting for triage, or 404 / 409.
fn pending(conn: &mut DbConnection, ccas_id: &str, id: &str) -> ApiResult<ReferralRow> {
    let row: ReferralRow = referrals::table
        .filter(referrals::id.eq(id))
        .filter(referrals::ccas_id.eq(ccas_id))
        .select(ReferralRow::as_select())
        .first(conn)?;
    let settled = |status: &str| ApiError::Conflict { code: "invalid_transition", detail: format!("The referral is already {status}") };
    if let done @ (ReferralStatus::Accepted | ReferralStatus::Declined) = ReferralStatus::parse(&row.status)? {
        return Err(settled(done.as_str()));
    }
    // Holds the referral for this transaction: a coordinator triaging it at the same moment
    // waits here, then finds it settled (PostgreSQL re-reads the row) and answers 409 before
    // creating anything. SQLite's writers are one at a time anyway.
    let pending = [ReferralStatus::Received.as_str(), ReferralStatus::ContactAttempted.as_str()];
    let held = diesel::update(referrals::table.find(id).filter(referrals::status.eq_any(pending)))
        .set(referrals::version.eq(referrals::version + 1))
        .execute(conn)?;
    if held == 0 {
        return Err(settled("settled"));
    }
    Ok(row)
}

/// When a triage step happened: as the coordinator says (last month's work entered today), or
/// now; never in the future, never before the referral arrived.
fn step_time(at: Option<chrono::DateTime<chrono::Utc>>, row: &ReferralRow, now: chrono::NaiveDateTime) -> ApiResult<chrono::NaiveDateTime> {
    let at = crate::time::past_or_now("at", at, now)?;
    if at < row.received_at {
        return Err(ApiError::validation("at", "before_reception", "cannot be before the referral was received"));
    }
    Ok(at)
}

/// Runs a triage step in a transaction with its audit event; answers the CCAS view.
async fn triage(
    state: &AppState,
    caller: Caller,
    id: String,
    action: &'static str,
    step: impl FnOnce(&mut DbConnection, &Caller, ReferralRow) -> ApiResult<()> + Send + 'static,
) -> ApiResult<HttpResponse> {
    let writer = caller.clone();
    let done = state
        .db
        .transaction(move |conn| {
            let row = pending(conn, &writer.ccas_id, &id)?;
            step(conn, &writer, row)?;
            audit::record(conn, &writer, Action { action, object_type: "referral", object_id: Some(&id) }, Outcome::Success)?;
            find_view(conn, &Reach::Ccas(writer.ccas_id.clone()), &id)
        })
        .await;
    // Accepting may answer 409 with look-alike persons: they were shown, so they are recorded.
    let view = state.record_disclosed(&caller, "person.duplicate_candidates", done).await?;
    Ok(HttpResponse::Ok().json(view))
}

/// Record an attempt to reach the person; the referral becomes `contact_attempted`.
#[utoipa::path(
    tag = "referrals",
    params(("id" = String, Path, description = "Referral id")),
    request_body = NewContactAttempt,
    responses((status = 200, description = "The referral, in the coordinators' view", body = CcasReferral), AuthErrors, BodyErrors, NotFoundError, ConflictError),
    security(("oauth2" = ["ccas"]))
)]
#[post("/api/v1/referrals/{id}/contact-attempts")]
pub async fn record_contact_attempt(
    caller: Authorized<CcasOnly>,
    id: web::Path<String>,
    body: web::Json<NewContactAttempt>,
    state: web::Data<AppState>,
) -> ApiResult<HttpResponse> {
    let input = body.into_inner();
    input.validate()?;
    crate::time::past_or_now("at", input.at, caller.at)?;
    triage(&state, caller.caller, id.into_inner(), "referral.contact_attempt", move |conn, caller, row| {
        let at = step_time(input.at, &row, caller.at)?;
        super::queries::record_contact_attempt(conn, &row.id, at, &input, &caller.sub, caller.at)?;
        if row.status == ReferralStatus::Received.as_str() {
            change_status(conn, &row.id, ReferralStatus::ContactAttempted, at, caller.at)?;
        }
        Ok(())
    })
    .await
}

/// Decline a referral with a reason.
#[utoipa::path(
    tag = "referrals",
    params(("id" = String, Path, description = "Referral id")),
    request_body = DeclineReferral,
    responses((status = 200, description = "The referral, in the coordinators' view", body = CcasReferral), AuthErrors, BodyErrors, NotFoundError, ConflictError),
    security(("oauth2" = ["ccas"]))
)]
#[post("/api/v1/referrals/{id}/decline")]
pub async fn decline_referral(
    caller: Authorized<CcasOnly>,
    id: web::Path<String>,
    body: web::Json<DeclineReferral>,
    state: web::Data<AppState>,
) -> ApiResult<HttpResponse> {
    let DeclineReferral { reason, at } = body.into_inner();
    crate::time::past_or_now("at", at, caller.at)?;
    triage(&state, caller.caller, id.into_inner(), "referral.decline", move |conn, caller, row| {
        let at = step_time(at, &row, caller.at)?;
        super::queries::decline(conn, &row.id, reason, at, caller.at)
    })
    .await
}

/// Accept a referral into a new situation, or into an open one of the same CCAS. Its persons
/// become persons of the situation: an existing person when `persons[i].person_id` says so,
/// otherwise a new one; a new one that looks like an existing person answers 409
/// `possible_duplicate` with, for each such index, the candidates, and nothing changes.
#[utoipa::path(
    tag = "referrals",
    params(("id" = String, Path, description = "Referral id")),
    request_body = AcceptReferral,
    responses((status = 200, description = "The referral, in the coordinators' view", body = CcasReferral), AuthErrors, BodyErrors, NotFoundError, ConflictError),
    security(("oauth2" = ["ccas"]))
)]
#[post("/api/v1/referrals/{id}/accept")]
pub async fn accept_referral(
    caller: Authorized<CcasOnly>,
    id: web::Path<String>,
    body: web::Json<AcceptReferral>,
    state: web::Data<AppState>,
) -> ApiResult<HttpResponse> {
    let input = body.into_inner();
    crate::time::past_or_now("at", input.at, caller.at)?;
    triage(&state, caller.caller, id.into_inner(), "referral.accept", move |conn, caller, row| accept(conn, caller, row, input)).await
}

fn accept(conn: &mut DbConnection, caller: &Caller, row: ReferralRow, input: AcceptReferral) -> ApiResult<()> {
    let ccas_id = caller.ccas_id.clone();
    let now = caller.at;
    let at = step_time(input.at, &row, now)?;
    let received_year = row.received_at.year();
    let loaded = load_details(conn, vec![row])?.pop().ok_or(ApiError::NotFound)?;
    let (referral_persons, problem_types) = (loaded.persons.clone(), loaded.problem_types.clone());
    let row = loaded.row;
    if input.persons.len() > referral_persons.len() {
        return Err(ApiError::validation("persons", "length", "has more entries than the referral has persons"));
    }
    let (person_ids, safer) = resolve_persons(conn, &ccas_id, &referral_persons, &input, received_year, now)?;
    let situation_id = match &input.situation_id {
        Some(existing) => {
            let situation = crate::situations::queries::find_row(conn, &ccas_id, existing)
                .map_err(|_| ApiError::validation("situation_id", "unknown", "is not a situation of this CCAS"))?;
            if situation.status != "open" {
                return Err(ApiError::Conflict {
                    code: "situation_closed",
                    detail: "Reopen the situation before accepting into it".into(),
                });
            }
            let mut types = crate::situations::queries::find(conn, &ccas_id, existing)?.problem_types;
            types.extend(problem_types);
            crate::situations::queries::replace_problem_types(conn, existing, &types)?;
            crate::situations::queries::bump_version(conn, existing, None, now)?;
            existing.clone()
        }
        None => {
            let new = NewSituation {
                opened_at: Some(crate::time::utc(at)),
                coordinator_id: input.coordinator_id.clone(),
                problem_types,
                judicial_proceedings: super::models::JudicialProceedings::parse(&row.judicial_proceedings)?,
                persons: Vec::new(),
            };
            crate::situations::queries::create(conn, &ccas_id, &new, at, now)?
        }
    };
    let roles: Vec<PersonRole> = referral_persons
        .iter()
        .zip(person_ids)
        .map(|(person, person_id)| PersonRole { person_id, role: person.role, role_detail: None })
        .collect();
    crate::situations::queries::set_roles(conn, &situation_id, &roles, now)?;
    for (person_id, merged) in safer {
        record_safer_contact(conn, &situation_id, &person_id, &row.id, &merged, at, &caller.sub)?;
    }
    super::queries::accept_into(conn, &row.id, &situation_id, at, now)
}

/// A person's safe-contact answers changed by a referral, for the file's timeline.
fn record_safer_contact(
    conn: &mut DbConnection,
    situation_id: &str,
    person_id: &str,
    referral_id: &str,
    merged: &crate::vocabulary::SafeContact,
    at: chrono::NaiveDateTime,
    by: &str,
) -> ApiResult<()> {
    use crate::db::schema::safe_contact_changes as c;
    diesel::insert_into(c::table)
        .values((
            c::id.eq(uuid::Uuid::new_v4().to_string()),
            c::situation_id.eq(situation_id),
            c::person_id.eq(person_id),
            c::referral_id.eq(referral_id),
            c::at.eq(at),
            c::safe_to_call.eq(merged.call.as_str()),
            c::safe_to_text.eq(merged.text.as_str()),
            c::safe_to_write.eq(merged.write.as_str()),
            c::created_by.eq(by),
        ))
        .execute(conn)?;
    Ok(())
}

/// Known persons whose safe-contact answers a referral made safer, with the answers now held.
type SaferContacts = Vec<(String, crate::vocabulary::SafeContact)>;

/// The person id of each referral person: chosen, or created (refusing look-alikes); and the
/// chosen persons whose safe-contact answers the referral made safer.
fn resolve_persons(
    conn: &mut DbConnection,
    ccas_id: &str,
    referral_persons: &[ReferralPerson],
    input: &AcceptReferral,
    received_year: i32,
    now: chrono::NaiveDateTime,
) -> ApiResult<(Vec<String>, SaferContacts)> {
    let mut ids = Vec::new();
    let mut safer = Vec::new();
    let mut duplicates = Vec::new();
    for (index, person) in referral_persons.iter().enumerate() {
        let choice = input.persons.get(index).cloned().unwrap_or_default();
        if let Some(existing) = choice.person_id {
            crate::persons::queries::find(conn, ccas_id, &existing)
                .map_err(|_| ApiError::validation(&format!("persons[{index}].person_id"), "unknown", "is not a person of this CCAS"))?;
            // The answers the unit just collected never weaken what the file says, nor are lost.
            if let Some(merged) = crate::persons::queries::merge_safe_contact(conn, ccas_id, &existing, &person.safe_contact, now)? {
                safer.push((existing.clone(), merged));
            }
            ids.push(existing);
            continue;
        }
        let new = as_person_input(person, received_year, choice.confirm_distinct);
        match crate::persons::queries::create(conn, ccas_id, &new, now) {
            Ok(row) => ids.push(row.id),
            Err(ApiError::ConflictWith { conflicts, .. }) => duplicates.push(serde_json::json!({"index": index, "candidates": conflicts})),
            Err(other) => return Err(other),
        }
    }
    if duplicates.is_empty() {
        Ok((ids, safer))
    } else {
        Err(ApiError::ConflictWith {
            code: "possible_duplicate",
            detail: "Some persons look like existing ones: choose them with persons[i].person_id, or confirm distinct persons".into(),
            conflicts: serde_json::Value::Array(duplicates),
        })
    }
}

fn as_person_input(person: &ReferralPerson, received_year: i32, confirm_distinct: bool) -> PersonInput {
    PersonInput {
        last_name: person.last_name.clone(),
        first_name: person.first_name.clone(),
        birth_date: person.birth_date,
        birth_year: person.birth_date.map(|d| d.year()).or(person.age.map(|age| received_year - age)),
        sex: person.sex,
        phone: person.phone.clone(),
        email: person.email.clone(),
        address: person.address.clone(),
        commune: person.commune.clone(),
        safe_contact: person.safe_contact.clone(),
        confirm_distinct,
    }
}
