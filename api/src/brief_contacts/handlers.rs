use actix_web::{HttpResponse, get, post, web};
use chrono::NaiveDateTime;
use utoipa_actix_web::service_config::ServiceConfig;
use validator::Validate;

use super::models::{BriefContact, BriefContactFilter, NewBriefContact};
use super::queries;
use crate::audit::{self, Action, Outcome};
use crate::auth::extractor::CcasOnly;
use crate::auth::{Authorized, Caller};
use crate::error::ApiResult;
use crate::http::extract::Query;
use crate::http::pagination::{Page, PageParams};
use crate::openapi::{AuthErrors, BodyErrors, NotFoundError, QueryErrors};
use crate::state::AppState;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_brief_contacts).service(record_brief_contact).service(get_brief_contact);
}

/// List brief anonymous contacts, most recent first.
#[utoipa::path(
    tag = "brief-contacts",
    params(BriefContactFilter),
    responses((status = 200, description = "Success", body = Page<BriefContact>), AuthErrors, QueryErrors),
    security(("oauth2" = ["ccas"]))
)]
#[get("/api/v1/brief-contacts")]
pub async fn list_brief_contacts(
    caller: Authorized<CcasOnly>,
    filter: Query<BriefContactFilter>,
    state: web::Data<AppState>,
) -> ApiResult<web::Json<Page<BriefContact>>> {
    let filter = filter.into_inner();
    let paging = PageParams { limit: filter.limit, cursor: filter.cursor.clone() };
    let limit = paging.limit()?;
    let after: Option<(NaiveDateTime, String)> = paging.time_cursor()?;
    let caller: Caller = caller.caller;
    let page = state
        .read(move |conn, trail| {
            let page = queries::list(conn, &caller.ccas_id, &filter, after, limit)?;
            trail.listed(&caller, "brief_contact.list", "brief_contact", page.items.iter().map(|c| c.id.as_str()));
            Ok(page)
        })
        .await?;
    Ok(web::Json(page))
}

/// Record a brief anonymous contact: a call for advice, someone who gives no name. Counted in
/// the activity report's own figures; no person or situation is created.
#[utoipa::path(
    tag = "brief-contacts",
    request_body = NewBriefContact,
    responses((status = 201, description = "Created", body = BriefContact, headers(("Location" = String, description = "The contact's URL"))), AuthErrors, BodyErrors),
    security(("oauth2" = ["ccas"]))
)]
#[post("/api/v1/brief-contacts")]
pub async fn record_brief_contact(
    caller: Authorized<CcasOnly>,
    body: web::Json<NewBriefContact>,
    state: web::Data<AppState>,
) -> ApiResult<HttpResponse> {
    let input = body.into_inner();
    input.validate()?;
    let at = crate::time::past_or_now("occurred_at", input.occurred_at, caller.at)?;
    let caller: Caller = caller.caller;
    let contact = state
        .db
        .transaction(move |conn| {
            let id = queries::insert(conn, &caller.ccas_id, &caller.sub, at, &input, caller.at)?;
            let what = Action { action: "brief_contact.create", object_type: "brief_contact", object_id: Some(&id) };
            audit::record(conn, &caller, what, Outcome::Success)?;
            queries::find(conn, &caller.ccas_id, &id)
        })
        .await?;
    Ok(HttpResponse::Created().insert_header(("Location", format!("/api/v1/brief-contacts/{}", contact.id))).json(contact))
}

/// Read a brief contact.
#[utoipa::path(
    tag = "brief-contacts",
    params(("id" = String, Path, description = "Brief contact id")),
    responses((status = 200, description = "Success", body = BriefContact), AuthErrors, NotFoundError),
    security(("oauth2" = ["ccas"]))
)]
#[get("/api/v1/brief-contacts/{id}")]
pub async fn get_brief_contact(
    caller: Authorized<CcasOnly>,
    id: web::Path<String>,
    state: web::Data<AppState>,
) -> ApiResult<web::Json<BriefContact>> {
    let (caller, id): (Caller, String) = (caller.caller, id.into_inner());
    let contact = state
        .read(move |conn, trail| {
            let found = queries::find(conn, &caller.ccas_id, &id);
            trail.read(&caller, Action { action: "brief_contact.read", object_type: "brief_contact", object_id: Some(&id) }, found)
        })
        .await?;
    Ok(web::Json(contact))
}
