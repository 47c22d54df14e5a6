//! Referrals ("saisines"): how a situation reaches the coordinators. Gendarmerie units and
//! police municipale services create them for their CCAS and follow their status; coordinators
//! record the others (partner, walk-in, proactive outreach) and see everything.
//!
//! The secrecy wall is a type: an agency gets an [`views::AgencyReferral`], which has no field
//! for anything it must not see.

mod create;
mod idempotency;
pub mod models;
mod queries;
mod read;
mod triage;
pub mod views;

use utoipa_actix_web::service_config::ServiceConfig;

pub use queries::{NewReferralRecord, accept_into, change_status, decline, insert_referral, record_contact_attempt, record_interview};
pub use read::{Reach, find_view, list_views};
pub use views::UnitView;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(create::create_referral)
        .service(read::list_referrals)
        .service(read::get_referral)
        .service(triage::record_contact_attempt)
        .service(triage::accept_referral)
        .service(triage::decline_referral);
}
