//! `Idempotency-Key` on creation: the municipal police's software retries, and a retry must
//! not create a second referral. The key maps to the resource the first request created.

use actix_web::HttpRequest;
use diesel::prelude::*;
use sha2::{Digest, Sha256};

use crate::auth::secrets::hex;
use crate::db::DbConnection;
use crate::db::schema::idempotency_keys;
use crate::error::{ApiError, ApiResult};

pub const HEADER: &str = "Idempotency-Key";

/// The key, when the request carries one: 1 to 200 visible ASCII characters.
pub fn key_of(req: &HttpRequest) -> ApiResult<Option<String>> {
    let Some(value) = req.headers().get(HEADER) else { return Ok(None) };
    let key = value.to_str().ok().map(str::trim).unwrap_or_default();
    if key.is_empty() || key.len() > 200 || !key.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(ApiError::BadRequest("Idempotency-Key must be 1 to 200 visible ASCII characters".into()));
    }
    Ok(Some(key.to_owned()))
}

pub fn request_hash(body: &impl serde::Serialize) -> ApiResult<String> {
    let bytes = serde_json::to_vec(body).map_err(ApiError::internal)?;
    Ok(hex(&Sha256::digest(&bytes)))
}

/// The resource created earlier under this key, if any; 422 when the key was used for
/// another body.
pub fn replayed(conn: &mut DbConnection, org_id: &str, key: &str, hash: &str) -> ApiResult<Option<String>> {
    let stored: Option<(String, String)> = idempotency_keys::table
        .filter(idempotency_keys::organisation_id.eq(org_id))
        .filter(idempotency_keys::idempotency_key.eq(key))
        .select((idempotency_keys::request_hash, idempotency_keys::resource_id))
        .first(conn)
        .optional()?;
    match stored {
        Some((stored_hash, resource_id)) if stored_hash == hash => Ok(Some(resource_id)),
        Some(_) => Err(ApiError::Validation(vec![crate::error::FieldError::new(
            HEADER,
            "reused",
            "this Idempotency-Key was already used with a different request body",
        )])),
        None => Ok(None),
    }
}

pub fn remember(
    conn: &mut DbConnection,
    org_id: &str,
    key: &str,
    hash: &str,
    resource_id: &str,
    now: chrono::NaiveDateTime,
) -> ApiResult<()> {
    diesel::insert_into(idempotency_keys::table)
        .values((
            idempotency_keys::organisation_id.eq(org_id),
            idempotency_keys::idempotency_key.eq(key),
            idempotency_keys::request_hash.eq(hash),
            idempotency_keys::resource_id.eq(resource_id),
            idempotency_keys::created_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}
