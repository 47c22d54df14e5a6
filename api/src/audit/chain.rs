//! The hash chain: sealing entries in one order, and verifying that none was edited, deleted
//! or moved since.

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text};
use sha2::{Digest, Sha256};

use super::entry::{Entry, Record};
use crate::db::DbConnection;
use crate::db::schema::{audit_chain, audit_event_objects as objects, audit_events, audit_objects_indexed as indexed};

/// Entries sealed per statement: well under PostgreSQL's 65,535 bind parameters.
const INSERT_CHUNK: usize = 1_000;

/// Unsealed entries sealed per batch (the rest wait for the next one).
const SEAL_LIMIT: i64 = 10_000;

/// The canonical content of an entry at position `seq`: a JSON array, whose serialisation is
/// unambiguous (every field is escaped and delimited).
fn canonical(seq: i64, e: &Entry) -> String {
    serde_json::json!([
        seq,
        e.id,
        e.at.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string(),
        e.actor_sub,
        e.organisation_id,
        e.ccas_id,
        e.scope,
        e.action,
        e.object_type,
        e.object_id,
        e.outcome,
        e.object_ids,
    ])
    .to_string()
}

/// The hash of the entry at `seq` (its objects included), chained to the previous entry's hash.
pub fn link(previous: &str, seq: i64, entry: &Entry) -> String {
    let mut hasher = Sha256::new();
    hasher.update(previous.as_bytes());
    hasher.update(b"\n");
    hasher.update(canonical(seq, entry).as_bytes());
    hasher.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

#[derive(QueryableByName)]
struct Head {
    #[diesel(sql_type = BigInt)]
    head_seq: i64,
    #[diesel(sql_type = Text)]
    head_hash: String,
}

/// `select` (of a single-row table), holding the row for the rest of the transaction. On
/// SQLite the transaction already holds the write lock (`BEGIN IMMEDIATE`); on PostgreSQL the
/// row lock orders the transactions of every instance.
pub(crate) fn locked(conn: &DbConnection, select: &str) -> String {
    match conn {
        DbConnection::Postgres(_) => format!("{select} FOR UPDATE"),
        DbConnection::Sqlite(_) => select.to_owned(),
    }
}

/// Takes the chain's head: batches are sealed one at a time, in one order.
fn lock_head(conn: &mut DbConnection) -> QueryResult<(i64, String)> {
    let head: Head = diesel::sql_query(locked(conn, "SELECT head_seq, head_hash FROM audit_chain WHERE id = 1")).get_result(conn)?;
    Ok((head.head_seq, head.head_hash))
}

#[derive(QueryableByName)]
struct Indexed {
    #[diesel(sql_type = BigInt)]
    through_seq: i64,
}

/// Takes the indexers' row: how far objects are indexed, for one indexer at a time.
fn lock_indexed(conn: &mut DbConnection) -> QueryResult<i64> {
    let select = locked(conn, "SELECT through_seq FROM audit_objects_indexed WHERE id = 1");
    Ok(diesel::sql_query(select).get_result::<Indexed>(conn)?.through_seq)
}

/// Inserts already sealed entries: many rows per statement on PostgreSQL (a round trip
/// each); one prepared statement per row on SQLite, whose batch insert would open a nested
/// transaction and whose statements cost no round trip.
fn insert_sealed(conn: &mut DbConnection, rows: &[(Entry, i64, String)]) -> QueryResult<()> {
    match conn {
        DbConnection::Postgres(c) => {
            for chunk in rows.chunks(INSERT_CHUNK) {
                let values: Vec<_> = chunk
                    .iter()
                    .map(|(entry, seq, hash)| (entry, audit_events::seq.eq(Some(*seq)), audit_events::hash.eq(Some(hash))))
                    .collect();
                diesel::insert_into(audit_events::table).values(values).execute(c)?;
            }
        }
        DbConnection::Sqlite(c) => {
            for (entry, seq, hash) in rows {
                diesel::insert_into(audit_events::table)
                    .values((entry, audit_events::seq.eq(Some(*seq)), audit_events::hash.eq(Some(hash))))
                    .execute(c)?;
            }
        }
    }
    Ok(())
}

/// Seals what writes recorded since the last batch, then appends `fresh` records sealed, and
/// moves the head; call it inside a write transaction. Returns how many entries were sealed.
pub fn append_and_seal(conn: &mut DbConnection, fresh: Vec<Record>) -> QueryResult<usize> {
    let (mut seq, mut hash) = lock_head(conn)?;
    let pending: Vec<Entry> = audit_events::table
        .filter(audit_events::seq.is_null())
        .order((audit_events::at, audit_events::id))
        .limit(SEAL_LIMIT)
        .select(Entry::as_select())
        .load(conn)?;
    let sealed = pending.len() + fresh.len();
    for entry in &pending {
        seq += 1;
        hash = link(&hash, seq, entry);
        diesel::update(audit_events::table.find(&entry.id)).set((audit_events::seq.eq(seq), audit_events::hash.eq(&hash))).execute(conn)?;
    }
    let mut rows = Vec::with_capacity(fresh.len());
    for record in fresh {
        let entry = record.into_entry();
        seq += 1;
        hash = link(&hash, seq, &entry);
        rows.push((entry, seq, hash.clone()));
    }
    insert_sealed(conn, &rows)?;
    if sealed > 0 {
        diesel::update(audit_chain::table.find(1)).set((audit_chain::head_seq.eq(seq), audit_chain::head_hash.eq(&hash))).execute(conn)?;
    }
    Ok(sealed)
}

/// Sealed entries whose objects are indexed per transaction at the most: small enough that a
/// pass never holds SQLite's write lock long in front of the writer.
const INDEX_LIMIT: i64 = 200;

/// Objects indexed per transaction, about: random keys cost a page each.
const INDEX_PAIRS: usize = 1_000;

/// Adds the objects of the entries sealed since the last pass to `audit_event_objects`, and
/// moves `indexed_seq`; call it inside a write transaction. Returns whether more remain.
/// One pass carries the objects of many batches, so that pages of the index are written once
/// for many rows instead of once per row.
pub fn index_objects(conn: &mut DbConnection) -> QueryResult<bool> {
    let from = lock_indexed(conn)?;
    let entries: Vec<(String, Option<i64>, Option<String>)> = audit_events::table
        .filter(audit_events::seq.gt(from))
        .order(audit_events::seq)
        .limit(INDEX_LIMIT)
        .select((audit_events::id, audit_events::seq, audit_events::object_ids))
        .load(conn)?;
    // Entries in order until about INDEX_PAIRS objects: a person search carries fifty.
    let mut pairs: Vec<(&str, &str)> = Vec::new();
    let mut last = None;
    let mut read = 0;
    for (id, seq, objects) in &entries {
        pairs.extend(objects.iter().flat_map(|o| o.split(' ')).map(|object| (object, id.as_str())));
        (last, read) = (*seq, read + 1);
        if pairs.len() >= INDEX_PAIRS {
            break;
        }
    }
    let Some(last) = last else { return Ok(false) };
    match conn {
        DbConnection::Postgres(c) => {
            for chunk in pairs.chunks(INSERT_CHUNK * 4) {
                let values: Vec<_> =
                    chunk.iter().map(|(object, entry)| (objects::object_id.eq(*object), objects::entry_id.eq(*entry))).collect();
                diesel::insert_into(objects::table).values(values).execute(c)?;
            }
        }
        DbConnection::Sqlite(c) => {
            for (object, entry) in &pairs {
                diesel::insert_into(objects::table).values((objects::object_id.eq(*object), objects::entry_id.eq(*entry))).execute(c)?;
            }
        }
    }
    diesel::update(indexed::table.find(1)).set(indexed::through_seq.eq(last)).execute(conn)?;
    // A pass cut short by its objects, or one that read its fill of entries, leaves more.
    Ok(read < entries.len() || i64::try_from(read).is_ok_and(|n| n >= INDEX_LIMIT))
}

/// Whether entries recorded by writes wait for their seal.
pub fn has_pending(conn: &mut DbConnection) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(audit_events::table.filter(audit_events::seq.is_null()))).get_result(conn)
}

/// Seals every pending entry and indexes every sealed entry's objects: what `relais audit
/// verify` and a search of the log by object need first. Returns how many entries it sealed.
pub fn catch_up(conn: &mut DbConnection) -> crate::error::ApiResult<usize> {
    let mut total = 0;
    loop {
        let sealed = crate::db::pool::write_transaction(conn, |conn| Ok(append_and_seal(conn, Vec::new())?))?;
        total += sealed;
        if sealed < usize::try_from(SEAL_LIMIT).unwrap_or(usize::MAX) {
            break;
        }
    }
    while crate::db::pool::write_transaction(conn, |conn| Ok(index_objects(conn)?))? {}
    Ok(total)
}

/// A chain that verifies: how many entries, and the head.
#[derive(Debug, PartialEq, Eq)]
pub struct Verified {
    pub entries: i64,
    pub head_seq: i64,
    pub head_hash: String,
}

/// Where the chain breaks.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum Broken {
    #[error("entry {id} at position {seq} was edited: its hash does not match its content")]
    Edited { seq: i64, id: String },
    #[error("the entries at positions {from} to {to} are missing (deleted or moved)")]
    Missing { from: i64, to: i64 },
    #[error("the chain ends at position {last} but its head says {head}: entries were deleted at the end")]
    Truncated { last: i64, head: i64 },
    #[error("the head's hash does not match the last entry's")]
    HeadMismatch,
    #[error("cannot read the log: {0}")]
    Unreadable(String),
}

impl From<diesel::result::Error> for Broken {
    fn from(e: diesel::result::Error) -> Self {
        Broken::Unreadable(e.to_string())
    }
}

/// Entries read per query while verifying.
const VERIFY_PAGE: i64 = 5_000;

/// Walks the sealed entries from the anchor left by the last purge to the head.
pub fn verify(conn: &mut DbConnection) -> Result<Verified, Broken> {
    let (anchor_seq, anchor_hash, head_seq, head_hash): (i64, String, i64, String) = audit_chain::table
        .find(1)
        .select((audit_chain::anchor_seq, audit_chain::anchor_hash, audit_chain::head_seq, audit_chain::head_hash))
        .first(conn)?;
    let (mut seq, mut hash) = (anchor_seq, anchor_hash);
    loop {
        let page: Vec<(Entry, Option<i64>, Option<String>)> = audit_events::table
            .filter(audit_events::seq.gt(seq))
            .order(audit_events::seq)
            .limit(VERIFY_PAGE)
            .select((Entry::as_select(), audit_events::seq, audit_events::hash))
            .load(conn)?;
        let done = page.len() < usize::try_from(VERIFY_PAGE).unwrap_or(usize::MAX);
        for (entry, stored_seq, stored_hash) in page {
            let stored_seq = stored_seq.unwrap_or_default();
            if stored_seq != seq + 1 {
                return Err(Broken::Missing { from: seq + 1, to: stored_seq - 1 });
            }
            let expected = link(&hash, stored_seq, &entry);
            if stored_hash.as_deref() != Some(expected.as_str()) {
                return Err(Broken::Edited { seq: stored_seq, id: entry.id });
            }
            (seq, hash) = (stored_seq, expected);
        }
        if done {
            break;
        }
    }
    if seq < head_seq {
        return Err(Broken::Truncated { last: seq, head: head_seq });
    }
    if seq > head_seq || hash != head_hash {
        return Err(Broken::HeadMismatch);
    }
    Ok(Verified { entries: seq - anchor_seq, head_seq, head_hash })
}
