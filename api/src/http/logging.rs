//! Each request's id and log line. The id comes from `X-Request-Id` when it is a plain token
//! (a proxy's), or is made here; it is echoed in the answer's `X-Request-Id` and, for an error,
//! in the problem+json body's `request_id`, so that a coordinator's error can be found in the
//! logs. One log line per request: method, route template, status, duration and the id; never
//! the path's values, the query string or a body, which may hold personal data.

use std::time::Instant;

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{CONTENT_TYPE, HeaderName, HeaderValue};
use actix_web::middleware::Next;
use actix_web::{Error, HttpMessage};

pub const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// The id of the request being served (in its extensions).
#[derive(Debug, Clone)]
pub struct RequestId(pub String);

/// A proxy's id is kept when it is a short plain token; anything else is replaced, so that
/// no caller writes what it likes into the logs.
fn request_id(req: &ServiceRequest) -> String {
    let given = req.headers().get(&REQUEST_ID).and_then(|v| v.to_str().ok());
    let plain = |id: &&str| (1..=64).contains(&id.len()) && id.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_.:".contains(&b));
    given.filter(plain).map_or_else(|| uuid::Uuid::new_v4().simple().to_string(), str::to_owned)
}

pub async fn log_request(req: ServiceRequest, next: Next<impl MessageBody + 'static>) -> Result<ServiceResponse<BoxBody>, Error> {
    let started = Instant::now();
    let method = req.method().clone();
    let id = request_id(&req);
    req.extensions_mut().insert(RequestId(id.clone()));
    // (The request is not cloned before routing: actix routes on the only copy. Our middlewares
    // answer their refusals as responses, so they pass through here.)
    let response = next.call(req).await?.map_into_boxed_body();
    let mut response = with_id_in_problem(response, &id).await;
    if let Ok(value) = HeaderValue::from_str(&id) {
        response.headers_mut().insert(REQUEST_ID, value);
    }
    let route = response.request().match_pattern().unwrap_or_else(|| "(unmatched)".to_owned());
    let status = response.status().as_u16();
    crate::monitoring::request_served(method.as_str(), &route, status, started.elapsed());
    if log::log_enabled!(target: "relais::request", log::Level::Info) {
        let ms = started.elapsed().as_secs_f64() * 1000.0;
        log::info!(
            target: "relais::request",
            method = method.as_str(), route = route.as_str(), status = status, duration_ms = ms, request_id = id.as_str();
            "{method} {route} {status} {ms:.1}ms"
        );
    }
    Ok(response)
}

/// A problem+json answer gets the request's id as `request_id` (a few hundred bytes, read
/// whole).
async fn with_id_in_problem(response: ServiceResponse<BoxBody>, id: &str) -> ServiceResponse<BoxBody> {
    let is_problem = response.headers().get(CONTENT_TYPE).is_some_and(|v| v.as_bytes().starts_with(b"application/problem+json"));
    if !is_problem {
        return response;
    }
    let (req, res) = response.into_parts();
    let (res, body) = res.into_parts();
    let Ok(bytes) = actix_web::body::to_bytes(body).await else {
        return ServiceResponse::new(req, res.set_body(BoxBody::new(())));
    };
    let body = match serde_json::from_slice::<serde_json::Value>(&bytes) {
        Ok(serde_json::Value::Object(mut problem)) => {
            problem.insert("request_id".into(), id.into());
            serde_json::to_vec(&problem).unwrap_or_else(|_| bytes.to_vec())
        }
        _ => bytes.to_vec(),
    };
    ServiceResponse::new(req, res.set_body(BoxBody::new(body)))
}
