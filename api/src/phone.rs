//! Phone numbers, by libphonenumber's rules (the `phonenumber` crate), French by default:
//! "06 12 34 56 78", "+33 6 12 34 56 78", "0033 6 12 34 56 78" and "+33 (0)6 12 34 56 78" are
//! one number, kept for comparison and search as E.164 ("+33612345678"). A number typed is
//! stored as typed, for the coordinator to read; its E.164 form is the key beside it.

use phonenumber::country::Id;
use phonenumber::{Mode, PhoneNumber};

/// The number, if it is a valid one (France when it carries no country code).
fn parse(raw: &str) -> Option<PhoneNumber> {
    // "+33 (0)6…": the national prefix in brackets, written by habit after the country code.
    let cleaned = raw.replace("(0)", "");
    phonenumber::parse(Some(Id::FR), cleaned).ok().filter(phonenumber::is_valid)
}

/// The E.164 form of a valid number.
pub fn e164(raw: Option<&str>) -> Option<String> {
    parse(raw?).map(|n| n.format().mode(Mode::E164).to_string())
}

/// For `validator`: a phone number a person can be called at.
pub fn valid(raw: &str) -> Result<(), validator::ValidationError> {
    if parse(raw).is_some() {
        Ok(())
    } else {
        Err(validator::ValidationError::new("phone").with_message("is not a valid phone number (French, or with its country code)".into()))
    }
}

/// For partners: a phone number, or a short national number (115, 3919, 119).
pub fn valid_or_short(raw: &str) -> Result<(), validator::ValidationError> {
    let digits = raw.trim();
    if (3..=4).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit()) {
        return Ok(());
    }
    valid(raw)
}

/// A search that is a phone number (or its start) rather than a name: digits and the usual
/// separators only, at least four digits.
pub fn looks_like_phone(q: &str) -> bool {
    q.chars().all(|c| c.is_ascii_digit() || " +().-".contains(c)) && q.chars().filter(char::is_ascii_digit).count() >= 4
}

/// The E.164 prefix that the start of a number typed in a search stands for: "06 12" →
/// "+33612", "0033 6" → "+336", "+33 (0)6" → "+336", "+44 20" → "+4420". None below four digits.
pub fn search_prefix(raw: &str) -> Option<String> {
    let cleaned = raw.replace("(0)", "");
    let international = cleaned.trim_start().starts_with('+');
    let digits: String = cleaned.chars().filter(char::is_ascii_digit).collect();
    if digits.len() < 4 {
        return None;
    }
    let prefix = if international {
        format!("+{digits}")
    } else if let Some(rest) = digits.strip_prefix("00") {
        format!("+{rest}")
    } else if let Some(rest) = digits.strip_prefix('0') {
        format!("+33{rest}")
    } else {
        format!("+33{digits}")
    };
    // "+330…": a national prefix after the country code.
    Some(match prefix.strip_prefix("+330") {
        Some(rest) => format!("+33{rest}"),
        None => prefix,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_usual_french_form_is_one_number() {
        let expected = Some("+33788990011".to_owned());
        for typed in ["07 88 99 00 11", "+33 7 88 99 00 11", "0033 7 88 99 00 11", "+33 (0)7 88 99 00 11", "07.88.99.00.11", "+33788990011"]
        {
            assert_eq!(e164(Some(typed)), expected, "{typed}");
        }
        assert_eq!(e164(Some("+44 20 7946 0958")).as_deref(), Some("+442079460958"));
    }

    #[test]
    fn fragments_and_nonsense_are_not_numbers() {
        for typed in ["0623", "06 12", "12345678901234", "abc", "+33 6 12"] {
            assert!(valid(typed).is_err(), "{typed}");
        }
        assert!(valid_or_short("3919").is_ok() && valid_or_short("115").is_ok() && valid_or_short("12").is_err());
    }

    #[test]
    fn a_search_prefix_matches_the_key_however_it_is_typed() {
        for typed in ["06 12", "+33 6 12", "0033 612", "+33 (0)6 12", "+3306 12"] {
            assert_eq!(search_prefix(typed).as_deref(), Some("+33612"), "{typed}");
        }
        assert_eq!(search_prefix("061"), None);
        assert!(looks_like_phone("06 12") && looks_like_phone("+33 (0)6") && !looks_like_phone("Durand") && !looks_like_phone("061"));
    }
}
