//! The access log: who reached what, when, and with which outcome. Ids only, never a name or
//! a note, so the log itself holds no personal data beyond pseudonymous ids.
//!
//! One path serves completeness, tamper evidence and throughput together:
//! - a write records its entry inside its own transaction ([`record`]), unsealed;
//! - a read runs without a write lock and collects its entries in a [`Trail`]; the
//!   [`AccessLog`] writer appends the trails of many concurrent requests in one transaction
//!   (group commit) and wakes each request once its entries are durable, before it answers;
//! - every batch also seals: entries are chained by `seq` and a SHA-256 hash over their
//!   content and the previous hash, under one lock on the chain's head, so that several
//!   instances on PostgreSQL still build one order. `relais audit verify` walks the chain.

mod chain;
mod entry;
mod handlers;
mod owners;
mod writer;

pub(crate) use chain::locked;
pub use chain::{Broken, Verified, catch_up, verify};
pub use entry::{Action, Actor, Entry, Outcome, Record, Trail, record, record_entry};
pub use handlers::configure;
pub use owners::owner_of;
pub use writer::AccessLog;
