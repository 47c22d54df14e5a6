//! The partner directory in data·inclusion's format (schema v1, the open data of
//! social-inclusion structures and services published by the State's inclusion platform).

mod export;
mod handlers;
mod import;
mod mapping;
pub mod models;

pub use export::export;
pub use handlers::configure;
pub use import::import;
