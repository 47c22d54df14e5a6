//! Relais's words and data·inclusion's (schema v1): partner kinds and problem-type themes to
//! `thematiques`, publics to `publics`, and back. One table each way, read by the export and
//! the import.

use super::super::models::{PartnerKind, PublicServed};

/// The `thematiques` a partner of `kind` covers.
pub fn thematiques_of_kind(kind: PartnerKind) -> &'static [&'static str] {
    match kind {
        PartnerKind::VictimSupport | PartnerKind::Justice => {
            &["difficultes-administratives-ou-juridiques--prendre-en-compte-une-problematique-judiciaire"]
        }
        PartnerKind::LegalAid => &["difficultes-administratives-ou-juridiques--accompagnement-pour-lacces-aux-droits"],
        PartnerKind::SocialServices => &["difficultes-administratives-ou-juridiques--accompagnement-aux-demarches-administratives"],
        PartnerKind::ChildProtection => &["famille--soutien-a-la-parentalite-et-a-leducation"],
        PartnerKind::FamilyMediation => &["famille--surmonter-conflits-separation-violence"],
        PartnerKind::Health => &["sante--acces-aux-soins"],
        PartnerKind::MentalHealth => &["sante--sante-mentale"],
        PartnerKind::Addiction => &["sante--addictions"],
        PartnerKind::Housing => &["logement-hebergement--rechercher-une-solution-dhebergement-temporaire"],
        PartnerKind::Employment => &["trouver-un-emploi--repondre-a-des-offres-demploi"],
        PartnerKind::Other => &[],
    }
}

/// The `thematiques` of a problem type a partner handles (a code of `/problem-types`).
pub fn thematiques_of_theme(theme: &str) -> &'static [&'static str] {
    match theme {
        "domestic_violence" | "conflictual_separation" | "family_conflict" => &["famille--surmonter-conflits-separation-violence"],
        "child_at_risk" | "runaway_minor" => &["famille--soutien-a-la-parentalite-et-a-leducation"],
        "mental_distress" => &["sante--sante-mentale"],
        "addiction" => &["sante--addictions"],
        "housing_precarity" => &["logement-hebergement--se-maintenir-dans-le-logement"],
        "vulnerable_adult" => &["famille--prise-en-charge-personne-dependante"],
        "harassment" | "neighbour_dispute" => {
            &["difficultes-administratives-ou-juridiques--prendre-en-compte-une-problematique-judiciaire"]
        }
        _ => &[],
    }
}

pub fn public_of(public: PublicServed) -> Option<&'static str> {
    match public {
        PublicServed::Everyone => Some("tous-publics"),
        PublicServed::Minors => Some("jeunes"),
        PublicServed::Families => Some("familles"),
        PublicServed::Elderly => Some("seniors"),
        PublicServed::Victims | PublicServed::AllegedAuthors => Some("personnes-en-situation-juridique-specifique"),
        PublicServed::Adults => None,
    }
}

/// The kind of an imported structure: the first rule one of its `thematiques` meets (a
/// `thematique` is `category--subject`; a rule names either).
const KIND_RULES: [(&str, PartnerKind); 14] = [
    ("sante--sante-mentale", PartnerKind::MentalHealth),
    ("sante--addictions", PartnerKind::Addiction),
    ("sante", PartnerKind::Health),
    ("famille--surmonter-conflits-separation-violence", PartnerKind::FamilyMediation),
    ("famille--soutien-a-la-parentalite-et-a-leducation", PartnerKind::ChildProtection),
    ("logement-hebergement", PartnerKind::Housing),
    ("difficultes-administratives-ou-juridiques--prendre-en-compte-une-problematique-judiciaire", PartnerKind::Justice),
    ("difficultes-administratives-ou-juridiques--accompagnement-pour-lacces-aux-droits", PartnerKind::LegalAid),
    ("difficultes-administratives-ou-juridiques--connaitre-ses-droits-face-a-une-discrimination", PartnerKind::LegalAid),
    ("difficultes-administratives-ou-juridiques", PartnerKind::SocialServices),
    ("difficultes-financieres", PartnerKind::SocialServices),
    ("famille", PartnerKind::SocialServices),
    ("trouver-un-emploi", PartnerKind::Employment),
    ("preparer-sa-candidature", PartnerKind::Employment),
];

fn covers(rule: &str, thematique: &str) -> bool {
    thematique == rule || thematique.split("--").next() == Some(rule)
}

pub fn kind_of(thematiques: &[String]) -> PartnerKind {
    KIND_RULES.iter().find(|(rule, _)| thematiques.iter().any(|t| covers(rule, t))).map_or(PartnerKind::Other, |(_, kind)| *kind)
}

/// The problem types an imported structure's `thematiques` speak of.
pub fn themes_of(thematiques: &[String]) -> Vec<String> {
    let mut themes: Vec<String> = thematiques
        .iter()
        .flat_map(|t| -> &'static [&'static str] {
            match t.as_str() {
                "famille--surmonter-conflits-separation-violence" => &["domestic_violence", "conflictual_separation", "family_conflict"],
                "famille--soutien-a-la-parentalite-et-a-leducation" => &["child_at_risk"],
                "famille--prise-en-charge-personne-dependante" => &["vulnerable_adult"],
                "sante--sante-mentale" => &["mental_distress"],
                "sante--addictions" => &["addiction"],
                t if t.starts_with("logement-hebergement--") => &["housing_precarity"],
                _ => &[],
            }
        })
        .map(|t| (*t).to_owned())
        .collect();
    themes.sort();
    themes.dedup();
    themes
}

/// The publics an imported structure's `publics` name (the others are kept as they were).
pub fn publics_of(publics: &[String]) -> Vec<PublicServed> {
    let mut served: Vec<PublicServed> = publics
        .iter()
        .filter_map(|p| match p.as_str() {
            "tous-publics" => Some(PublicServed::Everyone),
            "jeunes" => Some(PublicServed::Minors),
            "familles" => Some(PublicServed::Families),
            "seniors" => Some(PublicServed::Elderly),
            _ => None,
        })
        .collect();
    served.dedup();
    served
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_come_from_the_most_specific_thematique_first() {
        let of = |ts: &[&str]| kind_of(&ts.iter().map(|t| (*t).to_owned()).collect::<Vec<_>>());
        assert_eq!(of(&["sante--acces-aux-soins", "sante--addictions"]), PartnerKind::Addiction);
        assert_eq!(of(&["logement-hebergement--louer-un-logement"]), PartnerKind::Housing);
        assert_eq!(of(&["mobilite--preparer-un-permis"]), PartnerKind::Other);
        assert_eq!(themes_of(&["famille--soutien-a-la-parentalite-et-a-leducation".to_owned()]), ["child_at_risk"]);
    }
}
