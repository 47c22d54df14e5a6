use std::collections::HashMap;

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use super::hours::{OpeningRange, Weekday, format_minute};
use crate::db::DbConnection;
use crate::db::schema::{site_opening_hours, sites};
use crate::error::{ApiError, ApiResult};
use crate::http::pagination::Cursor;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = sites)]
pub struct SiteRow {
    pub id: String,
    pub ccas_id: String,
    pub name: String,
    pub address: Option<String>,
    pub commune: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// A site where coordinators receive people.
#[derive(Debug, Serialize, ToSchema)]
pub struct Site {
    pub id: String,
    pub ccas_id: String,
    #[schema(example = "Brigade de Villefontaine")]
    pub name: String,
    pub address: Option<String>,
    pub commune: Option<String>,
    /// Weekly opening ranges, Europe/Paris local time.
    pub opening_hours: Vec<OpeningRange>,
    #[serde(with = "crate::time::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub created_at: NaiveDateTime,
    #[serde(with = "crate::time::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub updated_at: NaiveDateTime,
}

/// A site's description, for creation and full replacement.
#[derive(Debug, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "name": "Brigade de Villefontaine",
    "address": "1 rue de la Gendarmerie",
    "commune": "Villefontaine",
    "opening_hours": [{"weekday": "monday", "opens": "09:00", "closes": "17:00"}]
}))]
pub struct SiteInput {
    #[validate(length(min = 1, max = 200))]
    #[schema(min_length = 1, max_length = 200)]
    pub name: String,
    #[validate(length(max = 500))]
    #[schema(max_length = 500)]
    pub address: Option<String>,
    #[validate(length(max = 200))]
    #[schema(max_length = 200)]
    pub commune: Option<String>,
    /// Absent: Monday to Friday 9:00–17:00 and Saturday 9:00–12:00.
    #[validate(length(max = 50))]
    #[schema(max_items = 50)]
    pub opening_hours: Option<Vec<OpeningRange>>,
}

/// Inserts a new site with its opening hours (`week` as parsed by `hours::parse_week`).
pub fn insert(conn: &mut DbConnection, row: &SiteRow, week: &[(i32, i32, i32)]) -> ApiResult<()> {
    diesel::insert_into(sites::table)
        .values((
            sites::id.eq(&row.id),
            sites::ccas_id.eq(&row.ccas_id),
            sites::name.eq(&row.name),
            sites::address.eq(&row.address),
            sites::commune.eq(&row.commune),
            sites::created_at.eq(row.created_at),
            sites::updated_at.eq(row.updated_at),
        ))
        .execute(conn)?;
    replace_hours(conn, &row.id, week)
}

/// Replaces a site's description and opening hours.
pub fn update(conn: &mut DbConnection, row: &SiteRow, week: &[(i32, i32, i32)]) -> ApiResult<()> {
    diesel::update(sites::table.find(&row.id))
        .set((
            sites::name.eq(&row.name),
            sites::address.eq(&row.address),
            sites::commune.eq(&row.commune),
            sites::updated_at.eq(row.updated_at),
        ))
        .execute(conn)?;
    replace_hours(conn, &row.id, week)
}

fn replace_hours(conn: &mut DbConnection, site_id: &str, week: &[(i32, i32, i32)]) -> ApiResult<()> {
    diesel::delete(site_opening_hours::table.filter(site_opening_hours::site_id.eq(site_id))).execute(conn)?;
    for (weekday, opens, closes) in week {
        diesel::insert_into(site_opening_hours::table)
            .values((
                site_opening_hours::site_id.eq(site_id),
                site_opening_hours::weekday.eq(weekday),
                site_opening_hours::opens_minute.eq(opens),
                site_opening_hours::closes_minute.eq(closes),
            ))
            .execute(conn)?;
    }
    Ok(())
}

pub fn find(conn: &mut DbConnection, ccas_id: &str, id: &str) -> ApiResult<SiteRow> {
    sites::table
        .filter(sites::id.eq(id))
        .filter(sites::ccas_id.eq(ccas_id))
        .select(SiteRow::as_select())
        .first(conn)
        .map_err(ApiError::from)
}

pub fn list(conn: &mut DbConnection, ccas_id: &str, after: Option<Cursor>, limit: i64) -> ApiResult<Vec<SiteRow>> {
    let mut query = sites::table
        .filter(sites::ccas_id.eq(ccas_id))
        .select(SiteRow::as_select())
        .order((sites::name, sites::id))
        .limit(limit + 1)
        .into_boxed();
    if let Some(Cursor { key, id }) = after {
        query = query.filter(sites::name.gt(key.clone()).or(sites::name.eq(key).and(sites::id.gt(id))));
    }
    Ok(query.load(conn)?)
}

/// Attaches their opening hours to sites, with one query for all of them.
pub fn with_hours(conn: &mut DbConnection, rows: Vec<SiteRow>) -> ApiResult<Vec<Site>> {
    let ids: Vec<&str> = rows.iter().map(|r| r.id.as_str()).collect();
    let ranges: Vec<(String, i32, i32, i32)> = site_opening_hours::table
        .filter(site_opening_hours::site_id.eq_any(&ids))
        .select((
            site_opening_hours::site_id,
            site_opening_hours::weekday,
            site_opening_hours::opens_minute,
            site_opening_hours::closes_minute,
        ))
        .order((site_opening_hours::weekday, site_opening_hours::opens_minute))
        .load(conn)?;
    let mut by_site: HashMap<String, Vec<OpeningRange>> = HashMap::new();
    for (site_id, weekday, opens, closes) in ranges {
        let weekday = Weekday::from_number(weekday).ok_or_else(|| ApiError::internal("stored weekday out of range"))?;
        by_site.entry(site_id).or_default().push(OpeningRange { weekday, opens: format_minute(opens), closes: format_minute(closes) });
    }
    Ok(rows
        .into_iter()
        .map(|r| Site {
            opening_hours: by_site.remove(&r.id).unwrap_or_default(),
            id: r.id,
            ccas_id: r.ccas_id,
            name: r.name,
            address: r.address,
            commune: r.commune,
            created_at: r.created_at,
            updated_at: r.updated_at,
        })
        .collect())
}
