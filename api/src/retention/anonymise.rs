//! What retention erases, and what it keeps for the figures. Erased: names, birth dates,
//! contact details, safe-contact notes, summaries, references, note texts, intervention
//! follow-ups. Kept: dates, kinds, statuses, roles, problem types, sex, the age group at first
//! contact, partner kinds: everything the activity report counts.

use std::collections::BTreeMap;

use chrono::{NaiveDate, NaiveDateTime};
use diesel::dsl::not;
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::db::schema::{
    appointments, contact_attempts, idempotency_keys, interventions, notes, person_name_terms, persons, referral_persons, referrals,
    situation_persons, situations,
};
use crate::error::ApiResult;

/// Rows per statement: well under both backends' bind limits.
const CHUNK: usize = 500;

/// What is due: ids with their CCAS.
#[derive(Debug, Default)]
pub struct Due {
    pub situations: Vec<(String, String)>,
    /// Referrals never accepted (declined, or left pending), settled before the cutoff.
    pub referrals: Vec<(String, String)>,
}

/// What a run anonymised, by CCAS (for each CCAS's trail).
#[derive(Debug, Default)]
pub struct Anonymised {
    pub persons: Vec<String>,
    pub by_ccas: BTreeMap<String, Vec<String>>,
}

/// Closed files and settled referrals with no contact since the cutoff.
pub fn due(conn: &mut DbConnection, cutoff: NaiveDateTime) -> ApiResult<Due> {
    let recent_appointments = appointments::table
        .filter(appointments::starts_at.ge(cutoff))
        .filter(appointments::situation_id.is_not_null())
        .select(appointments::situation_id);
    let recent_interventions = interventions::table.filter(interventions::occurred_at.ge(cutoff)).select(interventions::situation_id);
    let recent_notes = notes::table.filter(notes::created_at.ge(cutoff)).select(notes::situation_id);
    let recent_attempts = contact_attempts::table.filter(contact_attempts::at.ge(cutoff)).select(contact_attempts::referral_id);
    let contacted_through_referrals = referrals::table
        .filter(referrals::id.eq_any(recent_attempts))
        .filter(referrals::situation_id.is_not_null())
        .select(referrals::situation_id);
    let situations: Vec<(String, String)> = situations::table
        .filter(situations::status.eq("closed"))
        .filter(situations::anonymised_at.is_null())
        .filter(situations::closed_at.lt(cutoff))
        .filter(not(situations::id.nullable().eq_any(recent_appointments)))
        .filter(not(situations::id.eq_any(recent_interventions)))
        .filter(not(situations::id.eq_any(recent_notes)))
        .filter(not(situations::id.nullable().eq_any(contacted_through_referrals)))
        .order(situations::closed_at)
        .select((situations::id, situations::ccas_id))
        .load(conn)?;
    let recent_attempts = contact_attempts::table.filter(contact_attempts::at.ge(cutoff)).select(contact_attempts::referral_id);
    let referrals: Vec<(String, String)> = referrals::table
        .filter(referrals::status.ne("accepted"))
        .filter(referrals::anonymised_at.is_null())
        .filter(referrals::status_changed_at.lt(cutoff))
        .filter(not(referrals::id.eq_any(recent_attempts)))
        .order(referrals::status_changed_at)
        .select((referrals::id, referrals::ccas_id))
        .load(conn)?;
    Ok(Due { situations, referrals })
}

/// Persons known before the cutoff whose every file is anonymised (or due, in `due`), with no
/// appointment since.
pub fn persons_due(conn: &mut DbConnection, cutoff: NaiveDateTime, due: &[(String, String)]) -> ApiResult<Vec<(String, String)>> {
    let due_ids: Vec<&str> = due.iter().map(|(id, _)| id.as_str()).collect();
    let mut living: Vec<String> = situation_persons::table
        .inner_join(situations::table)
        .filter(situations::anonymised_at.is_null())
        .select((situation_persons::person_id, situations::id))
        .load::<(String, String)>(conn)?
        .into_iter()
        .filter(|(_, situation)| !due_ids.contains(&situation.as_str()))
        .map(|(person, _)| person)
        .collect();
    let booked: Vec<Option<String>> = appointments::table
        .filter(appointments::starts_at.ge(cutoff))
        .filter(appointments::person_id.is_not_null())
        .select(appointments::person_id)
        .load(conn)?;
    living.extend(booked.into_iter().flatten());
    living.sort();
    living.dedup();
    let candidates: Vec<(String, String)> = persons::table
        .filter(persons::anonymised_at.is_null())
        .filter(persons::created_at.lt(cutoff))
        .order(persons::id)
        .select((persons::id, persons::ccas_id))
        .load(conn)?;
    Ok(candidates.into_iter().filter(|(id, _)| living.binary_search(id).is_err()).collect())
}

pub fn apply(conn: &mut DbConnection, due: &Due, cutoff: NaiveDateTime, now: NaiveDateTime) -> ApiResult<Anonymised> {
    let mut done = Anonymised::default();
    for chunk in due.situations.chunks(CHUNK) {
        let ids: Vec<&str> = chunk.iter().map(|(id, _)| id.as_str()).collect();
        diesel::update(situations::table.filter(situations::id.eq_any(&ids)))
            .set((situations::search_text.eq(""), situations::anonymised_at.eq(now)))
            .execute(conn)?;
        diesel::update(notes::table.filter(notes::situation_id.eq_any(&ids))).set(notes::body.eq("")).execute(conn)?;
        diesel::update(interventions::table.filter(interventions::situation_id.eq_any(&ids)))
            .set((interventions::outcome.eq(None::<String>), interventions::report_recipient.eq(None::<String>)))
            .execute(conn)?;
        let accepted: Vec<String> = referrals::table.filter(referrals::situation_id.eq_any(&ids)).select(referrals::id).load(conn)?;
        erase_referrals(conn, &accepted, now)?;
        note(&mut done, chunk);
    }
    for chunk in due.referrals.chunks(CHUNK) {
        let ids: Vec<String> = chunk.iter().map(|(id, _)| id.clone()).collect();
        erase_referrals(conn, &ids, now)?;
        note(&mut done, chunk);
    }
    let persons = persons_due(conn, cutoff, &[])?;
    for chunk in persons.chunks(CHUNK) {
        let ids: Vec<&str> = chunk.iter().map(|(id, _)| id.as_str()).collect();
        erase_persons(conn, &ids, now)?;
        note(&mut done, chunk);
    }
    done.persons = persons.into_iter().map(|(id, _)| id).collect();
    Ok(done)
}

fn note(done: &mut Anonymised, chunk: &[(String, String)]) {
    for (id, ccas_id) in chunk {
        done.by_ccas.entry(ccas_id.clone()).or_default().push(id.clone());
    }
}

/// A referral keeps its source, dates, statuses, urgency, problem types, decline reason and
/// the roles, sexes and ages of the persons it named.
fn erase_referrals(conn: &mut DbConnection, ids: &[String], now: NaiveDateTime) -> ApiResult<()> {
    diesel::update(referrals::table.filter(referrals::id.eq_any(ids)))
        .set((
            referrals::summary.eq(""),
            referrals::agent_reference.eq(None::<String>),
            referrals::procedure_reference.eq(None::<String>),
            referrals::anonymised_at.eq(now),
        ))
        .execute(conn)?;
    diesel::update(referral_persons::table.filter(referral_persons::referral_id.eq_any(ids)))
        .set((
            referral_persons::last_name.eq(None::<String>),
            referral_persons::first_name.eq(None::<String>),
            referral_persons::birth_date.eq(None::<NaiveDate>),
            referral_persons::phone.eq(None::<String>),
            referral_persons::email.eq(None::<String>),
            referral_persons::address.eq(None::<String>),
            referral_persons::commune.eq(None::<String>),
            referral_persons::safe_contact_note.eq(None::<String>),
            referral_persons::best_time.eq(None::<String>),
        ))
        .execute(conn)?;
    diesel::update(contact_attempts::table.filter(contact_attempts::referral_id.eq_any(ids)))
        .set(contact_attempts::note.eq(None::<String>))
        .execute(conn)?;
    Ok(())
}

/// A person keeps their sex, first contact, and whether they were a minor then: `adult_at`,
/// which would give the birth date away, becomes a value that only says which side of the first
/// contact it fell.
fn erase_persons(conn: &mut DbConnection, ids: &[&str], now: NaiveDateTime) -> ApiResult<()> {
    let these = || persons::table.filter(persons::id.eq_any(ids));
    // Both known (a comparison with NULL is never true).
    let minor_then = persons::first_contact_at.lt(persons::adult_at);
    diesel::update(these().filter(minor_then)).set(persons::adult_at.eq(Some(far_future()))).execute(conn)?;
    let adult_then = persons::adult_at.le(persons::first_contact_at);
    diesel::update(these().filter(adult_then)).set(persons::adult_at.eq(persons::first_contact_at)).execute(conn)?;
    diesel::update(these().filter(persons::first_contact_at.is_null().or(persons::adult_at.is_null())))
        .set(persons::adult_at.eq(None::<NaiveDateTime>))
        .execute(conn)?;
    diesel::update(these())
        .set((
            persons::last_name.eq(None::<String>),
            persons::first_name.eq(None::<String>),
            persons::birth_date.eq(None::<NaiveDate>),
            persons::birth_year.eq(None::<i32>),
            persons::phone.eq(None::<String>),
            persons::email.eq(None::<String>),
            persons::address.eq(None::<String>),
            persons::commune.eq(None::<String>),
            persons::safe_contact_note.eq(None::<String>),
            persons::name_key.eq(""),
            persons::phone_key.eq(None::<String>),
            persons::lookalike_key.eq(None::<String>),
            persons::search_text.eq(""),
            persons::anonymised_at.eq(now),
            persons::version.eq(persons::version + 1),
        ))
        .execute(conn)?;
    diesel::delete(person_name_terms::table.filter(person_name_terms::person_id.eq_any(ids))).execute(conn)?;
    Ok(())
}

/// An instant after any first contact: "a minor at first contact" without the birth date.
fn far_future() -> NaiveDateTime {
    NaiveDate::from_ymd_opt(9999, 12, 31).and_then(|d| d.and_hms_opt(0, 0, 0)).unwrap_or(NaiveDateTime::MAX)
}

/// Idempotency keys older than the cutoff (24 hours): deleted, or counted.
pub fn old_idempotency_keys(conn: &mut DbConnection, cutoff: NaiveDateTime, count_only: bool) -> ApiResult<usize> {
    let old = idempotency_keys::table.filter(idempotency_keys::created_at.lt(cutoff));
    if count_only {
        let n: i64 = old.count().get_result(conn)?;
        return Ok(usize::try_from(n).unwrap_or(0));
    }
    Ok(diesel::delete(old).execute(conn)?)
}
