use actix_web::{HttpResponse, get, post, put, web};
use utoipa_actix_web::service_config::ServiceConfig;
use validator::Validate;

use super::hours::{default_hours, parse_week};
use super::queries::{self, Site, SiteInput, SiteRow};
use crate::audit::{self, Action, Outcome};
use crate::auth::extractor::{AdminOnly, CcasOrAdmin};
use crate::auth::{Authorized, Caller};
use crate::error::{ApiError, ApiResult};
use crate::http::extract::Query;
use crate::http::pagination::{Cursor, Page, PageParams};
use crate::openapi::{AuthErrors, BodyErrors, NotFoundError, QueryErrors};
use crate::state::AppState;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_sites).service(create_site).service(get_site).service(replace_site);
}

/// List the sites of the caller's CCAS, by name.
#[utoipa::path(
    tag = "sites",
    params(PageParams),
    responses((status = 200, description = "Success", body = Page<Site>), AuthErrors, QueryErrors),
    security(("oauth2" = ["ccas"]), ("oauth2" = ["admin"]))
)]
#[get("/api/v1/sites")]
pub async fn list_sites(
    caller: Authorized<CcasOrAdmin>,
    page: Query<PageParams>,
    state: web::Data<AppState>,
) -> ApiResult<web::Json<Page<Site>>> {
    let (limit, after) = (page.limit()?, page.cursor()?);
    let ccas_id = caller.ccas_id.clone();
    let page = state
        .db
        .run(move |conn| {
            let rows = queries::list(conn, &ccas_id, after, limit)?;
            let page = Page::from_rows(rows, limit, |r| Cursor { key: r.name.clone(), id: r.id.clone() });
            page.map_items(|rows| queries::with_hours(conn, rows))
        })
        .await?;
    Ok(web::Json(page))
}

fn parse_input(input: &SiteInput) -> ApiResult<Vec<(i32, i32, i32)>> {
    input.validate()?;
    let hours = input.opening_hours.clone().unwrap_or_else(default_hours);
    parse_week("opening_hours", &hours).map_err(ApiError::Validation)
}

/// Create a site of the administrator's CCAS.
#[utoipa::path(
    tag = "sites",
    request_body = SiteInput,
    responses((status = 201, description = "Created", body = Site), AuthErrors, BodyErrors),
    security(("oauth2" = ["admin"]))
)]
#[post("/api/v1/sites")]
pub async fn create_site(caller: Authorized<AdminOnly>, body: web::Json<SiteInput>, state: web::Data<AppState>) -> ApiResult<HttpResponse> {
    let input = body.into_inner();
    let week = parse_input(&input)?;
    let now = caller.at;
    let row = SiteRow {
        id: uuid::Uuid::new_v4().to_string(),
        ccas_id: caller.ccas_id.clone(),
        name: input.name,
        address: input.address,
        commune: input.commune,
        created_at: now,
        updated_at: now,
    };
    let caller: Caller = caller.caller;
    let site = state
        .db
        .transaction(move |conn| {
            queries::insert(conn, &row, &week)?;
            audit::record(
                conn,
                &caller,
                Action { action: "site.create", object_type: "site", object_id: Some(&row.id) },
                Outcome::Success,
            )?;
            queries::with_hours(conn, vec![row])?.pop().ok_or(ApiError::NotFound)
        })
        .await?;
    Ok(HttpResponse::Created().json(site))
}

/// Read a site of the caller's CCAS.
#[utoipa::path(
    tag = "sites",
    params(("id" = String, Path, description = "Site id")),
    responses((status = 200, description = "Success", body = Site), AuthErrors, NotFoundError),
    security(("oauth2" = ["ccas"]), ("oauth2" = ["admin"]))
)]
#[get("/api/v1/sites/{id}")]
pub async fn get_site(caller: Authorized<CcasOrAdmin>, id: web::Path<String>, state: web::Data<AppState>) -> ApiResult<web::Json<Site>> {
    let ccas_id = caller.ccas_id.clone();
    let site = state
        .db
        .run(move |conn| {
            let row = queries::find(conn, &ccas_id, &id)?;
            queries::with_hours(conn, vec![row])?.pop().ok_or(ApiError::NotFound)
        })
        .await?;
    Ok(web::Json(site))
}

/// Replace a site's description and opening hours.
#[utoipa::path(
    tag = "sites",
    params(("id" = String, Path, description = "Site id")),
    request_body = SiteInput,
    responses((status = 200, description = "Success", body = Site), AuthErrors, BodyErrors, NotFoundError),
    security(("oauth2" = ["admin"]))
)]
#[put("/api/v1/sites/{id}")]
pub async fn replace_site(
    caller: Authorized<AdminOnly>,
    id: web::Path<String>,
    body: web::Json<SiteInput>,
    state: web::Data<AppState>,
) -> ApiResult<web::Json<Site>> {
    let input = body.into_inner();
    let week = parse_input(&input)?;
    let caller: Caller = caller.caller;
    let site = state
        .db
        .transaction(move |conn| {
            let existing = queries::find(conn, &caller.ccas_id, &id)?;
            let what = Action { action: "site.replace", object_type: "site", object_id: Some(&existing.id) };
            audit::record(conn, &caller, what, Outcome::Success)?;
            let row = SiteRow { name: input.name, address: input.address, commune: input.commune, updated_at: caller.at, ..existing };
            queries::update(conn, &row, &week)?;
            queries::with_hours(conn, vec![row])?.pop().ok_or(ApiError::NotFound)
        })
        .await?;
    Ok(web::Json(site))
}
