//! The audit trail: who read or wrote what, and when. Ids only, never a name or a note, so the
//! trail itself holds no personal data beyond pseudonymous ids.

mod handlers;

use chrono::Utc;
use diesel::prelude::*;

use crate::auth::Caller;
use crate::db::DbConnection;
use crate::db::schema::audit_events;
use crate::error::ApiResult;

pub use handlers::configure;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Success,
    /// The object exists elsewhere or not at all; the caller was told 404.
    NotFound,
}

impl Outcome {
    fn as_str(self) -> &'static str {
        match self {
            Outcome::Success => "success",
            Outcome::NotFound => "not_found",
        }
    }
}

/// What was done to which object, e.g. `("referral.read", "referral", Some(id))`.
pub struct Action<'a> {
    pub action: &'static str,
    pub object_type: &'static str,
    pub object_id: Option<&'a str>,
}

/// Records a read, successful or not (a 404 may be someone probing), and passes its result on.
pub fn read<T>(conn: &mut DbConnection, caller: &Caller, what: Action<'_>, found: ApiResult<T>) -> ApiResult<ApiResult<T>> {
    let outcome = if found.is_ok() { Outcome::Success } else { Outcome::NotFound };
    record(conn, caller, what, outcome)?;
    Ok(found)
}

/// Records one event on `conn`: call it inside the transaction of the write it describes.
pub fn record(conn: &mut DbConnection, caller: &Caller, what: Action<'_>, outcome: Outcome) -> QueryResult<()> {
    diesel::insert_into(audit_events::table)
        .values((
            audit_events::id.eq(uuid::Uuid::new_v4().to_string()),
            audit_events::at.eq(Utc::now().naive_utc()),
            audit_events::actor_sub.eq(&caller.sub),
            audit_events::organisation_id.eq(&caller.org_id),
            audit_events::scope.eq(caller.scope_list()),
            audit_events::action.eq(what.action),
            audit_events::object_type.eq(what.object_type),
            audit_events::object_id.eq(what.object_id),
            audit_events::outcome.eq(outcome.as_str()),
        ))
        .execute(conn)?;
    Ok(())
}
