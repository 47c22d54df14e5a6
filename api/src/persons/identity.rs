//! The keys that recognise a person again: folded names, normalised phone numbers.

use crate::text::fold;

/// "Hélène", "DURAND" → "durand|helene".
pub fn name_key(last_name: Option<&str>, first_name: Option<&str>) -> String {
    format!("{}|{}", fold(last_name.unwrap_or("")), fold(first_name.unwrap_or("")))
}

/// The E.164 form of a valid number: "06 12 34 56 78" → "+33612345678".
pub fn phone_key(phone: Option<&str>) -> Option<String> {
    crate::phone::e164(phone)
}

/// What two names that look alike share, for the duplicate check: Unicode's confusable
/// skeleton (UTS #39) of the folded names, so that "Durаnd" with a Cyrillic "а", or written in
/// fullwidth letters, meets "Durand". Not an order for lists ("m" and "rn" have one skeleton).
pub fn lookalike_key(last_name: Option<&str>, first_name: Option<&str>) -> String {
    let skeleton = |name: Option<&str>| {
        let lower = name.unwrap_or("").to_lowercase();
        fold(&unicode_security::confusable_detection::skeleton(&lower).collect::<String>())
    };
    format!("{}|{}", skeleton(last_name), skeleton(first_name))
}

/// When a person comes of age: their 18th birthday; with only a birth year, the first day
/// of the following year (a minor during the whole year they turn 18).
pub fn adult_at(birth_date: Option<chrono::NaiveDate>, birth_year: Option<i32>) -> Option<chrono::NaiveDateTime> {
    use chrono::Datelike;
    let day = match birth_date {
        // 29 February: the 18th birthday is 1 March in a common year.
        Some(date) => date.with_year(date.year() + 18).or_else(|| chrono::NaiveDate::from_ymd_opt(date.year() + 18, 3, 1))?,
        None => chrono::NaiveDate::from_ymd_opt(birth_year? + 19, 1, 1)?,
    };
    day.and_hms_opt(0, 0, 0)
}

/// What search matches: both name orders, folded.
pub fn search_text(last_name: Option<&str>, first_name: Option<&str>) -> String {
    let (last, first) = (last_name.unwrap_or(""), first_name.unwrap_or(""));
    fold(&format!("{last} {first} {first} {last}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_ignore_accents_case_and_phone_formatting() {
        assert_eq!(name_key(Some("DURAND"), Some("Hélène")), name_key(Some("Durand"), Some("helene")));
        assert_eq!(phone_key(Some("+33 6 12 34 56 78")), phone_key(Some("06.12.34.56.78")));
        assert_eq!(phone_key(Some("12")), None);
        // Cyrillic "а" and "о", fullwidth letters: the same skeleton as the Latin name.
        assert_eq!(lookalike_key(Some("Durаnd"), Some("Sоphie")), lookalike_key(Some("DURAND"), Some("Sophie")));
        assert_eq!(lookalike_key(Some("Ｄｕｒａｎｄ"), None), lookalike_key(Some("Durand"), None));
        assert_ne!(lookalike_key(Some("Durand"), None), lookalike_key(Some("Durant"), None));
        assert!(search_text(Some("Durand"), Some("Hélène")).contains("helene durand"));
        let date = |y, m, d| chrono::NaiveDate::from_ymd_opt(y, m, d);
        assert_eq!(adult_at(date(2008, 2, 29), None), date(2026, 3, 1).and_then(|d| d.and_hms_opt(0, 0, 0)));
        assert_eq!(adult_at(None, Some(2008)), date(2027, 1, 1).and_then(|d| d.and_hms_opt(0, 0, 0)));
        assert_eq!(adult_at(None, None), None);
    }
}
