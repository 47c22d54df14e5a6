//! Text from outside, checked once for every route before a handler or the database sees it,
//! the same on SQLite and PostgreSQL (which refuses NUL where SQLite stores it):
//!
//! - ids in the path are UUIDs: any other answers 404 without a query;
//! - query parameters, JSON bodies and forms hold no control character (newline and tab only
//!   in long texts: notes, summaries, follow-ups), nor any invisible or direction-changing
//!   character (zero-width spaces, bidi overrides) that would make a name look like another:
//!   422 naming the field (`persons[0].last_name`);
//! - JSON strings are NFC-normalised, so that "é" typed as one character or as "e" and an
//!   accent is stored, searched and compared as one (passwords are left as typed);
//! - a body must arrive within [`BODY_TIMEOUT`] (408) and stay under the size limit (413);
//!   headers stay under 64 fields and 16 KiB (431).

use std::time::Duration;

use actix_web::HttpMessage;
use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::http::header;
use actix_web::middleware::Next;
use actix_web::web::Bytes;
use actix_web::{Error, ResponseError};
use futures_util::StreamExt;
use serde_json::Value;
use unicode_normalization::UnicodeNormalization;

use super::BODY_LIMIT;
use crate::error::{ApiError, FieldError};

/// A client that opened a request and sends its body no faster than this is cut off.
pub const BODY_TIMEOUT: Duration = Duration::from_secs(15);

/// Fields whose text may run over several lines.
const MULTILINE: [&str; 5] = ["body", "note", "notes", "summary", "outcome"];

/// Fields kept exactly as typed: a password normalised would no longer match its hash.
const VERBATIM: [&str; 4] = ["password", "current_password", "new_password", "client_secret"];

/// Headers a request may carry: far more than any browser or client sends, far less than what
/// would cost memory. (Beyond the HTTP parser's own limits, 128 KiB or 96 fields, it refuses
/// before this check runs; `http::connection` gives that refusal the same answer.)
const MAX_HEADER_FIELDS: usize = 64;
const MAX_HEADER_BYTES: usize = 16 * 1024;

pub async fn check_input(mut req: ServiceRequest, next: Next<impl MessageBody + 'static>) -> Result<ServiceResponse<BoxBody>, Error> {
    if let Err(refused) = check_headers(&req).and_then(|()| check_path(&req)).and_then(|()| check_query(req.query_string())) {
        return Ok(req.into_response(refused.error_response()));
    }
    if let Some(kind) = body_kind(&req) {
        match read_body(&mut req).await.and_then(|bytes| checked_body(kind, bytes)) {
            Ok(bytes) => req.set_payload(Payload::from(bytes)),
            Err(refused) => return Ok(req.into_response(refused.error_response())),
        }
    }
    Ok(next.call(req).await?.map_into_boxed_body())
}

fn check_headers(req: &ServiceRequest) -> Result<(), ApiError> {
    let headers = req.headers();
    let bytes: usize = headers.iter().map(|(name, value)| name.as_str().len() + value.len()).sum();
    if headers.len() > MAX_HEADER_FIELDS || bytes > MAX_HEADER_BYTES {
        return Err(ApiError::HeadersTooLarge);
    }
    Ok(())
}

fn check_path(req: &ServiceRequest) -> Result<(), ApiError> {
    let Some(pattern) = req.match_pattern() else { return Ok(()) };
    for (template, segment) in pattern.split('/').zip(req.path().split('/')) {
        let name = template.trim_start_matches('{').split([':', '}']).next().unwrap_or_default();
        if template.starts_with('{') && name.ends_with("id") && !is_id(segment) {
            return Err(ApiError::NotFound);
        }
    }
    Ok(())
}

/// Every id Relais makes is a UUID, written with hyphens.
fn is_id(segment: &str) -> bool {
    segment.len() == 36 && uuid::Uuid::try_parse(segment).is_ok()
}

fn check_query(query: &str) -> Result<(), ApiError> {
    if query.is_empty() {
        return Ok(());
    }
    let pairs: Vec<(String, String)> =
        serde_urlencoded::from_str(query).map_err(|_| ApiError::BadRequest("Malformed query string".into()))?;
    let errors: Vec<FieldError> = pairs.iter().filter_map(|(key, value)| refusal(key, &format!("{key}{value}"), false)).collect();
    if errors.is_empty() { Ok(()) } else { Err(ApiError::Validation(errors)) }
}

#[derive(Clone, Copy)]
enum BodyKind {
    Json,
    Form,
}

fn body_kind(req: &ServiceRequest) -> Option<BodyKind> {
    let content_type = req.headers().get(header::CONTENT_TYPE)?.to_str().ok()?.to_ascii_lowercase();
    let essence = content_type.split(';').next().unwrap_or_default().trim();
    if essence == "application/json" || essence.ends_with("+json") {
        Some(BodyKind::Json)
    } else if essence == "application/x-www-form-urlencoded" {
        Some(BodyKind::Form)
    } else {
        None
    }
}

async fn read_body(req: &mut ServiceRequest) -> Result<Bytes, ApiError> {
    let mut payload = req.take_payload();
    let read = async {
        let mut body = Vec::new();
        while let Some(chunk) = payload.next().await {
            let chunk = chunk.map_err(|e| ApiError::BadRequest(format!("Unreadable body: {e}")))?;
            if body.len() + chunk.len() > BODY_LIMIT {
                return Err(ApiError::PayloadTooLarge);
            }
            body.extend_from_slice(&chunk);
        }
        Ok(Bytes::from(body))
    };
    tokio::time::timeout(BODY_TIMEOUT, read).await.map_err(|_| ApiError::RequestTimeout)?
}

/// The body to hand on: unchanged, or NFC-normalised; or the fields it must not hold.
fn checked_body(kind: BodyKind, bytes: Bytes) -> Result<Bytes, ApiError> {
    match kind {
        BodyKind::Form => {
            // Malformed forms are the extractor's to refuse, with its usual answer.
            let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(&bytes).unwrap_or_default();
            let errors: Vec<FieldError> = pairs.iter().filter_map(|(k, v)| refusal(k, v, false)).collect();
            if errors.is_empty() { Ok(bytes) } else { Err(ApiError::Validation(errors)) }
        }
        BodyKind::Json => {
            let Ok(mut value) = serde_json::from_slice::<Value>(&bytes) else { return Ok(bytes) };
            let mut errors = Vec::new();
            let changed = walk(&mut value, "", false, &mut errors);
            if !errors.is_empty() {
                return Err(ApiError::Validation(errors));
            }
            if !changed {
                return Ok(bytes);
            }
            serde_json::to_vec(&value).map(Bytes::from).map_err(ApiError::internal)
        }
    }
}

/// Checks every string under `value` (keys too), normalising them to NFC; true if any changed.
fn walk(value: &mut Value, path: &str, verbatim: bool, errors: &mut Vec<FieldError>) -> bool {
    match value {
        Value::String(text) => {
            let field = path.rsplit('.').next().unwrap_or(path);
            let field = field.split('[').next().unwrap_or(field);
            if let Some(error) = refusal(path, text, MULTILINE.contains(&field)) {
                errors.push(error);
                return false;
            }
            if verbatim || unicode_normalization::is_nfc(text) {
                return false;
            }
            *text = text.nfc().collect();
            true
        }
        Value::Array(items) => {
            let mut changed = false;
            for (i, item) in items.iter_mut().enumerate() {
                changed |= walk(item, &format!("{path}[{i}]"), verbatim, errors);
            }
            changed
        }
        Value::Object(fields) => {
            let mut changed = false;
            for (key, item) in fields.iter_mut() {
                let here = if path.is_empty() { key.clone() } else { format!("{path}.{key}") };
                if let Some(error) = refusal(&here, key, false) {
                    errors.push(error);
                    continue;
                }
                changed |= walk(item, &here, VERBATIM.contains(&key.as_str()), errors);
            }
            changed
        }
        _ => false,
    }
}

/// Why `text` may not be the value of `field`, if it may not.
pub(crate) fn refusal(field: &str, text: &str, multiline: bool) -> Option<FieldError> {
    let control = |c: char| c.is_control() && !(multiline && matches!(c, '\n' | '\r' | '\t'));
    if text.chars().any(control) {
        let allowed = if multiline { " other than newlines and tabs" } else { "" };
        return Some(FieldError::new(field, "control_character", format!("may not hold control characters{allowed}")));
    }
    if text.chars().any(is_invisible) {
        return Some(FieldError::new(field, "invisible_character", "may not hold invisible or direction-changing characters"));
    }
    None
}

/// Zero-width and bidirectional formatting characters, line and paragraph separators.
fn is_invisible(c: char) -> bool {
    matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2064}' | '\u{2066}'..='\u{2069}' | '\u{061C}' | '\u{FEFF}' | '\u{2028}' | '\u{2029}' | '\u{00AD}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_field_by_field_what_they_may_not_hold() {
        let mut body = serde_json::json!({"summary": "Ligne 1\nLigne 2", "persons": [{"last_name": "Du\u{0000}rand"}, {"first_name": "A\u{202E}nna"}]});
        let mut errors = Vec::new();
        walk(&mut body, "", false, &mut errors);
        let found: Vec<(&str, &str)> = errors.iter().map(|e| (e.field.as_str(), e.code.as_str())).collect();
        assert_eq!(found, [("persons[0].last_name", "control_character"), ("persons[1].first_name", "invisible_character")]);
        assert!(refusal("last_name", "Durand\n", false).is_some());
        assert!(refusal("q", "Ana\u{200B}", false).is_some());
    }

    #[test]
    fn strings_are_stored_composed_and_passwords_as_typed() {
        let decomposed = "Le\u{0301}a";
        let mut body = serde_json::json!({"first_name": decomposed, "password": decomposed});
        let mut errors = Vec::new();
        assert!(walk(&mut body, "", false, &mut errors));
        assert_eq!(body["first_name"], "Léa");
        assert_eq!(body["password"], decomposed);
        assert!(is_id("0b7c4f7e-2d7f-4c1e-9a43-1f2e3d4c5b6a") && !is_id("a\u{0}b") && !is_id("a b") && !is_id(""));
        assert!(!is_id("0b7c4f7e2d7f4c1e9a431f2e3d4c5b6a") && !is_id("0b7c4f7e-2d7f-4c1e-9a43-1f2e3d4c5b6g"));
    }
}
