use std::collections::HashMap;

use actix_web::{HttpResponse, get, post, web};
use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;
use utoipa_actix_web::service_config::ServiceConfig;
use validator::Validate;

use super::models::{
    Intervention, InterventionFilter, InterventionKind, InterventionRow, LegalReport, NewIntervention, OrientationFollowUp,
};
use crate::audit::{self, Action, Outcome};
use crate::auth::extractor::CcasOnly;
use crate::auth::{Authorized, Caller};
use crate::db::DbConnection;
use crate::db::schema::{intervention_persons, interventions, partners, situation_persons};
use crate::error::{ApiError, ApiResult, FieldError};
use crate::http::extract::Query;
use crate::http::pagination::{Cursor, Page, PageParams};
use crate::openapi::{AuthErrors, BodyErrors, ConflictError, NotFoundError, QueryErrors};
use crate::state::AppState;
use crate::time::utc;
use crate::vocabulary::Answer;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_interventions).service(record_intervention).service(get_intervention).service(follow_up_orientation);
}

pub fn views(conn: &mut DbConnection, rows: Vec<InterventionRow>) -> ApiResult<Vec<Intervention>> {
    let ids: Vec<&str> = rows.iter().map(|r| r.id.as_str()).collect();
    let mut persons: HashMap<String, Vec<String>> = HashMap::new();
    for (intervention, person) in intervention_persons::table
        .filter(intervention_persons::intervention_id.eq_any(&ids))
        .order(intervention_persons::person_id)
        .select((intervention_persons::intervention_id, intervention_persons::person_id))
        .load::<(String, String)>(conn)?
    {
        persons.entry(intervention).or_default().push(person);
    }
    rows.into_iter()
        .map(|r| {
            Ok(Intervention {
                kind: InterventionKind::parse(&r.kind)?,
                person_ids: persons.remove(&r.id).unwrap_or_default(),
                report: match (r.report_sent_on, r.report_recipient) {
                    (Some(sent_on), Some(recipient)) => Some(LegalReport { sent_on, recipient }),
                    _ => None,
                },
                follow_up: r
                    .partner_took_over
                    .as_deref()
                    .map(|took| Ok::<_, ApiError>(OrientationFollowUp { took_over: Answer::parse(took)?, on: r.took_over_on }))
                    .transpose()?,
                id: r.id,
                situation_id: r.situation_id,
                occurred_at: r.occurred_at,
                duration_minutes: r.duration_minutes,
                coordinator_id: r.coordinator_id,
                partner_id: r.partner_id,
                in_person: r.in_person,
                outcome: r.outcome,
            })
        })
        .collect()
}

fn find(conn: &mut DbConnection, ccas_id: &str, id: &str) -> ApiResult<Intervention> {
    let row = interventions::table
        .filter(interventions::id.eq(id))
        .filter(interventions::ccas_id.eq(ccas_id))
        .select(InterventionRow::as_select())
        .first(conn)?;
    views(conn, vec![row])?.pop().ok_or(ApiError::NotFound)
}

/// Every rule of an intervention, checked together so the answer lists every problem.
fn check(conn: &mut DbConnection, ccas_id: &str, input: &NewIntervention, now: NaiveDateTime) -> ApiResult<()> {
    let mut errors: Vec<FieldError> = Vec::new();
    if crate::situations::queries::find_row(conn, ccas_id, &input.situation_id).is_err() {
        errors.push(FieldError::new("situation_id", "unknown", "is not a situation of this CCAS"));
    } else {
        let members: Vec<String> = situation_persons::table
            .filter(situation_persons::situation_id.eq(&input.situation_id))
            .select(situation_persons::person_id)
            .load(conn)?;
        for (i, person) in input.person_ids.iter().enumerate() {
            if !members.contains(person) {
                errors.push(FieldError::new(format!("person_ids[{i}]"), "unknown", "is not a person of this situation"));
            }
        }
    }
    if let Err(ApiError::Validation(mut e)) =
        crate::situations::queries::check_coordinator(conn, ccas_id, &input.coordinator_id, "coordinator_id")
    {
        errors.append(&mut e);
    }
    match (input.kind == InterventionKind::Orientation, &input.partner_id) {
        (true, None) => errors.push(FieldError::new("partner_id", "required", "an orientation names the partner")),
        (false, Some(_)) => errors.push(FieldError::new("partner_id", "invalid", "only an orientation names a partner")),
        (true, Some(partner)) => {
            let known =
                diesel::select(diesel::dsl::exists(partners::table.filter(partners::id.eq(partner)).filter(partners::ccas_id.eq(ccas_id))))
                    .get_result::<bool>(conn)?;
            if !known {
                errors.push(FieldError::new("partner_id", "unknown", "is not a partner of this CCAS"));
            }
        }
        (false, None) => {}
    }
    match (input.kind.is_legal_report(), &input.report) {
        (true, None) => errors.push(FieldError::new("report", "required", "a legal report records when it was sent and to whom")),
        (false, Some(_)) => errors.push(FieldError::new("report", "invalid", "only a concern or prosecutor report has one")),
        _ => {}
    }
    if input.occurred_at.naive_utc() > now + Duration::minutes(5) {
        errors.push(FieldError::new("occurred_at", "future", "cannot be in the future"));
    }
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    crate::situations::queries::find_open(conn, ccas_id, &input.situation_id).map(drop)
}

/// Stores an intervention already checked against the rules.
pub fn insert(conn: &mut DbConnection, ccas_id: &str, input: &NewIntervention, now: NaiveDateTime) -> ApiResult<String> {
    let id = uuid::Uuid::new_v4().to_string();
    diesel::insert_into(interventions::table)
        .values((
            interventions::id.eq(&id),
            interventions::ccas_id.eq(ccas_id),
            interventions::situation_id.eq(&input.situation_id),
            interventions::kind.eq(input.kind.as_str()),
            interventions::occurred_at.eq(input.occurred_at.naive_utc()),
            interventions::duration_minutes.eq(input.duration_minutes),
            interventions::coordinator_id.eq(&input.coordinator_id),
            interventions::partner_id.eq(&input.partner_id),
            interventions::in_person.eq(input.in_person),
            interventions::outcome.eq(&input.outcome),
            interventions::report_sent_on.eq(input.report.as_ref().map(|r| r.sent_on)),
            interventions::report_recipient.eq(input.report.as_ref().map(|r| r.recipient.clone())),
            interventions::created_at.eq(now),
            interventions::partner_took_over.eq((input.kind == InterventionKind::Orientation).then_some(Answer::Unknown.as_str())),
        ))
        .execute(conn)?;
    let mut persons = input.person_ids.clone();
    persons.sort();
    persons.dedup();
    for person in persons {
        diesel::insert_into(intervention_persons::table)
            .values((intervention_persons::intervention_id.eq(&id), intervention_persons::person_id.eq(person)))
            .execute(conn)?;
    }
    if input.in_person {
        crate::persons::queries::record_contact(conn, &input.person_ids, input.occurred_at.naive_utc())?;
        crate::referrals::record_interview(conn, &input.situation_id, input.occurred_at.naive_utc())?;
    }
    Ok(id)
}

/// List interventions, most recent first.
#[utoipa::path(
    tag = "interventions",
    params(InterventionFilter),
    responses((status = 200, description = "Success", body = Page<Intervention>), AuthErrors, QueryErrors),
    security(("oauth2" = ["ccas"]))
)]
#[get("/api/v1/interventions")]
pub async fn list_interventions(
    caller: Authorized<CcasOnly>,
    filter: Query<InterventionFilter>,
    state: web::Data<AppState>,
) -> ApiResult<web::Json<Page<Intervention>>> {
    let filter = filter.into_inner();
    let paging = PageParams { limit: filter.limit, cursor: filter.cursor.clone() };
    let limit = paging.limit()?;
    let after: Option<(NaiveDateTime, String)> = paging.time_cursor()?;
    let caller: Caller = caller.caller;
    let page = state
        .read(move |conn, trail| {
            let mut query = interventions::table
                .filter(interventions::ccas_id.eq(caller.ccas_id.clone()))
                .select(InterventionRow::as_select())
                .order((interventions::occurred_at.desc(), interventions::id.desc()))
                .limit(limit + 1)
                .into_boxed();
            if let Some(v) = &filter.situation_id {
                query = query.filter(interventions::situation_id.eq(v.clone()));
            }
            if let Some(v) = &filter.coordinator_id {
                query = query.filter(interventions::coordinator_id.eq(v.clone()));
            }
            if let Some(v) = filter.kind {
                query = query.filter(interventions::kind.eq(v.as_str()));
            }
            if let Some((at, id)) = after {
                query = query.filter(interventions::occurred_at.lt(at).or(interventions::occurred_at.eq(at).and(interventions::id.lt(id))));
            }
            let rows: Vec<InterventionRow> = query.load(conn)?;
            let page = Page::from_rows(rows, limit, |r| Cursor { key: utc(r.occurred_at).to_rfc3339(), id: r.id.clone() });
            trail.listed(&caller, "intervention.list", "intervention", page.items.iter().map(|r| r.id.as_str()));
            page.map_items(|rows| views(conn, rows))
        })
        .await?;
    Ok(web::Json(page))
}

/// Record an intervention. An orientation names a partner of the directory; a concern or
/// prosecutor report records the date it was sent and its recipient.
#[utoipa::path(
    tag = "interventions",
    request_body = NewIntervention,
    responses((status = 201, description = "Created", body = Intervention), AuthErrors, BodyErrors, ConflictError),
    security(("oauth2" = ["ccas"]))
)]
#[post("/api/v1/interventions")]
pub async fn record_intervention(
    caller: Authorized<CcasOnly>,
    body: web::Json<NewIntervention>,
    state: web::Data<AppState>,
) -> ApiResult<HttpResponse> {
    let input = body.into_inner();
    input.validate()?;
    let caller: Caller = caller.caller;
    let intervention = state
        .db
        .transaction(move |conn| {
            check(conn, &caller.ccas_id, &input, caller.at)?;
            let id = insert(conn, &caller.ccas_id, &input, caller.at)?;
            audit::record(
                conn,
                &caller,
                Action { action: "intervention.create", object_type: "intervention", object_id: Some(&id) },
                Outcome::Success,
            )?;
            find(conn, &caller.ccas_id, &id)
        })
        .await?;
    Ok(HttpResponse::Created().insert_header(("Location", format!("/api/v1/interventions/{}", intervention.id))).json(intervention))
}

/// Read an intervention.
#[utoipa::path(
    tag = "interventions",
    params(("id" = String, Path, description = "Intervention id")),
    responses((status = 200, description = "Success", body = Intervention), AuthErrors, NotFoundError),
    security(("oauth2" = ["ccas"]))
)]
#[get("/api/v1/interventions/{id}")]
pub async fn get_intervention(
    caller: Authorized<CcasOnly>,
    id: web::Path<String>,
    state: web::Data<AppState>,
) -> ApiResult<web::Json<Intervention>> {
    let (caller, id): (Caller, String) = (caller.caller, id.into_inner());
    let found = state
        .read(move |conn, trail| {
            let found = find(conn, &caller.ccas_id, &id);
            trail.read(&caller, Action { action: "intervention.read", object_type: "intervention", object_id: Some(&id) }, found)
        })
        .await?;
    Ok(web::Json(found))
}

/// Record what came of an orientation: whether the partner took the person in charge, and
/// when. Only an orientation has a follow-up (409 `not_an_orientation`); it may be recorded
/// after the situation was closed, since it often comes later.
#[utoipa::path(
    tag = "interventions",
    params(("id" = String, Path, description = "Intervention id")),
    request_body = OrientationFollowUp,
    responses((status = 200, description = "Success", body = Intervention), AuthErrors, BodyErrors, NotFoundError, ConflictError),
    security(("oauth2" = ["ccas"]))
)]
#[post("/api/v1/interventions/{id}/follow-up")]
pub async fn follow_up_orientation(
    caller: Authorized<CcasOnly>,
    id: web::Path<String>,
    body: web::Json<OrientationFollowUp>,
    state: web::Data<AppState>,
) -> ApiResult<web::Json<Intervention>> {
    let input = body.into_inner();
    input.validate()?;
    let (caller, id): (Caller, String) = (caller.caller, id.into_inner());
    let intervention = state
        .db
        .transaction(move |conn| {
            let current = find(conn, &caller.ccas_id, &id)?;
            if current.kind != InterventionKind::Orientation {
                return Err(ApiError::Conflict { code: "not_an_orientation", detail: "Only an orientation has a follow-up".into() });
            }
            check_follow_up(&input, current.occurred_at.date(), caller.at)?;
            diesel::update(interventions::table.find(&id))
                .set((interventions::partner_took_over.eq(input.took_over.as_str()), interventions::took_over_on.eq(input.on)))
                .execute(conn)?;
            let what = Action { action: "intervention.follow_up", object_type: "intervention", object_id: Some(&id) };
            audit::record(conn, &caller, what, Outcome::Success)?;
            find(conn, &caller.ccas_id, &id)
        })
        .await?;
    Ok(web::Json(intervention))
}

/// A date goes with a known answer, between the orientation and today.
fn check_follow_up(input: &OrientationFollowUp, oriented_on: chrono::NaiveDate, now: NaiveDateTime) -> ApiResult<()> {
    let Some(on) = input.on else { return Ok(()) };
    let why = if input.took_over == Answer::Unknown {
        "a date goes with took_over yes or no"
    } else if on < oriented_on {
        "cannot be before the orientation"
    } else if on > now.date() + Duration::days(1) {
        "cannot be in the future"
    } else {
        return Ok(());
    };
    Err(ApiError::validation("on", "invalid", why))
}
