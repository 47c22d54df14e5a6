use chrono::{Datelike, NaiveDateTime};
use diesel::prelude::*;

use super::identity::{lookalike_key, name_key, phone_key, search_text};
use super::models::{Person, PersonFilter, PersonInput, PersonRow};
use crate::db::DbConnection;
use crate::db::schema::persons;
use crate::error::{ApiError, ApiResult};
use crate::http::pagination::Cursor;
use crate::search::{persons_with_prefix, query_words};
use crate::vocabulary::{SafeContact, Safety, Sex};

pub fn view(row: PersonRow) -> ApiResult<Person> {
    Ok(Person {
        sex: row.sex.as_deref().map(Sex::parse).transpose()?,
        safe_contact: SafeContact {
            call: Safety::parse(&row.safe_to_call)?,
            text: Safety::parse(&row.safe_to_text)?,
            write: Safety::parse(&row.safe_to_write)?,
            note: row.safe_contact_note,
        },
        id: row.id,
        last_name: row.last_name,
        first_name: row.first_name,
        birth_date: row.birth_date,
        birth_year: row.birth_year,
        phone: row.phone,
        email: row.email,
        address: row.address,
        commune: row.commune,
        version: row.version,
        created_at: row.created_at,
        updated_at: row.updated_at,
    })
}

/// The input a person was created from, to apply a merge patch onto.
pub fn as_input(person: &Person) -> PersonInput {
    PersonInput {
        last_name: person.last_name.clone(),
        first_name: person.first_name.clone(),
        birth_date: person.birth_date,
        birth_year: person.birth_year,
        sex: person.sex,
        phone: person.phone.clone(),
        email: person.email.clone(),
        address: person.address.clone(),
        commune: person.commune.clone(),
        safe_contact: person.safe_contact.clone(),
        confirm_distinct: false,
    }
}

pub fn find(conn: &mut DbConnection, ccas_id: &str, id: &str) -> ApiResult<PersonRow> {
    persons::table
        .filter(persons::id.eq(id))
        .filter(persons::ccas_id.eq(ccas_id))
        .select(PersonRow::as_select())
        .first(conn)
        .map_err(ApiError::from)
}

/// Persons of the CCAS that may be the same as `input`: names that look the same (ignoring
/// accents, case and look-alike letters of other scripts) with a compatible birth date, or the
/// same phone number however it was written.
pub fn look_alikes(conn: &mut DbConnection, ccas_id: &str, input: &PersonInput) -> ApiResult<Vec<Person>> {
    let key = lookalike_key(input.last_name.as_deref(), input.first_name.as_deref());
    let mut query = persons::table
        .filter(persons::ccas_id.eq(ccas_id))
        .select(PersonRow::as_select())
        .order((persons::name_key, persons::id))
        .limit(20)
        .into_boxed();
    query = match phone_key(input.phone.as_deref()) {
        Some(phone) => query.filter(persons::lookalike_key.eq(key).or(persons::phone_key.eq(phone))),
        None => query.filter(persons::lookalike_key.eq(key)),
    };
    let wanted_phone = phone_key(input.phone.as_deref());
    let rows: Vec<PersonRow> = query.load(conn)?;
    rows.into_iter()
        .filter(|row| {
            let same_phone = wanted_phone.is_some() && phone_key(row.phone.as_deref()) == wanted_phone;
            same_phone || births_compatible(row, input)
        })
        .map(view)
        .collect()
}

/// Same birth date; or the same year when one side knows only the year; or unknown.
fn births_compatible(row: &PersonRow, input: &PersonInput) -> bool {
    let year = |date: Option<chrono::NaiveDate>, year: Option<i32>| date.map(|d| d.year()).or(year);
    match (row.birth_date, input.birth_date) {
        (Some(a), Some(b)) => a == b,
        _ => match (year(row.birth_date, row.birth_year), year(input.birth_date, input.birth_year)) {
            (Some(a), Some(b)) => a == b,
            _ => true,
        },
    }
}

/// Creates a person; 409 with the candidates when look-alikes exist and the input does not
/// confirm a distinct person.
pub fn create(conn: &mut DbConnection, ccas_id: &str, input: &PersonInput, now: NaiveDateTime) -> ApiResult<PersonRow> {
    if !input.confirm_distinct {
        let candidates = look_alikes(conn, ccas_id, input)?;
        if !candidates.is_empty() {
            return Err(ApiError::ConflictWith {
                code: "possible_duplicate",
                detail: "Persons that look the same already exist: use one of them, or confirm a distinct person".into(),
                conflicts: serde_json::to_value(candidates).map_err(ApiError::internal)?,
            });
        }
    }
    let id = uuid::Uuid::new_v4().to_string();
    diesel::insert_into(persons::table)
        .values((
            persons::id.eq(&id),
            persons::ccas_id.eq(ccas_id),
            persons::created_at.eq(now),
            persons::updated_at.eq(now),
            persons::version.eq(1),
            // Set with every other field just below.
            persons::name_key.eq(""),
            persons::search_text.eq(""),
        ))
        .execute(conn)
        .and_then(|_| write_fields(conn, ccas_id, &id, input))?;
    find(conn, ccas_id, &id)
}

fn write_fields(conn: &mut DbConnection, ccas_id: &str, id: &str, input: &PersonInput) -> QueryResult<()> {
    crate::search::index_person(conn, ccas_id, id, input.last_name.as_deref(), input.first_name.as_deref())?;
    diesel::update(persons::table.find(id))
        .set((
            persons::last_name.eq(&input.last_name),
            persons::first_name.eq(&input.first_name),
            persons::birth_date.eq(input.birth_date),
            persons::birth_year.eq(input.birth_year.or(input.birth_date.map(|d| d.year()))),
            persons::sex.eq(input.sex.map(|s| s.as_str())),
            persons::phone.eq(&input.phone),
            persons::email.eq(&input.email),
            persons::address.eq(&input.address),
            persons::commune.eq(&input.commune),
            persons::safe_to_call.eq(input.safe_contact.call.as_str()),
            persons::safe_to_text.eq(input.safe_contact.text.as_str()),
            persons::safe_to_write.eq(input.safe_contact.write.as_str()),
            persons::safe_contact_note.eq(&input.safe_contact.note),
            persons::name_key.eq(name_key(input.last_name.as_deref(), input.first_name.as_deref())),
            persons::phone_key.eq(phone_key(input.phone.as_deref())),
            persons::lookalike_key.eq(lookalike_key(input.last_name.as_deref(), input.first_name.as_deref())),
            persons::search_text.eq(search_text(input.last_name.as_deref(), input.first_name.as_deref())),
            persons::adult_at.eq(super::identity::adult_at(input.birth_date, input.birth_year)),
        ))
        .execute(conn)?;
    Ok(())
}

/// Notes a contact with the persons (an attended appointment, an in-person intervention):
/// the earliest one is their first contact, which decides their age group in the report.
pub fn record_contact(conn: &mut DbConnection, person_ids: &[String], at: chrono::NaiveDateTime) -> ApiResult<()> {
    diesel::update(
        persons::table
            .filter(persons::id.eq_any(person_ids))
            .filter(persons::first_contact_at.is_null().or(persons::first_contact_at.gt(at))),
    )
    .set(persons::first_contact_at.eq(at))
    .execute(conn)?;
    Ok(())
}

/// Replaces a person's fields if it is still at `version`; 412 otherwise.
pub fn update(
    conn: &mut DbConnection,
    ccas_id: &str,
    id: &str,
    version: i32,
    input: &PersonInput,
    now: NaiveDateTime,
) -> ApiResult<PersonRow> {
    let bumped =
        diesel::update(persons::table.filter(persons::id.eq(id)).filter(persons::ccas_id.eq(ccas_id)).filter(persons::version.eq(version)))
            .set((persons::version.eq(version + 1), persons::updated_at.eq(now)))
            .execute(conn)?;
    if bumped == 0 {
        find(conn, ccas_id, id)?;
        return Err(ApiError::PreconditionFailed);
    }
    write_fields(conn, ccas_id, id, input)?;
    find(conn, ccas_id, id)
}

pub fn list(conn: &mut DbConnection, ccas_id: &str, filter: &PersonFilter, after: Option<Cursor>, limit: i64) -> ApiResult<Vec<PersonRow>> {
    let mut query = persons::table
        .filter(persons::ccas_id.eq(ccas_id))
        .select(PersonRow::as_select())
        .order((persons::name_key, persons::id))
        .limit(limit + 1)
        .into_boxed();
    if let Some(q) = filter.q.as_deref().filter(|q| !q.trim().is_empty()) {
        let words = query_words(q);
        if words.is_empty() {
            return Ok(Vec::new());
        }
        for word in &words {
            query = query.filter(persons::id.eq_any(persons_with_prefix(ccas_id, word)));
        }
    }
    if let Some(phone) = filter.phone.as_deref() {
        let digits =
            crate::phone::search_prefix(phone).ok_or_else(|| ApiError::validation("phone", "invalid", "needs at least 4 digits"))?;
        let (from, to) = digit_prefix_range(&digits);
        query = query.filter(persons::phone_key.ge(from));
        if let Some(to) = to {
            query = query.filter(persons::phone_key.lt(to));
        }
    }
    if let Some(Cursor { key, id }) = after {
        query = query.filter(persons::name_key.gt(key.clone()).or(persons::name_key.eq(key).and(persons::id.gt(id))));
    }
    Ok(query.load(conn)?)
}

type PersonsWithPhone<'a> = diesel::dsl::Select<
    diesel::dsl::Filter<
        diesel::dsl::Filter<
            diesel::dsl::Filter<persons::table, diesel::dsl::Eq<persons::ccas_id, &'a str>>,
            diesel::dsl::GtEq<persons::phone_key, String>,
        >,
        diesel::dsl::Lt<persons::phone_key, String>,
    >,
    persons::id,
>;

/// The ids of the CCAS's persons whose phone number starts with `prefix` (an E.164 prefix, see
/// [`crate::phone::search_prefix`]): a subquery for `eq_any`.
pub fn with_phone_prefix<'a>(ccas_id: &'a str, prefix: &str) -> PersonsWithPhone<'a> {
    // "+999…" has no next prefix: ':' sorts after every digit.
    let (from, to) = digit_prefix_range(prefix);
    let to = to.unwrap_or_else(|| format!("{prefix}:"));
    persons::table
        .filter(persons::ccas_id.eq(ccas_id))
        .filter(persons::phone_key.ge(from))
        .filter(persons::phone_key.lt(to))
        .select(persons::id)
}

/// The numbers starting with `digits` lie in `[digits, next)`, `next` being `digits` plus one
/// ("0619" → "062"): a range over the phone index, whatever the column's collation does with
/// other characters. `None` when every digit is 9 (no upper bound).
fn digit_prefix_range(digits: &str) -> (String, Option<String>) {
    let mut next: Vec<u8> = digits.bytes().collect();
    while let Some(last) = next.pop() {
        if last < b'9' {
            next.push(last + 1);
            return (digits.to_owned(), String::from_utf8(next).ok());
        }
    }
    (digits.to_owned(), None)
}

/// The sort key of a row, for the cursor.
pub fn cursor_of(row: &PersonRow) -> Cursor {
    Cursor { key: name_key(row.last_name.as_deref(), row.first_name.as_deref()), id: row.id.clone() }
}

/// Recomputes every person's comparison keys (look-alike names, E.164 phones): when the way
/// they are computed changes, for the persons already held. Returns how many.
pub fn rekey_all(conn: &mut DbConnection) -> ApiResult<usize> {
    type Identity = (String, Option<String>, Option<String>, Option<String>);
    let rows: Vec<Identity> = persons::table.select((persons::id, persons::last_name, persons::first_name, persons::phone)).load(conn)?;
    for (id, last, first, phone) in &rows {
        diesel::update(persons::table.find(id))
            .set((
                persons::lookalike_key.eq(lookalike_key(last.as_deref(), first.as_deref())),
                persons::phone_key.eq(phone_key(phone.as_deref())),
            ))
            .execute(conn)?;
    }
    Ok(rows.len())
}

/// Folds a newer record of `person_id`'s safe-contact answers into theirs (the safer answer per
/// channel, both notes): the merged answers when anything changed, none otherwise.
pub fn merge_safe_contact(
    conn: &mut DbConnection,
    ccas_id: &str,
    person_id: &str,
    newer: &SafeContact,
    now: NaiveDateTime,
) -> ApiResult<Option<SafeContact>> {
    let row = find(conn, ccas_id, person_id)?;
    let current = SafeContact {
        call: Safety::parse(&row.safe_to_call)?,
        text: Safety::parse(&row.safe_to_text)?,
        write: Safety::parse(&row.safe_to_write)?,
        note: row.safe_contact_note.clone(),
    };
    let merged = current.merged(newer);
    if merged == current {
        return Ok(None);
    }
    diesel::update(persons::table.find(person_id))
        .set((
            persons::safe_to_call.eq(merged.call.as_str()),
            persons::safe_to_text.eq(merged.text.as_str()),
            persons::safe_to_write.eq(merged.write.as_str()),
            persons::safe_contact_note.eq(&merged.note),
            persons::version.eq(persons::version + 1),
            persons::updated_at.eq(now),
        ))
        .execute(conn)?;
    Ok(Some(merged))
}

#[cfg(test)]
mod tests {
    use super::digit_prefix_range;

    #[test]
    fn a_digit_prefix_is_a_range() {
        assert_eq!(digit_prefix_range("0612"), ("0612".into(), Some("0613".into())));
        assert_eq!(digit_prefix_range("0619"), ("0619".into(), Some("062".into())));
        assert_eq!(digit_prefix_range("999"), ("999".into(), None));
    }
}
