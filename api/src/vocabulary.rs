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
    /// A fact that is known to be true, known to be false, or not known.
    Answer { Yes => "yes", No => "no", Unknown => "unknown" }
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
    /// E.g. "téléphone partagé avec le conjoint, appeler après 14 h". Up to 1,000 characters:
    /// a merge keeps the notes of both records side by side.
    #[validate(length(max = 1000))]
    #[schema(max_length = 1000)]
    pub note: Option<String>,
}

fn unknown() -> Safety {
    Safety::Unknown
}

impl Safety {
    /// The safer of two answers: "no" over "yes" over "unknown". A merge never weakens an
    /// answer: a victim who said no to texts keeps that no, whatever an older record says.
    pub fn safer(self, other: Safety) -> Safety {
        match (self, other) {
            (Safety::No, _) | (_, Safety::No) => Safety::No,
            (Safety::Yes, _) | (_, Safety::Yes) => Safety::Yes,
            _ => Safety::Unknown,
        }
    }
}

impl SafeContact {
    /// Two records of one person's answers as one: each channel the safer answer, the notes
    /// side by side (the newer after the older).
    pub fn merged(&self, newer: &SafeContact) -> SafeContact {
        let note = match (self.note.as_deref().map(str::trim), newer.note.as_deref().map(str::trim)) {
            (Some(old), Some(new)) if !old.is_empty() && !new.is_empty() && !old.contains(new) => Some(format!("{old}\n{new}")),
            (Some(old), _) if !old.is_empty() => Some(old.to_owned()),
            (_, Some(new)) if !new.is_empty() => Some(new.to_owned()),
            _ => None,
        };
        SafeContact { call: self.call.safer(newer.call), text: self.text.safer(newer.text), write: self.write.safer(newer.write), note }
    }
}

impl Default for SafeContact {
    fn default() -> Self {
        Self { call: Safety::Unknown, text: Safety::Unknown, write: Safety::Unknown, note: None }
    }
}

/// A birth date after today, at `field`.
pub fn future_birth_date(field: &str) -> crate::error::FieldError {
    crate::error::FieldError::new(field, "future", "cannot be in the future")
}

pub fn proceedings_unknown() -> JudicialProceedings {
    JudicialProceedings::Unknown
}

#[cfg(test)]
mod safety_tests {
    use super::*;

    #[test]
    fn a_merge_keeps_the_safer_answer_channel_by_channel_and_both_notes() {
        let old = SafeContact { call: Safety::No, text: Safety::Unknown, write: Safety::Yes, note: Some("après 14 h".into()) };
        let new = SafeContact { call: Safety::Yes, text: Safety::No, write: Safety::Unknown, note: Some("pas de SMS".into()) };
        let merged = old.merged(&new);
        assert_eq!((merged.call, merged.text, merged.write), (Safety::No, Safety::No, Safety::Yes));
        assert_eq!(merged.note.as_deref(), Some("après 14 h\npas de SMS"));
        assert_eq!(new.merged(&old).call, Safety::No);
    }
}
