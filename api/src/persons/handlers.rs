use actix_web::{HttpRequest, HttpResponse, get, patch, post, web};
use utoipa_actix_web::service_config::ServiceConfig;

use super::models::{Person, PersonFilter, PersonInput};
use super::queries;
use crate::audit::{self, Action, Outcome};
use crate::auth::extractor::CcasOnly;
use crate::auth::{Authorized, Caller};
use crate::error::ApiResult;
use crate::http::etag::{expected_version, json_with_etag};
use crate::http::extract::Query;
use crate::http::merge_patch;
use crate::http::pagination::{Page, PageParams};
use crate::openapi::{AuthErrors, BodyErrors, ConflictError, NotFoundError, QueryErrors, VersionErrors};
use crate::state::AppState;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_persons).service(create_person).service(get_person).service(update_person).service(super::export::export_person);
}

/// Search the persons of the caller's CCAS by name (ignoring accents and case) or phone.
#[utoipa::path(
    tag = "persons",
    params(PersonFilter),
    responses((status = 200, description = "Success", body = Page<Person>), AuthErrors, QueryErrors),
    security(("oauth2" = ["ccas"]))
)]
#[get("/api/v1/persons")]
pub async fn list_persons(
    caller: Authorized<CcasOnly>,
    filter: Query<PersonFilter>,
    state: web::Data<AppState>,
) -> ApiResult<web::Json<Page<Person>>> {
    let filter = filter.into_inner();
    let paging = PageParams { limit: filter.limit, cursor: filter.cursor.clone() };
    let (limit, after) = (paging.limit()?, paging.cursor()?);
    let caller: Caller = caller.caller;
    let page = state
        .read(move |conn, trail| {
            let rows = queries::list(conn, &caller.ccas_id, &filter, after, limit)?;
            let page = Page::from_rows(rows, limit, queries::cursor_of);
            trail.listed(&caller, "person.list", "person", page.items.iter().map(|p| p.id.as_str()));
            page.try_map(queries::view)
        })
        .await?;
    Ok(web::Json(page))
}

/// Create a person. When persons with the same names and birth date, or the same phone, exist
/// already, answers 409 `possible_duplicate` with them in `conflicts`, unless
/// `confirm_distinct` is true.
#[utoipa::path(
    tag = "persons",
    request_body = PersonInput,
    responses((status = 201, description = "Created", body = Person), AuthErrors, BodyErrors, ConflictError),
    security(("oauth2" = ["ccas"]))
)]
#[post("/api/v1/persons")]
pub async fn create_person(
    caller: Authorized<CcasOnly>,
    body: web::Json<PersonInput>,
    state: web::Data<AppState>,
) -> ApiResult<HttpResponse> {
    let input = body.into_inner();
    input.validate_as_of(caller.today())?;
    let caller: Caller = caller.caller;
    let writer = caller.clone();
    let created = state
        .db
        .transaction(move |conn| {
            let row = queries::create(conn, &writer.ccas_id, &input, writer.at)?;
            audit::record(
                conn,
                &writer,
                Action { action: "person.create", object_type: "person", object_id: Some(&row.id) },
                Outcome::Success,
            )?;
            Ok(row)
        })
        .await;
    let row = state.record_disclosed(&caller, "person.duplicate_candidates", created).await?;
    let person = queries::view(row)?;
    let mut created = HttpResponse::Created();
    created.insert_header(("Location", format!("/api/v1/persons/{}", person.id)));
    Ok(json_with_etag(created, person.version, &person))
}

/// Read a person of the caller's CCAS (with its `ETag`).
#[utoipa::path(
    tag = "persons",
    params(("id" = String, Path, description = "Person id")),
    responses((status = 200, description = "Success", body = Person, headers(("ETag" = String, description = "The version"))), AuthErrors, NotFoundError),
    security(("oauth2" = ["ccas"]))
)]
#[get("/api/v1/persons/{id}")]
pub async fn get_person(caller: Authorized<CcasOnly>, id: web::Path<String>, state: web::Data<AppState>) -> ApiResult<HttpResponse> {
    let caller: Caller = caller.caller;
    let id = id.into_inner();
    let row = state
        .read(move |conn, trail| {
            let found = queries::find(conn, &caller.ccas_id, &id);
            trail.read(&caller, Action { action: "person.read", object_type: "person", object_id: Some(&id) }, found)
        })
        .await?;
    let person = queries::view(row)?;
    Ok(json_with_etag(HttpResponse::Ok(), person.version, &person))
}

/// Change a person: a JSON merge patch of `PersonInput`, with `If-Match` (412 when stale,
/// 428 when missing).
#[utoipa::path(
    tag = "persons",
    params(("id" = String, Path, description = "Person id"), ("If-Match" = String, Header, description = "The ETag read")),
    request_body(content = PersonInput, description = "The fields to change (RFC 7396)", content_type = "application/merge-patch+json"),
    responses((status = 200, description = "Success", body = Person), AuthErrors, BodyErrors, NotFoundError, VersionErrors),
    security(("oauth2" = ["ccas"]))
)]
#[patch("/api/v1/persons/{id}")]
pub async fn update_person(
    req: HttpRequest,
    caller: Authorized<CcasOnly>,
    id: web::Path<String>,
    patch: web::Json<serde_json::Value>,
    state: web::Data<AppState>,
) -> ApiResult<HttpResponse> {
    let version = expected_version(&req)?;
    let caller: Caller = caller.caller;
    let id = id.into_inner();
    let patch = patch.into_inner();
    let row = state
        .db
        .transaction(move |conn| {
            let current = queries::view(queries::find(conn, &caller.ccas_id, &id)?)?;
            let input = merge_patch::apply(&queries::as_input(&current), &patch)?;
            input.validate_as_of(caller.today())?;
            let row = queries::update(conn, &caller.ccas_id, &id, version.against(current.version), &input, caller.at)?;
            audit::record(
                conn,
                &caller,
                Action { action: "person.update", object_type: "person", object_id: Some(&id) },
                Outcome::Success,
            )?;
            Ok(row)
        })
        .await?;
    let person = queries::view(row)?;
    Ok(json_with_etag(HttpResponse::Ok(), person.version, &person))
}
