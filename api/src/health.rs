//! Liveness and readiness probes for the load balancer.

use actix_web::{get, web};
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::error::{ApiResult, Problem};
use crate::state::AppState;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(live).service(ready);
}

#[derive(Serialize, ToSchema)]
pub struct Health {
    #[schema(example = "ok")]
    pub status: &'static str,
}

/// The process is up.
#[utoipa::path(tag = "health", responses((status = 200, description = "Success", body = Health)), security(()))]
#[get("/health/live")]
pub async fn live() -> web::Json<Health> {
    web::Json(Health { status: "ok" })
}

/// The process can write to its database: a row is updated and committed, so that a database
/// that only reads (disk full, read-only, a standby, locked) fails the probe with 503.
#[utoipa::path(
    tag = "health",
    responses(
        (status = 200, description = "Success", body = Health),
        (status = 503, description = "The database cannot be reached or cannot write", body = Problem, content_type = "application/problem+json"),
    ),
    security(())
)]
#[get("/health/ready")]
pub async fn ready(state: web::Data<AppState>) -> ApiResult<web::Json<Health>> {
    let now = state.clock.now();
    // A load balancer gives up on a health check after 2 to 5 s: a frozen or locked database
    // is said well before, so that it takes the instance out rather than waiting on it.
    state
        .db
        .transaction_within(READY_WITHIN, move |conn| {
            use crate::db::schema::health_checks;
            use diesel::prelude::*;
            diesel::update(health_checks::table.find(1)).set(health_checks::checked_at.eq(now)).execute(conn)?;
            Ok(())
        })
        .await?;
    Ok(web::Json(Health { status: "ok" }))
}

/// How long readiness waits for its write.
const READY_WITHIN: std::time::Duration = std::time::Duration::from_millis(1500);
