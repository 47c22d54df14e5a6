//! Dates that cannot contradict each other: a file closes after it opened and, closed, takes no
//! booking, intervention, note or edit; contact and settlement follow the referral's receipt;
//! an appointment has an outcome once it has started; last month's work can be dated.

use relais_tests::{TestApp, json, problem, referral_body, spawn_app};
use reqwest::Method;
use serde_json::json;

async fn received_yesterday(app: &TestApp) -> String {
    let mut body = referral_body("Dates");
    body["received_at"] = json!((app.clock().now_utc() - chrono::Duration::days(1)).to_rfc3339());
    let created = json(app.post("/api/v1/referrals", &app.gendarmerie_token(), &body).await).await;
    format!("/api/v1/referrals/{}", created["id"].as_str().expect("id"))
}

fn days_ago(app: &TestApp, days: i64) -> String {
    (app.clock().now_utc() - chrono::Duration::days(days)).to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

#[actix_web::test]
async fn triage_steps_follow_the_receipt_and_can_be_dated() {
    let app = spawn_app().await;
    let ccas = app.ccas_token();
    let path = received_yesterday(&app).await;
    let early = json!({"at": days_ago(&app, 3), "channel": "phone", "outcome": "no_answer"});
    assert_eq!(
        problem(app.post(&format!("{path}/contact-attempts"), &ccas, &early).await, 422).await["errors"][0]["code"],
        "before_reception"
    );
    let refused =
        problem(app.post(&format!("{path}/decline"), &ccas, &json!({"reason": "refused", "at": days_ago(&app, 2)})).await, 422).await;
    assert_eq!(refused["errors"][0]["field"], "at");
    let future = (app.clock().now_utc() + chrono::Duration::days(1)).to_rfc3339();
    problem(app.post(&format!("{path}/accept"), &ccas, &json!({"at": future})).await, 422).await;

    // Accepted this morning, entered now: the file opened then.
    let this_morning = (app.clock().now_utc() - chrono::Duration::hours(3)).to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let accepted = json(app.post(&format!("{path}/accept"), &ccas, &json!({"at": this_morning})).await).await;
    assert_eq!(accepted["status_changed_at"], this_morning.as_str());
    let situation = json(app.get(&format!("/api/v1/situations/{}", accepted["situation_id"].as_str().expect("id")), &ccas).await).await;
    assert_eq!(situation["opened_at"], this_morning.as_str());
}

#[actix_web::test]
async fn a_closed_file_takes_nothing_new_until_reopened() {
    let app = spawn_app().await;
    let case = app.case().await;
    let ccas = app.ccas_token();
    let path = format!("/api/v1/situations/{}", case.situation);
    let opened = json(app.get(&path, &ccas).await).await["opened_at"].as_str().expect("opened").to_owned();
    let before = (chrono::DateTime::parse_from_rfc3339(&opened).expect("date") - chrono::Duration::days(1)).to_rfc3339();
    let refused = problem(app.post(&format!("{path}/close"), &ccas, &json!({"reason": "resolved", "closed_at": before})).await, 422).await;
    assert_eq!(refused["errors"][0]["code"], "before_opening");
    let closed = app.post(&format!("{path}/close"), &ccas, &json!({"reason": "resolved"})).await;
    let etag = closed.headers().get("etag").and_then(|v| v.to_str().ok()).expect("etag").to_owned();

    let booking = json!({"kind": "emergency", "site_id": case.site, "coordinator_id": case.coordinator, "situation_id": case.situation,
        "starts_at": "2030-02-04T10:00:00Z", "ends_at": "2030-02-04T11:00:00Z"});
    let intervention = json!({"situation_id": case.situation, "kind": "advice", "occurred_at": days_ago(&app, 0), "coordinator_id": case.coordinator, "person_ids": [case.person]});
    let attempts = [
        app.post("/api/v1/appointments", &ccas, &booking).await,
        app.post("/api/v1/interventions", &ccas, &intervention).await,
        app.post(&format!("{path}/notes"), &ccas, &json!({"body": "Après clôture", "private": false})).await,
        app.request(Method::PATCH, &path, Some(&ccas))
            .header("If-Match", &etag)
            .json(&json!({"judicial_proceedings": "yes"}))
            .send()
            .await
            .expect("patch"),
        app.put(&format!("{path}/persons/{}", case.person), &ccas, &json!({"role": "other"})).await,
    ];
    for attempt in attempts {
        assert_eq!(problem(attempt, 409).await["code"], "situation_closed");
    }
    json(app.post(&format!("{path}/reopen"), &ccas, &json!({})).await).await;
    assert_eq!(app.post("/api/v1/appointments", &ccas, &booking).await.status(), 201);
    assert_eq!(app.post("/api/v1/interventions", &ccas, &intervention).await.status(), 201);
}

#[actix_web::test]
async fn only_a_cancellation_comes_before_the_appointment() {
    let app = spawn_app().await;
    let case = app.case().await;
    let booking = json!({"kind": "emergency", "site_id": case.site, "coordinator_id": case.coordinator, "situation_id": case.situation,
        "starts_at": "2030-03-04T10:00:00Z", "ends_at": "2030-03-04T11:00:00Z"});
    let created = json(app.post("/api/v1/appointments", &app.ccas_token(), &booking).await).await;
    let outcome = format!("/api/v1/appointments/{}/outcome", created["id"].as_str().expect("id"));
    for early in ["attended", "no_show"] {
        let refused = problem(app.post(&outcome, &app.ccas_token(), &json!({"outcome": early})).await, 422).await;
        assert_eq!(refused["errors"][0]["code"], "not_started");
    }
    let cancelled = app.post(&outcome, &app.ccas_token(), &json!({"outcome": "cancelled", "reason": "à la demande de la personne"})).await;
    assert_eq!(cancelled.status(), 200);
}
