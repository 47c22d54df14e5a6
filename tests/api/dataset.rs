//! The benchmark's dataset generator writes data the API reads like any other.

use relais_api::auth::Scope;
use relais_api::bench::{Plan, generate};
use relais_tests::{json, spawn_app};

#[actix_web::test]
async fn a_generated_dataset_is_reported_on() {
    let app = spawn_app().await;
    let postgres = app.db_url.is_postgres();
    let db = app.state.db.clone();
    let plan = Plan { situations: 240, ccas: 4, years: 2, today: app.now().date() };
    let (rows, terms) = actix_web::web::block(move || {
        use diesel::prelude::*;
        let mut conn = db.get().expect("connection");
        let rows = relais_api::db::pool::write_transaction(&mut conn, |conn| generate(conn, &plan, postgres)).expect("generate");
        let terms: i64 = relais_api::db::schema::person_name_terms::table.count().get_result(&mut conn).expect("count");
        (rows, u64::try_from(terms).expect("count"))
    })
    .await
    .expect("block");
    // Per CCAS: itself, a brigade, a coordinator, a site open five days, 50 partners. Per
    // situation: itself, a problem type, two persons in it, a referral, two appointments
    // expecting their person, two interventions with their person. An inbox of 4 referrals
    // naming a person; 14 days of 8 planned appointments expecting their person per
    // coordinator; the persons' name terms.
    assert_eq!(rows, 4 * (4 + 5 + 50) + 240 * 15 + 4 * 2 + 4 * 14 * 8 * 2 + terms);
    assert!(terms > 240 * 2, "two names per person, one term when both names are the same word");
    let token = app.token("bench-ccas-0", &[Scope::Ccas]);
    let year = plan.start().expect("start").format("%Y").to_string();
    let report = json(app.get(&format!("/api/v1/reports/activity?from={year}-01-01&to={year}-12-31"), &token).await).await;
    let figures = &report["periods"][0]["figures"];
    let opened = figures["situations_met"]["opened"]["value"].as_i64().expect("opened");
    assert!((25..=35).contains(&opened), "about 240 / 4 CCAS / 2 years = 30 opened, got {opened}");
    assert!(figures["persons_received"]["value"].as_i64().expect("received") > 0);
    assert!(figures["first_contact_delay"]["median_minutes"].as_i64().is_some());
    let referrals = json(app.get("/api/v1/referrals?limit=5", &token).await).await;
    assert_eq!(referrals["items"].as_array().map(Vec::len), Some(5), "the referral views load generated rows");
    let inbox = json(app.get("/api/v1/referrals?status=received", &token).await).await;
    assert_eq!(inbox["items"].as_array().map(Vec::len), Some(1), "4 received referrals over 4 CCAS");
    let named = json(app.get("/api/v1/persons?q=mar&limit=200", &token).await).await;
    let named = named["items"].as_array().expect("items");
    assert!(
        !named.is_empty()
            && named.iter().all(|p| {
                let words = format!("{} {}", p["last_name"], p["first_name"]).to_lowercase();
                words.split(|c: char| !c.is_alphanumeric()).any(|w| w.starts_with("mar"))
            })
    );
    let phone = named[0]["phone"].as_str().expect("a phone");
    let by_phone = json(app.get(&format!("/api/v1/persons?phone={}", &phone[..6]), &token).await).await;
    let by_phone = by_phone["items"].as_array().expect("items");
    assert!(
        by_phone.iter().any(|p| p["id"] == named[0]["id"])
            && by_phone.iter().all(|p| p["phone"].as_str().is_some_and(|n| n.starts_with(&phone[..6])))
    );
    let week = json(app.get("/api/v1/appointments?coordinator_id=bench-user-0&status=planned&limit=200", &token).await).await;
    assert_eq!(week["items"].as_array().map(Vec::len), Some(14 * 8));
}
