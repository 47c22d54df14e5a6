//! Access tokens: RFC 9068 JWT profile, signed with EdDSA, verified strictly.

use std::collections::HashMap;
use std::sync::Mutex;

use jsonwebtoken::{Algorithm, Header, Validation, decode, decode_header, encode};
use serde::{Deserialize, Serialize};

use super::keys::JwtKeys;
use super::scope::{Scope, join_scopes, parse_scopes};
use crate::clock::Clock;
use crate::error::ApiError;

pub const AUDIENCE: &str = "relais-api";
pub const TOKEN_TYPE: &str = "at+jwt";
/// Clock skew tolerated between the instances that issue and verify tokens.
pub const LEEWAY_SECONDS: u64 = 30;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Claims {
    pub iss: String,
    pub sub: String,
    pub aud: String,
    pub exp: i64,
    pub iat: i64,
    pub nbf: i64,
    pub jti: String,
    pub scope: String,
    /// The organisation the subject acts for.
    pub org: String,
    /// For a user: the version of its credentials when the token was issued. Changing or
    /// resetting the password bumps the version, which revokes every older token at once.
    #[serde(default)]
    pub ver: i32,
}

/// Signs tokens and checks them.
pub struct TokenService {
    pub keys: JwtKeys,
    pub issuer: String,
    pub default_ttl_seconds: i64,
    verified: Mutex<HashMap<String, (VerifiedToken, i64)>>,
    /// What "now" is for `iat`, `nbf` and `exp`: the application's clock (the state sets it).
    clock: Clock,
}

/// Tokens remembered as verified at the most; the memory is cleared when full (a few MB).
const VERIFIED_CACHE_SIZE: usize = 4_096;

/// What a valid token says.
#[derive(Debug, Clone)]
pub struct VerifiedToken {
    pub sub: String,
    pub org: String,
    pub scopes: Vec<Scope>,
    /// The credentials version the token was issued under.
    pub ver: i32,
}

impl TokenService {
    pub fn new(keys: JwtKeys, issuer: String, default_ttl_seconds: i64) -> Self {
        TokenService { keys, issuer, default_ttl_seconds, verified: Mutex::default(), clock: Clock::system() }
    }

    /// Issues and verifies as of `clock` (the application's one).
    pub fn with_clock(self, clock: Clock) -> Self {
        Self { clock, ..self }
    }

    pub fn issue(&self, sub: &str, org: &str, scopes: &[Scope], ttl_seconds: i64) -> Result<String, ApiError> {
        self.issue_with_id(sub, org, scopes, ttl_seconds, 0).map(|(token, _)| token)
    }

    /// Issues a token under a credentials version; returns it and its id (`jti`), which the
    /// access log records.
    pub fn issue_with_id(&self, sub: &str, org: &str, scopes: &[Scope], ttl_seconds: i64, ver: i32) -> Result<(String, String), ApiError> {
        let jti = super::secrets::random_token()?;
        let now = self.clock.timestamp();
        let claims = Claims {
            iss: self.issuer.clone(),
            sub: sub.to_owned(),
            aud: AUDIENCE.to_owned(),
            exp: now + ttl_seconds,
            iat: now,
            nbf: now,
            jti: jti.clone(),
            scope: join_scopes(scopes),
            org: org.to_owned(),
            ver,
        };
        let mut header = Header::new(Algorithm::EdDSA);
        header.typ = Some(TOKEN_TYPE.to_owned());
        header.kid = Some(self.keys.current.kid.clone());
        let token = encode(&header, &claims, &self.keys.encoding).map_err(ApiError::internal)?;
        Ok((token, jti))
    }

    /// Checks a token. A signature checked once is remembered until the token expires: the
    /// Ed25519 verification costs more than the rest of a small read, and a client sends the
    /// same token with every request. What may change meanwhile (the account, the organisation)
    /// is checked at every request by the caller's extractor.
    pub fn verify(&self, token: &str) -> Result<VerifiedToken, ApiError> {
        let now = self.clock.timestamp();
        let expiry = |exp: i64| exp.saturating_add(i64::try_from(LEEWAY_SECONDS).unwrap_or(0));
        if let Some((verified, exp)) = self.verified.lock().ok().and_then(|cache| cache.get(token).cloned())
            && now < expiry(exp)
        {
            return Ok(verified);
        }
        let (verified, exp) = self.verify_signature(token, now)?;
        if let Ok(mut cache) = self.verified.lock() {
            if cache.len() >= VERIFIED_CACHE_SIZE {
                cache.clear();
            }
            cache.insert(token.to_owned(), (verified.clone(), exp));
        }
        Ok(verified)
    }

    fn verify_signature(&self, token: &str, now: i64) -> Result<(VerifiedToken, i64), ApiError> {
        let invalid = |why: &str| ApiError::InvalidToken(why.to_owned());
        let header = decode_header(token).map_err(|_| invalid("The token is malformed"))?;
        if header.alg != Algorithm::EdDSA {
            return Err(invalid("The token is not signed with EdDSA"));
        }
        if !header.typ.as_deref().is_some_and(|t| t.eq_ignore_ascii_case(TOKEN_TYPE)) {
            return Err(invalid("The token type must be at+jwt"));
        }
        let mut validation = Validation::new(Algorithm::EdDSA);
        validation.set_required_spec_claims(&["exp", "nbf", "iss", "aud", "sub"]);
        validation.set_issuer(&[&self.issuer]);
        validation.set_audience(&[AUDIENCE]);
        // `exp` and `nbf` are required here and compared below with the application's clock:
        // jsonwebtoken would compare them with the machine's.
        validation.validate_exp = false;
        validation.validate_nbf = false;
        // A token signed before the last rotation names a previous key.
        let key = self.keys.verifier(header.kid.as_deref()).ok_or_else(|| invalid("The token is signed with an unknown key"))?;
        let data = decode::<Claims>(token, &key.decoding, &validation).map_err(|e| {
            log::debug!("token rejected: {:?}", e.kind());
            invalid("The token is invalid or expired")
        })?;
        let leeway = i64::try_from(LEEWAY_SECONDS).unwrap_or(0);
        if now >= data.claims.exp.saturating_add(leeway) || now < data.claims.nbf.saturating_sub(leeway) {
            return Err(invalid("The token is invalid or expired"));
        }
        let scopes = parse_scopes(&data.claims.scope).map_err(|_| invalid("The token carries an unknown scope"))?;
        Ok((VerifiedToken { sub: data.claims.sub, org: data.claims.org, scopes, ver: data.claims.ver }, data.claims.exp))
    }
}
