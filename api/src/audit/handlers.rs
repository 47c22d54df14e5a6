//! `GET /api/v1/audit-events`: the trail of the administrator's CCAS and its agencies, filtered
//! by actor, object, action, outcome and period, as JSON pages or CSV.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, get, web};
use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;

use super::Outcome;
use crate::auth::extractor::AdminOnly;
use crate::auth::{Authorized, Caller};
use crate::db::DbConnection;
use crate::db::schema::{audit_event_objects, audit_events};
use crate::error::{ApiError, ApiResult};
use crate::http::csv;
use crate::http::extract::Query;
use crate::http::pagination::{Cursor, Page, PageParams};
use crate::state::AppState;
use crate::time::utc;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_audit_events);
}

/// One recorded access.
#[derive(Debug, Serialize, ToSchema)]
pub struct AuditEvent {
    pub id: String,
    #[serde(with = "crate::time::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub at: NaiveDateTime,
    /// The token subject (a user or API client id); `anonymous` when the request could not say
    /// who it was, `relais` for Relais itself (retention).
    pub actor_sub: String,
    pub organisation_id: String,
    /// The scopes of the token, space-separated.
    pub scope: String,
    /// What was done, e.g. `referral.create`, `referral.read`, `auth.sign_in`, `request.refused`.
    pub action: String,
    pub object_type: String,
    pub object_id: Option<String>,
    /// `success`, `not_found`, `refused` or `failure`.
    pub outcome: String,
    /// Every object the answer reached: the one named, and each person a list, a search, a
    /// file or a 409 showed.
    pub object_ids: Vec<String>,
}

type Row = (String, NaiveDateTime, String, String, String, String, String, Option<String>, String, Option<String>);

impl From<Row> for AuditEvent {
    fn from((id, at, actor_sub, organisation_id, scope, action, object_type, object_id, outcome, object_ids): Row) -> Self {
        let object_ids = object_ids.map(|ids| ids.split(' ').map(str::to_owned).collect()).unwrap_or_default();
        AuditEvent { id, at, actor_sub, organisation_id, scope, action, object_type, object_id, outcome, object_ids }
    }
}

/// How an access ended.
#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum OutcomeFilter {
    Success,
    NotFound,
    Refused,
    Failure,
}

impl From<OutcomeFilter> for Outcome {
    fn from(filter: OutcomeFilter) -> Self {
        match filter {
            OutcomeFilter::Success => Outcome::Success,
            OutcomeFilter::NotFound => Outcome::NotFound,
            OutcomeFilter::Refused => Outcome::Refused,
            OutcomeFilter::Failure => Outcome::Failure,
        }
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct AuditFilter {
    /// Only events that reached this object (named it, or returned it in a list, a search, a
    /// file or a 409).
    pub object_id: Option<String>,
    /// Only events of this actor.
    pub actor_sub: Option<String>,
    /// Only events of this action, e.g. `person.read`.
    #[param(pattern = "^[a-z_]+\\.[a-z_]+$", max_length = 64)]
    pub action: Option<String>,
    /// Only events that ended so.
    #[param(inline)]
    pub outcome: Option<OutcomeFilter>,
    /// Events at or after this instant (RFC 3339).
    #[param(value_type = Option<String>, format = DateTime)]
    pub from: Option<DateTime<Utc>>,
    /// Events before this instant (RFC 3339).
    #[param(value_type = Option<String>, format = DateTime)]
    pub to: Option<DateTime<Utc>>,
    /// Page size, 1 to 200 (default 50); up to 5,000 rows for CSV.
    pub limit: Option<i64>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

/// Most rows in one CSV answer; the next rows follow the `Link: rel="next"` header.
const CSV_MAX_LIMIT: i64 = 5_000;

/// List audit events, newest first; with `Accept: text/csv`, as CSV (the next page's address
/// in the `Link` header). Reading the log is itself recorded.
#[utoipa::path(
    tag = "audit",
    params(AuditFilter),
    responses(
        (status = 200, description = "Success", content(
            (Page<AuditEvent> = "application/json"),
            (String = "text/csv")
        )),
        crate::openapi::AuthErrors,
        crate::openapi::QueryErrors,
    ),
    security(("oauth2" = ["admin"]))
)]
#[get("/api/v1/audit-events")]
pub async fn list_audit_events(
    req: HttpRequest,
    caller: Authorized<AdminOnly>,
    filter: Query<AuditFilter>,
    state: web::Data<AppState>,
) -> ApiResult<HttpResponse> {
    let filter = filter.into_inner();
    let as_csv = csv::wanted(&req);
    let limit = page_size(filter.limit, as_csv)?;
    check(&filter)?;
    let after = PageParams { limit: None, cursor: filter.cursor.clone() }.time_cursor()?;
    let caller: Caller = caller.caller;
    if filter.object_id.is_some() {
        // Objects are indexed behind the chain: bring the index up to what is committed.
        state.db.run(super::catch_up).await?;
    }
    let page = state
        .read(move |conn, trail| {
            let rows = select(conn, &caller.ccas_id, &filter, after, limit)?;
            let page = Page::from_rows(rows, limit, |e: &AuditEvent| Cursor { key: utc(e.at).to_rfc3339(), id: e.id.clone() });
            trail.listed(&caller, "audit_event.list", "audit_event", std::iter::empty());
            Ok(page)
        })
        .await?;
    if !as_csv {
        return Ok(HttpResponse::Ok().json(page));
    }
    let mut answer = HttpResponse::Ok();
    answer
        .insert_header((header::CONTENT_TYPE, "text/csv; charset=utf-8"))
        .insert_header((header::CONTENT_DISPOSITION, "attachment; filename=\"journal-des-acces.csv\""));
    if let Some(next) = &page.next_cursor {
        answer.insert_header((header::LINK, format!("<{}>; rel=\"next\"", next_page(&req, next))));
    }
    Ok(answer.body(as_csv_text(&page.items)))
}

fn page_size(limit: Option<i64>, as_csv: bool) -> ApiResult<i64> {
    let max = if as_csv { CSV_MAX_LIMIT } else { crate::http::pagination::MAX_LIMIT };
    match limit {
        None => Ok(if as_csv { CSV_MAX_LIMIT } else { crate::http::pagination::DEFAULT_LIMIT }),
        Some(n) if (1..=max).contains(&n) => Ok(n),
        Some(_) => Err(ApiError::validation("limit", "range", &format!("must be between 1 and {max}"))),
    }
}

fn check(filter: &AuditFilter) -> ApiResult<()> {
    if let Some(action) = &filter.action {
        let well_formed = action.len() <= 64
            && action.split_once('.').is_some_and(|(a, b)| {
                [a, b].iter().all(|part| !part.is_empty() && part.chars().all(|c| c.is_ascii_lowercase() || c == '_'))
            });
        if !well_formed {
            return Err(ApiError::validation("action", "invalid", "is not an action name such as person.read"));
        }
    }
    if let (Some(from), Some(to)) = (filter.from, filter.to)
        && from >= to
    {
        return Err(ApiError::validation("to", "range", "must be after from"));
    }
    Ok(())
}

fn select(
    conn: &mut DbConnection,
    ccas_id: &str,
    filter: &AuditFilter,
    after: Option<(NaiveDateTime, String)>,
    limit: i64,
) -> ApiResult<Vec<AuditEvent>> {
    let mut query = audit_events::table
        .filter(audit_events::ccas_id.eq(ccas_id))
        .order((audit_events::at.desc(), audit_events::id.desc()))
        .limit(limit + 1)
        .into_boxed();
    if let Some(object_id) = &filter.object_id {
        let reaching =
            audit_event_objects::table.filter(audit_event_objects::object_id.eq(object_id.clone())).select(audit_event_objects::entry_id);
        query = query.filter(audit_events::id.eq_any(reaching));
    }
    if let Some(actor) = &filter.actor_sub {
        query = query.filter(audit_events::actor_sub.eq(actor.clone()));
    }
    if let Some(action) = &filter.action {
        query = query.filter(audit_events::action.eq(action.clone()));
    }
    if let Some(outcome) = filter.outcome {
        query = query.filter(audit_events::outcome.eq(Outcome::from(outcome).as_str()));
    }
    if let Some(from) = filter.from {
        query = query.filter(audit_events::at.ge(from.naive_utc()));
    }
    if let Some(to) = filter.to {
        query = query.filter(audit_events::at.lt(to.naive_utc()));
    }
    if let Some((at, id)) = after {
        query = query.filter(audit_events::at.lt(at).or(audit_events::at.eq(at).and(audit_events::id.lt(id))));
    }
    let rows: Vec<Row> = query
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
            audit_events::object_ids,
        ))
        .load(conn)?;
    Ok(rows.into_iter().map(AuditEvent::from).collect())
}

/// This request's address with the next cursor.
fn next_page(req: &HttpRequest, cursor: &str) -> String {
    let mut pairs: Vec<(String, String)> = serde_urlencoded::from_str::<Vec<(String, String)>>(req.query_string())
        .unwrap_or_default()
        .into_iter()
        .filter(|(k, _)| k != "cursor")
        .collect();
    pairs.push(("cursor".into(), cursor.to_owned()));
    format!("{}?{}", req.path(), serde_urlencoded::to_string(pairs).unwrap_or_default())
}

fn as_csv_text(events: &[AuditEvent]) -> String {
    let mut out = String::from(csv::BOM);
    csv::row(
        &mut out,
        &["id", "at", "actor_sub", "organisation_id", "scope", "action", "object_type", "object_id", "outcome", "object_ids"],
    );
    for e in events {
        let at = utc(e.at).to_rfc3339();
        let ids = e.object_ids.join(" ");
        let object_id = e.object_id.as_deref().unwrap_or("");
        csv::row(
            &mut out,
            &[&e.id, &at, &e.actor_sub, &e.organisation_id, &e.scope, &e.action, &e.object_type, object_id, &e.outcome, &ids],
        );
    }
    out
}
