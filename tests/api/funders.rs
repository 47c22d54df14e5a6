//! The funders' grid (`layout=funders`): every public, origin and action checked on a dataset
//! built through the API, the breakdowns by unit and commune, the audiences, and the CSV.

use relais_tests::{TestApp, json, problem, referral_body, spawn_app};
use serde_json::{Value, json};

async fn created(app: &TestApp, path: &str, token: &str, body: Value) -> String {
    let response = app.post(path, token, &body).await;
    assert!(response.status().is_success(), "{path}: {}", response.text().await.unwrap_or_default());
    json(response).await["id"].as_str().expect("id").to_owned()
}

const MARCH: &str = "/api/v1/reports/activity?from=2026-03-01&to=2026-03-31&layout=funders";

/// Eight situations met in March 2026, one per public but `involved`'s, which has one person;
/// seven persons received; referrals of every origin from two units and the coordinators.
async fn dataset(app: &TestApp) {
    let case = app.case().await;
    let ccas = app.ccas_token();
    let person = |name: &str, sex: Option<&str>, birth: &str, commune: Option<&str>| json!({"last_name": name, "first_name": "Test", "sex": sex, "birth_date": birth, "commune": commune});
    let villefontaine = Some("Villefontaine");
    let victim = created(app, "/api/v1/persons", &ccas, person("Victime", Some("female"), "1990-01-01", villefontaine)).await;
    let author = created(app, "/api/v1/persons", &ccas, person("Auteur", Some("male"), "1988-01-01", villefontaine)).await;
    let child = created(app, "/api/v1/persons", &ccas, person("Enfant", Some("female"), "2016-05-01", villefontaine)).await;
    let neighbour = created(app, "/api/v1/persons", &ccas, person("Voisin", None, "1970-01-01", None)).await;
    let elder = created(app, "/api/v1/persons", &ccas, person("Aînée", Some("female"), "1935-01-01", Some("  L'Isle-d'Abeau "))).await;
    let tenant = created(app, "/api/v1/persons", &ccas, person("Locataire", Some("male"), "1980-01-01", Some("L'Isle-d'Abeau"))).await;
    let relative = created(app, "/api/v1/persons", &ccas, person("Proche", Some("other"), "1975-01-01", Some("Vaulx-Milieu"))).await;
    let situation =
        |types: &[&str], persons: Value| json!({"opened_at": "2026-03-02T09:00:00Z", "problem_types": types, "persons": persons});
    let violence = created(
        app,
        "/api/v1/situations",
        &ccas,
        situation(
            &["domestic_violence"],
            json!([{"person_id": victim, "role": "victim"}, {"person_id": author, "role": "alleged_author"}, {"person_id": child, "role": "other"}]),
        ),
    )
    .await;
    let dispute =
        created(app, "/api/v1/situations", &ccas, situation(&["neighbour_dispute"], json!([{"person_id": neighbour, "role": "other"}])))
            .await;
    let vulnerable =
        created(app, "/api/v1/situations", &ccas, situation(&["vulnerable_adult"], json!([{"person_id": elder, "role": "other"}]))).await;
    // The tenant is in two files: eviction (rank 8) wins over distress (rank 9).
    let housing =
        created(app, "/api/v1/situations", &ccas, situation(&["housing_precarity"], json!([{"person_id": tenant, "role": "other"}]))).await;
    created(app, "/api/v1/situations", &ccas, situation(&["mental_distress"], json!([{"person_id": tenant, "role": "other"}]))).await;
    let other = created(app, "/api/v1/situations", &ccas, situation(&["other"], json!([{"person_id": relative, "role": "other"}]))).await;
    created(app, "/api/v1/situations", &ccas, situation(&["child_at_risk"], json!([]))).await;
    created(
        app,
        "/api/v1/situations",
        &ccas,
        situation(&["conflictual_separation"], json!([{"person_id": author, "role": "alleged_author"}])),
    )
    .await;
    // Received: the victim and the child at an attended appointment; the others in person.
    let appointment = json!({"kind": "scheduled", "site_id": case.site, "coordinator_id": case.coordinator, "situation_id": violence,
        "expected_person_ids": [victim, child], "starts_at": "2026-03-03T09:00:00Z", "ends_at": "2026-03-03T10:00:00Z"});
    let appointment = created(app, "/api/v1/appointments", &ccas, appointment).await;
    created(app, &format!("/api/v1/appointments/{appointment}/outcome"), &ccas, json!({"outcome": "attended"})).await;
    let intervention = |situation: &str, person: &str, kind: &str, in_person: bool| {
        json!({"situation_id": situation, "kind": kind, "occurred_at": "2026-03-04T10:00:00Z", "coordinator_id": case.coordinator,
               "person_ids": [person], "in_person": in_person})
    };
    for (situation, person, kind) in [
        (&violence, &author, "mediation"),
        (&dispute, &neighbour, "first_listening"),
        (&vulnerable, &elder, "accompaniment"),
        (&housing, &tenant, "administrative_help"),
        (&other, &relative, "advice"),
    ] {
        created(app, "/api/v1/interventions", &ccas, intervention(situation, person, kind, true)).await;
    }
    created(app, "/api/v1/interventions", &ccas, intervention(&violence, &victim, "phone_follow_up", false)).await;
    // Referrals: two from brigade A, one from the commissariat, a proactive one (no unit),
    // a partner's and a walk-in.
    let referral = |at: &str, extra: Value| {
        let mut body = referral_body("Saisine");
        body["received_at"] = json!(at);
        for (k, v) in extra.as_object().into_iter().flatten() {
            body[k] = v.clone();
        }
        body
    };
    for at in ["2026-03-05T08:00:00Z", "2026-03-06T08:00:00Z"] {
        created(app, "/api/v1/referrals", &app.gendarmerie_token(), referral(at, json!({}))).await;
    }
    created(app, "/api/v1/referrals", &app.police_nationale_token(), referral("2026-03-07T08:00:00Z", json!({}))).await;
    created(app, "/api/v1/referrals", &ccas, referral("2026-03-08T08:00:00Z", json!({"source": "proactive"}))).await;
    let partner = created(app, "/api/v1/partners", &ccas, json!({"name": "France Victimes", "kind": "victim_support"})).await;
    created(app, "/api/v1/referrals", &ccas, referral("2026-03-09T08:00:00Z", json!({"source": "partner", "partner_id": partner}))).await;
    created(app, "/api/v1/referrals", &ccas, referral("2026-03-10T08:00:00Z", json!({"source": "walk_in"}))).await;
    for origin in ["walk_in", "police_municipale", "partner"] {
        created(app, "/api/v1/brief-contacts", &ccas, json!({"occurred_at": "2026-03-11T09:30:00Z", "channel": "phone", "origin": origin}))
            .await;
    }
}

fn n(count: &Value) -> i64 {
    count["value"].as_i64().unwrap_or(-1)
}

fn named(object: &Value) -> Vec<(String, i64)> {
    object.as_object().expect("object").iter().map(|(k, v)| (k.clone(), n(v))).collect()
}

/// In key order, as the JSON object is read back.
fn pairs(items: &[(&str, i64)]) -> Vec<(String, i64)> {
    let mut pairs: Vec<(String, i64)> = items.iter().map(|(k, n)| ((*k).to_owned(), *n)).collect();
    pairs.sort();
    pairs
}

#[actix_web::test]
async fn the_grid_counts_the_year_in_the_guide_s_categories() {
    let app = spawn_app().await;
    dataset(&app).await;
    let report = json(app.get(MARCH, &app.ccas_token()).await).await;
    assert_eq!(report["small_counts_suppressed"], false);
    let f = &report["periods"][0]["figures"];
    assert_eq!(n(&f["persons_received"]), 7);
    // Each person once.
    assert_eq!(
        named(&f["persons_by_public"]),
        pairs(&[
            ("victims", 1),
            ("at_risk_of_victimisation", 1),
            ("minors_at_risk", 1),
            ("conjugal_conflicts", 0),
            ("family_conflicts", 0),
            ("neighbour_conflicts", 1),
            ("social_distress", 0),
            ("evictions_and_housing_breakdown", 1),
            ("involved", 1),
            ("alleged_authors_and_family", 1),
        ])
    );
    assert_eq!(named(&f["persons_by_sex"]), pairs(&[("female", 3), ("male", 2), ("other", 1), ("unknown", 1)]));
    assert_eq!(named(&f["persons_by_age"]), pairs(&[("minor", 1), ("adult", 6), ("unknown", 0)]));
    let communes: Vec<(Value, i64)> =
        f["persons_by_commune"].as_array().expect("communes").iter().map(|c| (c["commune"].clone(), n(&c["count"]))).collect();
    assert_eq!(communes, vec![(json!("Villefontaine"), 3), (json!("L'Isle-d'Abeau"), 2), (json!("Vaulx-Milieu"), 1), (Value::Null, 1)]);
    assert_eq!(n(&f["situations_met"]), 8);
    assert_eq!(
        named(&f["situations_by_public"]),
        pairs(&[
            ("victims", 1),
            ("at_risk_of_victimisation", 1),
            ("minors_at_risk", 1),
            ("conjugal_conflicts", 0),
            ("family_conflicts", 0),
            ("neighbour_conflicts", 1),
            ("social_distress", 1),
            ("evictions_and_housing_breakdown", 1),
            ("involved", 1),
            ("alleged_authors_and_family", 1),
        ]),
        "a child at risk with no person known is a minor's file; a separation followed for its alleged author only is his"
    );
    assert_eq!(n(&f["referrals_received"]), 6);
    assert_eq!(named(&f["referrals_by_origin"]), pairs(&[("police_gendarmerie", 4), ("other_services", 1), ("spontaneous", 1)]));
    let units: Vec<(Value, Value, i64)> = f["referrals_by_unit"]
        .as_array()
        .expect("units")
        .iter()
        .map(|u| (u["organisation_id"].clone(), u["kind"].clone(), n(&u["count"])))
        .collect();
    assert_eq!(
        units,
        vec![
            (json!(app.world.brigade_a), json!("gendarmerie"), 2),
            (json!(app.world.commissariat_a), json!("police_nationale"), 1),
            (Value::Null, Value::Null, 1),
        ]
    );
    assert_eq!(
        named(&f["actions_by_kind"]),
        pairs(&[("reception", 1), ("listening", 2), ("action", 3), ("orientation", 0), ("liaison", 1)])
    );
    assert_eq!(n(&f["actions_total"]), 7);
    assert_eq!(n(&f["brief_contacts_total"]), 3);
    assert_eq!(named(&f["brief_contacts_by_origin"]), pairs(&[("police_gendarmerie", 1), ("other_services", 1), ("spontaneous", 1)]));
    let origins: Vec<&str> = f["reactivity_by_origin"].as_array().expect("origins").iter().filter_map(|o| o["key"].as_str()).collect();
    assert_eq!(origins, ["police_gendarmerie", "other_services", "spontaneous"]);
}

#[actix_web::test]
async fn reporting_tools_read_the_grid_suppressed_and_units_do_not_read_it() {
    let app = spawn_app().await;
    dataset(&app).await;
    let report = json(app.get(MARCH, &app.reports_token()).await).await;
    assert_eq!(report["small_counts_suppressed"], true);
    let f = &report["periods"][0]["figures"];
    let hidden = json!({"value": null, "suppressed": true});
    assert_eq!(f["persons_received"], json!({"value": 7, "suppressed": false}));
    assert_eq!(f["persons_by_public"]["victims"], hidden);
    assert_eq!(f["persons_by_public"]["family_conflicts"], json!({"value": 0, "suppressed": false}), "zero is no secret");
    assert!(f["persons_by_commune"].as_array().expect("communes").iter().all(|c| c["count"] == hidden));
    assert!(f["first_contact_delay"]["median_minutes"].is_null());
    for forbidden in ["Victime", "Auteur", "person_id", "summary"] {
        assert!(!report.to_string().contains(forbidden), "{forbidden}");
    }
    // The grid is the post's whole work: a unit reads its own referrals' figures only.
    for token in [app.gendarmerie_token(), app.police_token(), app.police_nationale_token()] {
        let body = problem(app.get(MARCH, &token).await, 403).await;
        assert_eq!(body["code"], "insufficient_scope");
    }
    problem(app.get(MARCH, &app.admin_token()).await, 403).await;
    problem(app.get("/api/v1/reports/activity?from=2026-03-01&to=2026-03-31&layout=donors", &app.ccas_token()).await, 422).await;
}

#[actix_web::test]
async fn the_grid_s_csv_speaks_the_guide_s_words() {
    let app = spawn_app().await;
    dataset(&app).await;
    let response =
        app.request(reqwest::Method::GET, MARCH, Some(&app.ccas_token())).header("Accept", "text/csv").send().await.expect("csv");
    let disposition = response.headers().get("content-disposition").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
    assert!(disposition.contains("grille-financeurs-2026-03-01-2026-03-31.csv"), "{disposition}");
    let body = response.text().await.expect("text");
    let lines: Vec<&str> = body.trim_start_matches('\u{feff}').lines().collect();
    assert_eq!(lines[0], "Début;Fin;Indicateur;Catégorie;Code;Valeur;Masqué (effectif de 1 à 4)");
    for expected in [
        "2026-03-01;2026-03-31;personnes_par_public;Mineurs en danger;minors_at_risk;1;non",
        "2026-03-01;2026-03-31;situations_par_public;Personnes en détresse ou en difficulté sociale;social_distress;1;non",
        "2026-03-01;2026-03-31;saisines_par_origine;Services de police ou de gendarmerie;police_gendarmerie;4;non",
        "2026-03-01;2026-03-31;saisines_par_unite;Brigade A;",
        "2026-03-01;2026-03-31;actions_par_type;Facilitation du lien;liaison;1;non",
        "2026-03-01;2026-03-31;personnes_par_commune;Non renseignée;;1;non",
        "2026-03-01;2026-03-31;contacts_brefs_par_origine;Démarche spontanée;spontaneous;1;non",
    ] {
        assert!(lines.iter().any(|l| l.starts_with(expected)), "{expected}\n{body}");
    }
    assert!(lines.iter().all(|l| l.split(';').count() == 7), "seven columns on every line");
}
