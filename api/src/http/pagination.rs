//! Keyset pagination: an opaque cursor holds the sort key and id of the last row served, so
//! pages stay stable while rows are added, and each page is an index range scan.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::error::ApiError;

pub const DEFAULT_LIMIT: i64 = 50;
pub const MAX_LIMIT: i64 = 200;

/// The longest sort key or id a cursor of this API holds (a folded name, a time, a UUID).
const MAX_KEY_BYTES: usize = 512;

/// Paging parameters of every list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct PageParams {
    /// Page size, 1 to 200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<i64>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

/// Where the previous page ended.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Cursor {
    pub key: String,
    pub id: String,
}

impl PageParams {
    pub fn limit(&self) -> Result<i64, ApiError> {
        match self.limit {
            None => Ok(DEFAULT_LIMIT),
            Some(n) if (1..=MAX_LIMIT).contains(&n) => Ok(n),
            Some(_) => Err(ApiError::validation("limit", "range", "must be between 1 and 200")),
        }
    }

    pub fn cursor(&self) -> Result<Option<Cursor>, ApiError> {
        self.cursor.as_deref().map(Cursor::decode).transpose()
    }

    /// The cursor of a list ordered by a time column, then by id.
    pub fn time_cursor(&self) -> Result<Option<(chrono::NaiveDateTime, String)>, ApiError> {
        self.cursor()?.map(|c| Ok((crate::time::parse_cursor_time(&c.key)?, c.id))).transpose()
    }
}

impl Cursor {
    pub fn encode(&self) -> String {
        URL_SAFE_NO_PAD.encode(serde_json::to_vec(self).unwrap_or_default())
    }

    /// What a cursor decodes to is input too: it goes through the checks of every other text
    /// (no control or invisible character: PostgreSQL refuses a NUL that SQLite would store),
    /// and a key or id longer than any this API makes is no cursor of its.
    pub fn decode(raw: &str) -> Result<Self, ApiError> {
        let not_ours = || ApiError::validation("cursor", "invalid", "is not a cursor from this list");
        let cursor: Cursor = URL_SAFE_NO_PAD.decode(raw).ok().and_then(|bytes| serde_json::from_slice(&bytes).ok()).ok_or_else(not_ours)?;
        if let Some(refused) = super::input::refusal("cursor", &format!("{}{}", cursor.key, cursor.id), false) {
            return Err(ApiError::Validation(vec![refused]));
        }
        if cursor.key.len() > MAX_KEY_BYTES || cursor.id.len() > MAX_KEY_BYTES {
            return Err(not_ours());
        }
        Ok(cursor)
    }
}

/// One page of a list.
#[derive(Debug, Serialize, ToSchema)]
pub struct Page<T> {
    pub items: Vec<T>,
    /// Pass as `cursor` to get the next page; absent on the last page.
    pub next_cursor: Option<String>,
}

impl<T> Page<T> {
    /// Builds a page from `limit + 1` fetched rows: the extra row only says there is more.
    pub fn from_rows(mut rows: Vec<T>, limit: i64, cursor_of: impl Fn(&T) -> Cursor) -> Self {
        let has_more = rows.len() as i64 > limit;
        rows.truncate(limit.max(0) as usize);
        let next_cursor = if has_more { rows.last().map(|r| cursor_of(r).encode()) } else { None };
        Page { items: rows, next_cursor }
    }

    /// Turns the page's rows into their views, all at once (views load details in batches).
    pub fn map_items<U>(self, view: impl FnOnce(Vec<T>) -> Result<Vec<U>, ApiError>) -> Result<Page<U>, ApiError> {
        Ok(Page { items: view(self.items)?, next_cursor: self.next_cursor })
    }

    /// Turns each row into its view.
    pub fn try_map<U>(self, view: impl FnMut(T) -> Result<U, ApiError>) -> Result<Page<U>, ApiError> {
        self.map_items(|items| items.into_iter().map(view).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_reject_garbage() {
        let c = Cursor { key: "2026-01-01T00:00:00Z".into(), id: "abc".into() };
        assert_eq!(Cursor::decode(&c.encode()).ok(), Some(c));
        assert!(Cursor::decode("not a cursor").is_err());
    }

    #[test]
    fn a_page_says_whether_more_rows_follow() {
        let page: Page<i64> = Page::from_rows(vec![1, 2, 3], 2, |r| Cursor { key: r.to_string(), id: String::new() });
        assert_eq!(page.items, vec![1, 2]);
        assert!(page.next_cursor.is_some());
        let last: Page<i64> = Page::from_rows(vec![1], 2, |r| Cursor { key: r.to_string(), id: String::new() });
        assert!(last.next_cursor.is_none());
    }
}
