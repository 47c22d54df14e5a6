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
