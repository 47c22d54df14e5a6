//! The activity report: the figures the coordinators publish every year, for the CCAS, the
//! gendarmerie and the funders. Aggregated by the database, never counted in Rust.

mod calendar;
mod csv;
mod figures;
pub mod funders;
mod handlers;
pub(crate) mod labels;
pub mod models;
mod periods;
mod protection;

pub use handlers::{Published, ccas_funders_report, ccas_report, configure, published_report, published_reports};
