use diesel::prelude::*;

use super::models::UserRow;
use crate::auth::scope::join_scopes;
use crate::auth::{OrgKind, Scope};
use crate::db::DbConnection;
use crate::db::schema::users;
use crate::error::{ApiError, ApiResult};
use crate::http::pagination::Cursor;
use crate::organisations::models::OrganisationRow;
use crate::organisations::queries::tenant_organisation_ids;

/// The scopes of a new account: its organisation's working scope, plus `admin` on request.
pub fn scopes_for(org: &OrganisationRow, admin: bool) -> ApiResult<Vec<Scope>> {
    let kind: OrgKind = org.kind.parse().map_err(ApiError::internal)?;
    if admin && kind != OrgKind::Ccas {
        return Err(ApiError::validation("admin", "invalid", "only CCAS accounts can be administrators"));
    }
    let mut scopes = vec![kind.working_scope()];
    if admin {
        scopes.push(Scope::Admin);
    }
    Ok(scopes)
}

#[expect(clippy::too_many_arguments, reason = "each is a column of the new account, named at the call site (CLI, administration, demo)")]
pub fn insert(
    conn: &mut DbConnection,
    org: &OrganisationRow,
    login: &str,
    display_name: &str,
    password_hash: &str,
    admin: bool,
    must_change_password: bool,
    now: chrono::NaiveDateTime,
) -> ApiResult<UserRow> {
    let row = UserRow {
        id: uuid::Uuid::new_v4().to_string(),
        organisation_id: org.id.clone(),
        login: login.to_owned(),
        display_name: display_name.to_owned(),
        scopes: join_scopes(&scopes_for(org, admin)?),
        active: true,
        created_at: now,
    };
    let taken = diesel::select(diesel::dsl::exists(users::table.filter(users::login.eq(login)))).get_result::<bool>(conn)?;
    if taken {
        return Err(ApiError::Conflict { code: "login_taken", detail: "This login is already taken".into() });
    }
    diesel::insert_into(users::table)
        .values((
            users::id.eq(&row.id),
            users::organisation_id.eq(&row.organisation_id),
            users::login.eq(&row.login),
            users::display_name.eq(&row.display_name),
            users::password_hash.eq(password_hash),
            users::scopes.eq(&row.scopes),
            users::active.eq(true),
            users::created_at.eq(row.created_at),
            users::must_change_password.eq(must_change_password),
        ))
        .execute(conn)?;
    Ok(row)
}

/// Sets a new password hash and revokes every token issued under the old one. `chosen_by_owner`
/// says whether the account's owner chose it; one set by an administrator must be changed at
/// the next sign-in.
pub fn set_password(conn: &mut DbConnection, user_id: &str, password_hash: &str, chosen_by_owner: bool) -> ApiResult<()> {
    diesel::update(users::table.find(user_id))
        .set((
            users::password_hash.eq(password_hash),
            users::credentials_version.eq(users::credentials_version + 1),
            users::must_change_password.eq(!chosen_by_owner),
        ))
        .execute(conn)?;
    Ok(())
}

pub fn find_in_tenant(conn: &mut DbConnection, ccas_id: &str, id: &str) -> ApiResult<UserRow> {
    users::table
        .filter(users::id.eq(id))
        .filter(users::organisation_id.eq_any(tenant_organisation_ids(conn, ccas_id)?))
        .select(UserRow::as_select())
        .first(conn)
        .map_err(ApiError::from)
}

pub fn list_tenant(conn: &mut DbConnection, ccas_id: &str, after: Option<Cursor>, limit: i64) -> ApiResult<Vec<UserRow>> {
    let mut query = users::table
        .filter(users::organisation_id.eq_any(tenant_organisation_ids(conn, ccas_id)?))
        .select(UserRow::as_select())
        .order((users::login, users::id))
        .limit(limit + 1)
        .into_boxed();
    if let Some(Cursor { key, id }) = after {
        query = query.filter(users::login.gt(key.clone()).or(users::login.eq(key).and(users::id.gt(id))));
    }
    Ok(query.load(conn)?)
}
