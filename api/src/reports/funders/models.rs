//! The funders' grid: the year in the categories of the 2008 practical guide of the Délégation
//! interministérielle à la ville (publics, origins, actions), each defined below in terms of
//! Relais's roles, problem types, sources and intervention kinds.

use chrono::NaiveDate;
use serde::Serialize;
use utoipa::ToSchema;

use super::super::models::{ContactDelay, Count, Granularity, Layout, OriginReactivity};

/// Counts in the guide's publics, in the guide's order. Each person (or situation) counts in
/// exactly one public, so the publics add up to the total: the first, in the order of
/// precedence 1 to 10 given with each public, whose definition it meets in one of its
/// situations met in the period. A person's definitions read their role in that situation and
/// its problem types; a situation's read the roles of its persons and its problem types.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Publics {
    /// Victimes (precedence 2): a person with the role `victim`; a situation with a victim.
    pub victims: Count,
    /// Personnes en voie de victimisation (precedence 4): a situation of type
    /// `vulnerable_adult` or `harassment`, and the persons in it.
    pub at_risk_of_victimisation: Count,
    /// Mineurs en danger (precedence 1): a situation of type `child_at_risk` or
    /// `runaway_minor`; a person who was a minor at their first contact, is not an
    /// `alleged_author`, in a situation of type `child_at_risk`, `runaway_minor` or
    /// `domestic_violence` (a child exposed to violence between its parents).
    pub minors_at_risk: Count,
    /// Conflits conjugaux (precedence 5): a situation of type `conflictual_separation` or
    /// `domestic_violence`, and the persons in it.
    pub conjugal_conflicts: Count,
    /// Conflits familiaux (precedence 6): type `family_conflict`.
    pub family_conflicts: Count,
    /// Conflits de voisinage (precedence 7): type `neighbour_dispute`.
    pub neighbour_conflicts: Count,
    /// Personnes en détresse ou en difficulté sociale (precedence 9): type `mental_distress`
    /// or `addiction`.
    pub social_distress: Count,
    /// Expulsions locatives et ruptures d'hébergement (precedence 8): type
    /// `housing_precarity`.
    pub evictions_and_housing_breakdown: Count,
    /// Impliqués (precedence 10): everyone else (persons with the role `other` in a
    /// situation of type `other` or without a type, relatives of an alleged author, since
    /// Relais does not record kinship).
    pub involved: Count,
    /// Mis en cause et leur famille (precedence 3): a person with the role `alleged_author`; a
    /// situation with an alleged author and no victim.
    pub alleged_authors_and_family: Count,
}

/// Counts by the guide's origins.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct GuideOrigins {
    /// Services de police ou de gendarmerie: sources `gendarmerie`, `police_nationale`,
    /// `police_municipale`, and `proactive` (the coordinators reached out after the police
    /// met the person).
    pub police_gendarmerie: Count,
    /// Autres services: source `partner`.
    pub other_services: Count,
    /// Démarche spontanée: source `walk_in`.
    pub spontaneous: Count,
}

/// The guide's five actions, counted in the period.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Actions {
    /// Accueil: appointments attended.
    pub reception: Count,
    /// Écoute: interventions `first_listening` and `phone_follow_up`.
    pub listening: Count,
    /// Action: interventions `advice`, `accompaniment`, `administrative_help`,
    /// `concern_report` and `prosecutor_report`.
    pub action: Count,
    /// Orientation: interventions `orientation` (to a partner of the directory).
    pub orientation: Count,
    /// Facilitation du lien: interventions `mediation` (the relay between the security
    /// services, the partners and the person).
    pub liaison: Count,
}

/// Persons received by sex (`unknown`: not recorded).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct BySex {
    pub female: Count,
    pub male: Count,
    pub other: Count,
    pub unknown: Count,
}

/// Persons received by age at their first contact ever (as `persons_by_age_group`).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ByAge {
    pub minor: Count,
    pub adult: Count,
    /// Neither a birth date nor a birth year recorded.
    pub unknown: Count,
}

/// Persons received who live in one commune.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CommuneCount {
    /// The commune as recorded (trimmed); null when not recorded.
    pub commune: Option<String>,
    pub count: Count,
}

/// Referrals received from one unit.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct UnitReferrals {
    /// The gendarmerie unit or police service that sent them; null for the `proactive`
    /// referrals, which the coordinators record themselves after the police met the person.
    pub organisation_id: Option<String>,
    pub name: Option<String>,
    /// `gendarmerie`, `police_municipale` or `police_nationale`.
    pub kind: Option<String>,
    pub count: Count,
}

/// One period of the funders' grid, for a CCAS.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FundersFigures {
    /// Persons received, as in the standard report: distinct persons who attended an
    /// appointment or took part in an in-person intervention in the period.
    pub persons_received: Count,
    /// Persons received, by public (each in one public; see `Publics`).
    pub persons_by_public: Publics,
    pub persons_by_sex: BySex,
    pub persons_by_age: ByAge,
    /// Persons received, by the commune recorded on their file, largest first.
    pub persons_by_commune: Vec<CommuneCount>,
    /// Situations met, as in the standard report (opened in the period, or ongoing).
    pub situations_met: Count,
    /// Situations met, by public (each in one public; see `Publics`).
    pub situations_by_public: Publics,
    /// Referrals received in the period.
    pub referrals_received: Count,
    pub referrals_by_origin: GuideOrigins,
    /// Referrals of police or gendarmerie origin, by the unit that sent them (they add up to
    /// `referrals_by_origin.police_gendarmerie`), largest first.
    pub referrals_by_unit: Vec<UnitReferrals>,
    /// Actions of the period: attended appointments and interventions.
    pub actions_total: Count,
    pub actions_by_kind: Actions,
    /// Brief anonymous contacts, counted apart from persons and situations.
    pub brief_contacts_total: Count,
    pub brief_contacts_by_origin: GuideOrigins,
    /// Delay from receipt to first contact, as in the standard report.
    pub first_contact_delay: ContactDelay,
    /// Delay from receipt to first interview, as in the standard report.
    pub first_interview_delay: ContactDelay,
    /// Both delays by the guide's origin (`police_gendarmerie`, `other_services`,
    /// `spontaneous`), always the three.
    pub reactivity_by_origin: Vec<OriginReactivity>,
}

fn funders_layout() -> utoipa::openapi::schema::Object {
    crate::reports::models::pinned_layout("funders")
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FundersPeriod {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub figures: FundersFigures,
}

/// The funders' grid of a CCAS (exact for `ccas`, small counts suppressed for `reports`).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FundersReport {
    /// Always `funders`: tells this grid from the standard report.
    #[schema(schema_with = funders_layout)]
    pub layout: Layout,
    pub ccas_id: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub granularity: Granularity,
    /// True for the `reports` audience: counts from 1 to 4 are suppressed, with the same
    /// secondary suppression as the standard report, over both layouts together.
    pub small_counts_suppressed: bool,
    pub periods: Vec<FundersPeriod>,
}
