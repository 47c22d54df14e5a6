//! `POST /api/v1/auth/token` (RFC 6749): `password` grant for users, `client_credentials` for
//! API clients; and the public keys at `/.well-known/jwks.json`.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::keys::JwkSet;
use super::scope::{Scope, join_scopes, parse_scopes};
use super::secrets::{constant_time_eq, dummy_password_hash, hash_client_secret, verify_password};
use crate::db::schema::{api_clients, organisations, users};
use crate::error::{ApiError, ApiResult, Problem};
use crate::state::AppState;

/// Form fields of a token request (`application/x-www-form-urlencoded`).
#[derive(Debug, Deserialize, ToSchema)]
#[schema(example = json!({"grant_type": "password", "username": "coordination", "password": "relais-demo-2026"}))]
pub struct TokenRequest {
    /// `password` or `client_credentials`.
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
}

/// An account that may receive a token.
struct Principal {
    sub: String,
    org: String,
    granted: Vec<Scope>,
}

/// Issue an access token.
///
/// Users sign in with the `password` grant, API clients (e.g. a police municipale's software)
/// with `client_credentials`. Repeated failures for one login or client answer 429.
#[utoipa::path(
    tag = "auth",
    request_body(content = TokenRequest, content_type = "application/x-www-form-urlencoded"),
    responses(
        (status = 200, description = "Token issued", body = TokenResponse),
        (status = 400, description = "Malformed request, wrong credentials (`invalid_grant`), unsupported grant or scope", body = Problem, content_type = "application/problem+json"),
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
    let (limiter_key, principal) = match form.grant_type.as_str() {
        "password" => {
            let login = form.username.clone().unwrap_or_default();
            let key = format!("user:{login}");
            check_not_blocked(&state, &key)?;
            (key, password_principal(&state, login, form.password.unwrap_or_default()).await?)
        }
        "client_credentials" => {
            let (id, secret) = client_credentials(&req, &form)?;
            let key = format!("client:{id}");
            check_not_blocked(&state, &key)?;
            (key, client_principal(&state, id, secret).await?)
        }
        _ => return Err(ApiError::UnsupportedGrantType),
    };
    let Some(principal) = principal else {
        state.sign_in_failures.record_failure(&limiter_key);
        log::warn!("failed sign-in ({})", form.grant_type);
        return Err(ApiError::InvalidGrant);
    };
    state.sign_in_failures.record_success(&limiter_key);
    let scopes = requested_scopes(form.scope.as_deref(), &principal.granted)?;
    let ttl = state.tokens.default_ttl_seconds;
    let access_token = state.tokens.issue(&principal.sub, &principal.org, &scopes, ttl)?;
    Ok(HttpResponse::Ok().insert_header((header::CACHE_CONTROL, "no-store")).json(TokenResponse {
        access_token,
        token_type: "Bearer".into(),
        expires_in: ttl,
        scope: join_scopes(&scopes),
    }))
}

fn check_not_blocked(state: &AppState, key: &str) -> ApiResult<()> {
    match state.sign_in_failures.blocked_for(key) {
        Some(retry_after_secs) => Err(ApiError::TooManyRequests { retry_after_secs }),
        None => Ok(()),
    }
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

async fn password_principal(state: &AppState, login: String, password: String) -> ApiResult<Option<Principal>> {
    let account = state
        .db
        .run(move |conn| {
            Ok(users::table
                .inner_join(organisations::table)
                .filter(users::login.eq(login))
                .filter(users::active.eq(true))
                .filter(organisations::active.eq(true))
                .select((users::id, users::organisation_id, users::password_hash, users::scopes))
                .first::<(String, String, String, String)>(conn)
                .optional()?)
        })
        .await?;
    // Argon2 is CPU-heavy: off the async workers, and run even for unknown logins.
    let hash = account.as_ref().map_or_else(|| dummy_password_hash().to_owned(), |a| a.2.clone());
    let verified = web::block(move || verify_password(&password, &hash)).await.map_err(ApiError::internal)?;
    match account {
        Some((sub, org, _, scopes)) if verified => {
            Ok(Some(Principal { sub, org, granted: parse_scopes(&scopes).map_err(ApiError::internal)? }))
        }
        _ => Ok(None),
    }
}

async fn client_principal(state: &AppState, id: String, secret: String) -> ApiResult<Option<Principal>> {
    let client = state
        .db
        .run(move |conn| {
            Ok(api_clients::table
                .inner_join(organisations::table)
                .filter(api_clients::id.eq(id))
                .filter(api_clients::active.eq(true))
                .filter(organisations::active.eq(true))
                .select((api_clients::id, api_clients::organisation_id, api_clients::secret_hash, api_clients::scopes))
                .first::<(String, String, String, String)>(conn)
                .optional()?)
        })
        .await?;
    match client {
        Some((sub, org, stored, scopes)) if constant_time_eq(&stored, &hash_client_secret(&secret)) => {
            Ok(Some(Principal { sub, org, granted: parse_scopes(&scopes).map_err(ApiError::internal)? }))
        }
        _ => Ok(None),
    }
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
