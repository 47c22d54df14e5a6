use actix_web::{HttpRequest, HttpResponse, delete, get, patch, post, put, web};
use utoipa_actix_web::service_config::ServiceConfig;
use validator::Validate;

use super::models::{CloseSituation, NewSituation, PersonRole, RoleInput, Situation, SituationFilter};
use super::queries;
use crate::audit::{self, Action, Outcome};
use crate::auth::extractor::CcasOnly;
use crate::auth::{Authorized, Caller};
use crate::db::DbConnection;
use crate::error::ApiResult;
use crate::http::etag::{expected_version, json_with_etag};
use crate::http::extract::Query;
use crate::http::merge_patch;
use crate::http::pagination::{Cursor, Page, PageParams};
use crate::openapi::{AuthErrors, BodyErrors, ConflictError, NotFoundError, QueryErrors, VersionErrors};
use crate::state::AppState;
use crate::time::utc;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_situations)
        .service(create_situation)
        .service(get_situation)
        .service(update_situation)
        .service(close_situation)
        .service(reopen_situation)
        .service(set_person_role)
        .service(remove_person);
}

/// Runs `work` on a situation of the caller's CCAS in a transaction, records the audit event,
/// and answers the situation as it then is, with its ETag.
async fn act_on(
    state: &AppState,
    caller: Caller,
    id: String,
    action: &'static str,
    work: impl FnOnce(&mut DbConnection, &Caller, &str) -> ApiResult<()> + Send + 'static,
) -> ApiResult<HttpResponse> {
    let situation = state
        .db
        .transaction(move |conn| {
            queries::find_row(conn, &caller.ccas_id, &id)?;
            work(conn, &caller, &id)?;
            audit::record(conn, &caller, Action { action, object_type: "situation", object_id: Some(&id) }, Outcome::Success)?;
            queries::find(conn, &caller.ccas_id, &id)
        })
        .await?;
    Ok(json_with_etag(HttpResponse::Ok(), situation.version, &situation))
}

/// The persons a file shows are read with it: the access log names them.
fn persons_shown(situations: &[Situation]) -> impl Iterator<Item = &str> {
    situations.iter().flat_map(|s| &s.persons).map(|p| p.person.id.as_str())
}

/// List the files of the caller's CCAS, most recently opened first.
#[utoipa::path(
    tag = "situations",
    params(SituationFilter),
    responses((status = 200, description = "Success", body = Page<Situation>), AuthErrors, QueryErrors),
    security(("oauth2" = ["ccas"]))
)]
#[get("/api/v1/situations")]
pub async fn list_situations(
    caller: Authorized<CcasOnly>,
    filter: Query<SituationFilter>,
    state: web::Data<AppState>,
) -> ApiResult<web::Json<Page<Situation>>> {
    let filter = filter.into_inner();
    let paging = PageParams { limit: filter.limit, cursor: filter.cursor.clone() };
    let limit = paging.limit()?;
    let after = paging.time_cursor()?;
    let caller: Caller = caller.caller;
    let page = state
        .read(move |conn, trail| {
            let rows = queries::list(conn, &caller.ccas_id, &filter, after, limit)?;
            let page = Page::from_rows(rows, limit, |r| Cursor { key: utc(r.opened_at).to_rfc3339(), id: r.id.clone() });
            let page = page.map_items(|rows| queries::load_views(conn, rows))?;
            trail.listed(&caller, "situation.list", "situation", page.items.iter().map(|s| s.id.as_str()));
            trail.also(persons_shown(&page.items));
            Ok(page)
        })
        .await?;
    Ok(web::Json(page))
}

/// Open a file directly (a referral opens one through `POST /referrals/{id}/accept`).
#[utoipa::path(
    tag = "situations",
    request_body = NewSituation,
    responses((status = 201, description = "Created", body = Situation), AuthErrors, BodyErrors),
    security(("oauth2" = ["ccas"]))
)]
#[post("/api/v1/situations")]
pub async fn create_situation(
    caller: Authorized<CcasOnly>,
    body: web::Json<NewSituation>,
    state: web::Data<AppState>,
) -> ApiResult<HttpResponse> {
    let input = body.into_inner();
    input.validate()?;
    let opened_at = crate::time::past_or_now("opened_at", input.opened_at, caller.at)?;
    let caller: Caller = caller.caller;
    let situation = state
        .db
        .transaction(move |conn| {
            let id = queries::create(conn, &caller.ccas_id, &input, opened_at, caller.at)?;
            audit::record(
                conn,
                &caller,
                Action { action: "situation.create", object_type: "situation", object_id: Some(&id) },
                Outcome::Success,
            )?;
            queries::find(conn, &caller.ccas_id, &id)
        })
        .await?;
    let mut created = HttpResponse::Created();
    created.insert_header(("Location", format!("/api/v1/situations/{}", situation.id)));
    Ok(json_with_etag(created, situation.version, &situation))
}

/// Read a file (with its `ETag`).
#[utoipa::path(
    tag = "situations",
    params(("id" = String, Path, description = "Situation id")),
    responses((status = 200, description = "Success", body = Situation, headers(("ETag" = String, description = "The version"))), AuthErrors, NotFoundError),
    security(("oauth2" = ["ccas"]))
)]
#[get("/api/v1/situations/{id}")]
pub async fn get_situation(caller: Authorized<CcasOnly>, id: web::Path<String>, state: web::Data<AppState>) -> ApiResult<HttpResponse> {
    let caller: Caller = caller.caller;
    let id = id.into_inner();
    let situation = state
        .read(move |conn, trail| {
            let found = queries::find(conn, &caller.ccas_id, &id);
            let situation =
                trail.read(&caller, Action { action: "situation.read", object_type: "situation", object_id: Some(&id) }, found)?;
            trail.also(persons_shown(std::slice::from_ref(&situation)));
            Ok(situation)
        })
        .await?;
    Ok(json_with_etag(HttpResponse::Ok(), situation.version, &situation))
}

/// Change the coordinator in charge, the problem types or the judicial proceedings flag:
/// a JSON merge patch with `If-Match`.
#[utoipa::path(
    tag = "situations",
    params(("id" = String, Path, description = "Situation id"), ("If-Match" = String, Header, description = "The ETag read")),
    request_body(content = super::models::SituationChanges, description = "The fields to change (RFC 7396)", content_type = "application/merge-patch+json"),
    responses((status = 200, description = "Success", body = Situation), AuthErrors, BodyErrors, NotFoundError, VersionErrors, ConflictError),
    security(("oauth2" = ["ccas"]))
)]
#[patch("/api/v1/situations/{id}")]
pub async fn update_situation(
    req: HttpRequest,
    caller: Authorized<CcasOnly>,
    id: web::Path<String>,
    patch: web::Json<serde_json::Value>,
    state: web::Data<AppState>,
) -> ApiResult<HttpResponse> {
    let version = expected_version(&req)?;
    let patch = patch.into_inner();
    act_on(&state, caller.caller, id.into_inner(), "situation.update", move |conn, caller, id| {
        queries::find_open(conn, &caller.ccas_id, id)?;
        let current = queries::find(conn, &caller.ccas_id, id)?;
        let changes = merge_patch::apply(&queries::as_changes(&current), &patch)?;
        changes.validate()?;
        queries::update(conn, &caller.ccas_id, id, version.against(current.version), &changes, caller.at)
    })
    .await
}

/// Close an open file with a reason (409 when already closed).
#[utoipa::path(
    tag = "situations",
    params(("id" = String, Path, description = "Situation id")),
    request_body = CloseSituation,
    responses((status = 200, description = "Success", body = Situation), AuthErrors, BodyErrors, NotFoundError, ConflictError),
    security(("oauth2" = ["ccas"]))
)]
#[post("/api/v1/situations/{id}/close")]
pub async fn close_situation(
    caller: Authorized<CcasOnly>,
    id: web::Path<String>,
    body: web::Json<CloseSituation>,
    state: web::Data<AppState>,
) -> ApiResult<HttpResponse> {
    let input = body.into_inner();
    let closed_at = crate::time::past_or_now("closed_at", input.closed_at, caller.at)?;
    act_on(&state, caller.caller, id.into_inner(), "situation.close", move |conn, caller, id| {
        queries::set_status(conn, &caller.ccas_id, id, Some(input.reason), closed_at, caller.at)
    })
    .await
}

/// Reopen a closed file (409 when open).
#[utoipa::path(
    tag = "situations",
    params(("id" = String, Path, description = "Situation id")),
    responses((status = 200, description = "Success", body = Situation), AuthErrors, NotFoundError, ConflictError),
    security(("oauth2" = ["ccas"]))
)]
#[post("/api/v1/situations/{id}/reopen")]
pub async fn reopen_situation(caller: Authorized<CcasOnly>, id: web::Path<String>, state: web::Data<AppState>) -> ApiResult<HttpResponse> {
    act_on(&state, caller.caller, id.into_inner(), "situation.reopen", |conn, caller, id| {
        queries::set_status(conn, &caller.ccas_id, id, None, caller.at, caller.at)
    })
    .await
}

/// Add a person to the file, or change their role in it.
#[utoipa::path(
    tag = "situations",
    params(("id" = String, Path, description = "Situation id"), ("person_id" = String, Path, description = "Person id")),
    request_body = RoleInput,
    responses((status = 200, description = "Success", body = Situation), AuthErrors, BodyErrors, NotFoundError, ConflictError),
    security(("oauth2" = ["ccas"]))
)]
#[put("/api/v1/situations/{id}/persons/{person_id}")]
pub async fn set_person_role(
    caller: Authorized<CcasOnly>,
    path: web::Path<(String, String)>,
    body: web::Json<RoleInput>,
    state: web::Data<AppState>,
) -> ApiResult<HttpResponse> {
    let (id, person_id) = path.into_inner();
    let input = body.into_inner();
    input.validate()?;
    let role = PersonRole { person_id, role: input.role, role_detail: input.role_detail };
    act_on(&state, caller.caller, id, "situation.person.set", move |conn, caller, id| {
        queries::find_open(conn, &caller.ccas_id, id)?;
        queries::add_person_checked(conn, &caller.ccas_id, id, &role, caller.at)
    })
    .await
}

/// Take a person out of the file (the person stays in the directory of persons).
#[utoipa::path(
    tag = "situations",
    params(("id" = String, Path, description = "Situation id"), ("person_id" = String, Path, description = "Person id")),
    responses((status = 200, description = "Success", body = Situation), AuthErrors, NotFoundError, ConflictError),
    security(("oauth2" = ["ccas"]))
)]
#[delete("/api/v1/situations/{id}/persons/{person_id}")]
pub async fn remove_person(
    caller: Authorized<CcasOnly>,
    path: web::Path<(String, String)>,
    state: web::Data<AppState>,
) -> ApiResult<HttpResponse> {
    let (id, person_id) = path.into_inner();
    act_on(&state, caller.caller, id, "situation.person.remove", move |conn, caller, id| {
        queries::find_open(conn, &caller.ccas_id, id)?;
        queries::remove_person(conn, id, &person_id, caller.at)
    })
    .await
}
