//! The rules that depend on the date, on the dates that matter: the server, its daily job and
//! its answers as of an instant the test sets (the day before and the day after each end).

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use relais_api::db::schema::{persons, situations};
use relais_tests::{Case, TestApp, instant, json, problem, spawn_app_at};
use serde_json::json;

/// The daily retention job as of `at`, with the default periods (24 months, the log 12).
async fn daily_retention_at(app: &TestApp, at: &str) {
    app.clock().set(instant(at));
    let (db, now) = (app.state.db.clone(), app.now());
    actix_web::web::block(move || relais_api::retention::daily::run_if_due(&db, 24, 12, now)).await.expect("block").expect("retention");
}

/// Whether the file and its person were anonymised.
async fn anonymised(app: &TestApp, situation: &str, person: &str) -> (bool, bool) {
    let (situation, person) = (situation.to_owned(), person.to_owned());
    app.on_db(move |conn| {
        let file: Option<chrono::NaiveDateTime> =
            situations::table.find(&situation).select(situations::anonymised_at).first(conn).expect("the file");
        let who: Option<chrono::NaiveDateTime> =
            persons::table.find(&person).select(persons::anonymised_at).first(conn).expect("the person");
        (file.is_some(), who.is_some())
    })
    .await
}

/// A file opened, worked on and closed on Friday 15 March 2024 (a leap year).
async fn a_file_closed_on_15_march_2024() -> (TestApp, Case) {
    let app = spawn_app_at("2024-03-15T09:00:00Z").await;
    let case = app.case().await;
    let close = format!("/api/v1/situations/{}/close", case.situation);
    assert_eq!(app.post(&close, &app.ccas_token(), &json!({"reason": "oriented"})).await.status(), 200);
    (app, case)
}

#[actix_web::test]
async fn a_closed_file_is_kept_until_its_24_months_end_and_anonymised_the_day_after() {
    let (app, case) = a_file_closed_on_15_march_2024().await;

    daily_retention_at(&app, "2026-03-14T12:00:00Z").await;
    assert_eq!(anonymised(&app, &case.situation, &case.person).await, (false, false), "the day before the 24 months end");
    daily_retention_at(&app, "2026-03-15T12:00:00Z").await;
    assert_eq!(anonymised(&app, &case.situation, &case.person).await, (false, false), "the day the 24 months end");
    daily_retention_at(&app, "2026-03-16T12:00:00Z").await;
    assert_eq!(anonymised(&app, &case.situation, &case.person).await, (true, true), "the day after");
}

#[actix_web::test]
async fn the_daily_job_runs_once_a_day_whichever_instance_asks() {
    let (app, case) = a_file_closed_on_15_march_2024().await;
    daily_retention_at(&app, "2026-03-15T12:00:00Z").await;
    // Twenty hours later the file is due, but the job ran less than a day ago: nothing yet.
    daily_retention_at(&app, "2026-03-16T08:00:00Z").await;
    assert_eq!(anonymised(&app, &case.situation, &case.person).await, (false, false), "ran less than 23 hours before");
    daily_retention_at(&app, "2026-03-16T11:00:00Z").await;
    assert_eq!(anonymised(&app, &case.situation, &case.person).await, (true, true), "23 hours on, it runs");
}

/// What a reporting tool is answered for `from`–`to` when the clock reads `at`.
async fn published(app: &TestApp, at: DateTime<Utc>, from: &str, to: &str) -> reqwest::Response {
    app.clock().set(at);
    app.get(&format!("/api/v1/reports/activity?from={from}&to={to}"), &app.reports_token()).await
}

#[actix_web::test]
async fn a_calendar_period_is_published_from_the_day_after_it_ends_in_paris() {
    let app = spawn_app_at("2026-01-10T10:00:00Z").await;
    // (period, the last instant of its last day in Paris, in UTC).
    let periods = [
        // A month ending on 29 February, winter time (UTC+1).
        (("2028-02-01", "2028-02-29"), "2028-02-29T22:59:59Z"),
        // A quarter ending on the night summer time has begun (UTC+2).
        (("2027-01-01", "2027-03-31"), "2027-03-31T21:59:59Z"),
        // A year ending on 31 December.
        (("2026-01-01", "2026-12-31"), "2026-12-31T22:59:59Z"),
    ];
    for ((from, to), last_instant) in periods {
        let last = instant(last_instant);
        let running = problem(published(&app, last, from, to).await, 422).await;
        assert_eq!(running["errors"][0]["code"], "period_not_ended", "{from}–{to} on its last day: {running}");
        let answer = published(&app, last + chrono::Duration::seconds(1), from, to).await;
        assert_eq!(answer.status(), 200, "{from}–{to} the day after");
        let report = json(answer).await;
        assert_eq!(report["small_counts_suppressed"], true);
    }
    // The coordinators read a period that has not ended, its months to come left out.
    app.clock().set(instant("2026-12-31T22:59:59Z"));
    let months = json(app.get("/api/v1/reports/activity?from=2026-07-01&to=2027-06-30&granularity=month", &app.ccas_token()).await).await;
    let starts: Vec<&str> = months["periods"].as_array().expect("periods").iter().filter_map(|p| p["from"].as_str()).collect();
    assert_eq!(starts.last(), Some(&"2026-12-01"), "January 2027 has not begun in Paris: {starts:?}");
    app.clock().set(instant("2026-12-31T23:00:00Z"));
    let months = json(app.get("/api/v1/reports/activity?from=2026-07-01&to=2027-06-30&granularity=month", &app.ccas_token()).await).await;
    let starts: Vec<&str> = months["periods"].as_array().expect("periods").iter().filter_map(|p| p["from"].as_str()).collect();
    assert_eq!(starts.last(), Some(&"2027-01-01"), "midnight in Paris: January has begun: {starts:?}");
}
