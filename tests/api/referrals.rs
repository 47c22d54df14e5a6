//! Referral creation by each audience, the two views, idempotent retries, validation, and
//! who sees what.

use std::collections::BTreeSet;

use relais_api::auth::Scope;
use relais_tests::{TestApp, json, problem, referral_body, spawn_app};
use reqwest::Method;
use serde_json::{Value, json};

async fn create(app: &TestApp, token: &str, body: &Value) -> Value {
    let response = app.post("/api/v1/referrals", token, body).await;
    assert_eq!(response.status(), 201, "{}", response.text().await.unwrap_or_default());
    json(response).await
}

fn keys(value: &Value) -> BTreeSet<String> {
    value.as_object().expect("object").keys().cloned().collect()
}

/// Exactly what an agency may see: what it submitted, the status and its dates.
const AGENCY_KEYS: [&str; 13] = [
    "id",
    "source",
    "status",
    "status_changed_at",
    "status_history",
    "received_at",
    "urgency",
    "agent_reference",
    "procedure_reference",
    "problem_types",
    "summary",
    "judicial_proceedings",
    "persons",
];

fn agency_keys() -> BTreeSet<String> {
    AGENCY_KEYS.iter().map(|k| (*k).to_owned()).collect()
}

#[actix_web::test]
async fn a_gendarmerie_unit_creates_a_referral_to_its_ccas_and_sees_the_agency_view() {
    let app = spawn_app().await;
    let response = app.post("/api/v1/referrals", &app.gendarmerie_token(), &referral_body("Lefèvre")).await;
    assert_eq!(response.status(), 201);
    let location = response.headers().get("location").and_then(|v| v.to_str().ok()).expect("location").to_owned();
    let created = json(response).await;
    assert_eq!(keys(&created), agency_keys());
    assert_eq!(created["source"], "gendarmerie");
    assert_eq!(created["status"], "received");
    assert_eq!(created["status_history"][0]["status"], "received");
    assert_eq!(keys(&created["status_history"][0]), ["at", "status"].iter().map(|s| s.to_string()).collect());
    assert_eq!(created["persons"][0]["last_name"], "Lefèvre");
    assert_eq!(created["persons"][0]["safe_contact"]["call"], "yes");
    assert_eq!(created["persons"][0]["safe_contact"]["write"], "unknown");
    let read = json(app.get(&location, &app.gendarmerie_token()).await).await;
    assert_eq!(keys(&read), agency_keys());
    // The coordinators of the CCAS see it, in their view.
    let ccas_view = json(app.get(&location, &app.ccas_token()).await).await;
    assert_eq!(ccas_view["ccas_id"], app.world.ccas_a.as_str());
    assert_eq!(ccas_view["referring_organisation"]["id"], app.world.brigade_a.as_str());
    assert_eq!(ccas_view["referring_organisation"]["kind"], "gendarmerie");
    assert!(keys(&ccas_view).is_superset(&agency_keys()));
}

#[actix_web::test]
async fn a_police_municipale_service_creates_a_referral_and_lists_only_its_own() {
    let app = spawn_app().await;
    let police = app.police_token();
    let created = create(&app, &police, &referral_body("Moreau")).await;
    assert_eq!(created["source"], "police_municipale");
    create(&app, &app.gendarmerie_token(), &referral_body("Lefèvre")).await;
    let list = json(app.get("/api/v1/referrals", &police).await).await;
    let items = list["items"].as_array().expect("items");
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["id"], created["id"]);
    assert_eq!(keys(&items[0]), agency_keys());
}

#[actix_web::test]
async fn a_coordinator_records_walk_in_partner_and_proactive_referrals() {
    let app = spawn_app().await;
    let token = app.ccas_token();
    let mut walk_in = referral_body("Girard");
    walk_in["source"] = json!("walk_in");
    let created = create(&app, &token, &walk_in).await;
    assert_eq!(created["source"], "walk_in");
    assert!(created["referring_organisation"].is_null());
    let partner = json(app.post("/api/v1/partners", &token, &json!({"name": "France Victimes", "kind": "victim_support"})).await).await;
    let mut from_partner = referral_body("Rousseau");
    from_partner["source"] = json!("partner");
    from_partner["partner_id"] = partner["id"].clone();
    assert_eq!(create(&app, &token, &from_partner).await["partner_id"], partner["id"]);
    let mut proactive = referral_body("Bonnet");
    proactive["source"] = json!("proactive");
    create(&app, &token, &proactive).await;
    // A source the coordinator may not use, or a missing partner.
    let mut as_gendarmerie = referral_body("X");
    as_gendarmerie["source"] = json!("gendarmerie");
    problem(app.post("/api/v1/referrals", &token, &as_gendarmerie).await, 422).await;
    let mut no_partner = referral_body("X");
    no_partner["source"] = json!("partner");
    let body = problem(app.post("/api/v1/referrals", &token, &no_partner).await, 422).await;
    assert_eq!(body["errors"][0]["field"], "partner_id");
    let mut no_source = referral_body("X");
    no_source["source"] = Value::Null;
    problem(app.post("/api/v1/referrals", &token, &no_source).await, 422).await;
}

#[actix_web::test]
async fn an_agency_cannot_claim_another_source() {
    let app = spawn_app().await;
    let mut body = referral_body("Lefèvre");
    body["source"] = json!("police_municipale");
    let problem_body = problem(app.post("/api/v1/referrals", &app.gendarmerie_token(), &body).await, 422).await;
    assert_eq!(problem_body["errors"][0]["field"], "source");
}

#[actix_web::test]
async fn validation_names_every_invalid_field_and_creates_nothing() {
    let app = spawn_app().await;
    let token = app.gendarmerie_token();
    let body = json!({
        "summary": "",
        "problem_types": ["domestic_violence", "alien_abduction"],
        "received_at": "2099-01-01T00:00:00Z",
        "persons": [
            {"role": "victim", "age": 200, "phone": "call me", "email": "nope"},
            {"role": "other", "last_name": "Petit", "birth_date": "2099-01-01"}
        ]
    });
    let answer = problem(app.post("/api/v1/referrals", &token, &body).await, 422).await;
    assert_eq!(answer["code"], "validation_failed");
    let fields: BTreeSet<String> =
        answer["errors"].as_array().expect("errors").iter().map(|e| e["field"].as_str().unwrap_or("").to_owned()).collect();
    for field in ["summary", "persons[0]", "persons[0].age", "persons[0].phone", "persons[0].email", "persons[1].birth_date"] {
        assert!(fields.contains(field), "missing {field} in {fields:?}");
    }
    // Unknown problem types and future dates are refused too, once the shape is right.
    let mut body = referral_body("Lefèvre");
    body["problem_types"] = json!(["domestic_violence", "alien_abduction"]);
    let answer = problem(app.post("/api/v1/referrals", &token, &body).await, 422).await;
    assert_eq!(answer["errors"][0]["field"], "problem_types[1]");
    let mut body = referral_body("Lefèvre");
    body["received_at"] = json!("2099-01-01T00:00:00Z");
    assert_eq!(problem(app.post("/api/v1/referrals", &token, &body).await, 422).await["errors"][0]["field"], "received_at");
    // Unknown and mistyped fields.
    let mut body = referral_body("Lefèvre");
    body["coordinator"] = json!("someone");
    assert_eq!(problem(app.post("/api/v1/referrals", &token, &body).await, 422).await["errors"][0]["field"], "coordinator");
    let mut body = referral_body("Lefèvre");
    body["persons"] = json!([]);
    assert_eq!(problem(app.post("/api/v1/referrals", &token, &body).await, 422).await["errors"][0]["field"], "persons");
    let list = json(app.get("/api/v1/referrals", &token).await).await;
    assert_eq!(list["items"].as_array().map(Vec::len), Some(0));
}

#[actix_web::test]
async fn a_retry_with_the_same_idempotency_key_returns_the_first_answer() {
    let app = spawn_app().await;
    let token = app.police_token();
    let send = |body: Value, key: &'static str| {
        app.request(Method::POST, "/api/v1/referrals", Some(&token)).header("Idempotency-Key", key).json(&body).send()
    };
    let first = send(referral_body("Moreau"), "pm-2026-0001").await.expect("first");
    assert_eq!(first.status(), 201);
    let first = json(first).await;
    let retry = send(referral_body("Moreau"), "pm-2026-0001").await.expect("retry");
    assert_eq!(retry.status(), 201);
    assert_eq!(retry.headers().get("idempotent-replayed").and_then(|v| v.to_str().ok()), Some("true"));
    assert_eq!(json(retry).await, first);
    let other_body = send(referral_body("Autre"), "pm-2026-0001").await.expect("other");
    let answer = problem(other_body, 422).await;
    assert_eq!(answer["errors"][0]["field"], "Idempotency-Key");
    let list = json(app.get("/api/v1/referrals", &token).await).await;
    assert_eq!(list["items"].as_array().map(Vec::len), Some(1));
    // Keys belong to one organisation: the brigade may use the same key.
    let brigade = app
        .request(Method::POST, "/api/v1/referrals", Some(&app.gendarmerie_token()))
        .header("Idempotency-Key", "pm-2026-0001")
        .json(&referral_body("Moreau"))
        .send()
        .await
        .expect("brigade");
    assert_eq!(brigade.status(), 201);
    assert_ne!(json(brigade).await["id"], first["id"]);
}

#[actix_web::test]
async fn concurrent_retries_with_one_key_create_one_referral() {
    let app = spawn_app().await;
    let token = app.police_token();
    let send = || {
        app.request(Method::POST, "/api/v1/referrals", Some(&token))
            .header("Idempotency-Key", "race-1")
            .json(&referral_body("Moreau"))
            .send()
    };
    let (a, b) = relais_tests::join(send(), send()).await;
    let (a, b) = (a.expect("a"), b.expect("b"));
    assert_eq!((a.status().as_u16(), b.status().as_u16()), (201, 201));
    assert_eq!(json(a).await["id"], json(b).await["id"]);
    let list = json(app.get("/api/v1/referrals", &token).await).await;
    assert_eq!(list["items"].as_array().map(Vec::len), Some(1));
}

#[actix_web::test]
async fn unit_a_cannot_see_unit_b_and_gendarmerie_cannot_see_police_municipale() {
    let app = spawn_app().await;
    let by_brigade = create(&app, &app.gendarmerie_token(), &referral_body("Lefèvre")).await;
    let by_police = create(&app, &app.police_token(), &referral_body("Moreau")).await;
    let brigade_a2 = app.token(&app.world.brigade_a2, &[Scope::Gendarmerie]);
    let brigade_b = app.token(&app.world.brigade_b, &[Scope::Gendarmerie]);
    let ccas_b = app.token(&app.world.ccas_b, &[Scope::Ccas]);
    let brigade_path = format!("/api/v1/referrals/{}", by_brigade["id"].as_str().expect("id"));
    let police_path = format!("/api/v1/referrals/{}", by_police["id"].as_str().expect("id"));
    for (who, token, path) in [
        ("another unit of the same CCAS", &brigade_a2, &brigade_path),
        ("a unit of another CCAS", &brigade_b, &brigade_path),
        ("another CCAS", &ccas_b, &brigade_path),
        ("the gendarmerie, for a police referral", &app.gendarmerie_token(), &police_path),
        ("the police, for a gendarmerie referral", &app.police_token(), &brigade_path),
    ] {
        let response = app.get(path, token).await;
        assert_eq!(response.status(), 404, "{who}");
        problem(response, 404).await;
    }
    for token in [&brigade_a2, &brigade_b, &ccas_b] {
        let list = json(app.get("/api/v1/referrals", token).await).await;
        assert_eq!(list["items"].as_array().map(Vec::len), Some(0));
    }
    assert_eq!(json(app.get("/api/v1/referrals", &app.ccas_token()).await).await["items"].as_array().map(Vec::len), Some(2));
}

#[actix_web::test]
async fn the_list_pages_with_a_stable_cursor_newest_first() {
    let app = spawn_app().await;
    let token = app.gendarmerie_token();
    for (i, day) in ["2026-03-01", "2026-03-02", "2026-03-03", "2026-03-04", "2026-03-05"].iter().enumerate() {
        let mut body = referral_body(&format!("Personne{i}"));
        body["received_at"] = json!(format!("{day}T10:00:00Z"));
        create(&app, &token, &body).await;
    }
    let mut seen = Vec::new();
    let mut path = "/api/v1/referrals?limit=2".to_owned();
    loop {
        let page = json(app.get(&path, &token).await).await;
        for item in page["items"].as_array().expect("items") {
            seen.push(item["received_at"].as_str().expect("time").to_owned());
        }
        match page["next_cursor"].as_str() {
            Some(cursor) => path = format!("/api/v1/referrals?limit=2&cursor={cursor}"),
            None => break,
        }
    }
    assert_eq!(
        seen,
        ["2026-03-05T10:00:00Z", "2026-03-04T10:00:00Z", "2026-03-03T10:00:00Z", "2026-03-02T10:00:00Z", "2026-03-01T10:00:00Z"]
    );
    let received = json(app.get("/api/v1/referrals?status=received&urgency=urgent", &app.ccas_token()).await).await;
    assert_eq!(received["items"].as_array().map(Vec::len), Some(5));
    let accepted = json(app.get("/api/v1/referrals?status=accepted", &app.ccas_token()).await).await;
    assert_eq!(accepted["items"].as_array().map(Vec::len), Some(0));
}
