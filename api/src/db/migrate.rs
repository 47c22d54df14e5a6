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

/// The migration that introduced name search terms: databases migrated by it get the terms of
/// the persons they already hold.
const NAME_TERMS_MIGRATION: &str = "20261129000004";

/// The migration that introduced look-alike name keys and E.164 phone keys.
const PERSON_KEYS_MIGRATION: &str = "20261129000006";

/// Data that SQL alone cannot derive, computed once when the migration that needs it ran
/// (`applied`: the versions just applied). It runs the current code, so it needs the final
/// schema: after every pending migration, never between two.
pub fn backfill(url: &DatabaseUrl, applied: &[String]) -> Result<(), MigrationError> {
    let digits = |v: &str| v.chars().filter(char::is_ascii_digit).collect::<String>();
    let ran = |migration: &str| applied.iter().any(|v| digits(v) == migration);
    if ran(NAME_TERMS_MIGRATION) {
        let mut conn = super::pool::establish(url)?;
        let indexed = crate::search::index_all_persons(&mut conn)?;
        log::info!("name search: indexed {indexed} persons");
    }
    if ran(PERSON_KEYS_MIGRATION) {
        let mut conn = super::pool::establish(url)?;
        let rekeyed = super::pool::write_transaction(&mut conn, crate::persons::queries::rekey_all).map_err(|e| e.to_string())?;
        log::info!("persons: look-alike and phone keys of {rekeyed} persons");
    }
    Ok(())
}

/// Applies the next pending migration alone, without [`backfill`], and returns its version:
/// the upgrade tests replay the releases one by one with it, writing each release's data in
/// between.
pub fn run_next(database: &DatabaseUrl) -> Result<Option<String>, MigrationError> {
    match database {
        DatabaseUrl::Sqlite(path) => {
            let mut conn = SqliteConnection::establish(path)?;
            conn.batch_execute("PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON;")?;
            next_of(&mut conn, SQLITE)
        }
        DatabaseUrl::Postgres(url) => next_of(&mut PgConnection::establish(&super::pool::libpq_url(url))?, POSTGRES),
    }
}

fn next_of<B: diesel::backend::Backend, C: MigrationHarness<B>>(
    conn: &mut C,
    source: EmbeddedMigrations,
) -> Result<Option<String>, MigrationError>
where
    EmbeddedMigrations: diesel::migration::MigrationSource<B>,
{
    let pending = conn.pending_migrations(source)?;
    let Some(next) = pending.first() else { return Ok(None) };
    Ok(Some(conn.run_migration(next.as_ref())?.to_string()))
}

/// Applies the pending migrations and returns how many ran.
pub fn run_pending(database: &DatabaseUrl) -> Result<usize, MigrationError> {
    match database {
        DatabaseUrl::Sqlite(path) => {
            let mut conn = SqliteConnection::establish(path)?;
            // WAL is a property of the database file: set once, it stays.
            conn.batch_execute("PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON;")?;
            let applied: Vec<String> = conn.run_pending_migrations(SQLITE)?.iter().map(ToString::to_string).collect();
            backfill(database, &applied)?;
            Ok(applied.len())
        }
        DatabaseUrl::Postgres(url) => {
            let mut conn = PgConnection::establish(&super::pool::libpq_url(url))?;
            diesel::sql_query(format!("SELECT pg_advisory_lock({MIGRATION_LOCK_KEY})")).execute(&mut conn)?;
            let applied = conn
                .run_pending_migrations(POSTGRES)
                .map(|v| v.iter().map(ToString::to_string).collect::<Vec<String>>())
                .and_then(|applied| backfill(database, &applied).map(|()| applied));
            diesel::sql_query(format!("SELECT pg_advisory_unlock({MIGRATION_LOCK_KEY})")).execute(&mut conn)?;
            Ok(applied?.len())
        }
    }
}
