//! Text rules that readers and writers share, so that neither imports the other: how a CSV text
//! field is escaped against spreadsheet formulas and unescaped again ([`csv_text`],
//! [`csv_unescape`]), how text is shown on a terminal ([`terminal_safe`]), A1-style cell names
//! ([`cell_name`]) and "did you mean" suggestions ([`close_matches`]).
//!
//! A leaf: it imports nothing of the crate.

use std::borrow::Cow;

/// How the CSV writers treat text fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CsvOptions {
    /// Write a `'` before a text field that a spreadsheet would run as a formula.
    pub escape_formulas: bool,
}

impl Default for CsvOptions {
    fn default() -> Self {
        CsvOptions {
            escape_formulas: true,
        }
    }
}

/// The characters that make a spreadsheet read a CSV field as a formula (OWASP's list).
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// A text field as written into a CSV that spreadsheets open: with `'` before it when it starts
/// with `=`, `+`, `-`, `@`, a tab or a carriage return, so that a scenario id such as
/// `=cmd|' /C calc'!A0` is shown as text rather than run (OWASP's rule against CSV injection).
/// [`crate::read::scenario_csv`] takes the `'` off again ([`csv_unescape`]). Only text fields go
/// through this: numbers (a negative remainder) are written as they are.
pub fn csv_text(text: &str, options: CsvOptions) -> Cow<'_, str> {
    if options.escape_formulas && text.starts_with(FORMULA_STARTS) {
        Cow::Owned(format!("'{text}"))
    } else {
        Cow::Borrowed(text)
    }
}

/// A text field as [`csv_text`] wrote it, `'` taken off.
pub fn csv_unescape(text: &str) -> &str {
    match text.strip_prefix('\'') {
        Some(rest) if rest.starts_with(FORMULA_STARTS) => rest,
        _ => text,
    }
}

/// Whether a character would act on the terminal instead of showing: a control character
/// (escape sequences start with one) or a bidirectional override that reorders the line.
fn acts_on_terminal(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Text as the terminal should show it: control and bidi-override characters escaped
/// (`\u{1b}`), everything else as it is.
pub fn terminal_safe(text: &str) -> Cow<'_, str> {
    if !text.chars().any(acts_on_terminal) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if acts_on_terminal(c) {
            out.extend(c.escape_unicode());
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// The A1-style name of a 0-based (row, column) cell: `cell_name(3, 1)` is `B4`.
pub fn cell_name(row: u32, col: u32) -> String {
    format!("{}{}", column_letters(col), row + 1)
}

/// The letters of a 0-based column index: 0 is `A`, 25 is `Z`, 26 is `AA`.
pub fn column_letters(col: u32) -> String {
    let mut n = col + 1;
    let mut letters = Vec::new();
    while n > 0 {
        let rem = ((n - 1) % 26) as u8;
        letters.push(b'A' + rem);
        n = (n - 1) / 26;
    }
    letters.reverse();
    String::from_utf8(letters).expect("ASCII letters")
}

/// The longest value for which close matches are looked for: names are short, and the distance
/// is quadratic in the length.
pub const MATCH_LIMIT: usize = 64;

/// Up to three names from `known` close to `wanted`, for "did you mean" hints (none for a
/// `wanted` longer than [`MATCH_LIMIT`] characters).
pub fn close_matches<'a>(wanted: &str, known: impl IntoIterator<Item = &'a str>) -> Vec<&'a str> {
    if wanted.chars().count() > MATCH_LIMIT {
        return Vec::new();
    }
    let mut scored: Vec<(f64, &str)> = known
        .into_iter()
        .map(|k| (strsim::jaro_winkler(wanted, k), k))
        .filter(|(s, _)| *s >= 0.8)
        .collect();
    // Best first; equal scores by name, so the hint does not depend on a hash map's order.
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(b.1)));
    scored.into_iter().take(3).map(|(_, k)| k).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_like_text_is_escaped_and_unescaped() {
        let on = CsvOptions::default();
        let off = CsvOptions {
            escape_formulas: false,
        };
        for (text, written) in [
            ("=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"),
            ("+1", "'+1"),
            ("-2+3", "'-2+3"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tx", "'\tx"),
            ("\rx", "'\rx"),
            ("web-prod", "web-prod"),
            ("'quoted", "'quoted"),
        ] {
            assert_eq!(csv_text(text, on), written);
            assert_eq!(csv_unescape(written), text);
            assert_eq!(csv_text(text, off), text);
        }
    }

    #[test]
    fn escape_sequences_and_bidi_overrides_are_escaped_for_the_terminal() {
        assert_eq!(
            terminal_safe("a\u{1b}[2Jb\u{202E}c"),
            "a\\u{1b}[2Jb\\u{202e}c"
        );
        assert_eq!(terminal_safe("web-prod ✓"), "web-prod ✓");
    }

    #[test]
    fn cell_names_follow_excel() {
        assert_eq!(cell_name(3, 1), "B4");
        assert_eq!(cell_name(0, 25), "Z1");
        assert_eq!(cell_name(9, 26), "AA10");
        assert_eq!(column_letters(701), "ZZ");
        assert_eq!(column_letters(702), "AAA");
    }

    #[test]
    fn close_matches_rank_best_first() {
        let known = ["instances", "instance_type", "pods_per_node"];
        assert_eq!(close_matches("instance", known)[0], "instances");
        assert!(close_matches("zzz", known).is_empty());
    }

    #[test]
    fn a_huge_value_is_not_matched_at_all() {
        // A 1 MB field that starts like a known name: no hint, and no quadratic distance.
        let huge = "m5.large".repeat(125_000);
        assert!(close_matches(&huge, ["m5.large"]).is_empty());
        let at_limit = "m".repeat(MATCH_LIMIT);
        assert_eq!(
            close_matches(&at_limit, [at_limit.as_str()]),
            [at_limit.as_str()]
        );
    }
}
