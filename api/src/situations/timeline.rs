//! `GET /situations/{id}/timeline`: referrals, contact attempts, appointments, interventions
//! and notes of a file merged in time order, paged with one query per page.

use actix_web::{get, web};
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use diesel::sql_types::{Integer, Nullable, Text, Timestamp};
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

use super::queries;
use crate::audit::Action;
use crate::auth::extractor::CcasOnly;
use crate::auth::{Authorized, Caller};
use crate::db::DbConnection;
use crate::error::{ApiError, ApiResult};
use crate::http::extract::Query;
use crate::http::pagination::{Cursor, Page, PageParams};
use crate::openapi::{AuthErrors, NotFoundError, QueryErrors};
use crate::state::AppState;
use crate::time::{parse_cursor_time, utc};

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(timeline);
}

/// One event of a file's life.
#[derive(Debug, Serialize, ToSchema, QueryableByName)]
pub struct TimelineEntry {
    /// `referral`, `contact_attempt`, `appointment`, `intervention`, `note`, or `safe_contact`
    /// (a referral made a person's safe-contact answers safer).
    #[diesel(sql_type = Text)]
    pub kind: String,
    /// The id of the referral, attempt, appointment, intervention, note or change.
    #[diesel(sql_type = Text)]
    pub id: String,
    #[diesel(sql_type = Timestamp)]
    #[serde(with = "crate::time::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub at: NaiveDateTime,
    /// Referral source, contact channel, appointment or intervention kind; for `safe_contact`,
    /// the person's id.
    #[diesel(sql_type = Nullable<Text>)]
    pub code: Option<String>,
    /// Referral status, contact outcome or appointment status; for `safe_contact`, the answers
    /// now held, `call:no text:no write:unknown`.
    #[diesel(sql_type = Nullable<Text>)]
    pub state: Option<String>,
    /// Note body, contact note or intervention outcome; for `safe_contact`, the id of the
    /// referral that brought the answers.
    #[diesel(sql_type = Nullable<Text>)]
    pub text: Option<String>,
}

/// `$1`..`$5` first appear in order: SQLite numbers them by appearance.
const TIMELINE: &str = "\
SELECT kind, id, at, code, state, text FROM ( \
  SELECT 'referral' AS kind, id, received_at AS at, source AS code, status AS state, CAST(NULL AS TEXT) AS text \
    FROM referrals WHERE situation_id = $1 \
  UNION ALL SELECT 'contact_attempt', c.id, c.at, c.channel, c.outcome, c.note \
    FROM contact_attempts c JOIN referrals r ON r.id = c.referral_id WHERE r.situation_id = $1 \
  UNION ALL SELECT 'appointment', id, starts_at, kind, status, cancel_reason FROM appointments WHERE situation_id = $1 \
  UNION ALL SELECT 'intervention', id, occurred_at, kind, CAST(NULL AS TEXT), outcome FROM interventions WHERE situation_id = $1 \
  UNION ALL SELECT 'note', id, created_at, CAST(NULL AS TEXT), CAST(NULL AS TEXT), body FROM notes \
    WHERE situation_id = $1 AND (private = FALSE OR author_id = $2) \
  UNION ALL SELECT 'safe_contact', id, at, person_id, \
    'call:' || safe_to_call || ' text:' || safe_to_text || ' write:' || safe_to_write, referral_id \
    FROM safe_contact_changes WHERE situation_id = $1 \
) t WHERE t.at > $3 OR (t.at = $3 AND t.id > $4) ORDER BY t.at, t.id LIMIT $5";

/// The file's timeline, oldest first. Private notes of others are left out.
#[utoipa::path(
    tag = "situations",
    params(("id" = String, Path, description = "Situation id"), PageParams),
    responses((status = 200, description = "Success", body = Page<TimelineEntry>), AuthErrors, NotFoundError, QueryErrors),
    security(("oauth2" = ["ccas"]))
)]
#[get("/api/v1/situations/{id}/timeline")]
pub async fn timeline(
    caller: Authorized<CcasOnly>,
    id: web::Path<String>,
    page: Query<PageParams>,
    state: web::Data<AppState>,
) -> ApiResult<web::Json<Page<TimelineEntry>>> {
    let limit = page.limit()?;
    let (after_at, after_id) = match page.cursor()? {
        Some(c) => (parse_cursor_time(&c.key)?, c.id),
        None => start()?,
    };
    let caller: Caller = caller.caller;
    let id = id.into_inner();
    let page = state
        .read(move |conn, trail| {
            let found = queries::find_row(conn, &caller.ccas_id, &id);
            trail.read(&caller, Action { action: "situation.timeline", object_type: "situation", object_id: Some(&id) }, found)?;
            page_of(conn, &id, &caller.sub, (after_at, &after_id), limit)
        })
        .await?;
    Ok(web::Json(page))
}

/// A page of the file's timeline after `(at, id)`, as `viewer` may see it.
pub fn page_of(
    conn: &mut DbConnection,
    id: &str,
    viewer: &str,
    after: (NaiveDateTime, &str),
    limit: i64,
) -> ApiResult<Page<TimelineEntry>> {
    let rows: Vec<TimelineEntry> = diesel::sql_query(TIMELINE)
        .bind::<Text, _>(id)
        .bind::<Text, _>(viewer)
        .bind::<Timestamp, _>(after.0)
        .bind::<Text, _>(after.1)
        .bind::<Integer, _>(i32::try_from(limit + 1).unwrap_or(201))
        .load(conn)?;
    Ok(Page::from_rows(rows, limit, |e| Cursor { key: utc(e.at).to_rfc3339(), id: e.id.clone() }))
}

/// The position before every entry, where a timeline without a cursor starts.
pub fn start() -> ApiResult<(NaiveDateTime, String)> {
    let dawn = NaiveDate::from_ymd_opt(1900, 1, 1).and_then(|d| d.and_hms_opt(0, 0, 0)).ok_or_else(|| ApiError::internal("date"))?;
    Ok((dawn, String::new()))
}
