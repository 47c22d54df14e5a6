//! The benchmark's dataset generator writes data the API reads like any other.

use relais_api::auth::Scope;
use relais_api::bench::{Plan, generate};
use relais_tests::{json, spawn_app};

#[actix_web::test]
async fn a_generated_dataset_is_reported_on() {
    let app = spawn_app().await;
    let postgres = app.db_url.is_postgres();
    let db = app.state.db.clone();
    let plan = Plan { situations: 240, ccas: 4, years: 2 };
    let rows = actix_web::web::block(move || {
        let mut conn = db.get().expect("connection");
        relais_api::db::pool::write_transaction(&mut conn, |conn| generate(conn, &plan, postgres))
    })
    .await
    .expect("block")
    .expect("generate");
    // Per CCAS: itself, a brigade, a coordinator, a site, a partner. Per situation: itself, a
    // problem type, two persons in it, a referral, two appointments, two interventions with their person.
    assert_eq!(rows, 4 * 5 + 240 * 13);
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
}
