//! `relais serve`: wait for the database, migrate, seed the demo if asked, and run the server
//! with its background jobs.

use crate::webhooks::delivery::DeliveryPolicy;
use crate::webhooks::guard::AllowedHosts;
use actix_web::web;
use serde_json::json;

use super::{CliResult, fail, pool_for, token_service};
use crate::auth::sessions::SessionPolicy;
use crate::clock::Clock;
use crate::config::Config;
use crate::db::{DatabaseUrl, Db, migrate};
use crate::log_format::{Out, announce};
use crate::referrals::UnitView;
use crate::server::ServerOptions;
use crate::state::AppState;
use crate::web_client::WebOptions;

/// The server's database, once reachable: PostgreSQL may start after Relais (a reboot, a
/// failover), so the server waits for it, retrying with a growing delay, instead of exiting.
async fn wait_for_db(config: &Config) -> Result<Db, String> {
    let url = DatabaseUrl::parse(&config.database_url)?;
    let mut delay = std::time::Duration::from_secs(1);
    for attempt in 1.. {
        let probe = url.clone();
        let reachable = web::block(move || crate::db::pool::establish(&probe).map(drop)).await.map_err(|e| e.to_string())?;
        match reachable {
            Ok(()) => break,
            Err(e) if url.is_postgres() => {
                log::warn!("database not reachable (attempt {attempt}), retrying in {} s: {e}", delay.as_secs());
                tokio::time::sleep(delay).await;
                delay = (delay * 2).min(std::time::Duration::from_secs(30));
            }
            Err(e) => return Err(format!("cannot open the database: {e}")),
        }
    }
    let migrating = url.clone();
    web::block(move || migrate::run_pending(&migrating))
        .await
        .map_err(|e| e.to_string())?
        .map_err(|e| format!("cannot migrate the database: {e}"))?;
    Ok(pool_for(config, url))
}

pub(super) async fn serve(config: Config, demo: bool, clock: Clock) -> CliResult {
    // Before any job starts, so that every count is seen from the first.
    let metrics = config.metrics_bind.as_ref().map(|_| crate::monitoring::exporter::install()).transpose()?;
    let tokens = token_service(&config, demo)?;
    // Held until the server stops: `relais restore` refuses while it is.
    let _serving = super::backup::hold_while_serving(&config.database_url)?;
    let db = wait_for_db(&config).await?;
    if demo {
        let (db, clock) = (db.clone(), clock.clone());
        web::block(move || crate::demo::seed_if_empty(&db, &clock)).await.map_err(|e| e.to_string())?.map_err(fail)?;
    }
    let web_options = WebOptions { static_dir: config.web_dir.clone(), cors_origins: config.cors_origins.clone() };
    if let Some(dir) = &web_options.static_dir
        && !dir.join("index.html").is_file()
    {
        return Err(format!("no index.html in {}: build the client first (cd web-client && npm run build)", dir.display()));
    }
    let metrics_server = match (&config.metrics_bind, metrics) {
        (Some(bind), Some(handle)) => Some(crate::monitoring::exporter::serve(bind, handle, db.clone(), clock.clone())?),
        _ => None,
    };
    crate::retention::daily::start(db.clone(), config.retention_months, config.audit_retention_months, clock.clone());
    let webhooks = DeliveryPolicy { allowed: AllowedHosts(config.webhook_allowed_hosts.clone()), ..DeliveryPolicy::default() };
    crate::webhooks::delivery::start(db.clone(), webhooks.clone(), std::time::Duration::from_secs(2), clock.clone());
    let state = web::Data::new(
        AppState::new(db, tokens, clock)
            .with_web(web_options)
            .with_unit_view(UnitView::days(config.unit_view_days))
            .with_sessions(SessionPolicy::new(config.session_idle_minutes, config.session_max_hours))
            .with_trusted_proxies(config.trusted_proxies.clone())
            .with_webhooks(webhooks),
    );
    let options = ServerOptions {
        workers: config.workers,
        // More threads than connections would only wait for one (and each costs memory).
        blocking_threads: usize::try_from(config.db_pool_size).unwrap_or(10).max(4),
        ..ServerOptions::default()
    };
    let cannot_listen = |e: std::io::Error| format!("cannot listen on {}: {e}", config.bind);
    let listener = std::net::TcpListener::bind(&config.bind).map_err(cannot_listen)?;
    let server = crate::server::listen(listener, state, &options).map_err(cannot_listen)?;
    let base = format!("http://{}", config.bind);
    let docs = format!("{base}/docs/");
    announce(Out::Stdout, &format!("Relais listens on {base}  (API docs: {docs})"), "Relais listens", json!({"url": base, "docs": docs}));
    if let Some(bind) = &config.metrics_bind {
        let url = format!("http://{bind}/metrics");
        announce(Out::Stdout, &format!("Metrics on {url}"), "metrics served", json!({"url": url}));
    }
    if demo {
        crate::demo::print_logins();
    }
    match metrics_server {
        // Either server stopping stops both.
        Some(metrics) => futures_util::future::try_join(server, metrics).await.map(drop).map_err(|e| e.to_string()),
        None => server.await.map_err(|e| e.to_string()),
    }
}
