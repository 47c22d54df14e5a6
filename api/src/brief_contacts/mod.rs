//! Brief anonymous contacts: a call for advice, someone who gives no name. They are counted
//! (date, channel, origin, problem types, the kind of partner oriented to, duration) without
//! opening a named file, and have their own figures in the activity report, never mixed into
//! persons or situations.

mod handlers;
pub mod models;
mod queries;

pub use handlers::configure;
