//! One log line per request: method, route template, status, duration. Never the path's
//! values, the query string or a body, which may hold personal data.

use std::time::Instant;

use actix_web::Error;
use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;

pub async fn log_request(req: ServiceRequest, next: Next<impl MessageBody>) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let started = Instant::now();
    let method = req.method().clone();
    let response = next.call(req).await?;
    if !log::log_enabled!(target: "relais::request", log::Level::Info) {
        return Ok(response);
    }
    let route = response.request().match_pattern().unwrap_or_else(|| "(unmatched)".to_owned());
    log::info!(
        target: "relais::request",
        "{method} {route} {} {:.1}ms",
        response.status().as_u16(),
        started.elapsed().as_secs_f64() * 1000.0
    );
    Ok(response)
}
