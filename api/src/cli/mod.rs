//! The `relais` command line: serve, migrate, print the contract, and provision without a UI.
//! Provisioning commands print the new id (or token) alone on stdout, for scripts.

mod backup;
mod partners;
mod provision;
mod serve;

pub use partners::PartnersAction;
pub use provision::{ClientAction, OrgAction, UserAction};

use clap::{Parser, Subcommand};

use crate::auth::JwtKeys;
use crate::auth::token::TokenService;
use crate::clock::Clock;
use crate::config::Config;
use crate::db::{DatabaseUrl, Db, migrate};
use crate::error::ApiError;
use crate::log_format::{Out, announce};
use serde_json::json;

#[derive(Debug, Parser)]
#[command(name = "relais", version, about = "Relais: case management for social coordinators in gendarmerie and police")]
pub struct Cli {
    #[command(flatten)]
    pub config: Config,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the API server (the default).
    Serve {
        /// Seed demonstration data first when the database is empty.
        #[arg(long)]
        demo: bool,
    },
    /// Apply pending database migrations and exit.
    Migrate,
    /// Print the OpenAPI document.
    Openapi,
    /// Organisations.
    Org {
        #[command(subcommand)]
        action: OrgAction,
    },
    /// User accounts.
    User {
        #[command(subcommand)]
        action: UserAction,
    },
    /// API clients (client credentials).
    Client {
        #[command(subcommand)]
        action: ClientAction,
    },
    /// Copy the SQLite database while the server runs (a consistent snapshot).
    Backup {
        /// The copy to write (must not exist).
        #[arg(long)]
        out: std::path::PathBuf,
    },
    /// Put an SQLite backup back in place; refused while a server runs on the database.
    Restore {
        /// The backup to restore.
        #[arg(long)]
        from: std::path::PathBuf,
    },
    /// The partner directory of a CCAS.
    Partners {
        #[command(subcommand)]
        action: PartnersAction,
    },
    /// Fill an empty database with a generated national dataset (for benchmarks, never production).
    Generate {
        #[command(flatten)]
        plan: PlanArgs,
    },
    /// Time the activity report on a generated dataset; prints one Markdown table row.
    Bench {
        #[command(flatten)]
        plan: PlanArgs,
        /// Timed runs of each report (after one warm-up run).
        #[arg(long, default_value_t = 5)]
        repeat: usize,
    },
    /// The floor of the load benchmark: an endpoint's queries, in-process, over the same pool
    /// at the same concurrency, without HTTP, authentication or the access log; prints JSON.
    Floor {
        #[command(flatten)]
        plan: PlanArgs,
        #[arg(long, value_enum)]
        endpoint: crate::bench::Endpoint,
        /// Concurrent clients.
        #[arg(long, default_value_t = 16)]
        clients: usize,
        #[arg(long, default_value_t = 5.0)]
        seconds: f64,
    },
    /// Retention: anonymise what is past its time, purge old keys and log entries.
    Retention {
        #[command(subcommand)]
        action: RetentionAction,
    },
    /// The JWT signing key.
    Key {
        #[command(subcommand)]
        action: KeyAction,
    },
    /// The access log.
    Audit {
        #[command(subcommand)]
        action: AuditAction,
    },
    /// Sign an access token directly (for scripts and operators).
    Token {
        #[arg(long)]
        org: String,
        #[arg(long)]
        sub: String,
        /// Space-separated scopes.
        #[arg(long)]
        scope: String,
        #[arg(long)]
        ttl: Option<i64>,
    },
}

/// The shape of a generated dataset.
#[derive(Debug, Clone, clap::Args)]
pub struct PlanArgs {
    /// Situations (with two persons, a referral, two appointments and two interventions each).
    #[arg(long, default_value_t = 1_000_000)]
    pub situations: i64,
    /// CCAS they are spread over.
    #[arg(long, default_value_t = 100)]
    pub ccas: i64,
    /// Years they are spread over, ending with last year.
    #[arg(long, default_value_t = 5)]
    pub years: i64,
}

impl PlanArgs {
    fn plan(&self, clock: &Clock) -> crate::bench::Plan {
        crate::bench::Plan { situations: self.situations, ccas: self.ccas, years: self.years, today: clock.local_today() }
    }
}

#[derive(Debug, Subcommand)]
pub enum RetentionAction {
    /// Run retention now (the server also runs it daily); prints what it anonymised and deleted.
    Run {
        /// Count only: change nothing.
        #[arg(long)]
        dry_run: bool,
        /// Act as of this day (YYYY-MM-DD) instead of today.
        #[arg(long)]
        as_of: Option<chrono::NaiveDate>,
    },
}

#[derive(Debug, Subcommand)]
pub enum KeyAction {
    /// Write a new Ed25519 signing key (PKCS#8 v1 PEM, mode 0600) to a file that does not
    /// exist yet; prints its `kid`.
    Generate {
        #[arg(long)]
        out: std::path::PathBuf,
    },
}

#[derive(Debug, Subcommand)]
pub enum AuditAction {
    /// Seal what is pending, then walk the hash chain: exits 0 printing the number of entries
    /// and the head hash, or non-zero naming the first entry edited, deleted or moved.
    Verify,
}

pub type CliResult = Result<(), String>;

fn fail(e: ApiError) -> String {
    e.explain()
}

fn open_db(config: &Config) -> Result<Db, String> {
    let url = DatabaseUrl::parse(&config.database_url)?;
    migrate::run_pending(&url).map_err(|e| format!("cannot migrate the database: {e}"))?;
    Ok(pool_for(config, url))
}

fn pool_for(config: &Config, url: DatabaseUrl) -> Db {
    let checkout = std::time::Duration::from_millis(config.db_checkout_timeout_ms.max(1));
    let statement = std::time::Duration::from_millis(config.db_statement_timeout_ms.max(100));
    Db::with_timeouts(url, config.db_pool_size.max(1), checkout, statement)
}

/// The token service over the configured keys; `create_key` (for `--demo` only) writes a
/// signing key when the file does not exist.
fn token_service(config: &Config, create_key: bool) -> Result<TokenService, String> {
    let keys = if create_key { JwtKeys::load_or_create(&config.jwt_key_file)? } else { JwtKeys::load(&config.jwt_key_file)? };
    let keys = keys.with_previous(&config.jwt_previous_key_files)?;
    Ok(TokenService::new(keys, config.jwt_issuer.clone(), config.token_ttl_seconds))
}

/// The process's clock: the system's, unless `RELAIS_CLOCK_START` moves it.
fn clock_of(config: &Config) -> Clock {
    match config.clock_start {
        Some(start) => {
            log::warn!("the clock starts at {start} (RELAIS_CLOCK_START), not at the system's time");
            Clock::starting_at(start)
        }
        None => Clock::system(),
    }
}

/// Runs the command as of the process's clock, which every command that reads the time is given.
pub async fn run(cli: Cli) -> CliResult {
    let config = cli.config;
    let clock = clock_of(&config);
    match cli.command.unwrap_or(Command::Serve { demo: false }) {
        Command::Serve { demo } => serve::serve(config, demo, clock).await,
        Command::Migrate => {
            let url = DatabaseUrl::parse(&config.database_url)?;
            let applied = migrate::run_pending(&url).map_err(|e| e.to_string())?;
            announce(Out::Stderr, &format!("{applied} migration(s) applied"), "migrations applied", json!({"applied": applied}));
            Ok(())
        }
        Command::Retention { action: RetentionAction::Run { dry_run, as_of } } => {
            let db = open_db(&config)?;
            let policy = crate::retention::Policy {
                months: config.retention_months,
                audit_months: config.audit_retention_months,
                as_of: as_of.unwrap_or_else(|| clock.now().date()),
            };
            let mut conn = db.get().map_err(fail)?;
            let now = clock.now();
            let counts =
                crate::db::pool::write_transaction(&mut conn, |conn| crate::retention::run(conn, &policy, dry_run, now)).map_err(fail)?;
            let verb = if dry_run { "due" } else { "done" };
            let text = [
                ("situations anonymised", counts.situations),
                ("persons anonymised", counts.persons),
                ("referrals anonymised", counts.referrals),
                ("idempotency keys deleted", counts.idempotency_keys),
                ("access log entries purged", counts.audit_entries),
            ]
            .map(|(what, n)| format!("{what} ({verb}): {n}"))
            .join("\n");
            let fields = json!({
                "dry_run": dry_run, "situations": counts.situations, "persons": counts.persons, "referrals": counts.referrals,
                "idempotency_keys": counts.idempotency_keys, "audit_entries": counts.audit_entries,
            });
            announce(Out::Stdout, &text, "retention run", fields);
            Ok(())
        }
        Command::Key { action: KeyAction::Generate { out } } => {
            crate::auth::keys::write_new_key(&out)?;
            println!("{}", JwtKeys::load(&out)?.current.kid);
            Ok(())
        }
        Command::Openapi => {
            println!("{}", openapi_json()?);
            Ok(())
        }
        Command::Org { action } => provision::org(&config, &clock, action),
        Command::User { action } => provision::user(&config, &clock, action),
        Command::Client { action } => provision::client(&config, &clock, action),
        Command::Backup { out } => {
            println!("{}", backup::backup(&config.database_url, &out)?);
            Ok(())
        }
        Command::Restore { from } => {
            println!("{}", backup::restore(&config.database_url, &from)?);
            Ok(())
        }
        Command::Partners { action } => partners::run(&open_db(&config)?, action, &clock),
        Command::Generate { plan } => {
            let url = DatabaseUrl::parse(&config.database_url)?;
            let db = open_db(&config)?;
            let mut conn = db.get().map_err(fail)?;
            let started = std::time::Instant::now();
            let rows =
                crate::db::pool::write_transaction(&mut conn, |conn| crate::bench::generate(conn, &plan.plan(&clock), url.is_postgres()))
                    .map_err(fail)?;
            let seconds = started.elapsed().as_secs_f64();
            announce(
                Out::Stderr,
                &format!("{rows} rows in {seconds:.1} s"),
                "dataset generated",
                json!({"rows": rows, "seconds": seconds}),
            );
            if !url.is_postgres() {
                // Millions of rows sit in the write-ahead log: copied into the database now
                // rather than by the first requests of whoever uses it next.
                use diesel::connection::SimpleConnection;
                conn.batch_execute("PRAGMA wal_checkpoint(TRUNCATE)").map_err(|e| e.to_string())?;
            }
            Ok(())
        }
        Command::Bench { plan, repeat } => {
            let url = DatabaseUrl::parse(&config.database_url)?;
            let db = open_db(&config)?;
            let mut conn = db.get().map_err(fail)?;
            let t = crate::bench::bench(&mut conn, &plan.plan(&clock), repeat).map_err(fail)?;
            let backend = if url.is_postgres() { "PostgreSQL" } else { "SQLite" };
            let ms = |t: &crate::bench::Timing| format!("{:.1} ({:.1})", t.median_ms, t.best_ms);
            println!(
                "| {backend} | {} | {} | {} | {} | {} | {} | {} |",
                plan.situations,
                plan.ccas,
                t.met,
                ms(&t.yearly),
                ms(&t.monthly),
                ms(&t.funders),
                ms(&t.published)
            );
            Ok(())
        }
        Command::Floor { plan, endpoint, clients, seconds } => {
            // The floor measures what the database gives: its clients queue for connections
            // as long as it takes instead of giving up.
            let db = open_db(&Config { db_checkout_timeout_ms: 60_000, ..config })?;
            let measured = crate::bench::floor(&db, plan.plan(&clock), endpoint, clients, seconds).map_err(fail)?;
            println!("{}", serde_json::to_string(&measured).map_err(|e| e.to_string())?);
            Ok(())
        }
        Command::Audit { action: AuditAction::Verify } => {
            let db = open_db(&config)?;
            let mut conn = db.get().map_err(fail)?;
            crate::audit::catch_up(&mut conn).map_err(fail)?;
            let verified = crate::audit::verify(&mut conn).map_err(|broken| format!("the access log does not verify: {broken}"))?;
            let text = format!("{} entries verified; head {} at position {}", verified.entries, verified.head_hash, verified.head_seq);
            let fields = json!({"entries": verified.entries, "head_hash": verified.head_hash, "head_seq": verified.head_seq});
            announce(Out::Stdout, &text, "access log verified", fields);
            Ok(())
        }
        Command::Token { org, sub, scope, ttl } => provision::token(&config, clock, org, sub, scope, ttl),
    }
}

pub fn openapi_json() -> Result<String, String> {
    crate::app::openapi().to_pretty_json().map_err(|e| e.to_string())
}
