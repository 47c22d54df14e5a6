//! Name search that does not scan a CCAS: each folded word of a person's names is a row of
//! `person_name_terms`, and a query matches the persons having, for each of its words, a term
//! that starts with it, found by a range over the table's primary key. The same rows and the
//! same SQL on SQLite and PostgreSQL (whose `term` column compares bytewise, `COLLATE "C"`),
//! so both backends find the same persons.

use diesel::dsl::{Eq, Filter, GtEq, Lt, Select};
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::db::schema::person_name_terms as terms;
use crate::text::fold;

/// Query words used at the most: more narrow nothing in practice and cost a subquery each.
const MAX_QUERY_WORDS: usize = 4;

/// The words of a text, folded: "Jean-Pierre D'Arc" → ["jean", "pierre", "d", "arc"].
fn words(text: &str) -> impl Iterator<Item = String> {
    let folded = fold(text);
    folded.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_owned).collect::<Vec<_>>().into_iter()
}

/// The terms indexed for a person: every word of both names, once.
pub fn name_terms(last_name: Option<&str>, first_name: Option<&str>) -> Vec<String> {
    let mut all: Vec<String> = words(last_name.unwrap_or("")).chain(words(first_name.unwrap_or(""))).collect();
    all.sort();
    all.dedup();
    all
}

/// The words a search looks for; empty when the query has none.
pub fn query_words(q: &str) -> Vec<String> {
    let mut all: Vec<String> = words(q).collect();
    all.dedup();
    all.truncate(MAX_QUERY_WORDS);
    all
}

/// Replaces the person's terms (call it in the transaction that writes the names).
pub fn index_person(conn: &mut DbConnection, ccas_id: &str, person_id: &str, last: Option<&str>, first: Option<&str>) -> QueryResult<()> {
    diesel::delete(terms::table.filter(terms::person_id.eq(person_id))).execute(conn)?;
    for term in name_terms(last, first) {
        diesel::insert_into(terms::table)
            .values((terms::ccas_id.eq(ccas_id), terms::term.eq(term), terms::person_id.eq(person_id)))
            .execute(conn)?;
    }
    Ok(())
}

/// Indexes every person (after the migration that created the terms); returns how many.
pub fn index_all_persons(conn: &mut DbConnection) -> crate::error::ApiResult<usize> {
    use crate::db::schema::persons;
    crate::db::pool::write_transaction(conn, |conn| {
        let all: Vec<(String, String, Option<String>, Option<String>)> =
            persons::table.select((persons::id, persons::ccas_id, persons::last_name, persons::first_name)).load(conn)?;
        for (id, ccas_id, last, first) in &all {
            index_person(conn, ccas_id, id, last.as_deref(), first.as_deref())?;
        }
        Ok(all.len())
    })
}

type PersonsWithPrefix<'a> = Select<
    Filter<Filter<Filter<terms::table, Eq<terms::ccas_id, &'a str>>, GtEq<terms::term, String>>, Lt<terms::term, String>>,
    terms::person_id,
>;

/// The ids of the CCAS's persons having a term that starts with `word`: a subquery for
/// `persons::id.eq_any(...)`.
pub fn persons_with_prefix<'a>(ccas_id: &'a str, word: &str) -> PersonsWithPrefix<'a> {
    // Every term starting with `word` sorts between `word` and `word` followed by the
    // greatest code point.
    let upper = format!("{word}\u{10FFFF}");
    terms::table
        .filter(terms::ccas_id.eq(ccas_id))
        .filter(terms::term.ge(word.to_owned()))
        .filter(terms::term.lt(upper))
        .select(terms::person_id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terms_are_the_folded_words_of_both_names() {
        assert_eq!(name_terms(Some("D'Arc-Lévêque"), Some("Jean  Pierre")), vec!["arc", "d", "jean", "leveque", "pierre"]);
        assert_eq!(name_terms(None, None), Vec::<String>::new());
        assert_eq!(query_words("  LÉV  jean "), vec!["lev", "jean"]);
        assert_eq!(query_words("%_"), Vec::<String>::new());
    }
}
