//! Referral triage: contact attempts, acceptance into a new or existing situation with
//! duplicate persons, decline; and what the referring unit sees after each step.

use relais_tests::{TestApp, agency_keys, json, keys, problem, referral_body, spawn_app};
use serde_json::{Value, json};

async fn refer(app: &TestApp, last_name: &str) -> String {
    let created = json(app.post("/api/v1/referrals", &app.gendarmerie_token(), &referral_body(last_name)).await).await;
    format!("/api/v1/referrals/{}", created["id"].as_str().expect("id"))
}

/// What the unit sees: the agency key set, and the statuses so far.
async fn unit_view(app: &TestApp, path: &str) -> Value {
    let view = json(app.get(path, &app.gendarmerie_token()).await).await;
    assert_eq!(keys(&view), agency_keys(), "agency view keys");
    let text = view.to_string();
    for secret in ["\"situation_id\"", "coordinator", "\"notes\"", "contact_attempts", "decline_reason", "created_by"] {
        assert!(!text.contains(secret), "the agency view mentions {secret}: {text}");
    }
    view
}

fn statuses(view: &Value) -> Vec<&str> {
    view["status_history"].as_array().expect("history").iter().filter_map(|s| s["status"].as_str()).collect()
}

#[actix_web::test]
async fn contact_attempts_then_acceptance_into_a_new_situation() {
    let app = spawn_app().await;
    let token = app.ccas_token();
    let path = refer(&app, "Lefèvre").await;
    let first =
        json(app.post(&format!("{path}/contact-attempts"), &token, &json!({"channel": "phone", "outcome": "no_answer"})).await).await;
    assert_eq!(first["status"], "contact_attempted");
    let view = unit_view(&app, &path).await;
    assert_eq!(statuses(&view), ["received", "contact_attempted"]);
    let second = json(
        app.post(&format!("{path}/contact-attempts"), &token, &json!({"channel": "sms", "outcome": "reached", "note": "rappel demandé"}))
            .await,
    )
    .await;
    assert_eq!(second["contact_attempts"].as_array().map(Vec::len), Some(2));
    assert_eq!(statuses(&unit_view(&app, &path).await), ["received", "contact_attempted"], "one status, however many attempts");
    let accepted = json(app.post(&format!("{path}/accept"), &token, &json!({})).await).await;
    assert_eq!(accepted["status"], "accepted");
    let situation =
        json(app.get(&format!("/api/v1/situations/{}", accepted["situation_id"].as_str().expect("situation")), &token).await).await;
    assert_eq!(situation["problem_types"], json!(["domestic_violence"]));
    assert_eq!(situation["judicial_proceedings"], "yes");
    assert_eq!(situation["persons"][0]["role"], "victim");
    assert_eq!(situation["persons"][0]["person"]["last_name"], "Lefèvre");
    assert_eq!(situation["persons"][0]["person"]["safe_contact"]["text"], "no");
    assert_eq!(situation["referral_ids"][0], accepted["id"]);
    let view = unit_view(&app, &path).await;
    assert_eq!(statuses(&view), ["received", "contact_attempted", "accepted"]);
    assert_eq!(view["status"], "accepted");
    // Done: every further step is a conflict.
    for (step, body) in [
        ("accept", json!({})),
        ("decline", json!({"reason": "refused"})),
        ("contact-attempts", json!({"channel": "phone", "outcome": "reached"})),
    ] {
        assert_eq!(problem(app.post(&format!("{path}/{step}"), &token, &body).await, 409).await["code"], "invalid_transition", "{step}");
    }
}

#[actix_web::test]
async fn acceptance_offers_existing_look_alikes_and_joins_an_existing_situation() {
    let app = spawn_app().await;
    let token = app.ccas_token();
    let existing =
        json(app.post("/api/v1/persons", &token, &json!({"last_name": "LEFEVRE", "first_name": "sandrine", "phone": "0612345678"})).await)
            .await;
    let situation = json(app.post("/api/v1/situations", &token, &json!({"problem_types": ["harassment"]})).await).await;
    let path = refer(&app, "Lefèvre").await;
    let conflict = problem(app.post(&format!("{path}/accept"), &token, &json!({})).await, 409).await;
    assert_eq!(conflict["code"], "possible_duplicate");
    assert_eq!(conflict["conflicts"][0]["index"], 0);
    assert_eq!(conflict["conflicts"][0]["candidates"][0]["id"], existing["id"]);
    assert_eq!(json(app.get(&path, &token).await).await["status"], "received", "nothing changed");
    let body = json!({"situation_id": situation["id"], "persons": [{"person_id": existing["id"]}]});
    let accepted = json(app.post(&format!("{path}/accept"), &token, &body).await).await;
    assert_eq!(accepted["situation_id"], situation["id"]);
    let joined = json(app.get(&format!("/api/v1/situations/{}", situation["id"].as_str().expect("id")), &token).await).await;
    assert_eq!(joined["persons"][0]["person"]["id"], existing["id"]);
    assert_eq!(joined["problem_types"], json!(["domestic_violence", "harassment"]));
    // Or a distinct person, when the coordinator says so.
    let other = refer(&app, "Lefèvre").await;
    let distinct = json(app.post(&format!("{other}/accept"), &token, &json!({"persons": [{"confirm_distinct": true}]})).await).await;
    assert_eq!(distinct["status"], "accepted");
    let persons = json(app.get("/api/v1/persons?q=lefevre", &token).await).await;
    assert_eq!(persons["items"].as_array().map(Vec::len), Some(2));
}

#[actix_web::test]
async fn decline_with_a_reason_and_refusals() {
    let app = spawn_app().await;
    let token = app.ccas_token();
    let path = refer(&app, "Moreau").await;
    problem(app.post(&format!("{path}/decline"), &token, &json!({"reason": "bored"})).await, 422).await;
    let declined = json(app.post(&format!("{path}/decline"), &token, &json!({"reason": "out_of_scope"})).await).await;
    assert_eq!((declined["status"].as_str(), declined["decline_reason"].as_str()), (Some("declined"), Some("out_of_scope")));
    let view = unit_view(&app, &path).await;
    assert_eq!(statuses(&view), ["received", "declined"]);
    problem(app.post(&format!("{path}/accept"), &token, &json!({})).await, 409).await;
    // Another CCAS cannot triage it; an unknown situation is refused.
    let other = app.token(&app.world.ccas_b, &[relais_api::auth::Scope::Ccas]);
    let fresh = refer(&app, "Petit").await;
    problem(app.post(&format!("{fresh}/decline"), &other, &json!({"reason": "refused"})).await, 404).await;
    let answer = problem(app.post(&format!("{fresh}/accept"), &token, &json!({"situation_id": "nope"})).await, 422).await;
    assert_eq!(answer["errors"][0]["field"], "situation_id");
}

#[actix_web::test]
async fn linking_a_known_person_never_weakens_her_safe_contact_answers() {
    let app = spawn_app().await;
    let ccas = app.ccas_token();
    let known = json(
        app.post(
            "/api/v1/persons",
            &ccas,
            &json!({"last_name": "Durand", "first_name": "Sophie", "safe_contact": {"call": "no", "text": "unknown", "write": "yes", "note": "après 14 h"}}),
        )
        .await,
    )
    .await;
    let person = known["id"].as_str().expect("id").to_owned();
    // The gendarme records "SMS: no, call: yes" for the same woman.
    let mut body = referral_body("Durand");
    body["persons"][0]["first_name"] = json!("Sophie");
    body["persons"][0]["safe_contact"] = json!({"call": "yes", "text": "no", "note": "pas de SMS, le conjoint lit son téléphone"});
    let referral = json(app.post("/api/v1/referrals", &app.gendarmerie_token(), &body).await).await;
    let path = format!("/api/v1/referrals/{}", referral["id"].as_str().expect("id"));
    let accepted = json(app.post(&format!("{path}/accept"), &ccas, &json!({"persons": [{"person_id": person}]})).await).await;

    // Channel by channel the safer answer: no over yes over unknown; both notes kept.
    let merged = json(app.get(&format!("/api/v1/persons/{person}"), &ccas).await).await;
    assert_eq!(merged["safe_contact"]["call"], "no");
    assert_eq!(merged["safe_contact"]["text"], "no");
    assert_eq!(merged["safe_contact"]["write"], "yes");
    assert_eq!(merged["safe_contact"]["note"], "après 14 h\npas de SMS, le conjoint lit son téléphone");
    // And the file's timeline says so, with the referral that brought it.
    let situation = accepted["situation_id"].as_str().expect("situation");
    let timeline = json(app.get(&format!("/api/v1/situations/{situation}/timeline"), &ccas).await).await;
    let change =
        timeline["items"].as_array().expect("items").iter().find(|e| e["kind"] == "safe_contact").cloned().expect("a safe_contact entry");
    assert_eq!(change["code"], person.as_str());
    assert_eq!(change["state"], "call:no text:no write:yes");
    assert_eq!(change["text"], referral["id"]);
}

#[actix_web::test]
async fn a_file_lists_the_referrals_that_fed_it() {
    let app = spawn_app().await;
    let ccas = app.ccas_token();
    let referral = json(app.post("/api/v1/referrals", &app.gendarmerie_token(), &referral_body("Lemoine")).await).await;
    let other = json(app.post("/api/v1/referrals", &app.gendarmerie_token(), &referral_body("Garnier")).await).await;
    let path = format!("/api/v1/referrals/{}", referral["id"].as_str().expect("id"));
    let accepted = json(app.post(&format!("{path}/accept"), &ccas, &json!({"persons": [{"confirm_distinct": true}]})).await).await;
    let situation = accepted["situation_id"].as_str().expect("situation");
    let fed = json(app.get(&format!("/api/v1/referrals?situation_id={situation}"), &ccas).await).await;
    let ids: Vec<&str> = fed["items"].as_array().expect("items").iter().filter_map(|r| r["id"].as_str()).collect();
    assert_eq!(ids, [referral["id"].as_str().expect("id")]);
    assert_ne!(ids, [other["id"].as_str().expect("id")]);
    assert_eq!(fed["items"][0]["summary"], referral["summary"]);
    // A unit does not filter by the coordinators' files.
    let refused = problem(app.get(&format!("/api/v1/referrals?situation_id={situation}"), &app.gendarmerie_token()).await, 422).await;
    assert_eq!(refused["errors"][0]["field"], "situation_id");
}
