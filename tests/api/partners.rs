//! The partners directory: accent-insensitive search, filters, deactivation, and the agencies'
//! restricted view.

use std::collections::BTreeSet;

use relais_tests::{TestApp, json, problem, spawn_app};
use reqwest::Method;
use serde_json::{Value, json};

async fn add(app: &TestApp, body: Value) -> Value {
    let response = app.post("/api/v1/partners", &app.ccas_token(), &body).await;
    assert_eq!(response.status(), 201, "{}", response.text().await.unwrap_or_default());
    json(response).await
}

fn names(page: &Value) -> Vec<String> {
    page["items"].as_array().expect("items").iter().map(|p| p["name"].as_str().unwrap_or("").to_owned()).collect()
}

#[actix_web::test]
async fn search_ignores_accents_and_case_and_filters_by_kind_and_theme() {
    let app = spawn_app().await;
    add(&app, json!({"name": "Centre médico-psychologique Hélène Boucher", "kind": "mental_health", "themes": ["mental_distress"], "commune": "Villefontaine"})).await;
    add(&app, json!({"name": "Association d'aide aux victimes", "kind": "victim_support", "themes": ["domestic_violence", "harassment"], "commune": "Bourgoin-Jallieu"})).await;
    add(&app, json!({"name": "Élan Logement", "kind": "housing", "themes": ["housing_precarity"], "commune": "L'Isle-d'Abeau"})).await;
    let token = app.ccas_token();
    for (query, expected) in [
        ("HELENE", vec!["Centre médico-psychologique Hélène Boucher"]),
        ("hélène", vec!["Centre médico-psychologique Hélène Boucher"]),
        ("medico", vec!["Centre médico-psychologique Hélène Boucher"]),
        ("elan", vec!["Élan Logement"]),
        ("isle-d'abeau", vec!["Élan Logement"]),
        ("BOURGOIN", vec!["Association d'aide aux victimes"]),
        ("100%", vec![]),
    ] {
        let page = json(app.get(&format!("/api/v1/partners?q={}", urlencode(query)), &token).await).await;
        assert_eq!(names(&page), expected, "q={query}");
    }
    let by_kind = json(app.get("/api/v1/partners?kind=housing", &token).await).await;
    assert_eq!(names(&by_kind), ["Élan Logement"]);
    let by_theme = json(app.get("/api/v1/partners?theme=harassment", &token).await).await;
    assert_eq!(names(&by_theme), ["Association d'aide aux victimes"]);
    let all = json(app.get("/api/v1/partners", &token).await).await;
    assert_eq!(
        names(&all),
        ["Association d'aide aux victimes", "Centre médico-psychologique Hélène Boucher", "Élan Logement"],
        "sorted ignoring accents"
    );
}

fn urlencode(text: &str) -> String {
    text.bytes().map(|b| if b.is_ascii_alphanumeric() { (b as char).to_string() } else { format!("%{b:02X}") }).collect()
}

/// Replaces a partner, sending `if_match` in `If-Match`.
async fn replace(app: &TestApp, path: &str, token: &str, body: &Value, if_match: &str) -> reqwest::Response {
    app.request(Method::PUT, path, Some(token)).header("If-Match", if_match).json(body).send().await.expect("put")
}

#[actix_web::test]
async fn deactivated_partners_leave_the_directory_but_are_never_deleted() {
    let app = spawn_app().await;
    let partner = add(&app, json!({"name": "CSAPA", "kind": "addiction", "notes": "demander Mme X"})).await;
    let id = partner["id"].as_str().expect("id");
    let path = format!("/api/v1/partners/{id}");
    let read = app.get(&path, &app.ccas_token()).await;
    let etag = read.headers().get("etag").and_then(|v| v.to_str().ok()).expect("etag").to_owned();
    let mut replaced = json!({"name": "CSAPA", "kind": "addiction", "active": false});
    problem(app.put(&path, &app.ccas_token(), &replaced).await, 428).await;
    let updated = json(replace(&app, &path, &app.ccas_token(), &replaced, &etag).await).await;
    assert_eq!(updated["active"], false);
    // A second coordinator with the old version would undo the first's change: 412.
    problem(replace(&app, &path, &app.ccas_token(), &json!({"name": "CSAPA (ancien)", "kind": "addiction"}), &etag).await, 412).await;
    assert!(names(&json(app.get("/api/v1/partners", &app.ccas_token()).await).await).is_empty());
    assert_eq!(names(&json(app.get("/api/v1/partners?active=false", &app.ccas_token()).await).await), ["CSAPA"]);
    assert_eq!(app.get(&format!("/api/v1/directory/{id}"), &app.gendarmerie_token()).await.status(), 404);
    replaced["active"] = json!(true);
    assert_eq!(replace(&app, &path, &app.ccas_token(), &replaced, "*").await.status(), 200);
    assert_eq!(app.get(&format!("/api/v1/directory/{id}"), &app.gendarmerie_token()).await.status(), 200);
}

#[actix_web::test]
async fn agencies_read_the_active_directory_without_notes() {
    let app = spawn_app().await;
    add(&app, json!({"name": "Maison des solidarités", "kind": "social_services", "phone": "04 74 00 00 00", "notes": "interne"})).await;
    let page = json(app.get("/api/v1/directory", &app.police_token()).await).await;
    let entry = &page["items"][0];
    let keys: BTreeSet<&str> = entry.as_object().expect("object").keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        BTreeSet::from(["id", "name", "kind", "themes", "publics", "address", "commune", "phone", "email", "website", "opening_hours"])
    );
    assert_eq!(entry["phone"], "04 74 00 00 00");
    problem(app.get("/api/v1/directory?active=false", &app.police_token()).await, 422).await;
}

#[actix_web::test]
async fn partner_input_is_validated() {
    let app = spawn_app().await;
    let body = json!({"name": "", "kind": "spaceship", "email": "x"});
    problem(app.post("/api/v1/partners", &app.ccas_token(), &body).await, 422).await;
    let body = json!({"name": "", "kind": "health", "email": "x", "website": "not a url", "themes": ["nope"]});
    let answer = problem(app.post("/api/v1/partners", &app.ccas_token(), &body).await, 422).await;
    let fields: BTreeSet<&str> = answer["errors"].as_array().expect("errors").iter().filter_map(|e| e["field"].as_str()).collect();
    assert_eq!(fields, BTreeSet::from(["email", "name", "website"]));
    let body = json!({"name": "Ok", "kind": "health", "themes": ["nope"]});
    let answer = problem(app.post("/api/v1/partners", &app.ccas_token(), &body).await, 422).await;
    assert_eq!(answer["errors"][0]["field"], "themes[0]");
}

#[actix_web::test]
async fn another_ccas_does_not_see_the_partners() {
    let app = spawn_app().await;
    let partner = add(&app, json!({"name": "Partenaire A", "kind": "health"})).await;
    let other = app.token(&app.world.ccas_b, &[relais_api::auth::Scope::Ccas]);
    assert!(names(&json(app.get("/api/v1/partners", &other).await).await).is_empty());
    let path = format!("/api/v1/partners/{}", partner["id"].as_str().expect("id"));
    problem(app.get(&path, &other).await, 404).await;
    problem(replace(&app, &path, &other, &json!({"name": "Pris", "kind": "health"}), "*").await, 404).await;
}
