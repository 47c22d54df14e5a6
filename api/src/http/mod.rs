//! HTTP plumbing shared by every resource: body and query parsing that answers problem+json,
//! pagination, request logging, unknown routes.

pub mod csv;
pub mod deferred;
pub mod etag;
pub mod extract;
pub mod fallback;
pub mod input;
pub mod logging;
pub mod merge_patch;
pub mod pagination;
pub mod refusals;
pub mod validation;

/// Largest request body accepted.
pub const BODY_LIMIT: usize = 64 * 1024;
