//! The group-commit writer: one thread appends the trails of many concurrent reads in one
//! transaction and wakes each read once its entries are durable.
//!
//! Why a thread and not a transaction per read: on SQLite a transaction that writes holds the
//! database's only write lock, and a durable commit costs an fsync; with one per read, readers
//! queued behind each other. Here a read runs its queries side by side with others (WAL) and
//! then waits for the next batch, which carries every entry that arrived meanwhile.

use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::sync::{Arc, Weak};
use std::time::{Duration, Instant};

use tokio::sync::oneshot;

use super::chain::{append_and_seal, has_pending, index_objects};
use super::entry::{Record, Trail};
use crate::db::pool::write_transaction;
use crate::db::{Db, DbConnection};
use crate::error::{ApiError, ApiResult};
use crate::monitoring;

/// Requests gathered into one batch at the most.
const MAX_BATCH_REQUESTS: usize = 1_024;

/// How long a request waits for its entries to be durable before answering 503.
const APPEND_WITHIN: Duration = Duration::from_secs(5);

/// How often an idle writer seals what writes recorded meanwhile.
const IDLE_SEAL_INTERVAL: Duration = Duration::from_millis(500);

/// How often the indexer looks for entries whose objects to index.
const INDEX_INTERVAL: Duration = Duration::from_millis(250);

struct Job {
    records: Vec<Record>,
    done: oneshot::Sender<Result<(), String>>,
}

/// The handle requests use; the threads end when the last handle is dropped.
#[derive(Clone)]
pub struct AccessLog {
    jobs: Sender<Job>,
    /// The indexer runs while this lives.
    _alive: Arc<()>,
}

impl AccessLog {
    pub fn start(db: Db) -> Self {
        let (jobs, queue) = mpsc::channel();
        let alive = Arc::new(());
        let (writer_db, indexer_db, liveness) = (db.clone(), db, Arc::downgrade(&alive));
        let spawned = std::thread::Builder::new().name("access-log".into()).spawn(move || run(&writer_db, &queue));
        if let Err(e) = spawned {
            // Without the thread every read answers 503 (its job is never taken), which is
            // what must happen when nothing can be recorded.
            log::error!("cannot start the access log writer: {e}");
        }
        if let Err(e) = std::thread::Builder::new().name("access-log-index".into()).spawn(move || index_while(&indexer_db, &liveness)) {
            log::error!("cannot start the access log indexer: {e}");
        }
        AccessLog { jobs, _alive: alive }
    }

    /// Makes the trail's entries durable; only then may the read answer.
    pub async fn append(&self, trail: Trail) -> ApiResult<()> {
        if trail.is_empty() {
            return Ok(());
        }
        let (done, committed) = oneshot::channel();
        // Counted before it is sent, so that the writer never takes it off the count first.
        monitoring::access_log_queue(1.0);
        if self.jobs.send(Job { records: trail.records, done }).is_err() {
            monitoring::access_log_queue(-1.0);
            return Err(unavailable("the writer has stopped"));
        }
        // Bounded like every database hop: a frozen database must not hold the answer.
        match tokio::time::timeout(APPEND_WITHIN, committed).await {
            Ok(Ok(Ok(()))) => Ok(()),
            Ok(Ok(Err(cause))) => Err(unavailable(&cause)),
            Ok(Err(_)) => Err(unavailable("the writer has stopped")),
            Err(_) => Err(unavailable("the entries were not durable in time")),
        }
    }
}

fn unavailable(cause: &str) -> ApiError {
    ApiError::Unavailable(format!("access log: {cause}"))
}

/// The writer's own connection, opened on first use and again after a failure (a broken
/// connection is not reused).
struct Connection<'a> {
    db: &'a Db,
    open: Option<DbConnection>,
}

impl Connection<'_> {
    fn with<T>(&mut self, work: impl FnOnce(&mut DbConnection) -> ApiResult<T>) -> ApiResult<T> {
        let mut conn = match self.open.take() {
            Some(conn) => conn,
            None => self.db.connect()?,
        };
        let result = work(&mut conn);
        if result.is_ok() {
            self.open = Some(conn);
        }
        result
    }

    /// `work` in a write transaction, in this instance's turn to write.
    fn write<T>(&mut self, work: impl FnOnce(&mut DbConnection) -> diesel::QueryResult<T>) -> ApiResult<T> {
        let db = self.db;
        self.with(|conn| {
            let _turn = db.write_turn();
            write_transaction(conn, |conn| Ok(work(conn)?))
        })
    }
}

fn run(db: &Db, queue: &Receiver<Job>) {
    let mut conn = Connection { db, open: None };
    loop {
        let first = match queue.recv_timeout(IDLE_SEAL_INTERVAL) {
            Ok(job) => job,
            Err(RecvTimeoutError::Timeout) => {
                seal_while_idle(&mut conn);
                continue;
            }
            Err(RecvTimeoutError::Disconnected) => return,
        };
        let mut batch = vec![first];
        while batch.len() < MAX_BATCH_REQUESTS {
            match queue.try_recv() {
                Ok(job) => batch.push(job),
                Err(_) => break,
            }
        }
        monitoring::access_log_queue(-(batch.len() as f64));
        commit(&mut conn, batch);
    }
}

fn commit(conn: &mut Connection<'_>, batch: Vec<Job>) {
    let mut entries = Vec::with_capacity(batch.iter().map(|j| j.records.len()).sum());
    let mut waiting = Vec::with_capacity(batch.len());
    for job in batch {
        entries.extend(job.records);
        waiting.push(job.done);
    }
    let count = entries.len();
    let started = Instant::now();
    let result = conn.write(|conn| append_and_seal(conn, entries)).map(|_| ()).map_err(|e| {
        log::warn!("access log: a batch of {count} entries was not recorded: {e}");
        e.to_string()
    });
    log::debug!("access log: {} requests, {count} entries in {:.2} ms", waiting.len(), started.elapsed().as_secs_f64() * 1000.0);
    monitoring::access_log_batch(count, started.elapsed(), result.is_ok());
    for done in waiting {
        // A request that gave up waiting has nothing more to answer.
        let _ = done.send(result.clone());
    }
}

/// The indexer: on a connection of its own, in small transactions, so that it never holds
/// the writer back for long.
fn index_while(db: &Db, alive: &Weak<()>) {
    let mut conn = Connection { db, open: None };
    while alive.upgrade().is_some() {
        std::thread::sleep(INDEX_INTERVAL);
        loop {
            match conn.write(index_objects) {
                Ok(true) => continue,
                Ok(false) => {
                    monitoring::Job::AccessLogIndex.succeeded();
                    break;
                }
                Err(e) => {
                    log::debug!("access log: indexing objects failed: {e}");
                    monitoring::Job::AccessLogIndex.failed();
                    break;
                }
            }
        }
    }
}

/// Seals the entries of writes when no read came for a while, so that they are not left
/// unchained for long.
fn seal_while_idle(conn: &mut Connection<'_>) {
    let sealed = match conn.with(|conn| Ok(has_pending(conn)?)) {
        Ok(true) => conn.write(|conn| append_and_seal(conn, Vec::new())),
        Ok(false) => Ok(0),
        Err(e) => Err(e),
    };
    monitoring::Job::AccessLogSeal.report(&sealed);
    if let Err(e) = sealed {
        log::debug!("access log: sealing failed: {e}");
    }
}
