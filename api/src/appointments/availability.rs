//! `GET /availability`: the free slots of a coordinator at a site on one local day.

use actix_web::{get, web};
use chrono::{DateTime, Duration, Utc};
use diesel::prelude::*;
use utoipa_actix_web::service_config::ServiceConfig;

use super::hours::{Range, local_day, local_instant};
use super::models::{Availability, AvailabilityQuery, Slot};
use super::queries::opening_ranges;
use crate::auth::Authorized;
use crate::auth::extractor::CcasOnly;
use crate::db::DbConnection;
use crate::db::schema::{appointments, sites};
use crate::error::{ApiError, ApiResult};
use crate::http::extract::Query;
use crate::openapi::{AuthErrors, QueryErrors};
use crate::state::AppState;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(availability);
}

const GRID_MINUTES: i32 = 15;

type Busy = Vec<(chrono::NaiveDateTime, chrono::NaiveDateTime)>;

/// The site's opening hours and the coordinator's planned appointments of the day.
pub fn opening_and_busy(
    conn: &mut DbConnection,
    ccas_id: &str,
    site: &str,
    coordinator: &str,
    (day_start, day_end): (DateTime<Utc>, DateTime<Utc>),
) -> ApiResult<(Vec<Range>, Busy)> {
    let known = diesel::select(diesel::dsl::exists(sites::table.filter(sites::id.eq(site)).filter(sites::ccas_id.eq(ccas_id))))
        .get_result::<bool>(conn)?;
    if !known {
        return Err(ApiError::validation("site", "unknown", "is not a site of this CCAS"));
    }
    crate::situations::queries::check_coordinator(conn, ccas_id, coordinator, "coordinator")?;
    let busy: Busy = appointments::table
        .filter(appointments::coordinator_id.eq(coordinator))
        .filter(appointments::status.eq("planned"))
        .filter(appointments::kind.ne("emergency"))
        .filter(appointments::starts_at.lt(day_end.naive_utc()))
        .filter(appointments::ends_at.gt(day_start.naive_utc()))
        .select((appointments::starts_at, appointments::ends_at))
        .load(conn)?;
    Ok((opening_ranges(conn, site)?, busy))
}

/// Free slots of `duration` minutes, on a 15-minute grid, inside the site's opening hours of
/// that day (Europe/Paris) and clear of the coordinator's planned appointments.
#[utoipa::path(
    tag = "appointments",
    params(AvailabilityQuery),
    responses((status = 200, description = "Success", body = Availability), AuthErrors, QueryErrors),
    security(("oauth2" = ["ccas"]))
)]
#[get("/api/v1/availability")]
pub async fn availability(
    caller: Authorized<CcasOnly>,
    query: Query<AvailabilityQuery>,
    state: web::Data<AppState>,
) -> ApiResult<web::Json<Availability>> {
    let query = query.into_inner();
    if !(5..=480).contains(&query.duration) {
        return Err(ApiError::validation("duration", "range", "must be between 5 and 480 minutes"));
    }
    let (day_start, day_end) = local_day(query.date).ok_or_else(|| ApiError::validation("date", "invalid", "is not a day"))?;
    let ccas_id = caller.ccas_id.clone();
    let (site, coordinator) = (query.site.clone(), query.coordinator.clone());
    let (ranges, busy) = state.db.read(move |conn| opening_and_busy(conn, &ccas_id, &site, &coordinator, (day_start, day_end))).await?;
    let weekday = chrono::Datelike::weekday(&query.date).number_from_monday() as i32;
    let duration = Duration::minutes(query.duration);
    let is_free = |start: DateTime<Utc>, end: DateTime<Utc>| busy.iter().all(|(s, e)| end.naive_utc() <= *s || *e <= start.naive_utc());
    let mut slots = Vec::new();
    for range in ranges.iter().filter(|r| r.weekday == weekday) {
        let mut minute = range.opens;
        while minute + query.duration as i32 <= range.closes {
            if let Some(start) = local_instant(query.date, minute) {
                let end = start + duration;
                if is_free(start, end) {
                    slots.push(Slot { starts_at: start, ends_at: end });
                }
            }
            minute += GRID_MINUTES;
        }
    }
    slots.sort_by_key(|s| s.starts_at);
    Ok(web::Json(Availability {
        date: query.date,
        site_id: query.site,
        coordinator_id: query.coordinator,
        duration: query.duration,
        slots,
    }))
}
