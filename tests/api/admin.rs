//! Administration: organisations, accounts, API clients and sites of the administrator's CCAS.

use relais_tests::{json, problem, spawn_app};
use reqwest::Method;
use serde_json::json;

#[actix_web::test]
async fn an_administrator_manages_organisations_of_its_ccas_only() {
    let app = spawn_app().await;
    let admin = app.admin_token();
    let created = json(app.post("/api/v1/organisations", &admin, &json!({"kind": "police_municipale", "name": "PM de Vaulx"})).await).await;
    assert_eq!(created["ccas_id"], app.world.ccas_a.as_str());
    let list = json(app.get("/api/v1/organisations", &admin).await).await;
    let names: Vec<&str> = list["items"].as_array().expect("items").iter().filter_map(|o| o["name"].as_str()).collect();
    assert_eq!(names, ["Brigade A", "Brigade A2", "CCAS A", "Commissariat A", "PM de Vaulx", "Police municipale A"]);
    problem(app.post("/api/v1/organisations", &admin, &json!({"kind": "ccas", "name": "Autre CCAS"})).await, 422).await;
    problem(app.get(&format!("/api/v1/organisations/{}", app.world.brigade_b), &admin).await, 404).await;
    let own = format!("/api/v1/organisations/{}", app.world.ccas_a);
    problem(app.patch(&own, &admin, &json!({"active": false})).await, 422).await;
}

#[actix_web::test]
async fn accounts_are_created_validated_and_deactivated() {
    let app = spawn_app().await;
    let admin = app.admin_token();
    let body = json!({"organisation_id": app.world.brigade_a, "login": "mdl.garnier", "display_name": "MDL Garnier", "password": "une phrase de passe longue"});
    let user = json(app.post("/api/v1/users", &admin, &body).await).await;
    assert_eq!(user["scopes"], json!(["gendarmerie"]));
    assert!(user.get("password_hash").is_none() && user.get("password").is_none());
    assert_eq!(problem(app.post("/api/v1/users", &admin, &body).await, 409).await["code"], "login_taken");
    let weak = json!({"organisation_id": app.world.brigade_a, "login": "a b", "display_name": "", "password": "short"});
    let answer = problem(app.post("/api/v1/users", &admin, &weak).await, 422).await;
    let fields: Vec<&str> = answer["errors"].as_array().expect("errors").iter().filter_map(|e| e["field"].as_str()).collect();
    assert_eq!(fields, ["display_name", "login", "password"]);
    let admin_of_brigade = json!({"organisation_id": app.world.brigade_a, "login": "x.admin", "display_name": "X", "password": "une phrase de passe longue", "admin": true});
    problem(app.post("/api/v1/users", &admin, &admin_of_brigade).await, 422).await;
    let elsewhere =
        json!({"organisation_id": app.world.brigade_b, "login": "y.user", "display_name": "Y", "password": "une phrase de passe longue"});
    problem(app.post("/api/v1/users", &admin, &elsewhere).await, 422).await;
    let sign_in = || {
        app.request(Method::POST, "/api/v1/auth/token", None)
            .form(&[("grant_type", "password"), ("username", "mdl.garnier"), ("password", "une phrase de passe longue")])
            .send()
    };
    // The password the administrator chose is replaced by its owner first.
    assert_eq!(problem(sign_in().await.expect("sign in"), 400).await["code"], "password_change_required");
    assert_eq!(app.change_password("mdl.garnier", "une phrase de passe longue", relais_tests::OWN_PASSWORD).await.status(), 204);
    let sign_in = || {
        app.request(Method::POST, "/api/v1/auth/token", None)
            .form(&[("grant_type", "password"), ("username", "mdl.garnier"), ("password", relais_tests::OWN_PASSWORD)])
            .send()
    };
    assert_eq!(sign_in().await.expect("sign in").status(), 200);
    let path = format!("/api/v1/users/{}", user["id"].as_str().expect("id"));
    assert_eq!(json(app.patch(&path, &admin, &json!({"active": false})).await).await["active"], false);
    problem(sign_in().await.expect("sign in"), 400).await;
}

#[actix_web::test]
async fn sites_have_default_or_validated_opening_hours() {
    let app = spawn_app().await;
    let admin = app.admin_token();
    let site = json(app.post("/api/v1/sites", &admin, &json!({"name": "Brigade de Villefontaine"})).await).await;
    let hours = site["opening_hours"].as_array().expect("hours");
    assert_eq!(hours.len(), 6);
    assert_eq!(hours[0], json!({"weekday": "monday", "opens": "09:00", "closes": "17:00"}));
    assert_eq!(hours[5], json!({"weekday": "saturday", "opens": "09:00", "closes": "12:00"}));
    let path = format!("/api/v1/sites/{}", site["id"].as_str().expect("id"));
    let custom = json!({"name": "Brigade", "opening_hours": [
        {"weekday": "tuesday", "opens": "14:00", "closes": "18:00"},
        {"weekday": "tuesday", "opens": "08:30", "closes": "12:00"}
    ]});
    let replaced = json(app.put(&path, &admin, &custom).await).await;
    assert_eq!(replaced["opening_hours"][0]["opens"], "08:30");
    let bad = json!({"name": "B", "opening_hours": [
        {"weekday": "monday", "opens": "9h", "closes": "12:00"},
        {"weekday": "friday", "opens": "14:00", "closes": "13:00"},
        {"weekday": "saturday", "opens": "09:00", "closes": "12:00"},
        {"weekday": "saturday", "opens": "11:00", "closes": "13:00"}
    ]});
    let answer = problem(app.put(&path, &admin, &bad).await, 422).await;
    let fields: Vec<&str> = answer["errors"].as_array().expect("errors").iter().filter_map(|e| e["field"].as_str()).collect();
    assert_eq!(fields, ["opening_hours[0].opens", "opening_hours[1].closes", "opening_hours[3]"]);
    assert_eq!(json(app.get(&path, &app.ccas_token()).await).await["name"], "Brigade");
}
