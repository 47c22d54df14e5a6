//! The delivery worker: claims due messages, sends each signed, records the attempt, and
//! schedules a retry with backoff (the same `webhook-id` every time) until 24 hours have
//! passed; then the message is given up and its subscription disabled.
//!
//! Claiming takes a lease: a message claimed is not due again until the lease ends, so an
//! instance that dies mid-send leaves it to another (at least once). On PostgreSQL several
//! instances claim at once without waiting on each other (`FOR UPDATE SKIP LOCKED`); SQLite
//! has one writer at a time.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Integer, Text, Timestamp};
use reqwest::Url;

use super::guard::{AllowedHosts, address_for};
use super::models::SubscriptionRow;
use super::signing::signature;
use crate::clock::Clock;
use crate::db::schema::{webhook_deliveries, webhook_messages, webhook_subscriptions};
use crate::db::{Db, DbConnection, pool::write_transaction};
use crate::error::ApiResult;

/// How deliveries are made and retried.
#[derive(Debug, Clone)]
pub struct DeliveryPolicy {
    pub allowed: AllowedHosts,
    /// The wait after each failed attempt; once they are spent (about 24 hours), the message
    /// is given up.
    pub retry_after: Vec<chrono::Duration>,
    /// How long a claimed message is left to the instance that claimed it.
    pub lease: chrono::Duration,
    /// The longest a receiver may take to answer.
    pub timeout: Duration,
    /// Messages claimed at once.
    pub batch: i64,
}

impl Default for DeliveryPolicy {
    fn default() -> Self {
        let (s, m, h) = (chrono::Duration::seconds, chrono::Duration::minutes, chrono::Duration::hours);
        DeliveryPolicy {
            allowed: AllowedHosts::default(),
            // 5 s, 1 min, 5 min, 30 min, 1 h, 2 h, 4 h, 8 h, 8 h: ten attempts over 23 h 36 min.
            retry_after: vec![s(5), m(1), m(5), m(30), h(1), h(2), h(4), h(8), h(8)],
            lease: s(60),
            timeout: Duration::from_secs(10),
            batch: 20,
        }
    }
}

/// A message claimed for sending.
#[derive(Debug, QueryableByName)]
pub struct Claimed {
    #[diesel(sql_type = Text)]
    pub id: String,
    #[diesel(sql_type = Text)]
    pub subscription_id: String,
    #[diesel(sql_type = Text)]
    pub payload: String,
    /// This attempt's number (1 for the first).
    #[diesel(sql_type = Integer)]
    pub attempts: i32,
    #[diesel(sql_type = Timestamp)]
    pub created_at: NaiveDateTime,
}

/// Claims up to `batch` due messages of enabled subscriptions, leasing them.
pub fn claim(conn: &mut DbConnection, now: NaiveDateTime, policy: &DeliveryPolicy) -> ApiResult<Vec<Claimed>> {
    let skip_locked = if matches!(conn, DbConnection::Postgres(_)) { " FOR UPDATE OF m SKIP LOCKED" } else { "" };
    let sql = format!(
        "UPDATE webhook_messages SET next_attempt_at = $1, attempts = attempts + 1 \
         WHERE id IN (SELECT m.id FROM webhook_messages m JOIN webhook_subscriptions s ON s.id = m.subscription_id \
                      WHERE m.status = 'pending' AND m.next_attempt_at <= $2 AND s.enabled = TRUE \
                      ORDER BY m.next_attempt_at, m.created_at LIMIT $3{skip_locked}) \
         RETURNING id, subscription_id, payload, attempts, created_at"
    );
    let mut claimed: Vec<Claimed> = diesel::sql_query(sql)
        .bind::<Timestamp, _>(now + policy.lease)
        .bind::<Timestamp, _>(now)
        .bind::<BigInt, _>(policy.batch)
        .load(conn)?;
    // Sent in the order the changes happened (`RETURNING` keeps no order).
    claimed.sort_by(|a, b| (a.created_at, &a.id).cmp(&(b.created_at, &b.id)));
    Ok(claimed)
}

/// What came of one attempt.
struct Attempt {
    status: Option<i32>,
    error: Option<&'static str>,
    duration_ms: i32,
}

impl Attempt {
    fn succeeded(&self) -> bool {
        self.error.is_none()
    }
}

/// Sends the messages due now; returns how many were attempted. Each is claimed in a short
/// transaction, sent outside any (signed with the time it is sent at: receivers refuse stale
/// signatures), and its outcome recorded in another; the retry schedule counts from the claim.
pub fn deliver_due(db: &Db, policy: &DeliveryPolicy, clock: &Clock) -> ApiResult<usize> {
    let now = clock.now();
    let mut conn = db.get()?;
    let claimed = write_transaction(&mut conn, |conn| claim(conn, now, policy))?;
    if claimed.is_empty() {
        return Ok(0);
    }
    let ids: Vec<&str> = claimed.iter().map(|c| c.subscription_id.as_str()).collect();
    let subscriptions: HashMap<String, SubscriptionRow> = webhook_subscriptions::table
        .filter(webhook_subscriptions::id.eq_any(&ids))
        .select(SubscriptionRow::as_select())
        .load(&mut *conn)?
        .into_iter()
        .map(|s| (s.id.clone(), s))
        .collect();
    for message in &claimed {
        let Some(subscription) = subscriptions.get(&message.subscription_id) else { continue };
        let attempt = send(subscription, message, policy, clock.now());
        write_transaction(&mut conn, |conn| record(conn, subscription, message, &attempt, policy, now))?;
    }
    Ok(claimed.len())
}

fn send(subscription: &SubscriptionRow, message: &Claimed, policy: &DeliveryPolicy, now: NaiveDateTime) -> Attempt {
    let started = Instant::now();
    let outcome = post(subscription, message, policy, now);
    let duration_ms = i32::try_from(started.elapsed().as_millis()).unwrap_or(i32::MAX);
    match outcome {
        Ok(status) => Attempt { status: Some(status), error: None, duration_ms },
        Err((error, status)) => Attempt { status, error: Some(error), duration_ms },
    }
}

/// One signed POST, to the address checked, following no redirect.
fn post(
    subscription: &SubscriptionRow,
    message: &Claimed,
    policy: &DeliveryPolicy,
    now: NaiveDateTime,
) -> Result<i32, (&'static str, Option<i32>)> {
    let url = Url::parse(&subscription.url).map_err(|_| ("invalid_url", None))?;
    let address = address_for(&url, &policy.allowed).map_err(|e| (e, None))?;
    let host = url.host_str().ok_or(("invalid_url", None))?;
    let timestamp = now.and_utc().timestamp();
    let signed =
        signature(&subscription.signing_secrets(now), &message.id, timestamp, &message.payload).map_err(|_| ("signing_failed", None))?;
    let client = reqwest::blocking::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .connect_timeout(Duration::from_secs(3))
        .timeout(policy.timeout)
        .resolve(host, address)
        .user_agent("Relais-Webhooks/1")
        .build()
        .map_err(|_| ("client_failed", None))?;
    let response = client
        .post(url)
        .header("content-type", "application/json")
        .header("webhook-id", &message.id)
        .header("webhook-timestamp", timestamp.to_string())
        .header("webhook-signature", signed)
        .body(message.payload.clone())
        .send()
        .map_err(|e| (if e.is_timeout() { "timeout" } else { "connection_failed" }, None))?;
    let status = i32::from(response.status().as_u16());
    match status {
        200..=299 => Ok(status),
        300..=399 => Err(("redirect_not_followed", Some(status))),
        _ => Err(("http_status", Some(status))),
    }
}

/// Logs the attempt; on success the message is delivered, otherwise retried later or, once
/// the retries are spent, given up and its subscription disabled.
fn record(
    conn: &mut DbConnection,
    subscription: &SubscriptionRow,
    message: &Claimed,
    attempt: &Attempt,
    policy: &DeliveryPolicy,
    now: NaiveDateTime,
) -> ApiResult<()> {
    diesel::insert_into(webhook_deliveries::table)
        .values((
            webhook_deliveries::id.eq(uuid::Uuid::new_v4().to_string()),
            webhook_deliveries::message_id.eq(&message.id),
            webhook_deliveries::subscription_id.eq(&subscription.id),
            webhook_deliveries::attempt.eq(message.attempts),
            webhook_deliveries::attempted_at.eq(now),
            webhook_deliveries::response_status.eq(attempt.status),
            webhook_deliveries::error.eq(attempt.error),
            webhook_deliveries::duration_ms.eq(attempt.duration_ms),
        ))
        .execute(conn)?;
    let this_message = webhook_messages::table.find(&message.id);
    let this_subscription = webhook_subscriptions::table.find(&subscription.id);
    if attempt.succeeded() {
        crate::monitoring::webhook_attempt("delivered");
        diesel::update(this_message)
            .set((webhook_messages::status.eq("delivered"), webhook_messages::delivered_at.eq(now)))
            .execute(conn)?;
        diesel::update(this_subscription).set(webhook_subscriptions::consecutive_failures.eq(0)).execute(conn)?;
        return Ok(());
    }
    diesel::update(this_subscription)
        .set(webhook_subscriptions::consecutive_failures.eq(webhook_subscriptions::consecutive_failures + 1))
        .execute(conn)?;
    let spent = usize::try_from(message.attempts).unwrap_or(usize::MAX);
    match policy.retry_after.get(spent.saturating_sub(1)) {
        Some(wait) => {
            crate::monitoring::webhook_attempt("retrying");
            diesel::update(this_message).set(webhook_messages::next_attempt_at.eq(now + *wait)).execute(conn)?;
        }
        None => {
            crate::monitoring::webhook_attempt("given_up");
            diesel::update(this_message).set(webhook_messages::status.eq("failed")).execute(conn)?;
            diesel::update(this_subscription)
                .set((
                    webhook_subscriptions::enabled.eq(false),
                    webhook_subscriptions::disabled_reason.eq("failing"),
                    webhook_subscriptions::updated_at.eq(now),
                ))
                .execute(conn)?;
            log::warn!("webhook subscription {} disabled: message {} failed for a day", subscription.id, message.id);
        }
    }
    Ok(())
}

/// The worker inside the server: every `every`, it sends what is due.
pub fn start(db: Db, policy: DeliveryPolicy, every: Duration, clock: Clock) {
    let spawned = std::thread::Builder::new().name("webhooks".into()).spawn(move || {
        loop {
            let delivered = deliver_due(&db, &policy, &clock);
            crate::monitoring::Job::WebhookDelivery.report(&delivered);
            match delivered {
                // A full batch: more may be due at once.
                Ok(n) if i64::try_from(n).unwrap_or(0) >= policy.batch => continue,
                Ok(_) => {}
                Err(e) => log::warn!("webhook delivery failed: {e}"),
            }
            std::thread::sleep(every);
        }
    });
    if let Err(e) = spawned {
        log::error!("cannot start the webhook worker: {e}");
    }
}
