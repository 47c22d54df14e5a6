//! The middleware that gives each request its slot for a check deferred to its first database
//! hop (see `db::deferred`), and runs the check itself when the handler reached no database:
//! a refused caller is refused whatever the handler did.

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::{Error, ResponseError, web};

use crate::db::deferred;
use crate::state::AppState;

pub async fn run_deferred_checks(req: ServiceRequest, next: Next<impl MessageBody + 'static>) -> Result<ServiceResponse<BoxBody>, Error> {
    deferred::scope(async move {
        let response = next.call(req).await?;
        let Some(check) = deferred::take() else { return Ok(response.map_into_boxed_body()) };
        let Some(state) = response.request().app_data::<web::Data<AppState>>().cloned() else {
            return Ok(response.map_into_boxed_body());
        };
        match state.db.run(check).await {
            Ok(()) => Ok(response.map_into_boxed_body()),
            Err(refused) => Ok(ServiceResponse::new(response.request().clone(), refused.error_response())),
        }
    })
    .await
}
