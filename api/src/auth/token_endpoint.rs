//! `POST /api/v1/auth/token` (RFC 6749): `password` grant for users, `refresh_token` for their
//! browser sessions (handled in `session_endpoint`, with sign-out), `client_credentials` for API
//! clients; and the public keys at `/.well-known/jwks.json`.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use std::sync::Arc;

use super::keys::JwkSet;
use super::scope::{Scope, join_scopes, parse_scopes};
use super::secrets::{constant_time_eq, dummy_password_hash, hash_client_secret, verify_password};
use super::sessions;
use super::throttle::Attempt as Throttled;
use crate::audit::{Action, Actor, Outcome, Record, Trail};
use crate::db::schema::{api_clients, organisations, users};
use crate::error::{ApiError, ApiResult, Problem};
use crate::state::AppState;

/// Form fields of a token request (`application/x-www-form-urlencoded`).
#[derive(Debug, Deserialize, ToSchema)]
#[schema(example = json!({"grant_type": "password", "username": "coordination", "password": "relais-demo-2026"}))]
pub struct TokenRequest {
    /// `password`, `refresh_token` (the refresh token travels in the `relais_refresh` cookie,
    /// never in the form) or `client_credentials`.
    #[schema(example = "password")]
    pub grant_type: String,
    /// Login, for the `password` grant.
    #[schema(example = "coordinatrice")]
    pub username: Option<String>,
    /// Password, for the `password` grant.
    #[schema(example = "demo-relais-2026")]
    pub password: Option<String>,
    /// For `client_credentials`, unless sent with HTTP Basic authentication.
    pub client_id: Option<String>,
    /// For `client_credentials`, unless sent with HTTP Basic authentication.
    pub client_secret: Option<String>,
    /// Space-separated subset of the granted scopes; all of them when absent.
    pub scope: Option<String>,
}

/// A successful token answer (RFC 6749 §5.1).
#[derive(Debug, Serialize, ToSchema)]
pub struct TokenResponse {
    /// JWT access token (RFC 9068), signed with EdDSA.
    pub access_token: String,
    #[schema(example = "Bearer")]
    pub token_type: String,
    /// Lifetime in seconds.
    #[schema(example = 900)]
    pub expires_in: i64,
    /// The scopes granted, space-separated.
    #[schema(example = "ccas")]
    pub scope: String,
    /// For a user's session: seconds it survives without a refresh. The refresh token itself
    /// is set in the `relais_refresh` cookie (`HttpOnly`, `Secure`, `SameSite=Strict`).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(example = 1800)]
    pub refresh_expires_in: Option<i64>,
}

/// The account a sign-in names, as stored.
pub(super) struct Account {
    pub(super) sub: String,
    pub(super) org: String,
    /// The trail its sign-ins go to.
    ccas_id: String,
    pub(super) granted: Vec<Scope>,
    /// The credentials version its tokens carry.
    pub(super) ver: i32,
    must_change_password: bool,
}

impl Account {
    pub(super) fn actor(&self, at: chrono::NaiveDateTime) -> Actor {
        Actor {
            sub: self.sub.clone(),
            organisation_id: self.org.clone(),
            ccas_id: Some(self.ccas_id.clone()),
            scope: join_scopes(&self.granted),
            at,
        }
    }
}

/// A sign-in: the account it names, if any, and whether the credentials were right.
struct Attempt {
    account: Option<Account>,
    verified: bool,
}

/// Issue an access token.
///
/// Users sign in with the `password` grant, which also opens a session: a one-time refresh
/// token in the `relais_refresh` cookie (`HttpOnly`, `Secure`, `SameSite=Strict`, path
/// `/api/v1/auth/token`). The `refresh_token` grant trades it for a new access token and the
/// session's next refresh token; a refresh token presented twice ends its whole session, as do
/// inactivity (`RELAIS_SESSION_IDLE_MINUTES`, 30 by default), the session's maximum length
/// (`RELAIS_SESSION_MAX_HOURS`, 12), a credentials change and sign-out. API clients (e.g. a
/// police municipale's software) use `client_credentials`. Repeated failures for one login or client answer 429. A user
/// whose password an administrator set answers 400 `password_change_required` until they
/// choose their own (`POST /api/v1/auth/password`). Every sign-in, failed or not, and every
/// token issued is recorded in the access log (never the password).
#[utoipa::path(
    tag = "auth",
    params(("relais_refresh" = Option<String>, Cookie, description = "The session's refresh token, for the `refresh_token` grant")),
    request_body(content = TokenRequest, content_type = "application/x-www-form-urlencoded"),
    responses(
        (status = 200, description = "Token issued", body = TokenResponse, headers(("Set-Cookie" = String, description = "The session's next refresh token (`password` and `refresh_token` grants)"))),
        (status = 400, description = "Malformed request, wrong credentials or an ended session (`invalid_grant`), a password to change first (`password_change_required`), unsupported grant or scope", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body too large", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not form-encoded", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many failed attempts", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database unavailable", body = Problem, content_type = "application/problem+json"),
    ),
    security(())
)]
#[post("/api/v1/auth/token")]
pub async fn issue_token(req: HttpRequest, form: web::Form<TokenRequest>, state: web::Data<AppState>) -> ApiResult<HttpResponse> {
    let form = form.into_inner();
    let from = crate::http::client_address(&req, &state.trusted_proxies);
    let (action, throttled, attempt) = match form.grant_type.as_str() {
        "password" => {
            let login = form.username.clone().unwrap_or_default();
            let throttled = reserve(&state, Throttled::new(&login, from), SIGN_IN).await?;
            (SIGN_IN, throttled, password_attempt(&state, login, form.password.clone().unwrap_or_default()).await?)
        }
        "refresh_token" => return super::session_endpoint::refresh(&req, &state).await,
        "client_credentials" => {
            let (id, secret) = client_credentials(&req, &form)?;
            let throttled = reserve(&state, Throttled::new(&format!("client:{id}"), from), CLIENT_SIGN_IN).await?;
            (CLIENT_SIGN_IN, throttled, client_attempt(&state, id, secret).await?)
        }
        _ => return Err(ApiError::UnsupportedGrantType),
    };
    let account = match attempt {
        Attempt { account: Some(account), verified: true } => account,
        Attempt { account, .. } => return Err(wrong_credentials(&state, account.as_ref(), action).await),
    };
    succeeded(&state, throttled).await?;
    let now = state.clock.now();
    if account.must_change_password {
        log_sign_in(&state, account.actor(now), action, None, Outcome::Refused).await?;
        return Err(ApiError::PasswordChangeRequired);
    }
    let scopes = requested_scopes(form.scope.as_deref(), &account.granted)?;
    let ttl = state.tokens.default_ttl_seconds;
    let (access_token, token_id) = state.tokens.issue_with_id(&account.sub, &account.org, &scopes, ttl, account.ver)?;
    log_sign_in(&state, account.actor(now), action, Some(&token_id), Outcome::Success).await?;
    let mut answer = HttpResponse::Ok();
    answer.insert_header((header::CACHE_CONTROL, "no-store"));
    let mut refresh_expires_in = None;
    if action == SIGN_IN {
        let (policy, sub, granted, ver) = (state.sessions, account.sub.clone(), join_scopes(&scopes), account.ver);
        let refresh = state.db.transaction(move |conn| sessions::open(conn, &policy, &sub, &granted, ver, now)).await?;
        answer.cookie(state.sessions.cookie(refresh));
        refresh_expires_in = Some(state.sessions.idle.num_seconds());
    }
    Ok(answer.json(TokenResponse {
        access_token,
        token_type: "Bearer".into(),
        expires_in: ttl,
        scope: join_scopes(&scopes),
        refresh_expires_in,
    }))
}

const SIGN_IN: &str = "auth.sign_in";
const CLIENT_SIGN_IN: &str = "auth.client_sign_in";

/// A sign-in in the access log: the token issued (its `jti`) when it succeeded.
pub(super) async fn log_sign_in(
    state: &AppState,
    actor: Actor,
    action: &'static str,
    token_id: Option<&str>,
    outcome: Outcome,
) -> ApiResult<()> {
    let what = Action { action, object_type: "token", object_id: token_id };
    state.access_log.append(Trail::of(Record::by(actor, what, outcome))).await
}

/// Wrong credentials (the attempt was counted before the check): recorded, under the account
/// they named if any, and answered `invalid_grant`.
pub(super) async fn wrong_credentials(state: &AppState, account: Option<&Account>, action: &'static str) -> ApiError {
    log::warn!("wrong credentials ({action})");
    let now = state.clock.now();
    let actor = account.map_or_else(|| Actor::anonymous(now), |account| account.actor(now));
    match log_sign_in(state, actor, action, None, Outcome::Failure).await {
        Ok(()) => ApiError::InvalidGrant,
        Err(unrecorded) => unrecorded,
    }
}

/// Counts the attempt before any password is checked; a slowed-down key answers 429, recorded.
pub(super) async fn reserve(state: &AppState, attempt: Throttled, action: &'static str) -> ApiResult<Arc<Throttled>> {
    let attempt = Arc::new(attempt);
    let counting = attempt.clone();
    let now = state.clock.now();
    match state.db.run(move |conn| counting.reserve(conn, now)).await {
        Err(refused @ ApiError::TooManyRequests { .. }) => {
            log_sign_in(state, Actor::anonymous(now), action, None, Outcome::Refused).await?;
            Err(refused)
        }
        other => other.map(|()| attempt),
    }
}

/// Right credentials: the login's throttling starts afresh.
pub(super) async fn succeeded(state: &AppState, attempt: Arc<Throttled>) -> ApiResult<()> {
    state.db.run(move |conn| attempt.succeeded(conn)).await
}

fn requested_scopes(requested: Option<&str>, granted: &[Scope]) -> ApiResult<Vec<Scope>> {
    let Some(requested) = requested.filter(|r| !r.trim().is_empty()) else {
        return Ok(granted.to_vec());
    };
    let scopes = parse_scopes(requested).map_err(ApiError::InvalidScope)?;
    match scopes.iter().find(|s| !granted.contains(s)) {
        Some(s) => Err(ApiError::InvalidScope(format!("The scope {s} is not granted to this account"))),
        None => Ok(scopes),
    }
}

/// Client id and secret from HTTP Basic authentication (preferred by RFC 6749) or the form.
fn client_credentials(req: &HttpRequest, form: &TokenRequest) -> ApiResult<(String, String)> {
    if let Some(value) = req.headers().get(header::AUTHORIZATION) {
        let encoded = value
            .to_str()
            .ok()
            .and_then(|v| v.strip_prefix("Basic "))
            .ok_or_else(|| ApiError::BadRequest("Client authentication must use HTTP Basic".into()))?;
        let decoded = STANDARD
            .decode(encoded.trim())
            .ok()
            .and_then(|bytes| String::from_utf8(bytes).ok())
            .ok_or_else(|| ApiError::BadRequest("Malformed HTTP Basic credentials".into()))?;
        let (id, secret) = decoded.split_once(':').ok_or_else(|| ApiError::BadRequest("Malformed HTTP Basic credentials".into()))?;
        return Ok((id.to_owned(), secret.to_owned()));
    }
    match (&form.client_id, &form.client_secret) {
        (Some(id), Some(secret)) => Ok((id.clone(), secret.clone())),
        _ => Err(ApiError::BadRequest("client_id and client_secret are required".into())),
    }
}

type UserRow = (String, String, Option<String>, String, String, i32, bool);

/// How a user is named: by the login typed at sign-in, or by id (a session's user).
pub(super) enum UserKey {
    Login(String),
    Id(String),
}

/// The active user of an active organisation with this login or id, and its password hash.
pub(super) async fn find_user(state: &AppState, key: UserKey) -> ApiResult<Option<(Account, String)>> {
    let row: Option<UserRow> = state
        .db
        .run(move |conn| {
            let named = users::table.inner_join(organisations::table).into_boxed();
            let named = match key {
                UserKey::Login(login) => named.filter(users::login.eq(login)),
                UserKey::Id(id) => named.filter(users::id.eq(id)),
            };
            Ok(named
                .filter(users::active.eq(true))
                .filter(organisations::active.eq(true))
                .select((
                    users::id,
                    users::organisation_id,
                    organisations::ccas_id,
                    users::password_hash,
                    users::scopes,
                    users::credentials_version,
                    users::must_change_password,
                ))
                .first(conn)
                .optional()?)
        })
        .await?;
    let Some((sub, org, ccas_id, hash, scopes, ver, must_change_password)) = row else { return Ok(None) };
    let account = Account {
        ccas_id: ccas_id.unwrap_or_else(|| org.clone()),
        sub,
        org,
        granted: parse_scopes(&scopes).map_err(ApiError::internal)?,
        ver,
        must_change_password,
    };
    Ok(Some((account, hash)))
}

/// Checks a password against the account's hash: Argon2 is CPU-heavy, so off the async
/// workers, and run even for unknown logins (the answer takes as long).
pub(super) async fn password_matches(state: &AppState, password: String, hash: Option<String>) -> ApiResult<bool> {
    let hash = hash.unwrap_or_else(|| dummy_password_hash().to_owned());
    state.check_password(move || verify_password(&password, &hash)).await
}

async fn password_attempt(state: &AppState, login: String, password: String) -> ApiResult<Attempt> {
    let found = find_user(state, UserKey::Login(login)).await?;
    let (account, hash) = found.map_or((None, None), |(account, hash)| (Some(account), Some(hash)));
    let verified = password_matches(state, password, hash).await?;
    Ok(Attempt { account, verified })
}

async fn client_attempt(state: &AppState, id: String, secret: String) -> ApiResult<Attempt> {
    let client: Option<(String, String, Option<String>, String, String)> = state
        .db
        .run(move |conn| {
            Ok(api_clients::table
                .inner_join(organisations::table)
                .filter(api_clients::id.eq(id))
                .filter(api_clients::active.eq(true))
                .filter(organisations::active.eq(true))
                .select((
                    api_clients::id,
                    api_clients::organisation_id,
                    organisations::ccas_id,
                    api_clients::secret_hash,
                    api_clients::scopes,
                ))
                .first(conn)
                .optional()?)
        })
        .await?;
    let Some((sub, org, ccas_id, stored, scopes)) = client else { return Ok(Attempt { account: None, verified: false }) };
    let verified = constant_time_eq(&stored, &hash_client_secret(&secret));
    // Case content is for people: a client created before that rule keeps only its other scopes.
    let granted = parse_scopes(&scopes).map_err(ApiError::internal)?.into_iter().filter(|s| s.allowed_to_clients()).collect();
    let account = Account { ccas_id: ccas_id.unwrap_or_else(|| org.clone()), sub, org, granted, ver: 0, must_change_password: false };
    Ok(Attempt { account: Some(account), verified })
}

/// The public keys that verify Relais access tokens (RFC 7517).
#[utoipa::path(
    tag = "auth",
    responses((status = 200, description = "JWK set", body = JwkSet)),
    security(())
)]
#[get("/.well-known/jwks.json")]
pub async fn jwks(state: web::Data<AppState>) -> HttpResponse {
    HttpResponse::Ok().insert_header((header::CACHE_CONTROL, "public, max-age=300")).json(state.tokens.keys.jwk_set())
}
