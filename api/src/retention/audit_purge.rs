//! The access log's oldest entries go after `RELAIS_AUDIT_RETENTION_MONTHS`. Only a prefix of
//! the chain is purged, and its last hash becomes the anchor the verification starts from, so
//! what remains still verifies, and an entry removed from the middle is still caught.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::db::schema::{audit_chain, audit_event_objects, audit_events};
use crate::error::ApiResult;

/// Deletes (or counts) the sealed entries of the chain's prefix older than `cutoff`.
pub fn purge(conn: &mut DbConnection, cutoff: NaiveDateTime, count_only: bool) -> ApiResult<usize> {
    let anchor: i64 = audit_chain::table.find(1).select(audit_chain::anchor_seq).first(conn)?;
    let last_old: Option<i64> =
        audit_events::table.filter(audit_events::at.lt(cutoff)).select(diesel::dsl::max(audit_events::seq)).first(conn)?;
    let first_kept: Option<i64> =
        audit_events::table.filter(audit_events::at.ge(cutoff)).select(diesel::dsl::min(audit_events::seq)).first(conn)?;
    // The prefix ends before the first entry to keep, whatever the clocks of the instances.
    let through = match (last_old, first_kept) {
        (Some(old), Some(kept)) => old.min(kept - 1),
        (Some(old), None) => old,
        (None, _) => return Ok(0),
    };
    if through <= anchor {
        return Ok(0);
    }
    let prefix = || audit_events::table.filter(audit_events::seq.le(through)).filter(audit_events::seq.gt(anchor));
    if count_only {
        let n: i64 = prefix().count().get_result(conn)?;
        return Ok(usize::try_from(n).unwrap_or(0));
    }
    let hash: Option<String> = audit_events::table.filter(audit_events::seq.eq(through)).select(audit_events::hash).first(conn)?;
    let ids: Vec<String> = prefix().select(audit_events::id).load(conn)?;
    for chunk in ids.chunks(500) {
        diesel::delete(audit_event_objects::table.filter(audit_event_objects::entry_id.eq_any(chunk))).execute(conn)?;
        diesel::delete(audit_events::table.filter(audit_events::id.eq_any(chunk))).execute(conn)?;
    }
    diesel::update(audit_chain::table.find(1))
        .set((audit_chain::anchor_seq.eq(through), audit_chain::anchor_hash.eq(hash.unwrap_or_default())))
        .execute(conn)?;
    Ok(ids.len())
}
