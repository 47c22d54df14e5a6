//! Retention (CNIL référentiel for social support: two years after the last contact). A closed
//! file with no contact (appointment, intervention, contact attempt, note) since the cutoff is
//! anonymised: what identifies or tells is erased, what the activity report counts is kept, so
//! every past report stays the same. Settled referrals, old idempotency keys, forgotten sign-in
//! throttles and the access log's oldest entries go too. One run at a time across instances (a row lock).

mod anonymise;
mod audit_purge;
pub mod daily;

use chrono::{Months, NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;

use crate::audit::{Action, Actor, Outcome, Record, record_entry};
use crate::db::DbConnection;
use crate::db::schema::retention_runs;
use crate::error::{ApiError, ApiResult};

/// How long things are kept.
#[derive(Debug, Clone, Copy)]
pub struct Policy {
    /// Files and referrals: months after the last contact (`RELAIS_RETENTION_MONTHS`).
    pub months: u32,
    /// The access log: months (`RELAIS_AUDIT_RETENTION_MONTHS`).
    pub audit_months: u32,
    /// The day the run acts as of (today, or `--as-of`).
    pub as_of: NaiveDate,
}

/// What a run anonymised or deleted (or, dry, would).
#[derive(Debug, Default, Clone, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub situations: usize,
    pub persons: usize,
    pub referrals: usize,
    pub idempotency_keys: usize,
    pub audit_entries: usize,
}

impl Policy {
    fn cutoff(&self, months: u32) -> ApiResult<NaiveDateTime> {
        self.as_of
            .checked_sub_months(Months::new(months))
            .and_then(|day| day.and_hms_opt(0, 0, 0))
            .ok_or_else(|| ApiError::internal("retention cutoff out of range"))
    }
}

/// Runs retention in the current transaction (which must be a write transaction): takes the
/// run lock, finds what is due, and unless `dry_run` anonymises and deletes it, recording in
/// the trail of each CCAS the objects it anonymised.
/// `now` is when the run happens: what expires by it (sessions, throttling, delivered webhooks)
/// is purged, and the run is dated with it.
pub fn run(conn: &mut DbConnection, policy: &Policy, dry_run: bool, now: chrono::NaiveDateTime) -> ApiResult<Counts> {
    // One run at a time: the second instance waits here, then finds nothing left to do.
    diesel::sql_query(crate::audit::locked(conn, "SELECT id FROM retention_runs WHERE id = 1")).execute(conn)?;
    let cutoff = policy.cutoff(policy.months)?;
    let due = anonymise::due(conn, cutoff)?;
    let idempotency_cutoff =
        policy.as_of.and_hms_opt(0, 0, 0).map(|t| t - chrono::Duration::hours(24)).ok_or_else(|| ApiError::internal("day"))?;
    let audit_cutoff = policy.cutoff(policy.audit_months)?;
    if dry_run {
        return Ok(Counts {
            situations: due.situations.len(),
            persons: anonymise::persons_due(conn, cutoff, &due.situations)?.len(),
            referrals: due.referrals.len(),
            idempotency_keys: anonymise::old_idempotency_keys(conn, idempotency_cutoff, true)?,
            audit_entries: audit_purge::purge(conn, audit_cutoff, true)?,
        });
    }
    crate::auth::throttle::purge_forgotten(conn, now)?;
    crate::auth::sessions::purge_expired(conn, now)?;
    crate::webhooks::outbox::purge_settled(conn, now)?;
    let anonymised = anonymise::apply(conn, &due, cutoff, now)?;
    let counts = Counts {
        situations: due.situations.len(),
        persons: anonymised.persons.len(),
        referrals: due.referrals.len(),
        idempotency_keys: anonymise::old_idempotency_keys(conn, idempotency_cutoff, false)?,
        audit_entries: audit_purge::purge(conn, audit_cutoff, false)?,
    };
    for (ccas_id, objects) in anonymised.by_ccas {
        let what = Action { action: "retention.anonymise", object_type: "ccas", object_id: None };
        record_entry(conn, Record::by(Actor::system(Some(ccas_id), now), what, Outcome::Success).with_objects(objects))?;
    }
    let what = Action { action: "retention.run", object_type: "retention", object_id: None };
    record_entry(conn, Record::by(Actor::system(None, now), what, Outcome::Success))?;
    diesel::update(retention_runs::table.find(1)).set(retention_runs::last_run_at.eq(now)).execute(conn)?;
    Ok(counts)
}

/// When the last run finished, if ever.
pub fn last_run(conn: &mut DbConnection) -> ApiResult<Option<NaiveDateTime>> {
    Ok(retention_runs::table.find(1).select(retention_runs::last_run_at).first::<Option<NaiveDateTime>>(conn).optional()?.flatten())
}
