use actix_web::{HttpResponse, get, patch, post, web};
use diesel::prelude::*;
use utoipa_actix_web::service_config::ServiceConfig;
use validator::Validate;

use super::models::{NewUser, User, UserChanges};
use super::queries;
use crate::audit::{self, Action, Outcome};
use crate::auth::extractor::{AdminOnly, CcasOrAdmin};
use crate::auth::secrets::hash_password;
use crate::auth::{Authorized, Caller};
use crate::db::schema::users;
use crate::error::{ApiError, ApiResult};
use crate::http::extract::Query;
use crate::http::pagination::{Cursor, Page, PageParams};
use crate::openapi::{AuthErrors, BodyErrors, ConflictError, NotFoundError, QueryErrors};
use crate::organisations::queries as organisations;
use crate::state::AppState;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_users).service(create_user).service(update_user).service(list_coordinators);
}

/// A coordinator of the CCAS, to put in charge of a file or book an appointment with.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct Coordinator {
    pub id: String,
    #[schema(example = "Claire Martin")]
    pub display_name: String,
}

/// The active coordinators (accounts with the `ccas` scope) of the caller's CCAS, by name.
#[utoipa::path(
    tag = "users",
    responses((status = 200, description = "Success", body = Vec<Coordinator>), AuthErrors),
    security(("oauth2" = ["ccas"]), ("oauth2" = ["admin"]))
)]
#[get("/api/v1/coordinators")]
pub async fn list_coordinators(caller: Authorized<CcasOrAdmin>, state: web::Data<AppState>) -> ApiResult<web::Json<Vec<Coordinator>>> {
    let ccas_id = caller.ccas_id.clone();
    let rows: Vec<(String, String, String)> = state
        .db
        .run(move |conn| {
            Ok(users::table
                .filter(users::organisation_id.eq(ccas_id))
                .filter(users::active.eq(true))
                .order((users::display_name, users::id))
                .select((users::id, users::display_name, users::scopes))
                .load(conn)?)
        })
        .await?;
    let coordinators = rows
        .into_iter()
        .filter(|(_, _, scopes)| scopes.split_whitespace().any(|s| s == "ccas"))
        .map(|(id, display_name, _)| Coordinator { id, display_name })
        .collect();
    Ok(web::Json(coordinators))
}

/// List the accounts of the administrator's CCAS and of its referring organisations.
#[utoipa::path(
    tag = "users",
    params(PageParams),
    responses((status = 200, description = "Success", body = Page<User>), AuthErrors, QueryErrors),
    security(("oauth2" = ["admin"]))
)]
#[get("/api/v1/users")]
pub async fn list_users(
    caller: Authorized<AdminOnly>,
    page: Query<PageParams>,
    state: web::Data<AppState>,
) -> ApiResult<web::Json<Page<User>>> {
    let (limit, after) = (page.limit()?, page.cursor()?);
    let caller: Caller = caller.caller;
    let page = state
        .read(move |conn, trail| {
            let rows = queries::list_tenant(conn, &caller.ccas_id, after, limit)?;
            let page = Page::from_rows(rows, limit, |r| Cursor { key: r.login.clone(), id: r.id.clone() });
            trail.listed(&caller, "user.list", "user", page.items.iter().map(|r| r.id.as_str()));
            Ok(page)
        })
        .await?;
    Ok(web::Json(page.try_map(User::try_from)?))
}

/// Create an account in one of the administrator's organisations. Its owner must replace the
/// password at the first sign-in (`POST /api/v1/auth/password`).
#[utoipa::path(
    tag = "users",
    request_body = NewUser,
    responses((status = 201, description = "Created", body = User), AuthErrors, BodyErrors, ConflictError),
    security(("oauth2" = ["admin"]))
)]
#[post("/api/v1/users")]
pub async fn create_user(caller: Authorized<AdminOnly>, body: web::Json<NewUser>, state: web::Data<AppState>) -> ApiResult<HttpResponse> {
    let body = body.into_inner();
    body.validate()?;
    let password = body.password.clone();
    let hash = web::block(move || hash_password(&password)).await.map_err(ApiError::internal)??;
    let caller: Caller = caller.caller;
    let row = state
        .db
        .transaction(move |conn| {
            let org = organisations::find_in_tenant(conn, &caller.ccas_id, &body.organisation_id)
                .map_err(|_| ApiError::validation("organisation_id", "unknown", "is not an organisation of your CCAS"))?;
            // The administrator chose this password: its owner replaces it at the first sign-in.
            let row = queries::insert(conn, &org, &body.login, &body.display_name, &hash, body.admin, true, caller.at)?;
            audit::record(
                conn,
                &caller,
                Action { action: "user.create", object_type: "user", object_id: Some(&row.id) },
                Outcome::Success,
            )?;
            Ok(row)
        })
        .await?;
    Ok(HttpResponse::Created().json(User::try_from(row)?))
}

/// Rename, reset the password of, or (de)activate an account. A reset revokes the account's
/// live tokens at once, and its owner must choose a new password at the next sign-in.
#[utoipa::path(
    tag = "users",
    params(("id" = String, Path, description = "User id")),
    request_body = UserChanges,
    responses((status = 200, description = "Success", body = User), AuthErrors, BodyErrors, NotFoundError),
    security(("oauth2" = ["admin"]))
)]
#[patch("/api/v1/users/{id}")]
pub async fn update_user(
    caller: Authorized<AdminOnly>,
    id: web::Path<String>,
    body: web::Json<UserChanges>,
    state: web::Data<AppState>,
) -> ApiResult<web::Json<User>> {
    let changes = body.into_inner();
    changes.validate()?;
    let hash = match changes.password.clone() {
        Some(password) => Some(web::block(move || hash_password(&password)).await.map_err(ApiError::internal)??),
        None => None,
    };
    let caller: Caller = caller.caller;
    let row = state
        .db
        .transaction(move |conn| {
            let row = queries::find_in_tenant(conn, &caller.ccas_id, &id)?;
            let target = users::table.find(&row.id);
            let what = |action| Action { action, object_type: "user", object_id: Some(&row.id) };
            if let Some(name) = &changes.display_name {
                diesel::update(target).set(users::display_name.eq(name)).execute(conn)?;
                audit::record(conn, &caller, what("user.rename"), Outcome::Success)?;
            }
            if let Some(hash) = &hash {
                // The account's live tokens stop working now, and its owner chooses a new
                // password at the next sign-in.
                queries::set_password(conn, &row.id, hash, false)?;
                audit::record(conn, &caller, what("user.password_reset"), Outcome::Success)?;
            }
            if let Some(active) = changes.active {
                diesel::update(target).set(users::active.eq(active)).execute(conn)?;
                audit::record(conn, &caller, what(if active { "user.activate" } else { "user.deactivate" }), Outcome::Success)?;
            }
            queries::find_in_tenant(conn, &caller.ccas_id, &row.id)
        })
        .await?;
    Ok(web::Json(User::try_from(row)?))
}
