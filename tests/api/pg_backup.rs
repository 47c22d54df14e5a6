//! PostgreSQL is backed up with its own tools, as the README says: `pg_dump --format=custom`
//! of a database with data written through the API, `pg_restore` into a new database, and the
//! restored copy answers the same activity report, and its access log verifies.

use diesel::prelude::*;
use relais_api::db::{DatabaseUrl, Db};
use relais_tests::{json, referral_body, spawn_app};

/// A PostgreSQL client program of the server's version (Debian's packages put them there).
fn pg_tool(name: &str) -> String {
    let dirs = std::fs::read_dir("/usr/lib/postgresql").expect("Debian's postgresql package");
    let mut bins: Vec<std::path::PathBuf> =
        dirs.filter_map(Result::ok).map(|d| d.path().join("bin").join(name)).filter(|p| p.exists()).collect();
    bins.sort();
    bins.pop().expect(name).display().to_string()
}

#[actix_web::test]
async fn pg_dump_and_pg_restore_give_back_the_same_report_and_a_log_that_verifies() {
    let app = spawn_app().await;
    let DatabaseUrl::Postgres(url) = app.db_url.clone() else { return };
    let referral = json(app.post("/api/v1/referrals", &app.gendarmerie_token(), &referral_body("Sauvegarde")).await).await;
    let id = referral["id"].as_str().expect("id");
    let accept = serde_json::json!({"persons": [{"confirm_distinct": true}]});
    assert!(app.post(&format!("/api/v1/referrals/{id}/accept"), &app.ccas_token(), &accept).await.status().is_success());
    let today = relais_api::time::paris_date(app.now());
    let report_path = format!("/api/v1/reports/activity?from={}&to={today}", today - chrono::Duration::days(30));
    let before = json(app.get(&report_path, &app.ccas_token()).await).await;

    let dir = tempfile::tempdir().expect("dir");
    let dump = dir.path().join("relais.dump");
    let dumped = std::process::Command::new(pg_tool("pg_dump"))
        .args(["--format=custom", "--no-owner", "--file", &dump.display().to_string(), &url])
        .output()
        .expect("pg_dump");
    assert!(dumped.status.success(), "{}", String::from_utf8_lossy(&dumped.stderr));
    let server = std::env::var("RELAIS_TEST_POSTGRES_URL").expect("server");
    let name = format!("relais_restored_{}", uuid::Uuid::new_v4().simple());
    let mut admin = PgConnection::establish(&server).expect("connect");
    diesel::sql_query(format!("CREATE DATABASE {name}")).execute(&mut admin).expect("create");
    let restored_url = relais_tests::backend::with_database(&server, &name);
    let restored = std::process::Command::new(pg_tool("pg_restore"))
        .args(["--no-owner", "--exit-on-error", "--dbname", &restored_url, &dump.display().to_string()])
        .output()
        .expect("pg_restore");
    assert!(restored.status.success(), "{}", String::from_utf8_lossy(&restored.stderr));

    let ccas = app.world.ccas_a.clone();
    let query =
        relais_api::reports::models::ReportQuery { from: today - chrono::Duration::days(30), to: today, granularity: None, layout: None };
    let copy = actix_web::web::block(move || {
        let pool = Db::new(DatabaseUrl::Postgres(restored_url), 1);
        let mut conn = pool.get().expect("conn");
        relais_api::audit::catch_up(&mut conn).expect("chain the entries");
        let verified = relais_api::audit::verify(&mut conn).map(|v| v.entries).map_err(|e| e.to_string());
        let report = relais_api::reports::ccas_report(&mut conn, &ccas, &query, relais_api::reports::models::Granularity::Period, today)
            .expect("report");
        (verified, serde_json::to_value(report).expect("json"))
    })
    .await
    .expect("block");
    assert!(copy.0.as_ref().is_ok_and(|n| *n > 0), "the restored log verifies: {:?}", copy.0);
    assert_eq!(copy.1, before);
    diesel::sql_query(format!("DROP DATABASE {name}")).execute(&mut admin).expect("drop");
}
