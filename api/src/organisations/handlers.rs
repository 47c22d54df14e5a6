use actix_web::{HttpResponse, get, patch, post, web};
use diesel::prelude::*;
use utoipa_actix_web::service_config::ServiceConfig;
use validator::Validate;

use super::models::{NewOrganisation, Organisation, OrganisationChanges};
use super::queries;
use crate::audit::{self, Action, Outcome};
use crate::auth::extractor::AdminOnly;
use crate::auth::{Authorized, Caller, OrgKind};
use crate::db::schema::organisations;
use crate::error::{ApiError, ApiResult};
use crate::http::extract::Query;
use crate::http::pagination::{Cursor, Page, PageParams};
use crate::openapi::{AuthErrors, BodyErrors, NotFoundError, QueryErrors};
use crate::state::AppState;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_organisations).service(create_organisation).service(get_organisation).service(update_organisation);
}

/// List the administrator's CCAS and the organisations that refer to it, by name.
#[utoipa::path(
    tag = "organisations",
    params(PageParams),
    responses((status = 200, description = "Success", body = Page<Organisation>), AuthErrors, QueryErrors),
    security(("oauth2" = ["admin"]))
)]
#[get("/api/v1/organisations")]
pub async fn list_organisations(
    caller: Authorized<AdminOnly>,
    page: Query<PageParams>,
    state: web::Data<AppState>,
) -> ApiResult<web::Json<Page<Organisation>>> {
    let (limit, after) = (page.limit()?, page.cursor()?);
    let ccas_id = caller.ccas_id.clone();
    let rows = state.db.run(move |conn| queries::list_tenant(conn, &ccas_id, after, limit)).await?;
    let page = Page::from_rows(rows, limit, |r| Cursor { key: r.name.clone(), id: r.id.clone() });
    Ok(web::Json(page.try_map(Organisation::try_from)?))
}

/// Add a gendarmerie unit or police municipale service referring to the administrator's CCAS.
#[utoipa::path(
    tag = "organisations",
    request_body = NewOrganisation,
    responses((status = 201, description = "Created", body = Organisation), AuthErrors, BodyErrors),
    security(("oauth2" = ["admin"]))
)]
#[post("/api/v1/organisations")]
pub async fn create_organisation(
    caller: Authorized<AdminOnly>,
    body: web::Json<NewOrganisation>,
    state: web::Data<AppState>,
) -> ApiResult<HttpResponse> {
    let body = body.into_inner();
    body.validate()?;
    if body.kind == OrgKind::Ccas {
        return Err(ApiError::validation("kind", "invalid", "a CCAS is created by the host with `relais org create`"));
    }
    let caller: Caller = caller.caller;
    let row = state
        .db
        .transaction(move |conn| {
            let row = queries::insert(conn, body.kind, &body.name, Some(&caller.ccas_id), caller.at)?;
            let what = Action { action: "organisation.create", object_type: "organisation", object_id: Some(&row.id) };
            audit::record(conn, &caller, what, Outcome::Success)?;
            Ok(row)
        })
        .await?;
    Ok(HttpResponse::Created().json(Organisation::try_from(row)?))
}

/// Read one organisation of the administrator's CCAS.
#[utoipa::path(
    tag = "organisations",
    params(("id" = String, Path, description = "Organisation id")),
    responses((status = 200, description = "Success", body = Organisation), AuthErrors, NotFoundError),
    security(("oauth2" = ["admin"]))
)]
#[get("/api/v1/organisations/{id}")]
pub async fn get_organisation(
    caller: Authorized<AdminOnly>,
    id: web::Path<String>,
    state: web::Data<AppState>,
) -> ApiResult<web::Json<Organisation>> {
    let ccas_id = caller.ccas_id.clone();
    let row = state.db.run(move |conn| queries::find_in_tenant(conn, &ccas_id, &id)).await?;
    Ok(web::Json(Organisation::try_from(row)?))
}

/// Rename or (de)activate an organisation of the administrator's CCAS.
#[utoipa::path(
    tag = "organisations",
    params(("id" = String, Path, description = "Organisation id")),
    request_body = OrganisationChanges,
    responses((status = 200, description = "Success", body = Organisation), AuthErrors, BodyErrors, NotFoundError),
    security(("oauth2" = ["admin"]))
)]
#[patch("/api/v1/organisations/{id}")]
pub async fn update_organisation(
    caller: Authorized<AdminOnly>,
    id: web::Path<String>,
    body: web::Json<OrganisationChanges>,
    state: web::Data<AppState>,
) -> ApiResult<web::Json<Organisation>> {
    let changes = body.into_inner();
    changes.validate()?;
    if changes.active == Some(false) && *id == caller.ccas_id {
        return Err(ApiError::validation("active", "invalid", "an administrator cannot deactivate its own CCAS"));
    }
    let caller: Caller = caller.caller;
    let row = state
        .db
        .transaction(move |conn| {
            let row = queries::find_in_tenant(conn, &caller.ccas_id, &id)?;
            let target = organisations::table.find(&row.id);
            let what = |action| Action { action, object_type: "organisation", object_id: Some(&row.id) };
            if let Some(name) = &changes.name {
                diesel::update(target).set(organisations::name.eq(name)).execute(conn)?;
                audit::record(conn, &caller, what("organisation.rename"), Outcome::Success)?;
            }
            if let Some(active) = changes.active {
                diesel::update(target).set(organisations::active.eq(active)).execute(conn)?;
                let action = if active { "organisation.activate" } else { "organisation.deactivate" };
                audit::record(conn, &caller, what(action), Outcome::Success)?;
            }
            queries::find(conn, &row.id)
        })
        .await?;
    Ok(web::Json(Organisation::try_from(row)?))
}
