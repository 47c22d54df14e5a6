#![allow(dead_code, reason = "each test binary uses its own part")]

//! What the binary's tests share: a free port, and one HTTP request on a fresh connection.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").expect("a port").local_addr().expect("an address").port()
}

/// One HTTP/1.1 request on a fresh connection: the status (0 when the server is gone) and body.
pub fn call(port: u16, method: &str, path: &str, token: &str, body: &str) -> (u16, String) {
    let Ok(mut stream) = TcpStream::connect(("127.0.0.1", port)) else { return (0, String::new()) };
    let request = format!(
        "{method} {path} HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer {token}\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    if stream.write_all(request.as_bytes()).is_err() {
        return (0, String::new());
    }
    let mut answer = String::new();
    if stream.read_to_string(&mut answer).is_err() {
        return (0, String::new());
    }
    let status = answer.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    let body = answer.split_once("\r\n\r\n").map(|(_, b)| b.to_owned()).unwrap_or_default();
    (status, body)
}
