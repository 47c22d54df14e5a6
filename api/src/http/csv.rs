//! CSV for spreadsheets: `;` separator (what a French spreadsheet expects), CRLF, UTF-8 with a
//! BOM so that accents survive a double-click.

pub const BOM: &str = "\u{feff}";

/// A cell, quoted only when it must be.
pub fn field(text: &str) -> String {
    if text.contains([';', '"', '\n', '\r']) { format!("\"{}\"", text.replace('"', "\"\"")) } else { text.to_owned() }
}

pub fn row(out: &mut String, cells: &[&str]) {
    let line: Vec<String> = cells.iter().map(|c| field(c)).collect();
    out.push_str(&line.join(";"));
    out.push_str("\r\n");
}

/// Whether the request asked for CSV.
pub fn wanted(req: &actix_web::HttpRequest) -> bool {
    req.headers().get(actix_web::http::header::ACCEPT).and_then(|v| v.to_str().ok()).is_some_and(|v| v.contains("text/csv"))
}

#[cfg(test)]
mod tests {
    use super::field;

    #[test]
    fn quotes_only_when_needed() {
        assert_eq!(field("simple"), "simple");
        assert_eq!(field("a;b"), "\"a;b\"");
        assert_eq!(field("dit \"non\""), "\"dit \"\"non\"\"\"");
    }
}
