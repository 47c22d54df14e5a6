use std::collections::HashMap;

use diesel::prelude::*;

use super::models::{DirectoryEntry, Partner, PartnerFilter, PartnerInput, PartnerKind, PartnerRow, PublicServed};
use crate::db::DbConnection;
use crate::db::schema::{partner_publics, partner_themes, partners};
use crate::error::{ApiError, ApiResult};
use crate::http::pagination::Cursor;
use crate::text::{contains_pattern, fold};

/// Writes a new or replaced partner with its themes and publics.
pub fn save(
    conn: &mut DbConnection,
    ccas_id: &str,
    id: &str,
    input: &PartnerInput,
    is_new: bool,
    now: chrono::NaiveDateTime,
) -> ApiResult<()> {
    crate::reference::check_problem_types(conn, "themes", &input.themes)?;
    let search_text = fold(&format!("{} {}", input.name, input.commune.as_deref().unwrap_or("")));
    let values = (
        partners::name.eq(&input.name),
        partners::kind.eq(input.kind.as_str()),
        partners::address.eq(&input.address),
        partners::commune.eq(&input.commune),
        partners::phone.eq(&input.phone),
        partners::email.eq(&input.email),
        partners::website.eq(&input.website),
        partners::opening_hours.eq(&input.opening_hours),
        partners::notes.eq(&input.notes),
        partners::active.eq(input.active),
        partners::sort_name.eq(fold(&input.name)),
        partners::search_text.eq(search_text),
        partners::updated_at.eq(now),
    );
    if is_new {
        diesel::insert_into(partners::table)
            .values((values, partners::id.eq(id), partners::ccas_id.eq(ccas_id), partners::created_at.eq(now)))
            .execute(conn)?;
    } else {
        diesel::update(partners::table.find(id)).set((values, partners::version.eq(partners::version + 1))).execute(conn)?;
        diesel::delete(partner_themes::table.filter(partner_themes::partner_id.eq(id))).execute(conn)?;
        diesel::delete(partner_publics::table.filter(partner_publics::partner_id.eq(id))).execute(conn)?;
    }
    let mut themes = input.themes.clone();
    themes.sort();
    themes.dedup();
    for theme in &themes {
        diesel::insert_into(partner_themes::table)
            .values((partner_themes::partner_id.eq(id), partner_themes::problem_type.eq(theme)))
            .execute(conn)?;
    }
    let mut publics: Vec<String> = input.publics.iter().map(|p| p.as_str()).collect();
    publics.sort();
    publics.dedup();
    for public in &publics {
        diesel::insert_into(partner_publics::table)
            .values((partner_publics::partner_id.eq(id), partner_publics::public.eq(public)))
            .execute(conn)?;
    }
    Ok(())
}

pub fn find(conn: &mut DbConnection, ccas_id: &str, id: &str, only_active: bool) -> ApiResult<PartnerRow> {
    let mut query =
        partners::table.filter(partners::id.eq(id)).filter(partners::ccas_id.eq(ccas_id)).select(PartnerRow::as_select()).into_boxed();
    if only_active {
        query = query.filter(partners::active.eq(true));
    }
    query.first(conn).map_err(ApiError::from)
}

/// A page of partners of one CCAS, by folded name.
pub fn list(
    conn: &mut DbConnection,
    ccas_id: &str,
    filter: &PartnerFilter,
    after: Option<Cursor>,
    limit: i64,
) -> ApiResult<Vec<PartnerRow>> {
    let mut query = partners::table
        .filter(partners::ccas_id.eq(ccas_id))
        .filter(partners::active.eq(filter.active.unwrap_or(true)))
        .select(PartnerRow::as_select())
        .order((partners::sort_name, partners::id))
        .limit(limit + 1)
        .into_boxed();
    if let Some(q) = filter.q.as_deref().filter(|q| !q.trim().is_empty()) {
        query = query.filter(partners::search_text.like(contains_pattern(q)).escape('\\'));
    }
    if let Some(kind) = filter.kind {
        query = query.filter(partners::kind.eq(kind.as_str()));
    }
    if let Some(theme) = &filter.theme {
        let with_theme = partner_themes::table.filter(partner_themes::problem_type.eq(theme.clone())).select(partner_themes::partner_id);
        query = query.filter(partners::id.eq_any(with_theme));
    }
    if let Some(Cursor { key, id }) = after {
        query = query.filter(partners::sort_name.gt(key.clone()).or(partners::sort_name.eq(key).and(partners::id.gt(id))));
    }
    Ok(query.load(conn)?)
}

/// Themes and publics of a set of partners, two queries for all of them.
struct Tags {
    themes: HashMap<String, Vec<String>>,
    publics: HashMap<String, Vec<PublicServed>>,
}

fn tags(conn: &mut DbConnection, rows: &[PartnerRow]) -> ApiResult<Tags> {
    let ids: Vec<&str> = rows.iter().map(|r| r.id.as_str()).collect();
    let mut themes: HashMap<String, Vec<String>> = HashMap::new();
    for (id, theme) in partner_themes::table
        .filter(partner_themes::partner_id.eq_any(&ids))
        .select((partner_themes::partner_id, partner_themes::problem_type))
        .order(partner_themes::problem_type)
        .load::<(String, String)>(conn)?
    {
        themes.entry(id).or_default().push(theme);
    }
    let mut publics: HashMap<String, Vec<PublicServed>> = HashMap::new();
    for (id, public) in partner_publics::table
        .filter(partner_publics::partner_id.eq_any(&ids))
        .select((partner_publics::partner_id, partner_publics::public))
        .order(partner_publics::public)
        .load::<(String, String)>(conn)?
    {
        let public = PublicServed::parse(&public).ok_or_else(|| ApiError::internal("unknown stored public"))?;
        publics.entry(id).or_default().push(public);
    }
    Ok(Tags { themes, publics })
}

fn kind_of(row: &PartnerRow) -> ApiResult<PartnerKind> {
    PartnerKind::parse(&row.kind).ok_or_else(|| ApiError::internal("unknown stored partner kind"))
}

pub fn partners_view(conn: &mut DbConnection, rows: Vec<PartnerRow>) -> ApiResult<Vec<Partner>> {
    let mut tags = tags(conn, &rows)?;
    rows.into_iter()
        .map(|r| {
            Ok(Partner {
                kind: kind_of(&r)?,
                themes: tags.themes.remove(&r.id).unwrap_or_default(),
                publics: tags.publics.remove(&r.id).unwrap_or_default(),
                id: r.id,
                name: r.name,
                address: r.address,
                commune: r.commune,
                phone: r.phone,
                email: r.email,
                website: r.website,
                opening_hours: r.opening_hours,
                notes: r.notes,
                active: r.active,
                created_at: r.created_at,
                updated_at: r.updated_at,
                version: r.version,
            })
        })
        .collect()
}

/// The agencies' view: the coordinators' view without notes, state and dates.
pub fn directory_view(conn: &mut DbConnection, rows: Vec<PartnerRow>) -> ApiResult<Vec<DirectoryEntry>> {
    Ok(partners_view(conn, rows)?.into_iter().map(DirectoryEntry::from).collect())
}
