//! The referral's vocabulary and the request to create one.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use validator::{Validate, ValidationError};

use crate::code_enum;
pub use crate::vocabulary::{Answer, Consent, JudicialProceedings, Role, SafeContact, Safety, Sex};

code_enum!(
    /// The police contact that led to the referral (the liaison form's "origine").
    PoliceContact {
        /// An intervention at the home (appel 17, violences en cours).
        HomeCallOut => "home_call_out",
        /// A complaint filed (plainte).
        Complaint => "complaint",
        /// A main courante or a procès-verbal de renseignement judiciaire.
        MainCourante => "main_courante",
        /// A hearing (audition), as a victim, witness or alleged author.
        Hearing => "hearing",
        Other => "other",
    }
);

code_enum!(
    /// How the situation reached the coordinators.
    Source {
        Gendarmerie => "gendarmerie",
        PoliceMunicipale => "police_municipale",
        PoliceNationale => "police_nationale",
        Partner => "partner",
        /// The person came by themselves.
        WalkIn => "walk_in",
        /// The coordinators contacted the person first, after the police met them.
        Proactive => "proactive",
    }
);

code_enum!(
    /// Urgency as judged by whoever referred.
    Urgency { Normal => "normal", Urgent => "urgent" }
);

code_enum!(
    /// Where the referral stands.
    ReferralStatus {
        Received => "received",
        ContactAttempted => "contact_attempted",
        Accepted => "accepted",
        Declined => "declined",
    }
);

code_enum!(
    /// How the coordinators tried to reach the person.
    ContactChannel { Phone => "phone", Sms => "sms", Letter => "letter", InPerson => "in_person" }
);

code_enum!(
    /// What came of a contact attempt.
    ContactOutcome { Reached => "reached", NoAnswer => "no_answer", WrongNumber => "wrong_number", Refused => "refused" }
);

code_enum!(
    /// Why a referral was declined.
    DeclineReason { Unreachable => "unreachable", Refused => "refused", OutOfScope => "out_of_scope", Duplicate => "duplicate" }
);

/// A contact attempt to record.
#[derive(Debug, Clone, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"channel": "phone", "outcome": "no_answer", "note": "messagerie, pas de message laissé"}))]
pub struct NewContactAttempt {
    /// When; now when absent. Not in the future, not before the referral was received.
    pub at: Option<DateTime<Utc>>,
    pub channel: ContactChannel,
    pub outcome: ContactOutcome,
    #[validate(length(max = 1000))]
    #[schema(max_length = 1000)]
    pub note: Option<String>,
}

/// For each person of the referral, in order: an existing person, or a new one.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PersonChoice {
    /// An existing person of the CCAS this referral person is.
    pub person_id: Option<String>,
    /// Create a new person even though existing ones look alike.
    #[serde(default)]
    pub confirm_distinct: bool,
}

/// Accepting a referral into a new situation, or into an existing one of the same CCAS.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"persons": [{"confirm_distinct": false}]}))]
pub struct AcceptReferral {
    /// When it was accepted (and a new situation opened); now when absent. Not in the future,
    /// not before the referral was received.
    pub at: Option<DateTime<Utc>>,
    /// An open situation to join; a new one is opened when absent.
    pub situation_id: Option<String>,
    /// The coordinator in charge of a new situation.
    pub coordinator_id: Option<String>,
    /// One choice per person of the referral, in order; absent ones become new persons,
    /// unless they look like existing persons (409 `possible_duplicate`, with the candidates).
    #[serde(default)]
    pub persons: Vec<PersonChoice>,
}

/// Declining a referral.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"reason": "unreachable"}))]
pub struct DeclineReferral {
    pub reason: DeclineReason,
    /// When it was declined; now when absent. Not in the future, not before the referral was
    /// received.
    pub at: Option<DateTime<Utc>>,
}

/// A person concerned by a referral.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
#[validate(schema(function = "identifiable", skip_on_field_errors = false))]
pub struct NewReferralPerson {
    pub role: Role,
    #[validate(length(min = 1, max = 100))]
    #[schema(min_length = 1, max_length = 100)]
    pub last_name: Option<String>,
    #[validate(length(min = 1, max = 100))]
    #[schema(min_length = 1, max_length = 100)]
    pub first_name: Option<String>,
    /// Birth date, when known; not in the future.
    pub birth_date: Option<NaiveDate>,
    /// Age in years when the birth date is unknown.
    #[validate(range(min = 0, max = 120))]
    #[schema(minimum = 0, maximum = 120)]
    pub age: Option<i32>,
    pub sex: Option<Sex>,
    #[validate(length(min = 4, max = 30), custom(function = "crate::phone::valid"))]
    #[schema(min_length = 4, max_length = 30, pattern = "^[0-9 +().-]+$")]
    pub phone: Option<String>,
    #[validate(email, length(max = 254))]
    #[schema(max_length = 254, format = Email)]
    pub email: Option<String>,
    #[validate(length(max = 500))]
    #[schema(max_length = 500)]
    pub address: Option<String>,
    #[validate(length(max = 200))]
    #[schema(max_length = 200)]
    pub commune: Option<String>,
    #[serde(default)]
    #[validate(nested)]
    pub safe_contact: SafeContact,
    /// Consent to be contacted; `unknown` when absent.
    #[serde(default = "consent_unknown")]
    pub consent: Consent,
    /// When the person is best reached, in the unit's words ("le matin avant 9 h").
    #[validate(length(min = 1, max = 100))]
    #[schema(min_length = 1, max_length = 100, example = "le matin avant 9 h")]
    pub best_time: Option<String>,
    /// How the person is best reached (within the safe-contact answers).
    pub best_channel: Option<ContactChannel>,
    /// Whether the person was told about the coordinators; `unknown` when absent.
    #[serde(default = "answer_unknown")]
    pub informed_of_coordination: Answer,
}

fn answer_unknown() -> Answer {
    Answer::Unknown
}

fn consent_unknown() -> Consent {
    Consent::Unknown
}

fn identifiable(person: &NewReferralPerson) -> Result<(), ValidationError> {
    if person.last_name.is_none() && person.first_name.is_none() {
        return Err(ValidationError::new("identity").with_message("a last name or a first name is required".into()));
    }
    Ok(())
}

/// A referral to create.
///
/// A gendarmerie unit or police municipale service refers to its own CCAS: `source` may be
/// omitted (it is the caller's kind). A coordinator records a `partner` (with `partner_id`),
/// `walk_in` or `proactive` referral.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "urgency": "urgent",
    "agent_reference": "MDL Garnier – BTA Villefontaine",
    "procedure_reference": "PV 2026/001234",
    "problem_types": ["domestic_violence"],
    "summary": "Intervention au domicile suite à une dispute conjugale ; madame souhaite être aidée.",
    "judicial_proceedings": "yes",
    "police_contact": "home_call_out",
    "children_exposed": "yes",
    "children_count": 2,
    "persons": [{
        "role": "victim",
        "last_name": "Lefèvre",
        "first_name": "Sandrine",
        "age": 34,
        "phone": "06 12 34 56 78",
        "safe_contact": {"call": "yes", "text": "no", "write": "unknown", "note": "appeler en journée"},
        "consent": "given",
        "best_time": "en semaine, avant 9 h",
        "best_channel": "phone",
        "informed_of_coordination": "yes"
    }]
}))]
pub struct NewReferral {
    /// Omitted by agencies; `partner`, `walk_in` or `proactive` for coordinators.
    pub source: Option<Source>,
    /// The referring partner, for `source: partner`.
    pub partner_id: Option<String>,
    /// The referring agent's reference (name, rank, service), as the agency wishes to be reached.
    #[validate(length(max = 200))]
    #[schema(max_length = 200)]
    pub agent_reference: Option<String>,
    /// The agency's procedure number, if any.
    #[validate(length(max = 100))]
    #[schema(max_length = 100)]
    pub procedure_reference: Option<String>,
    /// When the referral was made; now when absent. Not in the future.
    pub received_at: Option<DateTime<Utc>>,
    #[serde(default = "normal")]
    pub urgency: Urgency,
    /// Problem type codes (see `/api/v1/problem-types`).
    #[serde(default)]
    #[validate(length(max = 12))]
    #[schema(max_items = 12)]
    pub problem_types: Vec<String>,
    /// What happened, as the referrer tells it.
    #[validate(length(min = 1, max = 5000))]
    #[schema(min_length = 1, max_length = 5000)]
    pub summary: String,
    #[serde(default = "proceedings_unknown")]
    pub judicial_proceedings: JudicialProceedings,
    /// The police contact that led to the referral, if it came from one.
    pub police_contact: Option<PoliceContact>,
    /// Whether children were present or exposed; `unknown` when absent.
    #[serde(default = "answer_unknown")]
    pub children_exposed: Answer,
    /// How many children, when `children_exposed` is `yes` (1 to 20).
    #[validate(range(min = 1, max = 20))]
    #[schema(minimum = 1, maximum = 20)]
    pub children_count: Option<i32>,
    /// The persons concerned, 1 to 10.
    #[validate(length(min = 1, max = 10), nested)]
    #[schema(min_items = 1, max_items = 10)]
    pub persons: Vec<NewReferralPerson>,
}

impl NewReferral {
    /// A number of children goes with children present or exposed, and only with them.
    pub fn check_children(&self) -> Result<(), crate::error::ApiError> {
        if self.children_count.is_some() && self.children_exposed != Answer::Yes {
            return Err(crate::error::ApiError::validation(
                "children_count",
                "invalid",
                "a number of children goes with children_exposed: yes",
            ));
        }
        Ok(())
    }

    /// The persons of the referral born after `today` (Europe/Paris).
    pub fn birth_date_errors(&self, today: NaiveDate) -> Vec<crate::error::FieldError> {
        self.persons
            .iter()
            .enumerate()
            .filter(|(_, p)| p.birth_date.is_some_and(|born| born > today))
            .map(|(i, _)| crate::vocabulary::future_birth_date(&format!("persons[{i}].birth_date")))
            .collect()
    }
}

fn normal() -> Urgency {
    Urgency::Normal
}

fn proceedings_unknown() -> JudicialProceedings {
    JudicialProceedings::Unknown
}

/// Filters of the referral list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ReferralFilter {
    pub status: Option<ReferralStatus>,
    /// Coordinators only.
    pub source: Option<Source>,
    pub urgency: Option<Urgency>,
    /// Coordinators only: the referrals accepted into this situation (what fed the file).
    pub situation_id: Option<String>,
    /// Page size, 1 to 200 (default 50).
    pub limit: Option<i64>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
}
