//! The demo's fictitious partners and referrals.

use crate::partners::models::{PartnerInput, PartnerKind, PublicServed};
use crate::referrals::models::*;

fn partner(name: &str, kind: PartnerKind, themes: &[&str], publics: &[PublicServed], commune: &str, phone: &str) -> PartnerInput {
    PartnerInput {
        name: name.into(),
        kind,
        themes: themes.iter().map(|t| (*t).to_owned()).collect(),
        publics: publics.to_vec(),
        address: None,
        commune: Some(commune.into()),
        phone: Some(phone.into()),
        email: None,
        website: None,
        opening_hours: Some("lun–ven 9h–12h, 14h–17h".into()),
        notes: None,
        active: true,
    }
}

pub fn partners() -> Vec<PartnerInput> {
    use PartnerKind::*;
    use PublicServed::*;
    vec![
        partner(
            "Association d'aide aux victimes du Nord-Isère",
            VictimSupport,
            &["domestic_violence", "harassment"],
            &[Victims],
            "Bourgoin-Jallieu",
            "04 74 00 10 10",
        ),
        partner(
            "Centre d'information sur les droits des femmes et des familles",
            LegalAid,
            &["domestic_violence", "conflictual_separation"],
            &[Adults, Families],
            "Villefontaine",
            "04 74 00 20 20",
        ),
        partner(
            "Maison départementale des solidarités",
            SocialServices,
            &["child_at_risk", "housing_precarity", "vulnerable_adult"],
            &[Everyone],
            "L'Isle-d'Abeau",
            "04 74 00 30 30",
        ),
        partner(
            "Centre médico-psychologique Hélène Boucher",
            MentalHealth,
            &["mental_distress"],
            &[Adults],
            "Villefontaine",
            "04 74 00 40 40",
        ),
        partner(
            "Point accueil écoute jeunes",
            ChildProtection,
            &["runaway_minor", "family_conflict"],
            &[Minors, Families],
            "Villefontaine",
            "04 74 00 50 50",
        ),
        partner("CSAPA Nord-Isère", Addiction, &["addiction"], &[Adults], "Bourgoin-Jallieu", "04 74 00 60 60"),
        partner(
            "Service de médiation familiale",
            FamilyMediation,
            &["conflictual_separation", "family_conflict"],
            &[Families],
            "Vienne",
            "04 74 00 70 70",
        ),
        partner(
            "Accueil de jour et hébergement d'urgence",
            Housing,
            &["housing_precarity"],
            &[Everyone],
            "Bourgoin-Jallieu",
            "04 74 00 80 80",
        ),
    ]
}

fn person(role: Role, last: &str, first: &str, age: i32, consent: Consent) -> NewReferralPerson {
    NewReferralPerson {
        role,
        last_name: Some(last.into()),
        first_name: Some(first.into()),
        birth_date: None,
        age: Some(age),
        // Marc, Karim, Yannick, Thierry and Marcel are men: the file says "né", not "née".
        sex: Some(if ["Marc", "Karim", "Yannick", "Thierry", "Marcel"].contains(&first) { Sex::Male } else { Sex::Female }),
        phone: Some(format!("06 00 {:02} {:02} {:02}", age, last.len(), first.len())),
        email: None,
        address: None,
        commune: Some("Villefontaine".into()),
        safe_contact: SafeContact::default(),
        consent,
        best_time: None,
        best_channel: None,
        informed_of_coordination: Answer::Unknown,
    }
}

fn referral(urgency: Urgency, types: &[&str], summary: &str, persons: Vec<NewReferralPerson>) -> NewReferral {
    NewReferral {
        source: None,
        partner_id: None,
        agent_reference: None,
        procedure_reference: None,
        received_at: None,
        urgency,
        problem_types: types.iter().map(|t| (*t).to_owned()).collect(),
        summary: summary.into(),
        judicial_proceedings: JudicialProceedings::Unknown,
        police_contact: None,
        children_exposed: Answer::Unknown,
        children_count: None,
        persons,
    }
}

pub fn referrals() -> Vec<(Source, NewReferral)> {
    use Consent::*;
    use Role::*;
    use Source::*;
    use Urgency::*;
    vec![
        (
            Gendarmerie,
            referral(
                Urgent,
                &["domestic_violence"],
                "Intervention de nuit pour dispute conjugale ; madame accepte d'être contactée.",
                vec![person(Victim, "Lefèvre", "Sandrine", 34, Given), person(AllegedAuthor, "Lefèvre", "Marc", 37, Unknown)],
            ),
        ),
        (
            Gendarmerie,
            referral(
                Normal,
                &["conflictual_separation"],
                "Main courante pour non-présentation d'enfant.",
                vec![person(Other, "Dubois", "Karim", 41, Given)],
            ),
        ),
        (
            PoliceMunicipale,
            referral(
                Normal,
                &["neighbour_dispute"],
                "Conflit de voisinage récurrent, personne âgée isolée.",
                vec![person(Victim, "Moreau", "Jeanne", 78, Given)],
            ),
        ),
        (
            Gendarmerie,
            referral(
                Urgent,
                &["child_at_risk", "family_conflict"],
                "Mineure de 15 ans en fugue retrouvée, conflit avec les parents.",
                vec![person(Victim, "Petit", "Léa", 15, NotRequired)],
            ),
        ),
        (
            WalkIn,
            referral(
                Normal,
                &["housing_precarity"],
                "Se présente à l'accueil de la brigade, menace d'expulsion.",
                vec![person(Other, "Girard", "Hélène", 52, Given)],
            ),
        ),
        (
            PoliceMunicipale,
            referral(
                Normal,
                &["mental_distress"],
                "Personne en détresse sur la voie publique, accepte un rendez-vous.",
                vec![person(Other, "Lambert", "Yannick", 29, Given)],
            ),
        ),
        (
            Gendarmerie,
            referral(
                Normal,
                &["harassment"],
                "Plainte pour harcèlement par un ancien conjoint.",
                vec![person(Victim, "Fontaine", "Chloé", 26, Given)],
            ),
        ),
        (
            Partner,
            referral(
                Normal,
                &["domestic_violence"],
                "Orientée par l'association d'aide aux victimes pour un accompagnement.",
                vec![person(Victim, "Rousseau", "Amina", 31, Given)],
            ),
        ),
        (
            Gendarmerie,
            referral(
                Normal,
                &["addiction", "family_conflict"],
                "Conflit familial sur fond d'alcool ; le mis en cause demande de l'aide.",
                vec![person(AllegedAuthor, "Mercier", "Thierry", 45, Given)],
            ),
        ),
        (
            Proactive,
            referral(
                Normal,
                &["vulnerable_adult"],
                "Prise de contact après signalement de la gendarmerie : personne isolée.",
                vec![person(Other, "Bonnet", "Marcel", 83, Unknown)],
            ),
        ),
    ]
}
