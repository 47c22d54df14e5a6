//! Storage: one connection type over SQLite and PostgreSQL, a pool, and the embedded migrations.

pub mod deferred;
pub mod migrate;
pub mod pool;
pub mod schema;

use diesel::pg::PgConnection;
use diesel::sqlite::SqliteConnection;

pub use pool::{Db, DbPool};

/// One connection type for both backends, so that queries are written once.
#[derive(diesel::MultiConnection)]
pub enum DbConnection {
    Postgres(PgConnection),
    Sqlite(SqliteConnection),
}

/// The database named by `DATABASE_URL`, decided by its scheme.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DatabaseUrl {
    /// `sqlite://PATH`: the path as diesel's SQLite driver takes it.
    Sqlite(String),
    /// `postgres://...` or `postgresql://...`, passed to libpq unchanged.
    Postgres(String),
}

impl DatabaseUrl {
    pub fn parse(url: &str) -> Result<Self, String> {
        if let Some(path) = url.strip_prefix("sqlite://") {
            if path.is_empty() {
                return Err("DATABASE_URL sqlite:// needs a file path".to_owned());
            }
            if path == ":memory:" {
                return Err("an in-memory SQLite database cannot be shared by a pool; name a file".to_owned());
            }
            Ok(Self::Sqlite(path.to_owned()))
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(Self::Postgres(url.to_owned()))
        } else {
            Err("DATABASE_URL must start with sqlite:// or postgres://".to_owned())
        }
    }

    pub fn is_postgres(&self) -> bool {
        matches!(self, Self::Postgres(_))
    }
}

#[cfg(test)]
mod tests {
    use super::DatabaseUrl;

    #[test]
    fn picks_the_backend_from_the_scheme() {
        assert_eq!(DatabaseUrl::parse("sqlite://relais.db"), Ok(DatabaseUrl::Sqlite("relais.db".into())));
        assert_eq!(DatabaseUrl::parse("sqlite:///var/lib/r.db"), Ok(DatabaseUrl::Sqlite("/var/lib/r.db".into())));
        assert!(DatabaseUrl::parse("postgres://u@h/db").is_ok_and(|u| u.is_postgres()));
        assert!(DatabaseUrl::parse("mysql://x").is_err());
        assert!(DatabaseUrl::parse("sqlite://:memory:").is_err());
    }
}
