//! Times: stored as UTC without zone (both backends agree on that), served as RFC 3339 UTC.

use chrono::{DateTime, NaiveDateTime, Utc};

use crate::error::ApiError;

pub fn utc(naive: NaiveDateTime) -> DateTime<Utc> {
    naive.and_utc()
}

/// The date in Europe/Paris, where the coordinators work, of a stored UTC instant.
pub fn paris_date(at: NaiveDateTime) -> chrono::NaiveDate {
    at.and_utc().with_timezone(&chrono_tz::Europe::Paris).date_naive()
}

/// A time the client says something happened at: `now` when absent, never in the future
/// (five minutes of clock skew allowed).
pub fn past_or_now(field: &str, at: Option<DateTime<Utc>>, now: NaiveDateTime) -> Result<NaiveDateTime, ApiError> {
    match at {
        Some(at) if at.naive_utc() > now + chrono::Duration::minutes(5) => {
            Err(ApiError::validation(field, "future", "cannot be in the future"))
        }
        Some(at) => Ok(at.naive_utc()),
        None => Ok(now),
    }
}

pub fn parse_cursor_time(raw: &str) -> Result<NaiveDateTime, ApiError> {
    DateTime::parse_from_rfc3339(raw)
        .map(|t| t.with_timezone(&Utc).naive_utc())
        .map_err(|_| ApiError::validation("cursor", "invalid", "is not a cursor from this list"))
}

/// Serde for a stored UTC time as RFC 3339 with `Z`.
pub mod rfc3339 {
    use chrono::{NaiveDateTime, SecondsFormat};
    use serde::Serializer;

    pub fn serialize<S: Serializer>(value: &NaiveDateTime, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&value.and_utc().to_rfc3339_opts(SecondsFormat::AutoSi, true))
    }
}

/// Same as [`rfc3339`] for an optional time.
pub mod rfc3339_option {
    use chrono::NaiveDateTime;
    use serde::Serializer;

    pub fn serialize<S: Serializer>(value: &Option<NaiveDateTime>, s: S) -> Result<S::Ok, S::Error> {
        match value {
            Some(v) => super::rfc3339::serialize(v, s),
            None => s.serialize_none(),
        }
    }
}
