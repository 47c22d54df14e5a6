//! Webhooks for the units' software: deliveries verified by the `standardwebhooks` package
//! (PyPI) against a receiver the test starts, retries with the same `webhook-id`, backoff and
//! disabling, secret rotation, the guard on addresses, who sees what, and several workers on
//! PostgreSQL never claiming one message twice.

use std::io::{BufRead, BufReader, Write};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};

use chrono::NaiveDateTime;
use relais_api::webhooks::delivery::{DeliveryPolicy, claim, deliver_due};
use relais_tests::{TestApp, json, problem, referral_body, spawn_app, venv_python};
use serde_json::{Value, json};

fn script(name: &str) -> String {
    format!("{}/webhooks/{name}", env!("CARGO_MANIFEST_DIR"))
}

/// The receiver: its port, and the requests it got so far.
struct Receiver {
    child: Child,
    port: u16,
    requests: Arc<Mutex<Vec<Value>>>,
}

impl Receiver {
    fn start() -> Receiver {
        let mut child = Command::new(venv_python())
            .arg(script("receiver.py"))
            .stdout(Stdio::piped())
            .spawn()
            .expect("the receiver (make target/venv/standardwebhooks.installed)");
        let mut lines = BufReader::new(child.stdout.take().expect("stdout")).lines();
        let port = lines.next().and_then(Result::ok).and_then(|l| l.trim().parse().ok()).expect("the receiver's port");
        let requests = Arc::new(Mutex::new(Vec::new()));
        let sink = requests.clone();
        std::thread::spawn(move || {
            for line in lines.map_while(Result::ok) {
                if let Ok(request) = serde_json::from_str::<Value>(&line) {
                    sink.lock().expect("lock").push(request);
                }
            }
        });
        Receiver { child, port, requests }
    }

    fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    /// The requests received, once `n` have come (the receiver prints as it answers).
    fn received(&self, n: usize) -> Vec<Value> {
        for _ in 0..200 {
            let got = self.requests.lock().expect("lock").clone();
            if got.len() >= n {
                return got;
            }
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
        self.requests.lock().expect("lock").clone()
    }
}

impl Drop for Receiver {
    fn drop(&mut self) {
        let _ = self.child.kill();
    }
}

/// Each request verified with `standardwebhooks` and `secret` by a receiver whose clock read
/// `received_at[i]` when request `i` arrived: the payload, or why not.
fn verified(secret: &str, requests: &[Value], received_at: &[NaiveDateTime]) -> Vec<Value> {
    assert_eq!(requests.len(), received_at.len(), "one reception time per request");
    let mut child =
        Command::new(venv_python()).arg(script("verify.py")).stdin(Stdio::piped()).stdout(Stdio::piped()).spawn().expect("verify.py");
    let requests: Vec<Value> = requests
        .iter()
        .zip(received_at)
        .map(|(request, at)| {
            let mut request = request.clone();
            request["received_at"] = json!(at.and_utc().to_rfc3339());
            request
        })
        .collect();
    let input = json!({"secret": secret, "requests": requests}).to_string();
    child.stdin.take().expect("stdin").write_all(input.as_bytes()).expect("write");
    let output = child.wait_with_output().expect("output");
    serde_json::from_slice::<Vec<Value>>(&output.stdout).expect("results")
}

/// Sets the clock to `now` and runs the delivery worker once (on a thread of its own: it
/// blocks on HTTP).
async fn deliver(app: &TestApp, now: NaiveDateTime) -> usize {
    app.clock().set(now.and_utc());
    let (db, policy, clock) = (app.state.db.clone(), app.state.webhooks.clone(), app.clock().clone());
    actix_web::web::block(move || std::thread::spawn(move || deliver_due(&db, &policy, &clock).expect("deliver")).join().expect("join"))
        .await
        .expect("block")
}

async fn subscribe(app: &TestApp, token: &str, url: &str) -> (String, String) {
    let response = app.post("/api/v1/webhook-subscriptions", token, &json!({"url": url, "events": ["referral.status_changed"]})).await;
    assert_eq!(response.status(), 201);
    let body = json(response).await;
    (body["subscription"]["id"].as_str().expect("id").to_owned(), body["secret"].as_str().expect("secret").to_owned())
}

/// A referral from brigade A, then a contact attempt and its acceptance by the coordinators.
async fn referral_worked_on(app: &TestApp) -> String {
    let referral = json(app.post("/api/v1/referrals", &app.gendarmerie_token(), &referral_body("Webhook")).await).await;
    let id = referral["id"].as_str().expect("id").to_owned();
    let ccas = app.ccas_token();
    let attempt = json!({"channel": "phone", "outcome": "no_answer"});
    assert!(app.post(&format!("/api/v1/referrals/{id}/contact-attempts"), &ccas, &attempt).await.status().is_success());
    let accept = json!({"persons": [{"confirm_distinct": true}]});
    assert!(app.post(&format!("/api/v1/referrals/{id}/accept"), &ccas, &accept).await.status().is_success());
    id
}

#[actix_web::test]
async fn a_unit_is_told_of_its_referrals_status_signed_as_the_standard_says() {
    let app = spawn_app().await;
    let receiver = Receiver::start();
    let (subscription, secret) = subscribe(&app, &app.gendarmerie_token(), &receiver.url("/ok")).await;
    // Another unit of the same CCAS hears nothing of brigade A's referrals.
    let other = Receiver::start();
    subscribe(&app, &app.police_token(), &other.url("/ok")).await;
    let referral = referral_worked_on(&app).await;

    let now = app.now();
    assert_eq!(deliver(&app, now).await, 2);
    let requests = receiver.received(2);
    assert_eq!(requests.len(), 2);
    let results = verified(&secret, &requests, &[now, now]);
    assert!(results.iter().all(|r| r["ok"] == true), "{results:?}");
    let statuses: Vec<&Value> = results.iter().map(|r| &r["payload"]["data"]["status"]).collect();
    assert_eq!(statuses, [&json!("contact_attempted"), &json!("accepted")]);
    let payload = &results[1]["payload"];
    assert_eq!(payload["type"], "referral.status_changed");
    assert_eq!(payload["data"]["id"], referral.as_str());
    assert_eq!(payload["data"]["agent_reference"], "MDL Test");
    let keys: Vec<&String> = payload["data"].as_object().expect("data").keys().collect();
    assert_eq!(keys, ["agent_reference", "id", "procedure_reference", "status", "status_changed_at"], "nothing the unit cannot read");
    assert!(!requests[1]["body"].as_str().unwrap_or_default().contains("Sandrine"), "no person in a webhook");
    // Another secret does not verify.
    let forged = verified("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", &requests, &[now, now]);
    // Nor does a signature six minutes old by the receiver's clock (a replay).
    let late = now + chrono::Duration::minutes(6);
    assert!(verified(&secret, &requests, &[late, late]).iter().all(|r| r["ok"] == false));
    assert!(forged.iter().all(|r| r["ok"] == false));
    // Nothing more is due; the other unit got nothing.
    assert_eq!(deliver(&app, now).await, 0);
    assert!(other.received(1).is_empty());
    let log = json(app.get(&format!("/api/v1/webhook-subscriptions/{subscription}/deliveries"), &app.gendarmerie_token()).await).await;
    let statuses: Vec<&Value> = log["items"].as_array().expect("items").iter().map(|d| &d["response_status"]).collect();
    assert_eq!(statuses, [&json!(204), &json!(204)]);
}

#[actix_web::test]
async fn a_failing_receiver_gets_the_same_message_with_backoff_for_a_day_then_is_disabled() {
    let app = spawn_app().await;
    let receiver = Receiver::start();
    let (subscription, secret) = subscribe(&app, &app.gendarmerie_token(), &receiver.url("/fail")).await;
    let referral = json(app.post("/api/v1/referrals", &app.gendarmerie_token(), &referral_body("Echec")).await).await;
    let id = referral["id"].as_str().expect("id");
    let decline = json!({"reason": "out_of_scope"});
    assert!(app.post(&format!("/api/v1/referrals/{id}/decline"), &app.ccas_token(), &decline).await.status().is_success());

    let start = app.now();
    let schedule = DeliveryPolicy::default().retry_after;
    let mut at = start;
    let mut sent = vec![at];
    assert_eq!(deliver(&app, at).await, 1);
    assert_eq!(deliver(&app, at).await, 0, "not due again before its backoff");
    for wait in &schedule {
        assert_eq!(deliver(&app, at + *wait - chrono::Duration::seconds(1)).await, 0, "not before {wait}");
        at += *wait;
        sent.push(at);
        assert_eq!(deliver(&app, at).await, 1, "retried after {wait}");
    }
    assert!(at - start < chrono::Duration::hours(24) && at - start > chrono::Duration::hours(23));
    let requests = receiver.received(schedule.len() + 1);
    assert_eq!(requests.len(), schedule.len() + 1);
    let ids: std::collections::BTreeSet<&str> = requests.iter().filter_map(|r| r["headers"]["webhook-id"].as_str()).collect();
    assert_eq!(ids.len(), 1, "the same webhook-id on every attempt");
    assert!(verified(&secret, &requests, &sent).iter().all(|r| r["ok"] == true), "each attempt signed when it was sent");
    // Given up: the subscription is disabled, and nothing more is sent.
    let token = app.gendarmerie_token();
    let path = format!("/api/v1/webhook-subscriptions/{subscription}");
    let disabled = json(app.get(&path, &token).await).await;
    assert_eq!((&disabled["enabled"], &disabled["disabled_reason"]), (&json!(false), &json!("failing")));
    assert_eq!(disabled["consecutive_failures"], json!(schedule.len() + 1));
    assert_eq!(deliver(&app, at + chrono::Duration::days(2)).await, 0);
    // Its owner enables it again (with a token of the new day: the clock moved two days on).
    let enabled = json(app.patch(&path, &app.gendarmerie_token(), &json!({"enabled": true})).await).await;
    assert_eq!((&enabled["enabled"], &enabled["consecutive_failures"]), (&json!(true), &json!(0)));
}

#[actix_web::test]
async fn a_rotated_secret_signs_beside_the_new_one_and_redirects_and_private_names_are_refused() {
    let app = spawn_app().await;
    let receiver = Receiver::start();
    let token = app.gendarmerie_token();
    let (subscription, old) = subscribe(&app, &token, &receiver.url("/ok")).await;
    let rotated = json(app.post(&format!("/api/v1/webhook-subscriptions/{subscription}/rotate-secret"), &token, &json!({})).await).await;
    let new = rotated["secret"].as_str().expect("secret").to_owned();
    assert_ne!(new, old);
    assert!(rotated["subscription"]["previous_secret_until"].is_string());
    let (redirected, _) = subscribe(&app, &token, &receiver.url("/redirect")).await;
    // A name is checked when sent to: `localhost` is no public address.
    let (private, _) = subscribe(&app, &token, "https://localhost:9/hook").await;
    referral_worked_on(&app).await;
    let now = app.now();
    assert_eq!(deliver(&app, now).await, 6);
    let requests: Vec<Value> = receiver.received(4).into_iter().filter(|r| r["path"] == "/ok").collect();
    assert_eq!(requests.len(), 2);
    assert!(verified(&new, &requests, &[now, now]).iter().all(|r| r["ok"] == true));
    assert!(verified(&old, &requests, &[now, now]).iter().all(|r| r["ok"] == true), "the old secret verifies for a day");
    let error_of = |id: String| {
        let app = &app;
        let token = token.clone();
        async move {
            let log = json(app.get(&format!("/api/v1/webhook-subscriptions/{id}/deliveries"), &token).await).await;
            (log["items"][0]["error"].clone(), log["items"][0]["response_status"].clone())
        }
    };
    assert_eq!(error_of(redirected).await, (json!("redirect_not_followed"), json!(302)));
    assert_eq!(error_of(private).await, (json!("address_not_allowed"), Value::Null));
    // Saved addresses: https to a public host, or the hosts the server lists.
    for refused in ["http://example.org/hook", "https://10.0.0.1/hook", "https://169.254.169.254/", "ftp://example.org/"] {
        let body = json!({"url": refused, "events": ["referral.status_changed"]});
        let answer = problem(app.post("/api/v1/webhook-subscriptions", &token, &body).await, 422).await;
        assert_eq!(answer["errors"][0]["field"], "url", "{refused}");
    }
    let unknown = json!({"url": "https://example.org/hook", "events": ["referral.deleted"]});
    problem(app.post("/api/v1/webhook-subscriptions", &token, &unknown).await, 422).await;
}

#[actix_web::test]
async fn units_see_their_own_subscriptions_and_administrators_disable_any() {
    let app = spawn_app().await;
    let (brigade, police, admin) = (app.gendarmerie_token(), app.police_token(), app.admin_token());
    let (mine, _) = subscribe(&app, &brigade, "https://logiciel.example.fr/a").await;
    subscribe(&app, &police, "https://logiciel.example.fr/b").await;
    let path = format!("/api/v1/webhook-subscriptions/{mine}");
    let count = |page: Value| page["items"].as_array().map_or(0, Vec::len);
    assert_eq!(count(json(app.get("/api/v1/webhook-subscriptions", &brigade).await).await), 1);
    assert_eq!(count(json(app.get("/api/v1/webhook-subscriptions", &admin).await).await), 2);
    let listed = json(app.get("/api/v1/webhook-subscriptions", &admin).await).await.to_string();
    assert!(!listed.contains("whsec_"), "the secret is shown once, at creation");
    problem(app.get(&path, &police).await, 404).await;
    problem(app.patch(&path, &police, &json!({"enabled": false})).await, 404).await;
    problem(app.get(&path, &app.ccas_token()).await, 403).await;
    // Another CCAS's administrator does not reach it.
    let foreign = app.token(&app.world.ccas_b, &[relais_api::auth::Scope::Admin]);
    problem(app.get(&path, &foreign).await, 404).await;
    // An administrator disables it, and may do nothing else to it.
    let disabled = json(app.patch(&path, &admin, &json!({"enabled": false})).await).await;
    assert_eq!((&disabled["enabled"], &disabled["disabled_reason"]), (&json!(false), &json!("admin")));
    problem(app.patch(&path, &admin, &json!({"enabled": true})).await, 403).await;
    problem(app.patch(&path, &admin, &json!({"url": "https://ailleurs.example.fr/"})).await, 403).await;
    assert_eq!(app.request(reqwest::Method::DELETE, &path, Some(&admin)).send().await.expect("delete").status(), 403);
    // Its owner moves it, then deletes it.
    let moved = json(app.patch(&path, &brigade, &json!({"url": "https://logiciel.example.fr/v2"})).await).await;
    assert_eq!(moved["url"], "https://logiciel.example.fr/v2");
    assert_eq!(app.request(reqwest::Method::DELETE, &path, Some(&brigade)).send().await.expect("delete").status(), 204);
    problem(app.get(&path, &brigade).await, 404).await;
}

#[actix_web::test]
async fn two_workers_on_postgresql_never_claim_the_same_message() {
    let app = spawn_app().await;
    if !app.db_url.is_postgres() {
        return; // SQLite has one writer: a single instance serves it.
    }
    subscribe(&app, &app.gendarmerie_token(), "https://logiciel.example.fr/hook").await;
    for _ in 0..4 {
        referral_worked_on(&app).await;
    }
    let policy = DeliveryPolicy { batch: 5, ..DeliveryPolicy::default() };
    // The first worker claims and holds its rows while the second claims.
    let (db, first_policy, now) = (app.state.db.clone(), policy.clone(), app.now());
    let (claimed_tx, claimed_rx) = std::sync::mpsc::channel();
    let first = std::thread::spawn(move || {
        let mut conn = db.get().expect("conn");
        relais_api::db::pool::write_transaction(&mut conn, |conn| {
            let ids: Vec<String> = claim(conn, now, &first_policy)?.into_iter().map(|c| c.id).collect();
            claimed_tx.send(ids.clone()).expect("send");
            std::thread::sleep(std::time::Duration::from_millis(500));
            Ok(ids)
        })
        .expect("first claim")
    });
    let first_ids = claimed_rx.recv().expect("first claimed");
    let db = app.state.db.clone();
    let started = std::time::Instant::now();
    let second_ids: Vec<String> = std::thread::spawn(move || {
        let mut conn = db.get().expect("conn");
        relais_api::db::pool::write_transaction(&mut conn, |conn| claim(conn, now, &policy))
            .expect("second claim")
            .into_iter()
            .map(|c| c.id)
            .collect()
    })
    .join()
    .expect("second");
    assert!(started.elapsed() < std::time::Duration::from_millis(400), "the second worker did not wait for the first");
    first.join().expect("first");
    assert_eq!((first_ids.len(), second_ids.len()), (5, 3));
    assert!(first_ids.iter().all(|id| !second_ids.contains(id)), "{first_ids:?} / {second_ids:?}");
}

async fn messages_and_deliveries(app: &TestApp) -> (i64, i64) {
    use diesel::prelude::*;
    use relais_api::db::schema::{webhook_deliveries, webhook_messages};
    app.on_db(|conn| {
        let messages: i64 = webhook_messages::table.count().get_result(conn).expect("count");
        let deliveries: i64 = webhook_deliveries::table.count().get_result(conn).expect("count");
        (messages, deliveries)
    })
    .await
}

async fn retention_run(app: &TestApp) {
    let now = app.now();
    let policy = relais_api::retention::Policy { months: 24, audit_months: 12, as_of: now.date() };
    app.on_db(move |conn| {
        relais_api::db::pool::write_transaction(conn, |conn| relais_api::retention::run(conn, &policy, false, now)).expect("retention")
    })
    .await;
}

#[actix_web::test]
async fn settled_messages_and_their_log_are_purged_after_thirty_days_by_the_retention_run() {
    let app = spawn_app().await;
    let receiver = Receiver::start();
    subscribe(&app, &app.gendarmerie_token(), &receiver.url("/ok")).await;
    referral_worked_on(&app).await;
    assert_eq!(deliver(&app, app.now()).await, 2);
    retention_run(&app).await;
    assert_eq!(messages_and_deliveries(&app).await, (2, 2), "kept for thirty days");
    // Thirty days later, to the day: still kept; the day after, purged.
    app.clock().advance(chrono::Duration::days(30) - chrono::Duration::minutes(1));
    retention_run(&app).await;
    assert_eq!(messages_and_deliveries(&app).await, (2, 2), "kept until thirty days have passed");
    app.clock().advance(chrono::Duration::days(1));
    retention_run(&app).await;
    assert_eq!(messages_and_deliveries(&app).await, (0, 0));
}
