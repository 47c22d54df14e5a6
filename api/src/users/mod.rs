//! Accounts of people (coordinators, gendarmes, police officers, administrators), managed by
//! the administrator of their CCAS, or with `relais user create`.

mod handlers;
pub mod models;
pub mod queries;

pub use handlers::configure;
