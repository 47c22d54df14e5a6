//! A client's connection as actix-http's HTTP/1.1 dispatcher sees it, with the dispatcher's own
//! refusals answered as Relais answers.
//!
//! The dispatcher refuses some requests before any service, middleware included, sees them: a
//! request head that does not arrive in time (408), one with more fields or bytes than it parses
//! (431: 96 fields or 128 KiB, fixed in actix-http), one that is not HTTP at all (400). It answers
//! those with an empty body and none of Relais's headers, and offers no hook to change that.
//! Relais's own limits are lower (64 fields, 16 KiB: `http::input`), so its middleware answers
//! most oversized heads itself; what is left is recognised here on its way out, by its status
//! line at the start of a write and the absence of the header every Relais answer carries, and
//! replaced by the same answer the middleware would give: problem+json with the security headers.

use std::io;
use std::pin::Pin;
use std::task::{Context, Poll, ready};

use actix_web::ResponseError;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};

use crate::error::ApiError;

pub struct Connection<T> {
    io: T,
    /// The answer that replaces a dispatcher's refusal, and how much of it is written.
    replacement: Option<(Vec<u8>, usize)>,
}

impl<T> Connection<T> {
    pub fn new(io: T) -> Self {
        Self { io, replacement: None }
    }
}

impl<T: AsyncWrite + Unpin> Connection<T> {
    /// Writes what is left of a replacement answer; ready once nothing is.
    fn poll_replacement(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        while let Some((bytes, written)) = &mut self.replacement {
            let Some(rest) = bytes.get(*written..).filter(|rest| !rest.is_empty()) else {
                self.replacement = None;
                break;
            };
            let n = ready!(Pin::new(&mut self.io).poll_write(cx, rest))?;
            if n == 0 {
                return Poll::Ready(Err(io::ErrorKind::WriteZero.into()));
            }
            *written += n;
        }
        Poll::Ready(Ok(()))
    }
}

impl<T: AsyncRead + Unpin> AsyncRead for Connection<T> {
    fn poll_read(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.io).poll_read(cx, buf)
    }
}

impl<T: AsyncWrite + Unpin> AsyncWrite for Connection<T> {
    fn poll_write(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        let this = &mut *self;
        ready!(this.poll_replacement(cx))?;
        if let Some((head_len, answer)) = refusal_of_the_dispatcher(buf) {
            log::warn!(target: "relais::http", status = answer.status_code().as_u16(); "request refused before routing");
            this.replacement = Some((replacement(head_of(buf, head_len), &answer), 0));
            // Sent now as far as the socket takes it; the rest on the next write or flush.
            if let Poll::Ready(Err(e)) = this.poll_replacement(cx) {
                return Poll::Ready(Err(e));
            }
            return Poll::Ready(Ok(head_len));
        }
        Pin::new(&mut this.io).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        ready!(self.poll_replacement(cx))?;
        Pin::new(&mut self.io).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        ready!(self.poll_replacement(cx))?;
        Pin::new(&mut self.io).poll_shutdown(cx)
    }
}

fn head_of(buf: &[u8], head_len: usize) -> &[u8] {
    buf.get(..head_len).unwrap_or(buf)
}

/// The length of the answer head that starts `buf` and what Relais answers instead, when that
/// head is one of the dispatcher's bodiless refusals. Every answer of Relais's services carries
/// `x-content-type-options` (`web_client::security_headers`); the dispatcher's never do.
fn refusal_of_the_dispatcher(buf: &[u8]) -> Option<(usize, ApiError)> {
    let status = buf.strip_prefix(b"HTTP/1.1 ")?.get(..3)?;
    let answer = match status {
        b"400" => ApiError::BadRequest("The request is not valid HTTP/1.1".to_owned()),
        b"408" => ApiError::RequestTimeout,
        b"431" => ApiError::HeadersTooLarge,
        _ => return None,
    };
    let head_len = buf.windows(4).position(|w| w == b"\r\n\r\n")? + 4;
    let head = String::from_utf8_lossy(head_of(buf, head_len)).to_ascii_lowercase();
    let fields: Vec<&str> = head.split("\r\n").skip(1).collect();
    let bodiless = fields.iter().any(|f| f.replace(' ', "") == "content-length:0");
    let relais = fields.iter().any(|f| f.starts_with("x-content-type-options:"));
    (bodiless && !relais).then_some((head_len, answer))
}

/// Relais's answer for `error`, whole, keeping the dispatcher's `date` and closing the
/// connection as the dispatcher would.
fn replacement(dispatcher_head: &[u8], error: &ApiError) -> Vec<u8> {
    let status = error.status_code();
    let body = serde_json::to_vec(&error.problem()).unwrap_or_default();
    let date = String::from_utf8_lossy(dispatcher_head)
        .split("\r\n")
        .find(|f| f.to_ascii_lowercase().starts_with("date:"))
        .map(|f| format!("{f}\r\n"))
        .unwrap_or_default();
    let mut answer = format!(
        "HTTP/1.1 {} {}\r\ncontent-type: application/problem+json\r\ncontent-length: {}\r\nconnection: close\r\n{date}\
         x-content-type-options: nosniff\r\nreferrer-policy: no-referrer\r\ncache-control: no-store\r\n\r\n",
        status.as_u16(),
        status.canonical_reason().unwrap_or(""),
        body.len()
    )
    .into_bytes();
    answer.extend(body);
    answer
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_dispatchers_bodiless_refusals_are_replaced() {
        let dispatcher = b"HTTP/1.1 431 Request Header Fields Too Large\r\ncontent-length: 0\r\nconnection: close\r\ndate: Fri, 04 Dec 2026 10:00:00 GMT\r\n\r\n";
        let (len, error) = refusal_of_the_dispatcher(dispatcher).unwrap_or((0, ApiError::NotFound));
        assert_eq!((len, error.status_code().as_u16()), (dispatcher.len(), 431));
        let ours = b"HTTP/1.1 431 Request Header Fields Too Large\r\ncontent-length: 0\r\nx-content-type-options: nosniff\r\n\r\n";
        assert!(refusal_of_the_dispatcher(ours).is_none(), "Relais's own answers pass unchanged");
        let with_body = b"HTTP/1.1 400 Bad Request\r\ncontent-length: 12\r\n\r\n";
        assert!(refusal_of_the_dispatcher(with_body).is_none());
        assert!(refusal_of_the_dispatcher(b"{\"HTTP/1.1 408\"}").is_none(), "a body's text is no head");
        let answer = String::from_utf8(replacement(dispatcher, &ApiError::HeadersTooLarge)).unwrap_or_default();
        assert!(answer.starts_with("HTTP/1.1 431 Request Header Fields Too Large\r\n"), "{answer}");
        assert!(answer.contains("\r\ndate: Fri, 04 Dec 2026 10:00:00 GMT\r\n"), "{answer}");
        assert!(answer.contains(r#""code":"request_header_fields_too_large""#), "{answer}");
    }
}
