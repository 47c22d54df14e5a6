//! One error type for the whole API, rendered as RFC 9457 problem+json.
//!
//! Each variant has a stable snake_case `code`, a `type` URI and an HTTP status. A 500 never
//! says what went wrong: the cause goes to the log (without personal data), the client gets a
//! generic body.

use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpResponse, ResponseError};
use serde::Serialize;
use utoipa::ToSchema;

pub const PROBLEM_JSON: &str = "application/problem+json";

/// One invalid field of a request.
#[derive(Debug, Clone, Serialize, ToSchema, PartialEq, Eq)]
pub struct FieldError {
    /// Path of the field in the request, e.g. `persons[0].last_name`.
    pub field: String,
    /// Stable machine-readable reason, e.g. `length`, `required`, `invalid`.
    pub code: String,
    /// Human-readable explanation.
    pub message: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, code: &str, message: impl Into<String>) -> Self {
        Self { field: field.into(), code: code.to_owned(), message: message.into() }
    }
}

/// RFC 9457 problem details, the body of every error answer.
#[derive(Debug, Serialize, ToSchema)]
pub struct Problem {
    /// URI naming the problem type (`urn:relais:problem:<code>`).
    #[schema(example = "urn:relais:problem:validation_failed")]
    pub r#type: String,
    /// Short summary of the problem type.
    #[schema(example = "The request is not valid")]
    pub title: String,
    /// HTTP status code.
    #[schema(example = 422)]
    pub status: u16,
    /// Explanation specific to this occurrence.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// Stable snake_case error code, the same as the end of `type`.
    #[schema(example = "validation_failed")]
    pub code: String,
    /// For `validation_failed`: one entry per invalid field.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
    /// For some 409 answers: what the request conflicts with (the candidate persons of a
    /// possible duplicate, the appointment a booking overlaps).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Vec<Object>>)]
    pub conflicts: Option<serde_json::Value>,
    /// The request's id, as in its `X-Request-Id` answer header: give it when reporting the
    /// error, it finds the request in the server's logs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("bad request: {0}")]
    BadRequest(String),
    #[error("invalid token")]
    InvalidToken(String),
    #[error("insufficient scope")]
    InsufficientScope { required: String },
    #[error("not found")]
    NotFound,
    #[error("method not allowed")]
    MethodNotAllowed { allow: String },
    #[error("conflict: {code}")]
    Conflict { code: &'static str, detail: String },
    #[error("conflict: {code}")]
    ConflictWith { code: &'static str, detail: String, conflicts: serde_json::Value },
    #[error("precondition failed")]
    PreconditionFailed,
    #[error("precondition required")]
    PreconditionRequired,
    #[error("payload too large")]
    PayloadTooLarge,
    #[error("request timeout")]
    RequestTimeout,
    #[error("request header fields too large")]
    HeadersTooLarge,
    #[error("unsupported media type")]
    UnsupportedMediaType(String),
    #[error("validation failed")]
    Validation(Vec<FieldError>),
    #[error("too many requests")]
    TooManyRequests { retry_after_secs: u64 },
    #[error("invalid client credentials")]
    InvalidGrant,
    /// A refresh token that no longer opens a session: expired, ended, revoked or reused.
    #[error("session ended")]
    SessionEnded(&'static str),
    #[error("password change required")]
    PasswordChangeRequired,
    #[error("unsupported grant type")]
    UnsupportedGrantType,
    #[error("invalid scope")]
    InvalidScope(String),
    #[error("service unavailable: {0}")]
    Unavailable(String),
    #[error("internal error: {0}")]
    Internal(String),
}

impl ApiError {
    pub fn internal(cause: impl std::fmt::Display) -> Self {
        Self::Internal(cause.to_string())
    }

    pub fn validation(field: &str, code: &str, message: &str) -> Self {
        Self::Validation(vec![FieldError::new(field, code, message)])
    }

    /// The stable code, title and status of each variant: the error table of the API.
    fn parts(&self) -> (&'static str, &'static str, StatusCode) {
        use ApiError::*;
        match self {
            BadRequest(_) => ("bad_request", "The request is malformed", StatusCode::BAD_REQUEST),
            InvalidToken(_) => ("invalid_token", "Authentication is required", StatusCode::UNAUTHORIZED),
            InsufficientScope { .. } => ("insufficient_scope", "The token lacks the required scope", StatusCode::FORBIDDEN),
            NotFound => ("not_found", "The resource does not exist", StatusCode::NOT_FOUND),
            MethodNotAllowed { .. } => ("method_not_allowed", "The method is not allowed", StatusCode::METHOD_NOT_ALLOWED),
            Conflict { code, .. } | ConflictWith { code, .. } => {
                (code, "The request conflicts with the current state", StatusCode::CONFLICT)
            }
            PreconditionFailed => ("precondition_failed", "The resource changed since it was read", StatusCode::PRECONDITION_FAILED),
            PreconditionRequired => ("precondition_required", "An If-Match header is required", StatusCode::PRECONDITION_REQUIRED),
            PayloadTooLarge => ("payload_too_large", "The request body is too large", StatusCode::PAYLOAD_TOO_LARGE),
            RequestTimeout => ("request_timeout", "The request did not arrive in time", StatusCode::REQUEST_TIMEOUT),
            HeadersTooLarge => {
                ("request_header_fields_too_large", "The request's headers are too large", StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE)
            }
            UnsupportedMediaType(_) => ("unsupported_media_type", "The content type is not supported", StatusCode::UNSUPPORTED_MEDIA_TYPE),
            Validation(_) => ("validation_failed", "The request is not valid", StatusCode::UNPROCESSABLE_ENTITY),
            TooManyRequests { .. } => ("too_many_requests", "Too many requests", StatusCode::TOO_MANY_REQUESTS),
            InvalidGrant => ("invalid_grant", "The credentials are not valid", StatusCode::BAD_REQUEST),
            SessionEnded(_) => ("invalid_grant", "The session has ended", StatusCode::BAD_REQUEST),
            PasswordChangeRequired => ("password_change_required", "The password must be changed first", StatusCode::BAD_REQUEST),
            UnsupportedGrantType => ("unsupported_grant_type", "The grant type is not supported", StatusCode::BAD_REQUEST),
            InvalidScope(_) => ("invalid_scope", "The requested scope is not granted", StatusCode::BAD_REQUEST),
            Unavailable(_) => ("service_unavailable", "The service is temporarily unavailable", StatusCode::SERVICE_UNAVAILABLE),
            Internal(_) => ("internal_error", "Internal server error", StatusCode::INTERNAL_SERVER_ERROR),
        }
    }

    /// What the client may read; internal causes stay in the log.
    fn public_detail(&self) -> Option<String> {
        use ApiError::*;
        match self {
            BadRequest(d) | InvalidToken(d) | UnsupportedMediaType(d) | InvalidScope(d) => Some(d.clone()),
            Conflict { detail, .. } | ConflictWith { detail, .. } => Some(detail.clone()),
            PreconditionFailed => Some("Read the resource again and reapply your change".to_owned()),
            PreconditionRequired => Some("Send the ETag of the version you read in If-Match".to_owned()),
            InsufficientScope { required } => Some(format!("This operation requires one of the scopes: {required}")),
            MethodNotAllowed { allow } => Some(format!("Allowed methods: {allow}")),
            PayloadTooLarge => Some("The body exceeds the size limit of 64 KiB".to_owned()),
            RequestTimeout => Some("A request's head must arrive within 5 seconds and its body within 15 seconds".to_owned()),
            HeadersTooLarge => Some("At most 64 header fields and 16 KiB of headers".to_owned()),
            Validation(errors) => Some(format!("{} field(s) are not valid", errors.len())),
            SessionEnded(why) => Some((*why).to_owned()),
            TooManyRequests { retry_after_secs } => Some(format!("Retry after {retry_after_secs} seconds")),
            Unavailable(_) => Some("The database cannot be reached; retry later".to_owned()),
            PasswordChangeRequired => {
                Some("This password was set by an administrator: choose your own with POST /api/v1/auth/password, then sign in".to_owned())
            }
            NotFound | InvalidGrant | UnsupportedGrantType | Internal(_) => None,
        }
    }

    /// What failed and why, in one line, for the command line and the logs: never empty, and
    /// more specific than the title when the error carries a detail or a cause.
    pub fn explain(&self) -> String {
        let (code, title, _) = self.parts();
        let specific = match self {
            ApiError::Validation(errors) => {
                Some(errors.iter().map(|e| format!("{}: {}", e.field, e.message)).collect::<Vec<_>>().join("; "))
            }
            ApiError::Unavailable(cause) | ApiError::Internal(cause) => Some(cause.clone()),
            _ => self.public_detail(),
        };
        match specific.filter(|s| !s.trim().is_empty()) {
            Some(specific) => format!("{title} ({code}): {specific}"),
            None => format!("{title} ({code})"),
        }
    }

    pub fn problem(&self) -> Problem {
        let (code, title, status) = self.parts();
        Problem {
            r#type: format!("urn:relais:problem:{code}"),
            title: title.to_owned(),
            status: status.as_u16(),
            detail: self.public_detail(),
            code: code.to_owned(),
            errors: match self {
                ApiError::Validation(errors) => errors.clone(),
                _ => Vec::new(),
            },
            conflicts: match self {
                ApiError::ConflictWith { conflicts, .. } => Some(conflicts.clone()),
                _ => None,
            },
            // Added to the body on its way out (`http::logging`), where the request is known.
            request_id: None,
        }
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        self.parts().2
    }

    fn error_response(&self) -> HttpResponse {
        match self {
            ApiError::Internal(cause) => log::error!("internal error: {cause}"),
            ApiError::Unavailable(cause) => log::warn!("database unavailable: {cause}"),
            _ => {}
        }
        let mut response = HttpResponse::build(self.status_code());
        response.insert_header((header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON)));
        match self {
            ApiError::InvalidToken(_) => {
                response.insert_header((header::WWW_AUTHENTICATE, r#"Bearer error="invalid_token""#));
            }
            ApiError::InsufficientScope { required } => {
                let value = format!(r#"Bearer error="insufficient_scope", scope="{required}""#);
                response.insert_header((header::WWW_AUTHENTICATE, value));
            }
            ApiError::MethodNotAllowed { allow } => {
                response.insert_header((header::ALLOW, allow.clone()));
            }
            ApiError::TooManyRequests { retry_after_secs } => {
                response.insert_header((header::RETRY_AFTER, retry_after_secs.to_string()));
            }
            ApiError::Unavailable(_) => {
                response.insert_header((header::RETRY_AFTER, "1"));
            }
            _ => {}
        }
        response.insert_header((header::CACHE_CONTROL, "no-store"));
        let body = serde_json::to_string(&self.problem()).unwrap_or_else(|_| r#"{"type":"about:blank","status":500}"#.to_owned());
        response.body(body)
    }
}

/// What libpq and PostgreSQL say when the connection is gone (a restart, a crash, a network cut).
const CONNECTION_LOST_MESSAGES: [&str; 6] = [
    "no connection to the server",
    "server closed the connection",
    "terminating connection",
    "could not receive data from server",
    "could not send data to server",
    "connection to server",
];

/// What they say when the database cannot serve for now: SQLite's busy timeout ran out, a disk
/// is full, a standby is read-only, a statement or lock timeout fired.
const UNAVAILABLE_MESSAGES: [&str; 7] = [
    "database is locked",
    "database or disk is full",
    "No space left on device",
    "read-only",
    "statement timeout",
    "lock timeout",
    "the database system is",
];

impl From<diesel::result::Error> for ApiError {
    fn from(error: diesel::result::Error) -> Self {
        use diesel::result::{DatabaseErrorKind, Error};
        match error {
            Error::NotFound => ApiError::NotFound,
            Error::DatabaseError(DatabaseErrorKind::UniqueViolation, _) => {
                ApiError::Conflict { code: "already_exists", detail: "A resource with the same unique value already exists".to_owned() }
            }
            Error::DatabaseError(DatabaseErrorKind::ClosedConnection | DatabaseErrorKind::UnableToSendCommand, info) => {
                crate::db::pool::note_connection_lost();
                ApiError::Unavailable(info.message().to_owned())
            }
            Error::DatabaseError(_, info) if CONNECTION_LOST_MESSAGES.iter().any(|m| info.message().contains(m)) => {
                crate::db::pool::note_connection_lost();
                ApiError::Unavailable(info.message().to_owned())
            }
            // A busy, full, read-only or slow database: unavailable for now, not broken.
            Error::DatabaseError(_, info) if UNAVAILABLE_MESSAGES.iter().any(|m| info.message().contains(m)) => {
                ApiError::Unavailable(info.message().to_owned())
            }
            other => ApiError::Internal(other.to_string()),
        }
    }
}

impl From<validator::ValidationErrors> for ApiError {
    fn from(errors: validator::ValidationErrors) -> Self {
        let mut fields = Vec::new();
        crate::http::validation::flatten(&errors, String::new(), &mut fields);
        ApiError::Validation(fields)
    }
}

pub type ApiResult<T> = Result<T, ApiError>;

#[cfg(test)]
mod tests {
    use super::*;

    /// One error of each kind, the specific part of each as empty as it can be.
    fn every_kind() -> Vec<ApiError> {
        use ApiError::*;
        vec![
            BadRequest(String::new()),
            InvalidToken(String::new()),
            InsufficientScope { required: String::new() },
            NotFound,
            MethodNotAllowed { allow: String::new() },
            Conflict { code: "appointment_overlap", detail: String::new() },
            ConflictWith { code: "possible_duplicate", detail: String::new(), conflicts: serde_json::Value::Null },
            PreconditionFailed,
            PreconditionRequired,
            PayloadTooLarge,
            RequestTimeout,
            HeadersTooLarge,
            UnsupportedMediaType(String::new()),
            Validation(vec![FieldError::new("persons[0].last_name", "length", "must be at most 100 characters")]),
            TooManyRequests { retry_after_secs: 3 },
            InvalidGrant,
            SessionEnded("expired"),
            PasswordChangeRequired,
            UnsupportedGrantType,
            InvalidScope(String::new()),
            Unavailable(String::new()),
            Internal(String::new()),
        ]
    }

    #[test]
    fn every_error_explains_itself_with_its_code() {
        for error in every_kind() {
            let (code, _, _) = error.parts();
            let explained = error.explain();
            assert!(explained.contains(code) && explained.len() > code.len() + 4, "{error:?} explained as {explained:?}");
            assert!(!error.to_string().trim().is_empty(), "{error:?} displays as nothing");
        }
    }

    #[test]
    fn a_detail_or_cause_makes_the_explanation_specific() {
        let conflict = ApiError::Conflict { code: "appointment_overlap", detail: "overlaps 10:00".into() };
        assert_eq!(conflict.explain(), "The request conflicts with the current state (appointment_overlap): overlaps 10:00");
        let invalid = ApiError::validation("cursor", "invalid", "is not a cursor from this list");
        assert!(invalid.explain().ends_with("cursor: is not a cursor from this list"), "{}", invalid.explain());
        assert!(ApiError::Unavailable("database is locked".into()).explain().ends_with("database is locked"));
    }
}
