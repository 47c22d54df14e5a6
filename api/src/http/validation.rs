//! Turns validator's nested error tree into one flat entry per field (`persons[1].last_name`).

use validator::{ValidationErrors, ValidationErrorsKind};

use crate::error::FieldError;

pub fn flatten(errors: &ValidationErrors, prefix: String, out: &mut Vec<FieldError>) {
    for (field, kind) in errors.errors() {
        // Struct-level checks land under `__all__`: name the struct itself instead.
        let path = match (prefix.is_empty(), field.as_ref()) {
            (true, "__all__") => "body".to_owned(),
            (false, "__all__") => prefix.clone(),
            (true, _) => field.to_string(),
            (false, _) => format!("{prefix}.{field}"),
        };
        match kind {
            ValidationErrorsKind::Field(list) => {
                for e in list {
                    let message = e.message.as_ref().map_or_else(|| describe(e), |m| m.to_string());
                    out.push(FieldError::new(path.clone(), &e.code, message));
                }
            }
            ValidationErrorsKind::Struct(inner) => flatten(inner, path, out),
            ValidationErrorsKind::List(items) => {
                for (index, inner) in items {
                    flatten(inner, format!("{path}[{index}]"), out);
                }
            }
        }
    }
    out.sort_by(|a, b| a.field.cmp(&b.field));
}

fn describe(error: &validator::ValidationError) -> String {
    let param = |name: &str| error.params.get(name).map(|v| v.to_string());
    match error.code.as_ref() {
        "length" => match (param("min"), param("max")) {
            (Some(min), Some(max)) => format!("must be between {min} and {max} characters long"),
            (None, Some(max)) => format!("must be at most {max} characters long"),
            (Some(min), None) => format!("must be at least {min} characters long"),
            _ => "has an invalid length".to_owned(),
        },
        "range" => "is out of range".to_owned(),
        "email" => "must be an e-mail address".to_owned(),
        "url" => "must be a URL".to_owned(),
        other => format!("is not valid ({other})"),
    }
}

/// The field errors of a `validate()` and of checks it cannot make (those that need the
/// request's instant), answered together as one 422.
pub fn all_of(validated: Result<(), ValidationErrors>, more: Vec<FieldError>) -> Result<(), crate::error::ApiError> {
    let mut fields = Vec::new();
    if let Err(errors) = validated {
        flatten(&errors, String::new(), &mut fields);
    }
    fields.extend(more);
    if fields.is_empty() { Ok(()) } else { Err(crate::error::ApiError::Validation(fields)) }
}
