//! Scale: `relais generate` fills a database with a realistic national dataset (N situations
//! over C CCAS and several years, with their persons, referrals, appointments and
//! interventions), `relais bench` times the activity report on it, and `relais floor`
//! measures the database floor of the load benchmark (`make bench`). Generation is done by
//! the database itself (recursive CTEs), so a million situations take minutes, not hours.

mod floor;
mod generate;
mod run;

pub use floor::{Endpoint, FloorResult, floor, referral_body};
pub use generate::{Plan, generate};
pub use run::{ReportTimings, Timing, bench};
