//! Which CCAS owns an id: a 404 on an id that exists in another CCAS is recorded in that CCAS's
//! trail too, so that its administrators see who probed their files.

use diesel::prelude::*;

use crate::db::DbConnection;
use crate::db::schema::{appointments, interventions, partners, persons, referrals, sites, situations};

/// Reads the CCAS that owns an id in one table.
type Lookup = fn(&mut DbConnection, &str) -> QueryResult<Option<String>>;

/// The kind of object `id` names and the CCAS that owns it, if it exists anywhere.
pub fn owner_of(conn: &mut DbConnection, id: &str) -> QueryResult<Option<(&'static str, String)>> {
    let lookups: [(&'static str, Lookup); 7] = [
        ("referral", |c, id| referrals::table.find(id).select(referrals::ccas_id).first(c).optional()),
        ("situation", |c, id| situations::table.find(id).select(situations::ccas_id).first(c).optional()),
        ("person", |c, id| persons::table.find(id).select(persons::ccas_id).first(c).optional()),
        ("appointment", |c, id| appointments::table.find(id).select(appointments::ccas_id).first(c).optional()),
        ("intervention", |c, id| interventions::table.find(id).select(interventions::ccas_id).first(c).optional()),
        ("partner", |c, id| partners::table.find(id).select(partners::ccas_id).first(c).optional()),
        ("site", |c, id| sites::table.find(id).select(sites::ccas_id).first(c).optional()),
    ];
    for (kind, lookup) in lookups {
        if let Some(ccas_id) = lookup(conn, id)? {
            return Ok(Some((kind, ccas_id)));
        }
    }
    Ok(None)
}
