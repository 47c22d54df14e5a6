//! Webhooks for the units' software, following Standard Webhooks 1.0: subscriptions, a
//! transactional outbox, a delivery worker with retries, and a guard on where requests go.

pub mod delivery;
pub mod guard;
mod handlers;
pub mod models;
pub mod outbox;
mod queries;
pub mod signing;

pub use handlers::configure;
