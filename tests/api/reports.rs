//! The activity report: each figure's definition checked on a dataset built through the API,
//! with its boundaries (a situation opened before the period, a no-show, a person in two
//! situations, a declined referral, a period across a year change), each audience's view,
//! and the CSV.

use relais_api::auth::Scope;
use relais_tests::{Case, TestApp, json, problem, referral_body, spawn_app};
use serde_json::{Value, json};

async fn created(app: &TestApp, path: &str, token: &str, body: Value) -> Value {
    let response = app.post(path, token, &body).await;
    assert!(response.status().is_success(), "{path}: {}", response.text().await.unwrap_or_default());
    json(response).await
}

fn id(v: &Value) -> String {
    v["id"].as_str().expect("id").to_owned()
}

/// Builds the dataset; returns the case (site and coordinator).
async fn dataset(app: &TestApp) -> Case {
    let case = app.case().await;
    let ccas = app.ccas_token();
    let p1 =
        id(&created(app, "/api/v1/persons", &ccas, json!({"last_name": "Durand", "first_name": "Hélène", "birth_date": "1985-04-12"}))
            .await);
    let p2 =
        id(&created(app, "/api/v1/persons", &ccas, json!({"last_name": "Durand", "first_name": "Jade", "birth_date": "2015-06-01"})).await);
    // S0: opened before the period, still open.
    let s0 = id(&created(
        app,
        "/api/v1/situations",
        &ccas,
        json!({"opened_at": "2025-11-15T10:00:00Z", "problem_types": ["family_conflict"],
        "persons": [{"person_id": p1, "role": "victim"}]}),
    )
    .await);
    // A file closed before the period: not met.
    let old =
        id(&created(app, "/api/v1/situations", &ccas, json!({"opened_at": "2025-10-01T10:00:00Z", "problem_types": ["harassment"]})).await);
    created(app, &format!("/api/v1/situations/{old}/close"), &ccas, json!({"reason": "resolved", "closed_at": "2025-11-20T10:00:00Z"}))
        .await;
    // S2: opened in January, with P1 again (another role) and a child.
    let s2 = id(&created(
        app,
        "/api/v1/situations",
        &ccas,
        json!({"opened_at": "2026-01-10T10:00:00Z", "problem_types": ["child_at_risk"],
        "persons": [{"person_id": p1, "role": "other"}, {"person_id": p2, "role": "other", "role_detail": "enfant"}]}),
    )
    .await);
    // Referrals: R1 accepted (first contact after 6 hours), R2 declined, R3 pending (24 hours).
    let gendarmerie = app.gendarmerie_token();
    let mut r1 = referral_body("Lefèvre");
    r1["received_at"] = json!("2025-12-10T09:00:00Z");
    let r1 = id(&created(app, "/api/v1/referrals", &gendarmerie, r1).await);
    created(
        app,
        &format!("/api/v1/referrals/{r1}/contact-attempts"),
        &ccas,
        json!({"at": "2025-12-10T15:00:00Z", "channel": "phone", "outcome": "reached"}),
    )
    .await;
    created(app, &format!("/api/v1/referrals/{r1}/accept"), &ccas, json!({})).await;
    let mut r2 = referral_body("Moreau");
    r2["received_at"] = json!("2025-12-20T09:00:00Z");
    let r2 = id(&created(app, "/api/v1/referrals", &gendarmerie, r2).await);
    created(app, &format!("/api/v1/referrals/{r2}/decline"), &ccas, json!({"reason": "out_of_scope"})).await;
    let mut r3 = referral_body("Petit");
    r3["received_at"] = json!("2026-01-05T10:00:00Z");
    let r3 = id(&created(app, "/api/v1/referrals", &app.police_token(), r3).await);
    created(
        app,
        &format!("/api/v1/referrals/{r3}/contact-attempts"),
        &ccas,
        json!({"at": "2026-01-06T10:00:00Z", "channel": "sms", "outcome": "no_answer"}),
    )
    .await;
    // Appointments: P1 attended in December and January; P2 did not come.
    let appointment = |person: &str, situation: &str, starts: &str, ends: &str| json!({"kind": "scheduled", "site_id": case.site, "coordinator_id": case.coordinator, "situation_id": situation, "person_id": person, "starts_at": starts, "ends_at": ends});
    for (person, situation, starts, ends, outcome) in [
        (&p1, &s0, "2025-12-15T10:00:00Z", "2025-12-15T11:00:00Z", "attended"),
        (&p2, &s2, "2026-01-12T10:00:00Z", "2026-01-12T11:00:00Z", "no_show"),
        (&p1, &s2, "2026-01-13T10:00:00Z", "2026-01-13T11:00:00Z", "attended"),
    ] {
        let a = id(&created(app, "/api/v1/appointments", &ccas, appointment(person, situation, starts, ends)).await);
        created(app, &format!("/api/v1/appointments/{a}/outcome"), &ccas, json!({"outcome": outcome})).await;
    }
    // Interventions: a first listening in person; an orientation and a concern report by phone.
    let partner = id(&created(app, "/api/v1/partners", &ccas, json!({"name": "Aide aux victimes", "kind": "victim_support"})).await);
    let intervention = |situation: &str, person: &str, kind: &str, at: &str, in_person: bool| json!({"situation_id": situation, "kind": kind, "occurred_at": at, "coordinator_id": case.coordinator, "person_ids": [person], "in_person": in_person});
    created(app, "/api/v1/interventions", &ccas, intervention(&s0, &p1, "first_listening", "2025-12-15T10:30:00Z", true)).await;
    let mut orientation = intervention(&s2, &p2, "orientation", "2026-01-12T14:00:00Z", false);
    orientation["partner_id"] = json!(partner);
    created(app, "/api/v1/interventions", &ccas, orientation).await;
    let mut report = intervention(&s2, &p2, "concern_report", "2026-01-14T09:00:00Z", false);
    report["report"] = json!({"sent_on": "2026-01-14", "recipient": "CRIP de l'Isère"});
    created(app, "/api/v1/interventions", &ccas, report).await;
    case
}

fn value(count: &Value) -> i64 {
    count["value"].as_i64().unwrap_or(-1)
}

fn breakdown(list: &Value) -> Vec<(String, i64)> {
    list.as_array().expect("list").iter().map(|b| (b["key"].as_str().unwrap_or("").to_owned(), value(&b["count"]))).collect()
}

fn pairs(items: &[(&str, i64)]) -> Vec<(String, i64)> {
    items.iter().map(|(k, n)| ((*k).to_owned(), *n)).collect()
}

const PERIOD: &str = "/api/v1/reports/activity?from=2025-12-01&to=2026-01-31";

#[actix_web::test]
async fn every_figure_follows_its_definition() {
    let app = spawn_app().await;
    dataset(&app).await;
    let report = json(app.get(PERIOD, &app.ccas_token()).await).await;
    assert_eq!(report["small_counts_suppressed"], false);
    let f = &report["periods"][0]["figures"];
    assert_eq!(
        (value(&f["situations_met"]["opened"]), value(&f["situations_met"]["ongoing"]), value(&f["situations_met"]["total"])),
        (1, 1, 2)
    );
    assert_eq!(value(&f["persons_received"]), 1, "P1 counts once; P2 did not come and was not met in person");
    assert_eq!(breakdown(&f["referrals_by_source"]), pairs(&[("gendarmerie", 2), ("police_municipale", 1)]));
    assert_eq!(breakdown(&f["referrals_by_outcome"]), pairs(&[("accepted", 1), ("contact_attempted", 1), ("declined", 1)]));
    assert_eq!(breakdown(&f["situations_by_problem_type"]), pairs(&[("child_at_risk", 1), ("family_conflict", 1)]));
    assert_eq!(breakdown(&f["persons_by_role"]), pairs(&[("other", 2), ("victim", 1)]));
    assert_eq!(breakdown(&f["persons_by_age_group"]), pairs(&[("adult", 1)]));
    assert_eq!(breakdown(&f["interventions_by_kind"]), pairs(&[("concern_report", 1), ("first_listening", 1), ("orientation", 1)]));
    assert_eq!(breakdown(&f["orientations_by_partner_kind"]), pairs(&[("victim_support", 1)]));
    assert_eq!(breakdown(&f["appointments_by_kind_and_outcome"]), pairs(&[("scheduled:attended", 2), ("scheduled:no_show", 1)]));
    assert_eq!(breakdown(&f["legal_reports_by_kind"]), pairs(&[("concern_report", 1)]));
    assert_eq!(value(&f["first_contact_delay"]["referrals"]), 2);
    assert_eq!(f["first_contact_delay"]["median_minutes"], 360);
    assert_eq!(f["first_contact_delay"]["p90_minutes"], 1440);
}

#[actix_web::test]
async fn months_cut_the_period_at_the_year_change() {
    let app = spawn_app().await;
    dataset(&app).await;
    let report = json(app.get(&format!("{PERIOD}&granularity=month"), &app.ccas_token()).await).await;
    let periods = report["periods"].as_array().expect("periods");
    assert_eq!(periods.len(), 2);
    let (december, january) = (&periods[0], &periods[1]);
    assert_eq!((december["from"].as_str(), december["to"].as_str()), (Some("2025-12-01"), Some("2025-12-31")));
    assert_eq!((january["from"].as_str(), january["to"].as_str()), (Some("2026-01-01"), Some("2026-01-31")));
    let met = |p: &Value| (value(&p["figures"]["situations_met"]["opened"]), value(&p["figures"]["situations_met"]["ongoing"]));
    assert_eq!(met(december), (0, 1));
    assert_eq!(met(january), (1, 1));
    assert_eq!(value(&december["figures"]["persons_received"]), 1);
    assert_eq!(value(&january["figures"]["persons_received"]), 1);
    assert_eq!(breakdown(&december["figures"]["referrals_by_source"]), pairs(&[("gendarmerie", 2)]));
    assert_eq!(breakdown(&january["figures"]["referrals_by_source"]), pairs(&[("police_municipale", 1)]));
    assert_eq!(december["figures"]["first_contact_delay"]["median_minutes"], 360);
}

#[actix_web::test]
async fn reporting_tools_get_small_counts_suppressed() {
    let app = spawn_app().await;
    dataset(&app).await;
    let december = "/api/v1/reports/activity?from=2025-12-01&to=2025-12-31";
    let report = json(app.get(december, &app.reports_token()).await).await;
    assert_eq!(report["small_counts_suppressed"], true);
    let f = &report["periods"][0]["figures"];
    assert_eq!(f["persons_received"], json!({"value": null, "suppressed": true}));
    assert_eq!(f["referrals_by_source"][0]["count"], json!({"value": null, "suppressed": true}));
    assert!(f["first_contact_delay"]["median_minutes"].is_null());
    // Zero is no secret; and there is no record anywhere.
    let empty = json(app.get("/api/v1/reports/activity?from=2020-01-01&to=2020-01-31", &app.reports_token()).await).await;
    assert_eq!(empty["periods"][0]["figures"]["persons_received"], json!({"value": 0, "suppressed": false}));
    for forbidden in ["Durand", "Hélène", "person_id", "\"id\""] {
        assert!(!report.to_string().contains(forbidden), "{forbidden}");
    }
    problem(app.get("/api/v1/referrals", &app.reports_token()).await, 403).await;
    // Any other range could be subtracted from an overlapping one; a running period from
    // itself the next day.
    let today = relais_api::time::paris_date(app.now());
    let this_month = format!("/api/v1/reports/activity?from={}&to={}", today.format("%Y-%m-01"), today);
    for refused in [PERIOD, "/api/v1/reports/activity?from=2025-12-01&to=2025-12-20", &this_month] {
        let body = problem(app.get(refused, &app.reports_token()).await, 422).await;
        assert!(["calendar_period", "period_not_ended"].contains(&body["errors"][0]["code"].as_str().unwrap_or("")), "{body}");
    }
    // Coordinators read any range, exactly.
    assert_eq!(app.get(PERIOD, &app.ccas_token()).await.status(), 200);
}

#[actix_web::test]
async fn agencies_get_the_figures_of_their_own_referrals_only() {
    let app = spawn_app().await;
    dataset(&app).await;
    let brigade = json(app.get(PERIOD, &app.gendarmerie_token()).await).await;
    assert_eq!(brigade["organisation_id"], app.world.brigade_a.as_str());
    let p = &brigade["periods"][0];
    let keys: std::collections::BTreeSet<&str> = p.as_object().expect("object").keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        ["accepted", "declined", "first_contact_delay_median_minutes", "from", "pending", "referrals", "to"].into_iter().collect()
    );
    assert_eq!(
        (p["referrals"].as_i64(), p["accepted"].as_i64(), p["declined"].as_i64(), p["pending"].as_i64()),
        (Some(2), Some(1), Some(1), Some(0))
    );
    assert_eq!(p["first_contact_delay_median_minutes"], 360);
    let police = json(app.get(PERIOD, &app.police_token()).await).await;
    let p = &police["periods"][0];
    assert_eq!((p["referrals"].as_i64(), p["pending"].as_i64()), (Some(1), Some(1)));
    assert_eq!(p["first_contact_delay_median_minutes"], 1440);
    let other_unit = app.token(&app.world.brigade_a2, &[Scope::Gendarmerie]);
    assert_eq!(json(app.get(PERIOD, &other_unit).await).await["periods"][0]["referrals"], 0);
    problem(app.get(PERIOD, &app.admin_token()).await, 403).await;
}

#[actix_web::test]
async fn the_csv_opens_in_a_spreadsheet_with_french_columns() {
    let app = spawn_app().await;
    dataset(&app).await;
    let response = app
        .request(reqwest::Method::GET, &format!("{PERIOD}&granularity=month"), Some(&app.ccas_token()))
        .header("Accept", "text/csv")
        .send()
        .await
        .expect("csv");
    assert_eq!(response.headers().get("content-type").and_then(|v| v.to_str().ok()), Some("text/csv; charset=utf-8"));
    assert!(response.headers().get("content-disposition").and_then(|v| v.to_str().ok()).is_some_and(|v| v.contains(".csv")));
    let body = response.text().await.expect("text");
    assert!(body.starts_with('\u{feff}'), "UTF-8 BOM");
    let lines: Vec<&str> = body.trim_start_matches('\u{feff}').lines().collect();
    assert_eq!(lines[0], "Début;Fin;Indicateur;Catégorie;Code;Valeur;Masqué (effectif de 1 à 4)");
    // French words for the reader, the code beside them for tools.
    assert!(lines.contains(&"2026-01-01;2026-01-31;situations_rencontrees;Nouvelles;opened;1;non"), "{body}");
    assert!(lines.contains(&"2025-12-01;2025-12-31;saisines_par_origine;Gendarmerie;gendarmerie;2;non"), "{body}");
    assert!(lines.iter().any(|l| l.contains(";Sur rendez-vous, absence;scheduled:no_show;")), "{body}");
    assert!(lines.iter().any(|l| l.contains(";90e centile (minutes);p90_minutes;")), "{body}");
    assert!(lines.iter().all(|l| l.split(';').count() == 7), "seven columns on every line");
    let agency =
        app.request(reqwest::Method::GET, PERIOD, Some(&app.gendarmerie_token())).header("Accept", "text/csv").send().await.expect("csv");
    let agency = agency.text().await.expect("text");
    assert!(agency.contains("2025-12-01;2026-01-31;2;1;1;0;360"), "{agency}");
}

#[actix_web::test]
async fn months_not_yet_begun_are_neither_counted_nor_listed() {
    let app = spawn_app().await;
    dataset(&app).await;
    let today = relais_api::time::paris_date(app.now());
    let year = today.format("%Y");
    let report =
        json(app.get(&format!("/api/v1/reports/activity?from={year}-01-01&to={year}-12-31&granularity=month"), &app.ccas_token()).await)
            .await;
    let starts: Vec<String> =
        report["periods"].as_array().expect("periods").iter().map(|p| p["from"].as_str().expect("from").to_owned()).collect();
    assert_eq!(starts.len() as u32, chrono::Datelike::month(&today), "{starts:?}");
    assert!(starts.iter().all(|from| from.as_str() <= today.to_string().as_str()));
}

#[actix_web::test]
async fn bad_periods_are_refused() {
    let app = spawn_app().await;
    let token = app.ccas_token();
    problem(app.get("/api/v1/reports/activity?from=2026-02-01&to=2026-01-01", &token).await, 422).await;
    problem(app.get("/api/v1/reports/activity?from=2026-02-30&to=2026-03-01", &token).await, 422).await;
    problem(app.get("/api/v1/reports/activity?from=2026-01-01", &token).await, 422).await;
    problem(app.get("/api/v1/reports/activity?from=2000-01-01&to=2026-01-01", &token).await, 422).await;
}

#[actix_web::test]
async fn reactivity_counts_the_delay_to_the_first_interview_by_origin() {
    let app = spawn_app().await;
    let case = app.case().await;
    let ccas = app.ccas_token();
    let referral = |token: String, name: &str, at: &str, walk_in: bool| {
        let mut body = referral_body(name);
        body["received_at"] = json!(at);
        if walk_in {
            body["source"] = json!("walk_in");
        }
        (token, body)
    };
    // Each referral names a new person, except C, who is A's person again.
    let accept = |id: &str, at: &str, situation: Option<&str>| {
        let mut body = json!({"at": at, "persons": [{"confirm_distinct": true}]});
        if let Some(s) = situation {
            body["situation_id"] = json!(s);
        }
        (format!("/api/v1/referrals/{id}/accept"), body)
    };
    // A: a gendarmerie referral, met 24 hours after it came, at an attended appointment.
    let (token, body) = referral(app.gendarmerie_token(), "Aubert", "2026-02-02T08:00:00Z", false);
    let a = id(&created(&app, "/api/v1/referrals", &token, body).await);
    let (path, body) = accept(&a, "2026-02-02T10:30:00Z", None);
    let situation = created(&app, &path, &ccas, body).await["situation_id"].as_str().expect("situation").to_owned();
    let emergency = json!({"kind": "emergency", "site_id": case.site, "coordinator_id": case.coordinator, "situation_id": situation,
                           "starts_at": "2026-02-03T08:00:00Z", "ends_at": "2026-02-03T09:00:00Z"});
    let appointment = id(&created(&app, "/api/v1/appointments", &ccas, emergency).await);
    created(&app, &format!("/api/v1/appointments/{appointment}/outcome"), &ccas, json!({"outcome": "attended"})).await;
    // B: a walk-in met three hours later, at an in-person first listening.
    let (token, body) = referral(ccas.clone(), "Bernard", "2026-02-04T09:00:00Z", true);
    let b = id(&created(&app, "/api/v1/referrals", &token, body).await);
    let (path, body) = accept(&b, "2026-02-04T09:10:00Z", None);
    let walk_in_file = created(&app, &path, &ccas, body).await["situation_id"].as_str().expect("situation").to_owned();
    let listening = json!({"situation_id": walk_in_file, "kind": "first_listening", "occurred_at": "2026-02-04T12:00:00Z",
                           "coordinator_id": case.coordinator, "in_person": true});
    created(&app, "/api/v1/interventions", &ccas, listening).await;
    // C: joins A's file; the interview before C came does not count, the next one does.
    let (token, body) = referral(app.gendarmerie_token(), "Aubert", "2026-02-05T09:00:00Z", false);
    let c = id(&created(&app, "/api/v1/referrals", &token, body).await);
    let (path, mut body) = accept(&c, "2026-02-05T09:30:00Z", Some(&situation));
    let file = json(app.get(&format!("/api/v1/situations/{situation}"), &ccas).await).await;
    body["persons"] = json!([{"person_id": file["persons"][0]["person"]["id"]}]);
    created(&app, &path, &ccas, body).await;
    let visit = json!({"situation_id": situation, "kind": "advice", "occurred_at": "2026-02-06T09:00:00Z",
                       "coordinator_id": case.coordinator, "in_person": true});
    created(&app, "/api/v1/interventions", &ccas, visit).await;

    let report = json(app.get("/api/v1/reports/activity?from=2026-02-01&to=2026-02-28", &ccas).await).await;
    let f = &report["periods"][0]["figures"];
    let interview = &f["first_interview_delay"];
    assert_eq!((value(&interview["referrals"]), &interview["median_minutes"], &interview["p90_minutes"]), (3, &json!(1440), &json!(1440)));
    let origins = f["reactivity_by_origin"].as_array().expect("origins");
    let of = |key: &str| origins.iter().find(|o| o["key"] == key).cloned().expect("origin");
    assert_eq!(value(&of("gendarmerie")["first_interview"]["referrals"]), 2);
    assert_eq!(of("gendarmerie")["first_interview"]["median_minutes"], 1440);
    assert_eq!(of("walk_in")["first_interview"]["median_minutes"], 180);
    assert_eq!(value(&of("walk_in")["first_contact"]["referrals"]), 0);
}
