//! The guide's categories in terms of Relais's vocabulary: the one place that says which role,
//! problem type, source or intervention kind falls in which public, origin or action. The SQL,
//! the derived counts and the suppression's equations all read these tables.

use super::models::{Actions, ByAge, BySex, GuideOrigins, Publics};
use crate::reports::models::Count;

/// The publics in order of precedence (1 first): a person or situation counts in the first
/// whose definition it meets.
pub const PRECEDENCE: [&str; 10] = [
    "minors_at_risk",
    "victims",
    "alleged_authors_and_family",
    "at_risk_of_victimisation",
    "conjugal_conflicts",
    "family_conflicts",
    "neighbour_conflicts",
    "evictions_and_housing_breakdown",
    "social_distress",
    "involved",
];

/// Rank 1: the problem types of a minor in danger (a situation's; a person's adds
/// `domestic_violence`, for the children exposed to it).
pub const MINOR_TYPES: [&str; 2] = ["child_at_risk", "runaway_minor"];

/// Ranks 4 to 9: publics defined by the situation's problem types alone.
pub const BY_PROBLEM_TYPE: [(usize, &[&str]); 6] = [
    (4, &["vulnerable_adult", "harassment"]),
    (5, &["conflictual_separation", "domestic_violence"]),
    (6, &["family_conflict"]),
    (7, &["neighbour_dispute"]),
    (8, &["housing_precarity"]),
    (9, &["mental_distress", "addiction"]),
];

/// The lowest rank, for everyone else.
pub const INVOLVED: usize = 10;

/// The guide's origins and the referral sources in each.
pub const ORIGINS: [(&str, &[&str]); 3] = [
    ("police_gendarmerie", &["gendarmerie", "police_municipale", "police_nationale", "proactive"]),
    ("other_services", &["partner"]),
    ("spontaneous", &["walk_in"]),
];

/// The guide's actions and the intervention kinds in each (`reception` counts attended
/// appointments instead).
pub const ACTIONS: [(&str, &[&str]); 5] = [
    ("reception", &[]),
    ("listening", &["first_listening", "phone_follow_up"]),
    ("action", &["advice", "accompaniment", "administrative_help", "concern_report", "prosecutor_report"]),
    ("orientation", &["orientation"]),
    ("liaison", &["mediation"]),
];

/// The appointment status that makes an appointment a reception (keys `kind:status`).
pub const ATTENDED_SUFFIX: &str = ":attended";

/// `CASE <column> WHEN 'a' THEN 'group' ... ELSE 'other' END` over a code→group table.
pub fn group_case(column: &str, groups: &[(&str, &[&str])]) -> String {
    let whens: String =
        groups.iter().flat_map(|(group, codes)| codes.iter().map(move |code| format!(" WHEN '{code}' THEN '{group}'"))).collect();
    format!("CASE {column}{whens} ELSE 'other' END")
}

/// `'a', 'b'` for an `IN (...)` list of codes (constants of this module, never input).
pub fn sql_list(codes: &[&str]) -> String {
    codes.iter().map(|c| format!("'{c}'")).collect::<Vec<_>>().join(", ")
}

/// The CASE that ranks one situation's problem type by ranks 4 to 9 (10 otherwise).
pub fn rank_by_type(column: &str) -> String {
    let whens: String =
        BY_PROBLEM_TYPE.iter().map(|(rank, types)| format!(" WHEN {column} IN ({}) THEN {rank}", sql_list(types))).collect();
    format!("CASE{whens} ELSE {INVOLVED} END")
}

/// A fixed set of named counts, as the grid's structs hold them.
pub trait Named: Sized {
    const KEYS: &'static [&'static str];
    fn entries_mut(&mut self) -> Vec<(&'static str, &mut Count)>;
    fn zero() -> Self;

    /// The counts from `(key, n)` rows; unknown keys are left out (there are none by construction).
    fn from_rows(rows: &[(String, i64)]) -> Self {
        let mut named = Self::zero();
        for (key, count) in named.entries_mut() {
            let n: i64 = rows.iter().filter(|(k, _)| k == key).map(|(_, n)| n).sum();
            *count = Count { value: Some(n), suppressed: false };
        }
        named
    }

    fn entries(&self) -> Vec<(&'static str, Count)>
    where
        Self: Clone,
    {
        self.clone().entries_mut().into_iter().map(|(k, c)| (k, *c)).collect()
    }
}

const ZERO: Count = Count { value: Some(0), suppressed: false };

macro_rules! named {
    ($type:ident { $($field:ident),+ $(,)? }) => {
        impl Named for $type {
            const KEYS: &'static [&'static str] = &[$(stringify!($field)),+];
            fn entries_mut(&mut self) -> Vec<(&'static str, &mut Count)> {
                vec![$((stringify!($field), &mut self.$field)),+]
            }
            fn zero() -> Self {
                $type { $($field: ZERO),+ }
            }
        }
    };
}

named!(Publics {
    victims,
    at_risk_of_victimisation,
    minors_at_risk,
    conjugal_conflicts,
    family_conflicts,
    neighbour_conflicts,
    social_distress,
    evictions_and_housing_breakdown,
    involved,
    alleged_authors_and_family,
});
named!(GuideOrigins { police_gendarmerie, other_services, spontaneous });
named!(Actions { reception, listening, action, orientation, liaison });
named!(BySex { female, male, other, unknown });
named!(ByAge { minor, adult, unknown });

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_public_has_one_rank_and_every_problem_type_a_public() {
        let mut keys = Publics::KEYS.to_vec();
        keys.sort_unstable();
        let mut ranked = PRECEDENCE.to_vec();
        ranked.sort_unstable();
        assert_eq!(keys, ranked);
        let typed: Vec<&str> = BY_PROBLEM_TYPE.iter().flat_map(|(_, t)| t.iter().copied()).chain(MINOR_TYPES).collect();
        for code in
            ["domestic_violence", "conflictual_separation", "child_at_risk", "family_conflict", "neighbour_dispute", "mental_distress"]
        {
            assert!(typed.contains(&code), "{code} falls in a public");
        }
    }

    #[test]
    fn rows_fill_the_named_counts_and_absent_keys_are_zero() {
        let origins = GuideOrigins::from_rows(&[("spontaneous".into(), 3), ("police_gendarmerie".into(), 9)]);
        assert_eq!(origins.police_gendarmerie.value, Some(9));
        assert_eq!(origins.other_services.value, Some(0));
        assert_eq!(group_case("source", &ORIGINS[2..]), "CASE source WHEN 'walk_in' THEN 'spontaneous' ELSE 'other' END");
    }
}
