//! Organisations: a CCAS, and the gendarmerie units and police municipale services that refer
//! people to it. An administrator manages those of its own CCAS.

mod handlers;
pub mod models;
pub mod queries;

pub use handlers::configure;
