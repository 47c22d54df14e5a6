//! The Prometheus exporter: the recorder behind the `metrics` calls, and `GET /metrics` on a
//! server of its own. Gauges that describe state rather than events (the pool, the outbox) are
//! read when a monitor scrapes.

use actix_web::{App, HttpResponse, HttpServer, web};
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};

use super::*;
use crate::db::Db;

/// Latency buckets, in seconds: from a cached read to a year's report.
const SECONDS_BUCKETS: [f64; 14] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0];

/// Installs the process's recorder: from now on the `metrics` calls count.
pub fn install() -> Result<PrometheusHandle, String> {
    let handle = PrometheusBuilder::new()
        .set_buckets_for_metric(Matcher::Suffix("_seconds".into()), &SECONDS_BUCKETS)
        .map_err(|e| e.to_string())?
        .install_recorder()
        .map_err(|e| format!("cannot install the metrics recorder: {e}"))?;
    describe();
    metrics::gauge!(BUILD_INFO, "version" => env!("CARGO_PKG_VERSION")).set(1.0);
    Ok(handle)
}

fn describe() {
    use metrics::{Unit, describe_counter, describe_gauge, describe_histogram};
    describe_counter!(HTTP_REQUESTS, "Requests answered, by method, route template and status.");
    describe_histogram!(HTTP_DURATION, Unit::Seconds, "Time to answer a request, by method and route template.");
    describe_gauge!(POOL_CONNECTIONS, "Pooled database connections, by state (in_use, idle).");
    describe_gauge!(POOL_MAX, "The most pooled database connections this instance opens.");
    describe_gauge!(POOL_WAITING, "Requests waiting for a pooled database connection.");
    describe_histogram!(POOL_WAIT, Unit::Seconds, "Time a request waited for a pooled database connection.");
    describe_gauge!(DATABASE_UP, "1 when the database answered the last scrape's query, 0 otherwise.");
    describe_gauge!(ACCESS_LOG_QUEUE, "Reads whose access log entries wait for the writer.");
    describe_histogram!(ACCESS_LOG_BATCH, Unit::Seconds, "Time to commit one batch of access log entries.");
    describe_counter!(ACCESS_LOG_ENTRIES, "Access log entries committed by this instance's writer.");
    describe_counter!(ACCESS_LOG_FAILURES, "Access log batches that failed (their reads answered 503).");
    describe_gauge!(WEBHOOK_OUTBOX, "Webhook messages in the outbox, by status (pending, delivered, failed).");
    describe_gauge!(WEBHOOK_OLDEST_PENDING, Unit::Seconds, "Age of the oldest message still to deliver (0 when none).");
    describe_gauge!(RETENTION_LAST_RUN, "When the daily retention run last ran, by any instance (Unix time, seconds).");
    describe_counter!(WEBHOOK_ATTEMPTS, "Webhook delivery attempts, by outcome (delivered, retrying, given_up).");
    describe_gauge!(JOB_LAST_SUCCESS, "When each background job last succeeded (Unix time, seconds).");
    describe_counter!(JOB_FAILURES, "Failed passes of each background job.");
    describe_gauge!(BUILD_INFO, "The running version.");
}

struct Scrape {
    handle: PrometheusHandle,
    db: Db,
    clock: crate::clock::Clock,
}

/// The metrics server on `bind`: one worker, `GET /metrics` only.
pub fn serve(bind: &str, handle: PrometheusHandle, db: Db, clock: crate::clock::Clock) -> Result<actix_web::dev::Server, String> {
    let scrape = web::Data::new(Scrape { handle, db, clock });
    let server = HttpServer::new(move || App::new().app_data(scrape.clone()).route("/metrics", web::get().to(metrics)))
        .workers(1)
        .bind(bind)
        .map_err(|e| format!("cannot listen for metrics on {bind}: {e}"))?;
    Ok(server.run())
}

async fn metrics(scrape: web::Data<Scrape>) -> HttpResponse {
    read_state(&scrape.db, &scrape.clock).await;
    scrape.handle.run_upkeep();
    HttpResponse::Ok().content_type("text/plain; version=0.0.4; charset=utf-8").body(scrape.handle.render())
}

/// What the database says, in one read: the outbox by status (a grouped count over a table the
/// retention run keeps to 30 days), its oldest pending message, and the last retention run.
struct Stored {
    outbox: Vec<(String, i64)>,
    oldest_pending: Option<chrono::NaiveDateTime>,
    retention_ran: Option<chrono::NaiveDateTime>,
}

/// The pool's connections, and what the database says (`relais_database_up` 0 when it does
/// not answer).
async fn read_state(db: &Db, clock: &crate::clock::Clock) {
    let pool = db.pool_state();
    metrics::gauge!(POOL_CONNECTIONS, "state" => "in_use").set(f64::from(pool.connections - pool.idle_connections));
    metrics::gauge!(POOL_CONNECTIONS, "state" => "idle").set(f64::from(pool.idle_connections));
    metrics::gauge!(POOL_MAX).set(f64::from(db.max_connections()));
    let stored = db
        .read(|conn| {
            Ok(Stored {
                outbox: crate::webhooks::outbox::messages_by_status(conn)?,
                oldest_pending: crate::webhooks::outbox::oldest_pending(conn)?,
                retention_ran: crate::retention::last_run(conn)?,
            })
        })
        .await;
    metrics::gauge!(DATABASE_UP).set(if stored.is_ok() { 1.0 } else { 0.0 });
    let Ok(stored) = stored else { return };
    for status in ["pending", "delivered", "failed"] {
        let count = stored.outbox.iter().find(|(s, _)| s == status).map_or(0, |(_, n)| *n);
        metrics::gauge!(WEBHOOK_OUTBOX, "status" => status).set(count as f64);
    }
    let now = clock.now();
    let lag = stored.oldest_pending.map_or(0.0, |at| (now - at).num_milliseconds().max(0) as f64 / 1000.0);
    metrics::gauge!(WEBHOOK_OLDEST_PENDING).set(lag);
    if let Some(ran) = stored.retention_ran {
        metrics::gauge!(RETENTION_LAST_RUN).set(ran.and_utc().timestamp() as f64);
    }
}
