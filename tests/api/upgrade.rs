//! Upgrades from every release: the migrations applied one at a time to a database holding the
//! rows each earlier release wrote (`tests/upgrade/`), on the backend under test. No migration
//! loses a row, the data migrations derive what they should, and the current code then reads
//! and changes those rows through the API.

use std::collections::BTreeMap;
use std::path::PathBuf;

use actix_web::web;
use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text};
use relais_api::db::schema::{appointment_persons, audit_events, interventions, person_name_terms, persons, referrals};
use relais_api::db::{DatabaseUrl, DbConnection, migrate};
use relais_tests::backend::TestDatabase;
use relais_tests::fixtures::World;
use relais_tests::{json, problem, spawn_app_on};
use serde_json::{Value, json};

const CCAS_A: &str = "10000000-0000-4000-8000-000000000001";
const FIRST_REFERRAL: &str = "50000000-0000-4000-8000-000000000001";
const FILE: &str = "70000000-0000-4000-8000-000000000001";

fn world() -> World {
    let id = |n: u8| format!("10000000-0000-4000-8000-00000000000{n}");
    World { ccas_a: id(1), brigade_a: id(2), brigade_a2: id(3), police_a: id(4), ccas_b: id(5), brigade_b: id(6), commissariat_a: id(7) }
}

/// Each migration's folder name, in order, and the data its release wrote, if any.
fn releases() -> Vec<(String, Option<String>)> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut folders: Vec<String> = std::fs::read_dir(root.join("migrations/sqlite"))
        .expect("migrations")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    folders.sort();
    folders
        .into_iter()
        .map(|folder| {
            let data = std::fs::read_to_string(root.join("tests/upgrade").join(format!("{folder}.sql"))).ok();
            (folder, data)
        })
        .collect()
}

#[derive(QueryableByName)]
struct Table {
    #[diesel(sql_type = Text)]
    name: String,
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

/// Rows per table.
fn row_counts(conn: &mut DbConnection) -> BTreeMap<String, i64> {
    let tables = match conn {
        DbConnection::Sqlite(_) => "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
        DbConnection::Postgres(_) => "SELECT table_name::text AS name FROM information_schema.tables WHERE table_schema = 'public'",
    };
    let tables: Vec<Table> = diesel::sql_query(tables).load(conn).expect("tables");
    tables
        .into_iter()
        .filter(|t| t.name != "__diesel_schema_migrations")
        .map(|t| {
            let count: Count = diesel::sql_query(format!("SELECT COUNT(*) AS n FROM {}", t.name)).get_result(conn).expect("count");
            (t.name, count.n)
        })
        .collect()
}

/// Replays the releases: each migration alone, then its release's rows; every table keeps its
/// rows through each migration. Then what an upgrade computes in code (name terms, keys).
fn replay(url: &DatabaseUrl) -> Vec<String> {
    let mut applied = Vec::new();
    let mut before = BTreeMap::new();
    for (folder, data) in releases() {
        let version = migrate::run_next(url).expect("migrate").expect("a pending migration");
        assert_eq!(version, folder.replace(['-', '_'], "").chars().take_while(char::is_ascii_digit).collect::<String>());
        let mut conn = relais_api::db::pool::establish(url).expect("connect");
        let after = row_counts(&mut conn);
        for (table, rows) in &before {
            let kept = after.get(table).copied().unwrap_or(0);
            assert!(kept >= *rows, "{folder}: {table} had {rows} rows, has {kept}");
        }
        if let Some(data) = data {
            conn.batch_execute(&data).unwrap_or_else(|e| panic!("the rows of {folder}: {e}"));
        }
        before = row_counts(&mut conn);
        applied.push(version);
    }
    assert_eq!(migrate::run_next(url).expect("migrate"), None, "every migration replayed");
    migrate::backfill(url, &applied).expect("backfill");
    applied
}

/// What the data migrations derived from the rows written before them.
fn check_derived(url: &DatabaseUrl) {
    let mut conn = relais_api::db::pool::establish(url).expect("connect");
    let conn = &mut conn;
    // 4: each access log entry is filed under its organisation's CCAS.
    let trail: Option<String> =
        audit_events::table.find("a3000000-0000-4000-8000-000000000001").select(audit_events::ccas_id).first(conn).expect("entry");
    assert_eq!(trail.as_deref(), Some(CCAS_A));
    // 8: an appointment's person became one of its persons.
    let persons_of: Vec<String> = appointment_persons::table
        .filter(appointment_persons::appointment_id.eq("80000000-0000-4000-8000-000000000001"))
        .select(appointment_persons::person_id)
        .load(conn)
        .expect("persons");
    assert_eq!(persons_of, ["60000000-0000-4000-8000-000000000001"]);
    // 9: the rebuilt tables kept their rows and values.
    let (source, status): (String, String) =
        referrals::table.find(FIRST_REFERRAL).select((referrals::source, referrals::status)).first(conn).expect("referral");
    assert_eq!((source.as_str(), status.as_str()), ("gendarmerie", "received"));
    // 12: the first interview of the accepted referral: its file's first attended appointment.
    let (at, delay): (Option<chrono::NaiveDateTime>, Option<i32>) = referrals::table
        .find("50000000-0000-4000-8000-000000000002")
        .select((referrals::first_interview_at, referrals::first_interview_delay_minutes))
        .first(conn)
        .expect("referral");
    assert_eq!(at.map(|t| t.to_string()).as_deref(), Some("2026-01-14 09:00:00"));
    assert_eq!(delay, Some(23 * 60));
    // 13: orientations written before it are "unknown" taken over; other kinds have no answer.
    let took_over = |id: &str, conn: &mut DbConnection| -> Option<String> {
        interventions::table.find(id).select(interventions::partner_took_over).first(conn).expect("intervention")
    };
    assert_eq!(took_over("90000000-0000-4000-8000-000000000002", conn).as_deref(), Some("unknown"));
    assert_eq!(took_over("90000000-0000-4000-8000-000000000001", conn), None);
    assert_eq!(took_over("90000000-0000-4000-8000-000000000003", conn).as_deref(), Some("yes"));
    // 4 and 6, in code: every person has its name terms and look-alike key.
    let unkeyed: i64 = persons::table.filter(persons::lookalike_key.is_null()).count().get_result(conn).expect("count");
    assert_eq!(unkeyed, 0);
    let indexed: i64 = persons::table
        .filter(diesel::dsl::exists(person_name_terms::table.filter(person_name_terms::person_id.eq(persons::id))))
        .count()
        .get_result(conn)
        .expect("count");
    assert_eq!(indexed, persons::table.count().get_result::<i64>(conn).expect("count"));
}

fn ids(page: &Value) -> Vec<&str> {
    page["items"].as_array().unwrap_or_else(|| panic!("no items: {page}")).iter().filter_map(|i| i["id"].as_str()).collect()
}

#[actix_web::test]
async fn every_release_upgrades_to_this_one_without_losing_or_breaking_a_row() {
    let database = TestDatabase::empty();
    let url = database.url.clone();
    let applied = web::block(move || {
        let applied = replay(&url);
        check_derived(&url);
        applied
    })
    .await
    .expect("block");
    assert_eq!(applied.len(), releases().len());
    let app = spawn_app_on(database, world());
    let ccas = app.ccas_token();

    // The coordinators read every release's rows.
    let referrals = json(app.get("/api/v1/referrals", &ccas).await).await;
    assert_eq!(ids(&referrals).len(), 4, "{referrals}");
    let first = json(app.get(&format!("/api/v1/referrals/{FIRST_REFERRAL}"), &ccas).await).await;
    assert_eq!(first["persons"][0]["last_name"], "Lefèvre");
    let liaison = json(app.get("/api/v1/referrals/50000000-0000-4000-8000-000000000004", &ccas).await).await;
    assert_eq!((&liaison["police_contact"], &liaison["children_count"]), (&json!("home_call_out"), &json!(2)));
    let file = app.get(&format!("/api/v1/situations/{FILE}"), &ccas).await;
    assert_eq!(file.status(), 200);
    assert_eq!(app.get(&format!("/api/v1/situations/{FILE}/timeline"), &ccas).await.status(), 200);
    let found = json(app.get("/api/v1/persons?q=lefevre", &ccas).await).await;
    assert_eq!(ids(&found).len(), 3, "the name terms computed on upgrade find them: {found}");
    let agenda = json(app.get(&format!("/api/v1/appointments?situation_id={FILE}"), &ccas).await).await;
    assert_eq!(ids(&agenda).len(), 3, "{agenda}");
    let acts = json(app.get(&format!("/api/v1/interventions?situation_id={FILE}"), &ccas).await).await;
    assert_eq!(ids(&acts).len(), 2, "{acts}");
    assert_eq!(ids(&json(app.get("/api/v1/partners", &ccas).await).await).len(), 2);
    assert_eq!(ids(&json(app.get("/api/v1/brief-contacts?from=2026-01-01T00:00:00Z&to=2027-01-01T00:00:00Z", &ccas).await).await).len(), 1);
    let report = app.get("/api/v1/reports/activity?from=2026-01-01&to=2026-12-31", &ccas).await;
    assert_eq!(report.status(), 200);

    // And change them: the first release's referral is accepted.
    let accept = json!({"persons": [{"confirm_distinct": true}]});
    let accepted = app.post(&format!("/api/v1/referrals/{FIRST_REFERRAL}/accept"), &ccas, &accept).await;
    assert!(accepted.status().is_success(), "{}", accepted.text().await.unwrap_or_default());

    // The first release's credentials still work: the brigade's API client and a coordinator.
    let token = app
        .request(reqwest::Method::POST, "/api/v1/auth/token", None)
        .form(&[
            ("grant_type", "client_credentials"),
            ("client_id", "31000000-0000-4000-8000-000000000001"),
            ("client_secret", "upgrade-test-secret-0001"),
        ])
        .send()
        .await
        .expect("request");
    let unit = json(token).await["access_token"].as_str().expect("token").to_owned();
    let own = json(app.get("/api/v1/referrals", &unit).await).await;
    let mut own = ids(&own);
    own.sort_unstable();
    assert_eq!(own, [FIRST_REFERRAL, "50000000-0000-4000-8000-000000000002"], "brigade A's own referrals");
    assert_eq!(app.sign_in("claire.martin", "un mot de passe solide 2026").await.status(), 200);
    assert_eq!(problem(app.sign_in("paul.admin", "un mot de passe solide 2026").await, 400).await["code"], "password_change_required");
    let hooks = json(app.get("/api/v1/webhook-subscriptions", &unit).await).await;
    assert_eq!(ids(&hooks), ["a7000000-0000-4000-8000-000000000001"]);

    // The entries of earlier releases are sealed into the chain with the new ones, which verifies.
    let verified = app.on_db(|conn| relais_api::audit::verify(conn).map_err(|e| format!("{e:?}")).map(|v| format!("{v:?}"))).await;
    assert!(verified.is_ok(), "{verified:?}");
    let unsealed: i64 =
        app.on_db(|conn| audit_events::table.filter(audit_events::seq.is_null()).count().get_result(conn).expect("count")).await;
    assert_eq!(unsealed, 0, "every entry sealed");
}
