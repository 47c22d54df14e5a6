use actix_web::{HttpRequest, HttpResponse, get, post, put, web};
use utoipa_actix_web::service_config::ServiceConfig;
use validator::Validate;

use super::models::{DirectoryEntry, Partner, PartnerFilter, PartnerInput};
use super::queries;
use crate::audit::{self, Action, Outcome};
use crate::auth::extractor::{CcasOnly, CcasOrAgency};
use crate::auth::{Authorized, Caller};
use crate::error::{ApiError, ApiResult};
use crate::http::etag::{expected_version, json_with_etag};
use crate::http::extract::Query;
use crate::http::pagination::{Cursor, Page, PageParams};
use crate::openapi::{AuthErrors, BodyErrors, NotFoundError, QueryErrors, VersionErrors};
use crate::state::AppState;

pub fn configure(cfg: &mut ServiceConfig) {
    // Before `/partners/{id}`'s routes: their paths have two segments after `/partners`.
    super::data_inclusion::configure(cfg);
    cfg.service(list_partners)
        .service(create_partner)
        .service(get_partner)
        .service(replace_partner)
        .service(list_directory)
        .service(get_directory_entry);
}

fn paging(filter: &PartnerFilter) -> ApiResult<(i64, Option<Cursor>)> {
    let page = PageParams { limit: filter.limit, cursor: filter.cursor.clone() };
    Ok((page.limit()?, page.cursor()?))
}

fn cursor_of(row: &super::models::PartnerRow) -> Cursor {
    Cursor { key: row.sort_name.clone(), id: row.id.clone() }
}

/// Search the partners of the caller's CCAS.
#[utoipa::path(
    tag = "partners",
    params(PartnerFilter),
    responses((status = 200, description = "Success", body = Page<Partner>), AuthErrors, QueryErrors),
    security(("oauth2" = ["ccas"]))
)]
#[get("/api/v1/partners")]
pub async fn list_partners(
    caller: Authorized<CcasOnly>,
    filter: Query<PartnerFilter>,
    state: web::Data<AppState>,
) -> ApiResult<web::Json<Page<Partner>>> {
    let filter = filter.into_inner();
    let (limit, after) = paging(&filter)?;
    let ccas_id = caller.ccas_id.clone();
    let page = state
        .db
        .run(move |conn| {
            let rows = queries::list(conn, &ccas_id, &filter, after, limit)?;
            let page = Page::from_rows(rows, limit, cursor_of);
            page.map_items(|rows| queries::partners_view(conn, rows))
        })
        .await?;
    Ok(web::Json(page))
}

/// Add a partner to the directory.
#[utoipa::path(
    tag = "partners",
    request_body = PartnerInput,
    responses((status = 201, description = "Created", body = Partner), AuthErrors, BodyErrors),
    security(("oauth2" = ["ccas"]))
)]
#[post("/api/v1/partners")]
pub async fn create_partner(
    caller: Authorized<CcasOnly>,
    body: web::Json<PartnerInput>,
    state: web::Data<AppState>,
) -> ApiResult<HttpResponse> {
    let input = body.into_inner();
    input.validate()?;
    let caller: Caller = caller.caller;
    let ccas_id = caller.ccas_id.clone();
    let partner = state
        .db
        .transaction(move |conn| {
            let id = uuid::Uuid::new_v4().to_string();
            queries::save(conn, &ccas_id, &id, &input, true, caller.at)?;
            audit::record(
                conn,
                &caller,
                Action { action: "partner.create", object_type: "partner", object_id: Some(&id) },
                Outcome::Success,
            )?;
            let row = queries::find(conn, &ccas_id, &id, false)?;
            queries::partners_view(conn, vec![row])?.pop().ok_or(ApiError::NotFound)
        })
        .await?;
    Ok(HttpResponse::Created().insert_header(("Location", format!("/api/v1/partners/{}", partner.id))).json(partner))
}

/// Read a partner of the caller's CCAS, active or not.
#[utoipa::path(
    tag = "partners",
    params(("id" = String, Path, description = "Partner id")),
    responses((status = 200, description = "Success", body = Partner, headers(("ETag" = String, description = "The version"))), AuthErrors, NotFoundError),
    security(("oauth2" = ["ccas"]))
)]
#[get("/api/v1/partners/{id}")]
pub async fn get_partner(caller: Authorized<CcasOnly>, id: web::Path<String>, state: web::Data<AppState>) -> ApiResult<HttpResponse> {
    let ccas_id = caller.ccas_id.clone();
    let partner = state
        .db
        .run(move |conn| {
            let row = queries::find(conn, &ccas_id, &id, false)?;
            queries::partners_view(conn, vec![row])?.pop().ok_or(ApiError::NotFound)
        })
        .await?;
    Ok(json_with_etag(HttpResponse::Ok(), partner.version, &partner))
}

/// Replace a partner's description; `active: false` deactivates it. `If-Match` carries the
/// ETag read (or `*`): a partner changed meanwhile answers 412, a missing header 428.
#[utoipa::path(
    tag = "partners",
    params(
        ("id" = String, Path, description = "Partner id"),
        ("If-Match" = String, Header, description = "The ETag of the version read, or `*`"),
    ),
    request_body = PartnerInput,
    responses((status = 200, description = "Success", body = Partner, headers(("ETag" = String, description = "The new version"))), AuthErrors, BodyErrors, NotFoundError, VersionErrors),
    security(("oauth2" = ["ccas"]))
)]
#[put("/api/v1/partners/{id}")]
pub async fn replace_partner(
    req: HttpRequest,
    caller: Authorized<CcasOnly>,
    id: web::Path<String>,
    body: web::Json<PartnerInput>,
    state: web::Data<AppState>,
) -> ApiResult<HttpResponse> {
    let version = expected_version(&req)?;
    let input = body.into_inner();
    input.validate()?;
    let caller: Caller = caller.caller;
    let ccas_id = caller.ccas_id.clone();
    let partner = state
        .db
        .transaction(move |conn| {
            let current = queries::find(conn, &ccas_id, &id, false)?;
            if version.against(current.version) != current.version {
                return Err(ApiError::PreconditionFailed);
            }
            queries::save(conn, &ccas_id, &id, &input, false, caller.at)?;
            audit::record(
                conn,
                &caller,
                Action { action: "partner.replace", object_type: "partner", object_id: Some(&id) },
                Outcome::Success,
            )?;
            let row = queries::find(conn, &ccas_id, &id, false)?;
            queries::partners_view(conn, vec![row])?.pop().ok_or(ApiError::NotFound)
        })
        .await?;
    Ok(json_with_etag(HttpResponse::Ok(), partner.version, &partner))
}

/// Search the active directory of the caller's CCAS: where to send a person.
#[utoipa::path(
    tag = "partners",
    params(PartnerFilter),
    responses((status = 200, description = "Success", body = Page<DirectoryEntry>), AuthErrors, QueryErrors),
    security(("oauth2" = ["ccas"]), ("oauth2" = ["gendarmerie"]), ("oauth2" = ["police_municipale"]), ("oauth2" = ["police_nationale"]))
)]
#[get("/api/v1/directory")]
pub async fn list_directory(
    caller: Authorized<CcasOrAgency>,
    filter: Query<PartnerFilter>,
    state: web::Data<AppState>,
) -> ApiResult<web::Json<Page<DirectoryEntry>>> {
    let mut filter = filter.into_inner();
    if filter.active == Some(false) {
        return Err(ApiError::validation("active", "invalid", "the directory lists active partners only"));
    }
    filter.active = Some(true);
    let (limit, after) = paging(&filter)?;
    let ccas_id = caller.ccas_id.clone();
    let page = state
        .db
        .run(move |conn| {
            let rows = queries::list(conn, &ccas_id, &filter, after, limit)?;
            let page = Page::from_rows(rows, limit, cursor_of);
            page.map_items(|rows| queries::directory_view(conn, rows))
        })
        .await?;
    Ok(web::Json(page))
}

/// Read an active directory entry of the caller's CCAS.
#[utoipa::path(
    tag = "partners",
    params(("id" = String, Path, description = "Partner id")),
    responses((status = 200, description = "Success", body = DirectoryEntry), AuthErrors, NotFoundError),
    security(("oauth2" = ["ccas"]), ("oauth2" = ["gendarmerie"]), ("oauth2" = ["police_municipale"]), ("oauth2" = ["police_nationale"]))
)]
#[get("/api/v1/directory/{id}")]
pub async fn get_directory_entry(
    caller: Authorized<CcasOrAgency>,
    id: web::Path<String>,
    state: web::Data<AppState>,
) -> ApiResult<web::Json<DirectoryEntry>> {
    let ccas_id = caller.ccas_id.clone();
    let entry = state
        .db
        .run(move |conn| {
            let row = queries::find(conn, &ccas_id, &id, true)?;
            queries::directory_view(conn, vec![row])?.pop().ok_or(ApiError::NotFound)
        })
        .await?;
    Ok(web::Json(entry))
}
