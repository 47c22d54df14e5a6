use std::time::Instant;

use chrono::{Datelike, NaiveDate};

use super::Plan;
use crate::db::DbConnection;
use crate::error::{ApiError, ApiResult};
use crate::reports::models::{Granularity, ReportQuery};
use crate::reports::{ccas_funders_report, ccas_report, published_report};

/// Median and best time, in milliseconds.
pub struct Timing {
    pub median_ms: f64,
    pub best_ms: f64,
}

fn time(repeat: usize, mut work: impl FnMut() -> ApiResult<()>) -> ApiResult<Timing> {
    work()?; // warm-up: caches as a running server has them
    let mut runs = Vec::with_capacity(repeat);
    for _ in 0..repeat.max(1) {
        let started = Instant::now();
        work()?;
        runs.push(started.elapsed().as_secs_f64() * 1000.0);
    }
    runs.sort_by(f64::total_cmp);
    Ok(Timing { median_ms: runs[runs.len() / 2], best_ms: runs[0] })
}

/// The report's timings, and the situations met by the CCAS in the year.
pub struct ReportTimings {
    pub yearly: Timing,
    pub monthly: Timing,
    /// The yearly funders' grid, for the coordinators.
    pub funders: Timing,
    /// The yearly report as a reporting tool reads it: the year's 17 periods in both layouts,
    /// protected.
    pub published: Timing,
    pub met: i64,
}

/// Times the yearly and the monthly report of the first generated CCAS over the last full
/// generated year, and the protected yearly report.
pub fn bench(conn: &mut DbConnection, plan: &Plan, repeat: usize) -> ApiResult<ReportTimings> {
    let year = plan.start()?.year() + i32::try_from(plan.years).unwrap_or(1) - 1;
    let (from, to) = (NaiveDate::from_ymd_opt(year, 1, 1), NaiveDate::from_ymd_opt(year, 12, 31));
    let (Some(from), Some(to)) = (from, to) else { return Err(ApiError::internal("year")) };
    let query = ReportQuery { from, to, granularity: None, layout: None };
    let today = plan.today;
    let yearly = time(repeat, || ccas_report(conn, "bench-ccas-0", &query, Granularity::Period, today).map(|_| ()))?;
    let monthly = time(repeat, || ccas_report(conn, "bench-ccas-0", &query, Granularity::Month, today).map(|_| ()))?;
    let funders = time(repeat, || ccas_funders_report(conn, "bench-ccas-0", &query, Granularity::Period, today).map(|_| ()))?;
    let published = time(repeat, || published_report(conn, "bench-ccas-0", &query, Granularity::Period, today).map(|_| ()))?;
    let report = ccas_report(conn, "bench-ccas-0", &query, Granularity::Period, today)?;
    let met = report.periods.first().and_then(|p| p.figures.situations_met.total.value).unwrap_or(0);
    Ok(ReportTimings { yearly, monthly, funders, published, met })
}
