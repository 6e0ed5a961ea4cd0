//! Limits on what a workbook may hold, checked before it is read: the decompressed size of each
//! part and of all together (so that a zip bomb stops at the check; the zip crate enforces the
//! declared size while decompressing), and the counts of the records calamine keeps. A part of a
//! few hundred KB can hold millions of empty records (cell formats, shared strings), each of
//! which costs calamine far more memory than its bytes; a shared strings part that declares room
//! for a quadrillion of them made calamine try to make that room; a font name of a megabyte is
//! copied into every cell format that uses it. The sheets and defined names are counted where
//! the workbook part is read ([`super::package`]), so that the work per workbook stays linear.

use std::io::BufReader;

use quick_xml::events::Event;

use super::package::{PackageError, Zip, attr_value, part_index};

/// Size and count limits for the parts of a workbook.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// The largest decompressed size of one part (a sheet, the shared strings).
    pub max_part_bytes: u64,
    /// The largest decompressed size of all parts together.
    pub max_total_bytes: u64,
    /// The most style records (cell formats, with the number formats, fonts, fills and borders
    /// they use) the styles part may hold.
    pub max_cell_formats: usize,
    /// The most shared strings (distinct texts) the shared strings part may hold, or declare.
    pub max_shared_strings: usize,
    /// The most sheets.
    pub max_sheets: usize,
    /// The most defined names.
    pub max_defined_names: usize,
}

/// The default of [`Limits::max_cell_formats`]: three times what Excel keeps (65,490 cell
/// formats, with a few thousand fonts, fills and borders).
pub const MAX_CELL_FORMATS: usize = 200_000;
/// The default of [`Limits::max_shared_strings`]: one for every row of a sheet (calamine keeps
/// each at some 60 bytes however short: about 64 MB).
pub const MAX_SHARED_STRINGS: usize = 1 << 20;
/// The default of [`Limits::max_sheets`].
pub const MAX_SHEETS: usize = 1_000;
/// The default of [`Limits::max_defined_names`].
pub const MAX_DEFINED_NAMES: usize = 10_000;

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_part_bytes: 256 << 20,
            max_total_bytes: 1 << 30,
            max_cell_formats: MAX_CELL_FORMATS,
            max_shared_strings: MAX_SHARED_STRINGS,
            max_sheets: MAX_SHEETS,
            max_defined_names: MAX_DEFINED_NAMES,
        }
    }
}

/// What a count limit counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Counted {
    /// Style records: cell formats, number formats, fonts, fills, borders.
    CellFormats,
    /// Shared strings.
    SharedStrings,
    /// Sheets.
    Sheets,
    /// Defined names.
    DefinedNames,
}

impl Counted {
    /// What is counted, as a message says it.
    pub fn noun(self) -> &'static str {
        match self {
            Counted::CellFormats => {
                "cell formats (with their number formats, fonts, fills and borders)"
            }
            Counted::SharedStrings => "shared strings",
            Counted::Sheets => "sheets",
            Counted::DefinedNames => "defined names",
        }
    }

    /// The command-line flag that raises the limit.
    pub fn flag(self) -> &'static str {
        match self {
            Counted::CellFormats => "--max-cell-formats",
            Counted::SharedStrings => "--max-shared-strings",
            Counted::Sheets => "--max-sheets",
            Counted::DefinedNames => "--max-defined-names",
        }
    }

    /// What a genuine workbook holds, for the hint.
    pub fn typical(self) -> &'static str {
        match self {
            Counted::CellFormats => "Excel keeps at most 65,490 cell formats in a workbook",
            Counted::SharedStrings => "a legacy workbook holds a few hundred",
            Counted::Sheets => "a legacy workbook has a few dozen",
            Counted::DefinedNames => "a legacy workbook has a few dozen",
        }
    }
}

pub(super) fn check_sizes(zip: &mut Zip<'_>, limits: Limits) -> Result<(), PackageError> {
    let mut total = 0u64;
    for i in 0..zip.len() {
        let file = zip
            .by_index_raw(i)
            .map_err(|e| PackageError::NotAZip(e.to_string()))?;
        let size = file.size();
        if size > limits.max_part_bytes {
            return Err(PackageError::TooLarge {
                part: file
                    .name()
                    .map_or_else(|_| format!("part {i}"), |n| n.into_owned()),
                bytes: size,
                limit: limits.max_part_bytes,
            });
        }
        total = total.saturating_add(size);
    }
    if total > limits.max_total_bytes {
        return Err(PackageError::TooLarge {
            part: "all parts together".into(),
            bytes: total,
            limit: limits.max_total_bytes,
        });
    }
    Ok(())
}

/// The elements of the styles part calamine keeps a record of, each: cell formats (`xf`), number
/// formats, fonts, fills, borders.
const STYLE_RECORDS: [&str; 5] = ["xf", "numFmt", "font", "fill", "border"];

/// The longest text (an attribute's value: a font name, a number format) the styles part may
/// hold, in bytes: calamine copies a cell format's font and number format into it, so that a
/// megabyte font name used by a thousand cell formats took a gigabyte.
pub const MAX_STYLE_TEXT: usize = 512;

/// Counts the records of the styles and shared strings parts before calamine reads them (it
/// keeps each, at far more than its bytes, and makes room for as many shared strings as the part
/// declares). Every part of those names is counted, whatever its folder or case, as calamine
/// finds parts without regard to case.
pub(super) fn check_counts(zip: &mut Zip<'_>, limits: Limits) -> Result<(), PackageError> {
    let names: Vec<String> = zip
        .file_names()
        .filter_map(|n| n.ok().map(|n| n.into_owned()))
        .collect();
    for name in names {
        let normal = name.replace('\\', "/").to_ascii_lowercase();
        match normal.rsplit('/').next().unwrap_or_default() {
            "styles.xml" => count_records(
                zip,
                &name,
                &STYLE_RECORDS,
                Counted::CellFormats,
                limits.max_cell_formats,
            )?,
            "sharedstrings.xml" => count_records(
                zip,
                &name,
                &["si"],
                Counted::SharedStrings,
                limits.max_shared_strings,
            )?,
            _ => {}
        }
    }
    Ok(())
}

/// Counts the elements named `records` in the part `name`, failing past `limit`; the shared
/// strings' `uniqueCount` (how many calamine makes room for) is held to the limit too.
fn count_records(
    zip: &mut Zip<'_>,
    name: &str,
    records: &[&str],
    counted: Counted,
    limit: usize,
) -> Result<(), PackageError> {
    let too_many = |declared| PackageError::TooMany {
        part: name.to_owned(),
        counted,
        limit,
        declared,
    };
    let file = part_index(zip, name)
        .ok_or(zip::result::ZipError::FileNotFound)
        .and_then(|i| zip.by_index(i))
        .map_err(|e| PackageError::Malformed(format!("{name}: {e}")))?;
    let mut reader = quick_xml::Reader::from_reader(BufReader::new(file));
    // Read as calamine reads it: end tags that do not match are let pass.
    reader.config_mut().check_end_names = false;
    let mut buf = Vec::new();
    let mut count = 0usize;
    loop {
        buf.clear();
        match reader.read_event_into(&mut buf) {
            Ok(Event::Start(e) | Event::Empty(e)) => {
                let local = e.local_name();
                if counted == Counted::CellFormats
                    && let Some(long) = e
                        .attributes()
                        .flatten()
                        .find(|a| a.value.len() > MAX_STYLE_TEXT)
                {
                    return Err(PackageError::TooLong {
                        part: name.to_owned(),
                        what: format!("{} {}", local.as_ref(), long.key.local_name().as_ref()),
                        bytes: long.value.len(),
                    });
                }
                if counted == Counted::SharedStrings && local.as_ref() == "sst" {
                    let declared = e
                        .attributes()
                        .flatten()
                        .find(|a| a.key.local_name().as_ref() == "uniqueCount")
                        .and_then(|a| attr_value(&a).trim().parse::<u64>().ok());
                    if declared.is_some_and(|n| n > limit as u64) {
                        return Err(too_many(declared));
                    }
                } else if records.contains(&local.as_ref()) {
                    count += 1;
                    if count > limit {
                        return Err(too_many(None));
                    }
                }
            }
            Ok(Event::Eof) => return Ok(()),
            Err(e) => return Err(PackageError::Malformed(format!("{name}: {e}"))),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Cursor, Write};

    fn zip_of(parts: &[(&str, &str)]) -> Vec<u8> {
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        for (name, body) in parts {
            w.start_file(*name, zip::write::SimpleFileOptions::default())
                .unwrap();
            w.write_all(body.as_bytes()).unwrap();
        }
        w.finish().unwrap().into_inner()
    }

    fn counted(bytes: &[u8], limits: Limits) -> Result<(), PackageError> {
        let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
        check_counts(&mut zip, limits)
    }

    #[test]
    fn records_are_counted_in_every_part_of_their_name() {
        let limits = Limits {
            max_cell_formats: 3,
            max_shared_strings: 2,
            ..Limits::default()
        };
        let styles = "<styleSheet><fonts><font/></fonts><cellXfs><xf/><xf/></cellXfs></styleSheet>";
        assert_eq!(
            counted(&zip_of(&[("xl/styles.xml", styles)]), limits),
            Ok(())
        );
        let more = styles.replace("<xf/>", "<xf/><xf/>");
        // Whatever its folder or case.
        let e = counted(&zip_of(&[("XL\\Styles.XML", &more)]), limits).unwrap_err();
        assert_eq!(
            e.to_string(),
            "XL\\Styles.XML holds more than 3 cell formats (with their number formats, fonts, \
             fills and borders)"
        );
        let strings = r#"<sst uniqueCount="2"><si><t>a</t></si><si/></sst>"#;
        assert_eq!(
            counted(&zip_of(&[("xl/sharedStrings.xml", strings)]), limits),
            Ok(())
        );
        let declared = strings.replace("\"2\"", "\"999999999999\"");
        let e = counted(&zip_of(&[("xl/sharedStrings.xml", &declared)]), limits).unwrap_err();
        assert!(
            e.to_string()
                .contains("declares 999999999999 shared strings"),
            "{e}"
        );
        let long = format!(
            r#"<styleSheet><numFmts><numFmt formatCode="{}"/></numFmts></styleSheet>"#,
            "0".repeat(513)
        );
        let e = counted(&zip_of(&[("xl/styles.xml", &long)]), limits).unwrap_err();
        assert!(
            e.to_string()
                .contains("holds a style's text (numFmt formatCode) of 513 bytes"),
            "{e}"
        );
    }
}
