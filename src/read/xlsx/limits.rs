//! Limits on what a workbook may hold ([`Limits`]): the decompressed size of each part and of all
//! together (so that a zip bomb stops at the check; the zip crate enforces the declared size
//! while decompressing), and the counts of the records calamine keeps ([`Counted`]). A part of a
//! few hundred KB can hold millions of empty records (cell formats, shared strings), each of
//! which costs calamine far more memory than its bytes; a shared strings part that declares room
//! for a quadrillion of them made calamine try to make that room; a font name of a megabyte is
//! copied into every cell format that uses it. The sizes and the styles' and shared strings'
//! counts are checked on the zip archive before anything is read ([`super::archive`]); the
//! sheets and defined names are counted where the workbook part is read ([`super::package`]), so
//! that the work per workbook stays linear.

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

/// The longest text (an attribute's value: a font name, a number format) the styles part may
/// hold, in bytes: calamine copies a cell format's font and number format into it, so that a
/// megabyte font name used by a thousand cell formats took a gigabyte.
pub const MAX_STYLE_TEXT: usize = 512;
