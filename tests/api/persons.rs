//! Persons: duplicates answer 409 with candidates, search ignores accents and case, changes
//! need the current version.

use relais_tests::{TestApp, json, problem, spawn_app};
use reqwest::Method;
use serde_json::{Value, json};

async fn create(app: &TestApp, body: Value) -> reqwest::Response {
    app.post("/api/v1/persons", &app.ccas_token(), &body).await
}

#[actix_web::test]
async fn a_look_alike_answers_409_with_candidates_unless_confirmed_distinct() {
    let app = spawn_app().await;
    let first = json(
        create(&app, json!({"last_name": "Durand", "first_name": "Hélène", "birth_date": "1985-04-12", "phone": "06 98 76 54 32"})).await,
    )
    .await;
    // Same names ignoring accents and case, same birth date.
    let same = problem(create(&app, json!({"last_name": "DURAND", "first_name": "helene", "birth_date": "1985-04-12"})).await, 409).await;
    assert_eq!(same["code"], "possible_duplicate");
    assert_eq!(same["conflicts"][0]["id"], first["id"]);
    // Same phone, other formatting, other name.
    let phone = problem(create(&app, json!({"last_name": "Martin", "first_name": "Luc", "phone": "+33 6 98 76 54 32"})).await, 409).await;
    assert_eq!(phone["conflicts"][0]["id"], first["id"]);
    // Same names, another birth date: a different person.
    assert_eq!(create(&app, json!({"last_name": "Durand", "first_name": "Hélène", "birth_date": "1990-01-01"})).await.status(), 201);
    // Confirmed distinct.
    let confirmed =
        create(&app, json!({"last_name": "Durand", "first_name": "Hélène", "birth_date": "1985-04-12", "confirm_distinct": true})).await;
    assert_eq!(confirmed.status(), 201);
}

#[actix_web::test]
async fn search_finds_names_without_accents_and_phones_in_any_format() {
    let app = spawn_app().await;
    create(&app, json!({"last_name": "Durand", "first_name": "Hélène", "phone": "06 98 76 54 32"})).await;
    create(&app, json!({"last_name": "Lefèvre", "first_name": "Sandrine"})).await;
    let token = app.ccas_token();
    let names = |page: &Value| {
        page["items"].as_array().expect("items").iter().map(|p| p["last_name"].as_str().unwrap_or("").to_owned()).collect::<Vec<_>>()
    };
    assert_eq!(names(&json(app.get("/api/v1/persons?q=HELENE", &token).await).await), ["Durand"]);
    assert_eq!(names(&json(app.get("/api/v1/persons?q=lefevre", &token).await).await), ["Lefèvre"]);
    assert_eq!(names(&json(app.get("/api/v1/persons?q=sandrine%20lefevre", &token).await).await), ["Lefèvre"]);
    assert_eq!(names(&json(app.get("/api/v1/persons?phone=%2B33698765432", &token).await).await), ["Durand"]);
    assert_eq!(names(&json(app.get("/api/v1/persons", &token).await).await), ["Durand", "Lefèvre"]);
    let other = app.token(&app.world.ccas_b, &[relais_api::auth::Scope::Ccas]);
    assert!(names(&json(app.get("/api/v1/persons", &other).await).await).is_empty());
}

#[actix_web::test]
async fn changes_need_the_current_version() {
    let app = spawn_app().await;
    let token = app.ccas_token();
    let response =
        create(&app, json!({"last_name": "Durand", "first_name": "Hélène", "safe_contact": {"call": "no", "note": "téléphone partagé"}}))
            .await;
    let etag = response.headers().get("etag").and_then(|v| v.to_str().ok()).expect("etag").to_owned();
    let person = json(response).await;
    assert_eq!(person["safe_contact"], json!({"call": "no", "text": "unknown", "write": "unknown", "note": "téléphone partagé"}));
    let path = format!("/api/v1/persons/{}", person["id"].as_str().expect("id"));
    let patch = |etag: Option<&str>, body: Value| {
        let mut request = app.request(Method::PATCH, &path, Some(&token)).json(&body);
        if let Some(etag) = etag {
            request = request.header("If-Match", etag);
        }
        request.send()
    };
    problem(patch(None, json!({"commune": "Vienne"})).await.expect("patch"), 428).await;
    let changed = patch(Some(&etag), json!({"commune": "Vienne", "safe_contact": {"text": "yes"}})).await.expect("patch");
    assert_eq!(changed.status(), 200);
    let new_etag = changed.headers().get("etag").and_then(|v| v.to_str().ok()).expect("etag").to_owned();
    assert_ne!(new_etag, etag);
    let changed = json(changed).await;
    assert_eq!(changed["commune"], "Vienne");
    assert_eq!(changed["last_name"], "Durand", "untouched fields stay");
    assert_eq!(changed["safe_contact"]["text"], "yes");
    assert_eq!(changed["safe_contact"]["call"], "no", "merge patch keeps nested fields");
    // A second coordinator still holding the old version.
    problem(patch(Some(&etag), json!({"commune": "Lyon"})).await.expect("patch"), 412).await;
    // A null clears a field; the merged result is validated like a creation.
    assert!(json(patch(Some(&new_etag), json!({"commune": null})).await.expect("patch")).await["commune"].is_null());
    let current = app.get(&path, &token).await.headers().get("etag").and_then(|v| v.to_str().ok()).expect("etag").to_owned();
    let invalid = problem(patch(Some(&current), json!({"last_name": null, "first_name": null})).await.expect("patch"), 422).await;
    assert_eq!(invalid["errors"][0]["field"], "body");
}

#[actix_web::test]
async fn the_export_holds_what_is_kept_about_the_person_and_no_third_party() {
    let app = spawn_app().await;
    let case = app.case().await;
    let coordinator = app.ccas_token();
    let author = json(
        app.post("/api/v1/persons", &coordinator, &json!({"last_name": "Moreau", "first_name": "Kevin", "phone": "06 99 88 77 66"})).await,
    )
    .await;
    let author_id = author["id"].as_str().expect("id");
    let role = app
        .put(&format!("/api/v1/situations/{}/persons/{author_id}", case.situation), &coordinator, &json!({"role": "alleged_author"}))
        .await;
    assert_eq!(role.status(), 200);
    app.post(&format!("/api/v1/situations/{}/notes", case.situation), &coordinator, &json!({"body": "Premier entretien."})).await;
    let colleague = app.state.tokens.issue("another-coordinator", &app.world.ccas_a, &[relais_api::auth::Scope::Ccas], 600).expect("token");
    app.post(&format!("/api/v1/situations/{}/notes", case.situation), &colleague, &json!({"body": "Note privée", "private": true})).await;

    let path = format!("/api/v1/persons/{}/export", case.person);
    let answer = app.get(&path, &coordinator).await;
    assert!(answer.headers()["content-disposition"].to_str().unwrap_or("").contains("attachment"));
    let export = json(answer).await;
    assert_eq!(export["person"]["id"], case.person.as_str());
    assert_eq!(export["person"]["last_name"], "Petit");
    let situation = &export["situations"][0];
    assert_eq!(situation["id"], case.situation.as_str());
    assert_eq!(situation["role"], "victim");
    assert_eq!(situation["other_roles"], json!(["alleged_author"]));
    assert_eq!(situation["notes"].as_array().map(Vec::len), Some(1));
    assert_eq!(situation["private_notes_withheld"], 1);
    let text = export.to_string();
    for third_party in ["Moreau", "Kevin", "06 99 88 77 66", author_id, "Note privée"] {
        assert!(!text.contains(third_party), "the export shows {third_party:?}");
    }
    // Recorded, with what it reached; refused elsewhere.
    let events =
        json(app.get(&format!("/api/v1/audit-events?action=person.export&object_id={}", case.situation), &app.admin_token()).await).await;
    assert_eq!(events["items"].as_array().map(Vec::len), Some(1));
    problem(app.get(&path, &app.token(&app.world.ccas_b, &[relais_api::auth::Scope::Ccas])).await, 404).await;
    problem(app.get(&path, &app.gendarmerie_token()).await, 403).await;
}
