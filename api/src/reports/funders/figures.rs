//! The funders' grid of one period: what the standard figures already count, regrouped in
//! the guide's categories, and three aggregates of its own (persons by public, sex, age and
//! commune in one statement; situations by public; referrals by unit). Same binds as the
//! standard report's SQL (`$1` the CCAS, `$2`..`$3` the period's UTC bounds).

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Nullable, Text, Timestamp};

use super::guide::{self, ACTIONS, ATTENDED_SUFFIX, INVOLVED, MINOR_TYPES, Named, ORIGINS, PRECEDENCE};
use super::models::{Actions, ByAge, BySex, CommuneCount, FundersFigures, GuideOrigins, Publics, UnitReferrals};
use crate::db::DbConnection;
use crate::error::ApiResult;
use crate::reports::figures::{AGE_GROUP, Delays, MET, RECEIVED, exact};
use crate::reports::models::{Breakdown, Figures};
use crate::reports::periods::Period;

#[derive(QueryableByName)]
struct PersonCell {
    #[diesel(sql_type = BigInt)]
    rank: i64,
    #[diesel(sql_type = Text)]
    sex: String,
    #[diesel(sql_type = Text)]
    age: String,
    #[diesel(sql_type = Text)]
    commune: String,
    #[diesel(sql_type = BigInt)]
    n: i64,
}

#[derive(QueryableByName)]
struct RankCount {
    #[diesel(sql_type = BigInt)]
    rank: i64,
    #[diesel(sql_type = BigInt)]
    n: i64,
}

#[derive(QueryableByName)]
struct UnitRow {
    #[diesel(sql_type = Nullable<Text>)]
    organisation_id: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    name: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    kind: Option<String>,
    #[diesel(sql_type = BigInt)]
    n: i64,
}

/// A statement with the report's three binds.
macro_rules! bound {
    ($sql:expr, $ccas_id:expr, $p:expr) => {
        diesel::sql_query($sql).bind::<Text, _>($ccas_id).bind::<Timestamp, _>($p.start).bind::<Timestamp, _>($p.end)
    };
}

/// A person's rank over their situations met: one correlated lookup per person received
/// (through `situation_persons_by_person`), so that the cost follows the persons received,
/// not the CCAS's whole file.
fn persons_sql() -> String {
    let minor_types = guide::sql_list(&[MINOR_TYPES.as_slice(), &["domestic_violence"]].concat());
    let rank = format!(
        "CASE WHEN t.problem_type IN ({minor_types}) AND sp.role <> 'alleged_author' AND pe.first_contact_at < pe.adult_at THEN 1 \
              WHEN sp.role = 'victim' THEN 2 WHEN sp.role = 'alleged_author' THEN 3 ELSE {} END",
        guide::rank_by_type("t.problem_type")
    );
    // The person's own columns come by primary key too: as a join, PostgreSQL expects
    // thousands of persons received and scans every person (95 ms a year instead of 60).
    let of_person = |column: &str| format!("(SELECT {column} FROM persons p WHERE p.id = r.person_id)");
    format!(
        "SELECT CAST(person_rank AS BIGINT) AS rank, sex, age, commune, COUNT(*) AS n \
         FROM (SELECT COALESCE((SELECT MIN({rank}) FROM situation_persons sp \
                                JOIN situations s ON s.id = sp.situation_id \
                                JOIN persons pe ON pe.id = sp.person_id \
                                LEFT JOIN situation_problem_types t ON t.situation_id = s.id \
                                WHERE {MET} AND sp.person_id = r.person_id), {INVOLVED}) AS person_rank, \
                      {} AS sex, {} AS age, {} AS commune \
               FROM ({RECEIVED}) r) x \
         GROUP BY 1, 2, 3, 4",
        of_person("COALESCE(p.sex, 'unknown')"),
        of_person(AGE_GROUP),
        of_person("COALESCE(TRIM(p.commune), '')")
    )
}

/// A situation's rank: its problem types and its persons' roles, each looked up by primary
/// key (as one join, PostgreSQL misjudges how many situations a period meets; see
/// `problem_types_of_met`).
fn situations_sql() -> String {
    let by_type = format!(
        "(SELECT MIN(CASE WHEN t.problem_type IN ({}) THEN 1 ELSE {} END) FROM situation_problem_types t WHERE t.situation_id = s.id)",
        guide::sql_list(&MINOR_TYPES),
        guide::rank_by_type("t.problem_type")
    );
    let by_role = "(SELECT MIN(CASE sp.role WHEN 'victim' THEN 2 WHEN 'alleged_author' THEN 3 ELSE 10 END) \
                   FROM situation_persons sp WHERE sp.situation_id = s.id)";
    format!(
        "SELECT CAST(CASE WHEN by_type = 1 THEN 1 WHEN COALESCE(by_role, {INVOLVED}) < COALESCE(by_type, {INVOLVED}) THEN by_role \
                          ELSE COALESCE(by_type, {INVOLVED}) END AS BIGINT) AS rank, COUNT(*) AS n \
         FROM (SELECT {by_type} AS by_type, {by_role} AS by_role FROM situations s WHERE {MET}) ranked GROUP BY 1"
    )
}

fn units_sql() -> String {
    let police = ORIGINS.iter().find(|(origin, _)| *origin == "police_gendarmerie").map(|(_, sources)| *sources).unwrap_or_default();
    format!(
        "SELECT r.referring_organisation_id AS organisation_id, o.name AS name, o.kind AS kind, COUNT(*) AS n \
         FROM referrals r LEFT JOIN organisations o ON o.id = r.referring_organisation_id \
         WHERE r.ccas_id = $1 AND r.received_at >= $2 AND r.received_at < $3 AND r.source IN ({}) \
         GROUP BY r.referring_organisation_id, o.name, o.kind",
        guide::sql_list(police)
    )
}

fn public_of(rank: i64) -> &'static str {
    usize::try_from(rank).ok().and_then(|r| PRECEDENCE.get(r.saturating_sub(1))).copied().unwrap_or("involved")
}

fn value(count: &crate::reports::models::Count) -> i64 {
    count.value.unwrap_or(0)
}

/// `(group, n)` rows from a breakdown's `(code, count)`, each code in the group `groups` puts it in.
fn regrouped(breakdown: &[Breakdown], groups: &[(&str, &[&str])]) -> Vec<(String, i64)> {
    breakdown
        .iter()
        .filter_map(|b| {
            groups.iter().find(|(_, codes)| codes.contains(&b.key.as_str())).map(|(group, _)| ((*group).to_owned(), value(&b.count)))
        })
        .collect()
}

fn actions(standard: &Figures) -> Actions {
    let mut rows = regrouped(&standard.interventions_by_kind, &ACTIONS);
    let attended: i64 =
        standard.appointments_by_kind_and_outcome.iter().filter(|b| b.key.ends_with(ATTENDED_SUFFIX)).map(|b| value(&b.count)).sum();
    rows.push(("reception".to_owned(), attended));
    Actions::from_rows(&rows)
}

/// The funders' grid of a period, given its standard figures (exact, before any suppression).
pub fn funders_figures(conn: &mut DbConnection, ccas_id: &str, p: &Period, standard: &Figures) -> ApiResult<FundersFigures> {
    let persons: Vec<PersonCell> = bound!(&persons_sql(), ccas_id, p).load(conn)?;
    let by = |f: &dyn Fn(&PersonCell) -> String| persons.iter().map(|c| (f(c), c.n)).collect::<Vec<_>>();
    let (publics, sexes, ages) = (by(&|c| public_of(c.rank).to_owned()), by(&|c| c.sex.clone()), by(&|c| c.age.clone()));
    let situations: Vec<RankCount> = bound!(&situations_sql(), ccas_id, p).load(conn)?;
    let units: Vec<UnitRow> = bound!(&units_sql(), ccas_id, p).load(conn)?;
    let origin_case = guide::group_case("source", &ORIGINS);
    let mut delays = Delays::of(conn, ccas_id, p, &[&origin_case])?;
    let actions = actions(standard);
    Ok(FundersFigures {
        persons_received: standard.persons_received,
        persons_by_public: Publics::from_rows(&publics),
        persons_by_sex: BySex::from_rows(&sexes),
        persons_by_age: ByAge::from_rows(&ages),
        persons_by_commune: communes(&persons),
        situations_met: standard.situations_met.total,
        situations_by_public: Publics::from_rows(&situations.iter().map(|s| (public_of(s.rank).to_owned(), s.n)).collect::<Vec<_>>()),
        referrals_received: standard.referrals_received,
        referrals_by_origin: GuideOrigins::from_rows(&regrouped(&standard.referrals_by_source, &ORIGINS)),
        referrals_by_unit: largest_first(
            units.into_iter().map(|u| UnitReferrals { organisation_id: u.organisation_id, name: u.name, kind: u.kind, count: exact(u.n) }),
            |u| (value(&u.count), (u.name.is_none(), u.name.clone())),
        ),
        actions_total: exact(actions.entries().iter().map(|(_, c)| value(c)).sum()),
        actions_by_kind: actions,
        brief_contacts_total: standard.brief_contacts_total,
        brief_contacts_by_origin: GuideOrigins::from_rows(&regrouped(&standard.brief_contacts_by_origin, &ORIGINS)),
        first_contact_delay: standard.first_contact_delay.clone(),
        first_interview_delay: standard.first_interview_delay.clone(),
        reactivity_by_origin: delays.by(GuideOrigins::KEYS.iter().map(|k| (*k).to_owned())),
    })
}

fn communes(persons: &[PersonCell]) -> Vec<CommuneCount> {
    let mut by_commune: std::collections::BTreeMap<&str, i64> = std::collections::BTreeMap::new();
    for cell in persons {
        *by_commune.entry(cell.commune.as_str()).or_default() += cell.n;
    }
    largest_first(
        by_commune
            .into_iter()
            .map(|(commune, n)| CommuneCount { commune: (!commune.is_empty()).then(|| commune.to_owned()), count: exact(n) }),
        |c| (value(&c.count), (c.commune.is_none(), c.commune.clone())),
    )
}

/// Largest count first, then by name, the unnamed last, so that the grid reads like a funder's table.
fn largest_first<T, K: Ord>(rows: impl Iterator<Item = T>, key: impl Fn(&T) -> (i64, K)) -> Vec<T> {
    let mut rows: Vec<T> = rows.collect();
    rows.sort_by(|a, b| {
        let ((na, ka), (nb, kb)) = (key(a), key(b));
        nb.cmp(&na).then(ka.cmp(&kb))
    });
    rows
}
