//! The activity report: the figures the coordinators publish every year, for the CCAS, the
//! gendarmerie and the funders. Aggregated by the database, never counted in Rust.

mod csv;
mod figures;
mod handlers;
pub mod models;
mod periods;

pub use handlers::{ccas_report, configure};
