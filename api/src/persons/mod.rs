//! Persons received by the coordinators. One person may take part in several situations, with
//! a different role in each. Creating a person that looks like an existing one answers 409
//! with the candidates, unless the request says it is a different person.

mod export;
mod handlers;
pub mod identity;
pub mod models;
pub mod queries;

pub use handlers::configure;
