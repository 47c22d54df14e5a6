use actix_web::{HttpRequest, HttpResponse, get, patch, post, web};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use utoipa_actix_web::service_config::ServiceConfig;
use validator::Validate;

use super::models::{AgendaFilter, Appointment, AppointmentInput, AppointmentOutcome, AppointmentStatus, OutcomeInput};
use super::queries;
use crate::audit::{self, Action, Outcome};
use crate::auth::extractor::CcasOnly;
use crate::auth::{Authorized, Caller};
use crate::db::DbConnection;
use crate::db::schema::{appointment_persons, appointments};
use crate::error::{ApiError, ApiResult};
use crate::http::etag::{expected_version, json_with_etag};
use crate::http::extract::Query;
use crate::http::merge_patch;
use crate::http::pagination::{Page, PageParams};
use crate::openapi::{AuthErrors, BodyErrors, ConflictError, NotFoundError, QueryErrors, VersionErrors};
use crate::state::AppState;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(agenda).service(book).service(get_appointment).service(move_appointment).service(record_outcome);
}

/// Turns the database's refusal into a 409 naming the appointments in the way.
async fn explain_overlap<T>(state: &AppState, result: ApiResult<T>, input: &AppointmentInput, except: Option<String>) -> ApiResult<T> {
    match result {
        Err(ApiError::Conflict { code: queries::OVERLAP, .. }) => {
            let (coordinator, starts, ends) = (input.coordinator_id.clone(), input.starts_at.naive_utc(), input.ends_at.naive_utc());
            Err(state.db.run(move |conn| queries::overlap_conflict(conn, &coordinator, starts, ends, except.as_deref())).await?)
        }
        other => other,
    }
}

fn answer(appointment: Appointment, builder: actix_web::HttpResponseBuilder) -> ApiResult<HttpResponse> {
    Ok(json_with_etag(builder, appointment.version, &appointment))
}

/// The persons an appointment's answer names, for the access log.
fn persons_named(appointment: &Appointment) -> impl Iterator<Item = &str> {
    appointment.persons.iter().map(|p| p.id.as_str())
}

/// The agenda: appointments by coordinator, site, situation and time range, in time order.
#[utoipa::path(
    tag = "appointments",
    params(AgendaFilter),
    responses((status = 200, description = "Success", body = Page<Appointment>), AuthErrors, QueryErrors),
    security(("oauth2" = ["ccas"]))
)]
#[get("/api/v1/appointments")]
pub async fn agenda(
    caller: Authorized<CcasOnly>,
    filter: Query<AgendaFilter>,
    state: web::Data<AppState>,
) -> ApiResult<web::Json<Page<Appointment>>> {
    let filter = filter.into_inner();
    let paging = PageParams { limit: filter.limit, cursor: filter.cursor.clone() };
    let limit = paging.limit()?;
    let after: Option<(NaiveDateTime, String)> = paging.time_cursor()?;
    let caller: Caller = caller.caller;
    let page = state
        .read(move |conn, trail| {
            let page = queries::agenda(conn, &caller.ccas_id, &filter, after, limit)?;
            trail.listed(&caller, "appointment.list", "appointment", page.items.iter().map(|a| a.id.as_str()));
            trail.also(page.items.iter().flat_map(persons_named));
            Ok(page)
        })
        .await?;
    Ok(web::Json(page))
}

/// Book an appointment, or record an emergency. A scheduled one lies inside the site's
/// opening hours (Europe/Paris); a planned scheduled or phone appointment that overlaps
/// another of the same coordinator answers 409 `appointment_overlap` naming it in `conflicts`,
/// also when two bookings race.
#[utoipa::path(
    tag = "appointments",
    request_body = AppointmentInput,
    responses((status = 201, description = "Created", body = Appointment), AuthErrors, BodyErrors, ConflictError),
    security(("oauth2" = ["ccas"]))
)]
#[post("/api/v1/appointments")]
pub async fn book(caller: Authorized<CcasOnly>, body: web::Json<AppointmentInput>, state: web::Data<AppState>) -> ApiResult<HttpResponse> {
    let input = body.into_inner();
    input.validate()?;
    let caller: Caller = caller.caller;
    let attempt = {
        let input = input.clone();
        state
            .db
            .transaction(move |conn| {
                queries::check(conn, &caller.ccas_id, &input)?;
                queries::lock_agenda(conn, &input.coordinator_id)?;
                let id = queries::insert_expecting(conn, &caller.ccas_id, &input, caller.at)?;
                audit::record(
                    conn,
                    &caller,
                    Action { action: "appointment.create", object_type: "appointment", object_id: Some(&id) },
                    Outcome::Success,
                )?;
                queries::find_view(conn, &caller.ccas_id, &id)
            })
            .await
    };
    let row = explain_overlap(&state, attempt, &input, None).await?;
    let mut created = HttpResponse::Created();
    created.insert_header(("Location", format!("/api/v1/appointments/{}", row.id)));
    answer(row, created)
}

/// Read an appointment (with its `ETag`).
#[utoipa::path(
    tag = "appointments",
    params(("id" = String, Path, description = "Appointment id")),
    responses((status = 200, description = "Success", body = Appointment), AuthErrors, NotFoundError),
    security(("oauth2" = ["ccas"]))
)]
#[get("/api/v1/appointments/{id}")]
pub async fn get_appointment(caller: Authorized<CcasOnly>, id: web::Path<String>, state: web::Data<AppState>) -> ApiResult<HttpResponse> {
    let (caller, id): (Caller, String) = (caller.caller, id.into_inner());
    let row = state
        .read(move |conn, trail| {
            let found = queries::find_view(conn, &caller.ccas_id, &id);
            let found = trail.read(&caller, Action { action: "appointment.read", object_type: "appointment", object_id: Some(&id) }, found);
            if let Ok(appointment) = &found {
                trail.also(persons_named(appointment));
            }
            found
        })
        .await?;
    answer(row, HttpResponse::Ok())
}

/// Move a planned appointment (time, site, coordinator): a JSON merge patch of
/// `AppointmentInput` with `If-Match`; the same rules as booking apply.
#[utoipa::path(
    tag = "appointments",
    params(("id" = String, Path, description = "Appointment id"), ("If-Match" = String, Header, description = "The ETag read")),
    request_body(content = AppointmentInput, description = "The fields to change (RFC 7396)", content_type = "application/merge-patch+json"),
    responses((status = 200, description = "Success", body = Appointment), AuthErrors, BodyErrors, NotFoundError, ConflictError, VersionErrors),
    security(("oauth2" = ["ccas"]))
)]
#[patch("/api/v1/appointments/{id}")]
pub async fn move_appointment(
    req: HttpRequest,
    caller: Authorized<CcasOnly>,
    id: web::Path<String>,
    patch: web::Json<serde_json::Value>,
    state: web::Data<AppState>,
) -> ApiResult<HttpResponse> {
    let version = expected_version(&req)?;
    let (caller, id, patch): (Caller, String, serde_json::Value) = (caller.caller, id.into_inner(), patch.into_inner());
    let ccas_id = caller.ccas_id.clone();
    let current = state
        .db
        .run({
            let id = id.clone();
            move |conn| queries::find_view(conn, &ccas_id, &id)
        })
        .await?;
    let input = merge_patch::apply(&queries::as_input(&current), &patch)?;
    input.validate()?;
    let attempt = {
        let (input, id) = (input.clone(), id.clone());
        state
            .db
            .transaction(move |conn| {
                let row = queries::find(conn, &caller.ccas_id, &id)?;
                if row.status != AppointmentStatus::Planned.as_str() {
                    return Err(ApiError::Conflict {
                        code: "invalid_transition",
                        detail: "Only a planned appointment can be moved".into(),
                    });
                }
                queries::check(conn, &caller.ccas_id, &input)?;
                queries::lock_agenda(conn, &input.coordinator_id)?;
                if !queries::reschedule(conn, &id, version.against(row.version), &input, caller.at).map_err(queries::overlap_error)? {
                    return Err(ApiError::PreconditionFailed);
                }
                queries::set_expected(conn, &id, &queries::expected_persons(&input))?;
                audit::record(
                    conn,
                    &caller,
                    Action { action: "appointment.move", object_type: "appointment", object_id: Some(&id) },
                    Outcome::Success,
                )?;
                queries::find_view(conn, &caller.ccas_id, &id)
            })
            .await
    };
    answer(explain_overlap(&state, attempt, &input, Some(id)).await?, HttpResponse::Ok())
}

/// Record the outcome of a planned appointment: attended, no-show, or cancelled with a reason.
#[utoipa::path(
    tag = "appointments",
    params(("id" = String, Path, description = "Appointment id")),
    request_body = OutcomeInput,
    responses((status = 200, description = "Success", body = Appointment), AuthErrors, BodyErrors, NotFoundError, ConflictError),
    security(("oauth2" = ["ccas"]))
)]
#[post("/api/v1/appointments/{id}/outcome")]
pub async fn record_outcome(
    caller: Authorized<CcasOnly>,
    id: web::Path<String>,
    body: web::Json<OutcomeInput>,
    state: web::Data<AppState>,
) -> ApiResult<HttpResponse> {
    let input = body.into_inner();
    input.validate()?;
    if input.outcome == AppointmentOutcome::Cancelled && input.reason.is_none() {
        return Err(ApiError::validation("reason", "required", "a cancellation needs a reason"));
    }
    let (caller, id): (Caller, String) = (caller.caller, id.into_inner());
    let row = state.db.transaction(move |conn| set_outcome(conn, &caller, &id, &input)).await?;
    answer(row, HttpResponse::Ok())
}

fn set_outcome(conn: &mut DbConnection, caller: &Caller, id: &str, input: &OutcomeInput) -> ApiResult<Appointment> {
    let row = queries::find(conn, &caller.ccas_id, id)?;
    if row.status != AppointmentStatus::Planned.as_str() {
        return Err(ApiError::Conflict { code: "invalid_transition", detail: format!("The appointment is already {}", row.status) });
    }
    if input.outcome != AppointmentOutcome::Cancelled && row.starts_at > caller.at {
        return Err(ApiError::validation("outcome", "not_started", "only a cancellation can be recorded before the appointment starts"));
    }
    let status = match input.outcome {
        AppointmentOutcome::Attended => AppointmentStatus::Attended,
        AppointmentOutcome::NoShow => AppointmentStatus::NoShow,
        AppointmentOutcome::Cancelled => AppointmentStatus::Cancelled,
    };
    // Conditional: of two outcomes recorded at once, the second answers 409.
    let changed = diesel::update(appointments::table.find(id).filter(appointments::status.eq(AppointmentStatus::Planned.as_str())))
        .set((
            appointments::status.eq(status.as_str()),
            appointments::cancel_reason.eq(&input.reason),
            appointments::version.eq(appointments::version + 1),
            appointments::updated_at.eq(caller.at),
        ))
        .execute(conn)?;
    if changed == 0 {
        return Err(ApiError::Conflict { code: "invalid_transition", detail: "The appointment's outcome was recorded meanwhile".into() });
    }
    if status == AppointmentStatus::Attended {
        let expected: Vec<String> = appointment_persons::table
            .filter(appointment_persons::appointment_id.eq(id))
            .select(appointment_persons::person_id)
            .load(conn)?;
        crate::persons::queries::record_contact(conn, &expected, row.starts_at)?;
        if let Some(situation) = &row.situation_id {
            crate::referrals::record_interview(conn, situation, row.starts_at)?;
        }
    }
    audit::record(
        conn,
        caller,
        Action { action: "appointment.outcome", object_type: "appointment", object_id: Some(id) },
        Outcome::Success,
    )?;
    queries::find_view(conn, &caller.ccas_id, id)
}
