//! Where Relais may send a webhook: `https` to a public address, or any listed host
//! (`RELAIS_WEBHOOK_ALLOWED_HOSTS`, which may use plain `http`). Checked when a subscription is
//! saved, and again at each delivery on the addresses the name resolves to then, so that a
//! name that later points inside the network is refused (the request goes to the address
//! checked, not to a second resolution).

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, ToSocketAddrs};

use reqwest::Url;

use crate::error::{ApiError, ApiResult};

/// The hosts a subscription may name without the public-address rule.
#[derive(Debug, Clone, Default)]
pub struct AllowedHosts(pub Vec<String>);

impl AllowedHosts {
    fn allows(&self, host: &str) -> bool {
        self.0.iter().any(|h| h.eq_ignore_ascii_case(host))
    }
}

fn invalid(message: &str) -> ApiError {
    ApiError::validation("url", "not_allowed", message)
}

/// A subscription's URL, checked for saving: parsed, `https` (or `http` to a listed host), no
/// credentials, and not a private, loopback or link-local address when given as one.
pub fn checked_url(raw: &str, allowed: &AllowedHosts) -> ApiResult<Url> {
    let url = Url::parse(raw).map_err(|_| ApiError::validation("url", "invalid", "is not an absolute URL"))?;
    let host = url.host_str().ok_or_else(|| invalid("names no host"))?.to_owned();
    let listed = allowed.allows(&host);
    match url.scheme() {
        "https" => {}
        "http" if listed => {}
        _ => return Err(invalid("must use https")),
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(invalid("must not carry credentials"));
    }
    if url.fragment().is_some() {
        return Err(invalid("must not have a fragment"));
    }
    if let Ok(ip) = host.trim_start_matches('[').trim_end_matches(']').parse::<IpAddr>()
        && !listed
        && !is_public(ip)
    {
        return Err(invalid("must not be a private, loopback or link-local address"));
    }
    Ok(url)
}

/// The address to connect to for a delivery: the first the host resolves to, all of them
/// public unless the host is listed.
pub fn address_for(url: &Url, allowed: &AllowedHosts) -> Result<SocketAddr, &'static str> {
    let host = url.host_str().ok_or("no_host")?;
    let port = url.port_or_known_default().ok_or("no_port")?;
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    let addresses: Vec<SocketAddr> = (bare, port).to_socket_addrs().map_err(|_| "dns_failure")?.collect();
    if addresses.is_empty() {
        return Err("dns_failure");
    }
    if !allowed.allows(host) && addresses.iter().any(|a| !is_public(a.ip())) {
        return Err("address_not_allowed");
    }
    addresses.first().copied().ok_or("dns_failure")
}

/// Whether an address is reachable on the public internet (not private, loopback, link-local,
/// shared, documentation, multicast or reserved).
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => public_v4(v4),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => public_v4(v4),
            None => public_v6(v6),
        },
    }
}

fn public_v4(ip: Ipv4Addr) -> bool {
    let [a, b, c, _] = ip.octets();
    !(ip.is_private()
        || ip.is_loopback()
        || ip.is_link_local()
        || ip.is_unspecified()
        || ip.is_broadcast()
        || ip.is_documentation()
        || ip.is_multicast()
        || a == 0
        || (a == 100 && (64..128).contains(&b))
        || (a == 192 && b == 0 && c == 0)
        || (a == 198 && (18..20).contains(&b))
        || a >= 240)
}

fn public_v6(ip: Ipv6Addr) -> bool {
    let first = ip.segments()[0];
    !(ip.is_loopback()
        || ip.is_unspecified()
        || ip.is_multicast()
        || (first & 0xfe00) == 0xfc00
        || (first & 0xffc0) == 0xfe80
        || (first == 0x2001 && ip.segments()[1] == 0x0db8)
        || (first == 0x0064 && ip.segments()[1] == 0xff9b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_public_https_unless_listed() {
        let none = AllowedHosts::default();
        assert!(checked_url("https://police.example.fr/hooks", &none).is_ok());
        for refused in [
            "http://police.example.fr/hooks",
            "ftp://police.example.fr/",
            "https://user:pass@police.example.fr/",
            "https://127.0.0.1/",
            "https://10.1.2.3/",
            "https://169.254.169.254/latest/meta-data",
            "https://[::1]/",
            "https://[fd00::1]/",
            "https://[::ffff:192.168.1.1]/",
            "https://100.64.0.1/",
            "not a url",
        ] {
            assert!(checked_url(refused, &none).is_err(), "{refused}");
        }
        let listed = AllowedHosts(vec!["127.0.0.1".into()]);
        assert!(checked_url("http://127.0.0.1:8080/hook", &listed).is_ok());
        assert!(checked_url("http://10.0.0.1/hook", &listed).is_err());
    }

    #[test]
    fn a_name_resolving_inside_the_network_is_refused_at_delivery() {
        let url = Url::parse("https://localhost:9/");
        let at = |allowed: AllowedHosts| url.as_ref().ok().map(|u| address_for(u, &allowed).is_ok());
        assert_eq!(at(AllowedHosts::default()), Some(false));
        assert_eq!(at(AllowedHosts(vec!["localhost".into()])), Some(true));
        let public = |ip: &str| ip.parse().is_ok_and(is_public);
        assert!(public("8.8.8.8") && public("2a01:e0a::1"));
        assert!(!public("192.168.0.10") && !public("fe80::1"));
    }
}
