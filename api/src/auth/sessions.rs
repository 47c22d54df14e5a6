//! Browser sessions: one-time refresh tokens (RFC 6749 §6), rotated at every use and kept in
//! families (OAuth 2.0 Security BCP, RFC 9700 §4.14.2). A token presented a second time means
//! it was copied: the whole session ends, for the thief and the coordinator alike. A session
//! also ends after a time without refresh (the coordinator left the desk), after a working day
//! at most, at sign-out, and when the account's credentials change.
//!
//! The token travels only in an `HttpOnly`, `Secure`, `SameSite=Strict` cookie scoped to the
//! token endpoint: page scripts never see it, other sites cannot send it. Only its SHA-256
//! hash is stored.

use actix_web::cookie::{Cookie, SameSite, time};
use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;

use super::secrets::{hash_client_secret, random_token};
use crate::db::DbConnection;
use crate::db::schema::{organisations, refresh_tokens, sessions, users};
use crate::error::ApiResult;

/// The cookie carrying the refresh token.
pub const COOKIE: &str = "relais_refresh";
/// Where the browser sends it: the token endpoint and its revocation.
pub const COOKIE_PATH: &str = "/api/v1/auth/token";

/// How long sessions last.
#[derive(Debug, Clone, Copy)]
pub struct SessionPolicy {
    /// Without a refresh for this long, the session ends.
    pub idle: Duration,
    /// A session never lasts longer than this, however active.
    pub max: Duration,
}

impl SessionPolicy {
    pub const DEFAULT_IDLE_MINUTES: u32 = 30;
    pub const DEFAULT_MAX_HOURS: u32 = 12;

    pub fn new(idle_minutes: u32, max_hours: u32) -> Self {
        SessionPolicy { idle: Duration::minutes(i64::from(idle_minutes.max(1))), max: Duration::hours(i64::from(max_hours.max(1))) }
    }

    /// The cookie that carries a refresh token, living as long as the session may stay idle.
    pub fn cookie(&self, token: String) -> Cookie<'static> {
        Cookie::build(COOKIE, token)
            .path(COOKIE_PATH)
            .http_only(true)
            .secure(true)
            .same_site(SameSite::Strict)
            .max_age(time::Duration::seconds(self.idle.num_seconds()))
            .finish()
    }
}

impl Default for SessionPolicy {
    fn default() -> Self {
        Self::new(Self::DEFAULT_IDLE_MINUTES, Self::DEFAULT_MAX_HOURS)
    }
}

/// The cookie that makes the browser forget the refresh token.
pub fn removal_cookie() -> Cookie<'static> {
    let mut cookie = Cookie::build(COOKIE, "").path(COOKIE_PATH).http_only(true).secure(true).same_site(SameSite::Strict).finish();
    cookie.make_removal();
    cookie
}

/// What presenting a refresh token led to.
#[derive(Debug)]
pub enum Rotation {
    /// A new token of the same session, for this user and these scopes.
    Rotated { token: String, session_id: String, user_id: String, scopes: String },
    /// The session is over (why, for the answer), or was never known; the user it was, if any.
    Ended { why: &'static str, session_id: Option<String>, user_id: Option<String>, reused: bool },
}

/// Opens a session for a user who just signed in; returns its first refresh token. Sessions
/// past their end are deleted by the daily retention run (`purge_expired`).
pub fn open(
    conn: &mut DbConnection,
    policy: &SessionPolicy,
    user_id: &str,
    scopes: &str,
    ver: i32,
    now: NaiveDateTime,
) -> ApiResult<String> {
    let session_id = uuid::Uuid::new_v4().to_string();
    diesel::insert_into(sessions::table)
        .values((
            sessions::id.eq(&session_id),
            sessions::user_id.eq(user_id),
            sessions::scopes.eq(scopes),
            sessions::credentials_version.eq(ver),
            sessions::created_at.eq(now),
            sessions::expires_at.eq(now + policy.max),
        ))
        .execute(conn)?;
    issue(conn, policy, &session_id, now, now + policy.max)
}

fn issue(conn: &mut DbConnection, policy: &SessionPolicy, session_id: &str, now: NaiveDateTime, ends: NaiveDateTime) -> ApiResult<String> {
    let token = random_token()?;
    diesel::insert_into(refresh_tokens::table)
        .values((
            refresh_tokens::token_hash.eq(hash_client_secret(&token)),
            refresh_tokens::session_id.eq(session_id),
            refresh_tokens::issued_at.eq(now),
            refresh_tokens::idle_until.eq((now + policy.idle).min(ends)),
        ))
        .execute(conn)?;
    Ok(token)
}

/// Deletes every session past its end, with its tokens (the daily retention run): what a
/// user who never signs in again left behind.
pub fn purge_expired(conn: &mut DbConnection, now: NaiveDateTime) -> ApiResult<usize> {
    let expired = sessions::table.filter(sessions::expires_at.lt(now)).select(sessions::id);
    diesel::delete(refresh_tokens::table.filter(refresh_tokens::session_id.eq_any(expired))).execute(conn)?;
    Ok(diesel::delete(sessions::table.filter(sessions::expires_at.lt(now))).execute(conn)?)
}

type Presented = (String, NaiveDateTime, Option<NaiveDateTime>, String, String, i32, NaiveDateTime, Option<NaiveDateTime>);

/// Trades a refresh token for the next one of its session, or ends the session. Run in a
/// write transaction: the ending must be committed even though the caller answers an error.
pub fn rotate(conn: &mut DbConnection, policy: &SessionPolicy, presented: &str, now: NaiveDateTime) -> ApiResult<Rotation> {
    let hash = hash_client_secret(presented);
    let found: Option<Presented> = refresh_tokens::table
        .inner_join(sessions::table)
        .filter(refresh_tokens::token_hash.eq(&hash))
        .select((
            sessions::id,
            refresh_tokens::idle_until,
            refresh_tokens::used_at,
            sessions::user_id,
            sessions::scopes,
            sessions::credentials_version,
            sessions::expires_at,
            sessions::ended_at,
        ))
        .first(conn)
        .optional()?;
    let Some((session_id, idle_until, used_at, user_id, scopes, ver, expires_at, ended_at)) = found else {
        return Ok(Rotation::Ended { why: "The session is unknown", session_id: None, user_id: None, reused: false });
    };
    let ended = |conn: &mut DbConnection, why: &'static str, reason: &str, reused: bool| -> ApiResult<Rotation> {
        end_session(conn, &session_id, reason, now)?;
        Ok(Rotation::Ended { why, session_id: Some(session_id.clone()), user_id: Some(user_id.clone()), reused })
    };
    if ended_at.is_some() {
        return Ok(Rotation::Ended {
            why: "The session has ended",
            session_id: Some(session_id.clone()),
            user_id: Some(user_id),
            reused: false,
        });
    }
    // Conditional: of two uses of one token, even at the same instant, the second finds it used.
    let first_use = used_at.is_none()
        && diesel::update(refresh_tokens::table.find(&hash).filter(refresh_tokens::used_at.is_null()))
            .set(refresh_tokens::used_at.eq(now))
            .execute(conn)?
            == 1;
    if !first_use {
        log::warn!("refresh token reused: session {session_id} ended");
        return ended(conn, "The refresh token was already used: the session is ended", "reuse", true);
    }
    if idle_until <= now || expires_at <= now {
        return ended(conn, "The session expired", "expired", false);
    }
    if !account_unchanged(conn, &user_id, ver)? {
        return ended(conn, "The account changed since the session began", "revoked", false);
    }
    let token = issue(conn, policy, &session_id, now, expires_at)?;
    Ok(Rotation::Rotated { token, session_id, user_id, scopes })
}

/// The user is still active, in an active organisation, under the same credentials.
fn account_unchanged(conn: &mut DbConnection, user_id: &str, ver: i32) -> ApiResult<bool> {
    let still = users::table
        .inner_join(organisations::table)
        .filter(users::id.eq(user_id))
        .filter(users::active.eq(true))
        .filter(organisations::active.eq(true))
        .filter(users::credentials_version.eq(ver))
        .filter(users::must_change_password.eq(false));
    Ok(diesel::select(diesel::dsl::exists(still)).get_result(conn)?)
}

/// Ends the session a refresh token belongs to (sign-out); returns its user and id when it
/// was live.
pub fn end(conn: &mut DbConnection, presented: &str, now: NaiveDateTime) -> ApiResult<Option<(String, String)>> {
    let found: Option<(String, String)> = refresh_tokens::table
        .inner_join(sessions::table)
        .filter(refresh_tokens::token_hash.eq(hash_client_secret(presented)))
        .select((sessions::user_id, sessions::id))
        .first(conn)
        .optional()?;
    match found {
        Some((user_id, session_id)) if end_session(conn, &session_id, "sign_out", now)? => Ok(Some((user_id, session_id))),
        _ => Ok(None),
    }
}

/// Ends a live session; false when it had ended already.
fn end_session(conn: &mut DbConnection, session_id: &str, reason: &str, now: NaiveDateTime) -> ApiResult<bool> {
    let ended = diesel::update(sessions::table.find(session_id).filter(sessions::ended_at.is_null()))
        .set((sessions::ended_at.eq(now), sessions::end_reason.eq(reason)))
        .execute(conn)?;
    Ok(ended == 1)
}
