//! What a browser meets: the built client served from the API's origin, deep links routed to
//! the client, the API's own paths kept problem+json, and CORS closed unless configured.

use relais_api::web_client::WebOptions;
use relais_tests::{problem, spawn_app, spawn_app_with_web};
use reqwest::Method;

/// A stand-in build of the client: the real one is served the same way by the end-to-end tests.
fn client_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a directory");
    std::fs::write(dir.path().join("index.html"), "<!doctype html><title>Relais</title><div id=root></div>").expect("index");
    std::fs::create_dir(dir.path().join("assets")).expect("assets");
    std::fs::write(dir.path().join("assets/app-1234.js"), "console.log('relais')").expect("asset");
    dir
}

fn header(response: &reqwest::Response, name: &str) -> Option<String> {
    response.headers().get(name).and_then(|v| v.to_str().ok()).map(str::to_owned)
}

#[actix_web::test]
async fn the_client_is_served_with_deep_links_and_a_strict_policy() {
    let dir = client_dir();
    let app = spawn_app_with_web(WebOptions { static_dir: Some(dir.path().to_owned()), cors_origins: vec![] }).await;

    for path in ["/", "/situations/0193a1b2-0000-7000-8000-000000000000", "/agenda"] {
        let response = app.request(Method::GET, path, None).send().await.expect("request");
        assert_eq!(response.status(), 200, "{path}");
        let csp = header(&response, "content-security-policy").unwrap_or_default();
        assert!(csp.contains("default-src 'self'") && csp.contains("frame-ancestors 'none'"), "{path}: {csp}");
        assert_eq!(header(&response, "cache-control").as_deref(), Some("no-cache"), "{path}");
        assert!(response.text().await.expect("body").contains("<div id=root>"), "{path}");
    }

    let asset = app.request(Method::GET, "/assets/app-1234.js", None).send().await.expect("asset");
    assert_eq!(asset.status(), 200);
    assert!(header(&asset, "cache-control").unwrap_or_default().contains("immutable"));

    let missing_asset = app.request(Method::GET, "/assets/gone-0000.js", None).send().await.expect("asset");
    problem(missing_asset, 404).await;
    let outside = app.request(Method::GET, "/..%2f..%2fetc%2fpasswd", None).send().await.expect("traversal");
    assert!(!outside.text().await.expect("body").contains("root:"), "no file outside the client's folder");
}

#[actix_web::test]
async fn api_paths_stay_problem_json_when_the_client_is_served() {
    let dir = client_dir();
    let app = spawn_app_with_web(WebOptions { static_dir: Some(dir.path().to_owned()), cors_origins: vec![] }).await;
    let unknown = app.request(Method::GET, "/api/v1/nothing-here", None).send().await.expect("request");
    assert_eq!(problem(unknown, 404).await["code"], "not_found");
    let not_allowed = app.request(Method::POST, "/situations/abc", None).send().await.expect("request");
    problem(not_allowed, 404).await;
    let health = app.request(Method::GET, "/health/live", None).send().await.expect("live");
    assert_eq!(health.status(), 200);
}

#[actix_web::test]
async fn no_client_is_served_unless_configured() {
    let app = spawn_app().await;
    let response = app.request(Method::GET, "/", None).send().await.expect("request");
    problem(response, 404).await;
}

#[actix_web::test]
async fn cors_is_closed_by_default() {
    let app = spawn_app().await;
    let preflight = app
        .request(Method::OPTIONS, "/api/v1/referrals", None)
        .header("origin", "https://relais.example.org")
        .header("access-control-request-method", "POST")
        .send()
        .await
        .expect("preflight");
    assert_eq!(header(&preflight, "access-control-allow-origin"), None);
    let get = app.request(Method::GET, "/health/live", None).header("origin", "https://relais.example.org").send().await.expect("get");
    assert_eq!(header(&get, "access-control-allow-origin"), None);
}

#[actix_web::test]
async fn cors_answers_the_allowed_origins_only() {
    let allowed = "https://relais.ccas-exemple.fr";
    let app = spawn_app_with_web(WebOptions { static_dir: None, cors_origins: vec![allowed.to_owned()] }).await;
    let preflight = app
        .request(Method::OPTIONS, "/api/v1/appointments/x", None)
        .header("origin", allowed)
        .header("access-control-request-method", "PATCH")
        .header("access-control-request-headers", "authorization, content-type, if-match")
        .send()
        .await
        .expect("preflight");
    assert!(preflight.status().is_success(), "{}", preflight.status());
    assert_eq!(header(&preflight, "access-control-allow-origin").as_deref(), Some(allowed));

    let token = app.ccas_token();
    let list = app.request(Method::GET, "/api/v1/referrals", Some(&token)).header("origin", allowed).send().await.expect("list");
    assert_eq!(list.status(), 200);
    assert_eq!(header(&list, "cache-control").as_deref(), Some("no-store"), "personal data is never cached");
    assert_eq!(header(&list, "access-control-allow-origin").as_deref(), Some(allowed));

    let other = app
        .request(Method::OPTIONS, "/api/v1/referrals", None)
        .header("origin", "https://attacker.example")
        .header("access-control-request-method", "GET")
        .send()
        .await
        .expect("preflight");
    assert_eq!(header(&other, "access-control-allow-origin"), None);
}
