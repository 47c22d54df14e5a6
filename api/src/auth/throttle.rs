//! Sign-in throttling, shared by every instance through the database.
//!
//! Each attempt is counted before the password is checked (so forty parallel guesses are not
//! all evaluated), under three keys: the login from this address, the address, and the login
//! from anywhere. Past a few free failures each key imposes a growing delay (1 s, 2 s, 4 s…)
//! before its next attempt, instead of locking the login: someone who guesses at a coordinator's
//! login from elsewhere slows her own sign-ins only after many failures, and by little. A
//! success clears the login's keys; an hour without failure clears a key. Rows hold hashes,
//! never a login or an address.

use std::net::IpAddr;

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;
use sha2::{Digest, Sha256};

use crate::db::DbConnection;
use crate::db::pool::write_transaction;
use crate::db::schema::sign_in_throttles as t;
use crate::error::{ApiError, ApiResult};

/// How much a key tolerates before slowing down, and how slow it may get.
#[derive(Debug, Clone, Copy)]
struct Rule {
    free_failures: i32,
    max_delay_secs: i64,
}

/// The login from one address: the real user mistyping, or someone at her login.
const PAIR: Rule = Rule { free_failures: 3, max_delay_secs: 15 * 60 };
/// One address trying many logins (a spray); an office behind one address has room.
const ADDRESS: Rule = Rule { free_failures: 20, max_delay_secs: 15 * 60 };
/// One login tried from many addresses: slowed late and little, so no one locks a user out.
const LOGIN: Rule = Rule { free_failures: 30, max_delay_secs: 60 };

/// A failure older than this no longer counts.
const FORGET_AFTER_MINUTES: i64 = 60;

fn delay(rule: Rule, failures: i32) -> Duration {
    let over = failures - rule.free_failures - 1;
    if over < 0 {
        return Duration::zero();
    }
    let secs = 1_i64.checked_shl(u32::try_from(over).unwrap_or(u32::MAX).min(30)).unwrap_or(i64::MAX);
    Duration::seconds(secs.min(rule.max_delay_secs))
}

fn key(kind: &str, value: &str) -> String {
    let digest = Sha256::digest(format!("{kind}:{value}").as_bytes());
    format!("{kind}:{}", digest.iter().map(|b| format!("{b:02x}")).collect::<String>())
}

/// The keys of one attempt; what a success clears.
pub struct Attempt {
    keys: Vec<(String, Rule)>,
}

impl Attempt {
    /// `who`: the login or client id (case-insensitive); `from`: the client's address.
    pub fn new(who: &str, from: Option<IpAddr>) -> Self {
        let who = who.to_lowercase();
        let mut keys = vec![(key("login", &who), LOGIN)];
        if let Some(address) = from {
            keys.push((key("pair", &format!("{who}@{address}")), PAIR));
            keys.push((key("address", &address.to_string()), ADDRESS));
        }
        Attempt { keys }
    }

    /// Counts the attempt, or refuses it with the seconds to wait when a key is slowed down.
    pub fn reserve(&self, conn: &mut DbConnection, now: NaiveDateTime) -> ApiResult<()> {
        write_transaction(conn, |conn| {
            let mut rows = Vec::new();
            for (key, _) in &self.keys {
                // The same SQL on both databases (diesel's upsert is not for a connection that
                // may be either).
                diesel::sql_query(
                    "INSERT INTO sign_in_throttles (key, failures, last_failure_at, next_allowed_at) VALUES ($1, 0, $2, $2) \
                     ON CONFLICT (key) DO NOTHING",
                )
                .bind::<diesel::sql_types::Text, _>(key)
                .bind::<diesel::sql_types::Timestamp, _>(now)
                .execute(conn)?;
                rows.push(locked(conn, key)?);
            }
            if let Some(wait) = rows.iter().map(|(_, _, next)| *next - now).filter(|wait| *wait > Duration::zero()).max() {
                let secs = u64::try_from(wait.num_seconds() + 1).unwrap_or(1);
                return Err(ApiError::TooManyRequests { retry_after_secs: secs });
            }
            for ((key, rule), (failures, last, _)) in self.keys.iter().zip(rows) {
                let counted = if now - last > Duration::minutes(FORGET_AFTER_MINUTES) { 1 } else { failures + 1 };
                diesel::update(t::table.find(key))
                    .set((t::failures.eq(counted), t::last_failure_at.eq(now), t::next_allowed_at.eq(now + delay(*rule, counted))))
                    .execute(conn)?;
            }
            Ok(())
        })
    }

    /// The credentials were right: the login's keys start afresh, and the address's count
    /// forgets this attempt (an office signing in every morning from one address is no spray).
    pub fn succeeded(&self, conn: &mut DbConnection) -> ApiResult<()> {
        let (address, login): (Vec<&str>, Vec<&str>) = self.keys.iter().map(|(k, _)| k.as_str()).partition(|k| k.starts_with("address:"));
        diesel::delete(t::table.filter(t::key.eq_any(login))).execute(conn)?;
        diesel::update(t::table.filter(t::key.eq_any(address)).filter(t::failures.gt(0)))
            .set(t::failures.eq(t::failures - 1))
            .execute(conn)?;
        Ok(())
    }
}

/// The row of `key`, held until the transaction ends (PostgreSQL; SQLite's writers are one at
/// a time already): failures, last failure, next allowed attempt.
fn locked(conn: &mut DbConnection, key: &str) -> ApiResult<(i32, NaiveDateTime, NaiveDateTime)> {
    let query = t::table.find(key).select((t::failures, t::last_failure_at, t::next_allowed_at));
    Ok(match conn {
        DbConnection::Postgres(pg) => query.for_update().first(pg)?,
        DbConnection::Sqlite(_) => query.first(conn)?,
    })
}

/// Keys without a failure for an hour: what the retention job purges.
pub fn purge_forgotten(conn: &mut DbConnection, now: NaiveDateTime) -> ApiResult<usize> {
    Ok(diesel::delete(t::table.filter(t::last_failure_at.lt(now - Duration::minutes(FORGET_AFTER_MINUTES)))).execute(conn)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_delay_grows_after_the_free_failures_and_stops_at_its_cap() {
        assert_eq!(delay(PAIR, 1), Duration::zero());
        assert_eq!(delay(PAIR, 3), Duration::zero());
        assert_eq!(delay(PAIR, 4), Duration::seconds(1));
        assert_eq!(delay(PAIR, 7), Duration::seconds(8));
        assert_eq!(delay(PAIR, 60), Duration::minutes(15));
        assert_eq!(delay(LOGIN, 29), Duration::zero());
        assert_eq!(delay(LOGIN, 100), Duration::seconds(60));
    }

    #[test]
    fn keys_hold_no_login_nor_address() {
        let attempt = Attempt::new("Claire.Martin", "192.0.2.7".parse().ok());
        assert_eq!(attempt.keys.len(), 3);
        assert!(attempt.keys.iter().all(|(k, _)| !k.contains("claire") && !k.contains("192.0.2.7")));
        assert_eq!(Attempt::new("claire.martin", None).keys[0].0, attempt.keys[0].0);
    }
}
