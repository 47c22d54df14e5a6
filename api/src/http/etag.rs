//! Optimistic concurrency: versioned resources answer `ETag` on GET and require `If-Match` on
//! PATCH, so two coordinators editing one file cannot silently overwrite each other.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, HttpResponseBuilder};
use serde::Serialize;

use crate::error::{ApiError, ApiResult};

pub fn etag(version: i32) -> String {
    format!("\"{version}\"")
}

/// The version named by `If-Match`: 428 when absent, 412 when it is not one of ours.
pub fn expected_version(req: &HttpRequest) -> ApiResult<IfMatch> {
    let value = req.headers().get(header::IF_MATCH).ok_or(ApiError::PreconditionRequired)?;
    let value = value.to_str().map_err(|_| ApiError::PreconditionFailed)?.trim();
    if value == "*" {
        return Ok(IfMatch::Any);
    }
    value.trim_start_matches("W/").trim_matches('"').parse().map(IfMatch::Version).map_err(|_| ApiError::PreconditionFailed)
}

/// What `If-Match` asks for: a version (its ETag), or `*`, whichever version is current
/// (RFC 9110: the write proceeds as long as the resource exists).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IfMatch {
    Version(i32),
    Any,
}

impl IfMatch {
    /// The version the write must find, given the one read in its transaction.
    pub fn against(self, current: i32) -> i32 {
        match self {
            IfMatch::Version(version) => version,
            IfMatch::Any => current,
        }
    }
}

/// A JSON answer carrying the resource's ETag.
pub fn json_with_etag(mut builder: HttpResponseBuilder, version: i32, body: &impl Serialize) -> HttpResponse {
    builder.insert_header((header::ETAG, etag(version))).json(body)
}

#[cfg(test)]
mod tests {
    use actix_web::test::TestRequest;

    use super::*;

    #[test]
    fn reads_if_match() {
        let req = TestRequest::default().insert_header(("If-Match", "\"3\"")).to_http_request();
        assert_eq!(expected_version(&req).ok(), Some(IfMatch::Version(3)));
        let weak = TestRequest::default().insert_header(("If-Match", "W/\"4\"")).to_http_request();
        assert_eq!(expected_version(&weak).ok(), Some(IfMatch::Version(4)));
        let any = TestRequest::default().insert_header(("If-Match", "*")).to_http_request();
        assert_eq!(expected_version(&any).ok().map(|m| m.against(7)), Some(7));
        assert!(matches!(expected_version(&TestRequest::default().to_http_request()), Err(ApiError::PreconditionRequired)));
        let junk = TestRequest::default().insert_header(("If-Match", "\"abc\"")).to_http_request();
        assert!(matches!(expected_version(&junk), Err(ApiError::PreconditionFailed)));
    }
}
