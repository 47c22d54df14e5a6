//! Provisioning without a UI: organisations, accounts, API clients and tokens. Each command
//! prints the new id (or token) alone on stdout, for scripts.

use std::io::Read;

use clap::Subcommand;

use super::{CliResult, fail, open_db, token_service};
use crate::auth::OrgKind;
use crate::auth::scope::{check_scopes_fit, parse_scopes};
use crate::clock::Clock;
use crate::config::Config;

#[derive(Debug, Subcommand)]
pub enum OrgAction {
    /// Create an organisation; prints its id.
    Create {
        #[arg(long, value_parser = parse_kind)]
        kind: OrgKind,
        #[arg(long)]
        name: String,
        /// The CCAS a gendarmerie unit or police municipale service refers to.
        #[arg(long)]
        ccas: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum UserAction {
    /// Create a user; reads the password from stdin; prints the user id.
    Create {
        #[arg(long)]
        org: String,
        #[arg(long)]
        login: String,
        #[arg(long)]
        password_stdin: bool,
        /// Display name (defaults to the login).
        #[arg(long)]
        name: Option<String>,
        /// Also grant the `admin` scope (CCAS accounts only).
        #[arg(long)]
        admin: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum ClientAction {
    /// Create an API client; prints its id and its secret on two lines.
    Create {
        #[arg(long)]
        org: String,
        #[arg(long, default_value = "API client")]
        label: String,
        /// Space-separated scopes (default: the organisation's working scope).
        #[arg(long)]
        scope: Option<String>,
    },
}

fn parse_kind(s: &str) -> Result<OrgKind, String> {
    s.parse()
}

pub(super) fn org(config: &Config, clock: &Clock, action: OrgAction) -> CliResult {
    let OrgAction::Create { kind, name, ccas } = action;
    let db = open_db(config)?;
    let mut conn = db.get().map_err(fail)?;
    let ccas_id = match (kind, ccas) {
        (OrgKind::Ccas, None) => None,
        (OrgKind::Ccas, Some(_)) => return Err("a CCAS does not refer to another CCAS: drop --ccas".into()),
        (_, None) => return Err("--ccas is required for a gendarmerie unit or police municipale service".into()),
        (_, Some(id)) => {
            let ccas = crate::organisations::queries::find(&mut conn, &id).map_err(|_| format!("no organisation {id}"))?;
            if ccas.kind != OrgKind::Ccas.as_str() {
                return Err(format!("{id} is not a CCAS"));
            }
            Some(id)
        }
    };
    if name.trim().is_empty() {
        return Err("--name cannot be empty".into());
    }
    let org = crate::organisations::queries::insert(&mut conn, kind, name.trim(), ccas_id.as_deref(), clock.now()).map_err(fail)?;
    println!("{}", org.id);
    Ok(())
}

pub(super) fn user(config: &Config, clock: &Clock, action: UserAction) -> CliResult {
    let UserAction::Create { org, login, password_stdin, name, admin } = action;
    if !password_stdin {
        return Err("pass the password on stdin with --password-stdin".into());
    }
    let mut password = String::new();
    std::io::stdin().read_to_string(&mut password).map_err(|e| e.to_string())?;
    let password = password.trim_end_matches(['\r', '\n']).to_owned();
    if password.chars().count() < 12 {
        return Err("the password must be at least 12 characters long".into());
    }
    crate::users::models::check_login(&login).map_err(|_| "the login may only hold letters, digits, '.', '-', '_' and '@'")?;
    let db = open_db(config)?;
    let mut conn = db.get().map_err(fail)?;
    let org = crate::organisations::queries::find(&mut conn, &org).map_err(|_| format!("no organisation {org}"))?;
    let hash = crate::auth::secrets::hash_password(&password).map_err(fail)?;
    let display = name.unwrap_or_else(|| login.clone());
    let user = crate::users::queries::insert(&mut conn, &org, &login, &display, &hash, admin, false, clock.now()).map_err(fail)?;
    println!("{}", user.id);
    Ok(())
}

pub(super) fn client(config: &Config, clock: &Clock, action: ClientAction) -> CliResult {
    let ClientAction::Create { org, label, scope } = action;
    let db = open_db(config)?;
    let mut conn = db.get().map_err(fail)?;
    let org = crate::organisations::queries::find(&mut conn, &org).map_err(|_| format!("no organisation {org}"))?;
    let scopes = scope.as_deref().map(parse_scopes).transpose()?;
    let (client, secret) = crate::api_clients::queries::insert(&mut conn, &org, &label, scopes, clock.now()).map_err(fail)?;
    println!("{}\n{secret}", client.id);
    Ok(())
}

/// Signs an access token directly.
pub(super) fn token(config: &Config, clock: Clock, org: String, sub: String, scope: String, ttl: Option<i64>) -> CliResult {
    let db = open_db(config)?;
    let mut conn = db.get().map_err(fail)?;
    let org = crate::organisations::queries::find(&mut conn, &org).map_err(|_| format!("no organisation {org}"))?;
    let scopes = parse_scopes(&scope)?;
    check_scopes_fit(&scopes, org.kind.parse()?)?;
    let tokens = token_service(config, false)?.with_clock(clock);
    let ttl = ttl.unwrap_or(config.token_ttl_seconds);
    if ttl <= 0 {
        return Err("--ttl must be positive".into());
    }
    println!("{}", tokens.issue(&sub, &org.id, &scopes, ttl).map_err(fail)?);
    Ok(())
}
