//! The French wording of the report's categories, for the CSV a spreadsheet user reads (the
//! code stays in its own column for tools). The same words as the web client's.

use std::collections::HashMap;

/// The French label of `code` in the list `figure` (`referrals_by_source`, …); problem types
/// come from the reference table (`problem_types`).
pub fn label(figure: &str, code: &str, problem_types: &HashMap<String, String>) -> String {
    let known = match figure {
        "saisines_par_origine" | "contacts_brefs_par_origine" => source(code),
        "contacts_brefs_par_canal" => channel(code),
        "orientations_par_suite" => took_over(code),
        "saisines_par_issue" => status(code),
        "situations_par_problematique" => problem_types.get(code).map(String::as_str),
        "personnes_par_role" => role(code),
        "personnes_par_age" => age_group(code),
        "interventions_par_type" | "signalements_par_type" => intervention(code),
        "orientations_par_type_de_partenaire" => partner_kind(code),
        "rendez_vous_par_type_et_issue" => return appointment(code),
        _ => None,
    };
    known.unwrap_or(code).to_owned()
}

fn source(code: &str) -> Option<&'static str> {
    Some(match code {
        "gendarmerie" => "Gendarmerie",
        "police_municipale" => "Police municipale",
        "police_nationale" => "Police nationale",
        "partner" => "Partenaire",
        "walk_in" => "Venue spontanée",
        "proactive" => "Démarche proactive",
        _ => return None,
    })
}

fn took_over(code: &str) -> Option<&'static str> {
    Some(match code {
        "yes" => "Prise en charge par le partenaire",
        "no" => "Non prise en charge",
        "unknown" => "Suite inconnue",
        _ => return None,
    })
}

fn channel(code: &str) -> Option<&'static str> {
    Some(match code {
        "phone" => "Téléphone",
        "sms" => "SMS",
        "letter" => "Courrier",
        "in_person" => "En personne",
        _ => return None,
    })
}

fn status(code: &str) -> Option<&'static str> {
    Some(match code {
        "received" => "Nouvelle",
        "contact_attempted" => "Contact en cours",
        "accepted" => "Prise en charge",
        "declined" => "Non retenue",
        _ => return None,
    })
}

fn role(code: &str) -> Option<&'static str> {
    Some(match code {
        "victim" => "Victime",
        "alleged_author" => "Auteur présumé",
        "other" => "Autre personne",
        _ => return None,
    })
}

fn age_group(code: &str) -> Option<&'static str> {
    Some(match code {
        "minor" => "Mineur au premier contact",
        "adult" => "Majeur au premier contact",
        "unknown" => "Âge inconnu",
        _ => return None,
    })
}

fn intervention(code: &str) -> Option<&'static str> {
    Some(match code {
        "first_listening" => "Premier accueil, écoute",
        "advice" => "Conseil, information",
        "orientation" => "Orientation vers un partenaire",
        "mediation" => "Médiation",
        "accompaniment" => "Accompagnement",
        "phone_follow_up" => "Suivi téléphonique",
        "administrative_help" => "Aide administrative",
        "concern_report" => "Information préoccupante",
        "prosecutor_report" => "Signalement au procureur",
        _ => return None,
    })
}

pub(crate) fn partner_kind(code: &str) -> Option<&'static str> {
    Some(match code {
        "victim_support" => "Aide aux victimes",
        "social_services" => "Services sociaux",
        "child_protection" => "Protection de l'enfance",
        "health" => "Santé",
        "mental_health" => "Santé mentale",
        "addiction" => "Addictologie",
        "housing" => "Logement, hébergement",
        "legal_aid" => "Accès au droit",
        "justice" => "Justice",
        "family_mediation" => "Médiation familiale",
        "employment" => "Emploi, insertion",
        _ => return None,
    })
}

/// `scheduled:no_show` → "Sur rendez-vous, absence".
fn appointment(code: &str) -> String {
    let (kind, status) = code.split_once(':').unwrap_or((code, ""));
    let kind = match kind {
        "scheduled" => "Sur rendez-vous",
        "emergency" => "En urgence",
        "phone" => "Par téléphone",
        other => other,
    };
    let status = match status {
        "planned" => "prévu",
        "attended" => "honoré",
        "no_show" => "absence",
        "cancelled" => "annulé",
        other => other,
    };
    format!("{kind}, {status}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_read_in_french_and_unknown_ones_stay_as_they_are() {
        let types = HashMap::from([("domestic_violence".to_owned(), "Violences conjugales".to_owned())]);
        assert_eq!(label("saisines_par_origine", "walk_in", &types), "Venue spontanée");
        assert_eq!(label("rendez_vous_par_type_et_issue", "scheduled:no_show", &types), "Sur rendez-vous, absence");
        assert_eq!(label("situations_par_problematique", "domestic_violence", &types), "Violences conjugales");
        assert_eq!(label("partner_kind_unknown", "x", &types), "x");
    }
}
