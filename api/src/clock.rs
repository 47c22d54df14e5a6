//! The one clock of the process. Whatever asks "what time is it?" asks it: the handlers (which
//! hand the instant to their queries), the access log, the tokens and sessions, the jobs, the
//! demo and the command line. Production reads the system clock; tests set it to any instant
//! and move it, so that a rule that depends on the date is tested on the dates that matter
//! rather than on the day the tests run.
//!
//! Reading the wall clock anywhere else is refused by clippy (`clippy.toml`).

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use chrono::{DateTime, NaiveDate, NaiveDateTime, TimeDelta, Utc};

#[derive(Clone)]
pub struct Clock(Arc<Source>);

enum Source {
    System,
    /// The system clock moved by a fixed offset: a process started "as of" another instant,
    /// whose time then runs on (`RELAIS_CLOCK_START`).
    Shifted(TimeDelta),
    /// Set and advanced by tests, in microseconds since the epoch. Each reading moves it one
    /// microsecond on, as time would pass: what happens one after the other keeps its order
    /// (keyset pages, the timeline, the outbox), and the date stays the one the test chose.
    Manual(AtomicI64),
}

impl std::fmt::Debug for Clock {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &*self.0 {
            Source::System => f.write_str("Clock::System"),
            Source::Shifted(by) => write!(f, "Clock::Shifted({by})"),
            Source::Manual(_) => write!(f, "Clock::Manual({})", self.now_utc()),
        }
    }
}

/// The machine's time, read here and nowhere else.
#[expect(clippy::disallowed_methods, reason = "the one reading of the wall clock, behind the Clock")]
fn system_now() -> DateTime<Utc> {
    Utc::now()
}

/// The machine's own time, for what is compared with other machines' clocks rather than with
/// the application's data: the time of a log line, a metric's "last success" (which Prometheus
/// compares with its own `time()`). Never for a rule of the product: that reads the [`Clock`].
pub fn machine_time() -> DateTime<Utc> {
    system_now()
}

/// Microseconds: what PostgreSQL keeps, so that a value reads back as it was written.
fn to_micros(at: DateTime<Utc>) -> DateTime<Utc> {
    DateTime::from_timestamp_micros(at.timestamp_micros()).unwrap_or(at)
}

impl Clock {
    /// The system clock (production).
    pub fn system() -> Self {
        Self(Arc::new(Source::System))
    }

    /// A clock that reads `start` now and runs on from there.
    pub fn starting_at(start: DateTime<Utc>) -> Self {
        Self(Arc::new(Source::Shifted(start - system_now())))
    }

    /// A clock that reads `at` first, then a microsecond more at each reading, until
    /// [`Clock::set`] or [`Clock::advance`] moves it.
    pub fn manual(at: DateTime<Utc>) -> Self {
        Self(Arc::new(Source::Manual(AtomicI64::new(at.timestamp_micros()))))
    }

    /// Moves a manual clock to `at`; a system or shifted clock cannot be set (`false`).
    pub fn set(&self, at: DateTime<Utc>) -> bool {
        match &*self.0 {
            Source::Manual(micros) => {
                micros.store(at.timestamp_micros(), Ordering::SeqCst);
                true
            }
            Source::System | Source::Shifted(_) => false,
        }
    }

    /// Moves a manual clock forward (or back, with a negative delta).
    pub fn advance(&self, by: TimeDelta) -> bool {
        self.set(self.now_utc() + by)
    }

    /// Now, to the microsecond.
    pub fn now_utc(&self) -> DateTime<Utc> {
        match &*self.0 {
            Source::System => to_micros(system_now()),
            Source::Shifted(by) => to_micros(system_now() + *by),
            Source::Manual(micros) => DateTime::from_timestamp_micros(micros.fetch_add(1, Ordering::SeqCst)).unwrap_or_default(),
        }
    }

    /// Now as stored: UTC without zone.
    pub fn now(&self) -> NaiveDateTime {
        self.now_utc().naive_utc()
    }

    /// Seconds since the epoch (JWT claims).
    pub fn timestamp(&self) -> i64 {
        self.now_utc().timestamp()
    }

    /// Today's date in Europe/Paris, where the coordinators work.
    pub fn local_today(&self) -> NaiveDate {
        crate::time::paris_date(self.now())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).map(|t| t.with_timezone(&Utc)).unwrap_or_default()
    }

    #[test]
    fn a_manual_clock_moves_a_microsecond_a_reading_until_set() {
        let clock = Clock::manual(at("2027-03-28T00:30:00Z"));
        assert_eq!(clock.now_utc(), at("2027-03-28T00:30:00Z"));
        assert_eq!(clock.now_utc(), at("2027-03-28T00:30:00.000001Z"));
        assert_eq!(clock.local_today(), NaiveDate::from_ymd_opt(2027, 3, 28).unwrap_or_default());
        assert!(clock.set(at("2027-03-28T23:30:00Z")));
        assert_eq!(clock.now_utc(), at("2027-03-28T23:30:00Z"));
        // 01:30 in Paris (summer time) the next day, 23:30 UTC the same day.
        assert_eq!(clock.local_today(), NaiveDate::from_ymd_opt(2027, 3, 29).unwrap_or_default());
        assert_eq!(clock.now().date(), NaiveDate::from_ymd_opt(2027, 3, 28).unwrap_or_default());
    }

    #[test]
    fn a_shifted_clock_runs_from_its_start_and_cannot_be_set() {
        let clock = Clock::starting_at(at("2028-02-29T10:00:00Z"));
        let read = clock.now_utc();
        assert!(read >= at("2028-02-29T10:00:00Z") && read < at("2028-02-29T10:01:00Z"), "{read}");
        assert!(!clock.set(at("2030-01-01T00:00:00Z")));
        assert!(!Clock::system().set(at("2030-01-01T00:00:00Z")));
    }
}
