//! Appointments: scheduled (inside the site's opening hours, Europe/Paris), emergency (any
//! time) or by phone. Planned, non-emergency appointments of one coordinator never overlap:
//! the database enforces it, so two racing bookings cannot both win.

mod availability;
mod handlers;
pub mod hours;
pub mod models;
pub mod queries;

pub use availability::opening_and_busy;
use utoipa_actix_web::service_config::ServiceConfig;

pub fn configure(cfg: &mut ServiceConfig) {
    handlers::configure(cfg);
    availability::configure(cfg);
}
