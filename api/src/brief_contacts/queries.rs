use std::collections::HashMap;

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::models::{BriefContact, BriefContactFilter, BriefContactRow, NewBriefContact};
use crate::db::DbConnection;
use crate::db::schema::{brief_contact_problem_types, brief_contacts};
use crate::error::{ApiError, ApiResult};
use crate::http::pagination::{Cursor, Page};
use crate::partners::models::PartnerKind;
use crate::referrals::models::{ContactChannel, Source};
use crate::time::utc;

pub fn insert(
    conn: &mut DbConnection,
    ccas_id: &str,
    by: &str,
    at: NaiveDateTime,
    input: &NewBriefContact,
    now: NaiveDateTime,
) -> ApiResult<String> {
    crate::reference::check_problem_types(conn, "problem_types", &input.problem_types)?;
    let id = uuid::Uuid::new_v4().to_string();
    diesel::insert_into(brief_contacts::table)
        .values((
            brief_contacts::id.eq(&id),
            brief_contacts::ccas_id.eq(ccas_id),
            brief_contacts::occurred_at.eq(at),
            brief_contacts::channel.eq(input.channel.as_str()),
            brief_contacts::origin.eq(input.origin.as_str()),
            brief_contacts::partner_kind.eq(input.partner_kind.map(PartnerKind::as_str)),
            brief_contacts::duration_minutes.eq(input.duration_minutes),
            brief_contacts::created_by.eq(by),
            brief_contacts::created_at.eq(now),
        ))
        .execute(conn)?;
    let mut types = input.problem_types.clone();
    types.sort();
    types.dedup();
    for code in types {
        diesel::insert_into(brief_contact_problem_types::table)
            .values((brief_contact_problem_types::brief_contact_id.eq(&id), brief_contact_problem_types::problem_type.eq(code)))
            .execute(conn)?;
    }
    Ok(id)
}

pub fn find(conn: &mut DbConnection, ccas_id: &str, id: &str) -> ApiResult<BriefContact> {
    let row = brief_contacts::table
        .filter(brief_contacts::id.eq(id))
        .filter(brief_contacts::ccas_id.eq(ccas_id))
        .select(BriefContactRow::as_select())
        .first(conn)?;
    views(conn, vec![row])?.pop().ok_or(ApiError::NotFound)
}

/// A page of the CCAS's brief contacts, most recent first.
pub fn list(
    conn: &mut DbConnection,
    ccas_id: &str,
    filter: &BriefContactFilter,
    after: Option<(NaiveDateTime, String)>,
    limit: i64,
) -> ApiResult<Page<BriefContact>> {
    let mut query = brief_contacts::table
        .filter(brief_contacts::ccas_id.eq(ccas_id))
        .select(BriefContactRow::as_select())
        .order((brief_contacts::occurred_at.desc(), brief_contacts::id.desc()))
        .limit(limit + 1)
        .into_boxed();
    if let Some(from) = filter.from {
        query = query.filter(brief_contacts::occurred_at.ge(from.naive_utc()));
    }
    if let Some(to) = filter.to {
        query = query.filter(brief_contacts::occurred_at.lt(to.naive_utc()));
    }
    if let Some((at, id)) = after {
        query = query.filter(brief_contacts::occurred_at.lt(at).or(brief_contacts::occurred_at.eq(at).and(brief_contacts::id.lt(id))));
    }
    let rows: Vec<BriefContactRow> = query.load(conn)?;
    let page = Page::from_rows(rows, limit, |r| Cursor { key: utc(r.occurred_at).to_rfc3339(), id: r.id.clone() });
    page.map_items(|rows| views(conn, rows))
}

/// Rows with their problem types: one query for all of them.
fn views(conn: &mut DbConnection, rows: Vec<BriefContactRow>) -> ApiResult<Vec<BriefContact>> {
    let ids: Vec<&str> = rows.iter().map(|r| r.id.as_str()).collect();
    let mut types: HashMap<String, Vec<String>> = HashMap::new();
    for (id, code) in brief_contact_problem_types::table
        .filter(brief_contact_problem_types::brief_contact_id.eq_any(&ids))
        .order(brief_contact_problem_types::problem_type)
        .select((brief_contact_problem_types::brief_contact_id, brief_contact_problem_types::problem_type))
        .load::<(String, String)>(conn)?
    {
        types.entry(id).or_default().push(code);
    }
    rows.into_iter()
        .map(|r| {
            Ok(BriefContact {
                channel: ContactChannel::parse(&r.channel)?,
                origin: Source::parse(&r.origin)?,
                partner_kind: r
                    .partner_kind
                    .as_deref()
                    .map(|k| PartnerKind::parse(k).ok_or_else(|| ApiError::internal("partner kind")))
                    .transpose()?,
                problem_types: types.remove(&r.id).unwrap_or_default(),
                id: r.id,
                occurred_at: r.occurred_at,
                duration_minutes: r.duration_minutes,
            })
        })
        .collect()
}
