//! What one entry says, and how reads and writes put entries into the log.

use chrono::{NaiveDateTime, Timelike};
use diesel::prelude::*;

use crate::auth::Caller;
use crate::db::DbConnection;
use crate::db::schema::audit_events;
use crate::error::ApiResult;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Success,
    /// The object exists elsewhere or not at all; the caller was told 404.
    NotFound,
    /// The request was refused: no valid token (401), or not the right to (403).
    Refused,
    /// Wrong credentials at sign-in.
    Failure,
}

impl Outcome {
    pub const ALL: [Outcome; 4] = [Outcome::Success, Outcome::NotFound, Outcome::Refused, Outcome::Failure];

    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Success => "success",
            Outcome::NotFound => "not_found",
            Outcome::Refused => "refused",
            Outcome::Failure => "failure",
        }
    }
}

/// Who acted: a caller with a token, someone signing in, or Relais itself (retention).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub sub: String,
    pub organisation_id: String,
    /// The trail the entry goes to (the actor's CCAS), none for an unknown caller.
    pub ccas_id: Option<String>,
    pub scope: String,
    /// When it acted, from the clock (a request's instant, a job's run).
    pub at: NaiveDateTime,
}

impl Actor {
    /// A request that could not say who it was (no token, a forged or expired one, an unknown
    /// login): recorded in the chain, in no CCAS's trail.
    pub fn anonymous(at: NaiveDateTime) -> Self {
        Actor { sub: "anonymous".into(), organisation_id: String::new(), ccas_id: None, scope: String::new(), at }
    }

    /// Relais itself, e.g. a retention run, in the trail of the CCAS it acted on.
    pub fn system(ccas_id: Option<String>, at: NaiveDateTime) -> Self {
        Actor { sub: "relais".into(), organisation_id: String::new(), ccas_id, scope: String::new(), at }
    }
}

impl From<&Caller> for Actor {
    fn from(caller: &Caller) -> Self {
        Actor {
            sub: caller.sub.clone(),
            organisation_id: caller.org_id.clone(),
            ccas_id: Some(caller.ccas_id.clone()),
            scope: caller.scope_list(),
            at: caller.at,
        }
    }
}

/// What was done to which object, e.g. `("referral.read", "referral", Some(id))`.
pub struct Action<'a> {
    pub action: &'static str,
    pub object_type: &'static str,
    pub object_id: Option<&'a str>,
}

/// One entry as it is stored and hashed.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = audit_events)]
pub struct Entry {
    pub id: String,
    pub at: NaiveDateTime,
    pub actor_sub: String,
    pub organisation_id: String,
    /// The CCAS whose trail holds the entry.
    pub ccas_id: Option<String>,
    pub scope: String,
    pub action: String,
    pub object_type: String,
    pub object_id: Option<String>,
    pub outcome: String,
    /// Every object the entry reached, sorted, once each, space-separated.
    pub object_ids: Option<String>,
}

impl Entry {
    pub fn new(actor: Actor, what: Action<'_>, outcome: Outcome) -> Self {
        Entry {
            // Time-ordered ids: each entry lands at the end of the indexes that hold its id,
            // instead of dirtying a random page of each (fewer pages written per batch).
            id: uuid::Uuid::now_v7().to_string(),
            at: to_the_microsecond(actor.at),
            actor_sub: actor.sub,
            organisation_id: actor.organisation_id,
            ccas_id: actor.ccas_id,
            scope: actor.scope,
            action: what.action.to_owned(),
            object_type: what.object_type.to_owned(),
            object_id: what.object_id.map(str::to_owned),
            outcome: outcome.as_str().to_owned(),
            object_ids: None,
        }
    }
}

/// Both databases keep microseconds: an entry hashes the same before and after storage.
fn to_the_microsecond(at: NaiveDateTime) -> NaiveDateTime {
    at.with_nanosecond(at.nanosecond() / 1_000 * 1_000).unwrap_or(at)
}

/// An entry being built, with every object it reached: the one it names, and the persons a
/// list, a search or a file showed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    pub entry: Entry,
    pub objects: Vec<String>,
}

impl Record {
    pub fn new(caller: &Caller, what: Action<'_>, outcome: Outcome) -> Self {
        Self::by(caller.into(), what, outcome)
    }

    pub fn by(actor: Actor, what: Action<'_>, outcome: Outcome) -> Self {
        let objects = what.object_id.map(str::to_owned).into_iter().collect();
        Record { entry: Entry::new(actor, what, outcome), objects }
    }

    /// Also lists these objects (the candidates a 409 showed, the persons of an export).
    pub fn with_objects(mut self, ids: impl IntoIterator<Item = String>) -> Self {
        self.objects.extend(ids);
        self
    }

    /// The entry as it is stored and hashed: its objects sorted, once each.
    pub fn into_entry(mut self) -> Entry {
        self.objects.sort();
        self.objects.dedup();
        self.entry.object_ids = (!self.objects.is_empty()).then(|| self.objects.join(" "));
        self.entry
    }
}

/// Records one entry on `conn`: call it inside the transaction of the write it describes, so
/// that the write and its entry commit or fail together. The entry is sealed by the next batch.
pub fn record(conn: &mut DbConnection, caller: &Caller, what: Action<'_>, outcome: Outcome) -> QueryResult<()> {
    record_entry(conn, Record::new(caller, what, outcome))
}

/// Like [`record`], for an entry built by hand (another actor, more objects).
pub fn record_entry(conn: &mut DbConnection, record: Record) -> QueryResult<()> {
    diesel::insert_into(audit_events::table).values(record.into_entry()).execute(conn)?;
    Ok(())
}

/// The entries one read collects; the access log makes them durable before the answer leaves.
#[derive(Debug, Default)]
pub struct Trail {
    pub(super) records: Vec<Record>,
}

impl Trail {
    pub fn record(&mut self, caller: &Caller, what: Action<'_>, outcome: Outcome) {
        self.records.push(Record::new(caller, what, outcome));
    }

    /// Records a read, successful or not (a 404 may be someone probing), and passes it on.
    pub fn read<T>(&mut self, caller: &Caller, what: Action<'_>, found: ApiResult<T>) -> ApiResult<T> {
        self.record(caller, what, if found.is_ok() { Outcome::Success } else { Outcome::NotFound });
        found
    }

    /// Records a list or a search (even one that found nothing) with every object it returned,
    /// so that the log answers "who saw this person" for lists too.
    pub fn listed<'a>(&mut self, caller: &Caller, action: &'static str, object_type: &'static str, ids: impl IntoIterator<Item = &'a str>) {
        self.record(caller, Action { action, object_type, object_id: None }, Outcome::Success);
        self.also(ids);
    }

    /// Adds objects the last entry's answer showed too (the persons of a file).
    pub fn also<'a>(&mut self, ids: impl IntoIterator<Item = &'a str>) {
        if let Some(last) = self.records.last_mut() {
            last.objects.extend(ids.into_iter().map(str::to_owned));
        }
    }

    /// Adds an entry built by hand.
    pub fn push(&mut self, record: Record) {
        self.records.push(record);
    }

    /// A trail of one entry.
    pub fn of(record: Record) -> Self {
        Trail { records: vec![record] }
    }

    pub fn is_empty(&self) -> bool {
        self.records.is_empty()
    }
}
