//! Hostile text, the same answer on both backends: NUL and other control characters, invisible
//! and direction-changing characters, malformed ids, decomposed accents, and a body that never
//! arrives. Nothing reaches the database, nothing answers 500.

use relais_tests::{json, problem, referral_body, spawn_app};
use reqwest::Method;
use serde_json::json;

#[actix_web::test]
async fn nul_and_control_characters_are_refused_naming_the_field() {
    let app = spawn_app().await;
    let ccas = app.ccas_token();
    let mut body = referral_body("Du\u{0}rand");
    body["summary"] = json!("Première ligne\nSeconde ligne\ttabulée");
    let refused = problem(app.post("/api/v1/referrals", &app.gendarmerie_token(), &body).await, 422).await;
    assert_eq!(refused["errors"][0]["field"], "persons[0].last_name");
    assert_eq!(refused["errors"][0]["code"], "control_character");
    // A newline in a name, a bell in a note.
    let refused = problem(app.post("/api/v1/persons", &ccas, &json!({"last_name": "Durand\nMartin"})).await, 422).await;
    assert_eq!(refused["errors"][0]["field"], "last_name");
    let case = app.case().await;
    let note = format!("/api/v1/situations/{}/notes", case.situation);
    let refused = problem(app.post(&note, &ccas, &json!({"body": "Appel\u{7}", "private": false})).await, 422).await;
    assert_eq!(refused["errors"][0]["field"], "body");
    // In a query, a cursor, an unauthenticated sign-in.
    for path in ["/api/v1/persons?q=Du%00rand", "/api/v1/referrals?cursor=%00", "/api/v1/situations?q=a%0Ab"] {
        let refused = problem(app.get(path, &ccas).await, 422).await;
        assert_eq!(refused["errors"][0]["code"], "control_character", "{path}");
    }
    let sign_in = app
        .request(Method::POST, "/api/v1/auth/token", None)
        .form(&[("grant_type", "password"), ("username", "coord\u{0}inatrice"), ("password", "x")])
        .send()
        .await
        .expect("sent");
    assert_eq!(problem(sign_in, 422).await["errors"][0]["field"], "username");
    // Nothing was created.
    assert_eq!(json(app.get("/api/v1/persons?q=Durand", &ccas).await).await["items"].as_array().map(Vec::len), Some(0));
}

#[actix_web::test]
async fn invisible_and_direction_changing_characters_are_refused_in_names() {
    let app = spawn_app().await;
    for name in ["Du\u{200B}rand", "\u{202E}dnaruD", "Durand\u{FEFF}", "Du\u{2066}rand"] {
        let refused = problem(app.post("/api/v1/persons", &app.ccas_token(), &json!({"last_name": name})).await, 422).await;
        assert_eq!(refused["errors"][0]["code"], "invisible_character", "{name:?}");
    }
}

#[actix_web::test]
async fn malformed_ids_answer_404_without_reaching_the_database() {
    let app = spawn_app().await;
    for path in ["/api/v1/persons/%00", "/api/v1/persons/a%20b", "/api/v1/situations/%E2%80%AE/timeline", "/api/v1/referrals/%27%3B--"] {
        problem(app.get(path, &app.ccas_token()).await, 404).await;
    }
    for not_a_uuid in ["a".repeat(65), "42".to_owned(), "bench-s-1".to_owned(), "0b7c4f7e2d7f4c1e9a431f2e3d4c5b6a".to_owned()] {
        problem(app.get(&format!("/api/v1/persons/{not_a_uuid}"), &app.ccas_token()).await, 404).await;
    }
}

#[actix_web::test]
async fn a_name_typed_with_a_combining_accent_is_stored_composed_and_found_either_way() {
    let app = spawn_app().await;
    let created =
        json(app.post("/api/v1/persons", &app.ccas_token(), &json!({"last_name": "Le\u{0301}ger", "first_name": "Zoe\u{0308}"})).await)
            .await;
    assert_eq!((created["last_name"].as_str(), created["first_name"].as_str()), (Some("Léger"), Some("Zoë")));
    let found = json(app.get("/api/v1/persons?q=L%C3%A9ger", &app.ccas_token()).await).await;
    assert_eq!(found["items"].as_array().map(Vec::len), Some(1));
}

#[actix_web::test]
async fn a_body_that_never_arrives_is_cut_off_with_a_problem() {
    let app = spawn_app().await;
    let (address, token) = (app.address(), app.ccas_token());
    let head = format!(
        "POST /api/v1/persons HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\nAuthorization: Bearer {token}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{{\"last_"
    );
    let answer = app.raw_answer(head).await;
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(answer.contains("application/problem+json"), "{answer}");
    assert!(answer.to_ascii_lowercase().contains("x-content-type-options: nosniff"), "{answer}");
}

#[actix_web::test]
async fn look_alike_letters_of_other_scripts_are_caught_by_the_duplicate_check() {
    let app = spawn_app().await;
    let ccas = app.ccas_token();
    json(app.post("/api/v1/persons", &ccas, &json!({"last_name": "Durand", "first_name": "Sophie"})).await).await;
    // A Cyrillic "а", then fullwidth letters: the same name to a reader.
    for (last, first) in [("Durаnd", "Sophie"), ("Ｄｕｒａｎｄ", "Sоphie")] {
        let answer = problem(app.post("/api/v1/persons", &ccas, &json!({"last_name": last, "first_name": first})).await, 409).await;
        assert_eq!(answer["code"], "possible_duplicate", "{last} {first}");
    }
}

#[actix_web::test]
async fn a_phone_number_is_one_number_however_it_is_written() {
    let app = spawn_app().await;
    let ccas = app.ccas_token();
    let created = json(app.post("/api/v1/persons", &ccas, &json!({"last_name": "Martin", "phone": "+33 7 88 99 00 11"})).await).await;
    for search in ["0033%207%2088", "%2B33%20(0)7%2088%2099", "07%2088%2099%2000%2011", "0788"] {
        let found = json(app.get(&format!("/api/v1/persons?phone={search}"), &ccas).await).await;
        assert_eq!(found["items"][0]["id"], created["id"], "{search}");
    }
    for same in ["0033 7 88 99 00 11", "+33 (0)7 88 99 00 11", "07.88.99.00.11"] {
        let answer = problem(app.post("/api/v1/persons", &ccas, &json!({"last_name": "Bernard", "phone": same})).await, 409).await;
        assert_eq!(answer["conflicts"][0]["id"], created["id"], "{same}");
    }
    for wrong in ["0623", "06 12 34", "+33 6 12 34 56 78 90"] {
        let refused = problem(app.post("/api/v1/persons", &ccas, &json!({"last_name": "Petit", "phone": wrong})).await, 422).await;
        assert_eq!(
            (refused["errors"][0]["field"].as_str(), refused["errors"][0]["code"].as_str()),
            (Some("phone"), Some("phone")),
            "{wrong}"
        );
    }
    let refused = problem(
        app.post("/api/v1/referrals", &app.gendarmerie_token(), &{
            let mut body = referral_body("Petit");
            body["persons"][0]["phone"] = json!("0623");
            body
        })
        .await,
        422,
    )
    .await;
    assert_eq!(refused["errors"][0]["field"], "persons[0].phone");
}

#[actix_web::test]
async fn oversized_headers_and_unknown_or_mistyped_parameters_answer_a_problem() {
    let app = spawn_app().await;
    let answer = app
        .request(Method::GET, "/api/v1/persons", Some(&app.ccas_token()))
        .header("X-Padding", "a".repeat(17 * 1024))
        .send()
        .await
        .expect("sent");
    assert!(answer.headers().contains_key("x-content-type-options"));
    assert_eq!(problem(answer, 431).await["code"], "request_header_fields_too_large");
    let mistyped = problem(app.get("/api/v1/persons?limit=abc", &app.ccas_token()).await, 422).await;
    assert_eq!(mistyped["errors"][0]["field"], "limit");
    let case = app.case().await;
    for path in [
        format!("/api/v1/situations/{}/notes?colour=red", case.situation),
        format!("/api/v1/situations/{}/timeline?colour=red", case.situation),
    ] {
        let unknown = problem(app.get(&path, &app.ccas_token()).await, 422).await;
        assert_eq!(unknown["errors"][0]["field"], "colour", "{path}");
    }
}

/// A cursor as the lists make them: base64url (no padding) of `{"key": …, "id": …}`.
fn forged_cursor(cursor: &serde_json::Value) -> String {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(cursor.to_string())
}

#[actix_web::test]
async fn a_tampered_cursor_is_refused_naming_it_on_every_list() {
    let app = spawn_app().await;
    let case = app.case().await;
    let (ccas, admin, unit) = (app.ccas_token(), app.admin_token(), app.gendarmerie_token());
    let subscription = json(
        app.post(
            "/api/v1/webhook-subscriptions",
            &unit,
            &json!({"url": "https://logiciel.example.fr/hook", "events": ["referral.status_changed"]}),
        )
        .await,
    )
    .await["subscription"]["id"]
        .as_str()
        .expect("a subscription")
        .to_owned();
    let lists: Vec<(String, &str)> = vec![
        ("/api/v1/referrals".into(), &ccas),
        ("/api/v1/referrals".into(), &unit),
        ("/api/v1/persons".into(), &ccas),
        ("/api/v1/situations".into(), &ccas),
        ("/api/v1/appointments".into(), &ccas),
        ("/api/v1/partners".into(), &ccas),
        ("/api/v1/interventions".into(), &ccas),
        ("/api/v1/brief-contacts".into(), &ccas),
        ("/api/v1/directory".into(), &ccas),
        ("/api/v1/sites".into(), &ccas),
        (format!("/api/v1/situations/{}/notes", case.situation), &ccas),
        (format!("/api/v1/situations/{}/timeline", case.situation), &ccas),
        ("/api/v1/users".into(), &admin),
        ("/api/v1/organisations".into(), &admin),
        ("/api/v1/api-clients".into(), &admin),
        ("/api/v1/audit-events".into(), &admin),
        ("/api/v1/webhook-subscriptions".into(), &unit),
        (format!("/api/v1/webhook-subscriptions/{subscription}/deliveries"), &unit),
    ];
    let a_time = "2026-11-18T10:00:00Z";
    let an_id = "5e000000-0000-4000-8000-000000000001";
    let tampered = [
        (forged_cursor(&json!({"key": "Du\u{0}rand", "id": an_id})), "control_character"),
        (forged_cursor(&json!({"key": a_time, "id": format!("{an_id}\u{0}")})), "control_character"),
        (forged_cursor(&json!({"key": "\u{202E}dnarud", "id": an_id})), "invisible_character"),
        (forged_cursor(&json!({"key": "x".repeat(4096), "id": an_id})), "invalid"),
        (forged_cursor(&json!({"key": a_time})), "invalid"),
        (forged_cursor(&json!(["not", "a", "cursor"])), "invalid"),
        ("bm90IGpzb24".to_owned(), "invalid"),
        ("not*base64".to_owned(), "invalid"),
    ];
    for (path, token) in &lists {
        for (cursor, code) in &tampered {
            let answer = app.get(&format!("{path}?cursor={cursor}"), token).await;
            let refused = problem(answer, 422).await;
            assert_eq!(refused["errors"][0]["field"], "cursor", "{path} with {cursor}: {refused}");
            assert_eq!(refused["errors"][0]["code"], *code, "{path} with {cursor}: {refused}");
        }
    }
}

#[actix_web::test]
async fn an_if_match_that_names_no_version_of_ours_is_a_412_and_changes_nothing() {
    let app = spawn_app().await;
    let ccas = app.ccas_token();
    let person = json(app.post("/api/v1/persons", &ccas, &json!({"last_name": "Durand"})).await).await;
    let path = format!("/api/v1/persons/{}", person["id"].as_str().expect("id"));
    // What an If-Match decodes to is a version: anything else, however it is written, is no
    // version of this person (RFC 9110: 412), never a 500 or a write.
    let long = format!("\"{}\"", "9".repeat(8 * 1024));
    for hostile in ["\"\"", "\"-1\"", "\"0\"", "\"2147483648\"", "\"1e3\"", "\"0x1\"", "W/", "\"1\" \"1\"", "é", &long] {
        let answer =
            app.request(Method::PATCH, &path, Some(&ccas)).header("If-Match", hostile).json(&json!({"commune": "Vienne"})).send().await;
        assert_eq!(problem(answer.expect("patch"), 412).await["code"], "precondition_failed", "{hostile}");
    }
    let unchanged = json(app.get(&path, &ccas).await).await;
    assert_eq!((unchanged["version"].clone(), unchanged["commune"].clone()), (person["version"].clone(), person["commune"].clone()));
}
