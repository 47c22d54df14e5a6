//! The connection pool, and the way handlers reach it: blocking work goes to a thread pool.

use std::cell::Cell;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use diesel::Connection;
use diesel::connection::SimpleConnection;
use diesel::pg::PgConnection;
use diesel::r2d2::{self, ManageConnection, R2D2Connection};
use diesel::sqlite::SqliteConnection;

use super::{DatabaseUrl, DbConnection};
use crate::error::ApiError;

pub type DbPool = r2d2::Pool<Manager>;

/// How long a request waits for a pooled connection by default.
pub const DEFAULT_CHECKOUT_TIMEOUT: Duration = Duration::from_secs(2);

/// How long one statement of a request may run on PostgreSQL by default (and SQLite waits for
/// another process's write lock); the request itself gives up a second later (a frozen server
/// enforces nothing), so that every answer comes within 6 s whatever the database does.
pub const DEFAULT_STATEMENT_TIMEOUT: Duration = Duration::from_secs(4);

/// How much longer than a statement a request's whole database hop may take.
const HOP_MARGIN: Duration = Duration::from_secs(1);

/// How long a new PostgreSQL connection may take to open, in seconds (libpq's
/// `connect_timeout`, unless the URL sets one).
const CONNECT_TIMEOUT_SECS: u32 = 5;

thread_local! {
    /// Set when an error on this thread said the connection is gone: the pooled connection in
    /// use is then dropped instead of returned (the check runs on this thread, as it is
    /// returned), so that a restarted PostgreSQL is reconnected to rather than failing forever.
    static CONNECTION_LOST: Cell<bool> = const { Cell::new(false) };
}

/// The connection this thread is using is gone (see [`CONNECTION_LOST`]).
pub(crate) fn note_connection_lost() {
    CONNECTION_LOST.set(true);
}

/// Opens connections of the variant the URL names, so that a refused connection reports its
/// real cause (diesel's generic `establish` would try every backend and hide it).
#[derive(Debug, Clone)]
pub struct Manager {
    url: DatabaseUrl,
    statement_timeout: Duration,
}

/// `url` as libpq is given it: with `connect_timeout`, and with GSSAPI encryption off
/// (`gssencmode=disable`), unless the URL sets them. libpq tries GSSAPI first by default, which
/// loads Kerberos for nothing on a password or trust login, and Kerberos then writes its own
/// plain-text lines (`k5_mutex_lock: …`) on stderr at exit, breaking JSON logs. A site that
/// does use Kerberos says so in the URL (`gssencmode=require`).
pub(crate) fn libpq_url(url: &str) -> String {
    let mut url = url.to_owned();
    for (option, default) in [("connect_timeout", CONNECT_TIMEOUT_SECS.to_string()), ("gssencmode", "disable".to_owned())] {
        if !url.contains(&format!("{option}=")) {
            let separator = if url.contains('?') { '&' } else { '?' };
            url = format!("{url}{separator}{option}={default}");
        }
    }
    url
}

/// Per-connection SQLite settings: durable commits, enforced foreign keys, waiting on locks.
/// (No memory map: the file grows with every batch of the access log, and each growth would
/// remap it in every connection, a TLB shootdown on every core.)
const SQLITE_CONNECTION_PRAGMAS: &str = "PRAGMA foreign_keys = ON; PRAGMA synchronous = FULL;";

pub fn establish(url: &DatabaseUrl) -> Result<DbConnection, diesel::ConnectionError> {
    establish_waiting(url, DEFAULT_STATEMENT_TIMEOUT)
}

/// A connection whose SQLite waits at most `lock_wait` for another process's write lock.
fn establish_waiting(url: &DatabaseUrl, lock_wait: Duration) -> Result<DbConnection, diesel::ConnectionError> {
    match url {
        DatabaseUrl::Sqlite(path) => {
            let mut conn = SqliteConnection::establish(path)?;
            let pragmas = format!("{SQLITE_CONNECTION_PRAGMAS} PRAGMA busy_timeout = {};", lock_wait.as_millis());
            conn.batch_execute(&pragmas).map_err(diesel::ConnectionError::CouldntSetupConfiguration)?;
            Ok(DbConnection::Sqlite(conn))
        }
        DatabaseUrl::Postgres(url) => Ok(DbConnection::Postgres(PgConnection::establish(&libpq_url(url))?)),
    }
}

impl ManageConnection for Manager {
    type Connection = DbConnection;
    type Error = r2d2::Error;

    fn connect(&self) -> Result<DbConnection, r2d2::Error> {
        let mut conn = establish_waiting(&self.url, self.statement_timeout).map_err(r2d2::Error::ConnectionError)?;
        if let DbConnection::Postgres(pg) = &mut conn {
            // Requests never wait long on a statement or a lock, nor leave a transaction open.
            // JIT compilation is off: the report's statements run in milliseconds, and compiling
            // them took longer than running them (108 of 209 ms for the funders' persons on the
            // benchmark; see BENCHMARKS.md).
            let ms = self.statement_timeout.as_millis();
            pg.batch_execute(&format!(
                "SET statement_timeout = {ms}; SET lock_timeout = {}; SET idle_in_transaction_session_timeout = {}; SET jit = off",
                (ms / 3).max(1),
                ms * 4
            ))
            .map_err(r2d2::Error::QueryError)?;
        }
        Ok(conn)
    }

    fn is_valid(&self, conn: &mut DbConnection) -> Result<(), r2d2::Error> {
        conn.ping().map_err(r2d2::Error::QueryError)
    }

    fn has_broken(&self, conn: &mut DbConnection) -> bool {
        CONNECTION_LOST.replace(false) || conn.is_broken()
    }
}

/// The handle handlers use: a pool whose blocking work runs off the async workers.
#[derive(Clone)]
pub struct Db {
    pool: DbPool,
    backend: DatabaseUrl,
    /// How long a statement (or SQLite's wait for another process's lock) may take; a
    /// request's whole hop may take [`HOP_MARGIN`] more.
    statement_timeout: Duration,
    /// SQLite takes one writer at a time, and makes the others wait by sleeping and retrying
    /// (up to 100 ms a sleep): under load, a writer can lose for a second. Writers of this
    /// instance queue here instead, and SQLite's busy wait is left to other processes.
    sqlite_writers: Option<Arc<Mutex<()>>>,
}

impl Db {
    /// Builds the pool without opening a connection: the server starts even when the database
    /// is briefly away, and answers 503 until it is back.
    pub fn new(url: DatabaseUrl, max_size: u32) -> Self {
        Self::with_checkout_timeout(url, max_size, DEFAULT_CHECKOUT_TIMEOUT)
    }

    /// A request that gets no connection within `checkout_timeout` answers 503 at once rather
    /// than queueing behind a slow database.
    pub fn with_checkout_timeout(url: DatabaseUrl, max_size: u32, checkout_timeout: Duration) -> Self {
        Self::with_timeouts(url, max_size, checkout_timeout, DEFAULT_STATEMENT_TIMEOUT)
    }

    /// Every wait bounded: for a connection (`checkout_timeout`), for a statement or a lock on
    /// PostgreSQL (`statement_timeout`, a third of it for locks) or another process's write
    /// lock on SQLite, and for the whole database hop of a request (a second more: a frozen
    /// server enforces nothing itself).
    pub fn with_timeouts(url: DatabaseUrl, max_size: u32, checkout_timeout: Duration, statement_timeout: Duration) -> Self {
        let pool = r2d2::Pool::builder()
            .max_size(max_size)
            .min_idle(Some(0))
            .connection_timeout(checkout_timeout)
            .test_on_check_out(false)
            .build_unchecked(Manager { url: url.clone(), statement_timeout });
        let sqlite_writers = (!url.is_postgres()).then(Arc::default);
        Self { pool, backend: url, statement_timeout, sqlite_writers }
    }

    pub fn max_connections(&self) -> u32 {
        self.pool.max_size()
    }

    pub fn is_postgres(&self) -> bool {
        self.backend.is_postgres()
    }

    /// The pool's connections now (open, idle), for the metrics.
    pub fn pool_state(&self) -> r2d2::State {
        self.pool.state()
    }

    /// Runs `work` with a pooled connection on actix's blocking thread pool, after the check a
    /// request deferred to its first database hop (the caller's standing), if any.
    pub async fn run<T, F>(&self, work: F) -> Result<T, ApiError>
    where
        F: FnOnce(&mut DbConnection) -> Result<T, ApiError> + Send + 'static,
        T: Send + 'static,
    {
        self.hop(self.statement_timeout + HOP_MARGIN, move |conn, _| work(conn)).await
    }

    /// The one way a request reaches the database: `work` gets a pooled connection on the
    /// blocking pool and the instant its caller is answered 503 at the latest (`limit` from
    /// now). Work that could not start by then never starts, and on SQLite it waits for
    /// another process's lock only for the time left.
    async fn hop<T, F>(&self, limit: Duration, work: F) -> Result<T, ApiError>
    where
        F: FnOnce(&mut DbConnection, Instant) -> Result<T, ApiError> + Send + 'static,
        T: Send + 'static,
    {
        let pool = self.pool.clone();
        let deferred = super::deferred::take();
        let deadline = Instant::now() + limit;
        let hop = actix_web::web::block(move || {
            let waiting = crate::monitoring::PoolWait::start();
            let mut conn = pool.get().map_err(|e| ApiError::Unavailable(e.to_string()))?;
            drop(waiting);
            CONNECTION_LOST.set(false);
            wait_at_most_until(&mut conn, deadline)?;
            if let Some(check) = deferred {
                check(&mut conn)?;
            }
            work(&mut conn, deadline)
        });
        match tokio::time::timeout(limit, hop).await {
            Ok(done) => done.map_err(ApiError::internal)?,
            // The blocking thread finishes (or fails) on its own; the caller is answered now.
            Err(_) => Err(ApiError::Unavailable("the database did not answer in time".into())),
        }
    }

    /// Same as [`Db::run`], inside one transaction.
    pub async fn transaction<T, F>(&self, work: F) -> Result<T, ApiError>
    where
        F: FnOnce(&mut DbConnection) -> Result<T, ApiError> + Send + 'static,
        T: Send + 'static,
    {
        self.transaction_within(self.statement_timeout + HOP_MARGIN, work).await
    }

    /// Same as [`Db::transaction`], answering 503 after `limit` (shorter than a request's).
    pub async fn transaction_within<T, F>(&self, limit: Duration, work: F) -> Result<T, ApiError>
    where
        F: FnOnce(&mut DbConnection) -> Result<T, ApiError> + Send + 'static,
        T: Send + 'static,
    {
        let writers = self.sqlite_writers.clone();
        self.hop(limit, move |conn, deadline| {
            let _turn = writers.as_deref().map(take_turn);
            // Waiting for the turn may have used the request's time.
            wait_at_most_until(conn, deadline)?;
            write_transaction(conn, work)
        })
        .await
    }

    /// This instance's turn to write on SQLite (nothing on PostgreSQL, whose writers wait on
    /// row locks): hold it around a write transaction on a connection outside the pool.
    pub fn write_turn(&self) -> Option<MutexGuard<'_, ()>> {
        self.sqlite_writers.as_deref().map(take_turn)
    }

    /// Same as [`Db::run`], inside a read-only transaction: one consistent snapshot, and no
    /// write lock (SQLite's WAL readers run side by side with each other and with the writer).
    pub async fn read<T, F>(&self, work: F) -> Result<T, ApiError>
    where
        F: FnOnce(&mut DbConnection) -> Result<T, ApiError> + Send + 'static,
        T: Send + 'static,
    {
        self.run(move |conn| read_transaction(conn, work)).await
    }

    /// A connection of its own, outside the pool, for a long-lived worker that must not wait
    /// behind requests for a pooled one (the access log's writer).
    pub fn connect(&self) -> Result<DbConnection, ApiError> {
        establish(&self.backend).map_err(|e| ApiError::Unavailable(e.to_string()))
    }

    /// A connection for command-line work (provisioning, seeding), outside any request.
    pub fn get(&self) -> Result<r2d2::PooledConnection<Manager>, ApiError> {
        let mut conn = self.pool.get().map_err(|e| ApiError::Unavailable(e.to_string()))?;
        // A request's hop may have left SQLite waiting for less (the time it had left).
        if let DbConnection::Sqlite(sqlite) = &mut *conn {
            sqlite.batch_execute(&format!("PRAGMA busy_timeout = {}", self.statement_timeout.as_millis()))?;
        }
        Ok(conn)
    }
}

/// What a hop keeps of the request's time for its own work once it may start.
const COMMIT_MARGIN: Duration = Duration::from_millis(300);

/// Refuses to start work whose caller is answered 503 before it could be done (it must not
/// happen behind its back); on SQLite, bounds the wait for another process's lock by the time
/// left, so that a write never commits after its caller was answered.
fn wait_at_most_until(conn: &mut DbConnection, deadline: Instant) -> Result<(), ApiError> {
    let left = deadline.saturating_duration_since(Instant::now()).saturating_sub(COMMIT_MARGIN);
    if left.is_zero() {
        return Err(ApiError::Unavailable("the database was busy for longer than a request waits".into()));
    }
    if let DbConnection::Sqlite(_) = conn {
        conn.batch_execute(&format!("PRAGMA busy_timeout = {}", left.as_millis()))?;
    }
    Ok(())
}

fn take_turn(writers: &Mutex<()>) -> MutexGuard<'_, ()> {
    // A writer that panicked left nothing half-done behind this lock: the transaction it
    // guarded rolled back.
    writers.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// A transaction that may write. On SQLite it takes the write lock at `BEGIN IMMEDIATE`: two
/// deferred transactions that both upgrade to writing would fail at once with "database is
/// locked" instead of waiting for each other through the busy timeout.
pub fn write_transaction<T>(conn: &mut DbConnection, work: impl FnOnce(&mut DbConnection) -> Result<T, ApiError>) -> Result<T, ApiError> {
    if !matches!(conn, DbConnection::Sqlite(_)) {
        return conn.transaction(work);
    }
    conn.batch_execute("BEGIN IMMEDIATE")?;
    match work(conn) {
        Ok(value) => match conn.batch_execute("COMMIT") {
            Ok(()) => Ok(value),
            Err(e) => {
                let _ = conn.batch_execute("ROLLBACK");
                Err(e.into())
            }
        },
        Err(e) => {
            // The rollback's own failure would hide the error that matters.
            let _ = conn.batch_execute("ROLLBACK");
            Err(e)
        }
    }
}

/// A transaction that only reads: deferred on SQLite (a snapshot, no lock), `READ ONLY` on
/// PostgreSQL (a write by mistake fails instead of passing unrecorded).
pub fn read_transaction<T>(conn: &mut DbConnection, work: impl FnOnce(&mut DbConnection) -> Result<T, ApiError>) -> Result<T, ApiError> {
    let begin = match conn {
        DbConnection::Sqlite(_) => "BEGIN DEFERRED",
        DbConnection::Postgres(_) => "BEGIN TRANSACTION READ ONLY",
    };
    conn.batch_execute(begin)?;
    let result = work(conn);
    // Nothing was written: ending the snapshot either way is the same, and its own failure
    // would hide the error that matters.
    let ended = conn.batch_execute(if result.is_ok() { "COMMIT" } else { "ROLLBACK" });
    match (result, ended) {
        (Ok(value), Ok(())) => Ok(value),
        (Ok(_), Err(e)) => Err(e.into()),
        (Err(e), _) => Err(e),
    }
}

impl From<r2d2::Error> for ApiError {
    fn from(error: r2d2::Error) -> Self {
        ApiError::Unavailable(error.to_string())
    }
}
