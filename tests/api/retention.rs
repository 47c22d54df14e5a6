//! Retention: files closed long ago are anonymised, and every past activity report stays the
//! same; the access log's oldest entries go and what remains still verifies.

use chrono::{Datelike, NaiveDate};
use diesel::prelude::*;
use relais_api::audit::{catch_up, verify};
use relais_api::auth::Scope;
use relais_api::bench::{Plan, generate};
use relais_api::db::pool::write_transaction;
use relais_api::db::schema::{persons, referral_persons, situations};
use relais_api::retention::{Counts, Policy, run};
use relais_tests::{TestApp, json, referral_body, spawn_app};
use serde_json::Value;

/// Retention as of the app's clock (the policy says which day it acts as of).
async fn retention(app: &TestApp, policy: Policy, dry_run: bool) -> Counts {
    let now = app.now();
    app.on_db(move |conn| write_transaction(conn, |conn| run(conn, &policy, dry_run, now)).expect("retention")).await
}

fn today(app: &TestApp) -> NaiveDate {
    app.now().date()
}

/// The report of every year of the dataset, month by month, for each CCAS, as each audience
/// reads it.
async fn every_report(app: &TestApp, plan: &Plan) -> Vec<Value> {
    let first = plan.start().expect("start").year();
    let mut reports = Vec::new();
    for ccas in 0..plan.ccas {
        for scope in [Scope::Ccas, Scope::Reports] {
            let token = app.token(&format!("bench-ccas-{ccas}"), &[scope]);
            // Reporting tools read the years that have ended.
            let last = if scope == Scope::Reports { today(app).year() - 1 } else { today(app).year() };
            for year in first..=last {
                let path = format!("/api/v1/reports/activity?from={year}-01-01&to={year}-12-31&granularity=month");
                reports.push(json(app.get(&path, &token).await).await);
            }
        }
    }
    reports
}

#[actix_web::test]
async fn anonymising_old_files_leaves_every_past_report_identical() {
    let app = spawn_app().await;
    let postgres = app.db_url.is_postgres();
    let plan = Plan { situations: 400, ccas: 2, years: 4, today: today(&app) };
    app.on_db(move |conn| write_transaction(conn, |conn| generate(conn, &plan, postgres)).expect("generate")).await;
    let before = every_report(&app, &plan).await;

    let policy = Policy { months: 24, audit_months: 12, as_of: today(&app) };
    let due = retention(&app, policy, true).await;
    assert!(due.situations > 20 && due.persons > 40 && due.referrals > 0, "{due:?}");
    let named = |conn: &mut relais_api::db::DbConnection| -> i64 {
        persons::table.filter(persons::last_name.is_not_null()).count().get_result(conn).expect("count")
    };
    let named_before = app.on_db(named).await;
    let done = retention(&app, policy, false).await;
    assert_eq!(
        (done.situations, done.persons, done.referrals),
        (due.situations, due.persons, due.referrals),
        "the dry run counted what the run did"
    );

    let after = every_report(&app, &plan).await;
    assert_eq!(before.len(), after.len());
    for (b, a) in before.iter().zip(&after) {
        assert_eq!(b, a, "a report changed after retention");
    }
    let (named_after, leftover, recent) = app
        .on_db(move |conn| {
            let leftover: i64 = persons::table
                .filter(persons::anonymised_at.is_not_null())
                .filter(persons::last_name.is_not_null().or(persons::phone.is_not_null()).or(persons::birth_date.is_not_null()))
                .count()
                .get_result(conn)
                .expect("count");
            let cutoff = policy.as_of.checked_sub_months(chrono::Months::new(24)).and_then(|d| d.and_hms_opt(0, 0, 0)).expect("cutoff");
            let recent: i64 = situations::table
                .filter(situations::anonymised_at.is_not_null())
                .filter(situations::closed_at.ge(cutoff))
                .count()
                .get_result(conn)
                .expect("count");
            (named(conn), leftover, recent)
        })
        .await;
    assert_eq!(named_after, named_before - i64::try_from(done.persons).expect("count"));
    assert_eq!(leftover, 0, "anonymised persons keep no name, phone or birth date");
    assert_eq!(recent, 0, "files closed within the period are kept");
    assert_eq!(retention(&app, policy, false).await, Counts::default(), "a second run finds nothing left");
}

#[actix_web::test]
async fn declined_referrals_are_anonymised_and_the_log_keeps_verifying_after_a_purge() {
    let app = spawn_app().await;
    let created = json(app.post("/api/v1/referrals", &app.gendarmerie_token(), &referral_body("Lefèvre")).await).await;
    let id = created["id"].as_str().expect("id").to_owned();
    let decline = format!("/api/v1/referrals/{id}/decline");
    app.post(&decline, &app.ccas_token(), &serde_json::json!({"reason": "out_of_scope"})).await;
    app.on_db(|conn| catch_up(conn).expect("seal")).await;
    let sealed = app.on_db(|conn| verify(conn).expect("verifies")).await;

    // Three years on: the referral is past its time, and so is the whole log.
    app.clock().advance(chrono::Duration::days(3 * 365 + 1));
    let later = today(&app);
    let done = retention(&app, Policy { months: 24, audit_months: 12, as_of: later }, false).await;
    assert_eq!(done.referrals, 1);
    assert_eq!(done.audit_entries, usize::try_from(sealed.entries).expect("count"));
    let names: Vec<Option<String>> = app
        .on_db(move |conn| {
            referral_persons::table
                .filter(referral_persons::referral_id.eq(id))
                .select(referral_persons::last_name)
                .load(conn)
                .expect("names")
        })
        .await;
    assert_eq!(names, [None]);
    // What remains (the run's own entries) verifies from the anchor the purge left.
    app.on_db(|conn| catch_up(conn).expect("seal")).await;
    let after = app.on_db(|conn| verify(conn).expect("still verifies")).await;
    assert!(after.entries >= 2 && after.head_seq > sealed.head_seq, "{} entries", after.entries);
}
