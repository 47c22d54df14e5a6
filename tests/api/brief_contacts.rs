//! Brief anonymous contacts: recorded without any identity, listed, and counted in the report
//! on their own, never among persons or situations.

use relais_tests::{json, problem, spawn_app};
use serde_json::json;

#[actix_web::test]
async fn a_brief_contact_is_counted_without_a_name_nor_a_file() {
    let app = spawn_app().await;
    let token = app.ccas_token();
    let call = json!({"occurred_at": "2026-03-02T09:30:00Z", "channel": "phone", "origin": "walk_in",
                      "problem_types": ["domestic_violence"], "partner_kind": "victim_support", "duration_minutes": 15});
    let created = app.post("/api/v1/brief-contacts", &token, &call).await;
    assert_eq!(created.status(), 201);
    assert!(created.headers().get("location").is_some());
    let created = json(created).await;
    assert_eq!(created["partner_kind"], "victim_support");
    assert_eq!(created["problem_types"], json!(["domestic_violence"]));
    let visit = json!({"occurred_at": "2026-03-03T14:00:00Z", "channel": "in_person", "origin": "gendarmerie"});
    json(app.post("/api/v1/brief-contacts", &token, &visit).await).await;

    // There is no field for a name: one sent is refused, and so is an unknown problem type or a date to come.
    let named = json!({"channel": "phone", "origin": "walk_in", "last_name": "Durand"});
    problem(app.post("/api/v1/brief-contacts", &token, &named).await, 422).await;
    let unknown = json!({"channel": "phone", "origin": "walk_in", "problem_types": ["weather"]});
    assert_eq!(problem(app.post("/api/v1/brief-contacts", &token, &unknown).await, 422).await["errors"][0]["field"], "problem_types[0]");
    let future = json!({"channel": "phone", "origin": "walk_in", "occurred_at": "2099-01-01T00:00:00Z"});
    assert_eq!(problem(app.post("/api/v1/brief-contacts", &token, &future).await, 422).await["errors"][0]["field"], "occurred_at");

    let list = json(app.get("/api/v1/brief-contacts?limit=1", &token).await).await;
    assert_eq!(list["items"][0]["channel"], "in_person", "most recent first");
    let next = list["next_cursor"].as_str().expect("a second page");
    let rest = json(app.get(&format!("/api/v1/brief-contacts?limit=1&cursor={next}"), &token).await).await;
    assert_eq!(rest["items"][0]["id"], created["id"]);
    // Another CCAS sees none of them.
    let other = app.token(&app.world.ccas_b, &[relais_api::auth::Scope::Ccas]);
    problem(app.get(&format!("/api/v1/brief-contacts/{}", created["id"].as_str().expect("id")), &other).await, 404).await;

    let report = json(app.get("/api/v1/reports/activity?from=2026-03-01&to=2026-03-31", &token).await).await;
    let f = &report["periods"][0]["figures"];
    assert_eq!(f["brief_contacts_total"]["value"], 2);
    let keyed = |list: &serde_json::Value| -> Vec<(String, i64)> {
        list.as_array()
            .expect("breakdown")
            .iter()
            .map(|b| (b["key"].as_str().unwrap_or("").to_owned(), b["count"]["value"].as_i64().unwrap_or(-1)))
            .collect()
    };
    assert_eq!(keyed(&f["brief_contacts_by_channel"]), [("in_person".to_owned(), 1), ("phone".to_owned(), 1)]);
    assert_eq!(keyed(&f["brief_contacts_by_origin"]), [("gendarmerie".to_owned(), 1), ("walk_in".to_owned(), 1)]);
    assert_eq!((f["persons_received"]["value"].as_i64(), f["situations_met"]["total"]["value"].as_i64()), (Some(0), Some(0)));
}
