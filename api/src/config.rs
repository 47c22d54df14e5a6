//! Server configuration, from environment variables (each also a flag of `relais serve`).

use std::path::PathBuf;

use clap::Args;

#[derive(Debug, Clone, Args)]
pub struct Config {
    /// Database: `sqlite://PATH` (embedded) or `postgres://USER:PASSWORD@HOST/DB`.
    #[arg(long, env = "DATABASE_URL", default_value = "sqlite://relais.db")]
    pub database_url: String,
    /// Address and port to listen on.
    #[arg(long, env = "RELAIS_BIND", default_value = "127.0.0.1:8080")]
    pub bind: String,
    /// Ed25519 signing key (PKCS#8 PEM), from `relais key generate`; `serve` refuses to start
    /// without it, unless `--demo` (which creates it).
    #[arg(long, env = "RELAIS_JWT_KEY_FILE", default_value = "relais-jwt.pem")]
    pub jwt_key_file: PathBuf,
    /// Keys of the previous rotation, comma-separated (private or public PEM): their tokens
    /// stay valid until they expire, and the JWK set publishes them.
    #[arg(long, env = "RELAIS_JWT_PREVIOUS_KEY_FILES", value_delimiter = ',')]
    pub jwt_previous_key_files: Vec<PathBuf>,
    /// The `iss` of issued tokens, required on verified ones.
    #[arg(long, env = "RELAIS_JWT_ISSUER", default_value = "relais")]
    pub jwt_issuer: String,
    /// Lifetime of access tokens, in seconds.
    #[arg(long, env = "RELAIS_TOKEN_TTL_SECONDS", default_value_t = 900)]
    pub token_ttl_seconds: i64,
    /// Closed files and settled referrals are anonymised this many months after the last contact.
    #[arg(long, env = "RELAIS_RETENTION_MONTHS", default_value_t = 24)]
    pub retention_months: u32,
    /// Access log entries are purged after this many months.
    #[arg(long, env = "RELAIS_AUDIT_RETENTION_MONTHS", default_value_t = 12)]
    pub audit_retention_months: u32,
    /// Days a unit keeps seeing the names, contact details and summary of a referral once the
    /// coordinators accepted or declined it; then only roles and initials remain.
    #[arg(long, env = "RELAIS_UNIT_VIEW_DAYS", default_value_t = crate::referrals::UnitView::DEFAULT_DAYS)]
    pub unit_view_days: u32,
    /// A user's browser session ends after this many minutes without activity.
    #[arg(long, env = "RELAIS_SESSION_IDLE_MINUTES", default_value_t = crate::auth::sessions::SessionPolicy::DEFAULT_IDLE_MINUTES)]
    pub session_idle_minutes: u32,
    /// A user's browser session ends this many hours after sign-in, however active.
    #[arg(long, env = "RELAIS_SESSION_MAX_HOURS", default_value_t = crate::auth::sessions::SessionPolicy::DEFAULT_MAX_HOURS)]
    pub session_max_hours: u32,
    /// Database connections per instance.
    #[arg(long, env = "RELAIS_DB_POOL_SIZE", default_value_t = 10)]
    pub db_pool_size: u32,
    /// How long a request waits for a database connection before answering 503, in milliseconds.
    #[arg(long, env = "RELAIS_DB_CHECKOUT_TIMEOUT_MS", default_value_t = 2000)]
    pub db_checkout_timeout_ms: u64,
    /// Longest a statement of a request may run on PostgreSQL (locks wait a third of it), and
    /// longest SQLite waits for another process's write lock, in milliseconds; a request gives
    /// up on the database one second later, answering 503 (so 5 s by default: a load balancer
    /// must not see an instance hang while the database is frozen).
    #[arg(long, env = "RELAIS_DB_STATEMENT_TIMEOUT_MS", default_value_t = 4_000)]
    pub db_statement_timeout_ms: u64,
    /// HTTP worker threads (0: one per core).
    #[arg(long, env = "RELAIS_WORKERS", default_value_t = 0)]
    pub workers: usize,
    /// Run as if the time now were this instant (RFC 3339), the clock running on from there:
    /// for demonstrations and tests of a given day, never in production (every date the
    /// server records would be off). Unset: the system clock.
    #[arg(long, env = "RELAIS_CLOCK_START", hide = true)]
    pub clock_start: Option<chrono::DateTime<chrono::Utc>>,
    /// The built web client to serve at `/` (`web-client/dist`); none by default.
    #[arg(long, env = "RELAIS_WEB_DIR")]
    pub web_dir: Option<PathBuf>,
    /// Reverse proxies in front of Relais, comma-separated IP addresses: their `X-Forwarded-For`
    /// names the client (sign-in throttling counts per client address). None by default.
    #[arg(long, env = "RELAIS_TRUSTED_PROXIES", value_delimiter = ',')]
    pub trusted_proxies: Vec<std::net::IpAddr>,
    /// Browser origins allowed to call the API (CORS), comma-separated; none by default.
    #[arg(long, env = "RELAIS_CORS_ORIGINS", value_delimiter = ',')]
    pub cors_origins: Vec<String>,
    /// Hosts webhooks may reach although they are not public `https` addresses (a listed host
    /// may use plain `http`), comma-separated; none by default.
    #[arg(long, env = "RELAIS_WEBHOOK_ALLOWED_HOSTS", value_delimiter = ',')]
    pub webhook_allowed_hosts: Vec<String>,
    /// Address and port serving `GET /metrics` (Prometheus text format), apart from the API so
    /// that it is never public by accident; off when unset.
    #[arg(long, env = "RELAIS_METRICS_BIND")]
    pub metrics_bind: Option<String>,
}
