//! Extractor configurations, so that malformed JSON, forms and query strings answer with the
//! same problem+json as everything else.

use actix_web::error::{JsonPayloadError, QueryPayloadError, UrlencodedError};
use actix_web::{HttpRequest, web};

use super::BODY_LIMIT;
use crate::error::ApiError;

pub fn json_config() -> web::JsonConfig {
    web::JsonConfig::default().limit(BODY_LIMIT).error_handler(|err, _req: &HttpRequest| json_error(err).into())
}

fn json_error(err: JsonPayloadError) -> ApiError {
    match err {
        JsonPayloadError::Overflow { .. } | JsonPayloadError::OverflowKnownLength { .. } => ApiError::PayloadTooLarge,
        JsonPayloadError::ContentType => ApiError::UnsupportedMediaType("The body must be application/json".into()),
        JsonPayloadError::Deserialize(e) => match e.classify() {
            // Well-formed JSON of the wrong shape: a missing, unknown or mistyped field.
            serde_json::error::Category::Data => {
                ApiError::Validation(vec![crate::error::FieldError::new(data_error_field(&e.to_string()), "invalid", e.to_string())])
            }
            _ => ApiError::BadRequest(format!("Malformed JSON: {e}")),
        },
        other => ApiError::BadRequest(format!("Unreadable body: {other}")),
    }
}

/// Best effort: serde names the field in its message (`unknown field `x``, `missing field `y``).
fn data_error_field(message: &str) -> String {
    message.split('`').nth(1).filter(|f| !f.contains(' ')).unwrap_or("body").to_owned()
}

pub fn form_config() -> web::FormConfig {
    web::FormConfig::default().limit(BODY_LIMIT).error_handler(|err, _req| {
        match err {
            UrlencodedError::Overflow { .. } => ApiError::PayloadTooLarge,
            UrlencodedError::ContentType => ApiError::UnsupportedMediaType("The body must be application/x-www-form-urlencoded".into()),
            other => ApiError::BadRequest(format!("Malformed form: {other}")),
        }
        .into()
    })
}

pub fn query_config() -> web::QueryConfig {
    web::QueryConfig::default().error_handler(|err, req| {
        let QueryPayloadError::Deserialize(e) = err else {
            return ApiError::BadRequest("Malformed query string".into()).into();
        };
        let message = e.to_string();
        let field = query_error_field(&message, req.query_string());
        ApiError::Validation(vec![crate::error::FieldError::new(field, "invalid", message)]).into()
    })
}

/// serde names an unknown parameter, but only the bad value of a known one: find its key.
fn query_error_field(message: &str, query: &str) -> String {
    let quoted = message.split('`').nth(1).unwrap_or_default();
    if message.starts_with("unknown field") || message.starts_with("missing field") {
        return quoted.to_owned();
    }
    serde_urlencoded::from_str::<Vec<(String, String)>>(query)
        .unwrap_or_default()
        .into_iter()
        .find(|(_, value)| !quoted.is_empty() && value == quoted)
        .map_or_else(|| "query".to_owned(), |(key, _)| key)
}

pub fn path_config() -> web::PathConfig {
    web::PathConfig::default().error_handler(|_err, _req| ApiError::NotFound.into())
}

pub fn payload_config() -> web::PayloadConfig {
    web::PayloadConfig::default().limit(BODY_LIMIT)
}
