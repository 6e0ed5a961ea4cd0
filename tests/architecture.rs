//! The module map of `docs/architecture.md`, checked against the source (std only, no build of the
//! crate needed): the import rules of its layer table, no import cycles where there must be none,
//! no long functions, one module per name, and no text matched in the writers.
//!
//! Each check has an allowlist of what breaks it today. The check fails on anything new **and** on
//! an allowlist entry that no longer occurs, so the lists only shrink: whoever fixes an entry
//! deletes it. Every entry names the package of issue 21's plan expected to remove it.
//!
//! How the source is read: comments and string and char literals are blanked first; a file is a
//! module (`a/b.rs` and `a/b/mod.rs` are `a::b`); the files declared in `main.rs` are the binary's.
//! An import is any `crate::`, `super::` or `self::` path, in a `use` item or inline, and any path
//! that starts with the name of one of the file's child modules; it is resolved to the longest
//! module it names. Unit tests (a `#[cfg(test)]` item, or a file declared `#[cfg(test)] mod x;`) are
//! left out of every check: a test may reach across layers to round-trip.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;

/// Imports that break the layer table: (importing file, module imported, package removing it).
const KNOWN_VIOLATIONS: &[(&str, &str, &str)] = &[];

/// Directories whose files must not import each other in a cycle.
const NO_CYCLES_UNDER: &[&str] = &["engine/vpc_cni/", "read/", "write/xlsx_report/"];

/// Import cycles there today: (the files of one strongly connected group, package removing it).
const KNOWN_CYCLES: &[(&[&str], &str)] = &[];

/// The longest a function outside the tests may be.
const MAX_FN_LINES: usize = 100;

/// Functions over that today: (file, function, its length now as a ceiling, package removing it).
const KNOWN_LONG_FNS: &[(&str, &str, usize, &str)] = &[
    ("engine/vpc_cni/pool.rs", "node", 119, "WP-I"),
    ("read/report_input.rs", "on_the_sheet", 154, "C3"),
    ("read/report_input.rs", "read_catalog", 107, "C3"),
    ("read/report_input.rs", "read_inputs", 109, "C3"),
    ("read/scenario_csv/stream.rs", "read_batch", 127, "WP-I"),
    ("write/xlsx_report/mod.rs", "write_workbook", 282, "E3"),
    ("write/xlsx_report/outputs_sheet.rs", "cells", 257, "E3"),
    ("write/xlsx_report/subnets_sheet.rs", "write", 127, "E4"),
    (
        "write/xlsx_report/summary_sheet.rs",
        "write_section",
        164,
        "E3",
    ),
    ("write/xlsx_report/vpc_cni_sheet.rs", "cells", 170, "E2"),
    ("write/xlsx_report/vpc_cni_sheet.rs", "cols", 130, "E2"),
];

/// Module names held by two modules or more: (name, package making it unique).
const KNOWN_SHARED_NAMES: &[(&str, &str)] = &[];

/// The text searches of the writers: outside the tests, a writer does not find its way by
/// matching text (a warning, a message, a label); it reads the data.
const TEXT_MATCHING: &[&str] = &[
    ".contains(",
    ".starts_with(",
    ".split_once(",
    ".rsplit_once(",
    ".ends_with(",
];

/// The lines of `src/write/` that call one today: (file, the line trimmed, why or which package
/// removes it). `keep` marks calls that match no message: a slice's `contains`, a path, a zip
/// part's name, a formula's text.
const KNOWN_TEXT_MATCHING: &[(&str, &str, &str)] = &[
    (
        "write/legacy_export.rs",
        r#"if name.starts_with("xl/worksheets/sheet") && name.ends_with(".xml") {"#,
        "keep: a zip part's name",
    ),
    (
        "write/legacy_export.rs",
        r##"if !xml.contains(r#"<f t="array""#) {"##,
        "keep: the XML the xlsx writer made",
    ),
    (
        "write/legacy_export.rs",
        "id.rsplit_once('#')",
        "keep: a scenario id's sheet part",
    ),
    (
        "write/legacy_export.rs",
        "while stem.starts_with('.') {",
        "keep: a file name",
    ),
    (
        "write/xlsx_report/cell.rs",
        "Cell::Formula(_, CachedResult::Text(t)) if t.starts_with('#') => {",
        "keep: a cached error value",
    ),
    (
        "write/xlsx_report/mod.rs",
        ".filter(|j| j.models.contains(&Model::VpcCni))",
        "keep: not text",
    ),
    (
        "write/xlsx_report/mod.rs",
        "if info.models.contains(&Model::Workbook) {",
        "keep: not text",
    ),
    (
        "write/xlsx_report/mod.rs",
        "if info.models.contains(&Model::VpcCni) {",
        "keep: not text",
    ),
    (
        "write/xlsx_report/summary_sheet.rs",
        ".filter(|m| models.contains(m))",
        "keep: not text",
    ),
    (
        "write/xlsx_report/summary_sheet.rs",
        r#"why.split_once(": ")"#,
        "B4",
    ),
    (
        "write/xlsx_report/vpc_cni_sheet.rs",
        "_ if intermediate.contains(&Some(c)) => Cell::Blank,",
        "keep: not text",
    ),
    (
        "write/summary_csv.rs",
        "if !seen[..n].contains(&name) {",
        "keep: not text",
    ),
    (
        "write/xlsx_panic.rs",
        r#"if let Some((_, rest)) = message.split_once("Os { code: ") {"#,
        "keep: the xlsx writer's panic, which carries its I/O error only as text",
    ),
];

#[test]
fn imports_follow_the_layer_table_of_docs_architecture() {
    let source = Source::read();
    let table = LayerTable::read(&source);
    let mut problems = table.problems.clone();
    let mut found = BTreeSet::new();
    for file in source.library_files() {
        let Some(own) = table.layer_of(&file.module) else {
            continue;
        };
        for edge in source.imports(file) {
            let Some(theirs) = table.layer_of(&edge.target) else {
                continue;
            };
            if !table.may_import(own, theirs) {
                found.insert((
                    file.rel.clone(),
                    edge.target.join("::"),
                    edge.line,
                    own,
                    theirs,
                ));
            }
        }
    }
    let known: BTreeSet<(String, String)> = KNOWN_VIOLATIONS
        .iter()
        .map(|(f, m, _)| (f.to_string(), m.to_string()))
        .collect();
    let mut seen = BTreeSet::new();
    for (file, target, line, own, theirs) in &found {
        seen.insert((file.clone(), target.clone()));
        if !known.contains(&(file.clone(), target.clone())) {
            problems.push(format!(
                "src/{file}:{line}: {own} may not import {theirs} (`{target}`): \
                 see docs/architecture.md"
            ));
        }
    }
    for (file, target, package) in KNOWN_VIOLATIONS {
        if !seen.contains(&(file.to_string(), target.to_string())) {
            problems.push(format!(
                "src/{file} no longer imports `{target}` across the layers ({package}): \
                 delete its entry from KNOWN_VIOLATIONS"
            ));
        }
    }
    assert_none(problems);
}

#[test]
fn no_import_cycles_where_the_map_forbids_them() {
    let source = Source::read();
    let mut problems = Vec::new();
    let mut found = BTreeSet::new();
    for dir in NO_CYCLES_UNDER {
        let files: Vec<&SourceFile> = source
            .library_files()
            .filter(|f| f.rel.starts_with(dir))
            .collect();
        let by_module: BTreeMap<&[String], &str> = files
            .iter()
            .map(|f| (f.module.as_slice(), f.rel.as_str()))
            .collect();
        let mut graph: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
        for file in &files {
            let out = graph.entry(file.rel.as_str()).or_default();
            for edge in source.imports(file) {
                if let Some(&to) = by_module.get(edge.target.as_slice())
                    && to != file.rel
                {
                    out.insert(to);
                }
            }
        }
        for group in strongly_connected(&graph) {
            found.insert(group.into_iter().map(str::to_string).collect::<Vec<_>>());
        }
    }
    let known: BTreeSet<Vec<String>> = KNOWN_CYCLES
        .iter()
        .map(|(files, _)| sorted(files))
        .collect();
    for group in &found {
        if !known.contains(group) {
            problems.push(format!(
                "these files import each other in a cycle: {} (a mod.rs calls its children; a \
                 child imports no module that imports it)",
                group.join(", ")
            ));
        }
    }
    for (files, package) in KNOWN_CYCLES {
        if !found.contains(&sorted(files)) {
            problems.push(format!(
                "the cycle {} ({package}) is gone or changed: update KNOWN_CYCLES",
                files.join(", ")
            ));
        }
    }
    assert_none(problems);
}

#[test]
fn no_function_outside_the_tests_is_over_a_hundred_lines() {
    let source = Source::read();
    let mut longest: BTreeMap<(String, String), (usize, usize)> = BTreeMap::new();
    for file in &source.files {
        if file.test {
            continue;
        }
        for (name, line, length) in functions(file) {
            let entry = longest.entry((file.rel.clone(), name)).or_insert((0, line));
            if length > entry.0 {
                *entry = (length, line);
            }
        }
    }
    let mut problems = Vec::new();
    for ((file, name), (length, line)) in &longest {
        if *length <= MAX_FN_LINES {
            continue;
        }
        match KNOWN_LONG_FNS
            .iter()
            .find(|(f, n, _, _)| f == file && n == name)
        {
            None => problems.push(format!(
                "src/{file}:{line}: fn {name} is {length} lines (at most {MAX_FN_LINES})"
            )),
            Some((_, _, ceiling, package)) if length > ceiling => problems.push(format!(
                "src/{file}:{line}: fn {name} grew to {length} lines; it may only shrink (at most \
                 {ceiling} until {package} splits it)"
            )),
            Some(_) => {}
        }
    }
    for (file, name, _, package) in KNOWN_LONG_FNS {
        let now = longest.get(&(file.to_string(), name.to_string()));
        if now.is_none_or(|(length, _)| *length <= MAX_FN_LINES) {
            problems.push(format!(
                "src/{file}: fn {name} is gone or within {MAX_FN_LINES} lines ({package}): delete \
                 its entry from KNOWN_LONG_FNS"
            ));
        }
    }
    assert_none(problems);
}

#[test]
fn every_module_name_is_used_once() {
    let source = Source::read();
    let mut by_name: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for file in &source.files {
        if let Some(name) = file.module.last()
            && !file.test
        {
            by_name.entry(name).or_default().push(&file.rel);
        }
    }
    let mut problems = Vec::new();
    for (name, files) in &by_name {
        let known = KNOWN_SHARED_NAMES.iter().any(|(n, _)| n == name);
        if files.len() > 1 && !known {
            problems.push(format!(
                "the module name `{name}` is used by {}: one name, one module",
                files.join(", ")
            ));
        }
    }
    for (name, package) in KNOWN_SHARED_NAMES {
        if by_name.get(name).is_none_or(|files| files.len() < 2) {
            problems.push(format!(
                "the module name `{name}` is used once now ({package}): delete its entry from \
                 KNOWN_SHARED_NAMES"
            ));
        }
    }
    assert_none(problems);
}

#[test]
fn writers_match_no_text_outside_their_tests() {
    let source = Source::read();
    let mut found = BTreeSet::new();
    let mut problems = Vec::new();
    for file in source.library_files() {
        if !file.rel.starts_with("write/") {
            continue;
        }
        let raw: Vec<&str> = file.text.lines().collect();
        for (i, clean) in file.clean.lines().enumerate() {
            if file.test_lines[i] || !TEXT_MATCHING.iter().any(|m| clean.contains(m)) {
                continue;
            }
            let line = raw[i].trim();
            found.insert((file.rel.as_str(), line));
            if !KNOWN_TEXT_MATCHING
                .iter()
                .any(|(f, l, _)| *f == file.rel && *l == line)
            {
                problems.push(format!(
                    "src/{}:{}: text matched in a writer (place by data, not by words): {line}",
                    file.rel,
                    i + 1
                ));
            }
        }
    }
    for (file, line, why) in KNOWN_TEXT_MATCHING {
        if !found.contains(&(*file, *line)) {
            problems.push(format!(
                "src/{file} no longer has `{line}` ({why}): delete its entry from \
                 KNOWN_TEXT_MATCHING"
            ));
        }
    }
    assert_none(problems);
}

#[test]
fn the_checks_read_the_source_as_written() {
    // The reader of the source itself: a file is blanked where comments and literals are, and
    // paths are found in `use` trees and inline.
    let clean = blank("let a = \"x // y\"; // c::d\nlet b = 'z'; fn f<'a>() {} /* crate::e */");
    let spaces = |n| " ".repeat(n);
    assert_eq!(
        clean,
        format!(
            "let a = {};{}\nlet b = {}; fn f<'a>() {{}} {}",
            spaces(8),
            spaces(8),
            spaces(3),
            spaces(14)
        )
    );
    let mut out = Vec::new();
    use_tree("", "crate::{a::{b, c as d}, e, self}", &mut out);
    assert_eq!(
        out,
        ["crate::a::b", "crate::a::c", "crate::e", "crate::self"]
    );
    let file = SourceFile::new(
        "x/mod.rs",
        "use super::y::Z;\nfn g() { crate::w::f(); kid::h(); }\n#[cfg(test)]\nmod tests {\n    use crate::q;\n}\n",
        false,
    );
    let source = Source {
        files: vec![file],
        modules: ["x", "y", "w", "x::kid", "q"]
            .iter()
            .map(|m| m.split("::").map(str::to_string).collect())
            .collect(),
    };
    let targets: Vec<String> = source
        .imports(&source.files[0])
        .iter()
        .map(|e| format!("{}:{}", e.line, e.target.join("::")))
        .collect();
    assert_eq!(targets, ["1:y", "2:w", "2:x::kid"]);
    assert_eq!(
        source.files[0].test_lines,
        [false, false, true, true, true, true]
    );
    let lengths: Vec<(String, usize, usize)> = functions(&source.files[0]);
    assert_eq!(lengths, [("g".to_string(), 2, 1)]);
}

fn assert_none(problems: Vec<String>) {
    assert!(
        problems.is_empty(),
        "{} problem(s):\n{}",
        problems.len(),
        problems.join("\n")
    );
}

fn sorted(files: &[&str]) -> Vec<String> {
    let mut v: Vec<String> = files.iter().map(|f| f.to_string()).collect();
    v.sort();
    v
}

// ---- the source ----------------------------------------------------------------------------

struct Source {
    files: Vec<SourceFile>,
    /// Every module of the library and of the binary (their names do not overlap).
    modules: BTreeSet<Vec<String>>,
}

struct SourceFile {
    /// The path under `src/`.
    rel: String,
    /// `a/b.rs` and `a/b/mod.rs` are `[a, b]`; `lib.rs` and `main.rs` are `[]`.
    module: Vec<String>,
    binary: bool,
    /// Declared `#[cfg(test)] mod x;` (or inside such a module).
    test: bool,
    text: String,
    /// `text` with comments and literals blanked, lines kept.
    clean: String,
    /// Per line: inside a `#[cfg(test)]` item (every line when `test`).
    test_lines: Vec<bool>,
}

struct Edge {
    line: usize,
    target: Vec<String>,
}

impl Source {
    fn read() -> Source {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut paths = Vec::new();
        walk(&root, &mut paths);
        paths.sort();
        let main = fs::read_to_string(root.join("main.rs")).expect("src/main.rs");
        let binary_mods = declared_modules(&blank(&main));
        let mut files: Vec<SourceFile> = paths
            .iter()
            .map(|p| {
                let rel = p
                    .strip_prefix(&root)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                let text = fs::read_to_string(p).unwrap_or_else(|e| panic!("{rel}: {e}"));
                let module = module_of(&rel);
                let binary =
                    rel == "main.rs" || module.first().is_some_and(|m| binary_mods.contains(m));
                SourceFile::new(&rel, &text, binary)
            })
            .collect();
        // Test modules declared in their parent: `#[cfg(test)] mod tests;`.
        let mut test_modules = BTreeSet::new();
        for file in &files {
            for (name, test) in declared_modules_with_cfg(&file.clean) {
                if test {
                    let mut m = file.module.clone();
                    m.push(name);
                    test_modules.insert(m);
                }
            }
        }
        for file in &mut files {
            if test_modules.iter().any(|t| file.module.starts_with(t)) && !file.module.is_empty() {
                file.test = true;
                file.test_lines.iter_mut().for_each(|t| *t = true);
            }
        }
        let modules = files.iter().map(|f| f.module.clone()).collect();
        Source { files, modules }
    }

    /// The library's files but its root (the binary's may import anything).
    fn library_files(&self) -> impl Iterator<Item = &SourceFile> {
        self.files
            .iter()
            .filter(|f| !f.binary && !f.test && !f.module.is_empty())
    }

    /// The modules a file imports outside its tests.
    fn imports(&self, file: &SourceFile) -> Vec<Edge> {
        let children: BTreeSet<&str> = self
            .modules
            .iter()
            .filter(|m| m.len() == file.module.len() + 1 && m.starts_with(&file.module))
            .map(|m| m.last().unwrap().as_str())
            .collect();
        let mut edges = Vec::new();
        for (line, path) in paths_in(&file.clean) {
            if file.test_lines[line - 1] {
                continue;
            }
            let segments: Vec<&str> = path.split("::").collect();
            let (mut base, rest): (Vec<String>, &[&str]) = match segments[0] {
                "crate" => (Vec::new(), &segments[1..]),
                "super" | "self" => (file.module.clone(), &segments[..]),
                first if children.contains(first) => (file.module.clone(), &segments[..]),
                _ => continue,
            };
            let mut rest = rest;
            while let Some(first) = rest.first() {
                match *first {
                    "super" => {
                        base.pop();
                    }
                    "self" => {}
                    _ => break,
                }
                rest = &rest[1..];
            }
            base.extend(
                rest.iter()
                    .filter(|s| **s != "self" && **s != "*")
                    .map(|s| s.to_string()),
            );
            while !base.is_empty() && !self.modules.contains(&base) {
                base.pop();
            }
            if base != file.module && !base.is_empty() {
                edges.push(Edge { line, target: base });
            }
        }
        edges
    }
}

impl SourceFile {
    fn new(rel: &str, text: &str, binary: bool) -> SourceFile {
        let clean = blank(text);
        let test_lines = cfg_test_lines(&clean);
        SourceFile {
            rel: rel.to_string(),
            module: module_of(rel),
            binary,
            test: false,
            text: text.to_string(),
            clean,
            test_lines,
        }
    }
}

fn walk(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.unwrap().path();
        if path.is_dir() {
            walk(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

fn module_of(rel: &str) -> Vec<String> {
    let stem = rel.strip_suffix(".rs").unwrap_or(rel);
    let stem = stem.strip_suffix("/mod").unwrap_or(stem);
    if stem == "lib" || stem == "main" {
        return Vec::new();
    }
    stem.split('/').map(str::to_string).collect()
}

/// Comments and string, byte-string and char literals replaced by spaces; newlines kept.
fn blank(src: &str) -> String {
    let chars: Vec<char> = src.chars().collect();
    let mut out = String::with_capacity(src.len());
    let n = chars.len();
    let mut i = 0;
    let ident = |c: char| c.is_alphanumeric() || c == '_';
    let spaces = |out: &mut String, from: &[char]| {
        out.extend(from.iter().map(|&c| if c == '\n' { '\n' } else { ' ' }));
    };
    while i < n {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if c == '/' && next == Some('/') {
            let end = (i..n).find(|&j| chars[j] == '\n').unwrap_or(n);
            spaces(&mut out, &chars[i..end]);
            i = end;
        } else if c == '/' && next == Some('*') {
            let (mut depth, mut j) = (1, i + 2);
            while j < n && depth > 0 {
                if chars[j] == '/' && chars.get(j + 1) == Some(&'*') {
                    depth += 1;
                    j += 2;
                } else if chars[j] == '*' && chars.get(j + 1) == Some(&'/') {
                    depth -= 1;
                    j += 2;
                } else {
                    j += 1;
                }
            }
            spaces(&mut out, &chars[i..j]);
            i = j;
        } else if let Some(len) = raw_string_start(&chars, i) {
            // r"…", r#"…"#, br"…": ends at the quote followed by as many hashes.
            let hashes = len - 2 - usize::from(chars[i] == 'b');
            let mut j = i + len;
            while j < n {
                if chars[j] == '"' && (1..=hashes).all(|k| chars.get(j + k) == Some(&'#')) {
                    j += 1 + hashes;
                    break;
                }
                j += 1;
            }
            spaces(&mut out, &chars[i..j.min(n)]);
            i = j.min(n);
        } else if c == '"' {
            let mut j = i + 1;
            while j < n && chars[j] != '"' {
                j += if chars[j] == '\\' { 2 } else { 1 };
            }
            let end = (j + 1).min(n);
            spaces(&mut out, &chars[i..end]);
            i = end;
        } else if c == '\'' && (i == 0 || !ident(chars[i - 1]) || byte_prefix(&chars, i)) {
            // A char literal ('x', '\n', '\u{1b}'), or a lifetime ('a), which is kept.
            let end = if next == Some('\\') {
                (i + 3..n).find(|&j| chars[j] == '\'').map(|j| j + 1)
            } else if chars.get(i + 2) == Some(&'\'') {
                Some(i + 3)
            } else {
                None
            };
            match end {
                Some(end) => {
                    spaces(&mut out, &chars[i..end]);
                    i = end;
                }
                None => {
                    out.push(c);
                    i += 1;
                }
            }
        } else {
            out.push(c);
            i += 1;
        }
    }
    out
}

/// `b'…'`: the quote at `i` follows a lone `b`.
fn byte_prefix(chars: &[char], i: usize) -> bool {
    let ident = |c: char| c.is_alphanumeric() || c == '_';
    i >= 1 && chars[i - 1] == 'b' && (i < 2 || !ident(chars[i - 2]))
}

/// The length of a raw string's opening (`r#"` is 3) when one starts at `i`.
fn raw_string_start(chars: &[char], i: usize) -> Option<usize> {
    let ident = |c: char| c.is_alphanumeric() || c == '_';
    let mut j = i;
    if chars[j] == 'b' {
        j += 1;
    }
    if chars.get(j) != Some(&'r') || (i > 0 && ident(chars[i - 1])) {
        return None;
    }
    j += 1;
    while chars.get(j) == Some(&'#') {
        j += 1;
    }
    (chars.get(j) == Some(&'"')).then_some(j + 1 - i)
}

/// Per line: inside an item that follows `#[cfg(test)]` (a module, a function, an impl).
fn cfg_test_lines(clean: &str) -> Vec<bool> {
    let lines: Vec<&str> = clean.split('\n').collect();
    let mut test = vec![false; lines.len()];
    let mut i = 0;
    while i < lines.len() {
        if lines[i].trim() != "#[cfg(test)]" {
            i += 1;
            continue;
        }
        // The item: from the attribute to its closing brace, or to its `;`.
        let mut depth = 0usize;
        let mut started = false;
        let mut k = i;
        'item: while k < lines.len() {
            test[k] = true;
            for ch in lines[k].chars() {
                match ch {
                    '{' => {
                        depth += 1;
                        started = true;
                    }
                    '}' => depth = depth.saturating_sub(1),
                    ';' if !started => break 'item,
                    _ => {}
                }
                if started && depth == 0 {
                    break 'item;
                }
            }
            k += 1;
        }
        i = k + 1;
    }
    // A file ends in a newline; its last (empty) piece is not a line.
    if clean.ends_with('\n') {
        test.pop();
    }
    test
}

/// `mod name;` declarations of a file.
fn declared_modules(clean: &str) -> BTreeSet<String> {
    declared_modules_with_cfg(clean)
        .into_iter()
        .map(|(n, _)| n)
        .collect()
}

/// `mod name;` declarations, each with whether `#[cfg(test)]` is among the attributes above it.
fn declared_modules_with_cfg(clean: &str) -> Vec<(String, bool)> {
    let lines: Vec<&str> = clean.lines().map(str::trim).collect();
    let mut out = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let item = line
            .strip_prefix("pub ")
            .or_else(|| line.strip_prefix("pub(crate) "))
            .or_else(|| line.strip_prefix("pub(super) "))
            .unwrap_or(line);
        let Some(name) = item.strip_prefix("mod ").and_then(|r| r.strip_suffix(';')) else {
            continue;
        };
        let test = lines[..i]
            .iter()
            .rev()
            .take_while(|l| l.starts_with("#["))
            .any(|l| *l == "#[cfg(test)]");
        out.push((name.trim().to_string(), test));
    }
    out
}

/// Every path a file names that may be one of the crate's: (line, `a::b::c`), from `use` trees
/// (expanded) and inline.
fn paths_in(clean: &str) -> Vec<(usize, String)> {
    let chars: Vec<char> = clean.chars().collect();
    let ident = |c: char| c.is_alphanumeric() || c == '_';
    let line_at = |pos: usize| chars[..pos].iter().filter(|&&c| c == '\n').count() + 1;
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let boundary =
            i == 0 || !(ident(chars[i - 1]) || chars[i - 1] == ':' || chars[i - 1] == '$');
        if !boundary || !ident(chars[i]) {
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len() && ident(chars[i]) {
            i += 1;
        }
        let word: String = chars[start..i].iter().collect();
        if word == "use" && chars.get(i).is_some_and(|c| c.is_whitespace()) {
            let end = (i..chars.len())
                .find(|&j| chars[j] == ';')
                .unwrap_or(chars.len());
            let tree: String = chars[i..end].iter().collect();
            let mut paths = Vec::new();
            use_tree("", tree.trim(), &mut paths);
            let line = line_at(start);
            out.extend(paths.into_iter().map(|p| (line, p)));
            i = end;
            continue;
        }
        // An inline path: `word::word…`.
        let mut path = word;
        while chars.get(i) == Some(&':') && chars.get(i + 1) == Some(&':') {
            let from = i + 2;
            let mut j = from;
            while j < chars.len() && ident(chars[j]) {
                j += 1;
            }
            if j == from {
                break;
            }
            path.push_str("::");
            path.extend(&chars[from..j]);
            i = j;
        }
        if path.contains("::") {
            out.push((line_at(start), path));
        }
    }
    out
}

/// `a::{b, c::{d, e as f}}` as `a::b`, `a::c::d`, `a::c::e`.
fn use_tree(prefix: &str, tree: &str, out: &mut Vec<String>) {
    let tree = tree.trim();
    let Some(open) = tree.find('{') else {
        let plain = tree.split(" as ").next().unwrap_or(tree);
        let plain: String = plain.chars().filter(|c| !c.is_whitespace()).collect();
        out.push(format!("{prefix}{plain}"));
        return;
    };
    let head: String = tree[..open]
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    let inner = &tree[open + 1..tree.rfind('}').unwrap_or(tree.len())];
    let (mut depth, mut from) = (0, 0);
    let mut parts = Vec::new();
    for (k, c) in inner.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(&inner[from..k]);
                from = k + 1;
            }
            _ => {}
        }
    }
    parts.push(&inner[from..]);
    for part in parts.into_iter().filter(|p| !p.trim().is_empty()) {
        use_tree(&format!("{prefix}{head}"), part, out);
    }
}

/// The functions with a body a file defines outside its tests: (name, line, length in lines).
fn functions(file: &SourceFile) -> Vec<(String, usize, usize)> {
    let lines: Vec<&str> = file.clean.split('\n').collect();
    let mut out = Vec::new();
    for (idx, line) in lines.iter().enumerate() {
        if file.test_lines.get(idx).copied().unwrap_or(false) {
            continue;
        }
        let Some(name) = fn_name(line) else {
            continue;
        };
        let (mut depth, mut started) = (0usize, false);
        let mut end = None;
        'body: for (k, l) in lines.iter().enumerate().skip(idx) {
            for ch in l.chars() {
                match ch {
                    '{' => {
                        depth += 1;
                        started = true;
                    }
                    '}' => depth = depth.saturating_sub(1),
                    ';' if !started => break 'body,
                    _ => {}
                }
                if started && depth == 0 {
                    end = Some(k);
                    break 'body;
                }
            }
        }
        if let Some(end) = end {
            out.push((name, idx + 1, end - idx + 1));
        }
    }
    out
}

/// The name of the function a line declares: `pub(crate) const unsafe fn name…`.
fn fn_name(line: &str) -> Option<String> {
    let mut rest = line.trim_start();
    if let Some(r) = rest.strip_prefix("pub") {
        rest = match r.strip_prefix('(') {
            Some(r) => r.split_once(')')?.1,
            None => r,
        }
        .trim_start();
    }
    loop {
        let before = rest;
        for keyword in ["const ", "async ", "unsafe ", "extern "] {
            if let Some(r) = rest.strip_prefix(keyword) {
                rest = r.trim_start();
            }
        }
        if rest == before {
            break;
        }
    }
    let rest = rest.strip_prefix("fn ")?.trim_start();
    let name: String = rest
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .collect();
    (!name.is_empty()).then_some(name)
}

/// Tarjan's strongly connected groups of more than one file, each sorted.
fn strongly_connected<'a>(graph: &BTreeMap<&'a str, BTreeSet<&'a str>>) -> Vec<Vec<&'a str>> {
    struct State<'a> {
        index: BTreeMap<&'a str, usize>,
        low: BTreeMap<&'a str, usize>,
        stack: Vec<&'a str>,
        on_stack: BTreeSet<&'a str>,
        next: usize,
        groups: Vec<Vec<&'a str>>,
    }
    fn visit<'a>(v: &'a str, graph: &BTreeMap<&'a str, BTreeSet<&'a str>>, s: &mut State<'a>) {
        s.index.insert(v, s.next);
        s.low.insert(v, s.next);
        s.next += 1;
        s.stack.push(v);
        s.on_stack.insert(v);
        for &w in graph.get(v).into_iter().flatten() {
            if !s.index.contains_key(w) {
                visit(w, graph, s);
                let low = s.low[v].min(s.low[w]);
                s.low.insert(v, low);
            } else if s.on_stack.contains(w) {
                let low = s.low[v].min(s.index[w]);
                s.low.insert(v, low);
            }
        }
        if s.low[v] == s.index[v] {
            let mut group = Vec::new();
            while let Some(w) = s.stack.pop() {
                s.on_stack.remove(w);
                group.push(w);
                if w == v {
                    break;
                }
            }
            if group.len() > 1 {
                group.sort();
                s.groups.push(group);
            }
        }
    }
    let mut s = State {
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        next: 0,
        groups: Vec::new(),
    };
    for &v in graph.keys() {
        if !s.index.contains_key(v) {
            visit(v, graph, &mut s);
        }
    }
    s.groups
}

// ---- the layer table -----------------------------------------------------------------------

/// The import rules of docs/architecture.md: the table whose header is
/// `| layer | modules | may import |`. A module pattern (`engine` or `engine::*`) covers the
/// module and everything under it; the longest pattern that covers a module gives its layer. A
/// layer may import its own layer and those its row names (by layer or by one of their modules).
struct LayerTable {
    /// (pattern, layer)
    patterns: Vec<(Vec<String>, String)>,
    may: BTreeMap<String, BTreeSet<String>>,
    problems: Vec<String>,
}

impl LayerTable {
    fn read(source: &Source) -> LayerTable {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/architecture.md");
        let doc = fs::read_to_string(&path).expect("docs/architecture.md");
        let rows: Vec<Vec<String>> = doc
            .lines()
            .skip_while(|l| {
                let cells: Vec<String> = l.split('|').map(|c| c.trim().to_lowercase()).collect();
                cells.get(1..4) != Some(&["layer".into(), "modules".into(), "may import".into()])
            })
            .skip(2)
            .take_while(|l| l.trim_start().starts_with('|'))
            .map(|l| {
                l.trim()
                    .trim_matches('|')
                    .split('|')
                    .map(|c| c.trim().to_string())
                    .collect()
            })
            .collect();
        assert!(
            !rows.is_empty(),
            "docs/architecture.md has no `| layer | modules | may import |` table"
        );
        let mut table = LayerTable {
            patterns: Vec::new(),
            may: BTreeMap::new(),
            problems: Vec::new(),
        };
        for row in &rows {
            let layer = row[0].trim_matches('`').to_string();
            for module in backticked(&row[1]) {
                let pattern: Vec<String> = module
                    .trim_end_matches("::*")
                    .split("::")
                    .map(str::to_string)
                    .collect();
                if !source.modules.contains(&pattern) {
                    table.problems.push(format!(
                        "docs/architecture.md: layer {layer} names `{module}`, which is no module"
                    ));
                }
                table.patterns.push((pattern, layer.clone()));
            }
        }
        for row in &rows {
            let layer = row[0].trim_matches('`').to_string();
            let mut may = BTreeSet::from([layer.clone()]);
            let text = without_parentheses(&row[2]).to_lowercase();
            for token in text.split(',').map(|t| t.trim().trim_matches('`')) {
                let token = token.strip_prefix("other ").unwrap_or(token);
                if token.starts_with("nothing") || token.is_empty() {
                    continue;
                }
                if token == "anything" {
                    may.extend(rows.iter().map(|r| r[0].trim_matches('`').to_string()));
                } else if rows.iter().any(|r| r[0].trim_matches('`') == token) {
                    may.insert(token.to_string());
                } else if let Some(l) = table.layer_of_pattern(token) {
                    may.insert(l);
                } else {
                    table.problems.push(format!(
                        "docs/architecture.md: layer {layer} may import `{token}`, which is no \
                         layer or module of the table"
                    ));
                }
            }
            table.may.insert(layer, may);
        }
        for file in &source.files {
            if !file.test && !file.module.is_empty() && table.layer_of(&file.module).is_none() {
                table.problems.push(format!(
                    "src/{} is in no layer of docs/architecture.md's table",
                    file.rel
                ));
            }
        }
        table
    }

    fn layer_of(&self, module: &[String]) -> Option<&str> {
        self.patterns
            .iter()
            .filter(|(p, _)| module.starts_with(p))
            .max_by_key(|(p, _)| p.len())
            .map(|(_, l)| l.as_str())
    }

    fn layer_of_pattern(&self, token: &str) -> Option<String> {
        let module: Vec<String> = token
            .trim_end_matches("::*")
            .split("::")
            .map(str::to_string)
            .collect();
        self.patterns
            .iter()
            .find(|(p, _)| *p == module)
            .map(|(_, l)| l.clone())
    }

    fn may_import(&self, from: &str, to: &str) -> bool {
        self.may.get(from).is_some_and(|m| m.contains(to))
    }
}

fn backticked(cell: &str) -> Vec<&str> {
    cell.split('`').skip(1).step_by(2).collect()
}

fn without_parentheses(text: &str) -> String {
    let mut depth = 0;
    text.chars()
        .filter(|&c| {
            match c {
                '(' => depth += 1,
                ')' => {
                    depth -= 1;
                    return false;
                }
                _ => {}
            }
            depth == 0
        })
        .collect()
}
