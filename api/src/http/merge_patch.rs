//! JSON merge patch (RFC 7396): a PATCH body names the fields to change, `null` clears one.
//! The merged document is then parsed and validated as the resource's full input type, so
//! PATCH and creation share one set of rules.

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::error::{ApiError, ApiResult, FieldError};

pub fn merge(target: &mut Value, patch: &Value) {
    match (target, patch) {
        (Value::Object(target), Value::Object(patch)) => {
            for (key, value) in patch {
                if value.is_null() {
                    target.remove(key);
                } else {
                    merge(target.entry(key.clone()).or_insert(Value::Null), value);
                }
            }
        }
        (target, patch) => *target = patch.clone(),
    }
}

/// Applies `patch` to `current` and parses the result as `T`.
pub fn apply<T: Serialize + DeserializeOwned>(current: &T, patch: &Value) -> ApiResult<T> {
    if !patch.is_object() {
        return Err(ApiError::validation("body", "type", "a merge patch is a JSON object"));
    }
    let mut document = serde_json::to_value(current).map_err(ApiError::internal)?;
    merge(&mut document, patch);
    serde_json::from_value(document).map_err(|e| {
        let message = e.to_string();
        let field = message.split('`').nth(1).filter(|f| !f.contains(' ')).unwrap_or("body").to_owned();
        ApiError::Validation(vec![FieldError::new(field, "invalid", message)])
    })
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::merge;

    #[test]
    fn merges_as_rfc_7396_says() {
        let mut doc = json!({"a": 1, "b": {"c": 2, "d": 3}, "e": 4});
        merge(&mut doc, &json!({"a": 9, "b": {"c": null}, "e": null, "f": [1]}));
        assert_eq!(doc, json!({"a": 9, "b": {"d": 3}, "f": [1]}));
    }
}
