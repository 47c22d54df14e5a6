//! Situations ("dossiers"): the case file. Opened from a referral or directly, closed with a
//! reason, reopened; it holds problem types, the judicial proceedings flag, the persons with
//! their roles, append-only notes, and a timeline of everything that happened.

mod handlers;
pub mod models;
pub mod notes;
pub mod queries;
mod timeline;

pub use notes::{NewNote, insert as insert_note};
pub use timeline::{page_of as timeline_page, start as timeline_start};
use utoipa_actix_web::service_config::ServiceConfig;

pub fn configure(cfg: &mut ServiceConfig) {
    handlers::configure(cfg);
    notes::configure(cfg);
    timeline::configure(cfg);
}
