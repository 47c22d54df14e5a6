//! The database under test: SQLite by default, PostgreSQL when `RELAIS_TEST_BACKEND=postgres`.

use std::sync::{Mutex, OnceLock};

use diesel::pg::PgConnection;
use diesel::{Connection, RunQueryDsl};
use relais_api::db::{DatabaseUrl, migrate};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn under_test() -> Self {
        match std::env::var("RELAIS_TEST_BACKEND").as_deref() {
            Ok("postgres") => Backend::Postgres,
            Ok("sqlite") | Err(_) => Backend::Sqlite,
            Ok(other) => panic!("RELAIS_TEST_BACKEND must be sqlite or postgres, not {other:?}"),
        }
    }
}

/// The PostgreSQL server for tests; in CI its absence fails the run instead of skipping.
pub fn postgres_server_url() -> Option<String> {
    match std::env::var("RELAIS_TEST_POSTGRES_URL") {
        Ok(url) if !url.is_empty() => Some(url),
        _ if std::env::var("CI").is_ok_and(|v| v == "true") => {
            panic!("CI=true but RELAIS_TEST_POSTGRES_URL is not set: run the tests through tests/with-postgres.sh")
        }
        _ => None,
    }
}

/// The URL of database `name` on the same server as `server_url`.
pub fn with_database(server_url: &str, name: &str) -> String {
    let (prefix, rest) = server_url.rsplit_once('/').expect("a database in the URL");
    let query = rest.split_once('?').map(|(_, q)| format!("?{q}")).unwrap_or_default();
    format!("{prefix}/{name}{query}")
}

/// A migrated template, made once per test process; each test copies it (fast) instead of
/// migrating a new database.
fn postgres_template(server_url: &str) -> &'static str {
    static TEMPLATE: OnceLock<String> = OnceLock::new();
    TEMPLATE.get_or_init(|| {
        let name = format!("relais_template_{}", std::process::id());
        let mut admin = PgConnection::establish(server_url).expect("connect to the test PostgreSQL server");
        diesel::sql_query(format!("DROP DATABASE IF EXISTS {name}")).execute(&mut admin).expect("drop template");
        diesel::sql_query(format!("CREATE DATABASE {name}")).execute(&mut admin).expect("create template");
        migrate::run_pending(&DatabaseUrl::Postgres(with_database(server_url, &name))).expect("migrate template");
        name
    })
}

/// The SQLite twin of [`postgres_template`]: a file migrated once, copied by each test. It is
/// named after the migrations' contents, so that runs share it until a migration changes; made
/// under a temporary name and renamed, so that concurrent test processes never see it half made.
fn sqlite_template() -> &'static std::path::Path {
    static TEMPLATE: OnceLock<std::path::PathBuf> = OnceLock::new();
    TEMPLATE.get_or_init(|| {
        use std::hash::{Hash, Hasher};
        let migrations = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../migrations/sqlite");
        let mut files: Vec<_> = walk(&migrations);
        files.sort();
        let mut hasher = std::hash::DefaultHasher::new();
        for file in &files {
            file.strip_prefix(&migrations).unwrap_or(file).hash(&mut hasher);
            std::fs::read(file).expect("a migration").hash(&mut hasher);
        }
        let dir = std::env::temp_dir().join("relais-test-templates");
        std::fs::create_dir_all(&dir).expect("the templates' directory");
        let template = dir.join(format!("sqlite-{:016x}.db", hasher.finish()));
        if !template.exists() {
            let making = dir.join(format!("making-{}.db", uuid::Uuid::new_v4().simple()));
            migrate::run_pending(&DatabaseUrl::Sqlite(making.display().to_string())).expect("migrate the template");
            // The migration's connection is closed: the file holds everything, no WAL beside it.
            assert!(!making.with_extension("db-wal").exists(), "the template's write-ahead log is checkpointed");
            std::fs::rename(&making, &template).expect("the template in place");
        }
        template
    })
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let entries = std::fs::read_dir(dir).expect("the migrations");
    entries.flatten().flat_map(|e| if e.path().is_dir() { walk(&e.path()) } else { vec![e.path()] }).collect()
}

pub struct TestDatabase {
    pub url: DatabaseUrl,
    _dir: Option<tempfile::TempDir>,
}

impl TestDatabase {
    pub fn unreachable() -> Self {
        TestDatabase { url: DatabaseUrl::Postgres("postgres://relais@127.0.0.1:1/relais?connect_timeout=1".into()), _dir: None }
    }

    /// A database without any table: the upgrade test migrates it step by step.
    pub fn empty() -> Self {
        match Backend::under_test() {
            Backend::Sqlite => {
                let dir = tempfile::tempdir().expect("a temporary directory");
                TestDatabase { url: DatabaseUrl::Sqlite(dir.path().join("relais.db").display().to_string()), _dir: Some(dir) }
            }
            Backend::Postgres => {
                let server = postgres_server_url().expect("RELAIS_TEST_BACKEND=postgres needs RELAIS_TEST_POSTGRES_URL");
                let name = format!("relais_test_{}", uuid::Uuid::new_v4().simple());
                let mut admin = PgConnection::establish(&server).expect("connect");
                diesel::sql_query(format!("CREATE DATABASE {name}")).execute(&mut admin).expect("create database");
                TestDatabase { url: DatabaseUrl::Postgres(with_database(&server, &name)), _dir: None }
            }
        }
    }

    pub fn create() -> Self {
        match Backend::under_test() {
            Backend::Sqlite => {
                let dir = tempfile::tempdir().expect("a temporary directory");
                let path = dir.path().join("relais.db");
                std::fs::copy(sqlite_template(), &path).expect("copy the template");
                TestDatabase { url: DatabaseUrl::Sqlite(path.display().to_string()), _dir: Some(dir) }
            }
            Backend::Postgres => {
                let server = postgres_server_url().expect("RELAIS_TEST_BACKEND=postgres needs RELAIS_TEST_POSTGRES_URL");
                let template = postgres_template(&server);
                let name = format!("relais_test_{}", uuid::Uuid::new_v4().simple());
                // Copies of one template cannot run concurrently.
                static COPYING: Mutex<()> = Mutex::new(());
                {
                    let _guard = COPYING.lock().unwrap_or_else(|p| p.into_inner());
                    let mut admin = PgConnection::establish(&server).expect("connect");
                    diesel::sql_query(format!("CREATE DATABASE {name} TEMPLATE {template}")).execute(&mut admin).expect("copy template");
                }
                TestDatabase { url: DatabaseUrl::Postgres(with_database(&server, &name)), _dir: None }
            }
        }
    }
}
