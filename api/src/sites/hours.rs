//! Opening hours: weekly ranges, "09:00"–"17:00" local time, Monday to Sunday.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::error::FieldError;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Weekday {
    Monday,
    Tuesday,
    Wednesday,
    Thursday,
    Friday,
    Saturday,
    Sunday,
}

impl Weekday {
    const ALL: [Weekday; 7] =
        [Weekday::Monday, Weekday::Tuesday, Weekday::Wednesday, Weekday::Thursday, Weekday::Friday, Weekday::Saturday, Weekday::Sunday];

    /// 1 = Monday ... 7 = Sunday, as stored.
    pub fn number(self) -> i32 {
        self as i32 + 1
    }

    pub fn from_number(n: i32) -> Option<Self> {
        usize::try_from(n - 1).ok().and_then(|i| Self::ALL.get(i).copied())
    }
}

/// One opening range of one weekday, local time (Europe/Paris).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OpeningRange {
    pub weekday: Weekday,
    /// `HH:MM`, local time.
    #[schema(example = "09:00", pattern = "^([01][0-9]|2[0-3]):[0-5][0-9]$")]
    pub opens: String,
    /// `HH:MM`, local time, after `opens`; `24:00` for midnight.
    #[schema(example = "17:00", pattern = "^(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$")]
    pub closes: String,
}

/// Monday to Friday 9:00–17:00 and Saturday 9:00–12:00.
pub fn default_hours() -> Vec<OpeningRange> {
    let range = |weekday, opens: &str, closes: &str| OpeningRange { weekday, opens: opens.into(), closes: closes.into() };
    let mut hours: Vec<_> = Weekday::ALL[..5].iter().map(|d| range(*d, "09:00", "17:00")).collect();
    hours.push(range(Weekday::Saturday, "09:00", "12:00"));
    hours
}

/// Minutes since midnight for `HH:MM`.
pub fn parse_minute(text: &str) -> Option<i32> {
    let (h, m) = text.split_once(':')?;
    if h.len() != 2 || m.len() != 2 {
        return None;
    }
    let (h, m): (i32, i32) = (h.parse().ok()?, m.parse().ok()?);
    match (h, m) {
        (24, 0) => Some(1440),
        (0..=23, 0..=59) => Some(h * 60 + m),
        _ => None,
    }
}

pub fn format_minute(minute: i32) -> String {
    format!("{:02}:{:02}", minute / 60, minute % 60)
}

/// Parses and checks a week of ranges: well-formed, each non-empty, none overlapping.
pub fn parse_week(field: &str, ranges: &[OpeningRange]) -> Result<Vec<(i32, i32, i32)>, Vec<FieldError>> {
    let mut errors = Vec::new();
    let mut parsed = Vec::new();
    for (i, range) in ranges.iter().enumerate() {
        let at = |name: &str| format!("{field}[{i}].{name}");
        let opens = parse_minute(&range.opens).filter(|m| *m < 1440);
        let closes = parse_minute(&range.closes);
        match (opens, closes) {
            (None, _) => errors.push(FieldError::new(at("opens"), "format", "must be a time HH:MM")),
            (_, None) => errors.push(FieldError::new(at("closes"), "format", "must be a time HH:MM")),
            (Some(o), Some(c)) if o >= c => errors.push(FieldError::new(at("closes"), "order", "must be after opens")),
            (Some(o), Some(c)) => parsed.push((range.weekday.number(), o, c, i)),
        }
    }
    parsed.sort();
    for pair in parsed.windows(2) {
        if let [a, b] = pair
            && a.0 == b.0
            && b.1 < a.2
        {
            errors.push(FieldError::new(format!("{field}[{}]", b.3), "overlap", "overlaps another range of the same day"));
        }
    }
    if errors.is_empty() { Ok(parsed.into_iter().map(|(d, o, c, _)| (d, o, c)).collect()) } else { Err(errors) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_times_and_rejects_nonsense() {
        assert_eq!(parse_minute("09:30"), Some(570));
        assert_eq!(parse_minute("24:00"), Some(1440));
        assert_eq!(parse_minute("24:01"), None);
        assert_eq!(parse_minute("9:30"), None);
        assert_eq!(format_minute(570), "09:30");
    }

    #[test]
    fn rejects_overlaps_and_inverted_ranges() {
        assert!(parse_week("h", &default_hours()).is_ok());
        let r = |o: &str, c: &str| OpeningRange { weekday: Weekday::Monday, opens: o.into(), closes: c.into() };
        assert!(parse_week("h", &[r("09:00", "12:00"), r("11:00", "14:00")]).is_err());
        assert!(parse_week("h", &[r("12:00", "09:00")]).is_err());
        assert!(parse_week("h", &[r("09:00", "12:00"), r("12:00", "14:00")]).is_ok());
    }
}
