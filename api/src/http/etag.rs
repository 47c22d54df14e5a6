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
pub fn expected_version(req: &HttpRequest) -> ApiResult<i32> {
    let value = req.headers().get(header::IF_MATCH).ok_or(ApiError::PreconditionRequired)?;
    value
        .to_str()
        .ok()
        .map(|v| v.trim().trim_start_matches("W/").trim_matches('"'))
        .and_then(|v| v.parse().ok())
        .ok_or(ApiError::PreconditionFailed)
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
        assert_eq!(expected_version(&req).ok(), Some(3));
        let weak = TestRequest::default().insert_header(("If-Match", "W/\"4\"")).to_http_request();
        assert_eq!(expected_version(&weak).ok(), Some(4));
        assert!(matches!(expected_version(&TestRequest::default().to_http_request()), Err(ApiError::PreconditionRequired)));
        let junk = TestRequest::default().insert_header(("If-Match", "*")).to_http_request();
        assert!(matches!(expected_version(&junk), Err(ApiError::PreconditionFailed)));
    }
}
