use actix_web::{HttpResponse, delete, get, patch, post, web};
use diesel::prelude::*;
use utoipa_actix_web::service_config::ServiceConfig;
use validator::Validate;

use super::guard::checked_url;
use super::models::{Delivery, DeliveryRow, NewSubscription, Subscription, SubscriptionChanges, SubscriptionWithSecret};
use super::queries::{self, Change, Reach};
use crate::audit::{self, Action, Outcome};
use crate::auth::extractor::Policy;
use crate::auth::{Authorized, Caller, Scope};
use crate::db::schema::webhook_deliveries;
use crate::error::{ApiError, ApiResult};
use crate::http::extract::Query;
use crate::http::pagination::{Cursor, Page, PageParams};
use crate::openapi::{AuthErrors, BodyErrors, NotFoundError, QueryErrors};
use crate::state::AppState;
use crate::time::utc;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(create_subscription)
        .service(list_subscriptions)
        .service(get_subscription)
        .service(change_subscription)
        .service(delete_subscription)
        .service(rotate_secret)
        .service(list_deliveries);
}

/// The units' software: gendarmerie, police municipale, police nationale.
pub struct Units;
impl Policy for Units {
    const SCOPES: &'static [Scope] = &Scope::REFERRING;
}

/// The units, and the administrators of their CCAS.
pub struct UnitsOrAdmin;
impl Policy for UnitsOrAdmin {
    const SCOPES: &'static [Scope] = &[Scope::Gendarmerie, Scope::PoliceMunicipale, Scope::PoliceNationale, Scope::Admin];
}

fn audited(conn: &mut crate::db::DbConnection, caller: &Caller, action: &'static str, id: &str) -> ApiResult<()> {
    let what = Action { action, object_type: "webhook_subscription", object_id: Some(id) };
    Ok(audit::record(conn, caller, what, Outcome::Success)?)
}

/// Subscribe the unit's software to events. The answer holds the signing secret, shown this
/// once: each delivery carries `webhook-id`, `webhook-timestamp` and `webhook-signature`
/// (Standard Webhooks 1.0), and is retried with the same `webhook-id` for up to 24 hours.
#[utoipa::path(
    tag = "webhooks",
    request_body = NewSubscription,
    responses((status = 201, description = "Created", body = SubscriptionWithSecret,
        headers(("Location" = String, description = "The subscription's URL"))), AuthErrors, BodyErrors),
    security(("oauth2" = ["gendarmerie"]), ("oauth2" = ["police_municipale"]), ("oauth2" = ["police_nationale"]))
)]
#[post("/api/v1/webhook-subscriptions")]
pub async fn create_subscription(
    caller: Authorized<Units>,
    body: web::Json<NewSubscription>,
    state: web::Data<AppState>,
) -> ApiResult<HttpResponse> {
    let body = body.into_inner();
    body.validate()?;
    let url = checked_url(&body.url, &state.webhooks.allowed)?;
    let caller: Caller = caller.caller;
    let (row, secret) = state
        .db
        .transaction(move |conn| {
            let (row, secret) = queries::insert(conn, &caller, url.as_str(), &body.events)?;
            audited(conn, &caller, "webhook_subscription.create", &row.id)?;
            Ok((row, secret))
        })
        .await?;
    let location = format!("/api/v1/webhook-subscriptions/{}", row.id);
    Ok(HttpResponse::Created()
        .insert_header(("Location", location))
        .insert_header(("Cache-Control", "no-store"))
        .json(SubscriptionWithSecret { subscription: Subscription::try_from(row)?, secret }))
}

/// List subscriptions, oldest first: a unit its own, an administrator every one of its CCAS's
/// units.
#[utoipa::path(
    tag = "webhooks",
    params(PageParams),
    responses((status = 200, description = "Success", body = Page<Subscription>), AuthErrors, QueryErrors),
    security(("oauth2" = ["gendarmerie"]), ("oauth2" = ["police_municipale"]), ("oauth2" = ["police_nationale"]), ("oauth2" = ["admin"]))
)]
#[get("/api/v1/webhook-subscriptions")]
pub async fn list_subscriptions(
    caller: Authorized<UnitsOrAdmin>,
    page: Query<PageParams>,
    state: web::Data<AppState>,
) -> ApiResult<web::Json<Page<Subscription>>> {
    let (limit, after) = (page.limit()?, page.time_cursor()?);
    let reach = Reach::of(&caller, caller.acting_as);
    let rows = state.db.run(move |conn| queries::list(conn, &reach, after, limit)).await?;
    let page = Page::from_rows(rows, limit, |r| Cursor { key: utc(r.created_at).to_rfc3339(), id: r.id.clone() });
    Ok(web::Json(page.try_map(Subscription::try_from)?))
}

/// One subscription (its owner, or an administrator of its CCAS).
#[utoipa::path(
    tag = "webhooks",
    params(("id" = String, Path, description = "Subscription id")),
    responses((status = 200, description = "Success", body = Subscription), AuthErrors, NotFoundError),
    security(("oauth2" = ["gendarmerie"]), ("oauth2" = ["police_municipale"]), ("oauth2" = ["police_nationale"]), ("oauth2" = ["admin"]))
)]
#[get("/api/v1/webhook-subscriptions/{id}")]
pub async fn get_subscription(
    caller: Authorized<UnitsOrAdmin>,
    id: web::Path<String>,
    state: web::Data<AppState>,
) -> ApiResult<web::Json<Subscription>> {
    let reach = Reach::of(&caller, caller.acting_as);
    let row = state.db.run(move |conn| queries::find(conn, &reach, &id)).await?;
    Ok(web::Json(Subscription::try_from(row)?))
}

/// Change a subscription. Its owner changes `url` and `events`, disables it, or enables it
/// again (its failures forgotten; messages still pending are sent again); an administrator of
/// the CCAS may only disable it (403 otherwise).
#[utoipa::path(
    tag = "webhooks",
    params(("id" = String, Path, description = "Subscription id")),
    request_body = SubscriptionChanges,
    responses((status = 200, description = "Success", body = Subscription), AuthErrors, BodyErrors, NotFoundError),
    security(("oauth2" = ["gendarmerie"]), ("oauth2" = ["police_municipale"]), ("oauth2" = ["police_nationale"]), ("oauth2" = ["admin"]))
)]
#[patch("/api/v1/webhook-subscriptions/{id}")]
pub async fn change_subscription(
    caller: Authorized<UnitsOrAdmin>,
    id: web::Path<String>,
    body: web::Json<SubscriptionChanges>,
    state: web::Data<AppState>,
) -> ApiResult<web::Json<Subscription>> {
    let body = body.into_inner();
    body.validate()?;
    let admin = caller.acting_as == Scope::Admin;
    if admin && (body.url.is_some() || body.events.is_some() || body.enabled == Some(true)) {
        return Err(ApiError::InsufficientScope {
            required: "gendarmerie, police_municipale or police_nationale (the owning unit)".into(),
        });
    }
    let url = body.url.as_deref().map(|u| checked_url(u, &state.webhooks.allowed)).transpose()?;
    let reach = Reach::of(&caller, caller.acting_as);
    let caller: Caller = caller.caller;
    let row = state
        .db
        .transaction(move |conn| {
            let row = queries::find(conn, &reach, &id)?;
            let enabled = body.enabled.map(|on| (on, (!on).then_some(if admin { "admin" } else { "owner" })));
            queries::update(
                conn,
                &row,
                Change { url: url.as_ref().map(|u| u.as_str()), events: body.events.as_deref(), enabled },
                caller.at,
            )?;
            audited(conn, &caller, "webhook_subscription.update", &row.id)?;
            queries::find(conn, &reach, &row.id)
        })
        .await?;
    Ok(web::Json(Subscription::try_from(row)?))
}

/// Delete a subscription (its owner): its pending messages go with it.
#[utoipa::path(
    tag = "webhooks",
    params(("id" = String, Path, description = "Subscription id")),
    responses((status = 204, description = "Deleted"), AuthErrors, NotFoundError),
    security(("oauth2" = ["gendarmerie"]), ("oauth2" = ["police_municipale"]), ("oauth2" = ["police_nationale"]))
)]
#[delete("/api/v1/webhook-subscriptions/{id}")]
pub async fn delete_subscription(caller: Authorized<Units>, id: web::Path<String>, state: web::Data<AppState>) -> ApiResult<HttpResponse> {
    let reach = Reach::of(&caller, caller.acting_as);
    let caller: Caller = caller.caller;
    state
        .db
        .transaction(move |conn| {
            let row = queries::find(conn, &reach, &id)?;
            queries::delete(conn, &row)?;
            audited(conn, &caller, "webhook_subscription.delete", &row.id)
        })
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Rotate the signing secret (its owner): the answer holds the new one, shown this once; for 24
/// hours deliveries carry a signature by each, so that receivers can switch.
#[utoipa::path(
    tag = "webhooks",
    params(("id" = String, Path, description = "Subscription id")),
    responses((status = 200, description = "Rotated", body = SubscriptionWithSecret), AuthErrors, NotFoundError),
    security(("oauth2" = ["gendarmerie"]), ("oauth2" = ["police_municipale"]), ("oauth2" = ["police_nationale"]))
)]
#[post("/api/v1/webhook-subscriptions/{id}/rotate-secret")]
pub async fn rotate_secret(caller: Authorized<Units>, id: web::Path<String>, state: web::Data<AppState>) -> ApiResult<HttpResponse> {
    let reach = Reach::of(&caller, caller.acting_as);
    let caller: Caller = caller.caller;
    let (row, secret) = state
        .db
        .transaction(move |conn| {
            let row = queries::find(conn, &reach, &id)?;
            let secret = queries::rotate(conn, &row, caller.at)?;
            audited(conn, &caller, "webhook_subscription.rotate_secret", &row.id)?;
            Ok((queries::find(conn, &reach, &row.id)?, secret))
        })
        .await?;
    Ok(HttpResponse::Ok()
        .insert_header(("Cache-Control", "no-store"))
        .json(SubscriptionWithSecret { subscription: Subscription::try_from(row)?, secret }))
}

/// The delivery log of a subscription, newest first: every attempt, with the receiver's
/// answer or why none came.
#[utoipa::path(
    tag = "webhooks",
    params(("id" = String, Path, description = "Subscription id"), PageParams),
    responses((status = 200, description = "Success", body = Page<Delivery>), AuthErrors, QueryErrors, NotFoundError),
    security(("oauth2" = ["gendarmerie"]), ("oauth2" = ["police_municipale"]), ("oauth2" = ["police_nationale"]), ("oauth2" = ["admin"]))
)]
#[get("/api/v1/webhook-subscriptions/{id}/deliveries")]
pub async fn list_deliveries(
    caller: Authorized<UnitsOrAdmin>,
    id: web::Path<String>,
    page: Query<PageParams>,
    state: web::Data<AppState>,
) -> ApiResult<web::Json<Page<Delivery>>> {
    let (limit, before) = (page.limit()?, page.time_cursor()?);
    let reach = Reach::of(&caller, caller.acting_as);
    let rows: Vec<DeliveryRow> = state
        .db
        .run(move |conn| {
            let subscription = queries::find(conn, &reach, &id)?;
            use webhook_deliveries::dsl as d;
            let mut query = d::webhook_deliveries
                .filter(d::subscription_id.eq(subscription.id))
                .select(DeliveryRow::as_select())
                .order((d::attempted_at.desc(), d::id.desc()))
                .limit(limit + 1)
                .into_boxed();
            if let Some((at, id)) = before {
                query = query.filter(d::attempted_at.lt(at).or(d::attempted_at.eq(at).and(d::id.lt(id))));
            }
            Ok(query.load(conn)?)
        })
        .await?;
    let page = Page::from_rows(rows, limit, |r| Cursor { key: utc(r.attempted_at).to_rfc3339(), id: r.id.clone() });
    Ok(web::Json(page.try_map(|r| Ok(Delivery::from(r)))?))
}
