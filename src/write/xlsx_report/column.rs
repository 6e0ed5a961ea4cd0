//! The columns of a data sheet ([`Col`]): each one's id (what formula templates name it by), its
//! letters, header, width, format, role and header note; and finding a column in a list.

use super::cell_formats::Fmt;

/// What a column holds, for its style and header note.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Role {
    /// Inputs, or live formulas.
    Live,
    /// Values that do not follow the inputs (styled as fixed values).
    Fixed,
    /// An input the formulas cannot follow: changing it needs a fresh run.
    FreshRun,
    /// A helper for other formulas, hidden.
    Hidden,
}

/// A column of a data sheet: an id that formula templates name it by, its header, width,
/// format, and what its header note says.
pub(super) struct Col {
    pub id: &'static str,
    /// The column's letters, filled in when the list is built ([`lettered`]).
    pub letter: String,
    pub header: &'static str,
    pub width: f64,
    pub format: Fmt,
    /// Its name in the CSV or JSON outputs, shown in the header's note.
    pub name: Option<&'static str>,
    /// Its field of a node group in the JSON output (`node_groups[].<field>`), in the note.
    pub json: Option<&'static str>,
    /// Its field in the JSON output, a path from the evaluation (`warnings[].code`), in the note.
    pub json_path: Option<&'static str>,
    /// What it means.
    pub note: Option<&'static str>,
    pub role: Role,
    /// The header band it sits under (the VPC CNI sheet groups its columns).
    pub group: Option<&'static str>,
}

/// A column, live, without a note.
pub(super) fn col(id: &'static str, header: &'static str, width: f64, format: Fmt) -> Col {
    Col {
        id,
        letter: String::new(),
        header,
        width,
        format,
        name: None,
        json: None,
        json_path: None,
        note: None,
        role: Role::Live,
        group: None,
    }
}

impl Col {
    /// Its CSV or JSON name.
    pub fn named(self, name: &'static str) -> Col {
        Col {
            name: Some(name),
            ..self
        }
    }

    /// Its field of a node group in the JSON output (`node_groups[].<field>`).
    pub fn json(self, field: &'static str) -> Col {
        Col {
            json: Some(field),
            ..self
        }
    }

    /// Its field in the JSON output, a path from the evaluation (`warnings[].code`).
    pub fn json_path(self, path: &'static str) -> Col {
        Col {
            json_path: Some(path),
            ..self
        }
    }

    /// What it means, for the header's note.
    pub fn note(self, note: &'static str) -> Col {
        Col {
            note: Some(note),
            ..self
        }
    }

    /// Its role.
    pub fn role(self, role: Role) -> Col {
        Col { role, ..self }
    }

    /// The header band it sits under.
    pub fn group(self, group: &'static str) -> Col {
        Col {
            group: Some(group),
            ..self
        }
    }

    /// The header note's text.
    pub(super) fn note_text(&self) -> Option<String> {
        let mut text = String::new();
        if let Some(note) = self.note {
            text.push_str(note);
        }
        let mut add = |line: String| {
            if !text.is_empty() {
                text.push_str("\n\n");
            }
            text.push_str(&line);
        };
        match self.role {
            Role::Fixed => add(
                "A fixed value (styled grey and italic): worked out by subnet-calc when the \
                 report was written; it does not follow edits."
                    .into(),
            ),
            Role::FreshRun => add(
                "The formulas cannot follow a change here: run subnet-calc eval on the edited \
                 report for fresh figures."
                    .into(),
            ),
            Role::Live | Role::Hidden => {}
        }
        if let Some(name) = self.name {
            add(format!("CSV/JSON: {name}"));
        }
        if let Some(field) = self.json {
            add(format!("JSON: node_groups[].{field}"));
        }
        if let Some(path) = self.json_path {
            add(format!("JSON: {path}"));
        }
        (!text.is_empty()).then_some(text)
    }

    /// The width it is given: its own, at least its header's longest word, so that a header
    /// wraps between words, and enough for the header on three lines.
    pub(super) fn shown_width(&self) -> f64 {
        let longest = self.header.split(' ').map(str::len).max().unwrap_or(0);
        let three_lines = (self.header.len() as f64 / 3.0).ceil() + 2.0;
        self.width.max(longest as f64 + 1.5).max(three_lines)
    }
}

/// Quotes a sheet name for a formula reference.
pub(super) fn sheet_ref(name: &str) -> String {
    if name.chars().all(|c| c.is_ascii_alphanumeric()) {
        name.to_owned()
    } else {
        format!("'{name}'")
    }
}

/// The column letter of column `id` in `cols`. An unknown id is a bug in this module, caught by
/// the report tests.
pub(super) fn letter<'a>(cols: &'a [Col], id: &str) -> &'a str {
    let col = cols
        .iter()
        .find(|c| c.id == id)
        .unwrap_or_else(|| panic!("no report column {id:?}"));
    &col.letter
}

/// The 0-based index of column `id` in `cols` (a bug in this module when it is not there).
pub(super) fn index(cols: &[Col], id: &str) -> u16 {
    cols.iter()
        .position(|c| c.id == id)
        .unwrap_or_else(|| panic!("no report column {id:?}")) as u16
}

/// The columns with their letters filled in.
pub(super) fn lettered(mut cols: Vec<Col>) -> Vec<Col> {
    for (i, c) in cols.iter_mut().enumerate() {
        c.letter = crate::text::column_letters(i as u32);
    }
    cols
}

/// `Sheet!$X$a:$X$b`: column `id` of another sheet over rows `a..=b` (1-based).
pub(super) fn range(sheet: &str, cols: &[Col], id: &str, a: u32, b: u32) -> String {
    let c = letter(cols, id);
    format!("{}!${c}${a}:${c}${b}", sheet_ref(sheet))
}
