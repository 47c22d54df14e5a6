//! The funders' grid (`layout=funders`): the report in the categories funders and posts use.

mod csv;
mod figures;
pub mod guide;
pub mod models;

pub use csv::funders as funders_csv;
pub use figures::funders_figures;
