//! Referral creation by each audience, the two views, idempotent retries, validation, and
//! who sees what.

use std::collections::BTreeSet;

use relais_api::auth::Scope;
use relais_tests::{TestApp, agency_keys, json, keys, problem, referral_body, spawn_app};
use reqwest::Method;
use serde_json::{Value, json};

async fn create(app: &TestApp, token: &str, body: &Value) -> Value {
    let response = app.post("/api/v1/referrals", token, body).await;
    assert_eq!(response.status(), 201, "{}", response.text().await.unwrap_or_default());
    json(response).await
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
    let minimisation = BTreeSet::from(["personal_data_until".to_owned(), "minimised".to_owned()]);
    assert!(keys(&ccas_view).is_superset(&(&agency_keys() - &minimisation)));
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
async fn the_liaison_form_reaches_the_coordinators_and_the_unit_keeps_what_it_sent() {
    let app = spawn_app().await;
    let mut body = referral_body("Fontaine");
    body["police_contact"] = json!("home_call_out");
    body["children_exposed"] = json!("yes");
    body["children_count"] = json!(2);
    body["persons"][0]["best_time"] = json!("le matin avant 9 h");
    body["persons"][0]["best_channel"] = json!("phone");
    body["persons"][0]["informed_of_coordination"] = json!("yes");
    let sent = create(&app, &app.gendarmerie_token(), &body).await;
    assert_eq!(
        (&sent["police_contact"], &sent["children_exposed"], &sent["children_count"]),
        (&json!("home_call_out"), &json!("yes"), &json!(2))
    );
    let person = &sent["persons"][0];
    assert_eq!(
        (&person["best_time"], &person["best_channel"], &person["informed_of_coordination"]),
        (&json!("le matin avant 9 h"), &json!("phone"), &json!("yes"))
    );
    let seen = json(app.get(&format!("/api/v1/referrals/{}", sent["id"].as_str().expect("id")), &app.ccas_token()).await).await;
    assert_eq!(seen["police_contact"], "home_call_out");
    assert_eq!(seen["children_count"], 2);
    assert_eq!(seen["persons"][0]["best_time"], "le matin avant 9 h");
    assert_eq!(seen["persons"][0]["informed_of_coordination"], "yes");
    // Not said: unknown, never a guess.
    let plain = create(&app, &app.gendarmerie_token(), &referral_body("Martel")).await;
    assert_eq!(
        (&plain["police_contact"], &plain["children_exposed"], &plain["persons"][0]["informed_of_coordination"]),
        (&Value::Null, &json!("unknown"), &json!("unknown"))
    );
    // A number of children without children said present, or a contact that does not exist: 422, nothing created.
    let mut wrong = referral_body("Erreur");
    wrong["children_count"] = json!(3);
    assert_eq!(
        problem(app.post("/api/v1/referrals", &app.gendarmerie_token(), &wrong).await, 422).await["errors"][0]["field"],
        "children_count"
    );
    wrong["children_exposed"] = json!("yes");
    wrong["police_contact"] = json!("phone_call");
    problem(app.post("/api/v1/referrals", &app.gendarmerie_token(), &wrong).await, 422).await;
    let list = json(app.get("/api/v1/referrals", &app.gendarmerie_token()).await).await;
    assert_eq!(list["items"].as_array().map(Vec::len), Some(2));
}

#[actix_web::test]
async fn a_commissariat_de_police_nationale_refers_like_a_gendarmerie_unit() {
    let app = spawn_app().await;
    let commissariat = app.police_nationale_token();
    let created = create(&app, &commissariat, &referral_body("Garnier")).await;
    assert_eq!(created["source"], "police_nationale");
    let seen = json(app.get(&format!("/api/v1/referrals/{}", created["id"].as_str().expect("id")), &app.ccas_token()).await).await;
    assert_eq!(seen["referring_organisation"]["kind"], "police_nationale");
    create(&app, &app.gendarmerie_token(), &referral_body("Lefèvre")).await;
    let list = json(app.get("/api/v1/referrals", &commissariat).await).await;
    let items = list["items"].as_array().expect("items");
    assert_eq!(items.len(), 1, "its own referrals only");
    assert_eq!(keys(&items[0]), agency_keys());
    // A coordinator cannot create one in its name; its referrals count under their own origin.
    let mut forged = referral_body("Faux");
    forged["source"] = json!("police_nationale");
    let refused = problem(app.post("/api/v1/referrals", &app.ccas_token(), &forged).await, 422).await;
    assert_eq!(refused["errors"][0]["field"], "source");
    let year = app.now().format("%Y");
    let report = json(app.get(&format!("/api/v1/reports/activity?from={year}-01-01&to={year}-12-31"), &app.ccas_token()).await).await;
    let sources = report["periods"][0]["figures"]["referrals_by_source"].as_array().expect("breakdown").clone();
    assert!(sources.iter().any(|s| s["key"] == "police_nationale" && s["count"]["value"] == 1), "{sources:?}");
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

#[actix_web::test]
async fn a_unit_keeps_only_roles_and_initials_thirty_days_after_the_referral_is_settled() {
    let app = spawn_app().await;
    let unit = app.gendarmerie_token();
    let mut body = referral_body("Lefèvre");
    body["persons"][0]["email"] = json!("s.lefevre@example.org");
    body["persons"][0]["address"] = json!("3 rue des Lilas");
    body["persons"][0]["safe_contact"]["note"] = json!("Appeler après 18 h");
    let declined = create(&app, &unit, &body).await;
    let pending = create(&app, &unit, &referral_body("Morel")).await;
    let (declined, pending) = (declined["id"].as_str().expect("id").to_owned(), pending["id"].as_str().expect("id").to_owned());
    let path = format!("/api/v1/referrals/{declined}");
    json(app.post(&format!("{path}/decline"), &app.ccas_token(), &json!({"reason": "refused"})).await).await;

    // Within the period the unit still sees what it sent, and until when.
    let recent = json(app.get(&path, &unit).await).await;
    assert_eq!(recent["minimised"], false);
    assert_eq!(recent["persons"][0]["last_name"], "Lefèvre");
    assert_eq!(recent["persons"][0]["initials"], "S. L.");
    let until = chrono::DateTime::parse_from_rfc3339(recent["personal_data_until"].as_str().expect("a date")).expect("RFC 3339");
    let settled = chrono::DateTime::parse_from_rfc3339(recent["status_changed_at"].as_str().expect("a date")).expect("RFC 3339");
    assert_eq!(until - settled, chrono::Duration::days(30));

    // A second before the thirty days end, the unit still sees it whole; at their end, not.
    let settled_utc = settled.with_timezone(&chrono::Utc);
    app.clock().set(settled_utc + chrono::Duration::days(30) - chrono::Duration::seconds(1));
    let unit = app.gendarmerie_token();
    assert_eq!(json(app.get(&path, &unit).await).await["minimised"], false, "the day before the thirty days end");
    app.clock().set(settled_utc + chrono::Duration::days(30));
    let unit = app.gendarmerie_token();
    assert_eq!(json(app.get(&path, &unit).await).await["minimised"], true, "the thirty days have ended");
    app.clock().advance(chrono::Duration::days(1));
    let unit = app.gendarmerie_token();
    let list = json(app.get("/api/v1/referrals", &unit).await).await;
    let listed = |id: &str| list["items"].as_array().expect("items").iter().find(|r| r["id"] == id).cloned().expect("listed");
    for old in [json(app.get(&path, &unit).await).await, listed(&declined)] {
        assert_eq!(keys(&old), agency_keys());
        assert_eq!(old["minimised"], true);
        assert_eq!(old["summary"], Value::Null);
        assert_eq!((old["status"].as_str(), old["agent_reference"].as_str()), (Some("declined"), Some("MDL Test")));
        assert_eq!(old["procedure_reference"], "PV 2026/42");
        assert_eq!(old["status_history"].as_array().map(Vec::len), Some(2));
        let person = old["persons"][0].as_object().expect("a person");
        let kept: BTreeSet<&str> = person.iter().filter(|(_, v)| !v.is_null()).map(|(k, _)| k.as_str()).collect();
        assert_eq!(kept, BTreeSet::from(["role", "initials"]));
        assert_eq!((person["role"].as_str(), person["initials"].as_str()), (Some("victim"), Some("S. L.")));
        for secret in ["Lefèvre", "Sandrine", "06 12 34 56 78", "example.org", "Lilas", "18 h", "Dispute"] {
            assert!(!old.to_string().contains(secret), "{secret} still shown to the unit");
        }
    }
    // A referral the coordinators have not settled stays whole, however old.
    let waiting = listed(&pending);
    assert_eq!((waiting["minimised"].as_bool(), waiting["personal_data_until"].is_null()), (Some(false), true));
    assert_eq!(waiting["persons"][0]["last_name"], "Morel");
    // The coordinators keep everything.
    let full = json(app.get(&path, &app.ccas_token()).await).await;
    assert_eq!((full["persons"][0]["last_name"].as_str(), full["summary"].is_string()), (Some("Lefèvre"), true));
}
