//! Backing up and restoring an SQLite deployment. `relais backup` copies the database while the
//! server runs and writes (`VACUUM INTO`: one read transaction, so the copy is the state at one
//! instant, every write acknowledged before it began included). `relais restore` puts a copy
//! back into a stopped deployment: each running server holds a shared lock on
//! `<database>.lock`, and a restore needs it alone. PostgreSQL is backed up with its own tools
//! (`pg_dump`, `pg_restore`: see the README).

use std::fs::{File, OpenOptions};
use std::path::{Path, PathBuf};

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::sql_types::Text;

use crate::db::DatabaseUrl;

fn sqlite_path(url: &str) -> Result<PathBuf, String> {
    match DatabaseUrl::parse(url)? {
        DatabaseUrl::Sqlite(path) => Ok(PathBuf::from(path)),
        DatabaseUrl::Postgres(_) => {
            Err("this is a PostgreSQL database: back it up with pg_dump and restore it with pg_restore (see the README)".into())
        }
    }
}

fn lock_file(database: &Path) -> Result<File, String> {
    let mut name = database.as_os_str().to_owned();
    name.push(".lock");
    OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(PathBuf::from(name))
        .map_err(|e| format!("cannot open the lock file: {e}"))
}

/// Held by a running server for its lifetime (shared: it does not keep others from starting).
pub fn hold_while_serving(url: &str) -> Result<Option<File>, String> {
    let DatabaseUrl::Sqlite(path) = DatabaseUrl::parse(url)? else { return Ok(None) };
    let file = lock_file(Path::new(&path))?;
    file.try_lock_shared().map_err(|_| "a restore is under way on this database".to_owned())?;
    Ok(Some(file))
}

/// A consistent copy of the database at `out` (which must not exist).
pub fn backup(url: &str, out: &Path) -> Result<String, String> {
    let database = sqlite_path(url)?;
    if out.exists() {
        return Err(format!("{} exists: choose a new file", out.display()));
    }
    let mut conn = SqliteConnection::establish(&database.display().to_string()).map_err(|e| format!("cannot open the database: {e}"))?;
    conn.batch_execute("PRAGMA busy_timeout = 10000").map_err(|e| e.to_string())?;
    diesel::sql_query("VACUUM INTO ?")
        .bind::<Text, _>(out.display().to_string())
        .execute(&mut conn)
        .map_err(|e| format!("backup failed: {e}"))?;
    check(out)?;
    Ok(format!("backed up to {}", out.display()))
}

/// Whether `file` is a sound SQLite database holding Relais's tables.
fn check(file: &Path) -> Result<(), String> {
    #[derive(QueryableByName)]
    struct Line {
        #[diesel(sql_type = Text)]
        integrity_check: String,
    }
    let mut conn =
        SqliteConnection::establish(&file.display().to_string()).map_err(|e| format!("{} cannot be opened: {e}", file.display()))?;
    let lines: Vec<Line> =
        diesel::sql_query("PRAGMA integrity_check").load(&mut conn).map_err(|e| format!("{} is not a database: {e}", file.display()))?;
    if lines.iter().any(|l| l.integrity_check != "ok") {
        return Err(format!("{} is damaged", file.display()));
    }
    let tables: i64 = diesel::select(diesel::dsl::sql::<diesel::sql_types::BigInt>(
        "(SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name IN ('organisations', 'audit_events', '__diesel_schema_migrations'))",
    ))
    .get_result(&mut conn)
    .map_err(|e| e.to_string())?;
    if tables < 3 { Err(format!("{} is not a Relais database", file.display())) } else { Ok(()) }
}

/// Puts the backup `from` in place of the database, while no server runs on it.
pub fn restore(url: &str, from: &Path) -> Result<String, String> {
    let database = sqlite_path(url)?;
    check(from)?;
    let lock = lock_file(&database)?;
    lock.try_lock().map_err(|_| "a server is running on this database: stop it before restoring".to_owned())?;
    let mut staged = database.as_os_str().to_owned();
    staged.push(".restoring");
    let staged = PathBuf::from(staged);
    std::fs::copy(from, &staged).map_err(|e| format!("cannot copy the backup: {e}"))?;
    File::open(&staged).and_then(|f| f.sync_all()).map_err(|e| e.to_string())?;
    // The old database's journal would be replayed onto the restored file: it goes first.
    for suffix in ["-wal", "-shm"] {
        let mut journal = database.as_os_str().to_owned();
        journal.push(suffix);
        match std::fs::remove_file(PathBuf::from(journal)) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(format!("cannot remove the old journal: {e}")),
        }
    }
    std::fs::rename(&staged, &database).map_err(|e| format!("cannot put the backup in place: {e}"))?;
    drop(lock);
    Ok(format!("restored {} from {}", database.display(), from.display()))
}
