//! Appointments: opening hours across the daylight-saving changes, overlaps decided by the
//! database (also under a race), outcomes, moves with If-Match, the agenda and free slots.

use relais_tests::{Case, TestApp, json, problem, spawn_app};
use reqwest::Method;
use serde_json::{Value, json};

fn booking(case: &Case, kind: &str, starts: &str, ends: &str) -> Value {
    json!({"kind": kind, "site_id": case.site, "coordinator_id": case.coordinator, "situation_id": case.situation, "starts_at": starts, "ends_at": ends})
}

async fn book(app: &TestApp, body: &Value) -> reqwest::Response {
    app.post("/api/v1/appointments", &app.ccas_token(), body).await
}

#[actix_web::test]
async fn scheduled_appointments_follow_local_opening_hours_across_daylight_saving() {
    let app = spawn_app().await;
    let case = app.case().await;
    // (start, end, accepted): default hours Mon–Fri 9:00–17:00, Sat 9:00–12:00, Europe/Paris.
    let cases = [
        ("2026-03-27T07:30:00Z", "2026-03-27T08:00:00Z", false), // Fri, winter: 08:30 local
        ("2026-03-27T08:00:00Z", "2026-03-27T08:45:00Z", true),  // Fri, winter: 09:00 local
        ("2026-03-28T10:30:00Z", "2026-03-28T11:00:00Z", true),  // Sat, winter: 11:30 local
        ("2026-03-29T08:00:00Z", "2026-03-29T09:00:00Z", false), // Sun 29 March: closed
        ("2026-03-30T07:00:00Z", "2026-03-30T07:45:00Z", true),  // Mon, summer: 09:00 local
        ("2026-03-30T14:30:00Z", "2026-03-30T15:30:00Z", false), // Mon, summer: ends 17:30 local
        ("2026-10-24T07:00:00Z", "2026-10-24T08:00:00Z", true),  // Sat, summer: 09:00 local
        ("2026-10-24T09:30:00Z", "2026-10-24T10:30:00Z", false), // Sat, summer: ends 12:30 local
        ("2026-10-25T09:00:00Z", "2026-10-25T10:00:00Z", false), // Sun 25 October: closed
        ("2026-10-26T07:00:00Z", "2026-10-26T08:00:00Z", false), // Mon, winter: 08:00 local
        ("2026-10-26T08:00:00Z", "2026-10-26T09:00:00Z", true),  // Mon, winter: 09:00 local
        ("2026-10-26T15:00:00Z", "2026-10-26T16:00:00Z", true),  // Mon, winter: ends 17:00 local
    ];
    for (starts, ends, accepted) in cases {
        let response = book(&app, &booking(&case, "scheduled", starts, ends)).await;
        if accepted {
            assert_eq!(response.status(), 201, "{starts}: {}", response.text().await.unwrap_or_default());
        } else {
            let body = problem(response, 422).await;
            assert_eq!(body["errors"][0]["field"], "starts_at", "{starts}");
        }
    }
    // Emergencies may be recorded at any time.
    assert_eq!(book(&app, &booking(&case, "emergency", "2026-03-29T01:30:00Z", "2026-03-29T02:30:00Z")).await.status(), 201);
}

#[actix_web::test]
async fn overlaps_answer_409_naming_the_conflict() {
    let app = spawn_app().await;
    let case = app.case().await;
    let first = json(book(&app, &booking(&case, "scheduled", "2026-03-30T08:00:00Z", "2026-03-30T09:00:00Z")).await).await;
    let clash = problem(book(&app, &booking(&case, "phone", "2026-03-30T08:30:00Z", "2026-03-30T09:30:00Z")).await, 409).await;
    assert_eq!(clash["code"], "appointment_overlap");
    assert_eq!(clash["conflicts"][0]["id"], first["id"]);
    // Back to back is fine; an emergency is never refused.
    assert_eq!(book(&app, &booking(&case, "scheduled", "2026-03-30T09:00:00Z", "2026-03-30T09:30:00Z")).await.status(), 201);
    assert_eq!(book(&app, &booking(&case, "emergency", "2026-03-30T08:15:00Z", "2026-03-30T08:45:00Z")).await.status(), 201);
    // Once cancelled, the slot is free again.
    let outcome = format!("/api/v1/appointments/{}/outcome", first["id"].as_str().expect("id"));
    problem(app.post(&outcome, &app.ccas_token(), &json!({"outcome": "cancelled"})).await, 422).await;
    let cancelled =
        json(app.post(&outcome, &app.ccas_token(), &json!({"outcome": "cancelled", "reason": "à la demande de la personne"})).await).await;
    assert_eq!(cancelled["status"], "cancelled");
    assert_eq!(book(&app, &booking(&case, "scheduled", "2026-03-30T08:00:00Z", "2026-03-30T09:00:00Z")).await.status(), 201);
}

#[actix_web::test]
async fn racing_overlapping_bookings_exactly_one_wins_the_others_get_409() {
    // Four bookings that all overlap, sent at once, on twelve opening days. On PostgreSQL this
    // once ended in a deadlock (a 500) instead of a 409: see `queries::lock_agenda`.
    let app = spawn_app().await;
    let case = app.case().await;
    for round in 0..12 {
        let day = 6 + round + round / 6; // Monday 6 April 2026 onwards, Sundays skipped
        let slot = |start: &str, end: &str| {
            booking(&case, "scheduled", &format!("2026-04-{day:02}T{start}:00Z"), &format!("2026-04-{day:02}T{end}:00Z"))
        };
        let bodies = [slot("08:00", "09:00"), slot("08:15", "09:15"), slot("08:30", "09:30"), slot("08:45", "09:45")];
        let ((a, b), (c, d)) = relais_tests::join(
            relais_tests::join(book(&app, &bodies[0]), book(&app, &bodies[1])),
            relais_tests::join(book(&app, &bodies[2]), book(&app, &bodies[3])),
        )
        .await;
        let mut statuses = [a, b, c, d].map(|response| response.status().as_u16());
        statuses.sort();
        assert_eq!(statuses, [201, 409, 409, 409], "round {round}");
    }
}

#[actix_web::test]
async fn outcomes_and_moves() {
    let app = spawn_app().await;
    let case = app.case().await;
    let token = app.ccas_token();
    let created = book(&app, &booking(&case, "scheduled", "2026-03-30T08:00:00Z", "2026-03-30T09:00:00Z")).await;
    let etag = created.headers().get("etag").and_then(|v| v.to_str().ok()).expect("etag").to_owned();
    let first = json(created).await;
    let other = json(book(&app, &booking(&case, "scheduled", "2026-03-30T12:00:00Z", "2026-03-30T13:00:00Z")).await).await;
    let path = format!("/api/v1/appointments/{}", first["id"].as_str().expect("id"));
    let patch = |etag: &str, body: Value| app.request(Method::PATCH, &path, Some(&token)).header("If-Match", etag).json(&body).send();
    problem(app.patch(&path, &token, &json!({"starts_at": "2026-03-30T10:00:00Z"})).await, 428).await;
    let clash =
        problem(patch(&etag, json!({"starts_at": "2026-03-30T12:30:00Z", "ends_at": "2026-03-30T13:30:00Z"})).await.expect("patch"), 409)
            .await;
    assert_eq!(clash["conflicts"][0]["id"], other["id"]);
    let closed =
        problem(patch(&etag, json!({"starts_at": "2026-03-30T17:00:00Z", "ends_at": "2026-03-30T18:00:00Z"})).await.expect("patch"), 422)
            .await;
    assert_eq!(closed["errors"][0]["field"], "starts_at");
    let moved =
        json(patch(&etag, json!({"starts_at": "2026-03-30T10:00:00Z", "ends_at": "2026-03-30T11:00:00Z"})).await.expect("patch")).await;
    assert_eq!(moved["starts_at"], "2026-03-30T10:00:00Z");
    problem(patch(&etag, json!({"starts_at": "2026-03-30T09:00:00Z", "ends_at": "2026-03-30T10:00:00Z"})).await.expect("patch"), 412).await;
    let attended = json(app.post(&format!("{path}/outcome"), &token, &json!({"outcome": "attended"})).await).await;
    assert_eq!(attended["status"], "attended");
    assert_eq!(
        problem(app.post(&format!("{path}/outcome"), &token, &json!({"outcome": "no_show"})).await, 409).await["code"],
        "invalid_transition"
    );
    let no_show = json(
        app.post(&format!("/api/v1/appointments/{}/outcome", other["id"].as_str().expect("id")), &token, &json!({"outcome": "no_show"}))
            .await,
    )
    .await;
    assert_eq!(no_show["status"], "no_show");
}

#[actix_web::test]
async fn the_agenda_and_the_free_slots_of_a_day() {
    let app = spawn_app().await;
    let case = app.case().await;
    let token = app.ccas_token();
    book(&app, &booking(&case, "scheduled", "2026-03-30T07:00:00Z", "2026-03-30T08:00:00Z")).await;
    book(&app, &booking(&case, "scheduled", "2026-03-31T07:00:00Z", "2026-03-31T08:00:00Z")).await;
    let agenda = json(
        app.get(
            &format!("/api/v1/appointments?coordinator_id={}&from=2026-03-30T00:00:00Z&to=2026-03-31T00:00:00Z", case.coordinator),
            &token,
        )
        .await,
    )
    .await;
    assert_eq!(agenda["items"].as_array().map(Vec::len), Some(1));
    let week = json(
        app.get(&format!("/api/v1/appointments?site_id={}&from=2026-03-30T00:00:00Z&to=2026-04-05T00:00:00Z", case.site), &token).await,
    )
    .await;
    assert_eq!(week["items"].as_array().map(Vec::len), Some(2));
    // Monday 30 March (summer time): 09:00–17:00 local, one hour booked at 09:00.
    let day = json(
        app.get(&format!("/api/v1/availability?site={}&coordinator={}&date=2026-03-30&duration=60", case.site, case.coordinator), &token)
            .await,
    )
    .await;
    let slots = day["slots"].as_array().expect("slots");
    assert_eq!(slots.len(), 25);
    assert_eq!(slots[0]["starts_at"], "2026-03-30T08:00:00Z");
    assert_eq!(slots[24]["ends_at"], "2026-03-30T15:00:00Z");
    // Friday 27 March (winter time): 09:00 local is 08:00 UTC.
    let friday = json(
        app.get(&format!("/api/v1/availability?site={}&coordinator={}&date=2026-03-27&duration=30", case.site, case.coordinator), &token)
            .await,
    )
    .await;
    assert_eq!(friday["slots"][0]["starts_at"], "2026-03-27T08:00:00Z");
    let sunday = json(
        app.get(&format!("/api/v1/availability?site={}&coordinator={}&date=2026-03-29&duration=30", case.site, case.coordinator), &token)
            .await,
    )
    .await;
    assert_eq!(sunday["slots"].as_array().map(Vec::len), Some(0));
    problem(
        app.get(&format!("/api/v1/availability?site={}&coordinator={}&date=2026-03-30&duration=1", case.site, case.coordinator), &token)
            .await,
        422,
    )
    .await;
}

#[actix_web::test]
async fn bookings_refer_to_objects_of_the_same_ccas() {
    let app = spawn_app().await;
    let case = app.case().await;
    let body = json!({"kind": "emergency", "site_id": "nope", "coordinator_id": app.world.brigade_a, "starts_at": "2026-03-30T08:00:00Z", "ends_at": "2026-03-30T07:00:00Z"});
    let answer = problem(book(&app, &body).await, 422).await;
    let fields: Vec<&str> = answer["errors"].as_array().expect("errors").iter().filter_map(|e| e["field"].as_str()).collect();
    assert_eq!(fields, ["site_id", "coordinator_id", "situation_id", "ends_at"]);
    let other = app.token(&app.world.ccas_b, &[relais_api::auth::Scope::Ccas]);
    problem(
        app.post("/api/v1/appointments", &other, &booking(&case, "emergency", "2026-03-30T08:00:00Z", "2026-03-30T09:00:00Z")).await,
        422,
    )
    .await;
}

#[actix_web::test]
async fn an_appointment_names_the_persons_it_expects_in_the_agenda() {
    let app = spawn_app().await;
    let case = app.case().await;
    let token = app.ccas_token();
    let stranger = json(app.post("/api/v1/persons", &token, &json!({"last_name": "Autre", "first_name": "Hors dossier"})).await).await;
    let stranger = stranger["id"].as_str().expect("id").to_owned();
    let mut body = booking(&case, "scheduled", "2026-03-30T08:00:00Z", "2026-03-30T09:00:00Z");
    body["expected_person_ids"] = json!([stranger]);
    let refused = problem(book(&app, &body).await, 422).await;
    assert_eq!(refused["errors"][0]["field"], "expected_person_ids");
    body["expected_person_ids"] = json!([case.person]);
    let booked = json(book(&app, &body).await).await;
    assert_eq!(booked["persons"][0]["id"], case.person.as_str());
    assert_eq!(booked["persons"][0]["last_name"], "Petit");
    // The agenda names them, and the access log records that it showed them.
    let agenda = json(app.get(&format!("/api/v1/appointments?situation_id={}", case.situation), &token).await).await;
    assert_eq!(agenda["items"][0]["persons"][0]["last_name"], "Petit");
    let logged = json(app.get(&format!("/api/v1/audit-events?object_id={}", case.person), &app.admin_token()).await).await;
    let actions: Vec<&str> = logged["items"].as_array().expect("items").iter().filter_map(|e| e["action"].as_str()).collect();
    assert!(actions.contains(&"appointment.list"), "{actions:?}");
    // Moving it keeps them; a patch may change them; attending records the first contact.
    let path = format!("/api/v1/appointments/{}", booked["id"].as_str().expect("id"));
    let moved = app
        .request(Method::PATCH, &path, Some(&token))
        .header("If-Match", booked["version"].to_string())
        .json(&json!({"starts_at": "2026-03-30T09:00:00Z", "ends_at": "2026-03-30T10:00:00Z"}))
        .send()
        .await
        .expect("patch");
    let moved = json(moved).await;
    assert_eq!(moved["persons"].as_array().map(Vec::len), Some(1));
    let emptied = app
        .request(Method::PATCH, &path, Some(&token))
        .header("If-Match", moved["version"].to_string())
        .json(&json!({"expected_person_ids": []}))
        .send()
        .await
        .expect("patch");
    assert_eq!(json(emptied).await["persons"], json!([]));
}
