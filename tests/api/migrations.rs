//! Both migration folders must end with the same tables, columns and indexes.

use std::collections::BTreeSet;

use diesel::sql_types::{Bool, Text};
use diesel::{Connection, QueryableByName, RunQueryDsl};
use relais_api::db::{DatabaseUrl, migrate};
use relais_tests::backend::{postgres_server_url, with_database};

#[derive(QueryableByName, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Column {
    #[diesel(sql_type = Text)]
    table_name: String,
    #[diesel(sql_type = Text)]
    column_name: String,
    #[diesel(sql_type = Bool)]
    nullable: bool,
}

#[derive(QueryableByName, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Index {
    #[diesel(sql_type = Text)]
    name: String,
}

const HIDDEN: &str = "__diesel_schema_migrations";

fn sqlite_schema() -> (BTreeSet<(String, String, bool)>, BTreeSet<String>) {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("schema.db").display().to_string();
    migrate::run_pending(&DatabaseUrl::Sqlite(path.clone())).expect("migrate sqlite");
    let mut conn = diesel::sqlite::SqliteConnection::establish(&path).expect("open");
    let columns: Vec<Column> = diesel::sql_query(format!(
        "SELECT m.name AS table_name, p.name AS column_name, (p.\"notnull\" = 0 AND p.pk = 0) AS nullable \
         FROM sqlite_master m JOIN pragma_table_info(m.name) p \
         WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name <> '{HIDDEN}'"
    ))
    .load(&mut conn)
    .expect("columns");
    let indexes: Vec<Index> =
        diesel::sql_query("SELECT name FROM sqlite_master WHERE type = 'index' AND name NOT LIKE 'sqlite_autoindex%'")
            .load(&mut conn)
            .expect("indexes");
    (columns.into_iter().map(|c| (c.table_name, c.column_name, c.nullable)).collect(), indexes.into_iter().map(|i| i.name).collect())
}

fn postgres_schema(server: &str) -> (BTreeSet<(String, String, bool)>, BTreeSet<String>) {
    let name = format!("relais_schema_{}", uuid::Uuid::new_v4().simple());
    let mut admin = diesel::pg::PgConnection::establish(server).expect("connect");
    diesel::sql_query(format!("CREATE DATABASE {name}")).execute(&mut admin).expect("create");
    let url = with_database(server, &name);
    migrate::run_pending(&DatabaseUrl::Postgres(url.clone())).expect("migrate postgres");
    let mut conn = diesel::pg::PgConnection::establish(&url).expect("open");
    let columns: Vec<Column> = diesel::sql_query(format!(
        "SELECT table_name::text AS table_name, column_name::text AS column_name, (is_nullable = 'YES') AS nullable \
         FROM information_schema.columns WHERE table_schema = 'public' AND table_name <> '{HIDDEN}'"
    ))
    .load(&mut conn)
    .expect("columns");
    let indexes: Vec<Index> = diesel::sql_query(
        "SELECT indexname::text AS name FROM pg_indexes WHERE schemaname = 'public' \
         AND indexname NOT LIKE '%_pkey' AND indexname NOT LIKE '%_key'",
    )
    .load(&mut conn)
    .expect("indexes");
    (columns.into_iter().map(|c| (c.table_name, c.column_name, c.nullable)).collect(), indexes.into_iter().map(|i| i.name).collect())
}

#[test]
fn both_migration_folders_end_with_the_same_schema() {
    let Some(server) = postgres_server_url() else {
        eprintln!("skipped: RELAIS_TEST_POSTGRES_URL is not set (CI sets it through tests/with-postgres.sh)");
        return;
    };
    let (sqlite_columns, sqlite_indexes) = sqlite_schema();
    let (pg_columns, pg_indexes) = postgres_schema(&server);
    assert!(sqlite_columns.len() > 50, "the schema looks empty");
    let only_sqlite: Vec<_> = sqlite_columns.difference(&pg_columns).collect();
    let only_pg: Vec<_> = pg_columns.difference(&sqlite_columns).collect();
    assert!(only_sqlite.is_empty() && only_pg.is_empty(), "columns differ:\nonly SQLite: {only_sqlite:?}\nonly PostgreSQL: {only_pg:?}");
    assert_eq!(sqlite_indexes, pg_indexes, "indexes differ");
}

/// A database migrated by an earlier version holds persons without name-search terms: the
/// migration that brings the terms indexes the persons already there.
#[test]
fn the_search_migration_indexes_the_persons_already_there() {
    use diesel_migrations::{FileBasedMigrations, MigrationHarness};
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("old.db").display().to_string();
    let mut conn = diesel::sqlite::SqliteConnection::establish(&path).expect("open");
    let folder = FileBasedMigrations::from_path(concat!(env!("CARGO_MANIFEST_DIR"), "/../migrations/sqlite")).expect("migrations");
    for _ in 0..3 {
        conn.run_next_migration(folder.clone()).expect("an earlier migration");
    }
    diesel::sql_query(
        "INSERT INTO organisations (id, kind, name, ccas_id, active, created_at) VALUES ('c', 'ccas', 'CCAS', NULL, TRUE, '2026-01-01 00:00:00')",
    )
    .execute(&mut conn)
    .expect("a CCAS");
    diesel::sql_query(
        "INSERT INTO persons (id, ccas_id, last_name, first_name, name_key, search_text, created_at, updated_at) \
         VALUES ('p', 'c', 'Lefèvre-Durand', 'Hélène', 'lefevre-durand|helene', '', '2026-01-01 00:00:00', '2026-01-01 00:00:00')",
    )
    .execute(&mut conn)
    .expect("a person");
    drop(conn);
    migrate::run_pending(&DatabaseUrl::Sqlite(path.clone())).expect("the remaining migrations");
    let mut conn = diesel::sqlite::SqliteConnection::establish(&path).expect("open");
    #[derive(QueryableByName)]
    struct Term {
        #[diesel(sql_type = Text)]
        term: String,
    }
    let terms: Vec<Term> =
        diesel::sql_query("SELECT term FROM person_name_terms WHERE person_id = 'p' ORDER BY term").load(&mut conn).expect("terms");
    assert_eq!(terms.into_iter().map(|t| t.term).collect::<Vec<_>>(), ["durand", "helene", "lefevre"]);
}
