//! The referral's vocabulary and the request to create one.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use validator::{Validate, ValidationError};

macro_rules! code_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident => $code:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($(#[$vmeta])* $variant),+ }

        impl $name {
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }
            pub fn parse(code: &str) -> Result<Self, crate::error::ApiError> {
                match code {
                    $($code => Ok($name::$variant),)+
                    other => Err(crate::error::ApiError::internal(format!("unknown stored {} {other:?}", stringify!($name)))),
                }
            }
        }
    };
}

code_enum!(
    /// How the situation reached the coordinators.
    Source {
        Gendarmerie => "gendarmerie",
        PoliceMunicipale => "police_municipale",
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
    /// Whether judicial proceedings are open.
    JudicialProceedings { Yes => "yes", No => "no", Unknown => "unknown" }
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
    /// The person's role in what happened.
    Role { Victim => "victim", AllegedAuthor => "alleged_author", Other => "other" }
);

code_enum!(
    /// The person's consent to be contacted by the coordinators.
    Consent {
        Given => "given",
        Refused => "refused",
        /// Not required: a minor in danger.
        NotRequired => "not_required",
        Unknown => "unknown",
    }
);

code_enum!(
    /// Whether a channel is safe for this person (a shared phone, a violent partner nearby).
    Safety { Yes => "yes", No => "no", Unknown => "unknown" }
);

code_enum!(
    Sex { Female => "female", Male => "male", Other => "other" }
);

/// May we call, text or write to this person without putting them at risk?
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, Validate, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct SafeContact {
    #[serde(default = "unknown")]
    pub call: Safety,
    #[serde(default = "unknown")]
    pub text: Safety,
    #[serde(default = "unknown")]
    pub write: Safety,
    /// E.g. "téléphone partagé avec le conjoint, appeler après 14 h".
    #[validate(length(max = 500))]
    #[schema(max_length = 500)]
    pub note: Option<String>,
}

fn unknown() -> Safety {
    Safety::Unknown
}

impl Default for SafeContact {
    fn default() -> Self {
        Self { call: Safety::Unknown, text: Safety::Unknown, write: Safety::Unknown, note: None }
    }
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
    #[validate(custom(function = "not_in_the_future"))]
    pub birth_date: Option<NaiveDate>,
    /// Age in years when the birth date is unknown.
    #[validate(range(min = 0, max = 120))]
    #[schema(minimum = 0, maximum = 120)]
    pub age: Option<i32>,
    pub sex: Option<Sex>,
    #[validate(length(min = 4, max = 30), custom(function = "phone_chars"))]
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
}

fn consent_unknown() -> Consent {
    Consent::Unknown
}

fn phone_chars(phone: &str) -> Result<(), ValidationError> {
    if phone.chars().all(|c| c.is_ascii_digit() || " +().-".contains(c)) {
        Ok(())
    } else {
        Err(ValidationError::new("phone").with_message("may only hold digits, spaces and + ( ) . -".into()))
    }
}

fn identifiable(person: &NewReferralPerson) -> Result<(), ValidationError> {
    if person.last_name.is_none() && person.first_name.is_none() {
        return Err(ValidationError::new("identity").with_message("a last name or a first name is required".into()));
    }
    Ok(())
}

fn not_in_the_future(date: &NaiveDate) -> Result<(), ValidationError> {
    if *date > Utc::now().date_naive() {
        return Err(ValidationError::new("future").with_message("cannot be in the future".into()));
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
    "persons": [{
        "role": "victim",
        "last_name": "Lefèvre",
        "first_name": "Sandrine",
        "age": 34,
        "phone": "06 12 34 56 78",
        "safe_contact": {"call": "yes", "text": "no", "write": "unknown", "note": "appeler en journée"},
        "consent": "given"
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
    /// The persons concerned, 1 to 10.
    #[validate(length(min = 1, max = 10), nested)]
    #[schema(min_items = 1, max_items = 10)]
    pub persons: Vec<NewReferralPerson>,
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
    /// Page size, 1 to 200 (default 50).
    pub limit: Option<i64>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
}
