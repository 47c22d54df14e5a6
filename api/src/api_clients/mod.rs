//! Accounts of software, e.g. a police municipale's records system: they sign in with the
//! `client_credentials` grant. The secret is shown once, at creation, and stored hashed.

mod handlers;
pub mod queries;

pub use handlers::configure;
