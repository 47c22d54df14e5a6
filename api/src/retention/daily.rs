//! The daily run inside the server: every instance checks each hour, and the one that finds the
//! last run more than a day old runs it (the run's row lock makes the others wait, and then find
//! it done).

use std::time::Duration;

use crate::clock::Clock;
use crate::db::Db;

const CHECK_EVERY: Duration = Duration::from_secs(3600);

pub fn start(db: Db, months: u32, audit_months: u32, clock: Clock) {
    let spawned = std::thread::Builder::new().name("retention".into()).spawn(move || {
        loop {
            let checked = run_if_due(&db, months, audit_months, clock.now());
            crate::monitoring::Job::Retention.report(&checked);
            if let Err(e) = checked {
                log::warn!("retention run failed: {e}");
            }
            std::thread::sleep(CHECK_EVERY);
        }
    });
    if let Err(e) = spawned {
        log::error!("cannot start the retention job: {e}");
    }
}

/// Runs retention as of `now` unless some instance ran it less than 23 hours before.
pub fn run_if_due(db: &Db, months: u32, audit_months: u32, now: chrono::NaiveDateTime) -> Result<(), crate::error::ApiError> {
    let mut conn = db.get()?;
    if super::last_run(&mut conn)?.is_some_and(|last| now - last < chrono::Duration::hours(23)) {
        return Ok(());
    }
    let policy = super::Policy { months, audit_months, as_of: now.date() };
    let counts = crate::db::pool::write_transaction(&mut conn, |conn| {
        // Another instance may have run it while this one waited for the lock.
        if super::last_run(conn)?.is_some_and(|last| now - last < chrono::Duration::hours(23)) {
            return Ok(None);
        }
        super::run(conn, &policy, false, now).map(Some)
    })?;
    if let Some(c) = counts {
        log::info!(
            "retention: {} situations, {} persons, {} referrals anonymised; {} idempotency keys, {} log entries deleted",
            c.situations,
            c.persons,
            c.referrals,
            c.idempotency_keys,
            c.audit_entries
        );
    }
    Ok(())
}
