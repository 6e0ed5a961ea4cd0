//! The legacy workbook reader on workbooks whose XML parts come from the fuzzer: random bytes
//! rarely make a valid zip, so this target zips the input's parts (separated by a NUL byte:
//! calculator sheet, workbook.xml, node-group table, shared strings) into an otherwise fixed
//! xlsx package, to reach the XML readers (cells, references, formulas, names, tables).
#![no_main]

use std::io::Write;

use libfuzzer_sys::fuzz_target;
use subnet_calc::read::legacy_xlsx;

const CONTENT_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/worksheets/sheet2.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/tables/table1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.table+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>"#;
const ROOT_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#;
const WORKBOOK_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet2.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>"#;
const SHEET_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/table" Target="../tables/table1.xml"/></Relationships>"#;
/// The lookup tables as plain header rows, on a second sheet named for all three.
const LOOKUPS: &str = r#"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>IPv4addr</t></is></c><c r="B1" t="inlineStr"><is><t>MaxENI</t></is></c><c r="C1" t="inlineStr"><is><t>Type</t></is></c></row><row r="2"><c r="A2"><v>30</v></c><c r="B2"><v>8</v></c><c r="C2" t="inlineStr"><is><t>m5.12xlarge</t></is></c></row></sheetData></worksheet>"#;

fuzz_target!(|data: &[u8]| {
    let mut parts = data.split(|&b| b == 0);
    let sheet = parts.next().unwrap_or_default();
    let workbook = parts.next().unwrap_or_default();
    let table = parts.next().unwrap_or_default();
    let strings = parts.next().unwrap_or_default();
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    let files: [(&str, &[u8]); 9] = [
        ("[Content_Types].xml", CONTENT_TYPES.as_bytes()),
        ("_rels/.rels", ROOT_RELS.as_bytes()),
        ("xl/_rels/workbook.xml.rels", WORKBOOK_RELS.as_bytes()),
        ("xl/workbook.xml", workbook),
        ("xl/worksheets/sheet1.xml", sheet),
        ("xl/worksheets/_rels/sheet1.xml.rels", SHEET_RELS.as_bytes()),
        ("xl/worksheets/sheet2.xml", LOOKUPS.as_bytes()),
        ("xl/tables/table1.xml", table),
        ("xl/sharedStrings.xml", strings),
    ];
    for (name, body) in files {
        if zip.start_file(name, stored).is_err() || zip.write_all(body).is_err() {
            return;
        }
    }
    let Ok(bytes) = zip.finish() else { return };
    let _ = legacy_xlsx::read_bytes("fuzz.xlsx", bytes.into_inner());
});
