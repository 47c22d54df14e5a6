//! The demo data: a realistic year that respects every rule of the product.

use chrono::Timelike;
use diesel::dsl::count_star;
use diesel::prelude::*;
use relais_api::db::Db;
use relais_api::db::schema::{appointments, contact_attempts, interventions, persons, referrals, situations};

#[actix_web::test]
async fn the_demo_seeds_a_year_once() {
    let database = relais_tests::backend::TestDatabase::create();
    let db = Db::new(database.url.clone(), 2);
    let seeded = db.clone();
    actix_web::web::block(move || relais_api::demo::seed_if_empty(&seeded)).await.expect("block").expect("seed");
    let again = db.clone();
    actix_web::web::block(move || relais_api::demo::seed_if_empty(&again)).await.expect("block").expect("second seed is a no-op");
    let mut conn = db.get().expect("connection");
    let conn = &mut *conn;
    let situations: i64 = situations::table.select(count_star()).first(conn).expect("count");
    let persons: i64 = persons::table.select(count_star()).first(conn).expect("count");
    let referrals: i64 = referrals::table.select(count_star()).first(conn).expect("count");
    let appointments: i64 = appointments::table.select(count_star()).first(conn).expect("count");
    let interventions: i64 = interventions::table.select(count_star()).first(conn).expect("count");
    eprintln!(
        "demo: {situations} situations, {persons} persons, {referrals} referrals, {appointments} appointments, {interventions} interventions"
    );
    assert!((150..=200).contains(&situations), "{situations} situations");
    assert!((280..=360).contains(&persons), "{persons} persons");
    assert!(referrals >= 190, "{referrals} referrals");
    assert!(appointments >= situations, "{appointments} appointments");
    assert!(interventions >= situations, "{interventions} interventions");
    // Every demo person's sex is recorded, so that the file agrees ("né", "née").
    let unsexed: i64 = persons::table.filter(persons::sex.is_null()).select(count_star()).first(conn).expect("count");
    assert_eq!(unsexed, 0);
    // Counted as the report defines them, the last twelve months are of the seed's scale (176
    // situations and 322 persons received in 2010).
    let ccas: String = relais_api::db::schema::organisations::table
        .filter(relais_api::db::schema::organisations::kind.eq("ccas"))
        .select(relais_api::db::schema::organisations::id)
        .first(conn)
        .expect("the demo CCAS");
    let today = relais_api::time::now().date();
    let year =
        relais_api::reports::models::ReportQuery { from: today - chrono::Duration::days(365), to: today, granularity: None, layout: None };
    let report = relais_api::reports::ccas_report(conn, &ccas, &year, relais_api::reports::models::Granularity::Period).expect("report");
    let figures = &report.periods[0].figures;
    let (met, received) = (figures.situations_met.total.value.unwrap_or(0), figures.persons_received.value.unwrap_or(0));
    eprintln!("demo report, last twelve months: {met} situations met, {received} persons received");
    assert!((160..=190).contains(&met), "{met} situations met");
    assert!((290..=350).contains(&received), "{received} persons received");
    // The funders' grid of the demo year reads like a post's: most publics and all five
    // actions present, the communes of the territory.
    let grid =
        relais_api::reports::ccas_funders_report(conn, &ccas, &year, relais_api::reports::models::Granularity::Period).expect("grid");
    let grid = serde_json::to_value(&grid.periods[0].figures).expect("json");
    let present =
        |object: &serde_json::Value| object.as_object().expect("object").values().filter(|c| c["value"].as_i64() > Some(0)).count();
    eprintln!("demo funders' grid: {}", grid["persons_by_public"]);
    assert!(present(&grid["persons_by_public"]) >= 6, "{}", grid["persons_by_public"]);
    assert_eq!(present(&grid["actions_by_kind"]), 5, "{}", grid["actions_by_kind"]);
    assert!(grid["persons_by_commune"].as_array().expect("communes").len() >= 4, "{}", grid["persons_by_commune"]);
    // The coming fortnight has appointments, at opening hours, Monday to Saturday.
    let now = relais_api::time::now();
    let coming: Vec<chrono::NaiveDateTime> = appointments::table
        .filter(appointments::status.eq("planned"))
        .filter(appointments::starts_at.gt(now))
        .filter(appointments::starts_at.lt(now + chrono::Duration::days(15)))
        .select(appointments::starts_at)
        .load(conn)
        .expect("coming");
    assert!(coming.len() >= 10, "{} appointments in the coming fortnight", coming.len());
    let paris = |at: chrono::NaiveDateTime| at.and_utc().with_timezone(&chrono_tz::Europe::Paris);
    assert!(coming.iter().all(|at| (9..17).contains(&paris(*at).hour())), "{coming:?}");
    // Coordinators call in office hours.
    let calls: Vec<chrono::NaiveDateTime> = contact_attempts::table.select(contact_attempts::at).load(conn).expect("calls");
    let at_night = calls.iter().filter(|at| !(8..18).contains(&paris(**at).hour())).count();
    assert!(at_night * 20 <= calls.len(), "{at_night} of {} calls outside office hours", calls.len());
}
