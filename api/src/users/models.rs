use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use crate::auth::Scope;
use crate::auth::scope::parse_scopes;
use crate::db::schema::users;
use crate::error::ApiError;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = users)]
pub struct UserRow {
    pub id: String,
    pub organisation_id: String,
    pub login: String,
    pub display_name: String,
    pub scopes: String,
    pub active: bool,
    pub created_at: NaiveDateTime,
}

/// A user account (never its password hash).
#[derive(Debug, Serialize, ToSchema)]
pub struct User {
    pub id: String,
    pub organisation_id: String,
    #[schema(example = "c.martin")]
    pub login: String,
    #[schema(example = "Claire Martin")]
    pub display_name: String,
    /// Scopes the account's tokens receive.
    pub scopes: Vec<Scope>,
    pub active: bool,
    #[serde(with = "crate::time::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub created_at: NaiveDateTime,
}

impl TryFrom<UserRow> for User {
    type Error = ApiError;
    fn try_from(row: UserRow) -> Result<Self, ApiError> {
        Ok(User {
            scopes: parse_scopes(&row.scopes).map_err(ApiError::internal)?,
            id: row.id,
            organisation_id: row.organisation_id,
            login: row.login,
            display_name: row.display_name,
            active: row.active,
            created_at: row.created_at,
        })
    }
}

/// A new account in one of the administrator's organisations.
#[derive(Debug, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "organisation_id": "00000000-0000-4000-8000-000000000001",
    "login": "c.martin",
    "display_name": "Claire Martin",
    "password": "une phrase de passe longue",
    "admin": false
}))]
pub struct NewUser {
    pub organisation_id: String,
    /// Letters, digits, `.`, `-`, `_`, `@`; 3 to 64 characters.
    #[validate(length(min = 3, max = 64), custom(function = "crate::users::models::check_login"))]
    #[schema(min_length = 3, max_length = 64, pattern = "^[A-Za-z0-9._@-]+$")]
    pub login: String,
    #[validate(length(min = 1, max = 200))]
    #[schema(min_length = 1, max_length = 200)]
    pub display_name: String,
    /// At least 12 characters.
    #[validate(length(min = 12, max = 256))]
    #[schema(min_length = 12, max_length = 256, format = Password)]
    pub password: String,
    /// Also grant the `admin` scope (CCAS accounts only).
    #[serde(default)]
    pub admin: bool,
}

/// Changes to an account; absent fields stay as they are.
#[derive(Debug, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"active": false}))]
pub struct UserChanges {
    #[validate(length(min = 1, max = 200))]
    #[schema(min_length = 1, max_length = 200)]
    pub display_name: Option<String>,
    #[validate(length(min = 12, max = 256))]
    #[schema(min_length = 12, max_length = 256, format = Password)]
    pub password: Option<String>,
    /// A deactivated account cannot sign in.
    pub active: Option<bool>,
}

pub fn check_login(login: &str) -> Result<(), validator::ValidationError> {
    if login.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | '@')) {
        Ok(())
    } else {
        Err(validator::ValidationError::new("charset").with_message("may only hold letters, digits, '.', '-', '_' and '@'".into()))
    }
}
