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
    }
}
