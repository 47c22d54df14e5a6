//! The demo data: a realistic year that respects every rule of the product, seeded as of any
//! day of the year (it once failed on every Thursday and Friday).

use chrono::{NaiveDateTime, Timelike};
use diesel::dsl::count_star;
use diesel::prelude::*;
use relais_api::appointments::hours::{Range, within};
use relais_api::clock::Clock;
use relais_api::db::schema::{appointments, contact_attempts, interventions, organisations, persons, referrals, situations};
use relais_api::db::{Db, DbConnection};
use relais_api::reports::models::{Granularity, ReportQuery};
use relais_tests::backend::TestDatabase;

/// A fresh database with the demo seeded as of `at` (RFC 3339), and the clock it was seeded on.
async fn seeded_at(at: &str) -> (TestDatabase, Db, Clock) {
    let database = TestDatabase::create();
    let db = Db::new(database.url.clone(), 2);
    let clock = Clock::manual(relais_tests::instant(at));
    let (seeding, seeding_clock) = (db.clone(), clock.clone());
    actix_web::web::block(move || relais_api::demo::seed_if_empty(&seeding, &seeding_clock))
        .await
        .expect("block")
        .unwrap_or_else(|e| panic!("the demo seeds as of {at}: {}", e.explain()));
    (database, db, clock)
}

/// The rows of a query.
macro_rules! count {
    ($conn:expr, $query:expr) => {
        $query.select(count_star()).first::<i64>($conn).expect("count")
    };
}

/// The site's default opening hours (Monday to Friday 9:00–17:00, Saturday 9:00–12:00).
fn default_opening_hours() -> Vec<Range> {
    let week = relais_api::sites::hours::parse_week("h", &relais_api::sites::hours::default_hours()).expect("default hours");
    week.into_iter().map(|(weekday, opens, closes)| Range { weekday, opens, closes }).collect()
}

/// What the demo promises, as of `now`: the seed's scale over the last twelve months as the
/// report counts it, a coming fortnight of appointments inside opening hours, fresh referrals
/// to triage, and calls in office hours.
fn check_promises(conn: &mut DbConnection, now: NaiveDateTime, label: &str) {
    let ccas: String = organisations::table.filter(organisations::kind.eq("ccas")).select(organisations::id).first(conn).expect("CCAS");
    let today = relais_api::time::paris_date(now);
    let year = ReportQuery { from: today - chrono::Duration::days(365), to: today, granularity: None, layout: None };
    let report = relais_api::reports::ccas_report(conn, &ccas, &year, Granularity::Period, today).expect("report");
    let figures = &report.periods[0].figures;
    let (met, received) = (figures.situations_met.total.value.unwrap_or(0), figures.persons_received.value.unwrap_or(0));
    eprintln!("demo as of {label}: {met} situations met, {received} persons received over the last twelve months");
    assert!((160..=190).contains(&met), "{label}: {met} situations met");
    assert!((290..=350).contains(&received), "{label}: {received} persons received");

    let coming: Vec<(NaiveDateTime, NaiveDateTime, String)> = appointments::table
        .filter(appointments::status.eq("planned"))
        .filter(appointments::starts_at.gt(now))
        .filter(appointments::starts_at.lt(now + chrono::Duration::days(15)))
        .select((appointments::starts_at, appointments::ends_at, appointments::kind))
        .load(conn)
        .expect("coming");
    assert!(coming.len() >= 10, "{label}: {} appointments in the coming fortnight", coming.len());
    let hours = default_opening_hours();
    let outside: Vec<_> = coming.iter().filter(|(starts, ends, _)| !within(&hours, starts.and_utc(), ends.and_utc())).collect();
    assert!(outside.is_empty(), "{label}: appointments outside opening hours: {outside:?}");

    let fresh = count!(conn, referrals::table.filter(referrals::status.eq("received")).filter(referrals::received_at.le(now)));
    assert!(fresh >= 5, "{label}: {fresh} referrals to triage");
    let paris = |at: NaiveDateTime| at.and_utc().with_timezone(&chrono_tz::Europe::Paris);
    let calls: Vec<NaiveDateTime> = contact_attempts::table.select(contact_attempts::at).load(conn).expect("calls");
    let at_night = calls.iter().filter(|at| !(8..18).contains(&paris(**at).hour())).count();
    assert!(at_night * 20 <= calls.len(), "{label}: {at_night} of {} calls outside office hours", calls.len());
    let future_calls = calls.iter().filter(|at| **at > now).count();
    assert_eq!(future_calls, 0, "{label}: no call recorded in the future");
}

#[actix_web::test]
async fn the_demo_seeds_a_year_once() {
    let (_database, db, clock) = seeded_at(relais_tests::TEST_NOW).await;
    let (again, again_clock) = (db.clone(), clock.clone());
    actix_web::web::block(move || relais_api::demo::seed_if_empty(&again, &again_clock))
        .await
        .expect("block")
        .expect("second seed is a no-op");
    let mut conn = db.get().expect("connection");
    let conn = &mut *conn;
    let situations = count!(conn, situations::table);
    let persons = count!(conn, persons::table);
    let referrals = count!(conn, referrals::table);
    let appointments = count!(conn, appointments::table);
    let interventions = count!(conn, interventions::table);
    eprintln!(
        "demo: {situations} situations, {persons} persons, {referrals} referrals, {appointments} appointments, {interventions} interventions"
    );
    assert!((150..=200).contains(&situations), "{situations} situations");
    assert!((280..=360).contains(&persons), "{persons} persons");
    assert!(referrals >= 190, "{referrals} referrals");
    assert!(appointments >= situations, "{appointments} appointments");
    assert!(interventions >= situations, "{interventions} interventions");
    // Every demo person's sex is recorded, so that the file agrees ("né", "née").
    assert_eq!(count!(conn, persons::table.filter(persons::sex.is_null())), 0);
    let now = clock.now();
    check_promises(conn, now, relais_tests::TEST_NOW);
    // The funders' grid of the demo year reads like a post's: most publics and all five
    // actions present, the communes of the territory.
    let ccas: String = organisations::table.filter(organisations::kind.eq("ccas")).select(organisations::id).first(conn).expect("CCAS");
    let today = relais_api::time::paris_date(now);
    let year = ReportQuery { from: today - chrono::Duration::days(365), to: today, granularity: None, layout: None };
    let grid = relais_api::reports::ccas_funders_report(conn, &ccas, &year, Granularity::Period, today).expect("grid");
    let grid = serde_json::to_value(&grid.periods[0].figures).expect("json");
    let present =
        |object: &serde_json::Value| object.as_object().expect("object").values().filter(|c| c["value"].as_i64() > Some(0)).count();
    eprintln!("demo funders' grid: {}", grid["persons_by_public"]);
    assert!(present(&grid["persons_by_public"]) >= 6, "{}", grid["persons_by_public"]);
    assert_eq!(present(&grid["actions_by_kind"]), 5, "{}", grid["actions_by_kind"]);
    assert!(grid["persons_by_commune"].as_array().expect("communes").len() >= 4, "{}", grid["persons_by_commune"]);
}

/// The demo seeded as of `at` keeps its promises.
async fn starts_as_of(at: &str) {
    let (_database, db, clock) = seeded_at(at).await;
    let mut conn = db.get().expect("connection");
    check_promises(&mut conn, clock.now(), at);
}

/// One test a day, so that they run side by side.
macro_rules! demo_days {
    ($($name:ident: $at:literal,)*) => {$(
        #[actix_web::test]
        async fn $name() {
            starts_as_of($at).await;
        }
    )*};
}

demo_days! {
    // A whole week, Monday to Sunday (Thursday and Friday once failed).
    the_demo_starts_on_a_monday: "2026-11-30T09:00:00Z",
    the_demo_starts_on_a_tuesday: "2026-12-01T09:00:00Z",
    the_demo_starts_on_a_wednesday: "2026-12-02T09:00:00Z",
    the_demo_starts_on_a_thursday: "2026-12-03T09:00:00Z",
    the_demo_starts_on_a_friday: "2026-12-04T09:00:00Z",
    the_demo_starts_on_a_saturday: "2026-12-05T09:00:00Z",
    the_demo_starts_on_a_sunday: "2026-12-06T09:00:00Z",
    // The two daylight-saving changes (in the night, Paris time), 29 February, the year's end.
    the_demo_starts_on_the_spring_change: "2027-03-28T01:30:00Z",
    the_demo_starts_on_the_autumn_change: "2026-10-25T00:30:00Z",
    the_demo_starts_on_29_february: "2028-02-29T10:00:00Z",
    the_demo_starts_on_31_december: "2026-12-31T22:30:00Z",
    the_demo_starts_on_1_january: "2027-01-01T08:00:00Z",
}
