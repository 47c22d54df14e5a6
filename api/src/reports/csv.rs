//! The report as CSV for spreadsheets: French headers, `;` separator, UTF-8 with a BOM, one
//! row per figure and category.

use std::collections::HashMap;

use super::labels::label;
use super::models::{ActivityReport, AgencyActivityReport, Breakdown, ContactDelay, Count};
use crate::http::csv::{BOM, row};

/// The columns of both layouts' CSV.
pub(super) const HEADER: [&str; 7] = ["Début", "Fin", "Indicateur", "Catégorie", "Code", "Valeur", "Masqué (effectif de 1 à 4)"];

pub(super) fn value(count: &Count) -> (String, &'static str) {
    (count.value.map(|n| n.to_string()).unwrap_or_default(), if count.suppressed { "oui" } else { "non" })
}

/// `problem_types`: code → French label, for the categories of that list.
pub fn ccas(report: &ActivityReport, problem_types: &HashMap<String, String>) -> String {
    let mut out = String::from(BOM);
    row(&mut out, &HEADER);
    for period in &report.periods {
        let (from, to) = (period.from.to_string(), period.to.to_string());
        let f = &period.figures;
        let mut put = |figure: &str, code: &str, category: &str, count: &Count| {
            let (v, hidden) = value(count);
            row(&mut out, &[&from, &to, figure, category, code, &v, hidden]);
        };
        put("situations_rencontrees", "opened", "Nouvelles", &f.situations_met.opened);
        put("situations_rencontrees", "ongoing", "En cours", &f.situations_met.ongoing);
        put("situations_rencontrees", "total", "Total", &f.situations_met.total);
        put("personnes_recues", "total", "Total", &f.persons_received);
        put("saisines", "total", "Total", &f.referrals_received);
        put("interventions", "total", "Total", &f.interventions_total);
        put("rendez_vous", "total", "Total", &f.appointments_total);
        put("contacts_brefs", "total", "Total", &f.brief_contacts_total);
        let lists: [(&str, &Vec<Breakdown>); 12] = [
            ("saisines_par_origine", &f.referrals_by_source),
            ("saisines_par_issue", &f.referrals_by_outcome),
            ("situations_par_problematique", &f.situations_by_problem_type),
            ("personnes_par_role", &f.persons_by_role),
            ("personnes_par_age", &f.persons_by_age_group),
            ("interventions_par_type", &f.interventions_by_kind),
            ("orientations_par_type_de_partenaire", &f.orientations_by_partner_kind),
            ("orientations_par_suite", &f.orientations_by_outcome),
            ("rendez_vous_par_type_et_issue", &f.appointments_by_kind_and_outcome),
            ("signalements_par_type", &f.legal_reports_by_kind),
            ("contacts_brefs_par_canal", &f.brief_contacts_by_channel),
            ("contacts_brefs_par_origine", &f.brief_contacts_by_origin),
        ];
        for (figure, breakdowns) in lists {
            for b in breakdowns {
                put(figure, &b.key, &label(figure, &b.key, problem_types), &b.count);
            }
        }
        put_delay(&mut put, ("delai_premier_contact", CONTACTED), None, &f.first_contact_delay);
        put_delay(&mut put, ("delai_premier_entretien", INTERVIEWED), None, &f.first_interview_delay);
        for o in &f.reactivity_by_origin {
            let origin = (o.key.as_str(), label("saisines_par_origine", &o.key, problem_types));
            put_delay(&mut put, ("delai_premier_contact_par_origine", CONTACTED), Some(&origin), &o.first_contact);
            put_delay(&mut put, ("delai_premier_entretien_par_origine", INTERVIEWED), Some(&origin), &o.first_interview);
        }
    }
    out
}

pub(super) const CONTACTED: &str = "Saisines contactées";
pub(super) const INTERVIEWED: &str = "Saisines suivies d'un entretien";

/// A delay's three rows (count, median, 90th percentile) under `figure`, the count named
/// `reached`; for one origin when given as (code, label).
pub(super) fn put_delay(
    put: &mut (impl FnMut(&str, &str, &str, &Count) + ?Sized),
    (figure, reached): (&str, &str),
    origin: Option<&(&str, String)>,
    delay: &ContactDelay,
) {
    let name = |what: &str, words: &str| match origin {
        Some((key, label)) => (format!("{key}:{what}"), format!("{label} — {words}")),
        None => (what.to_owned(), words.to_owned()),
    };
    let (code, category) = name("referrals", reached);
    put(figure, &code, &category, &delay.referrals);
    for (what, words, minutes) in
        [("median_minutes", "Médiane (minutes)", delay.median_minutes), ("p90_minutes", "90e centile (minutes)", delay.p90_minutes)]
    {
        let (code, category) = name(what, words);
        put(figure, &code, &category, &Count { value: minutes, suppressed: minutes.is_none() && delay.referrals.suppressed });
    }
}

pub fn agency(report: &AgencyActivityReport) -> String {
    let mut out = String::from(BOM);
    row(&mut out, &["Début", "Fin", "Saisines", "Acceptées", "Déclinées", "En attente", "Délai médian avant premier contact (minutes)"]);
    for p in &report.periods {
        let median = p.first_contact_delay_median_minutes.map(|m| m.to_string()).unwrap_or_default();
        let cells = [
            p.from.to_string(),
            p.to.to_string(),
            p.referrals.to_string(),
            p.accepted.to_string(),
            p.declined.to_string(),
            p.pending.to_string(),
            median,
        ];
        row(&mut out, &cells.iter().map(String::as_str).collect::<Vec<_>>());
    }
    out
}
