//! The funders' grid as CSV: the same columns as the standard report's, the guide's wording.

use super::guide::Named;
use super::models::{FundersFigures, FundersReport};
use crate::http::csv::{BOM, row};
use crate::reports::csv::{HEADER, put_delay, value};
use crate::reports::models::Count;

/// The guide's words for each category code.
fn label(code: &str) -> &str {
    match code {
        "victims" => "Victimes",
        "at_risk_of_victimisation" => "Personnes en voie de victimisation",
        "minors_at_risk" => "Mineurs en danger",
        "conjugal_conflicts" => "Conflits conjugaux",
        "family_conflicts" => "Conflits familiaux",
        "neighbour_conflicts" => "Conflits de voisinage",
        "social_distress" => "Personnes en détresse ou en difficulté sociale",
        "evictions_and_housing_breakdown" => "Expulsions locatives et ruptures d'hébergement",
        "involved" => "Impliqués",
        "alleged_authors_and_family" => "Mis en cause et leur famille",
        "police_gendarmerie" => "Services de police ou de gendarmerie",
        "other_services" => "Autres services",
        "spontaneous" => "Démarche spontanée",
        "reception" => "Accueil",
        "listening" => "Écoute",
        "action" => "Action",
        "orientation" => "Orientation",
        "liaison" => "Facilitation du lien",
        "female" => "Femmes",
        "male" => "Hommes",
        "other" => "Autre",
        "minor" => "Mineurs",
        "adult" => "Majeurs",
        "unknown" => "Non renseigné",
        other => other,
    }
}

pub fn funders(report: &FundersReport) -> String {
    let mut out = String::from(BOM);
    row(&mut out, &HEADER);
    for period in &report.periods {
        let (from, to) = (period.from.to_string(), period.to.to_string());
        let mut put = |figure: &str, code: &str, category: &str, count: &Count| {
            let (v, hidden) = value(count);
            row(&mut out, &[&from, &to, figure, category, code, &v, hidden]);
        };
        put_figures(&mut put, &period.figures);
    }
    out
}

fn put_figures(put: &mut impl FnMut(&str, &str, &str, &Count), f: &FundersFigures) {
    let named = |put: &mut dyn FnMut(&str, &str, &str, &Count), figure: &str, entries: Vec<(&'static str, Count)>| {
        for (code, count) in entries {
            put(figure, code, label(code), &count);
        }
    };
    put("personnes_recues", "total", "Total", &f.persons_received);
    named(put, "personnes_par_public", f.persons_by_public.entries());
    named(put, "personnes_par_sexe", f.persons_by_sex.entries());
    named(put, "personnes_par_age", f.persons_by_age.entries());
    for c in &f.persons_by_commune {
        put("personnes_par_commune", c.commune.as_deref().unwrap_or_default(), c.commune.as_deref().unwrap_or("Non renseignée"), &c.count);
    }
    put("situations_rencontrees", "total", "Total", &f.situations_met);
    named(put, "situations_par_public", f.situations_by_public.entries());
    put("saisines", "total", "Total", &f.referrals_received);
    named(put, "saisines_par_origine", f.referrals_by_origin.entries());
    for u in &f.referrals_by_unit {
        let name = u.name.as_deref().unwrap_or("Enregistrées par les intervenants sociaux");
        put("saisines_par_unite", u.organisation_id.as_deref().unwrap_or_default(), name, &u.count);
    }
    put("actions", "total", "Total", &f.actions_total);
    named(put, "actions_par_type", f.actions_by_kind.entries());
    put("contacts_brefs", "total", "Total", &f.brief_contacts_total);
    named(put, "contacts_brefs_par_origine", f.brief_contacts_by_origin.entries());
    put_delay(put, ("delai_premier_contact", super::super::csv::CONTACTED), None, &f.first_contact_delay);
    put_delay(put, ("delai_premier_entretien", super::super::csv::INTERVIEWED), None, &f.first_interview_delay);
    for o in &f.reactivity_by_origin {
        let origin = (o.key.as_str(), label(&o.key).to_owned());
        put_delay(put, ("delai_premier_contact_par_origine", super::super::csv::CONTACTED), Some(&origin), &o.first_contact);
        put_delay(put, ("delai_premier_entretien_par_origine", super::super::csv::INTERVIEWED), Some(&origin), &o.first_interview);
    }
}
