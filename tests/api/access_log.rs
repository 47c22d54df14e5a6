//! Issue 10, the access log's completeness: administration, sign-ins, refusals, candidates shown
//! by a 409, and the administrators' filters and CSV; administration without a back door.

use relais_api::auth::Scope;
use relais_tests::{ADMIN_SET_PASSWORD, OWN_PASSWORD, TestApp, json, problem, referral_body, spawn_app};
use reqwest::Method;
use serde_json::{Value, json};

/// The events of CCAS A's trail matching `query`, newest first.
async fn events(app: &TestApp, query: &str) -> Vec<Value> {
    let page = json(app.get(&format!("/api/v1/audit-events?limit=200&{query}"), &app.admin_token()).await).await;
    page["items"].as_array().expect("items").clone()
}

fn actions(events: &[Value]) -> Vec<(String, String)> {
    events.iter().map(|e| (e["action"].as_str().unwrap_or("").to_owned(), e["outcome"].as_str().unwrap_or("").to_owned())).collect()
}

fn has(events: &[Value], action: &str, outcome: &str, object: &str) -> bool {
    events.iter().any(|e| {
        e["action"] == action && e["outcome"] == outcome && e["object_ids"].as_array().is_some_and(|ids| ids.iter().any(|id| id == object))
    })
}

fn access_token(answer: &Value) -> String {
    answer["access_token"].as_str().expect("access token").to_owned()
}

#[actix_web::test]
async fn administration_actions_are_recorded() {
    let app = spawn_app().await;
    let admin = app.admin_token();
    let org = json(app.post("/api/v1/organisations", &admin, &json!({"kind": "police_municipale", "name": "PM Est"})).await).await;
    let org_id = org["id"].as_str().expect("id");
    app.patch(&format!("/api/v1/organisations/{org_id}"), &admin, &json!({"name": "PM de l'Est", "active": false})).await;
    let site = json(app.post("/api/v1/sites", &admin, &json!({"name": "Brigade"})).await).await;
    let site_id = site["id"].as_str().expect("id");
    app.put(&format!("/api/v1/sites/{site_id}"), &admin, &json!({"name": "Brigade Nord"})).await;
    let body = json!({"organisation_id": app.world.brigade_a, "login": "mdl.garnier", "display_name": "MDL Garnier", "password": ADMIN_SET_PASSWORD});
    let user = json(app.post("/api/v1/users", &admin, &body).await).await;
    let user_id = user["id"].as_str().expect("id");
    let path = format!("/api/v1/users/{user_id}");
    app.patch(&path, &admin, &json!({"password": "une autre phrase provisoire", "active": false})).await;
    let client = json(app.post("/api/v1/api-clients", &admin, &json!({"organisation_id": app.world.police_a, "label": "PM"})).await).await;
    let client_id = client["client"]["id"].as_str().expect("id");
    app.request(Method::DELETE, &format!("/api/v1/api-clients/{client_id}"), Some(&admin)).send().await.expect("revoke");
    let partner = json(app.post("/api/v1/partners", &app.ccas_token(), &json!({"name": "CIDFF", "kind": "victim_support"})).await).await;
    let partner_id = partner["id"].as_str().expect("id");

    let trail = events(&app, "").await;
    for (action, object) in [
        ("organisation.create", org_id),
        ("organisation.rename", org_id),
        ("organisation.deactivate", org_id),
        ("site.create", site_id),
        ("site.replace", site_id),
        ("user.create", user_id),
        ("user.password_reset", user_id),
        ("user.deactivate", user_id),
        ("api_client.create", client_id),
        ("api_client.revoke", client_id),
        ("partner.create", partner_id),
    ] {
        assert!(has(&trail, action, "success", object), "{action} of {object} is not in the trail: {:?}", actions(&trail));
    }
    let text = serde_json::to_string(&trail).expect("json");
    for personal in ["MDL Garnier", "mdl.garnier", ADMIN_SET_PASSWORD, "une autre phrase provisoire", "CIDFF"] {
        assert!(!text.contains(personal), "the trail holds {personal:?}");
    }
}

#[actix_web::test]
async fn api_clients_never_hold_case_content_or_administration() {
    let app = spawn_app().await;
    let admin = app.admin_token();
    for scopes in [json!(["ccas"]), json!(["admin"]), json!(["reports", "ccas"])] {
        let body = json!({"organisation_id": app.world.ccas_a, "label": "Outil", "scopes": scopes});
        let answer = problem(app.post("/api/v1/api-clients", &admin, &body).await, 422).await;
        assert_eq!(answer["errors"][0]["field"], "scopes");
    }
    // A CCAS's client is a reporting tool unless told otherwise.
    let created =
        json(app.post("/api/v1/api-clients", &admin, &json!({"organisation_id": app.world.ccas_a, "label": "Tableaux"})).await).await;
    assert_eq!(created["client"]["scopes"], json!(["reports"]));
}

#[actix_web::test]
async fn a_password_set_by_an_administrator_is_changed_at_the_first_sign_in() {
    let app = spawn_app().await;
    let body =
        json!({"organisation_id": app.world.ccas_a, "login": "c.martin", "display_name": "Claire Martin", "password": ADMIN_SET_PASSWORD});
    app.post("/api/v1/users", &app.admin_token(), &body).await;
    let first = problem(app.sign_in("c.martin", ADMIN_SET_PASSWORD).await, 400).await;
    assert_eq!(first["code"], "password_change_required");
    assert_eq!(problem(app.change_password("c.martin", "pas le bon mot de passe", OWN_PASSWORD).await, 400).await["code"], "invalid_grant");
    let same = problem(app.change_password("c.martin", ADMIN_SET_PASSWORD, ADMIN_SET_PASSWORD).await, 422).await;
    assert_eq!(same["errors"][0]["field"], "new_password");
    problem(app.change_password("c.martin", ADMIN_SET_PASSWORD, "court").await, 422).await;
    assert_eq!(app.change_password("c.martin", ADMIN_SET_PASSWORD, OWN_PASSWORD).await.status(), 204);
    problem(app.sign_in("c.martin", ADMIN_SET_PASSWORD).await, 400).await;
    assert_eq!(app.sign_in("c.martin", OWN_PASSWORD).await.status(), 200);
}

#[actix_web::test]
async fn a_password_reset_or_change_revokes_live_tokens_at_once() {
    let app = spawn_app().await;
    let user = app.create_user(&app.world.ccas_a, "c.martin", false).await;
    let token = access_token(&json(app.sign_in("c.martin", OWN_PASSWORD).await).await);
    assert_eq!(app.get("/api/v1/referrals", &token).await.status(), 200);
    // The owner changes it: the token issued before stops working; a new one works.
    assert_eq!(app.change_password("c.martin", OWN_PASSWORD, "encore une autre phrase").await.status(), 204);
    problem(app.get("/api/v1/referrals", &token).await, 401).await;
    let token = access_token(&json(app.sign_in("c.martin", "encore une autre phrase").await).await);
    assert_eq!(app.get("/api/v1/referrals", &token).await.status(), 200);
    // The administrator resets it: revoked too, and the owner must choose again.
    let path = format!("/api/v1/users/{}", user["id"].as_str().expect("id"));
    assert_eq!(app.patch(&path, &app.admin_token(), &json!({"password": "provisoire provisoire"})).await.status(), 200);
    problem(app.get("/api/v1/referrals", &token).await, 401).await;
    assert_eq!(problem(app.sign_in("c.martin", "provisoire provisoire").await, 400).await["code"], "password_change_required");
}

#[actix_web::test]
async fn sign_ins_and_tokens_are_recorded_never_the_password() {
    let app = spawn_app().await;
    let user = app.create_user(&app.world.ccas_a, "c.martin", false).await;
    let user_id = user["id"].as_str().expect("id");
    let token = access_token(&json(app.sign_in("c.martin", OWN_PASSWORD).await).await);
    let jti = relais_tests::claims_of(&token)["jti"].as_str().expect("jti").to_owned();
    problem(app.sign_in("c.martin", "une erreur de frappe").await, 400).await;
    problem(app.sign_in("personne.inconnue", "une erreur de frappe").await, 400).await;

    let sign_ins = events(&app, "action=auth.sign_in").await;
    assert_eq!(actions(&sign_ins), [("auth.sign_in".into(), "failure".into()), ("auth.sign_in".into(), "success".into())]);
    assert_eq!(sign_ins[1]["object_id"], jti.as_str(), "the token issued is named by its id");
    assert!(sign_ins.iter().all(|e| e["actor_sub"] == user_id));
    let changes = events(&app, "action=user.password_change").await;
    assert_eq!(changes.len(), 1);
    let text = serde_json::to_string(&events(&app, "").await).expect("json");
    for secret in [OWN_PASSWORD, "une erreur de frappe", "personne.inconnue", "c.martin", token.as_str()] {
        assert!(!text.contains(secret), "the trail holds {secret:?}");
    }
    // The unknown login is in the chain, in no CCAS's trail.
    let admin_b = app.token(&app.world.ccas_b, &[Scope::Admin]);
    let foreign = json(app.get("/api/v1/audit-events?action=auth.sign_in", &admin_b).await).await;
    assert_eq!(foreign["items"], json!([]));
}

#[actix_web::test]
async fn refused_requests_are_recorded_in_the_trail_of_the_ccas_probed() {
    let app = spawn_app().await;
    let case = app.case().await;
    // 403: a unit on the coordinators' files.
    problem(app.get(&format!("/api/v1/situations/{}", case.situation), &app.gendarmerie_token()).await, 403).await;
    // 404 from another CCAS, reading and writing.
    let ccas_b = app.token(&app.world.ccas_b, &[Scope::Ccas]);
    let probe_b = json!({"body": "x"});
    problem(app.get(&format!("/api/v1/situations/{}", case.situation), &ccas_b).await, 404).await;
    problem(app.post(&format!("/api/v1/situations/{}/notes", case.situation), &ccas_b, &probe_b).await, 404).await;
    problem(app.get(&format!("/api/v1/persons/{}", case.person), &ccas_b).await, 404).await;
    // 401: no token.
    problem(app.request(Method::GET, &format!("/api/v1/persons/{}", case.person), None).send().await.expect("request"), 401).await;

    let refused = events(&app, "action=request.refused").await;
    let from_unit = refused.iter().find(|e| e["outcome"] == "refused").expect("the 403");
    assert_eq!(from_unit["organisation_id"], app.world.brigade_a.as_str());
    assert_eq!(from_unit["object_id"], "GET /api/v1/situations/{id}");
    assert_eq!(from_unit["object_ids"], json!([case.situation]));
    let probes: Vec<&Value> = refused.iter().filter(|e| e["outcome"] == "not_found").collect();
    assert_eq!(probes.len(), 3, "{refused:?}");
    assert!(probes.iter().all(|e| e["organisation_id"] == app.world.ccas_b.as_str()));
    assert!(has(&refused, "request.refused", "not_found", &case.person));
    // The anonymous 401 is in the chain, in no trail; B's own trail holds its failed write.
    let admin_b = app.token(&app.world.ccas_b, &[Scope::Admin]);
    let own = json(app.get("/api/v1/audit-events?action=request.refused", &admin_b).await).await;
    assert_eq!(own["items"].as_array().map(Vec::len), Some(1));
    assert_eq!(own["items"][0]["object_id"], case.situation.as_str());
}

#[actix_web::test]
async fn the_candidates_of_a_possible_duplicate_and_of_a_search_are_recorded() {
    let app = spawn_app().await;
    let coordinator = app.ccas_token();
    let body = json!({"last_name": "Lefèvre", "first_name": "Sandrine", "birth_date": "1990-04-02"});
    let first = json(app.post("/api/v1/persons", &coordinator, &body).await).await;
    let id = first["id"].as_str().expect("id");
    let conflict = problem(app.post("/api/v1/persons", &coordinator, &body).await, 409).await;
    assert_eq!(conflict["conflicts"][0]["id"], id);
    app.get("/api/v1/persons?q=lefe", &coordinator).await;
    let trail = events(&app, &format!("object_id={id}")).await;
    assert_eq!(
        actions(&trail),
        [
            ("person.list".into(), "success".into()),
            ("person.duplicate_candidates".into(), "success".into()),
            ("person.create".into(), "success".into())
        ]
    );
    // Accepting a referral whose person looks like her: the candidates shown are recorded too.
    let referral = json(app.post("/api/v1/referrals", &app.gendarmerie_token(), &referral_with_birth_date()).await).await;
    let accept = format!("/api/v1/referrals/{}/accept", referral["id"].as_str().expect("id"));
    problem(app.post(&accept, &coordinator, &json!({})).await, 409).await;
    assert_eq!(events(&app, &format!("object_id={id}&action=person.duplicate_candidates")).await.len(), 2);
}

fn referral_with_birth_date() -> Value {
    let mut body = referral_body("Lefèvre");
    body["persons"][0]["birth_date"] = json!("1990-04-02");
    body["persons"][0].as_object_mut().expect("person").remove("age");
    body
}

#[actix_web::test]
async fn administrators_filter_the_trail_and_export_it_as_csv() {
    let app = spawn_app().await;
    for name in ["Lefèvre", "Martin", "Durand"] {
        app.post("/api/v1/referrals", &app.gendarmerie_token(), &referral_body(name)).await;
    }
    app.clock().advance(chrono::Duration::seconds(1));
    let before = app.clock().now_utc();
    app.get("/api/v1/referrals", &app.ccas_token()).await;
    problem(app.get("/api/v1/situations", &app.police_token()).await, 403).await;

    assert_eq!(events(&app, "action=referral.create").await.len(), 3);
    assert_eq!(actions(&events(&app, "outcome=refused").await), [("request.refused".into(), "refused".into())]);
    let since = before.to_rfc3339_opts(chrono::SecondsFormat::Micros, true).replace('+', "%2B");
    let recent = events(&app, &format!("from={since}")).await;
    assert!(recent.iter().all(|e| e["action"] != "referral.create"), "{:?}", actions(&recent));
    assert!(recent.iter().any(|e| e["action"] == "referral.list"));
    assert!(events(&app, &format!("to={since}")).await.iter().all(|e| e["action"] == "referral.create"));
    for bad in ["outcome=maybe", "action=DROP%20TABLE", &format!("from={since}&to={since}"), "from=yesterday"] {
        let answer = app.get(&format!("/api/v1/audit-events?{bad}"), &app.admin_token()).await;
        assert!(matches!(answer.status().as_u16(), 400 | 422), "{bad}: {}", answer.status());
    }

    let csv = app
        .request(Method::GET, "/api/v1/audit-events?action=referral.create&limit=2", Some(&app.admin_token()))
        .header("Accept", "text/csv")
        .send()
        .await
        .expect("csv");
    assert_eq!(csv.headers()["content-type"], "text/csv; charset=utf-8");
    let next = csv.headers().get("link").and_then(|v| v.to_str().ok()).expect("a next page").to_owned();
    let text = csv.text().await.expect("text");
    let lines: Vec<&str> = text.trim_end().split("\r\n").collect();
    assert!(lines[0].trim_start_matches('\u{feff}').starts_with("id;at;actor_sub;"));
    assert_eq!(lines.len(), 3);
    let next = next.trim_start_matches('<').split('>').next().expect("address");
    let rest = app.request(Method::GET, next, Some(&app.admin_token())).header("Accept", "text/csv").send().await.expect("next");
    assert_eq!(rest.text().await.expect("text").trim_end().split("\r\n").count(), 2);
    // Reading the trail is itself recorded.
    assert!(!events(&app, "action=audit_event.list").await.is_empty());
}
