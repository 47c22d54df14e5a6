//! Who is calling: JWT access tokens, their scopes, the extractors that check them, and the
//! OAuth 2.0 token endpoint that issues them.

pub mod extractor;
pub mod keys;
pub mod password;
pub mod scope;
pub mod secrets;
pub mod session_endpoint;
pub mod sessions;
pub mod standing;
pub mod throttle;
pub mod token;
pub mod token_endpoint;

pub use extractor::{Authorized, Caller};
pub use keys::JwtKeys;
pub use scope::{OrgKind, Scope};
