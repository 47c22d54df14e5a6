//! What a monitor reads: metrics in Prometheus's text format, served by `relais serve` on an
//! address of their own (`RELAIS_METRICS_BIND`, off by default) so that they are never public
//! by accident.
//!
//! The code records through the `metrics` facade: until the exporter is installed (it is only
//! by `relais serve` with a metrics address), every call below does nothing. Labels are route
//! templates, statuses and fixed words, never a path's values: nothing personal, and a bounded
//! number of series.

pub mod exporter;

use std::time::Duration;

pub const HTTP_REQUESTS: &str = "relais_http_requests_total";
pub const HTTP_DURATION: &str = "relais_http_request_duration_seconds";
pub const POOL_CONNECTIONS: &str = "relais_db_pool_connections";
pub const POOL_MAX: &str = "relais_db_pool_max_connections";
pub const POOL_WAITING: &str = "relais_db_pool_waiting";
pub const POOL_WAIT: &str = "relais_db_pool_wait_seconds";
pub const DATABASE_UP: &str = "relais_database_up";
pub const ACCESS_LOG_QUEUE: &str = "relais_access_log_queue";
pub const ACCESS_LOG_BATCH: &str = "relais_access_log_batch_duration_seconds";
pub const ACCESS_LOG_ENTRIES: &str = "relais_access_log_entries_total";
pub const ACCESS_LOG_FAILURES: &str = "relais_access_log_batch_failures_total";
pub const WEBHOOK_OUTBOX: &str = "relais_webhook_outbox_messages";
pub const WEBHOOK_OLDEST_PENDING: &str = "relais_webhook_outbox_oldest_pending_age_seconds";
pub const RETENTION_LAST_RUN: &str = "relais_retention_last_run_timestamp_seconds";
pub const WEBHOOK_ATTEMPTS: &str = "relais_webhook_delivery_attempts_total";
pub const JOB_LAST_SUCCESS: &str = "relais_job_last_success_timestamp_seconds";
pub const JOB_FAILURES: &str = "relais_job_failures_total";
pub const BUILD_INFO: &str = "relais_build_info";

/// The background jobs of a server, each reporting its last success and its failures.
#[derive(Debug, Clone, Copy)]
pub enum Job {
    /// The daily anonymisation and purge (checked each hour).
    Retention,
    /// A pass of the webhook worker over the due messages.
    WebhookDelivery,
    /// The access log writer sealing writes' entries while no read comes.
    AccessLogSeal,
    /// The access log indexer.
    AccessLogIndex,
}

impl Job {
    fn label(self) -> &'static str {
        match self {
            Job::Retention => "retention",
            Job::WebhookDelivery => "webhook_delivery",
            Job::AccessLogSeal => "access_log_seal",
            Job::AccessLogIndex => "access_log_index",
        }
    }

    pub fn succeeded(self) {
        let now = crate::clock::machine_time().timestamp_millis() as f64 / 1000.0;
        metrics::gauge!(JOB_LAST_SUCCESS, "job" => self.label()).set(now);
    }

    pub fn failed(self) {
        metrics::counter!(JOB_FAILURES, "job" => self.label()).increment(1);
    }

    /// Records the outcome of one pass of the job.
    pub fn report<T, E>(self, outcome: &Result<T, E>) {
        if outcome.is_ok() { self.succeeded() } else { self.failed() }
    }
}

/// One request answered: by method, route template and status. Methods outside HTTP's own
/// are counted as `other`, so that a caller cannot make series at will.
pub fn request_served(method: &str, route: &str, status: u16, elapsed: Duration) {
    const KNOWN: [&str; 8] = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE"];
    let method = KNOWN.iter().find(|known| **known == method).copied().unwrap_or("other");
    let route = route.to_owned();
    metrics::histogram!(HTTP_DURATION, "method" => method, "route" => route.clone()).record(elapsed.as_secs_f64());
    metrics::counter!(HTTP_REQUESTS, "method" => method, "route" => route, "status" => status.to_string()).increment(1);
}

/// Counts a request waiting for a pooled connection while it lives, and records the wait.
pub struct PoolWait(std::time::Instant);

impl PoolWait {
    pub fn start() -> Self {
        metrics::gauge!(POOL_WAITING).increment(1.0);
        Self(std::time::Instant::now())
    }
}

impl Drop for PoolWait {
    fn drop(&mut self) {
        metrics::gauge!(POOL_WAITING).decrement(1.0);
        metrics::histogram!(POOL_WAIT).record(self.0.elapsed().as_secs_f64());
    }
}

/// Requests whose entries wait for the access log writer (`delta` more, or fewer).
pub fn access_log_queue(delta: f64) {
    metrics::gauge!(ACCESS_LOG_QUEUE).increment(delta);
}

/// One batch of the access log committed, or not.
pub fn access_log_batch(entries: usize, elapsed: Duration, committed: bool) {
    metrics::histogram!(ACCESS_LOG_BATCH).record(elapsed.as_secs_f64());
    if committed {
        metrics::counter!(ACCESS_LOG_ENTRIES).increment(entries as u64);
    } else {
        metrics::counter!(ACCESS_LOG_FAILURES).increment(1);
    }
}

/// One attempt to deliver a webhook: `delivered`, `retrying` or `given_up`.
pub fn webhook_attempt(outcome: &'static str) {
    metrics::counter!(WEBHOOK_ATTEMPTS, "outcome" => outcome).increment(1);
}
