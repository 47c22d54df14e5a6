//! The embedded migrations of both backends, applied at start and by `relais migrate`.

use diesel::connection::SimpleConnection;
use diesel::pg::PgConnection;
use diesel::sqlite::SqliteConnection;
use diesel::{Connection, RunQueryDsl};
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

use super::DatabaseUrl;

const SQLITE: EmbeddedMigrations = embed_migrations!("../migrations/sqlite");
const POSTGRES: EmbeddedMigrations = embed_migrations!("../migrations/postgres");

/// Any number taken by all Relais instances, so that several starting together migrate once.
const MIGRATION_LOCK_KEY: i64 = 0x5245_4c41_4953;

pub type MigrationError = Box<dyn std::error::Error + Send + Sync>;

/// Applies the pending migrations and returns how many ran.
pub fn run_pending(url: &DatabaseUrl) -> Result<usize, MigrationError> {
    match url {
        DatabaseUrl::Sqlite(path) => {
            let mut conn = SqliteConnection::establish(path)?;
            // WAL is a property of the database file: set once, it stays.
            conn.batch_execute("PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON;")?;
            Ok(conn.run_pending_migrations(SQLITE)?.len())
        }
        DatabaseUrl::Postgres(url) => {
            let mut conn = PgConnection::establish(url)?;
            diesel::sql_query(format!("SELECT pg_advisory_lock({MIGRATION_LOCK_KEY})")).execute(&mut conn)?;
            let applied = conn.run_pending_migrations(POSTGRES).map(|v| v.len());
            diesel::sql_query(format!("SELECT pg_advisory_unlock({MIGRATION_LOCK_KEY})")).execute(&mut conn)?;
            Ok(applied?)
        }
    }
}
