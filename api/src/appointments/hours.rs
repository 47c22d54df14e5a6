//! Opening hours in local time (Europe/Paris), against instants in UTC. Converting each
//! instant to local time handles the daylight-saving changes: 09:00 is 08:00 UTC in winter
//! and 07:00 UTC in summer.

use chrono::{DateTime, Datelike, NaiveDate, NaiveTime, TimeZone, Timelike, Utc};
use chrono_tz::Europe::Paris;

/// One opening range: weekday 1 = Monday, minutes since local midnight.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Range {
    pub weekday: i32,
    pub opens: i32,
    pub closes: i32,
}

/// Whether `[start, end)` lies inside one opening range of its local day.
pub fn within(ranges: &[Range], start: DateTime<Utc>, end: DateTime<Utc>) -> bool {
    let (start, end) = (start.with_timezone(&Paris), end.with_timezone(&Paris));
    let minute = |t: NaiveTime| t.hour() as i32 * 60 + t.minute() as i32;
    let start_minute = minute(start.time());
    let end_minute = match (end.date_naive() == start.date_naive(), end.time()) {
        (true, t) => minute(t) + i32::from(t.second() > 0 || t.nanosecond() > 0),
        // Ending exactly at the next local midnight.
        (false, t) if t == NaiveTime::MIN && end.date_naive() == start.date_naive().succ_opt().unwrap_or(NaiveDate::MAX) => 1440,
        (false, _) => return false,
    };
    let weekday = start.weekday().number_from_monday() as i32;
    ranges.iter().any(|r| r.weekday == weekday && r.opens <= start_minute && end_minute <= r.closes)
}

/// The UTC instant of a local date and minute, when that local time exists (not in the hour
/// skipped in spring) and is not ambiguous (the hour repeated in autumn: the earlier one).
pub fn local_instant(date: NaiveDate, minute: i32) -> Option<DateTime<Utc>> {
    let time = NaiveTime::from_hms_opt(u32::try_from(minute / 60).ok()?, u32::try_from(minute % 60).ok()?, 0)?;
    Paris.from_local_datetime(&date.and_time(time)).earliest().map(|t| t.with_timezone(&Utc))
}

/// The UTC bounds of a local day.
pub fn local_day(date: NaiveDate) -> Option<(DateTime<Utc>, DateTime<Utc>)> {
    Some((local_instant(date, 0)?, local_instant(date.succ_opt()?, 0)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).map(|t| t.with_timezone(&Utc)).unwrap_or_default()
    }

    const WEEKDAYS: [Range; 1] = [Range { weekday: 1, opens: 540, closes: 1020 }];

    #[test]
    fn nine_o_clock_moves_in_utc_with_daylight_saving() {
        // Monday 23 March 2026, winter time: 09:00 local = 08:00 UTC.
        assert!(within(&WEEKDAYS, utc("2026-03-23T08:00:00Z"), utc("2026-03-23T09:00:00Z")));
        assert!(!within(&WEEKDAYS, utc("2026-03-23T07:30:00Z"), utc("2026-03-23T08:30:00Z")));
        // Monday 30 March 2026, summer time: 09:00 local = 07:00 UTC.
        assert!(within(&WEEKDAYS, utc("2026-03-30T07:00:00Z"), utc("2026-03-30T08:00:00Z")));
        assert!(!within(&WEEKDAYS, utc("2026-03-30T14:30:00Z"), utc("2026-03-30T15:30:00Z")));
    }

    #[test]
    fn local_instants_skip_the_missing_hour() {
        let spring = NaiveDate::from_ymd_opt(2026, 3, 29).unwrap_or_default();
        assert_eq!(local_instant(spring, 150), None, "02:30 does not exist on 29 March");
        assert_eq!(local_instant(spring, 180), Some(utc("2026-03-29T01:00:00Z")));
        let autumn = NaiveDate::from_ymd_opt(2026, 10, 25).unwrap_or_default();
        assert_eq!(local_instant(autumn, 150), Some(utc("2026-10-25T00:30:00Z")), "the earlier 02:30");
        let (start, end) = local_day(autumn).unwrap_or_default();
        assert_eq!((end - start).num_hours(), 25);
    }
}
