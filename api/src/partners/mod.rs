//! The partners directory: where coordinators orient people (associations, social services,
//! health, justice, housing...). Coordinators read and edit it; referring agencies read the
//! active entries through `/directory`, without the coordinators' notes.

pub mod data_inclusion;
mod handlers;
pub mod models;
pub mod queries;

pub use handlers::configure;
