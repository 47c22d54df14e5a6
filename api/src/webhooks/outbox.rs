//! The transactional outbox: a message per subscription is written in the same transaction as
//! the change it announces, so that no change goes untold and nothing is told of a change
//! that rolled back. The worker (`delivery`) sends them afterwards.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde_json::json;

use super::models::EventType;
use crate::db::DbConnection;
use crate::db::schema::{referrals, webhook_messages, webhook_subscriptions};
use crate::error::ApiResult;
use crate::referrals::models::ReferralStatus;
use crate::time::utc;

/// A referral changed status: its unit's subscriptions to `referral.status_changed` get a
/// message holding what the unit may read of it.
/// `at` is when the status changed, `now` when the change is recorded (the first attempt is due then).
pub fn referral_status_changed(
    conn: &mut DbConnection,
    referral_id: &str,
    status: ReferralStatus,
    at: NaiveDateTime,
    now: NaiveDateTime,
) -> ApiResult<()> {
    let (unit, agent_reference, procedure_reference): (Option<String>, Option<String>, Option<String>) = referrals::table
        .find(referral_id)
        .select((referrals::referring_organisation_id, referrals::agent_reference, referrals::procedure_reference))
        .first(conn)?;
    let Some(unit) = unit else { return Ok(()) };
    let event = EventType::ReferralStatusChanged;
    let data = json!({
        "id": referral_id,
        "status": status.as_str(),
        "status_changed_at": utc(at),
        "agent_reference": agent_reference,
        "procedure_reference": procedure_reference,
    });
    enqueue(conn, &unit, event, data, at, now)
}

/// One message per enabled subscription of `organisation_id` to `event`; the payload follows
/// the Standard Webhooks recommendation (`type`, `timestamp`, `data`).
fn enqueue(
    conn: &mut DbConnection,
    organisation_id: &str,
    event: EventType,
    data: serde_json::Value,
    at: NaiveDateTime,
    now: NaiveDateTime,
) -> ApiResult<()> {
    let subscriptions: Vec<(String, String)> = webhook_subscriptions::table
        .filter(webhook_subscriptions::organisation_id.eq(organisation_id))
        .filter(webhook_subscriptions::enabled.eq(true))
        .select((webhook_subscriptions::id, webhook_subscriptions::events))
        .load(conn)?;
    let payload = json!({"type": event.as_str(), "timestamp": utc(at), "data": data}).to_string();
    let subscribed = subscriptions.iter().filter(|(_, events)| events.split_whitespace().any(|e| e == event.as_str()));
    for (subscription_id, _) in subscribed {
        diesel::insert_into(webhook_messages::table)
            .values((
                webhook_messages::id.eq(format!("msg_{}", uuid::Uuid::new_v4().simple())),
                webhook_messages::subscription_id.eq(subscription_id),
                webhook_messages::event_type.eq(event.as_str()),
                webhook_messages::payload.eq(&payload),
                webhook_messages::created_at.eq(now),
                webhook_messages::status.eq("pending"),
                webhook_messages::attempts.eq(0),
                webhook_messages::next_attempt_at.eq(now),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// How long a delivered or given-up message, and its delivery log, is kept.
pub const KEPT_DAYS: i64 = 30;

/// Deletes the messages settled more than [`KEPT_DAYS`] ago, with their attempts (the daily
/// retention run): a message names a unit's procedure, which is not kept for ever.
pub fn purge_settled(conn: &mut DbConnection, now: NaiveDateTime) -> ApiResult<usize> {
    use crate::db::schema::webhook_deliveries;
    let cutoff = now - chrono::Duration::days(KEPT_DAYS);
    let settled = || webhook_messages::status.ne("pending").and(webhook_messages::created_at.lt(cutoff));
    let ids = webhook_messages::table.filter(settled()).select(webhook_messages::id);
    diesel::delete(webhook_deliveries::table.filter(webhook_deliveries::message_id.eq_any(ids))).execute(conn)?;
    Ok(diesel::delete(webhook_messages::table.filter(settled())).execute(conn)?)
}

/// The messages in the outbox by status (`pending`, `delivered`, `failed`), for the metrics.
pub fn messages_by_status(conn: &mut DbConnection) -> ApiResult<Vec<(String, i64)>> {
    Ok(webhook_messages::table
        .group_by(webhook_messages::status)
        .select((webhook_messages::status, diesel::dsl::count_star()))
        .load(conn)?)
}

/// When the oldest message still to deliver was written, if any: how far deliveries lag.
pub fn oldest_pending(conn: &mut DbConnection) -> ApiResult<Option<NaiveDateTime>> {
    Ok(webhook_messages::table
        .filter(webhook_messages::status.eq("pending"))
        .select(diesel::dsl::min(webhook_messages::created_at))
        .first(conn)?)
}
