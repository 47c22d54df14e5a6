//! State changes raced by two coordinators at once: exactly one wins, the other answers 409,
//! and nothing is done twice (on PostgreSQL, whose writers run side by side, as on SQLite).

use relais_tests::{TestApp, join, json, referral_body, spawn_app};
use serde_json::{Value, json};

const ROUNDS: usize = 5;

async fn post(app: &TestApp, path: &str, body: &Value) -> u16 {
    app.post(path, &app.ccas_token(), body).await.status().as_u16()
}

/// Two requests at once: one 200 and one 409, in either order.
async fn race(app: &TestApp, (a, body_a): (&str, Value), (b, body_b): (&str, Value)) {
    let (first, second) = join(post(app, a, &body_a), post(app, b, &body_b)).await;
    let mut statuses = [first, second];
    statuses.sort_unstable();
    assert_eq!(statuses, [200, 409], "{a} and {b} at once");
}

async fn count(app: &TestApp, path: &str) -> usize {
    json(app.get(path, &app.ccas_token()).await).await["items"].as_array().map_or(0, Vec::len)
}

#[actix_web::test]
async fn one_referral_accepted_twice_at_once_makes_one_situation() {
    let app = spawn_app().await;
    for round in 0..ROUNDS {
        let created = json(app.post("/api/v1/referrals", &app.gendarmerie_token(), &referral_body(&format!("Race{round}"))).await).await;
        let path = format!("/api/v1/referrals/{}/accept", created["id"].as_str().expect("id"));
        // Every round's person has the same phone: distinct persons, said so.
        let distinct = json!({"persons": [{"confirm_distinct": true}]});
        race(&app, (&path, distinct.clone()), (&path, distinct)).await;
    }
    assert_eq!(count(&app, "/api/v1/situations?limit=100").await, ROUNDS);
    for round in 0..ROUNDS {
        assert_eq!(count(&app, &format!("/api/v1/persons?q=Race{round}")).await, 1, "one person per referral");
    }
}

#[actix_web::test]
async fn accept_and_decline_at_once_settle_the_referral_once() {
    let app = spawn_app().await;
    for round in 0..ROUNDS {
        let created = json(app.post("/api/v1/referrals", &app.gendarmerie_token(), &referral_body(&format!("Duel{round}"))).await).await;
        let path = format!("/api/v1/referrals/{}", created["id"].as_str().expect("id"));
        let (accept, decline) = (format!("{path}/accept"), format!("{path}/decline"));
        race(&app, (&accept, json!({"persons": [{"confirm_distinct": true}]})), (&decline, json!({"reason": "refused"}))).await;
        let settled = json(app.get(&path, &app.ccas_token()).await).await;
        let history: Vec<&str> =
            settled["status_history"].as_array().expect("history").iter().filter_map(|s| s["status"].as_str()).collect();
        assert_eq!(history.len(), 2, "received, then one settlement: {history:?}");
        assert_eq!(settled["situation_id"].is_string(), settled["status"] == "accepted");
    }
}

#[actix_web::test]
async fn a_file_closed_or_reopened_twice_at_once_changes_once() {
    let app = spawn_app().await;
    let case = app.case().await;
    let path = format!("/api/v1/situations/{}", case.situation);
    let (close, reopen) = (format!("{path}/close"), format!("{path}/reopen"));
    for _ in 0..ROUNDS {
        race(&app, (&close, json!({"reason": "resolved"})), (&close, json!({"reason": "oriented"}))).await;
        race(&app, (&reopen, json!({})), (&reopen, json!({}))).await;
    }
    let situation = json(app.get(&path, &app.ccas_token()).await).await;
    assert_eq!(situation["status"], "open");
}

#[actix_web::test]
async fn two_outcomes_of_one_appointment_at_once_record_one() {
    let app = spawn_app().await;
    let case = app.case().await;
    for day in 0..ROUNDS {
        let booking = json!({"kind": "emergency", "site_id": case.site, "coordinator_id": case.coordinator, "situation_id": case.situation,
            "starts_at": format!("2030-01-{:02}T10:00:00Z", day + 7), "ends_at": format!("2030-01-{:02}T11:00:00Z", day + 7)});
        let created = json(app.post("/api/v1/appointments", &app.ccas_token(), &booking).await).await;
        let path = format!("/api/v1/appointments/{}/outcome", created["id"].as_str().expect("id"));
        let cancel = |reason: &str| json!({"outcome": "cancelled", "reason": reason});
        race(&app, (&path, cancel("à la demande de la personne")), (&path, cancel("coordinatrice absente"))).await;
    }
}
