//! The keys that recognise a person again: folded names, normalised phone numbers.

use crate::text::fold;

/// "Hélène", "DURAND" → "durand|helene".
pub fn name_key(last_name: Option<&str>, first_name: Option<&str>) -> String {
    format!("{}|{}", fold(last_name.unwrap_or("")), fold(first_name.unwrap_or("")))
}

/// Digits only, French international prefix folded: "+33 6 12 34 56 78" → "0612345678".
pub fn phone_key(phone: Option<&str>) -> Option<String> {
    let digits: String = phone?.chars().filter(char::is_ascii_digit).collect();
    let digits = match digits.strip_prefix("33") {
        Some(rest) if digits.len() == 11 => format!("0{rest}"),
        _ => digits,
    };
    (digits.len() >= 4).then_some(digits)
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
        assert!(search_text(Some("Durand"), Some("Hélène")).contains("helene durand"));
        let date = |y, m, d| chrono::NaiveDate::from_ymd_opt(y, m, d);
        assert_eq!(adult_at(date(2008, 2, 29), None), date(2026, 3, 1).and_then(|d| d.and_hms_opt(0, 0, 0)));
        assert_eq!(adult_at(None, Some(2008)), date(2027, 1, 1).and_then(|d| d.and_hms_opt(0, 0, 0)));
        assert_eq!(adult_at(None, None), None);
    }
}
