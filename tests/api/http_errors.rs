//! Every error answers problem+json: unknown routes, wrong methods, malformed or oversized
//! bodies, bad query strings; and the health probes.

use relais_tests::{json, problem, referral_body, spawn_app};
use reqwest::Method;

#[actix_web::test]
async fn health_probes_answer() {
    let app = spawn_app().await;
    let live = app.request(Method::GET, "/health/live", None).send().await.expect("live");
    assert_eq!(live.status(), 200);
    let ready = app.request(Method::GET, "/health/ready", None).send().await.expect("ready");
    assert_eq!(ready.status(), 200);
    assert_eq!(json(ready).await["status"], "ok");
}

#[actix_web::test]
async fn unknown_route_is_a_404_problem() {
    let app = spawn_app().await;
    let response = app.request(Method::GET, "/api/v1/nothing-here", None).send().await.expect("request");
    let body = problem(response, 404).await;
    assert_eq!(body["code"], "not_found");
}

#[actix_web::test]
async fn wrong_method_is_a_405_problem_with_allow() {
    let app = spawn_app().await;
    let response = app.request(Method::DELETE, "/api/v1/referrals", Some(&app.ccas_token())).send().await.expect("request");
    let allow = response.headers().get("allow").and_then(|v| v.to_str().ok()).unwrap_or("").to_owned();
    problem(response, 405).await;
    assert_eq!(allow, "GET, POST");
}

#[actix_web::test]
async fn malformed_json_is_a_400_and_creates_nothing() {
    let app = spawn_app().await;
    let token = app.gendarmerie_token();
    let response = app
        .request(Method::POST, "/api/v1/referrals", Some(&token))
        .header("content-type", "application/json")
        .body("{\"summary\": ")
        .send()
        .await
        .expect("request");
    problem(response, 400).await;
    let list = json(app.get("/api/v1/referrals", &token).await).await;
    assert_eq!(list["items"].as_array().map(Vec::len), Some(0));
}

#[actix_web::test]
async fn a_body_over_64_kib_is_a_413() {
    let app = spawn_app().await;
    let mut body = referral_body("Lefèvre");
    body["summary"] = serde_json::Value::String("x".repeat(70 * 1024));
    let response = app.post("/api/v1/referrals", &app.gendarmerie_token(), &body).await;
    problem(response, 413).await;
}

#[actix_web::test]
async fn a_body_that_is_not_json_is_a_415() {
    let app = spawn_app().await;
    let response = app
        .request(Method::POST, "/api/v1/referrals", Some(&app.gendarmerie_token()))
        .header("content-type", "text/plain")
        .body("hello")
        .send()
        .await
        .expect("request");
    problem(response, 415).await;
}

#[actix_web::test]
async fn bad_query_parameters_are_422_with_the_field() {
    let app = spawn_app().await;
    let token = app.ccas_token();
    for (query, field) in
        [("limit=0", "limit"), ("limit=500", "limit"), ("cursor=garbage", "cursor"), ("status=lost", "status"), ("colour=red", "colour")]
    {
        let body = problem(app.get(&format!("/api/v1/referrals?{query}"), &token).await, 422).await;
        assert_eq!(body["errors"][0]["field"], field, "{query}: {body}");
    }
}

#[actix_web::test]
async fn docs_and_contract_are_served() {
    let app = spawn_app().await;
    let docs = app.request(Method::GET, "/docs/", None).send().await.expect("docs");
    assert_eq!(docs.status(), 200);
    let spec = json(app.request(Method::GET, "/openapi.json", None).send().await.expect("spec")).await;
    assert_eq!(spec["openapi"], "3.1.0");
}

#[actix_web::test]
async fn an_unreachable_database_answers_503() {
    let app = relais_tests::spawn_app_on_unreachable_database().await;
    let ready = app.request(Method::GET, "/health/ready", None).send().await.expect("ready");
    problem(ready, 503).await;
    let list = app.get("/api/v1/referrals", &app.ccas_token()).await;
    let body = problem(list, 503).await;
    assert_eq!(body["code"], "service_unavailable");
    assert!(!body.to_string().contains("127.0.0.1"), "the problem leaks the cause: {body}");
}

#[actix_web::test]
async fn every_answer_names_its_request_and_an_error_says_it_in_the_body() {
    let app = spawn_app().await;
    let token = app.ccas_token();
    let answer =
        app.request(reqwest::Method::GET, "/api/v1/persons/00000000-0000-4000-8000-000000000000", Some(&token)).send().await.expect("get");
    let id = answer.headers().get("x-request-id").and_then(|v| v.to_str().ok()).expect("an id").to_owned();
    assert_eq!(id.len(), 32, "made here when none was given: {id}");
    let body: serde_json::Value = answer.json().await.expect("problem");
    assert_eq!(body["request_id"], id.as_str());
    let given = app
        .request(reqwest::Method::GET, "/api/v1/problem-types", Some(&token))
        .header("X-Request-Id", "proxy-7f3a")
        .send()
        .await
        .expect("get");
    assert_eq!(given.status(), 200);
    assert_eq!(given.headers().get("x-request-id").and_then(|v| v.to_str().ok()), Some("proxy-7f3a"));
    let odd = app.request(reqwest::Method::GET, "/health/live", None).header("X-Request-Id", "a b;c").send().await.expect("get");
    assert_ne!(odd.headers().get("x-request-id").and_then(|v| v.to_str().ok()), Some("a b;c"));
}

/// The status, lowercased head and body of a raw answer, checked to be one problem+json with
/// the security headers.
fn raw_problem(answer: &str) -> (u16, serde_json::Value) {
    let (head, body) = answer.split_once("\r\n\r\n").unwrap_or((answer, ""));
    let head = head.to_ascii_lowercase();
    for header in [
        "content-type: application/problem+json",
        "x-content-type-options: nosniff",
        "referrer-policy: no-referrer",
        "cache-control: no-store",
    ] {
        assert!(head.contains(header), "{header} missing: {answer}");
    }
    let status = head.get(9..12).and_then(|s| s.parse().ok()).unwrap_or(0);
    let problem: serde_json::Value = serde_json::from_str(body).map_err(|e| format!("{e}: {answer}")).expect("a problem");
    assert_eq!(problem["status"], status, "{answer}");
    (status, problem)
}

#[actix_web::test]
async fn the_http_layers_own_refusals_answer_a_problem_with_the_security_headers() {
    let app = spawn_app().await;
    let host = app.address();
    // Past Relais's own limit (64 fields) and the HTTP parser's (96), which refuses alone.
    let fields: String = (0..100).map(|i| format!("X-Field-{i}: {i}\r\n")).collect();
    let too_many = app.raw_answer(format!("GET /api/v1/persons HTTP/1.1\r\nHost: {host}\r\n{fields}\r\n")).await;
    let (status, refused) = raw_problem(&too_many);
    assert_eq!((status, refused["code"].as_str()), (431, Some("request_header_fields_too_large")));
    // Past the parser's 128 KiB of head.
    let huge =
        app.raw_answer(format!("GET /api/v1/persons HTTP/1.1\r\nHost: {host}\r\nX-Padding: {}\r\n\r\n", "a".repeat(140 * 1024))).await;
    assert_eq!(raw_problem(&huge).0, 431);
    let garbage = app.raw_answer("NOT HTTP AT ALL\r\n\r\n".to_owned()).await;
    let (status, refused) = raw_problem(&garbage);
    assert_eq!((status, refused["code"].as_str()), (400, Some("bad_request")));
    // A head that never ends: refused after the head timeout.
    let started = std::time::Instant::now();
    let slow = app.raw_answer(format!("GET /api/v1/persons HTTP/1.1\r\nHost: {host}\r\nX-Half")).await;
    let (status, refused) = raw_problem(&slow);
    assert_eq!((status, refused["code"].as_str()), (408, Some("request_timeout")));
    // actix-http reads its deadlines off a clock it refreshes every 500 ms.
    let waited = started.elapsed();
    assert!(waited + std::time::Duration::from_secs(1) >= relais_tests::HEAD_TIMEOUT, "not before the head timeout: {waited:?}");
    // Between the two limits, Relais's middleware answers, as before.
    let fields: String = (0..70).map(|i| format!("X-Field-{i}: {i}\r\n")).collect();
    let relais = app.raw_answer(format!("GET /api/v1/persons HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n{fields}\r\n")).await;
    assert_eq!(raw_problem(&relais).0, 431);
}
