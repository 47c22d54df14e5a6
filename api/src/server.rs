//! The HTTP server of `relais serve` and of the tests: the app on actix-http's HTTP/1.1 service,
//! over connections whose refusals before routing are Relais's (`http::connection`).
//!
//! Built from actix-server and actix-http directly, as `actix_web::HttpServer` builds it, because
//! `HttpServer` hands the service the bare socket and the connection must be wrapped first.

use std::net::TcpListener;
use std::time::Duration;

use actix_http::{HttpService, KeepAlive, Request};
use actix_service::{ServiceFactoryExt, fn_service, map_config};
use actix_web::dev::{AppConfig, Server};
use actix_web::rt::net::TcpStream;
use actix_web::web;

use crate::http::connection::Connection;
use crate::state::AppState;

/// How long a client has, from its connection, to send a request's head (then 408).
pub const HEAD_TIMEOUT: Duration = Duration::from_secs(5);

pub struct ServerOptions {
    /// Worker threads; 0 for one per core.
    pub workers: usize,
    /// Threads per worker for blocking work (the database's hops).
    pub blocking_threads: usize,
    /// Whether SIGINT and SIGTERM stop the server (not in tests, which share a process).
    pub signals: bool,
    /// Seconds given to requests in flight when the server stops.
    pub shutdown_timeout: u64,
    pub head_timeout: Duration,
}

impl Default for ServerOptions {
    fn default() -> Self {
        Self { workers: 0, blocking_threads: 10, signals: true, shutdown_timeout: 30, head_timeout: HEAD_TIMEOUT }
    }
}

/// The server of `state`'s app on `listener`, to be awaited (or spawned) to run.
pub fn listen(listener: TcpListener, state: web::Data<AppState>, options: &ServerOptions) -> std::io::Result<Server> {
    let local = listener.local_addr()?;
    listener.set_nonblocking(true)?;
    let head_timeout = options.head_timeout;
    let mut builder = Server::build().worker_max_blocking_threads(options.blocking_threads).shutdown_timeout(options.shutdown_timeout);
    if options.workers > 0 {
        builder = builder.workers(options.workers);
    }
    if !options.signals {
        builder = builder.disable_signals();
    }
    let server = builder.listen("relais", listener, move || {
        let app = crate::app::build(state.clone());
        let http = HttpService::<Connection<TcpStream>, _, _>::build()
            .keep_alive(KeepAlive::Timeout(Duration::from_secs(5)))
            .client_request_timeout(head_timeout)
            .client_disconnect_timeout(Duration::from_secs(1))
            .local_addr(local)
            .h1(map_config(
                actix_service::IntoServiceFactory::<_, Request>::into_factory(app).map_err(|e: actix_web::Error| e.error_response()),
                move |()| AppConfig::default(),
            ));
        fn_service(|io: TcpStream| async move {
            // Answers are small and whole: sent at once rather than held for more.
            let _ = io.set_nodelay(true);
            let peer = io.peer_addr().ok();
            Ok::<_, actix_http::error::DispatchError>((Connection::new(io), peer))
        })
        .and_then(http)
    })?;
    Ok(server.run())
}
