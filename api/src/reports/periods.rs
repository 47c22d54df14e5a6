//! Report periods: local (Europe/Paris) calendar dates, inclusive, turned into UTC bounds.

use chrono::{Datelike, Months, NaiveDate, NaiveDateTime};

use crate::appointments::hours::local_instant;
use crate::error::{ApiError, ApiResult};

/// One bucket of a report: local dates, inclusive, and the UTC instants `[start, end)`.
#[derive(Debug, Clone, Copy)]
pub struct Period {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub start: NaiveDateTime,
    pub end: NaiveDateTime,
}

fn period(from: NaiveDate, to: NaiveDate) -> ApiResult<Period> {
    let start = local_instant(from, 0).ok_or_else(|| ApiError::internal("local midnight"))?;
    let end = local_instant(to.succ_opt().ok_or_else(|| ApiError::validation("to", "range", "is too far"))?, 0)
        .ok_or_else(|| ApiError::internal("local midnight"))?;
    Ok(Period { from, to, start: start.naive_utc(), end: end.naive_utc() })
}

/// The whole range as one period, or cut at each first of the month.
pub fn split(from: NaiveDate, to: NaiveDate, by_month: bool) -> ApiResult<Vec<Period>> {
    if from > to {
        return Err(ApiError::validation("to", "range", "must not be before from"));
    }
    if (to - from).num_days() > 3660 {
        return Err(ApiError::validation("to", "range", "a report covers ten years at most"));
    }
    if !by_month {
        return Ok(vec![period(from, to)?]);
    }
    let mut periods = Vec::new();
    let mut start = from;
    while start <= to {
        let first_of_next =
            start.with_day(1).and_then(|d| d.checked_add_months(Months::new(1))).ok_or_else(|| ApiError::internal("month"))?;
        let end = first_of_next.pred_opt().map_or(to, |last| last.min(to));
        periods.push(period(start, end)?);
        start = first_of_next;
    }
    Ok(periods)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
    }

    #[test]
    fn months_are_cut_at_local_midnight() -> ApiResult<()> {
        let months = split(date(2025, 12, 15), date(2026, 2, 10), true)?;
        let bounds: Vec<_> = months.iter().map(|p| (p.from, p.to)).collect();
        assert_eq!(
            bounds,
            [(date(2025, 12, 15), date(2025, 12, 31)), (date(2026, 1, 1), date(2026, 1, 31)), (date(2026, 2, 1), date(2026, 2, 10))]
        );
        // 1 January 00:00 in Paris is 31 December 23:00 UTC.
        assert_eq!(months[1].start.to_string(), "2025-12-31 23:00:00");
        let summer = split(date(2026, 7, 1), date(2026, 7, 31), false)?;
        assert_eq!(summer[0].start.to_string(), "2026-06-30 22:00:00");
        assert!(split(date(2026, 2, 1), date(2026, 1, 1), false).is_err());
        Ok(())
    }
}
