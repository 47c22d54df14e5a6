#![allow(clippy::expect_used, reason = "a test fails loudly on what it cannot set up")]

//! Backup and restore of an SQLite deployment, as an operator runs them: a backup taken while
//! referrals keep arriving holds every one acknowledged before it began and an access log
//! that verifies; a restore is refused while a server runs; a backup restored into a fresh
//! database gives the same activity report.

mod common;

use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::{call, free_port, wait_until_live};
use diesel::prelude::*;
use relais_api::db::{DatabaseUrl, Db};

/// The instant the commands and the server run as of: the report below is of its last 30 days.
const CLOCK_START: &str = "2026-11-18T10:00:00Z";

fn relais(db: &Path, key: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_relais"))
        .args(args)
        .env("RELAIS_CLOCK_START", CLOCK_START)
        .env("DATABASE_URL", format!("sqlite://{}", db.display()))
        .env("RELAIS_JWT_KEY_FILE", key)
        .env("RUST_LOG", "error")
        .stdin(Stdio::null())
        .output()
        .expect("relais")
}

fn ok(db: &Path, key: &Path, args: &[&str]) -> String {
    let out = relais(db, key, args);
    assert!(out.status.success(), "relais {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).expect("utf-8").trim().to_owned()
}

fn referral() -> String {
    serde_json::json!({"urgency": "normal", "problem_types": ["domestic_violence"], "summary": "Dispute signalée.",
                       "judicial_proceedings": "unknown", "persons": [{"role": "victim", "last_name": "Sauvegarde", "consent": "given"}]})
    .to_string()
}

fn report(db: &Path, ccas: &str) -> serde_json::Value {
    let pool = Db::new(DatabaseUrl::Sqlite(db.display().to_string()), 1);
    let mut conn = pool.get().expect("conn");
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 18).expect("the day of CLOCK_START");
    let query =
        relais_api::reports::models::ReportQuery { from: today - chrono::Duration::days(30), to: today, granularity: None, layout: None };
    let figures =
        relais_api::reports::ccas_report(&mut conn, ccas, &query, relais_api::reports::models::Granularity::Period, today).expect("report");
    serde_json::to_value(figures).expect("json")
}

fn referral_ids(db: &Path) -> Vec<String> {
    let mut conn = SqliteConnection::establish(&db.display().to_string()).expect("open");
    // The killed server left a journal to recover: wait for whoever recovers it.
    diesel::connection::SimpleConnection::batch_execute(&mut conn, "PRAGMA busy_timeout = 10000").expect("timeout");
    let ids = relais_api::db::schema::referrals::table.select(relais_api::db::schema::referrals::id).load(&mut conn);
    ids.expect("the referral ids")
}

#[test]
fn a_backup_under_load_keeps_every_acknowledged_write_and_restores_to_the_same_report() {
    let dir = tempfile::tempdir().expect("dir");
    let (db, key) = (dir.path().join("live.db"), dir.path().join("jwt.pem"));
    ok(&db, &key, &["key", "generate", "--out", &key.display().to_string()]);
    let ccas = ok(&db, &key, &["org", "create", "--kind", "ccas", "--name", "CCAS"]);
    let brigade = ok(&db, &key, &["org", "create", "--kind", "gendarmerie", "--name", "Brigade", "--ccas", &ccas]);
    let token = ok(&db, &key, &["token", "--org", &brigade, "--sub", "gendarme", "--scope", "gendarmerie"]);
    let port = free_port();
    let mut server = Command::new(env!("CARGO_BIN_EXE_relais"))
        .arg("serve")
        .env("RELAIS_CLOCK_START", CLOCK_START)
        .env("DATABASE_URL", format!("sqlite://{}", db.display()))
        .env("RELAIS_JWT_KEY_FILE", &key)
        .env("RELAIS_BIND", format!("127.0.0.1:{port}"))
        .env("RUST_LOG", "error")
        .spawn()
        .expect("serve");
    wait_until_live(port);
    // Referrals keep arriving; each acknowledged one is noted with when its 201 came.
    let acknowledged: Arc<Mutex<Vec<(Instant, String)>>> = Arc::default();
    let running = Arc::new(AtomicBool::new(true));
    let writer = {
        let (acknowledged, running, token) = (acknowledged.clone(), running.clone(), token.clone());
        std::thread::spawn(move || {
            while running.load(Ordering::Relaxed) {
                let (status, body) = call(port, "POST", "/api/v1/referrals", &token, &referral());
                if status == 201 {
                    let id = serde_json::from_str::<serde_json::Value>(&body).expect("json")["id"].as_str().expect("id").to_owned();
                    acknowledged.lock().expect("lock").push((Instant::now(), id));
                }
            }
        })
    };
    std::thread::sleep(Duration::from_millis(700));
    let backup_began = Instant::now();
    let under_load = dir.path().join("under-load.db");
    ok(&db, &key, &["backup", "--out", &under_load.display().to_string()]);
    std::thread::sleep(Duration::from_millis(300));
    // A server holds the database: no restore into it.
    let refused = relais(&db, &key, &["restore", "--from", &under_load.display().to_string()]);
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("a server is running"));
    running.store(false, Ordering::Relaxed);
    writer.join().expect("writer");

    let before: Vec<String> =
        acknowledged.lock().expect("lock").iter().filter(|(at, _)| *at < backup_began).map(|(_, id)| id.clone()).collect();
    assert!(before.len() >= 3, "the load wrote before the backup: {}", before.len());
    let restored = dir.path().join("restored.db");
    ok(&restored, &key, &["restore", "--from", &under_load.display().to_string()]);
    let held = referral_ids(&restored);
    let missing: Vec<&String> = before.iter().filter(|id| !held.contains(id)).collect();
    assert!(missing.is_empty(), "acknowledged before the backup, absent from it: {missing:?}");
    assert!(ok(&restored, &key, &["audit", "verify"]).contains("verified"));

    // Once the writes stop, a backup restored elsewhere answers the same report.
    let quiet = dir.path().join("quiet.db");
    ok(&db, &key, &["backup", "--out", &quiet.display().to_string()]);
    assert!(!relais(&db, &key, &["backup", "--out", &quiet.display().to_string()]).status.success(), "never over a file");
    let copy = dir.path().join("copy.db");
    ok(&copy, &key, &["restore", "--from", &quiet.display().to_string()]);
    server.kill().expect("kill");
    server.wait().expect("wait");
    assert_eq!(report(&db, &ccas), report(&copy, &ccas));
    assert_eq!(referral_ids(&db).len(), referral_ids(&copy).len());
    assert!(!relais(&copy, &key, &["restore", "--from", &dir.path().join("nothing.db").display().to_string()]).status.success());
}
