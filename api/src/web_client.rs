//! What lets a browser use the API: the built web client served from the API's own origin
//! (`make run`), and a CORS allow-list for a client hosted elsewhere, closed by default.

use std::path::{Path, PathBuf};

use actix_cors::Cors;
use actix_files::{Files, NamedFile};
use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse, fn_service};
use actix_web::guard::{self, GuardContext};
use actix_web::http::{Method, header};
use actix_web::middleware::Next;
use actix_web::{Error, HttpResponse, ResponseError};

use crate::error::ApiError;

/// How the API meets browsers.
#[derive(Debug, Clone, Default)]
pub struct WebOptions {
    /// The built client (`web-client/dist`), served at `/` when set.
    pub static_dir: Option<PathBuf>,
    /// Origins allowed to call the API from a browser; none by default.
    pub cors_origins: Vec<String>,
}

/// Paths that belong to the API, never to the client: an unknown one is a problem+json 404.
const API_PREFIXES: [&str; 5] = ["/api/", "/health/", "/docs", "/openapi.json", "/.well-known/"];

fn is_client_path(path: &str) -> bool {
    !API_PREFIXES.iter().any(|prefix| path.starts_with(prefix))
}

fn client_request(ctx: &GuardContext) -> bool {
    (ctx.head().method == Method::GET || ctx.head().method == Method::HEAD) && is_client_path(ctx.head().uri.path())
}

/// The client's files; any other client path gets `index.html`, so that a deep link
/// (`/situations/…`) opens the application, which routes it. A missing asset stays a 404.
pub fn static_files(dir: &Path) -> Files {
    let index = dir.join("index.html");
    Files::new("/", dir).index_file("index.html").guard(guard::fn_guard(client_request)).default_handler(fn_service(
        move |req: ServiceRequest| {
            let index = index.clone();
            async move {
                let (req, _) = req.into_parts();
                if req.path().starts_with("/assets/") {
                    return Ok(ServiceResponse::new(req, not_found()));
                }
                let response = match actix_web::web::block(move || NamedFile::open(index)).await {
                    Ok(Ok(file)) => file.into_response(&req),
                    _ => not_found(),
                };
                Ok(ServiceResponse::new(req, response))
            }
        },
    ))
}

/// CORS for the configured origins only. With none configured the middleware is left out
/// (see `app::build`): browsers then refuse cross-origin calls, as no `Access-Control-*`
/// header is ever sent.
pub fn cors(origins: &[String]) -> Cors {
    origins
        .iter()
        .fold(Cors::default(), |cors, origin| cors.allowed_origin(origin))
        .allowed_methods([Method::GET, Method::POST, Method::PUT, Method::PATCH, Method::DELETE])
        .allowed_headers([header::AUTHORIZATION, header::CONTENT_TYPE, header::ACCEPT, header::IF_MATCH])
        .allowed_header("idempotency-key")
        .allowed_header("x-request-id")
        .expose_headers([header::ETAG, header::LOCATION, header::CONTENT_DISPOSITION, header::RETRY_AFTER])
        .expose_headers([crate::http::logging::REQUEST_ID])
        // A client served from a listed origin keeps its session: the refresh cookie goes along.
        .supports_credentials()
        .max_age(600)
}

/// The client's own page may only load what it ships with and talk to the API.
const CLIENT_CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; \
     connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

/// Security headers on every answer. API answers hold personal data: no cache keeps them. On
/// the client's pages, a strict CSP, and caching that lets hashed assets live long while
/// `index.html` is always revalidated.
pub async fn security_headers(req: ServiceRequest, next: Next<impl MessageBody>) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let client_path = is_client_path(req.path());
    let api_path = req.path().starts_with("/api/");
    let asset = req.path().starts_with("/assets/");
    let mut response = next.call(req).await?;
    let headers = response.headers_mut();
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, header::HeaderValue::from_static("nosniff"));
    headers.insert(header::REFERRER_POLICY, header::HeaderValue::from_static("no-referrer"));
    if api_path && !headers.contains_key(header::CACHE_CONTROL) {
        headers.insert(header::CACHE_CONTROL, header::HeaderValue::from_static("no-store"));
    }
    if client_path {
        headers.insert(header::CONTENT_SECURITY_POLICY, header::HeaderValue::from_static(CLIENT_CSP));
        headers.insert(header::X_FRAME_OPTIONS, header::HeaderValue::from_static("DENY"));
        let cache = if asset { "public, max-age=31536000, immutable" } else { "no-cache" };
        headers.insert(header::CACHE_CONTROL, header::HeaderValue::from_static(cache));
    }
    Ok(response)
}

fn not_found() -> HttpResponse {
    ApiError::NotFound.error_response()
}
