//! Field parsers shared by the text readers: whole numbers, booleans, blanks.
//! Each returns an [`Error`] at the given [`Location`] naming what the field takes.

use crate::error::{Error, Location, Result};

/// A placeholder location, for [`lazily`]'s first attempt.
const NOWHERE: Location = Location {
    file: String::new(),
    place: crate::error::Place::File,
};

/// Runs `parse` without building a location, and again with `at()` only when it fails: a batch
/// of millions of rows then allocates no location for the fields that parse.
pub fn lazily<I: Copy, T>(
    input: I,
    parse: impl Fn(I, &Location) -> Result<T>,
    at: impl FnOnce() -> Location,
) -> Result<T> {
    parse(input, &NOWHERE).or_else(|_| parse(input, &at()))
}

/// What to say of a number with a decimal comma, from its value: `23,5` → "write 23 or 24, not
/// 23,5".
fn decimal_comma_hint(text: &str) -> String {
    let start = "a whole number from 0 to 4294967295; this one has a decimal comma";
    match text.replace(',', ".").parse::<f64>() {
        Ok(v) if v.is_finite() && (0.0..=f64::from(u32::MAX)).contains(&v) => {
            let (low, high) = (v.floor(), v.ceil());
            format!("{start} (write {low} or {high}, not {text})")
        }
        _ => format!("{start} (write a whole number such as 12, not 12,5)"),
    }
}

/// Parses a whole number ≥ 0 that fits `u32`. `12` and `12.0` are taken; `-1`, `1.5`, `x` are not,
/// nor `1.000`, `12,500` or `1,000,000` (thousands separators, or decimals: which is not known, and
/// the message names the readings).
pub fn whole(text: &str, location: &Location) -> Result<u32> {
    // Nearly every field is a few plain digits.
    if (1..=9).contains(&text.len()) && text.bytes().all(|b| b.is_ascii_digit()) {
        return Ok(text.bytes().fold(0, |n, b| n * 10 + u32::from(b - b'0')));
    }
    let t = text.trim();
    let bad = || Error::InvalidNumber {
        location: location.clone(),
        found: text.to_owned(),
        expected: if t.contains(',') {
            decimal_comma_hint(t)
        } else {
            "a whole number from 0 to 4294967295".into()
        },
    };
    if let Some(expected) = thousands_hint(t) {
        return Err(Error::InvalidNumber {
            location: location.clone(),
            found: text.to_owned(),
            expected: format!("a whole number from 0 to 4294967295; {expected}"),
        });
    }
    // Digits, optionally followed by a zero fraction as spreadsheets export whole numbers ("12.0",
    // or "12,0" where the decimal separator is a comma); no sign, exponent or other fraction.
    let digits = match t.split_once(['.', ',']) {
        Some((int, frac)) if !frac.is_empty() && frac.bytes().all(|b| b == b'0') => int,
        Some(_) => return Err(bad()),
        None => t,
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad());
    }
    digits.parse::<u32>().map_err(|_| bad())
}

/// What to say of a number that may be written with thousands separators (`1.000`, `12,500`,
/// `1,000,000`): its readings, none of which is taken silently. `None` for any other text.
fn thousands_hint(text: &str) -> Option<String> {
    let sep = text.chars().find(|c| matches!(c, '.' | ','))?;
    let mut groups = text.split(sep);
    let first = groups.next()?;
    let rest: Vec<&str> = groups.collect();
    let grouped = thousands_grouped(first)
        && rest
            .iter()
            .all(|g| g.len() == 3 && g.bytes().all(|b| b.is_ascii_digit()));
    if !grouped {
        return None;
    }
    let thousands = format!("{first}{}", rest.concat());
    Some(match rest.as_slice() {
        ["000"] => format!(
            "{text} reads as {first} with three zero decimals or as {thousands} with a thousands \
             separator (write {first} or {thousands})"
        ),
        [_] => format!(
            "{text} reads as {thousands} with a thousands separator, or with a decimal {} as a \
             number that is not whole (write {thousands} if that is meant)",
            if sep == ',' { "comma" } else { "point" }
        ),
        _ => format!("{text} has thousands separators (write {thousands})"),
    })
}

/// Whether `int` could be the first group of a number written with thousands separators (`1` of
/// `1.000`, `12` of `12,000`): one to three digits, not starting with 0.
fn thousands_grouped(int: &str) -> bool {
    (1..=3).contains(&int.len()) && int.bytes().all(|b| b.is_ascii_digit()) && !int.starts_with('0')
}

/// A float that is a whole number in `u32` range.
pub fn whole_from_f64(f: f64) -> Option<u32> {
    (f.is_finite() && f.fract() == 0.0 && (0.0..=f64::from(u32::MAX)).contains(&f))
        .then_some(f as u32)
}

/// Parses an optional whole number: blank is `None`.
pub fn opt_whole(text: Option<&str>, location: &Location) -> Result<Option<u32>> {
    match text.map(str::trim) {
        None | Some("") => Ok(None),
        Some(t) => whole(t, location).map(Some),
    }
}

/// Parses a boolean: `true/false`, `yes/no`, `on/off`, `1/0`, any case.
pub fn boolean(text: &str, location: &Location) -> Result<bool> {
    let t = text.trim();
    let is = |words: &[&str]| words.iter().any(|w| t.eq_ignore_ascii_case(w));
    match () {
        () if is(&["true", "yes", "y", "on", "1"]) => Ok(true),
        () if is(&["false", "no", "n", "off", "0"]) => Ok(false),
        () => Err(Error::InvalidValue {
            location: location.clone(),
            found: text.to_owned(),
            expected: "true or false (also yes/no, on/off, 1/0)".into(),
        }),
    }
}

/// Parses an optional boolean: blank is `None`.
pub fn opt_boolean(text: Option<&str>, location: &Location) -> Result<Option<bool>> {
    match text.map(str::trim) {
        None | Some("") => Ok(None),
        Some(t) => boolean(t, location).map(Some),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn here() -> Location {
        Location::line("t.csv", 2, Some("instances"))
    }

    #[test]
    fn whole_numbers() {
        assert_eq!(whole(" 12 ", &here()).unwrap(), 12);
        assert_eq!(whole("12.0", &here()).unwrap(), 12);
        for bad in [
            "-1",
            "1.5",
            "x",
            "",
            "1e20",
            "1e3",
            "NaN",
            "+3",
            "12.",
            ".0",
            "4294967296",
            "1_000",
        ] {
            let e = whole(bad, &here()).unwrap_err().to_string();
            assert!(e.starts_with("t.csv:2:instances: invalid number"), "{e}");
        }
        assert_eq!(opt_whole(Some("  "), &here()).unwrap(), None);
        assert_eq!(opt_whole(None, &here()).unwrap(), None);
    }

    #[test]
    fn a_thousands_separator_or_three_zero_decimals_is_refused() {
        for (text, one, thousand) in [
            ("1.000", 1, 1000),
            ("12,000", 12, 12000),
            ("250.000", 250, 250000),
        ] {
            let e = whole(text, &here()).unwrap_err().to_string();
            assert_eq!(
                e,
                format!(
                    "t.csv:2:instances: invalid number \"{text}\" (expected a whole number from 0 \
                     to 4294967295; {text} reads as {one} with three zero decimals or as \
                     {thousand} with a thousands separator (write {one} or {thousand}))"
                )
            );
        }
        // Not a thousands group: taken as the whole numbers they are.
        assert_eq!(whole("0.000", &here()).unwrap(), 0);
        assert_eq!(whole("1000.000", &here()).unwrap(), 1000);
        assert_eq!(whole("1.00", &here()).unwrap(), 1);
        assert_eq!(whole("12,0", &here()).unwrap(), 12);
        assert_eq!(whole("1.0000", &here()).unwrap(), 1);
        // Other groupings name the thousands reading, never only the decimal one.
        let hint = |text: &str| whole(text, &here()).unwrap_err().to_string();
        assert!(
            hint("12,500").contains(
                "12,500 reads as 12500 with a thousands separator, or with a decimal comma as a \
                 number that is not whole (write 12500 if that is meant)"
            ),
            "{}",
            hint("12,500")
        );
        assert!(
            hint("1.500").contains("1.500 reads as 1500"),
            "{}",
            hint("1.500")
        );
        assert!(
            hint("1,000,000").contains("1,000,000 has thousands separators (write 1000000)"),
            "{}",
            hint("1,000,000")
        );
        assert!(hint("1.000.000").contains("(write 1000000)"));
        // Not a grouping: the decimal comma's hint as before.
        assert!(hint("23,5").contains("decimal comma (write 23 or 24, not 23,5)"));
        assert!(hint("1,2345").contains("decimal comma"));
    }

    #[test]
    fn lazily_names_the_place_only_on_failure() {
        assert_eq!(lazily("7", whole, || panic!("not needed")).unwrap(), 7);
        let e = lazily("x", whole, here).unwrap_err().to_string();
        assert!(e.starts_with("t.csv:2:instances: invalid number"), "{e}");
    }

    #[test]
    fn booleans() {
        assert!(boolean("TRUE", &here()).unwrap());
        assert!(!boolean("no", &here()).unwrap());
        assert!(
            boolean("maybe", &here())
                .unwrap_err()
                .to_string()
                .contains("true or false")
        );
        assert_eq!(opt_boolean(Some(""), &here()).unwrap(), None);
    }
}
