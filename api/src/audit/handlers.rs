//! `GET /api/v1/audit-events`: the trail of the administrator's CCAS and its agencies.

use actix_web::{get, web};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;

use crate::auth::Authorized;
use crate::auth::extractor::AdminOnly;
use crate::db::schema::{audit_event_objects, audit_events};
use crate::error::ApiResult;
use crate::http::pagination::{Cursor, Page, PageParams};
use crate::state::AppState;
use crate::time::utc;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_audit_events);
}

/// One recorded access.
#[derive(Debug, Serialize, ToSchema, Queryable)]
pub struct AuditEvent {
    pub id: String,
    #[serde(with = "crate::time::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub at: NaiveDateTime,
    /// The token subject (a user or API client id).
    pub actor_sub: String,
    pub organisation_id: String,
    /// The scopes of the token, space-separated.
    pub scope: String,
    /// What was done, e.g. `referral.create`, `referral.read`.
    pub action: String,
    pub object_type: String,
    pub object_id: Option<String>,
    /// `success` or `not_found`.
    pub outcome: String,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct AuditFilter {
    /// Only events that reached this object (named it, or returned it in a list, a search or
    /// a file).
    pub object_id: Option<String>,
    /// Only events of this actor.
    pub actor_sub: Option<String>,
    /// Page size, 1 to 200 (default 50).
    pub limit: Option<i64>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

/// List audit events, newest first.
#[utoipa::path(
    tag = "audit",
    params(AuditFilter),
    responses(
        (status = 200, description = "Success", body = Page<AuditEvent>),
        crate::openapi::AuthErrors,
        crate::openapi::QueryErrors,
    ),
    security(("oauth2" = ["admin"]))
)]
#[get("/api/v1/audit-events")]
pub async fn list_audit_events(
    caller: Authorized<AdminOnly>,
    filter: web::Query<AuditFilter>,
    state: web::Data<AppState>,
) -> ApiResult<web::Json<Page<AuditEvent>>> {
    let filter = filter.into_inner();
    let paging = PageParams { limit: filter.limit, cursor: filter.cursor.clone() };
    let limit = paging.limit()?;
    let after = paging.time_cursor()?;
    let ccas_id = caller.ccas_id.clone();
    let searches_objects = filter.object_id.is_some();
    let rows: Vec<AuditEvent> = state
        .db
        .run(move |conn| {
            if searches_objects {
                // Objects are indexed behind the chain: bring the index up to what is committed.
                crate::audit::catch_up(conn)?;
            }
            let mut query = audit_events::table
                .filter(audit_events::ccas_id.eq(ccas_id))
                .order((audit_events::at.desc(), audit_events::id.desc()))
                .limit(limit + 1)
                .into_boxed();
            if let Some(object_id) = filter.object_id {
                let reaching =
                    audit_event_objects::table.filter(audit_event_objects::object_id.eq(object_id)).select(audit_event_objects::entry_id);
                query = query.filter(audit_events::id.eq_any(reaching));
            }
            if let Some(actor) = filter.actor_sub {
                query = query.filter(audit_events::actor_sub.eq(actor));
            }
            if let Some((at, id)) = after {
                query = query.filter(audit_events::at.lt(at).or(audit_events::at.eq(at).and(audit_events::id.lt(id))));
            }
            Ok(query
                .select((
                    audit_events::id,
                    audit_events::at,
                    audit_events::actor_sub,
                    audit_events::organisation_id,
                    audit_events::scope,
                    audit_events::action,
                    audit_events::object_type,
                    audit_events::object_id,
                    audit_events::outcome,
                ))
                .load(conn)?)
        })
        .await?;
    Ok(web::Json(Page::from_rows(rows, limit, |e| Cursor { key: utc(e.at).to_rfc3339(), id: e.id.clone() })))
}
