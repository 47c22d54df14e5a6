//! A caller's standing: whether its organisation is active and its account not deactivated,
//! read at every request (deactivation takes effect at once, not when the token expires), and
//! what never changes about an organisation (its kind and its CCAS), remembered.

use std::collections::HashMap;
use std::sync::Mutex;

use diesel::dsl::exists;
use diesel::prelude::*;

use super::scope::OrgKind;
use crate::db::DbConnection;
use crate::db::schema::{api_clients, organisations, users};
use crate::error::ApiError;

/// What never changes about an organisation: the API offers no way to change either.
#[derive(Debug, Clone)]
pub struct OrgFacts {
    pub kind: OrgKind,
    /// The CCAS whose data its callers reach: itself for a CCAS, the one it refers to otherwise.
    pub ccas_id: String,
}

/// The facts of the organisations seen so far (a few thousand at the most).
#[derive(Default)]
pub struct KnownOrganisations(Mutex<HashMap<String, OrgFacts>>);

impl KnownOrganisations {
    pub fn get(&self, org_id: &str) -> Option<OrgFacts> {
        self.0.lock().ok()?.get(org_id).cloned()
    }

    pub fn remember(&self, org_id: &str, facts: OrgFacts) {
        if let Ok(mut known) = self.0.lock() {
            known.insert(org_id.to_owned(), facts);
        }
    }
}

fn rejected(why: &str) -> ApiError {
    ApiError::InvalidToken(why.to_owned())
}

/// The organisation's kind, its CCAS, whether it is active, and whether the subject is disabled.
type Row = (String, Option<String>, bool, bool);

/// One query, through the query builder so that its prepared statement is cached per
/// connection. Subjects that are neither a user nor an API client (tokens signed by an
/// operator with `relais token`) rely on their organisation. A user's token issued before its
/// password last changed (`ver` older than the account's) is refused like a deactivated one.
fn read(conn: &mut DbConnection, org_id: &str, sub: &str, ver: i32) -> Result<Row, ApiError> {
    let disabled_user = users::table.filter(users::id.eq(sub)).filter(users::active.eq(false).or(users::credentials_version.ne(ver)));
    let disabled_client = api_clients::table.filter(api_clients::id.eq(sub)).filter(api_clients::active.eq(false));
    let (kind, ccas_id, active, subject_disabled): Row = organisations::table
        .find(org_id)
        .select((organisations::kind, organisations::ccas_id, organisations::active, exists(disabled_user).or(exists(disabled_client))))
        .first(conn)
        .optional()?
        .ok_or_else(|| rejected("The token's organisation does not exist"))?;
    if subject_disabled {
        return Err(rejected("The token's account is deactivated, or its password changed since"));
    }
    if !active {
        return Err(rejected("The token's organisation is deactivated"));
    }
    Ok((kind, ccas_id, active, subject_disabled))
}

/// Checks the standing of `sub` acting for `org_id`.
pub fn check(conn: &mut DbConnection, org_id: &str, sub: &str, ver: i32) -> Result<(), ApiError> {
    read(conn, org_id, sub, ver).map(drop)
}

/// Checks the standing and describes the organisation.
pub fn check_and_describe(conn: &mut DbConnection, org_id: &str, sub: &str, ver: i32) -> Result<OrgFacts, ApiError> {
    let (kind, ccas_id, _, _) = read(conn, org_id, sub, ver)?;
    let kind: OrgKind = kind.parse().map_err(ApiError::internal)?;
    let ccas_id = match kind {
        OrgKind::Ccas => org_id.to_owned(),
        _ => ccas_id.ok_or_else(|| ApiError::internal("referring organisation without a CCAS"))?,
    };
    Ok(OrgFacts { kind, ccas_id })
}
