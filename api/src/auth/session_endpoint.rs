//! The browser session's side of the token endpoint: the `refresh_token` grant, and sign-out
//! at `POST /api/v1/auth/token/revoke` (the session store is `sessions`).

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, post, web};

use super::scope::{Scope, join_scopes, parse_scopes};
use super::sessions;
use super::token_endpoint::{TokenResponse, UserKey, find_user, log_sign_in};
use crate::audit::{Action, Actor, Outcome, Record, Trail};
use crate::error::{ApiError, ApiResult, Problem};
use crate::state::AppState;

const REFRESH: &str = "auth.refresh";

/// The `refresh_token` grant: the cookie's token for a new access token and the next refresh
/// token. An ended session answers `invalid_grant` and clears the cookie.
pub(super) async fn refresh(req: &HttpRequest, state: &AppState) -> ApiResult<HttpResponse> {
    let Some(presented) = presented(req) else {
        return Err(ApiError::SessionEnded("No session: sign in again"));
    };
    let (policy, now) = (state.sessions, state.clock.now());
    let rotation = state.db.transaction(move |conn| sessions::rotate(conn, &policy, &presented, now)).await?;
    let (token, session_id, user_id, scopes) = match rotation {
        sessions::Rotation::Rotated { token, session_id, user_id, scopes } => (token, session_id, user_id, scopes),
        sessions::Rotation::Ended { why, session_id, user_id, reused } => {
            let outcome = if reused { Outcome::Failure } else { Outcome::Refused };
            log_session(state, user_id, REFRESH, session_id.as_deref(), outcome).await?;
            let mut refused = actix_web::ResponseError::error_response(&ApiError::SessionEnded(why));
            refused.add_cookie(&sessions::removal_cookie()).map_err(ApiError::internal)?;
            return Ok(refused);
        }
    };
    let Some((account, _)) = find_user(state, UserKey::Id(user_id)).await? else {
        return Err(ApiError::SessionEnded("The account changed since the session began"));
    };
    // The session's scopes, less any the account lost meanwhile.
    let scopes: Vec<Scope> =
        parse_scopes(&scopes).map_err(ApiError::internal)?.into_iter().filter(|s| account.granted.contains(s)).collect();
    let ttl = state.tokens.default_ttl_seconds;
    let (access_token, token_id) = state.tokens.issue_with_id(&account.sub, &account.org, &scopes, ttl, account.ver)?;
    log::info!("session {session_id} refreshed");
    log_sign_in(state, account.actor(state.clock.now()), REFRESH, Some(&token_id), Outcome::Success).await?;
    Ok(HttpResponse::Ok().insert_header((header::CACHE_CONTROL, "no-store")).cookie(state.sessions.cookie(token)).json(TokenResponse {
        access_token,
        token_type: "Bearer".into(),
        expires_in: ttl,
        scope: join_scopes(&scopes),
        refresh_expires_in: Some(state.sessions.idle.num_seconds()),
    }))
}

/// Sign out: end the browser's session.
///
/// Ends the session of the `relais_refresh` cookie (its refresh tokens no longer work) and
/// clears the cookie; access tokens already issued expire on their own within minutes. Always
/// 204, with or without a session (RFC 7009 §2.2).
#[utoipa::path(
    tag = "auth",
    params(("relais_refresh" = Option<String>, Cookie, description = "The session's refresh token")),
    responses(
        (status = 204, description = "Signed out; the cookie is cleared", headers(("Set-Cookie" = String, description = "Clears the refresh token"))),
        (status = 503, description = "Database unavailable", body = Problem, content_type = "application/problem+json"),
    ),
    security(())
)]
#[post("/api/v1/auth/token/revoke")]
pub async fn sign_out(req: HttpRequest, state: web::Data<AppState>) -> ApiResult<HttpResponse> {
    if let Some(presented) = presented(&req) {
        let now = state.clock.now();
        let ended = state.db.transaction(move |conn| sessions::end(conn, &presented, now)).await?;
        if let Some((user_id, session_id)) = ended {
            log_session(&state, Some(user_id), "auth.sign_out", Some(&session_id), Outcome::Success).await?;
        }
    }
    Ok(HttpResponse::NoContent().insert_header((header::CACHE_CONTROL, "no-store")).cookie(sessions::removal_cookie()).finish())
}

/// The refresh token the browser sent, if any.
fn presented(req: &HttpRequest) -> Option<String> {
    req.cookie(sessions::COOKIE).map(|c| c.value().to_owned()).filter(|v| !v.is_empty())
}

/// A session event in the access log, under the session's user when still known.
async fn log_session(
    state: &AppState,
    user_id: Option<String>,
    action: &'static str,
    session_id: Option<&str>,
    outcome: Outcome,
) -> ApiResult<()> {
    let account = match user_id {
        Some(id) => find_user(state, UserKey::Id(id)).await?,
        None => None,
    };
    let now = state.clock.now();
    let actor = account.map_or_else(|| Actor::anonymous(now), |(account, _)| account.actor(now));
    let what = Action { action, object_type: "session", object_id: session_id };
    state.access_log.append(Trail::of(Record::by(actor, what, outcome))).await
}
