//! Interventions: what the coordinators did for a situation (first listening, advice,
//! orientation to a partner, mediation, accompaniment, legal reports...).

mod handlers;
pub mod models;

pub use handlers::{configure, insert, views};
