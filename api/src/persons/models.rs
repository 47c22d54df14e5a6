use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use validator::{Validate, ValidationError};

use crate::db::schema::persons;
use crate::vocabulary::{SafeContact, Sex};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = persons)]
pub struct PersonRow {
    pub id: String,
    pub ccas_id: String,
    pub last_name: Option<String>,
    pub first_name: Option<String>,
    pub birth_date: Option<NaiveDate>,
    pub birth_year: Option<i32>,
    pub sex: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub address: Option<String>,
    pub commune: Option<String>,
    pub safe_to_call: String,
    pub safe_to_text: String,
    pub safe_to_write: String,
    pub safe_contact_note: Option<String>,
    pub version: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// A person received by the coordinators.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Person {
    pub id: String,
    #[schema(example = "Durand")]
    pub last_name: Option<String>,
    #[schema(example = "Hélène")]
    pub first_name: Option<String>,
    pub birth_date: Option<NaiveDate>,
    /// When only the year is known.
    pub birth_year: Option<i32>,
    pub sex: Option<Sex>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub address: Option<String>,
    pub commune: Option<String>,
    /// Whether calling, texting or writing is safe: show it wherever contact is offered.
    pub safe_contact: SafeContact,
    /// Also the `ETag`; send it back in `If-Match` to change the person.
    pub version: i32,
    #[serde(with = "crate::time::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub created_at: NaiveDateTime,
    #[serde(with = "crate::time::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub updated_at: NaiveDateTime,
}

/// Who a person is and how to reach them. Creation takes it whole; a PATCH takes the fields
/// to change (JSON merge patch, RFC 7396: `null` clears a field).
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
#[validate(schema(function = "named", skip_on_field_errors = false))]
#[schema(example = json!({
    "last_name": "Durand",
    "first_name": "Hélène",
    "birth_date": "1985-04-12",
    "phone": "06 98 76 54 32",
    "commune": "Villefontaine",
    "safe_contact": {"call": "yes", "text": "yes", "write": "no", "note": "courrier lu par le conjoint"}
}))]
pub struct PersonInput {
    #[validate(length(min = 1, max = 100))]
    #[schema(min_length = 1, max_length = 100)]
    pub last_name: Option<String>,
    #[validate(length(min = 1, max = 100))]
    #[schema(min_length = 1, max_length = 100)]
    pub first_name: Option<String>,
    pub birth_date: Option<NaiveDate>,
    #[validate(range(min = 1900, max = 2100))]
    #[schema(minimum = 1900, maximum = 2100)]
    pub birth_year: Option<i32>,
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
    /// At creation, `true` creates the person even though existing persons look like them
    /// (the answer to a 409 `possible_duplicate`); ignored by a PATCH.
    #[serde(default)]
    pub confirm_distinct: bool,
}

impl PersonInput {
    /// The whole check of a person's fields, as of `today` (Europe/Paris): the person was not
    /// born after it.
    pub fn validate_as_of(&self, today: NaiveDate) -> Result<(), crate::error::ApiError> {
        let future = self.birth_date.is_some_and(|born| born > today).then(|| crate::vocabulary::future_birth_date("birth_date"));
        crate::http::validation::all_of(self.validate(), future.into_iter().collect())
    }
}

fn named(person: &PersonInput) -> Result<(), ValidationError> {
    if person.last_name.is_none() && person.first_name.is_none() {
        return Err(ValidationError::new("identity").with_message("a last name or a first name is required".into()));
    }
    Ok(())
}

/// Search parameters.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct PersonFilter {
    /// Name, ignoring accents and case ("helene" finds "Hélène").
    pub q: Option<String>,
    /// Phone number, any formatting.
    pub phone: Option<String>,
    /// Page size, 1 to 200 (default 50).
    pub limit: Option<i64>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
}
