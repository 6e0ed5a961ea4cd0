//! The field separator of a CSV as spreadsheets write it in any locale: Excel saves CSV with
//! commas where the decimal separator is a point and with semicolons where it is a comma, and
//! tab-separated text is common too. The separator is told from the header line: the one that
//! splits it into the most column names the reader knows. Scenario CSVs and limits CSVs (the
//! catalogue) share this rule.

/// The separators tried, in order of preference on a tie.
const SEPARATORS: [u8; 3] = [b',', b';', b'\t'];

/// The separator of a CSV whose text starts with `head` (a byte-order mark is skipped), and how
/// many of its header line's (the first line that is not empty) names `is_known` takes with it: the separator that splits the line
/// into the most known names, a comma on a tie or when none does. `is_known` is given each name
/// trimmed, unquoted and in lower case.
pub fn of_header(head: &[u8], is_known: impl Fn(&str) -> bool) -> (u8, usize) {
    let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    // The header is the first line that is not empty: the csv crate skips empty lines.
    let line = head
        .split(|&b| b == b'\n')
        .find(|l| !l.is_empty())
        .unwrap_or_default();
    let line = String::from_utf8_lossy(line);
    let known = |sep: u8| {
        line.split(char::from(sep))
            .filter(|name| is_known(&name.trim().trim_matches('"').trim().to_ascii_lowercase()))
            .count()
    };
    let mut best = (SEPARATORS[0], known(SEPARATORS[0]));
    for sep in &SEPARATORS[1..] {
        let n = known(*sep);
        if n > best.1 {
            best = (*sep, n);
        }
    }
    best
}

/// How a CSV's text is laid out before its first record, for a reader to set up its parser.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Layout {
    /// The field separator.
    pub separator: u8,
    /// Bytes to skip before parsing: Excel's `sep=` line but for its line end (see
    /// [`directive`]), or none.
    pub skip: usize,
    /// The header's line in the file.
    pub header_line: u64,
}

/// The layout of the CSV whose text starts with `head`: the separator an Excel `sep=` line names,
/// or else the one [`of_header`] tells with `is_known`; the bytes to skip; the header's line.
pub fn layout(head: &[u8], is_known: impl Fn(&str) -> bool) -> Layout {
    let (separator, skip) = directive(head).unwrap_or_else(|| (of_header(head, is_known).0, 0));
    Layout {
        separator,
        skip,
        header_line: header_line(&head[skip..]),
    }
}

/// The line number (from 1) of the header of the text starting with `head`: its first line that
/// is not empty, as the csv crate reads it. After a [`directive`]'s bytes, whose line end is left
/// in the text, that is the header's line in the file.
pub fn header_line(head: &[u8]) -> u64 {
    let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    1 + head.iter().take_while(|&&b| b == b'\n').count() as u64
}

/// Excel's separator line, `sep=;`, when the text starting with `head` opens with one (after a
/// byte-order mark, if any): the separator it names, and how many bytes of `head` come before
/// the line's end. A reader skips those bytes and keeps the line end, so that the csv crate sees
/// a blank first line (which it skips) and counts lines as the file does: the header is line 2.
pub fn directive(head: &[u8]) -> Option<(u8, usize)> {
    let bom = if head.starts_with(b"\xEF\xBB\xBF") {
        3
    } else {
        0
    };
    let line = head[bom..].split(|&b| b == b'\n').next()?;
    if !line.get(..4)?.eq_ignore_ascii_case(b"sep=") {
        return None;
    }
    let value = &line[4..];
    let sep = match value.trim_ascii_end() {
        [sep] if *sep != b'"' && sep.is_ascii_graphic() => *sep,
        // A tab is trimmed with the line's trailing blanks.
        [] if value.first() == Some(&b'\t') => b'\t',
        _ => return None,
    };
    Some((sep, bom + line.len()))
}

/// A note on how a file was read when its fields are not separated by commas, for standard
/// error: `name: fields separated by semicolons (…)`.
pub fn note(name: &str, separator: u8) -> Option<String> {
    let what = match separator {
        b';' => "semicolons (as Excel writes CSV where a comma is the decimal separator)",
        b'\t' => "tabs",
        _ => return None,
    };
    Some(format!("{name}: fields separated by {what}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn known(name: &str) -> bool {
        ["instance_type", "eni_limit", "ipv4_per_eni"].contains(&name)
    }

    #[test]
    fn the_separator_that_finds_the_most_known_names() {
        assert_eq!(
            of_header(b"instance_type,eni_limit\nm5.large,3\n", known),
            (b',', 2)
        );
        assert_eq!(of_header(b"Instance_Type;ENI_limit;x\n", known), (b';', 2));
        assert_eq!(
            of_header(b"\xEF\xBB\xBF\"instance_type\"\teni_limit", known),
            (b'\t', 2)
        );
        // A comma when nothing is known, or on a tie.
        assert_eq!(of_header(b"a;b;c\n", known), (b',', 0));
        assert_eq!(of_header(b"instance_type\n", known), (b',', 1));
        assert_eq!(of_header(b"", known), (b',', 0));
        assert_eq!(
            of_header(b"\n\ninstance_type;eni_limit\n", known),
            (b';', 2)
        );
    }

    #[test]
    fn excel_separator_lines() {
        assert_eq!(directive(b"sep=;\nscenario;x\n"), Some((b';', 5)));
        assert_eq!(directive(b"\xEF\xBB\xBFSEP=,\r\n"), Some((b',', 9)));
        assert_eq!(directive(b"sep=\t\n"), Some((b'\t', 5)));
        assert_eq!(directive(b"sep=|"), Some((b'|', 5)));
        for not in [
            &b"sep=\n"[..],
            b"sep=;;\n",
            b"sep=\"\n",
            b"scenario,sep=;\n",
            b"se",
            b"",
        ] {
            assert_eq!(directive(not), None, "{:?}", String::from_utf8_lossy(not));
        }
    }

    #[test]
    fn header_lines_count_the_empty_lines_before_them() {
        assert_eq!(header_line(b"scenario\n"), 1);
        assert_eq!(header_line(b"\n\nscenario\n"), 3);
        let text = b"sep=;\n\nscenario;x\n";
        let (_, skipped) = directive(text).unwrap();
        assert_eq!(header_line(&text[skipped..]), 3);
    }

    #[test]
    fn layouts_with_and_without_a_separator_line() {
        assert_eq!(
            layout(b"sep=;\n\ninstance_type,eni_limit\n", known),
            Layout {
                separator: b';',
                skip: 5,
                header_line: 3
            }
        );
        assert_eq!(
            layout(b"instance_type;eni_limit\n", known),
            Layout {
                separator: b';',
                skip: 0,
                header_line: 1
            }
        );
    }

    #[test]
    fn notes_name_the_separator() {
        assert_eq!(note("f.csv", b','), None);
        assert_eq!(
            note("f.csv", b'\t').unwrap(),
            "f.csv: fields separated by tabs"
        );
        assert!(note("f.csv", b';').unwrap().contains("semicolons"));
    }
}
