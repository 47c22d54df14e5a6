//! A realistic year of activity for the demo: about 180 situations and 320 persons with their
//! referrals, contact attempts, appointments and interventions, spread over the last twelve
//! months. A fixed seed makes every demo the same; every name is fictitious.

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, Weekday};

use crate::appointments::hours::local_instant;
use crate::db::DbConnection;
use crate::error::{ApiError, ApiResult};
use crate::persons::models::PersonInput;
use crate::referrals::models::{
    ContactChannel, ContactOutcome, DeclineReason, JudicialProceedings, NewContactAttempt, NewReferral, NewReferralPerson, PoliceContact,
    ReferralStatus, Source, Urgency,
};
use crate::referrals::{NewReferralRecord, change_status, insert_referral};
use crate::situations::models::{ClosingReason, NewSituation, PersonRole};
use crate::vocabulary::{Answer, Consent, Role, SafeContact, Safety};

const LAST_NAMES: [&str; 40] = [
    "Martin",
    "Bernard",
    "Thomas",
    "Petit",
    "Robert",
    "Richard",
    "Durand",
    "Dubois",
    "Moreau",
    "Laurent",
    "Simon",
    "Michel",
    "Lefèvre",
    "Leroy",
    "Roux",
    "David",
    "Bertrand",
    "Morel",
    "Fournier",
    "Girard",
    "Bonnet",
    "Dupont",
    "Lambert",
    "Fontaine",
    "Rousseau",
    "Vincent",
    "Muller",
    "Lefebvre",
    "Faure",
    "André",
    "Mercier",
    "Blanc",
    "Guérin",
    "Boyer",
    "Garnier",
    "Chevalier",
    "François",
    "Legrand",
    "Gauthier",
    "Perrin",
];
const FIRST_NAMES: [&str; 40] = [
    "Sandrine",
    "Nadia",
    "Léa",
    "Hélène",
    "Amina",
    "Chloé",
    "Julie",
    "Sophie",
    "Camille",
    "Inès",
    "Manon",
    "Élodie",
    "Fatima",
    "Isabelle",
    "Nathalie",
    "Yasmine",
    "Emma",
    "Zoé",
    "Sarah",
    "Céline",
    "Marc",
    "Karim",
    "Thierry",
    "Julien",
    "Yannick",
    "Mehdi",
    "Nicolas",
    "Sébastien",
    "Lucas",
    "Hugo",
    "Théo",
    "Rachid",
    "Olivier",
    "Stéphane",
    "Kevin",
    "Bruno",
    "Marcel",
    "Jean",
    "Louis",
    "Noah",
];

/// The sex recorded for a demo person: the first twenty names of the list are women's.
fn sex_of(first_name: &str) -> crate::vocabulary::Sex {
    match FIRST_NAMES.iter().position(|n| *n == first_name) {
        Some(i) if i >= 20 => crate::vocabulary::Sex::Male,
        _ => crate::vocabulary::Sex::Female,
    }
}

/// Problem types with their share of situations, and whether they usually come with
/// judicial proceedings.
const PROBLEMS: [(&str, u32); 11] = [
    ("domestic_violence", 30),
    ("conflictual_separation", 18),
    ("family_conflict", 12),
    ("child_at_risk", 9),
    ("neighbour_dispute", 7),
    ("mental_distress", 7),
    ("housing_precarity", 5),
    ("vulnerable_adult", 4),
    ("harassment", 4),
    ("addiction", 2),
    ("runaway_minor", 2),
];

/// xorshift: enough randomness for a demo, reproducible, no dependency.
pub(super) struct Dice(u64);

impl Dice {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    pub(super) fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
    pub(super) fn percent(&mut self, p: u64) -> bool {
        self.below(100) < p
    }
    pub(super) fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
}

pub struct Context<'a> {
    pub ccas_id: &'a str,
    pub brigade_id: &'a str,
    pub police_id: &'a str,
    pub site_id: &'a str,
    pub coordinators: [&'a str; 2],
    pub partner_ids: &'a [String],
    /// The instant the demo is seeded at.
    pub now: NaiveDateTime,
}

impl Context<'_> {
    /// The day the demo is seeded on, in Paris.
    pub fn today(&self) -> NaiveDate {
        crate::time::paris_date(self.now)
    }
}

/// The first working moment (a minute between 9:00 and 17:00, Paris, Monday to Friday) at
/// or after `at`: coordinators call in office hours, not at 01:43.
fn at_work(at: NaiveDateTime) -> ApiResult<NaiveDateTime> {
    let local_day = at.and_utc().with_timezone(&chrono_tz::Europe::Paris).date_naive();
    // Drawn from the instant itself: the demo's other draws stay as they were.
    let minute = 9 * 60 + i32::try_from(at.and_utc().timestamp().div_euclid(60).rem_euclid(8 * 60)).unwrap_or(0);
    let same_day = working_instant(local_day, minute)?;
    if same_day >= at { Ok(same_day) } else { working_instant(local_day + Duration::days(1), minute) }
}

/// A working day and local time → UTC; weekends are moved to the next Monday.
pub(super) fn working_instant(day: NaiveDate, minute: i32) -> ApiResult<NaiveDateTime> {
    let day = match day.weekday() {
        Weekday::Sat => day + Duration::days(2),
        Weekday::Sun => day + Duration::days(1),
        _ => day,
    };
    local_instant(day, minute).map(|t| t.naive_utc()).ok_or_else(|| ApiError::internal("demo time"))
}

fn problem_type(dice: &mut Dice) -> &'static str {
    let total: u32 = PROBLEMS.iter().map(|p| p.1).sum();
    let mut roll = dice.below(u64::from(total)) as u32;
    for (code, weight) in PROBLEMS {
        if roll < weight {
            return code;
        }
        roll -= weight;
    }
    "other"
}

pub fn seed(conn: &mut DbConnection, ctx: &Context<'_>) -> ApiResult<()> {
    let mut dice = Dice(0x5eed_2026_cca5);
    // Each coordinator's next free appointment slot, walking forward through the year.
    let mut next_slot = [0_i64; 2];
    // The files still open, for the coming fortnight's appointments.
    let mut open_files: Vec<(usize, String, String)> = Vec::new();
    // About 189 referrals a year give the scale of the seed's own CCAS (176 situations and 322
    // persons received in 2010), counted as the report defines them.
    for n in 0..189_i64 {
        let opened_day = ctx.today() - Duration::days(365 - n * 358 / 196);
        let main_problem = problem_type(&mut dice);
        let mut problems = vec![main_problem.to_owned()];
        if dice.percent(25) {
            problems.push(problem_type(&mut dice).to_owned());
        }
        let source = match dice.below(100) {
            0..=49 => Source::Gendarmerie,
            50..=69 => Source::PoliceMunicipale,
            70..=79 => Source::Partner,
            80..=93 => Source::WalkIn,
            _ => Source::Proactive,
        };
        let people = 1 + usize::from(dice.percent(65)) + usize::from(dice.percent(28));
        let family = *dice.pick(&LAST_NAMES);
        let mut persons = Vec::new();
        for i in 0..people {
            let minor = main_problem == "child_at_risk" || main_problem == "runaway_minor";
            let age = if i > 0 && minor { 6 + dice.below(11) as i32 } else { 18 + dice.below(60) as i32 };
            let role = match (i, main_problem) {
                (0, _) => Role::Victim,
                (1, "domestic_violence" | "harassment") => Role::AllegedAuthor,
                _ => Role::Other,
            };
            let first_name = distinct_first_name(dice.pick::<&str>(&FIRST_NAMES), &persons);
            persons.push(NewReferralPerson {
                role,
                last_name: Some(if dice.percent(80) { family } else { *dice.pick(&LAST_NAMES) }.to_owned()),
                first_name: Some(first_name.clone()),
                birth_date: None,
                age: Some(age),
                sex: Some(sex_of(&first_name)),
                phone: dice
                    .percent(85)
                    .then(|| format!("06 {:02} {:02} {:02} {:02}", dice.below(100), dice.below(100), dice.below(100), dice.below(100))),
                email: None,
                address: None,
                commune: Some((*dice.pick(&["Villefontaine", "L'Isle-d'Abeau", "La Verpillière", "Vaulx-Milieu"])).to_owned()),
                safe_contact: SafeContact {
                    call: if dice.percent(20) { Safety::No } else { Safety::Yes },
                    text: if dice.percent(30) { Safety::No } else { Safety::Unknown },
                    write: Safety::Unknown,
                    note: None,
                },
                consent: if age < 18 { Consent::NotRequired } else { Consent::Given },
                best_time: (i == 0 && dice.percent(40)).then(|| (*dice.pick(&["le matin", "en journée", "après 18 h"])).to_owned()),
                best_channel: (i == 0 && dice.percent(60)).then_some(ContactChannel::Phone),
                informed_of_coordination: if i == 0 && dice.percent(70) { Answer::Yes } else { Answer::Unknown },
            });
        }
        let received_at = working_instant(opened_day, 8 * 60 + dice.below(10 * 60) as i32)?;
        // Children at home in about half the domestic violence situations.
        let children = match main_problem {
            "domestic_violence" if dice.percent(50) => (Answer::Yes, Some(1 + dice.below(3) as i32)),
            "domestic_violence" => (Answer::No, None),
            _ => (Answer::Unknown, None),
        };
        let body = NewReferral {
            source: Some(source),
            partner_id: (source == Source::Partner).then(|| ctx.partner_ids[0].clone()),
            agent_reference: None,
            procedure_reference: None,
            received_at: None,
            urgency: if dice.percent(20) { Urgency::Urgent } else { Urgency::Normal },
            problem_types: problems.clone(),
            summary: format!("Situation de démonstration n° {} ({main_problem}).", n + 1),
            judicial_proceedings: if dice.percent(40) { JudicialProceedings::Yes } else { JudicialProceedings::Unknown },
            police_contact: matches!(source, Source::Gendarmerie | Source::PoliceMunicipale).then(|| {
                *dice.pick(&[
                    PoliceContact::HomeCallOut,
                    PoliceContact::HomeCallOut,
                    PoliceContact::Complaint,
                    PoliceContact::MainCourante,
                    PoliceContact::Hearing,
                ])
            }),
            children_exposed: children.0,
            children_count: children.1,
            persons: persons.clone(),
        };
        let record = NewReferralRecord {
            ccas_id: ctx.ccas_id.to_owned(),
            source,
            referring_organisation_id: match source {
                Source::Gendarmerie => Some(ctx.brigade_id.to_owned()),
                Source::PoliceMunicipale => Some(ctx.police_id.to_owned()),
                _ => None,
            },
            created_by: "demo".to_owned(),
            received_at,
            body,
        };
        let now = ctx.now;
        let referral = insert_referral(conn, &record, now)?;
        let contacted = at_work(received_at + Duration::hours(2 + dice.below(70) as i64))?.min(now);
        let attempt = NewContactAttempt { at: None, channel: ContactChannel::Phone, outcome: ContactOutcome::Reached, note: None };
        crate::referrals::record_contact_attempt(conn, &referral, contacted, &attempt, "demo", now)?;
        change_status(conn, &referral, ReferralStatus::ContactAttempted, contacted, now)?;
        if dice.percent(8) {
            crate::referrals::decline(conn, &referral, DeclineReason::Unreachable, contacted, now)?;
            continue;
        }
        let coordinator = (n % 2) as usize;
        let mut roles = Vec::new();
        for p in &persons {
            let input = PersonInput {
                last_name: p.last_name.clone(),
                first_name: p.first_name.clone(),
                birth_year: p.age.map(|a| received_at.year() - a),
                phone: p.phone.clone(),
                commune: p.commune.clone(),
                sex: p.sex,
                safe_contact: p.safe_contact.clone(),
                confirm_distinct: true,
                ..PersonInput::default()
            };
            let person = crate::persons::queries::create(conn, ctx.ccas_id, &input, now)?;
            roles.push(PersonRole { person_id: person.id, role: p.role, role_detail: None });
        }
        let new = NewSituation {
            opened_at: None,
            coordinator_id: Some(ctx.coordinators[coordinator].to_owned()),
            problem_types: problems,
            judicial_proceedings: JudicialProceedings::Unknown,
            persons: roles.clone(),
        };
        let situation = crate::situations::queries::create(conn, ctx.ccas_id, &new, contacted, now)?;
        crate::referrals::accept_into(conn, &referral, &situation, contacted, now)?;
        super::follow_up::seed_follow_up(conn, ctx, &mut dice, &mut next_slot, coordinator, &situation, &roles, contacted)?;
        if opened_day < ctx.today() - Duration::days(60) && dice.percent(70) {
            let closed_at = contacted + Duration::days(20 + dice.below(40) as i64);
            crate::situations::queries::set_status(conn, ctx.ccas_id, &situation, Some(ClosingReason::Oriented), closed_at, now)?;
        } else if let Some(first) = roles.first() {
            open_files.push((coordinator, situation.clone(), first.person_id.clone()));
        }
    }
    super::follow_up::seed_coming_fortnight(conn, ctx, &mut dice, &mut next_slot, &open_files)
}

/// Two persons of one referral never share a first name: the next name of the list replaces a
/// repeat (without drawing again, so that the rest of the year stays as it was).
fn distinct_first_name(drawn: &str, others: &[NewReferralPerson]) -> String {
    let taken = |name: &str| others.iter().any(|p| p.first_name.as_deref() == Some(name));
    let start = FIRST_NAMES.iter().position(|n| *n == drawn).unwrap_or(0);
    FIRST_NAMES.iter().cycle().skip(start).take(FIRST_NAMES.len()).find(|n| !taken(n)).copied().unwrap_or(drawn).to_owned()
}
