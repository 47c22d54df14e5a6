//! Extractor configurations, so that malformed JSON, forms and query strings answer with the
//! same problem+json as everything else.

use actix_web::error::{JsonPayloadError, UrlencodedError};
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

/// A query string, deserialised with the path of whatever failed: `?limit=abc` answers 422 on
/// `limit`, `?colour=red` 422 on `colour` (every query type denies unknown parameters).
pub struct Query<T>(pub T);

impl<T> Query<T> {
    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<T> std::ops::Deref for Query<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

impl<T: serde::de::DeserializeOwned> actix_web::FromRequest for Query<T> {
    type Error = ApiError;
    type Future = std::future::Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut actix_web::dev::Payload) -> Self::Future {
        let parsed = form_urlencoded::parse(req.query_string().as_bytes());
        let result = serde_path_to_error::deserialize(serde_urlencoded::Deserializer::new(parsed)).map(Query).map_err(|e| {
            let message = e.inner().to_string();
            let path = e.path().to_string();
            let field = if path.is_empty() || path == "." { query_error_field(&message, req.query_string()) } else { path };
            ApiError::Validation(vec![crate::error::FieldError::new(field, "invalid", message)])
        });
        std::future::ready(result)
    }
}

pub fn path_config() -> web::PathConfig {
    web::PathConfig::default().error_handler(|_err, _req| ApiError::NotFound.into())
}

pub fn payload_config() -> web::PayloadConfig {
    web::PayloadConfig::default().limit(BODY_LIMIT)
}
