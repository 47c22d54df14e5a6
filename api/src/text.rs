//! Text folding for search: lower case without accents, the same on SQLite and PostgreSQL
//! because it is computed here and stored beside the original.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// "Hélène  D'ARC" → "helene d'arc".
pub fn fold(text: &str) -> String {
    let mut folded = String::with_capacity(text.len());
    for c in text.nfd().filter(|c| !is_combining_mark(*c)).flat_map(char::to_lowercase) {
        match c {
            'œ' => folded.push_str("oe"),
            'æ' => folded.push_str("ae"),
            'ß' => folded.push_str("ss"),
            _ => folded.push(c),
        }
    }
    folded.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A `LIKE` pattern matching `needle` anywhere, with `%`, `_` and `\` taken literally.
pub fn contains_pattern(needle: &str) -> String {
    let escaped: String = fold(needle)
        .chars()
        .flat_map(|c| match c {
            '%' | '_' | '\\' => vec!['\\', c],
            _ => vec![c],
        })
        .collect();
    format!("%{escaped}%")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_accents_case_and_spaces() {
        assert_eq!(fold("Hélène"), "helene");
        assert_eq!(fold("HELENE"), "helene");
        assert_eq!(fold("  Centre   d'Information  "), "centre d'information");
        assert_eq!(fold("Cœur"), "coeur");
    }

    #[test]
    fn escapes_like_wildcards() {
        assert_eq!(contains_pattern("50%_a"), "%50\\%\\_a%");
    }
}
