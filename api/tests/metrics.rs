#![allow(clippy::expect_used, clippy::panic, reason = "a test fails loudly on what it cannot set up")]

//! What a monitor scrapes: `GET /metrics` on `RELAIS_METRICS_BIND` only, parsed by
//! Prometheus's own Python client (`prometheus_client`), with the requests, the pool, the
//! access log writer, the webhook outbox and the background jobs. On SQLite, or on PostgreSQL
//! with `RELAIS_TEST_BACKEND=postgres`.

mod common;

use std::io::Write;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{Deployment, call, free_port};
use serde_json::{Value, json};

/// The scrape as `prometheus_client` parses it (the parse failing fails the test).
fn scrape(port: u16) -> (String, Vec<Value>) {
    let (status, text) = call(port, "GET", "/metrics", "", "");
    assert_eq!(status, 200, "{text}");
    let python =
        std::env::var("RELAIS_TEST_PYTHON").unwrap_or_else(|_| format!("{}/../target/venv/bin/python", env!("CARGO_MANIFEST_DIR")));
    let script = format!("{}/../tests/metrics/parse.py", env!("CARGO_MANIFEST_DIR"));
    let mut parser = Command::new(python).arg(script).stdin(Stdio::piped()).stdout(Stdio::piped()).spawn().expect("parse.py");
    parser.stdin.take().expect("stdin").write_all(text.as_bytes()).expect("write");
    let parsed = parser.wait_with_output().expect("parse.py");
    assert!(parsed.status.success(), "prometheus_client could not parse the scrape:\n{text}");
    (text, serde_json::from_slice(&parsed.stdout).expect("families"))
}

fn family<'a>(families: &'a [Value], name: &str) -> &'a Value {
    families.iter().find(|f| f["name"] == name).unwrap_or_else(|| panic!("no family {name}"))
}

/// The value of the sample `name` whose labels include `labels`.
fn value(families: &[Value], name: &str, labels: &Value) -> Option<f64> {
    let wanted = labels.as_object().expect("labels");
    families.iter().flat_map(|f| f["samples"].as_array().into_iter().flatten()).find_map(|s| {
        let matches = s["name"] == name && wanted.iter().all(|(k, v)| &s["labels"][k] == v);
        matches.then(|| s["value"].as_f64()).flatten()
    })
}

fn created_id(status: u16, answer: &str) -> String {
    assert_eq!(status, 201, "{answer}");
    let body: Value = serde_json::from_str(answer).expect("json");
    body["id"].as_str().or(body["subscription"]["id"].as_str()).expect("id").to_owned()
}

#[test]
fn a_monitor_scrapes_requests_pool_access_log_outbox_and_jobs_apart_from_the_api() {
    let deployment = Deployment::new();
    let ccas = deployment.ok(&["org", "create", "--kind", "ccas", "--name", "CCAS"]);
    let brigade = deployment.ok(&["org", "create", "--kind", "gendarmerie", "--name", "Brigade", "--ccas", &ccas]);
    let coordinator = deployment.ok(&["token", "--org", &ccas, "--sub", "metrics-test", "--scope", "ccas", "--ttl", "600"]);
    let unit = deployment.ok(&["token", "--org", &brigade, "--sub", "brigade-software", "--scope", "gendarmerie", "--ttl", "600"]);
    let (port, metrics_port) = (free_port(), free_port());
    let metrics_bind = format!("127.0.0.1:{metrics_port}");
    let settings =
        [("RELAIS_METRICS_BIND", metrics_bind.as_str()), ("RELAIS_WEBHOOK_ALLOWED_HOSTS", "127.0.0.1"), ("RELAIS_DB_POOL_SIZE", "6")];
    let mut server = deployment.serve_with(port, &settings);

    // A webhook to a port nobody listens on: its delivery fails and is retried later.
    let closed = free_port();
    let hook = json!({"url": format!("http://127.0.0.1:{closed}/hook"), "events": ["referral.status_changed"]}).to_string();
    let (status, answer) = call(port, "POST", "/api/v1/webhook-subscriptions", &unit, &hook);
    created_id(status, &answer);
    let referral = json!({
        "urgency": "urgent", "agent_reference": "MDL Test", "problem_types": ["domestic_violence"],
        "summary": "Appel au 17.", "judicial_proceedings": "yes",
        "persons": [{"role": "victim", "last_name": "Metrique", "first_name": "Anne", "consent": "given"}]
    });
    let (status, answer) = call(port, "POST", "/api/v1/referrals", &unit, &referral.to_string());
    let referral = created_id(status, &answer);
    let attempt = json!({"channel": "phone", "outcome": "no_answer"}).to_string();
    let (status, answer) = call(port, "POST", &format!("/api/v1/referrals/{referral}/contact-attempts"), &coordinator, &attempt);
    assert!((200..300).contains(&status), "{answer}");
    let missing = "a1b2c3d4-0000-4000-8000-00000000beef";
    assert_eq!(call(port, "GET", &format!("/api/v1/persons/{missing}"), &coordinator, "").0, 404);
    assert_eq!(call(port, "GET", "/api/v1/referrals", &coordinator, "").0, 200);
    assert_eq!(call(port, "GET", "/metrics", "", "").0, 404, "the API's address serves no metrics");
    call(port, "BREW", "/api/v1/referrals", &coordinator, "");

    // The worker passes every two seconds: wait for its failed attempt.
    let started = Instant::now();
    let (text, families) = loop {
        let (text, families) = scrape(metrics_port);
        if value(&families, "relais_webhook_delivery_attempts_total", &json!({"outcome": "retrying"})).is_some() {
            break (text, families);
        }
        assert!(started.elapsed() < Duration::from_secs(20), "no webhook attempt counted:\n{text}");
        std::thread::sleep(Duration::from_millis(250));
    };
    server.kill().expect("stop");
    server.wait().expect("reaped");

    // Requests by route template and status, never the path's values.
    let not_found = json!({"method": "GET", "route": "/api/v1/persons/{id}", "status": "404"});
    assert_eq!(value(&families, "relais_http_requests_total", &not_found), Some(1.0));
    assert_eq!(value(&families, "relais_http_requests_total", &json!({"route": "/api/v1/referrals", "status": "201"})), Some(1.0));
    assert!(!text.contains(missing) && !text.contains(&referral), "no id in a label");
    assert!(!text.contains("Metrique"), "nothing personal");
    assert!(value(&families, "relais_http_requests_total", &json!({"method": "other", "route": "/api/v1/referrals"})).is_some());
    assert!(!text.contains("BREW"), "a made-up method is counted as other");
    // Latency histograms with their buckets.
    assert_eq!(family(&families, "relais_http_request_duration_seconds")["type"], "histogram");
    let listed = json!({"route": "/api/v1/referrals", "method": "GET"});
    assert_eq!(value(&families, "relais_http_request_duration_seconds_count", &listed), Some(1.0));
    assert_eq!(
        value(
            &families,
            "relais_http_request_duration_seconds_bucket",
            &json!({"route": "/api/v1/referrals", "method": "GET", "le": "+Inf"})
        ),
        Some(1.0)
    );
    // The pool.
    assert_eq!(value(&families, "relais_db_pool_max_connections", &json!({})), Some(6.0));
    let in_use = value(&families, "relais_db_pool_connections", &json!({"state": "in_use"})).expect("in use");
    let idle = value(&families, "relais_db_pool_connections", &json!({"state": "idle"})).expect("idle");
    assert!((1.0..=6.0).contains(&(in_use + idle)), "connections opened, within the pool: {in_use} in use, {idle} idle");
    assert_eq!(value(&families, "relais_db_pool_waiting", &json!({})), Some(0.0));
    assert_eq!(value(&families, "relais_database_up", &json!({})), Some(1.0));
    // The access log writer: nothing queued once answered, the reads' entries committed.
    assert_eq!(value(&families, "relais_access_log_queue", &json!({})), Some(0.0));
    assert!(value(&families, "relais_access_log_entries_total", &json!({})).is_some_and(|n| n >= 2.0));
    // The outbox: the failed message waits for its retry.
    assert_eq!(value(&families, "relais_webhook_outbox_messages", &json!({"status": "pending"})), Some(1.0));
    assert_eq!(value(&families, "relais_webhook_delivery_attempts_total", &json!({"outcome": "retrying"})), Some(1.0));
    let lag = value(&families, "relais_webhook_outbox_oldest_pending_age_seconds", &json!({})).expect("lag");
    assert!((0.0..60.0).contains(&lag) && lag > 0.0, "the message waits since its status change: {lag} s");
    // Each background job's last success, recent; the retention run itself ran at start.
    let now = relais_api::clock::machine_time().timestamp() as f64;
    let ran = value(&families, "relais_retention_last_run_timestamp_seconds", &json!({})).expect("retention run");
    assert!(now - ran < 60.0, "retention ran {} s ago", now - ran);
    for job in ["retention", "webhook_delivery", "access_log_seal", "access_log_index"] {
        let last = value(&families, "relais_job_last_success_timestamp_seconds", &json!({"job": job})).unwrap_or_else(|| panic!("{job}"));
        assert!(now - last < 60.0, "{job} last succeeded {} s ago", now - last);
    }
    assert!(family(&families, "relais_http_requests")["help"].as_str().is_some_and(|h| !h.is_empty()));
}
