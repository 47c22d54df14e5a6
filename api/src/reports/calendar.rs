//! The periods a reporting tool may ask for: a calendar month, quarter or year that has ended.
//! Any other range could be subtracted from an overlapping one (1–20 March minus 1–19 March is
//! one day), and a running period from itself asked the next day.

use chrono::{Datelike, NaiveDate};

use crate::error::{ApiError, ApiResult};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Span {
    Month(u32),
    Quarter(u32),
    Year,
}

/// A calendar month, quarter or year.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CalendarPeriod {
    pub year: i32,
    pub span: Span,
}

fn day(year: i32, month: u32, day: u32) -> ApiResult<NaiveDate> {
    NaiveDate::from_ymd_opt(year, month, day).ok_or_else(|| ApiError::validation("from", "calendar_period", "is not a date"))
}

fn last_of_month(year: i32, month: u32) -> ApiResult<NaiveDate> {
    let next = if month == 12 { day(year + 1, 1, 1)? } else { day(year, month + 1, 1)? };
    next.pred_opt().ok_or_else(|| ApiError::internal("month end"))
}

impl CalendarPeriod {
    /// The period exactly covered by `[from, to]`, or 422.
    pub fn of(from: NaiveDate, to: NaiveDate) -> ApiResult<Self> {
        let refused = || {
            ApiError::validation(
                "from",
                "calendar_period",
                "reporting tools read a calendar month, quarter or year: from its first day to its last",
            )
        };
        let year = from.year();
        if from.day() != 1 || to.year() != year {
            return Err(refused());
        }
        let candidates = [CalendarPeriod { year, span: Span::Month(from.month()) }, CalendarPeriod { year, span: Span::Year }]
            .into_iter()
            .chain((from.month() % 3 == 1).then_some(CalendarPeriod { year, span: Span::Quarter(from.month().div_ceil(3)) }));
        for candidate in candidates {
            if candidate.bounds()? == (from, to) {
                return Ok(candidate);
            }
        }
        Err(refused())
    }

    /// First and last day, both included.
    pub fn bounds(&self) -> ApiResult<(NaiveDate, NaiveDate)> {
        let (first, last) = match self.span {
            Span::Month(m) => (m, m),
            Span::Quarter(q) => (3 * q - 2, 3 * q),
            Span::Year => (1, 12),
        };
        Ok((day(self.year, first, 1)?, last_of_month(self.year, last)?))
    }

    /// The periods this one adds up from: months of a quarter, quarters of a year.
    pub fn children(&self) -> Vec<CalendarPeriod> {
        let year = self.year;
        match self.span {
            Span::Month(_) => vec![],
            Span::Quarter(q) => (3 * q - 2..=3 * q).map(|m| CalendarPeriod { year, span: Span::Month(m) }).collect(),
            Span::Year => (1..=4).map(|q| CalendarPeriod { year, span: Span::Quarter(q) }).collect(),
        }
    }

    /// Its months, for `granularity=month`.
    pub fn months(&self) -> Vec<CalendarPeriod> {
        match self.span {
            Span::Month(_) => vec![*self],
            Span::Quarter(_) => self.children(),
            Span::Year => self.children().iter().flat_map(CalendarPeriod::children).collect(),
        }
    }

    pub fn has_ended(&self, today: NaiveDate) -> ApiResult<bool> {
        Ok(self.bounds()?.1 < today)
    }
}

/// The months, quarters and year of `year` that ended before `today`, in the order they
/// ended; a quarter comes right after its last month, the year after its last quarter.
pub fn ended_in_year(year: i32, today: NaiveDate) -> ApiResult<Vec<CalendarPeriod>> {
    let mut ended = Vec::new();
    for month in 1..=12 {
        let mut ending = vec![CalendarPeriod { year, span: Span::Month(month) }];
        if month % 3 == 0 {
            ending.push(CalendarPeriod { year, span: Span::Quarter(month / 3) });
        }
        if month == 12 {
            ending.push(CalendarPeriod { year, span: Span::Year });
        }
        for period in ending {
            if period.has_ended(today)? {
                ended.push(period);
            }
        }
    }
    Ok(ended)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> ApiResult<NaiveDate> {
        day(y, m, d)
    }

    #[test]
    fn only_whole_months_quarters_and_years_are_periods() -> ApiResult<()> {
        let of = |from, to| CalendarPeriod::of(from, to).map(|p| p.span).ok();
        assert_eq!(of(date(2025, 2, 1)?, date(2025, 2, 28)?), Some(Span::Month(2)));
        assert_eq!(of(date(2024, 2, 1)?, date(2024, 2, 29)?), Some(Span::Month(2)));
        assert_eq!(of(date(2025, 4, 1)?, date(2025, 6, 30)?), Some(Span::Quarter(2)));
        assert_eq!(of(date(2025, 1, 1)?, date(2025, 12, 31)?), Some(Span::Year));
        assert_eq!(of(date(2025, 1, 1)?, date(2025, 1, 30)?), None);
        assert_eq!(of(date(2025, 1, 2)?, date(2025, 1, 31)?), None);
        assert_eq!(of(date(2025, 2, 1)?, date(2025, 4, 30)?), None);
        assert_eq!(of(date(2025, 1, 1)?, date(2026, 12, 31)?), None);
        Ok(())
    }

    #[test]
    fn a_quarter_ends_with_its_last_month_and_the_year_with_december() -> ApiResult<()> {
        let ended = ended_in_year(2026, date(2026, 7, 1)?)?;
        let spans: Vec<Span> = ended.iter().map(|p| p.span).collect();
        let mut expected: Vec<Span> = (1..=6).map(Span::Month).collect();
        expected.insert(3, Span::Quarter(1));
        expected.push(Span::Quarter(2));
        assert_eq!(spans, expected);
        assert_eq!(ended_in_year(2025, date(2026, 1, 1)?)?.last().map(|p| p.span), Some(Span::Year));
        assert_eq!(CalendarPeriod { year: 2025, span: Span::Year }.months().len(), 12);
        Ok(())
    }
}
