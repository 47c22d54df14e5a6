//! Words shared by referrals, persons and situations, and the macro that maps snake_case
//! codes to enums and back (the database stores the codes).

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

#[macro_export]
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
            pub fn parse(code: &str) -> Result<Self, $crate::error::ApiError> {
                match code {
                    $($code => Ok($name::$variant),)+
                    other => Err($crate::error::ApiError::internal(format!("unknown stored {} {other:?}", stringify!($name)))),
                }
            }
        }
    };
}

code_enum!(
    /// Whether judicial proceedings are open.
    JudicialProceedings { Yes => "yes", No => "no", Unknown => "unknown" }
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

pub fn not_in_the_future(date: &chrono::NaiveDate) -> Result<(), validator::ValidationError> {
    if *date > chrono::Utc::now().date_naive() {
        return Err(validator::ValidationError::new("future").with_message("cannot be in the future".into()));
    }
    Ok(())
}

pub fn proceedings_unknown() -> JudicialProceedings {
    JudicialProceedings::Unknown
}
