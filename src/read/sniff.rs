//! What a file is, from its first bytes: so that a PDF, an `.xls`, a password-protected workbook
//! or a JSON file given where a scenario CSV belongs gets a message that says what it is, instead
//! of a list of unknown columns or "not valid UTF-8".

use std::io::Cursor;

use crate::error::{Error, Location};

/// The kinds of file the readers tell apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    /// An xlsx (or xlsm) workbook: a zip archive with an `xl/` workbook part.
    Xlsx,
    /// An OpenDocument spreadsheet (`.ods`).
    Ods,
    /// An Excel binary workbook (`.xlsb`): a zip archive like an xlsx file, its parts binary.
    Xlsb,
    /// Another zip archive (a `.docx`, a zipped folder…).
    OtherZip,
    /// A workbook encrypted with a password to open (an OLE compound file with an
    /// `EncryptedPackage` stream).
    EncryptedWorkbook,
    /// An Excel 97–2003 workbook (`.xls`, BIFF in an OLE compound file).
    Xls,
    /// A PDF document.
    Pdf,
    /// A gzip-compressed file.
    Gzip,
    /// JSON (starts with `{` or `[`).
    Json,
    /// An HTML page.
    Html,
    /// XML other than a workbook part (perhaps an Excel 2003 XML spreadsheet).
    Xml,
    /// UTF-16 text (Excel's "Unicode Text").
    Utf16Text,
    /// Binary data of no known kind.
    Binary,
    /// Text (UTF-8, or at least not recognisably anything else).
    Text,
}

impl FileKind {
    /// How a message names the kind: "a PDF document".
    pub fn described(self) -> &'static str {
        match self {
            FileKind::Xlsx => "an xlsx workbook",
            FileKind::Ods => "an OpenDocument spreadsheet (.ods)",
            FileKind::Xlsb => "an Excel binary workbook (.xlsb)",
            FileKind::OtherZip => "a zip archive that is not an xlsx workbook",
            FileKind::EncryptedWorkbook => "a password-protected (encrypted) workbook",
            FileKind::Xls => "an Excel 97-2003 workbook (.xls)",
            FileKind::Pdf => "a PDF document",
            FileKind::Gzip => "a gzip-compressed file",
            FileKind::Json => "a JSON document",
            FileKind::Html => "an HTML page",
            FileKind::Xml => "an XML document",
            FileKind::Utf16Text => "UTF-16 text",
            FileKind::Binary => "a binary file",
            FileKind::Text => "text",
        }
    }

    /// What to do with a file of this kind where a spreadsheet or CSV was expected.
    pub fn advice(self) -> &'static str {
        match self {
            FileKind::Ods | FileKind::Xls | FileKind::Xlsb => {
                "open it in a spreadsheet app and save it as .xlsx"
            }
            FileKind::EncryptedWorkbook => {
                "remove the password (File > Info > Protect Workbook > Encrypt with Password, \
                 then clear it) and save it again"
            }
            FileKind::Utf16Text => "save it as \"CSV UTF-8\" instead of Unicode Text",
            FileKind::Gzip => "decompress it first",
            _ => "check that the right file was named",
        }
    }

    /// Whether the kind is a zip-based or OLE-based office file.
    pub fn is_spreadsheet_container(self) -> bool {
        matches!(
            self,
            FileKind::Xlsx
                | FileKind::Ods
                | FileKind::Xlsb
                | FileKind::EncryptedWorkbook
                | FileKind::Xls
        )
    }
}

const OLE_MAGIC: &[u8] = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";

/// Tells what `bytes` are.
pub fn sniff(bytes: &[u8]) -> FileKind {
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") {
        return zip_kind(bytes);
    }
    if bytes.starts_with(OLE_MAGIC) {
        // Stream names are UTF-16LE in the directory of the compound file.
        let encrypted: Vec<u8> = "EncryptedPackage"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        return if contains(bytes, &encrypted) {
            FileKind::EncryptedWorkbook
        } else {
            FileKind::Xls
        };
    }
    if bytes.starts_with(b"%PDF-") {
        return FileKind::Pdf;
    }
    if bytes.starts_with(b"\x1F\x8B") {
        return FileKind::Gzip;
    }
    if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
        return FileKind::Utf16Text;
    }
    let text = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let head = &text[..text.len().min(8192)];
    let start = head
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .map_or(&head[..0], |i| &head[i..]);
    let lower: Vec<u8> = start.iter().take(64).map(u8::to_ascii_lowercase).collect();
    if lower.starts_with(b"<!doctype html") || lower.starts_with(b"<html") {
        return FileKind::Html;
    }
    if lower.starts_with(b"<?xml") {
        return FileKind::Xml;
    }
    if matches!(start.first(), Some(b'{' | b'[')) {
        return FileKind::Json;
    }
    // Text has no NUL bytes; UTF-16 without a byte-order mark has one in every other byte
    // (ASCII characters), and not in the bytes between.
    if head.contains(&0) {
        let zeros = |start: usize| {
            head.iter()
                .skip(start)
                .step_by(2)
                .filter(|&&b| b == 0)
                .count()
        };
        let (even, odd) = (zeros(0), zeros(1));
        let half = head.len() / 2;
        let utf16 = head.len() >= 4
            && ((odd * 10 >= half * 9 && even * 10 <= half)
                || (even * 10 >= half * 9 && odd * 10 <= half));
        return if utf16 {
            FileKind::Utf16Text
        } else {
            FileKind::Binary
        };
    }
    FileKind::Text
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// Looks into a zip archive's directory (nothing is decompressed but the small `mimetype`).
fn zip_kind(bytes: &[u8]) -> FileKind {
    let Ok(mut zip) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        // A damaged archive: the workbook reader says what is wrong with it.
        return FileKind::Xlsx;
    };
    let names: Vec<String> = zip
        .file_names()
        .filter_map(|n| n.ok().map(|n| n.into_owned()))
        .collect();
    if names.iter().any(|n| n == "mimetype")
        && let Ok(mut f) = zip.by_name("mimetype")
    {
        {
            let mut head = [0u8; 64];
            let n = std::io::Read::read(&mut f, &mut head).unwrap_or(0);
            if head[..n].starts_with(b"application/vnd.oasis.opendocument") {
                return FileKind::Ods;
            }
        }
    }
    // An .xlsb file holds the parts of an xlsx file, in a binary form no reader here takes.
    if names
        .iter()
        .any(|n| n.replace('\\', "/").eq_ignore_ascii_case("xl/workbook.bin"))
    {
        return FileKind::Xlsb;
    }
    if names.iter().any(|n| n.starts_with("xl/")) {
        FileKind::Xlsx
    } else {
        FileKind::OtherZip
    }
}

/// The error for a file of another kind than expected.
pub(crate) fn wrong_kind(name: &str, kind: FileKind, expected: &str, hint: &str) -> Error {
    Error::WrongFileKind {
        location: Location::file(name),
        found: kind.described().to_owned(),
        expected: expected.to_owned(),
        hint: hint.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_are_told_from_their_first_bytes() {
        assert_eq!(sniff(b"%PDF-1.7\n..."), FileKind::Pdf);
        assert_eq!(sniff(b"  {\"InstanceTypes\": []}"), FileKind::Json);
        assert_eq!(sniff(b"\xEF\xBB\xBF[1,2]"), FileKind::Json);
        assert_eq!(sniff(b"scenario,subnet_cidr\n"), FileKind::Text);
        assert_eq!(sniff(b"\xFF\xFEs\0c\0"), FileKind::Utf16Text);
        assert_eq!(sniff(b"s\0c\0e\0n\0"), FileKind::Utf16Text);
        assert_eq!(sniff(b"\x1F\x8B\x08\0"), FileKind::Gzip);
        assert_eq!(sniff(b"<!DOCTYPE html><html>"), FileKind::Html);
        assert_eq!(sniff(b"<?xml version=\"1.0\"?><Workbook>"), FileKind::Xml);
        assert_eq!(sniff(b"\x7FELF\x02\x01\0\0\0\0"), FileKind::Binary);
        assert_eq!(sniff(&[0u8; 4096]), FileKind::Binary);
        let mut ole = OLE_MAGIC.to_vec();
        ole.extend([0u8; 100]);
        assert_eq!(sniff(&ole), FileKind::Xls);
        ole.extend("EncryptedPackage".encode_utf16().flat_map(u16::to_le_bytes));
        assert_eq!(sniff(&ole), FileKind::EncryptedWorkbook);
    }

    #[test]
    fn zips_are_told_apart_by_their_parts() {
        use std::io::Write;
        let zip_of = |parts: &[(&str, &str)]| {
            let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
            for (name, body) in parts {
                w.start_file(*name, zip::write::SimpleFileOptions::default())
                    .unwrap();
                w.write_all(body.as_bytes()).unwrap();
            }
            w.finish().unwrap().into_inner()
        };
        assert_eq!(
            sniff(&zip_of(&[
                ("[Content_Types].xml", ""),
                ("xl/workbook.xml", "")
            ])),
            FileKind::Xlsx
        );
        assert_eq!(
            sniff(&zip_of(&[(
                "mimetype",
                "application/vnd.oasis.opendocument.spreadsheet"
            )])),
            FileKind::Ods
        );
        assert_eq!(
            sniff(&zip_of(&[("word/document.xml", "")])),
            FileKind::OtherZip
        );
        assert_eq!(
            sniff(&zip_of(&[
                ("[Content_Types].xml", ""),
                ("xl/workbook.bin", "")
            ])),
            FileKind::Xlsb
        );
    }
}
