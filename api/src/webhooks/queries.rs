use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::models::{EventType, SubscriptionRow, stored_events};
use super::signing::new_secret;
use crate::auth::{Caller, Scope};
use crate::db::DbConnection;
use crate::db::schema::webhook_subscriptions;
use crate::error::{ApiError, ApiResult};

/// Whom a caller may see the subscriptions of: a unit its own, an administrator all of its
/// CCAS's units'.
#[derive(Debug, Clone)]
pub enum Reach {
    Owner(String),
    Admin(String),
}

impl Reach {
    pub fn of(caller: &Caller, acting_as: Scope) -> Reach {
        if acting_as == Scope::Admin { Reach::Admin(caller.ccas_id.clone()) } else { Reach::Owner(caller.org_id.clone()) }
    }
}

pub fn find(conn: &mut DbConnection, reach: &Reach, id: &str) -> ApiResult<SubscriptionRow> {
    let query = webhook_subscriptions::table.filter(webhook_subscriptions::id.eq(id)).select(SubscriptionRow::as_select()).into_boxed();
    let query = match reach {
        Reach::Owner(org) => query.filter(webhook_subscriptions::organisation_id.eq(org.clone())),
        Reach::Admin(ccas) => query.filter(webhook_subscriptions::ccas_id.eq(ccas.clone())),
    };
    query.first(conn).optional()?.ok_or(ApiError::NotFound)
}

pub fn list(conn: &mut DbConnection, reach: &Reach, after: Option<(NaiveDateTime, String)>, limit: i64) -> ApiResult<Vec<SubscriptionRow>> {
    use webhook_subscriptions::dsl as s;
    let mut query =
        s::webhook_subscriptions.select(SubscriptionRow::as_select()).order((s::created_at, s::id)).limit(limit + 1).into_boxed();
    query = match reach {
        Reach::Owner(org) => query.filter(s::organisation_id.eq(org.clone())),
        Reach::Admin(ccas) => query.filter(s::ccas_id.eq(ccas.clone())),
    };
    if let Some((at, id)) = after {
        query = query.filter(s::created_at.gt(at).or(s::created_at.eq(at).and(s::id.gt(id))));
    }
    Ok(query.load(conn)?)
}

/// A new subscription of the caller's unit, with its secret.
pub fn insert(conn: &mut DbConnection, caller: &Caller, url: &str, events: &[EventType]) -> ApiResult<(SubscriptionRow, String)> {
    let secret = new_secret()?;
    let now = caller.at;
    let id = uuid::Uuid::new_v4().to_string();
    diesel::insert_into(webhook_subscriptions::table)
        .values((
            webhook_subscriptions::id.eq(&id),
            webhook_subscriptions::organisation_id.eq(&caller.org_id),
            webhook_subscriptions::ccas_id.eq(&caller.ccas_id),
            webhook_subscriptions::url.eq(url),
            webhook_subscriptions::events.eq(stored_events(events)),
            webhook_subscriptions::secret.eq(&secret),
            webhook_subscriptions::enabled.eq(true),
            webhook_subscriptions::consecutive_failures.eq(0),
            webhook_subscriptions::version.eq(1),
            webhook_subscriptions::created_at.eq(now),
            webhook_subscriptions::updated_at.eq(now),
        ))
        .execute(conn)?;
    let row = find(conn, &Reach::Owner(caller.org_id.clone()), &id)?;
    Ok((row, secret))
}

/// A new secret; the old one keeps signing for a day, so that receivers can switch.
pub fn rotate(conn: &mut DbConnection, row: &SubscriptionRow, now: NaiveDateTime) -> ApiResult<String> {
    let secret = new_secret()?;
    diesel::update(webhook_subscriptions::table.find(&row.id))
        .set((
            webhook_subscriptions::previous_secret.eq(&row.secret),
            webhook_subscriptions::previous_secret_until.eq(now + chrono::Duration::hours(24)),
            webhook_subscriptions::secret.eq(&secret),
            webhook_subscriptions::version.eq(row.version + 1),
            webhook_subscriptions::updated_at.eq(now),
        ))
        .execute(conn)?;
    Ok(secret)
}

/// What a change does: the new URL and events, and whether it enables or disables (and why).
pub struct Change<'a> {
    pub url: Option<&'a str>,
    pub events: Option<&'a [EventType]>,
    pub enabled: Option<(bool, Option<&'static str>)>,
}

pub fn update(conn: &mut DbConnection, row: &SubscriptionRow, change: Change<'_>, now: NaiveDateTime) -> ApiResult<()> {
    let (enabled, reason, failures) = match change.enabled {
        // Enabled again by its owner: the failures are behind it.
        Some((true, _)) => (true, None, 0),
        Some((false, why)) => (false, why, row.consecutive_failures),
        None => (row.enabled, row.disabled_reason.as_deref().and_then(reason_code), row.consecutive_failures),
    };
    diesel::update(webhook_subscriptions::table.find(&row.id))
        .set((
            webhook_subscriptions::url.eq(change.url.unwrap_or(&row.url)),
            webhook_subscriptions::events.eq(change.events.map(stored_events).unwrap_or_else(|| row.events.clone())),
            webhook_subscriptions::enabled.eq(enabled),
            webhook_subscriptions::disabled_reason.eq(reason),
            webhook_subscriptions::consecutive_failures.eq(failures),
            webhook_subscriptions::version.eq(row.version + 1),
            webhook_subscriptions::updated_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

fn reason_code(stored: &str) -> Option<&'static str> {
    ["failing", "owner", "admin"].into_iter().find(|r| *r == stored)
}

pub fn delete(conn: &mut DbConnection, row: &SubscriptionRow) -> ApiResult<()> {
    diesel::delete(webhook_subscriptions::table.find(&row.id)).execute(conn)?;
    Ok(())
}
