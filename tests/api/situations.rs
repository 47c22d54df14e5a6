//! Situations: lifecycle, roles, notes (append-only, private), filters and the timeline.

use relais_tests::{TestApp, json, problem, referral_body, spawn_app};
use reqwest::Method;
use serde_json::{Value, json};

async fn person(app: &TestApp, last: &str, first: &str) -> String {
    let body = json!({"last_name": last, "first_name": first});
    json(app.post("/api/v1/persons", &app.ccas_token(), &body).await).await["id"].as_str().expect("id").to_owned()
}

async fn coordinator(app: &TestApp, login: &str) -> String {
    let body = json!({"organisation_id": app.world.ccas_a, "login": login, "display_name": "Claire Martin", "password": "une phrase de passe longue"});
    json(app.post("/api/v1/users", &app.admin_token(), &body).await).await["id"].as_str().expect("id").to_owned()
}

#[actix_web::test]
async fn a_file_is_opened_closed_and_reopened_with_persons_in_roles() {
    let app = spawn_app().await;
    let token = app.ccas_token();
    let (mother, child) = (person(&app, "Petit", "Nadia").await, person(&app, "Petit", "Léa").await);
    let claire = coordinator(&app, "c.martin").await;
    let body = json!({
        "coordinator_id": claire,
        "problem_types": ["child_at_risk", "family_conflict"],
        "judicial_proceedings": "unknown",
        "persons": [{"person_id": mother, "role": "victim"}, {"person_id": child, "role": "other", "role_detail": "enfant"}]
    });
    let situation = json(app.post("/api/v1/situations", &token, &body).await).await;
    let path = format!("/api/v1/situations/{}", situation["id"].as_str().expect("id"));
    assert_eq!(situation["status"], "open");
    assert_eq!(situation["coordinator"]["display_name"], "Claire Martin");
    assert_eq!(situation["persons"][1]["role_detail"], "enfant");
    assert_eq!(situation["persons"][1]["person"]["first_name"], "Léa");
    let closed = json(app.post(&format!("{path}/close"), &token, &json!({"reason": "oriented"})).await).await;
    assert_eq!((closed["status"].as_str(), closed["closing_reason"].as_str()), (Some("closed"), Some("oriented")));
    assert!(closed["closed_at"].is_string());
    assert_eq!(
        problem(app.post(&format!("{path}/close"), &token, &json!({"reason": "resolved"})).await, 409).await["code"],
        "invalid_transition"
    );
    let reopened = json(app.post(&format!("{path}/reopen"), &token, &json!({})).await).await;
    assert_eq!(reopened["status"], "open");
    assert!(reopened["closed_at"].is_null());
    problem(app.post(&format!("{path}/reopen"), &token, &json!({})).await, 409).await;
    // The same person with another role in another file.
    let other =
        json(app.post("/api/v1/situations", &token, &json!({"persons": [{"person_id": mother, "role": "alleged_author"}]})).await).await;
    assert_eq!(other["persons"][0]["role"], "alleged_author");
    // Change a role, remove a person.
    let changed = json(app.put(&format!("{path}/persons/{child}"), &token, &json!({"role": "victim"})).await).await;
    assert_eq!(changed["persons"][1]["role"], "victim");
    let removed = json(app.request(Method::DELETE, &format!("{path}/persons/{child}"), Some(&token)).send().await.expect("delete")).await;
    assert_eq!(removed["persons"].as_array().map(Vec::len), Some(1));
    // Bad references are 422.
    let bad =
        json!({"coordinator_id": app.world.brigade_a, "persons": [{"person_id": "nobody", "role": "victim"}], "problem_types": ["nope"]});
    problem(app.post("/api/v1/situations", &token, &bad).await, 422).await;
}

#[actix_web::test]
async fn patching_a_file_needs_its_version() {
    let app = spawn_app().await;
    let token = app.ccas_token();
    let created = app.post("/api/v1/situations", &token, &json!({"problem_types": ["other"]})).await;
    let etag = created.headers().get("etag").and_then(|v| v.to_str().ok()).expect("etag").to_owned();
    let path = format!("/api/v1/situations/{}", json(created).await["id"].as_str().expect("id"));
    let patch = |etag: &str, body: Value| app.request(Method::PATCH, &path, Some(&token)).header("If-Match", etag).json(&body).send();
    let changed = json(patch(&etag, json!({"judicial_proceedings": "yes", "problem_types": ["harassment"]})).await.expect("patch")).await;
    assert_eq!(changed["judicial_proceedings"], "yes");
    assert_eq!(changed["problem_types"], json!(["harassment"]));
    problem(patch(&etag, json!({"judicial_proceedings": "no"})).await.expect("patch"), 412).await;
    problem(app.patch(&path, &token, &json!({"judicial_proceedings": "no"})).await, 428).await;
}

#[actix_web::test]
async fn lists_filter_by_status_coordinator_problem_type_person_and_name() {
    let app = spawn_app().await;
    let token = app.ccas_token();
    let helene = person(&app, "Durand", "Hélène").await;
    let claire = coordinator(&app, "c.martin").await;
    let a = json(
        app.post(
            "/api/v1/situations",
            &token,
            &json!({"coordinator_id": claire, "problem_types": ["harassment"], "persons": [{"person_id": helene, "role": "victim"}]}),
        )
        .await,
    )
    .await;
    let b = json(app.post("/api/v1/situations", &token, &json!({"problem_types": ["housing_precarity"]})).await).await;
    app.post(&format!("/api/v1/situations/{}/close", b["id"].as_str().expect("id")), &token, &json!({"reason": "resolved"})).await;
    let ids = |page: Value| page["items"].as_array().expect("items").iter().map(|s| s["id"].clone()).collect::<Vec<_>>();
    assert_eq!(ids(json(app.get("/api/v1/situations?status=open", &token).await).await), [a["id"].clone()]);
    assert_eq!(ids(json(app.get("/api/v1/situations?status=closed", &token).await).await), [b["id"].clone()]);
    assert_eq!(ids(json(app.get(&format!("/api/v1/situations?coordinator_id={claire}"), &token).await).await), [a["id"].clone()]);
    assert_eq!(ids(json(app.get("/api/v1/situations?problem_type=housing_precarity", &token).await).await), [b["id"].clone()]);
    assert_eq!(ids(json(app.get(&format!("/api/v1/situations?person_id={helene}"), &token).await).await), [a["id"].clone()]);
    assert_eq!(ids(json(app.get("/api/v1/situations?q=HELENE", &token).await).await), [a["id"].clone()]);
    assert_eq!(ids(json(app.get("/api/v1/situations", &token).await).await).len(), 2);
}

#[actix_web::test]
async fn notes_are_append_only_and_private_notes_stay_with_their_author() {
    let app = spawn_app().await;
    let token = app.ccas_token();
    let colleague = app.state.tokens.issue("colleague", &app.world.ccas_a, &[relais_api::auth::Scope::Ccas], 600).expect("token");
    let situation = json(app.post("/api/v1/situations", &token, &json!({})).await).await;
    let notes = format!("/api/v1/situations/{}/notes", situation["id"].as_str().expect("id"));
    let first = json(app.post(&notes, &token, &json!({"body": "Entretien le 3 mars."})).await).await;
    assert_eq!(first["author_id"], "test-subject");
    app.post(&notes, &token, &json!({"body": "Impression personnelle.", "private": true})).await;
    let correction = json(app.post(&notes, &token, &json!({"body": "Entretien le 4 mars.", "corrects_id": first["id"]})).await).await;
    assert_eq!(correction["corrects_id"], first["id"]);
    let mine = json(app.get(&notes, &token).await).await;
    assert_eq!(mine["items"].as_array().map(Vec::len), Some(3));
    let theirs = json(app.get(&notes, &colleague).await).await;
    let bodies: Vec<&str> = theirs["items"].as_array().expect("items").iter().filter_map(|n| n["body"].as_str()).collect();
    assert_eq!(bodies, ["Entretien le 3 mars.", "Entretien le 4 mars."]);
    problem(app.post(&notes, &token, &json!({"body": "x", "corrects_id": "nope"})).await, 422).await;
    problem(app.post(&notes, &token, &json!({"body": ""})).await, 422).await;
    // No route edits or deletes a note.
    assert_eq!(app.request(Method::DELETE, &notes, Some(&token)).send().await.expect("delete").status(), 405);
}

#[actix_web::test]
async fn the_timeline_merges_everything_in_time_order_and_pages() {
    let app = spawn_app().await;
    let token = app.ccas_token();
    let mut body = referral_body("Timeline");
    body["received_at"] = json!("2026-01-10T08:00:00Z");
    let referral = json(app.post("/api/v1/referrals", &app.gendarmerie_token(), &body).await).await;
    let referral_path = format!("/api/v1/referrals/{}", referral["id"].as_str().expect("id"));
    app.post(
        &format!("{referral_path}/contact-attempts"),
        &token,
        &json!({"at": "2026-01-11T09:00:00Z", "channel": "phone", "outcome": "reached"}),
    )
    .await;
    let accepted = json(app.post(&format!("{referral_path}/accept"), &token, &json!({})).await).await;
    let situation = accepted["situation_id"].as_str().expect("situation").to_owned();
    let notes = format!("/api/v1/situations/{situation}/notes");
    app.post(&notes, &token, &json!({"body": "Note partagée"})).await;
    let colleague = app.state.tokens.issue("colleague", &app.world.ccas_a, &[relais_api::auth::Scope::Ccas], 600).expect("token");
    app.post(&notes, &colleague, &json!({"body": "Note privée de la collègue", "private": true})).await;
    let mut kinds = Vec::new();
    let mut times = Vec::new();
    let mut path = format!("/api/v1/situations/{situation}/timeline?limit=1");
    loop {
        let page = json(app.get(&path, &token).await).await;
        for entry in page["items"].as_array().expect("items") {
            kinds.push(entry["kind"].as_str().unwrap_or("").to_owned());
            times.push(entry["at"].as_str().unwrap_or("").to_owned());
        }
        match page["next_cursor"].as_str() {
            Some(cursor) => path = format!("/api/v1/situations/{situation}/timeline?limit=1&cursor={cursor}"),
            None => break,
        }
    }
    assert_eq!(kinds, ["referral", "contact_attempt", "note"]);
    let mut sorted = times.clone();
    sorted.sort();
    assert_eq!(times, sorted);
}

#[actix_web::test]
async fn renaming_a_person_renames_them_in_the_search_of_their_files() {
    let app = spawn_app().await;
    let token = app.ccas_token();
    let created = app.post("/api/v1/persons", &token, &json!({"last_name": "Durand", "first_name": "Hélène"})).await;
    let etag = created.headers().get("etag").and_then(|v| v.to_str().ok()).expect("etag").to_owned();
    let person = json(created).await["id"].as_str().expect("id").to_owned();
    app.post("/api/v1/situations", &token, &json!({"persons": [{"person_id": person, "role": "victim"}]})).await;
    let renamed = app
        .request(Method::PATCH, &format!("/api/v1/persons/{person}"), Some(&token))
        .header("If-Match", etag)
        .json(&json!({"last_name": "Martin"}))
        .send()
        .await
        .expect("patch");
    assert_eq!(renamed.status(), 200);
    for (q, files) in [("martin", 1), ("durand", 0)] {
        let page = json(app.get(&format!("/api/v1/situations?q={q}"), &token).await).await;
        assert_eq!(page["items"].as_array().map(Vec::len), Some(files), "q={q}");
    }
}

#[actix_web::test]
async fn files_are_found_by_any_of_their_persons_phone_numbers_however_written() {
    let app = spawn_app().await;
    let ccas = app.ccas_token();
    let person = json(app.post("/api/v1/persons", &ccas, &json!({"last_name": "Moreau", "phone": "+33 7 88 99 00 11"})).await).await;
    let body = json!({"persons": [{"person_id": person["id"], "role": "victim"}], "problem_types": ["domestic_violence"]});
    let situation = json(app.post("/api/v1/situations", &ccas, &body).await).await;
    app.case().await;
    for q in ["0788", "07%2088%2099", "0033%207%2088", "%2B33%20(0)7%2088", "Moreau"] {
        let found = json(app.get(&format!("/api/v1/situations?q={q}"), &ccas).await).await;
        let ids: Vec<&str> = found["items"].as_array().expect("items").iter().filter_map(|s| s["id"].as_str()).collect();
        assert_eq!(ids, [situation["id"].as_str().expect("id")], "{q}");
    }
    let none = json(app.get("/api/v1/situations?q=0699", &ccas).await).await;
    assert_eq!(none["items"].as_array().map(Vec::len), Some(0));
}
