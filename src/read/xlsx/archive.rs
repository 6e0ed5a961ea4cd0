//! The zip archive beneath an xlsx package: its parts found by name, checked against the
//! [`Limits`] before anything is read (their decompressed sizes, and the counts of the records
//! calamine keeps), and why a package cannot be read ([`PackageError`]).

use std::io::{BufReader, Cursor, Read};

use quick_xml::events::Event;

use crate::error::{PartFault, WorkbookFault};

use super::limits::{Counted, Limits, MAX_STYLE_TEXT};

/// Why a package could not be read: it is not one (a damaged zip archive, a part missing or
/// malformed), or it is past one of the [`Limits`].
#[derive(Debug, thiserror::Error)]
pub enum PackageError {
    /// Not a zip archive, or a part missing or malformed.
    #[error(transparent)]
    Unreadable(#[from] WorkbookFault),
    /// A part, or all of them, would decompress past a limit.
    #[error(
        "{part} would decompress to {}, over the limit of {}",
        human_bytes(*.bytes),
        human_bytes(*.limit)
    )]
    TooLarge {
        /// The part, or `all parts`.
        part: String,
        /// Its declared size.
        bytes: u64,
        /// The limit it exceeds.
        limit: u64,
    },
    /// A style's text (a font name, a number format) is longer than [`MAX_STYLE_TEXT`]: calamine
    /// copies it into every cell format that uses it.
    #[error(
        "{part} holds a style's text ({what}) of {bytes} bytes, over the limit of {MAX_STYLE_TEXT}"
    )]
    TooLong {
        /// The part.
        part: String,
        /// The element and attribute, e.g. `name val`.
        what: String,
        /// Its length in bytes.
        bytes: usize,
    },
    /// A part holds (or declares, for a reader to make room for) more records than a limit.
    #[error("{}", too_many_text(.part, *.counted, *.limit, *.declared))]
    TooMany {
        /// The part.
        part: String,
        /// What is counted.
        counted: Counted,
        /// The limit.
        limit: usize,
        /// The count the part declares, when that is what is over the limit.
        declared: Option<u64>,
    },
}

/// How [`PackageError::TooMany`] reads.
fn too_many_text(part: &str, counted: Counted, limit: usize, declared: Option<u64>) -> String {
    match declared {
        None => format!("{part} holds more than {limit} {}", counted.noun()),
        Some(n) => format!(
            "{part} declares {n} {} (for a reader to make room for), over the limit of {limit}",
            counted.noun()
        ),
    }
}

/// The fault of part `part`.
pub(super) fn part_fault(part: &str, fault: PartFault) -> PackageError {
    PackageError::Unreadable(WorkbookFault::Part {
        part: part.to_owned(),
        fault,
    })
}

/// A size in bytes as people read it: `2.0 GB`, `256 MB`, `512 bytes`.
pub fn human_bytes(n: u64) -> String {
    const UNITS: [(u64, &str); 3] = [(1 << 30, "GB"), (1 << 20, "MB"), (1 << 10, "KB")];
    for (size, unit) in UNITS {
        if n >= size {
            let v = n as f64 / size as f64;
            return if v.fract() == 0.0 {
                format!("{v:.0} {unit}")
            } else {
                format!("{v:.1} {unit}")
            };
        }
    }
    format!("{n} bytes")
}

pub(super) type Zip<'a> = zip::ZipArchive<Cursor<&'a [u8]>>;

/// The index of the part `name` in the archive. The zip crate's own lookup by name goes
/// through every entry when the name is missing (a sheet without relationships), which made
/// reading a workbook's sheets take time in the square of their number; an ASCII name (every
/// part name a spreadsheet app writes) is found by its hash alone.
pub(crate) fn part_index<R: Read + std::io::Seek>(
    zip: &zip::ZipArchive<R>,
    name: &str,
) -> Option<usize> {
    if name.is_ascii() {
        zip.index_for_name_raw(name.as_bytes())
    } else {
        zip.index_for_name(name)
    }
}

/// A part's text, `None` when the archive has no such part.
pub(super) fn part_text(zip: &mut Zip<'_>, name: &str) -> Result<Option<String>, PackageError> {
    let Some(index) = part_index(zip, name) else {
        return Ok(None);
    };
    let mut file = match zip.by_index(index) {
        Ok(f) => f,
        Err(e) => return Err(part_fault(name, PartFault::Zip(e))),
    };
    let mut text = String::new();
    file.read_to_string(&mut text)
        .map_err(|e| part_fault(name, PartFault::Io(e)))?;
    Ok(Some(text))
}

/// An attribute's value, entities resolved.
pub(super) fn attr_value(attr: &quick_xml::events::attributes::Attribute<'_>) -> String {
    attr.normalized_value(quick_xml::XmlVersion::Implicit1_0)
        .map(|v| v.into_owned())
        .unwrap_or_default()
}

/// Checks every part's decompressed size, and all together, against the limits.
pub(super) fn check_sizes(zip: &mut Zip<'_>, limits: Limits) -> Result<(), PackageError> {
    let mut total = 0u64;
    for i in 0..zip.len() {
        let file = zip.by_index_raw(i).map_err(WorkbookFault::NotAZip)?;
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
    let index = part_index(zip, name).ok_or_else(|| part_fault(name, PartFault::Missing))?;
    let file = zip
        .by_index(index)
        .map_err(|e| part_fault(name, PartFault::Zip(e)))?;
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
            Err(e) => return Err(part_fault(name, PartFault::Xml(e))),
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
        assert!(counted(&zip_of(&[("xl/styles.xml", styles)]), limits).is_ok());
        let more = styles.replace("<xf/>", "<xf/><xf/>");
        // Whatever its folder or case.
        let e = counted(&zip_of(&[("XL\\Styles.XML", &more)]), limits).unwrap_err();
        assert_eq!(
            e.to_string(),
            "XL\\Styles.XML holds more than 3 cell formats (with their number formats, fonts, \
             fills and borders)"
        );
        let strings = r#"<sst uniqueCount="2"><si><t>a</t></si><si/></sst>"#;
        assert!(counted(&zip_of(&[("xl/sharedStrings.xml", strings)]), limits).is_ok());
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
