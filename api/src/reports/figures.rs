//! The report's SQL: one aggregate query per figure, the same text on SQLite and PostgreSQL.
//! Binds: `$1` the CCAS (or agency) id, `$2`..`$3` the period's UTC bounds `[start, end)`.
//! SQLite numbers `$N` parameters in the order they first appear, not by N: every query must
//! mention `$1`, `$2`, `$3` first in that order.

use std::collections::HashMap;

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Nullable, Text, Timestamp};

use super::models::{Breakdown, ContactDelay, Count, Figures, OriginReactivity, SituationsMet};
use super::periods::Period;
use crate::db::DbConnection;
use crate::error::ApiResult;

#[derive(QueryableByName)]
struct KeyCount {
    #[diesel(sql_type = Text)]
    key: String,
    #[diesel(sql_type = BigInt)]
    n: i64,
}

#[derive(QueryableByName)]
struct Number {
    #[diesel(sql_type = Nullable<BigInt>)]
    n: Option<i64>,
}

/// Situations met: opened before the end and not closed before the start.
pub(super) const MET: &str = "s.ccas_id = $1 AND (s.closed_at IS NULL OR s.closed_at >= $2) AND s.opened_at < $3";

/// Persons received in the period.
pub(super) const RECEIVED: &str = "\
SELECT ap.person_id AS person_id FROM appointments a JOIN appointment_persons ap ON ap.appointment_id = a.id \
 WHERE a.ccas_id = $1 AND a.status = 'attended' AND a.starts_at >= $2 AND a.starts_at < $3 \
UNION \
SELECT ip.person_id FROM interventions i JOIN intervention_persons ip ON ip.intervention_id = i.id \
 WHERE i.ccas_id = $1 AND i.in_person = TRUE AND i.occurred_at >= $2 AND i.occurred_at < $3";

fn count(conn: &mut DbConnection, sql: &str, id: &str, p: &Period) -> ApiResult<i64> {
    let row: Number =
        diesel::sql_query(sql).bind::<Text, _>(id).bind::<Timestamp, _>(p.start).bind::<Timestamp, _>(p.end).get_result(conn)?;
    Ok(row.n.unwrap_or(0))
}

pub(super) fn breakdown(conn: &mut DbConnection, sql: &str, id: &str, p: &Period) -> ApiResult<Vec<(String, i64)>> {
    let rows: Vec<KeyCount> =
        diesel::sql_query(sql).bind::<Text, _>(id).bind::<Timestamp, _>(p.start).bind::<Timestamp, _>(p.end).load(conn)?;
    let mut rows: Vec<(String, i64)> = rows.into_iter().map(|r| (r.key, r.n)).collect();
    rows.sort();
    Ok(rows)
}

#[derive(QueryableByName)]
struct Id {
    #[diesel(sql_type = Text)]
    id: String,
}

/// Situations met, by problem type, in two steps: the situations met (an index range), then
/// their problem types by primary key. As one join, PostgreSQL misjudges how many situations
/// a month meets (1,820 for 336 on the benchmark) and scans every problem-type row of every
/// CCAS through a hash join: 80 ms a month instead of 2.
fn problem_types_of_met(conn: &mut DbConnection, ccas_id: &str, p: &Period) -> ApiResult<Vec<(String, i64)>> {
    use crate::db::schema::situation_problem_types as types;
    let met: Vec<Id> = diesel::sql_query(format!("SELECT s.id AS id FROM situations s WHERE {MET}"))
        .bind::<Text, _>(ccas_id)
        .bind::<Timestamp, _>(p.start)
        .bind::<Timestamp, _>(p.end)
        .load(conn)?;
    let ids: Vec<String> = met.into_iter().map(|m| m.id).collect();
    let mut counts: std::collections::BTreeMap<String, i64> = std::collections::BTreeMap::new();
    // Chunks keep each statement well under either backend's limit on bound values.
    for chunk in ids.chunks(5_000) {
        let rows: Vec<(String, i64)> = types::table
            .filter(types::situation_id.eq_any(chunk))
            .group_by(types::problem_type)
            .select((types::problem_type, diesel::dsl::count_star()))
            .load(conn)?;
        for (key, n) in rows {
            *counts.entry(key).or_default() += n;
        }
    }
    Ok(counts.into_iter().collect())
}

/// Nearest-rank percentile of the first-contact delays of the `n` referrals matching `filter`
/// (an agency's; a CCAS's delays come from `reactivity`).
fn delay_percentile(conn: &mut DbConnection, filter: &str, id: &str, p: &Period, n: i64, percent: i64) -> ApiResult<Option<i64>> {
    if n == 0 {
        return Ok(None);
    }
    let rank = (n * percent + 99) / 100;
    let sql = format!(
        "SELECT CAST(first_contact_delay_minutes AS BIGINT) AS n FROM referrals WHERE {filter} AND first_contact_delay_minutes IS NOT NULL \
         ORDER BY first_contact_delay_minutes LIMIT 1 OFFSET {}",
        rank.max(1) - 1
    );
    let row: Number =
        diesel::sql_query(sql).bind::<Text, _>(id).bind::<Timestamp, _>(p.start).bind::<Timestamp, _>(p.end).get_result(conn)?;
    Ok(row.n)
}

#[derive(QueryableByName)]
struct KeyedDelay {
    #[diesel(sql_type = Text)]
    step: String,
    #[diesel(sql_type = Text)]
    key: String,
    #[diesel(sql_type = BigInt)]
    n: i64,
    #[diesel(sql_type = Nullable<BigInt>)]
    median: Option<i64>,
    #[diesel(sql_type = Nullable<BigInt>)]
    p90: Option<i64>,
}

/// One step's delays over the period's referrals, grouped by `key` (an origin, or `'all'`):
/// ranks numbered by a window function, the median and 90th percentile by nearest rank.
fn ranked(step: &str, key: &str, column: &str) -> String {
    format!(
        "SELECT '{step}' AS step, key, MAX(n) AS n, \
                MIN(CASE WHEN rn = (n * 50 + 99) / 100 THEN d END) AS median, \
                MIN(CASE WHEN rn = (n * 90 + 99) / 100 THEN d END) AS p90 \
         FROM (SELECT {key} AS key, CAST({column} AS BIGINT) AS d, \
                      ROW_NUMBER() OVER (PARTITION BY {key} ORDER BY {column}) AS rn, \
                      COUNT(*) OVER (PARTITION BY {key}) AS n \
               FROM referrals WHERE {REFERRALS_OF_CCAS} AND {column} IS NOT NULL) ranked \
         GROUP BY key"
    )
}

/// Both steps' delays over a period's referrals, grouped by each of `keys` (SQL expressions
/// over `referrals`: `'all'`, `source`, a CASE of origins), in one statement (each figure's
/// statement is planned anew: one instead of nine keeps the monthly report's cost).
pub(super) struct Delays(HashMap<(String, String), ContactDelay>);

impl Delays {
    pub(super) fn of(conn: &mut DbConnection, ccas_id: &str, p: &Period, keys: &[&str]) -> ApiResult<Delays> {
        const CONTACT: &str = "first_contact_delay_minutes";
        const INTERVIEW: &str = "first_interview_delay_minutes";
        let sql = keys
            .iter()
            .flat_map(|key| [ranked("contact", key, CONTACT), ranked("interview", key, INTERVIEW)])
            .collect::<Vec<_>>()
            .join(" UNION ALL ");
        let rows: Vec<KeyedDelay> =
            diesel::sql_query(sql).bind::<Text, _>(ccas_id).bind::<Timestamp, _>(p.start).bind::<Timestamp, _>(p.end).load(conn)?;
        Ok(Delays(
            rows.into_iter()
                .map(|r| ((r.step, r.key), ContactDelay { referrals: exact(r.n), median_minutes: r.median, p90_minutes: r.p90 }))
                .collect(),
        ))
    }

    /// One step's delay for one key (none reached the step: zero, no percentile).
    pub(super) fn take(&mut self, step: &str, key: &str) -> ContactDelay {
        self.0.remove(&(step.to_owned(), key.to_owned())).unwrap_or(ContactDelay {
            referrals: exact(0),
            median_minutes: None,
            p90_minutes: None,
        })
    }

    /// Both delays of each key in `keys`.
    pub(super) fn by(&mut self, keys: impl Iterator<Item = String>) -> Vec<OriginReactivity> {
        keys.map(|key| OriginReactivity { first_contact: self.take("contact", &key), first_interview: self.take("interview", &key), key })
            .collect()
    }
}

/// An exact count: the `reports` audience's are suppressed afterwards, all periods of a year
/// together (see `protection`).
pub(super) fn exact(n: i64) -> Count {
    Count { value: Some(n), suppressed: false }
}

fn exact_breakdown(rows: Vec<(String, i64)>) -> Vec<Breakdown> {
    rows.into_iter().map(|(key, n)| Breakdown { key, count: exact(n) }).collect()
}

const REFERRALS_OF_CCAS: &str = "ccas_id = $1 AND received_at >= $2 AND received_at < $3";

pub fn ccas_figures(conn: &mut DbConnection, ccas_id: &str, p: &Period) -> ApiResult<Figures> {
    let opened =
        count(conn, "SELECT COUNT(*) AS n FROM situations s WHERE s.ccas_id = $1 AND s.opened_at >= $2 AND s.opened_at < $3", ccas_id, p)?;
    let ongoing = count(
        conn,
        // `opened_at < $3` is implied; it is there so that every query binds the same three values.
        "SELECT COUNT(*) AS n FROM situations s WHERE s.ccas_id = $1 AND s.opened_at < $2 AND s.opened_at < $3 AND (s.closed_at IS NULL OR s.closed_at >= $2)",
        ccas_id,
        p,
    )?;
    let received = count(conn, &format!("SELECT COUNT(*) AS n FROM ({RECEIVED}) r"), ccas_id, p)?;
    let by_period = |column: &str, table: &str, time: &str| {
        format!("SELECT {column} AS key, COUNT(*) AS n FROM {table} WHERE ccas_id = $1 AND {time} >= $2 AND {time} < $3 GROUP BY {column}")
    };
    let by_source = breakdown(conn, &by_period("source", "referrals", "received_at"), ccas_id, p)?;
    let mut delays = Delays::of(conn, ccas_id, p, &["'all'", "source"])?;
    let reactivity_by_origin = delays.by(by_source.iter().map(|(key, _)| key.clone()));
    let interventions = breakdown(conn, &by_period("kind", "interventions", "occurred_at"), ccas_id, p)?;
    let appointments = breakdown(conn, &by_period("kind || ':' || status", "appointments", "starts_at"), ccas_id, p)?;
    let brief = BriefCounts::of(breakdown(conn, &by_period("channel || ':' || origin", "brief_contacts", "occurred_at"), ccas_id, p)?);
    Ok(Figures {
        situations_met: SituationsMet { opened: exact(opened), ongoing: exact(ongoing), total: exact(opened + ongoing) },
        persons_received: exact(received),
        referrals_received: exact(sum(&by_source)),
        referrals_by_source: exact_breakdown(by_source),
        referrals_by_outcome: exact_breakdown(breakdown(conn, &by_period("status", "referrals", "received_at"), ccas_id, p)?),
        situations_by_problem_type: exact_breakdown(problem_types_of_met(conn, ccas_id, p)?),
        persons_by_role: exact_breakdown(breakdown(
            conn,
            &format!(
                "SELECT sp.role AS key, COUNT(DISTINCT sp.person_id) AS n FROM situation_persons sp JOIN situations s ON s.id = sp.situation_id WHERE {MET} GROUP BY sp.role"
            ),
            ccas_id,
            p,
        )?),
        persons_by_age_group: exact_breakdown(breakdown(conn, &age_groups(), ccas_id, p)?),
        interventions_total: exact(sum(&interventions)),
        interventions_by_kind: exact_breakdown(interventions),
        orientations_by_partner_kind: exact_breakdown(breakdown(
            conn,
            "SELECT pa.kind AS key, COUNT(*) AS n FROM interventions i JOIN partners pa ON pa.id = i.partner_id \
             WHERE i.ccas_id = $1 AND i.kind = 'orientation' AND i.occurred_at >= $2 AND i.occurred_at < $3 GROUP BY pa.kind",
            ccas_id,
            p,
        )?),
        orientations_by_outcome: exact_breakdown(breakdown(
            conn,
            "SELECT COALESCE(partner_took_over, 'unknown') AS key, COUNT(*) AS n FROM interventions \
             WHERE ccas_id = $1 AND kind = 'orientation' AND occurred_at >= $2 AND occurred_at < $3 GROUP BY 1",
            ccas_id,
            p,
        )?),
        appointments_total: exact(sum(&appointments)),
        appointments_by_kind_and_outcome: exact_breakdown(appointments),
        legal_reports_by_kind: exact_breakdown(breakdown(
            conn,
            "SELECT kind AS key, COUNT(*) AS n FROM interventions WHERE ccas_id = $1 AND kind IN ('concern_report', 'prosecutor_report') \
             AND occurred_at >= $2 AND occurred_at < $3 GROUP BY kind",
            ccas_id,
            p,
        )?),
        brief_contacts_total: exact(brief.total),
        brief_contacts_by_channel: exact_breakdown(brief.by_channel),
        brief_contacts_by_origin: exact_breakdown(brief.by_origin),
        first_contact_delay: delays.take("contact", "all"),
        first_interview_delay: delays.take("interview", "all"),
        reactivity_by_origin,
    })
}

/// Brief contacts counted once by channel and origin together, then added up both ways.
struct BriefCounts {
    total: i64,
    by_channel: Vec<(String, i64)>,
    by_origin: Vec<(String, i64)>,
}

impl BriefCounts {
    fn of(rows: Vec<(String, i64)>) -> Self {
        let mut by_channel: std::collections::BTreeMap<String, i64> = std::collections::BTreeMap::new();
        let mut by_origin: std::collections::BTreeMap<String, i64> = std::collections::BTreeMap::new();
        for (key, n) in &rows {
            let (channel, origin) = key.split_once(':').unwrap_or((key, "unknown"));
            *by_channel.entry(channel.to_owned()).or_default() += n;
            *by_origin.entry(origin.to_owned()).or_default() += n;
        }
        BriefCounts { total: sum(&rows), by_channel: by_channel.into_iter().collect(), by_origin: by_origin.into_iter().collect() }
    }
}

fn sum(rows: &[(String, i64)]) -> i64 {
    rows.iter().map(|(_, n)| n).sum()
}

/// Persons received, by age at their first contact ever (kept on the person at write time).
fn age_groups() -> String {
    format!("SELECT {AGE_GROUP} AS key, COUNT(*) AS n FROM ({RECEIVED}) r JOIN persons p ON p.id = r.person_id GROUP BY 1")
}

/// A person `p`'s age group at their first contact ever.
pub(super) const AGE_GROUP: &str = "CASE WHEN p.adult_at IS NULL OR p.first_contact_at IS NULL THEN 'unknown' \
     WHEN p.first_contact_at < p.adult_at THEN 'minor' ELSE 'adult' END";

const REFERRALS_OF_AGENCY: &str = "referring_organisation_id = $1 AND received_at >= $2 AND received_at < $3";

/// The figures an agency may see: its own referrals, by status, and the median delay.
pub fn agency_figures(conn: &mut DbConnection, org_id: &str, p: &Period) -> ApiResult<super::models::AgencyFigures> {
    let statuses = breakdown(
        conn,
        &format!("SELECT status AS key, COUNT(*) AS n FROM referrals WHERE {REFERRALS_OF_AGENCY} GROUP BY status"),
        org_id,
        p,
    )?;
    let of = |status: &str| statuses.iter().filter(|(k, _)| k == status).map(|(_, n)| *n).sum::<i64>();
    let contacted = count(
        conn,
        &format!("SELECT COUNT(*) AS n FROM referrals WHERE {REFERRALS_OF_AGENCY} AND first_contact_at IS NOT NULL"),
        org_id,
        p,
    )?;
    Ok(super::models::AgencyFigures {
        from: p.from,
        to: p.to,
        referrals: statuses.iter().map(|(_, n)| n).sum(),
        accepted: of("accepted"),
        declined: of("declined"),
        pending: of("received") + of("contact_attempted"),
        first_contact_delay_median_minutes: delay_percentile(conn, REFERRALS_OF_AGENCY, org_id, p, contacted, 50)?,
    })
}
