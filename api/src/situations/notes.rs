//! Confidential notes on a file: append-only, with author and time. A correction is a new
//! note naming the one it corrects; a private note is seen by its author only.

use actix_web::{HttpResponse, get, post, web};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;
use validator::Validate;

use super::queries;
use crate::audit::{self, Action, Outcome};
use crate::auth::extractor::CcasOnly;
use crate::auth::{Authorized, Caller};
use crate::db::DbConnection;
use crate::db::schema::notes;
use crate::error::{ApiError, ApiResult};
use crate::http::extract::Query;
use crate::http::pagination::{Cursor, Page, PageParams};
use crate::openapi::{AuthErrors, BodyErrors, ConflictError, NotFoundError, QueryErrors};
use crate::state::AppState;
use crate::time::utc;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_notes).service(add_note);
}

/// A note.
#[derive(Debug, Serialize, ToSchema, Queryable, Selectable)]
#[diesel(table_name = notes)]
pub struct Note {
    pub id: String,
    /// The token subject of its author.
    pub author_id: String,
    pub body: String,
    /// Seen by its author only.
    pub private: bool,
    /// The note this one corrects.
    pub corrects_id: Option<String>,
    #[serde(with = "crate::time::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub created_at: NaiveDateTime,
}

/// A note to add.
#[derive(Debug, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"body": "Premier entretien : Mme souhaite être orientée vers une avocate.", "private": false}))]
pub struct NewNote {
    #[validate(length(min = 1, max = 10000))]
    #[schema(min_length = 1, max_length = 10000)]
    pub body: String,
    #[serde(default)]
    pub private: bool,
    /// A note of the same file that this one corrects (notes are never edited).
    pub corrects_id: Option<String>,
}

/// Notes the caller may read: everyone's shared notes and their own private ones.
fn visible(situation_id: &str, caller: &Caller) -> notes::BoxedQuery<'static, <DbConnection as Connection>::Backend> {
    notes::table
        .filter(notes::situation_id.eq(situation_id.to_owned()))
        .filter(notes::private.eq(false).or(notes::author_id.eq(caller.sub.clone())))
        .into_boxed()
}

/// List the notes of a file the caller may read, oldest first.
#[utoipa::path(
    tag = "situations",
    params(("id" = String, Path, description = "Situation id"), PageParams),
    responses((status = 200, description = "Success", body = Page<Note>), AuthErrors, NotFoundError, QueryErrors),
    security(("oauth2" = ["ccas"]))
)]
#[get("/api/v1/situations/{id}/notes")]
pub async fn list_notes(
    caller: Authorized<CcasOnly>,
    id: web::Path<String>,
    page: Query<PageParams>,
    state: web::Data<AppState>,
) -> ApiResult<web::Json<Page<Note>>> {
    let limit = page.limit()?;
    let after = page.time_cursor()?;
    let caller: Caller = caller.caller;
    let id = id.into_inner();
    let page = state
        .read(move |conn, trail| {
            let found = queries::find_row(conn, &caller.ccas_id, &id);
            trail.read(&caller, Action { action: "note.list", object_type: "situation", object_id: Some(&id) }, found)?;
            let mut query = visible(&id, &caller).order((notes::created_at, notes::id)).limit(limit + 1);
            if let Some((at, note_id)) = after {
                query = query.filter(notes::created_at.gt(at).or(notes::created_at.eq(at).and(notes::id.gt(note_id))));
            }
            let rows: Vec<Note> = query.select(Note::as_select()).load(conn)?;
            Ok(Page::from_rows(rows, limit, |n| Cursor { key: utc(n.created_at).to_rfc3339(), id: n.id.clone() }))
        })
        .await?;
    Ok(web::Json(page))
}

/// Adds a note to the file `id` (known to be within the caller's reach).
pub fn insert(conn: &mut DbConnection, caller: &Caller, id: &str, input: NewNote) -> ApiResult<Note> {
    if let Some(corrected) = &input.corrects_id {
        let exists = visible(id, caller).filter(notes::id.eq(corrected.clone())).select(notes::id).first::<String>(conn).optional()?;
        if exists.is_none() {
            return Err(ApiError::validation("corrects_id", "unknown", "is not a note of this situation"));
        }
    }
    let note = Note {
        id: uuid::Uuid::new_v4().to_string(),
        author_id: caller.sub.clone(),
        body: input.body,
        private: input.private,
        corrects_id: input.corrects_id,
        created_at: caller.at,
    };
    diesel::insert_into(notes::table)
        .values((
            notes::id.eq(&note.id),
            notes::situation_id.eq(id),
            notes::author_id.eq(&note.author_id),
            notes::body.eq(&note.body),
            notes::private.eq(note.private),
            notes::corrects_id.eq(&note.corrects_id),
            notes::created_at.eq(note.created_at),
        ))
        .execute(conn)?;
    Ok(note)
}

/// Add a note to a file.
#[utoipa::path(
    tag = "situations",
    params(("id" = String, Path, description = "Situation id")),
    request_body = NewNote,
    responses((status = 201, description = "Created", body = Note), AuthErrors, BodyErrors, NotFoundError, ConflictError),
    security(("oauth2" = ["ccas"]))
)]
#[post("/api/v1/situations/{id}/notes")]
pub async fn add_note(
    caller: Authorized<CcasOnly>,
    id: web::Path<String>,
    body: web::Json<NewNote>,
    state: web::Data<AppState>,
) -> ApiResult<HttpResponse> {
    let input = body.into_inner();
    input.validate()?;
    let caller: Caller = caller.caller;
    let id = id.into_inner();
    let note = state
        .db
        .transaction(move |conn| {
            queries::find_open(conn, &caller.ccas_id, &id)?;
            let note = insert(conn, &caller, &id, input)?;
            audit::record(
                conn,
                &caller,
                Action { action: "note.create", object_type: "note", object_id: Some(&note.id) },
                Outcome::Success,
            )?;
            Ok(note)
        })
        .await?;
    Ok(HttpResponse::Created().json(note))
}
