use diesel::prelude::*;

use super::models::OrganisationRow;
use crate::auth::OrgKind;
use crate::db::DbConnection;
use crate::db::schema::organisations;
use crate::error::{ApiError, ApiResult};
use crate::http::pagination::Cursor;

/// The ids of a CCAS and of the organisations that refer to it: an administrator's reach.
/// (A handful of rows; a boxed subquery does not compile through the multi-backend connection.)
pub fn tenant_organisation_ids(conn: &mut DbConnection, ccas_id: &str) -> QueryResult<Vec<String>> {
    organisations::table.filter(organisations::id.eq(ccas_id).or(organisations::ccas_id.eq(ccas_id))).select(organisations::id).load(conn)
}

pub fn insert(
    conn: &mut DbConnection,
    kind: OrgKind,
    name: &str,
    ccas_id: Option<&str>,
    now: chrono::NaiveDateTime,
) -> ApiResult<OrganisationRow> {
    let row = OrganisationRow {
        id: uuid::Uuid::new_v4().to_string(),
        kind: kind.as_str().to_owned(),
        name: name.to_owned(),
        ccas_id: ccas_id.map(str::to_owned),
        active: true,
        created_at: now,
    };
    diesel::insert_into(organisations::table)
        .values((
            organisations::id.eq(&row.id),
            organisations::kind.eq(&row.kind),
            organisations::name.eq(&row.name),
            organisations::ccas_id.eq(&row.ccas_id),
            organisations::active.eq(row.active),
            organisations::created_at.eq(row.created_at),
        ))
        .execute(conn)?;
    Ok(row)
}

/// An organisation within the CCAS `ccas_id`'s reach, or 404.
pub fn find_in_tenant(conn: &mut DbConnection, ccas_id: &str, id: &str) -> ApiResult<OrganisationRow> {
    organisations::table
        .filter(organisations::id.eq(id))
        .filter(organisations::id.eq(ccas_id).or(organisations::ccas_id.eq(ccas_id)))
        .select(OrganisationRow::as_select())
        .first(conn)
        .map_err(ApiError::from)
}

pub fn find(conn: &mut DbConnection, id: &str) -> ApiResult<OrganisationRow> {
    organisations::table.find(id).select(OrganisationRow::as_select()).first(conn).map_err(ApiError::from)
}

pub fn list_tenant(conn: &mut DbConnection, ccas_id: &str, after: Option<Cursor>, limit: i64) -> ApiResult<Vec<OrganisationRow>> {
    let mut query = organisations::table
        .filter(organisations::id.eq(ccas_id).or(organisations::ccas_id.eq(ccas_id)))
        .select(OrganisationRow::as_select())
        .order((organisations::name, organisations::id))
        .limit(limit + 1)
        .into_boxed();
    if let Some(Cursor { key, id }) = after {
        query = query.filter(organisations::name.gt(key.clone()).or(organisations::name.eq(key).and(organisations::id.gt(id))));
    }
    Ok(query.load(conn)?)
}
