//! HTTP plumbing shared by every resource: body and query parsing that answers problem+json,
//! pagination, request logging, unknown routes.

pub mod connection;
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

/// The client's address: the peer's, or, when the peer is a trusted proxy, the last address of
/// `X-Forwarded-For` that is not one of them (earlier entries are the client's to forge).
pub fn client_address(req: &actix_web::HttpRequest, trusted: &[std::net::IpAddr]) -> Option<std::net::IpAddr> {
    let peer = req.peer_addr()?.ip();
    if !trusted.contains(&peer) {
        return Some(peer);
    }
    let forwarded: Vec<std::net::IpAddr> = req
        .headers()
        .get_all("x-forwarded-for")
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .filter_map(|a| a.trim().parse().ok())
        .collect();
    forwarded.into_iter().rev().find(|a| !trusted.contains(a)).or(Some(peer))
}
