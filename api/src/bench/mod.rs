//! Scale: `relais generate` fills a database with a realistic national dataset (N situations
//! over C CCAS and several years, with their persons, referrals, appointments and
//! interventions), and `relais bench` times the activity report on it. Generation is done by
//! the database itself (recursive CTEs), so a million situations take minutes, not hours.

mod generate;
mod run;

pub use generate::{Plan, generate};
pub use run::bench;
