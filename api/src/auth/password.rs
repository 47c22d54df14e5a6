//! `POST /api/v1/auth/password`: a user chooses a new password, with the current one. Required
//! after an administrator set or reset it; open to any user at any time. Every token issued
//! before stops working at once.

use actix_web::{HttpRequest, HttpResponse, post, web};
use serde::Deserialize;
use utoipa::ToSchema;
use validator::Validate;

use super::secrets::hash_password;
use super::throttle::Attempt as Throttled;
use super::token_endpoint::{UserKey, find_user, password_matches, reserve, succeeded, wrong_credentials};
use crate::audit::{self, Action, Outcome, Record};
use crate::error::{ApiError, ApiResult, Problem};
use crate::state::AppState;

const ACTION: &str = "user.password_change";

/// The current credentials and the new password.
#[derive(Debug, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"login": "c.martin", "current_password": "mot de passe provisoire", "new_password": "une phrase de passe à moi"}))]
pub struct PasswordChange {
    #[validate(length(min = 1, max = 64))]
    #[schema(min_length = 1, max_length = 64)]
    pub login: String,
    #[validate(length(min = 1, max = 256))]
    #[schema(min_length = 1, max_length = 256, format = Password)]
    pub current_password: String,
    /// At least 12 characters, different from the current one.
    #[validate(length(min = 12, max = 256))]
    #[schema(min_length = 12, max_length = 256, format = Password)]
    pub new_password: String,
}

/// Change one's password.
///
/// Needs no token (a user whose password an administrator set cannot obtain one before). Wrong
/// credentials answer 400 `invalid_grant` and count towards the sign-in limit (429).
#[utoipa::path(
    tag = "auth",
    request_body = PasswordChange,
    responses(
        (status = 204, description = "Changed; every token issued before is revoked"),
        (status = 400, description = "Malformed request, or wrong credentials (`invalid_grant`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The new password is too short, or the same as the current one", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many failed attempts", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database unavailable", body = Problem, content_type = "application/problem+json"),
    ),
    security(())
)]
#[post("/api/v1/auth/password")]
pub async fn change_password(req: HttpRequest, body: web::Json<PasswordChange>, state: web::Data<AppState>) -> ApiResult<HttpResponse> {
    let body = body.into_inner();
    body.validate()?;
    let from = crate::http::client_address(&req, &state.trusted_proxies);
    let throttled = reserve(&state, Throttled::new(&body.login, from), ACTION).await?;
    let found = find_user(&state, UserKey::Login(body.login.clone())).await?;
    let (account, hash) = found.map_or((None, None), |(account, hash)| (Some(account), Some(hash)));
    let verified = password_matches(&state, body.current_password.clone(), hash).await?;
    let account = match account {
        Some(account) if verified => account,
        account => return Err(wrong_credentials(&state, account.as_ref(), ACTION).await),
    };
    succeeded(&state, throttled).await?;
    if body.new_password == body.current_password {
        return Err(ApiError::validation("new_password", "unchanged", "must differ from the current password"));
    }
    let new_password = body.new_password;
    let new_hash = web::block(move || hash_password(&new_password)).await.map_err(ApiError::internal)??;
    let actor = account.actor(state.clock.now());
    let sub = account.sub.clone();
    state
        .db
        .transaction(move |conn| {
            crate::users::queries::set_password(conn, &sub, &new_hash, true)?;
            let what = Action { action: ACTION, object_type: "user", object_id: Some(&sub) };
            Ok(audit::record_entry(conn, Record::by(actor, what, Outcome::Success))?)
        })
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
