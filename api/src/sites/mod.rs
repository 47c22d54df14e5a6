//! Sites of a CCAS: where the coordinators receive people, with weekly opening hours in
//! Europe/Paris local time (appointments are booked inside them).

mod handlers;
pub mod hours;
pub mod queries;

pub use handlers::configure;
