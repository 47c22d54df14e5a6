//! Interventions: orientation to a partner, legal reports, persons of the situation.

use relais_tests::{json, problem, spawn_app};
use serde_json::json;

#[actix_web::test]
async fn interventions_follow_their_kind_rules() {
    let app = spawn_app().await;
    let case = app.case().await;
    let token = app.ccas_token();
    let partner = json(app.post("/api/v1/partners", &token, &json!({"name": "CIDFF", "kind": "legal_aid"})).await).await;
    let base = json!({"situation_id": case.situation, "occurred_at": "2026-03-30T08:00:00Z", "coordinator_id": case.coordinator, "person_ids": [case.person]});
    let with = |extra: serde_json::Value| {
        let mut body = base.clone();
        for (k, v) in extra.as_object().expect("object") {
            body[k] = v.clone();
        }
        body
    };
    let orientation = app
        .post("/api/v1/interventions", &token, &with(json!({"kind": "orientation", "partner_id": partner["id"], "in_person": true})))
        .await;
    assert_eq!(orientation.status(), 201);
    let orientation = json(orientation).await;
    assert_eq!(orientation["partner_id"], partner["id"]);
    assert_eq!(orientation["person_ids"], json!([case.person]));
    let missing_partner = problem(app.post("/api/v1/interventions", &token, &with(json!({"kind": "orientation"}))).await, 422).await;
    assert_eq!(missing_partner["errors"][0]["field"], "partner_id");
    let stray_partner =
        problem(app.post("/api/v1/interventions", &token, &with(json!({"kind": "advice", "partner_id": partner["id"]}))).await, 422).await;
    assert_eq!(stray_partner["errors"][0]["field"], "partner_id");
    let no_report = problem(app.post("/api/v1/interventions", &token, &with(json!({"kind": "concern_report"}))).await, 422).await;
    assert_eq!(no_report["errors"][0]["field"], "report");
    let report = json!({"kind": "concern_report", "report": {"sent_on": "2026-03-30", "recipient": "CRIP de l'Isère"}});
    let sent = json(app.post("/api/v1/interventions", &token, &with(report)).await).await;
    assert_eq!(sent["report"]["recipient"], "CRIP de l'Isère");
    let outsider = json(app.post("/api/v1/persons", &token, &json!({"last_name": "Autre", "first_name": "Personne"})).await).await;
    let answer =
        problem(app.post("/api/v1/interventions", &token, &with(json!({"kind": "advice", "person_ids": [outsider["id"]]}))).await, 422)
            .await;
    assert_eq!(answer["errors"][0]["field"], "person_ids[0]");
    let list = json(app.get(&format!("/api/v1/interventions?situation_id={}", case.situation), &token).await).await;
    assert_eq!(list["items"].as_array().map(Vec::len), Some(2));
    let timeline = json(app.get(&format!("/api/v1/situations/{}/timeline", case.situation), &token).await).await;
    let kinds: Vec<&str> = timeline["items"].as_array().expect("items").iter().filter_map(|e| e["kind"].as_str()).collect();
    assert_eq!(kinds, ["intervention", "intervention"]);
    let read = json(app.get(&format!("/api/v1/interventions/{}", orientation["id"].as_str().expect("id")), &token).await).await;
    assert_eq!(read["kind"], "orientation");
}

#[actix_web::test]
async fn an_orientation_records_whether_the_partner_took_the_person_in_charge() {
    let app = spawn_app().await;
    let case = app.case().await;
    let token = app.ccas_token();
    let partner = json(app.post("/api/v1/partners", &token, &json!({"name": "France Victimes", "kind": "victim_support"})).await).await;
    let record = |kind: &str, partner: Option<&serde_json::Value>| {
        let mut body = json!({"situation_id": case.situation, "kind": kind, "occurred_at": "2026-03-30T08:00:00Z",
                              "coordinator_id": case.coordinator, "person_ids": [case.person]});
        if let Some(p) = partner {
            body["partner_id"] = p["id"].clone();
        }
        body
    };
    let oriented = json(app.post("/api/v1/interventions", &token, &record("orientation", Some(&partner))).await).await;
    assert_eq!(oriented["follow_up"], json!({"took_over": "unknown", "on": null}), "not known until said");
    let listening = json(app.post("/api/v1/interventions", &token, &record("first_listening", None)).await).await;
    assert!(listening["follow_up"].is_null());
    let path = |i: &serde_json::Value| format!("/api/v1/interventions/{}/follow-up", i["id"].as_str().expect("id"));
    let wrong_kind = problem(app.post(&path(&listening), &token, &json!({"took_over": "yes"})).await, 409).await;
    assert_eq!(wrong_kind["code"], "not_an_orientation");
    for (body, why) in [
        (json!({"took_over": "yes", "on": "2026-03-29"}), "before the orientation"),
        (json!({"took_over": "unknown", "on": "2026-04-02"}), "a date without an answer"),
        (json!({"took_over": "maybe"}), "an answer that does not exist"),
    ] {
        let refused = app.post(&path(&oriented), &token, &body).await;
        assert_eq!(refused.status(), 422, "{why}");
    }
    let followed = json(app.post(&path(&oriented), &token, &json!({"took_over": "yes", "on": "2026-04-02"})).await).await;
    assert_eq!(followed["follow_up"], json!({"took_over": "yes", "on": "2026-04-02"}));
    // Another CCAS cannot reach it.
    let other = app.token(&app.world.ccas_b, &[relais_api::auth::Scope::Ccas]);
    problem(app.post(&path(&oriented), &other, &json!({"took_over": "no"})).await, 404).await;
    // The report counts orientations by what came of them.
    let second = json(app.post("/api/v1/interventions", &token, &record("orientation", Some(&partner))).await).await;
    assert_eq!(second["follow_up"]["took_over"], "unknown");
    let report = json(app.get("/api/v1/reports/activity?from=2026-03-01&to=2026-03-31", &token).await).await;
    let outcomes: Vec<(String, i64)> = report["periods"][0]["figures"]["orientations_by_outcome"]
        .as_array()
        .expect("breakdown")
        .iter()
        .map(|b| (b["key"].as_str().unwrap_or("").to_owned(), b["count"]["value"].as_i64().unwrap_or(-1)))
        .collect();
    assert_eq!(outcomes, [("unknown".to_owned(), 1), ("yes".to_owned(), 1)]);
}
