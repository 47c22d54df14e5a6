//! What every handler can reach: the database, the access log, the token service, the sign-in
//! limiter, and the bound on concurrent reports.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::Semaphore;

use crate::audit::{AccessLog, Action, Outcome, Record, Trail};
use crate::auth::Caller;
use crate::auth::sessions::SessionPolicy;
use crate::auth::standing::KnownOrganisations;
use crate::auth::token::TokenService;
use crate::clock::Clock;
use crate::db::{Db, DbConnection};
use crate::error::{ApiError, ApiResult};
use crate::referrals::UnitView;
use crate::web_client::WebOptions;

pub struct AppState {
    pub db: Db,
    /// The one clock: whatever depends on the time reads it here (tests set it).
    pub clock: Clock,
    pub access_log: AccessLog,
    pub tokens: TokenService,
    /// What never changes about the organisations seen so far.
    pub organisations: KnownOrganisations,
    /// Proxies whose `X-Forwarded-For` names the client (for sign-in throttling).
    pub trusted_proxies: Vec<std::net::IpAddr>,
    /// Password hashes checked at once: Argon2 takes 19 MiB and a core for each.
    password_checks: Arc<Semaphore>,
    pub web: WebOptions,
    /// How long units see the persons of a settled referral.
    pub unit_view: UnitView,
    /// How long users' browser sessions last.
    pub sessions: SessionPolicy,
    /// Reports scan a year of a CCAS: a few at a time, so that they never hold every pooled
    /// connection while short reads wait.
    reports: Arc<Semaphore>,
    /// Where webhooks may go, and how they are retried.
    pub webhooks: crate::webhooks::delivery::DeliveryPolicy,
}

impl AppState {
    /// The state of a server whose time is `clock`'s: the token service is set to it too.
    pub fn new(db: Db, tokens: TokenService, clock: Clock) -> Self {
        let reports = Arc::new(Semaphore::new(report_slots(db.max_connections())));
        Self {
            access_log: AccessLog::start(db.clone()),
            db,
            tokens: tokens.with_clock(clock.clone()),
            clock,
            organisations: KnownOrganisations::default(),
            trusted_proxies: Vec::new(),
            password_checks: Arc::new(Semaphore::new(std::thread::available_parallelism().map_or(2, usize::from))),
            web: WebOptions::default(),
            unit_view: UnitView::default(),
            sessions: SessionPolicy::default(),
            reports,
            webhooks: crate::webhooks::delivery::DeliveryPolicy::default(),
        }
    }

    pub fn with_webhooks(self, webhooks: crate::webhooks::delivery::DeliveryPolicy) -> Self {
        Self { webhooks, ..self }
    }

    pub fn with_web(self, web: WebOptions) -> Self {
        Self { web, ..self }
    }

    pub fn with_trusted_proxies(self, trusted_proxies: Vec<std::net::IpAddr>) -> Self {
        Self { trusted_proxies, ..self }
    }

    /// Runs `check` (a password hash verification) when one of the few slots is free; after
    /// two seconds of waiting, 503 with `Retry-After`: a flood of sign-ins cannot exhaust memory.
    pub async fn check_password<T: Send + 'static>(&self, check: impl FnOnce() -> T + Send + 'static) -> ApiResult<T> {
        let slot = tokio::time::timeout(Duration::from_secs(2), self.password_checks.clone().acquire_owned()).await;
        let Ok(Ok(slot)) = slot else {
            return Err(ApiError::Unavailable("every password check slot is busy".into()));
        };
        let checked = actix_web::web::block(check).await.map_err(ApiError::internal);
        drop(slot);
        checked
    }

    pub fn with_unit_view(self, unit_view: UnitView) -> Self {
        Self { unit_view, ..self }
    }

    pub fn with_sessions(self, sessions: SessionPolicy) -> Self {
        Self { sessions, ..self }
    }

    /// Runs a read without a write lock, then makes the entries it collected durable in the
    /// access log before the answer may leave: nothing answered goes unrecorded. The entries
    /// are recorded whatever the read found, a 404 included.
    pub async fn read<T, F>(&self, work: F) -> ApiResult<T>
    where
        F: FnOnce(&mut DbConnection, &mut Trail) -> ApiResult<T> + Send + 'static,
        T: Send + 'static,
    {
        let (result, trail) = self
            .db
            .read(move |conn| {
                let mut trail = Trail::default();
                let result = work(conn, &mut trail);
                Ok((result, trail))
            })
            .await?;
        self.access_log.append(trail).await?;
        result
    }

    /// A write that answered 409 with candidates (`possible_duplicate`) showed persons although
    /// it rolled back: they are recorded, under `action`, before the answer leaves.
    pub async fn record_disclosed<T>(&self, caller: &Caller, action: &'static str, result: ApiResult<T>) -> ApiResult<T> {
        if let Err(ApiError::ConflictWith { conflicts, .. }) = &result {
            let mut ids = Vec::new();
            collect_ids(conflicts, &mut ids);
            let what = Action { action, object_type: "person", object_id: None };
            self.access_log.append(Trail::of(Record::new(caller, what, Outcome::Success).with_objects(ids))).await?;
        }
        result
    }

    /// Runs a report's queries once one of the report slots is free. A report waiting for a
    /// slot holds no connection, so it may wait longer than a request waits for one; past
    /// [`REPORT_QUEUE_TIMEOUT`] it answers 503.
    pub async fn report<T, F>(&self, work: F) -> ApiResult<T>
    where
        F: FnOnce(&mut DbConnection) -> ApiResult<T> + Send + 'static,
        T: Send + 'static,
    {
        let slot = tokio::time::timeout(REPORT_QUEUE_TIMEOUT, self.reports.acquire()).await;
        let Ok(Ok(_slot)) = slot else {
            return Err(ApiError::Unavailable("every report slot is busy".into()));
        };
        self.db.read(work).await
    }
}

/// Every `id` member in a JSON document (the persons of a 409's `conflicts`).
fn collect_ids(value: &serde_json::Value, ids: &mut Vec<String>) {
    match value {
        serde_json::Value::Array(items) => items.iter().for_each(|item| collect_ids(item, ids)),
        serde_json::Value::Object(members) => {
            for (name, member) in members {
                match member {
                    serde_json::Value::String(id) if name == "id" => ids.push(id.clone()),
                    other => collect_ids(other, ids),
                }
            }
        }
        _ => {}
    }
}

/// How long a report waits for a slot.
pub const REPORT_QUEUE_TIMEOUT: Duration = Duration::from_secs(30);

/// A quarter of the pool, at least one: the rest stays for the short reads and the writes.
fn report_slots(pool_size: u32) -> usize {
    usize::try_from(pool_size / 4).unwrap_or(1).max(1)
}
