//! `subnet-calc catalog`: show the instance limits the tool will use.

use std::borrow::Cow;
use std::io::Write;

use anyhow::{Context, Result};
use serde::Serialize;
use subnet_calc::catalog::builtin::{self, InstanceData};
use subnet_calc::catalog::{Catalog, InstanceLimits};
use subnet_calc::engine::vpc_cni::{EffectiveSettings, calculator_for};
use subnet_calc::text::{CsvOptions, csv_text};
use subnet_calc::write::{Format, table};
use subnet_calc::{Error, Location};

use crate::cli::CatalogFlags;
use crate::cmd::inputs::{read_catalogs, read_limits};
use crate::cmd::{
    Destination, file_or_stdout, output_format, refuse_directory, refuse_output_over_inputs,
};

/// One instance type as `catalog` shows it: the catalogue's fields, and the max pods of both
/// rules side by side (`max_pods`, the table's, as AL2's bootstrap reads eni-max-pods.txt; and
/// the EKS max-pods calculator's, as managed node groups set it, without and with prefix
/// delegation).
#[derive(Serialize)]
struct Row<'a> {
    instance_type: Cow<'a, str>,
    max_enis: Option<u32>,
    ipv4_per_eni: Option<u32>,
    max_pods: Option<u32>,
    hypervisor: Option<Cow<'a, str>>,
    bare_metal: Option<bool>,
    vcpus: Option<u32>,
    prefix_delegation: Option<bool>,
    sources: Cow<'a, str>,
    // Added later: columns are appended, never reordered.
    calculator_max_pods: Option<u32>,
    calculator_max_pods_prefix_delegation: Option<u32>,
    trunking_compatible: Option<bool>,
    branch_interfaces: Option<u32>,
    /// The calculator's 110/250 cap was guessed from the size name (no vCPU count) and changed
    /// one of its figures.
    calculator_cap_guessed: bool,
    /// Which figure that was: without, and with prefix delegation (for the table's marks).
    #[serde(skip)]
    guessed: [bool; 2],
}

impl<'a> From<&'a InstanceLimits> for Row<'a> {
    fn from(l: &'a InstanceLimits) -> Self {
        // The calculator's figures as eval computes them by default (no MAX_ENI, no custom
        // networking), without and with prefix delegation.
        let calculator = |prefix_delegation: bool| {
            let settings = EffectiveSettings {
                prefix_delegation,
                ..EffectiveSettings::default()
            };
            calculator_for(l, &settings)
        };
        let (plain, prefixes) = (calculator(false), calculator(true));
        let guessed = [plain, prefixes].map(|v| v.is_some_and(|v| v.cap_assumed));
        Row {
            instance_type: Cow::Borrowed(&l.instance_type),
            max_enis: l.max_enis,
            ipv4_per_eni: l.ipv4_per_eni,
            max_pods: l.max_pods,
            calculator_max_pods: plain.map(|v| v.value),
            calculator_max_pods_prefix_delegation: prefixes.map(|v| v.value),
            hypervisor: l.hypervisor.as_deref().map(Cow::Borrowed),
            bare_metal: l.bare_metal,
            vcpus: l.vcpus,
            prefix_delegation: Some(l.supports_prefix_delegation()),
            trunking_compatible: l.trunking_compatible,
            branch_interfaces: l.branch_interfaces,
            sources: Cow::Owned(l.sources.join("; ")),
            calculator_cap_guessed: guessed.contains(&true),
            guessed,
        }
    }
}

/// Runs `catalog`.
pub fn run(flags: CatalogFlags) -> Result<()> {
    let output = file_or_stdout(flags.output.clone());
    refuse_directory(output.as_deref())?;
    let format = output_format(
        flags.format.map(Into::into),
        output.as_deref(),
        Format::Table,
    )?;
    if let Some(out) = &output {
        refuse_output_over_inputs(out, flags.catalogs.iter().cloned())?;
    }
    if flags.no_builtin_catalog && flags.catalogs.is_empty() {
        anyhow::bail!(Error::Unsupported {
            what: "--no-builtin-catalog leaves no catalogue to show".into(),
            hint: "give the catalogue files with --catalog PATH, or drop --no-builtin-catalog"
                .into(),
        });
    }
    let builtin = !flags.no_builtin_catalog;
    let catalog = read_catalogs(&flags.catalogs, &read_limits(&flags.limits), builtin)?;
    if flags.sources {
        let data = InstanceData {
            built_in: builtin,
            catalogs: catalog.sources().to_vec(),
        };
        return write_sources(&data, format, output.as_deref(), !flags.no_csv_escape);
    }
    let rows: Vec<Row> = entries(&catalog, &flags.types)?
        .into_iter()
        .map(Row::from)
        .collect();
    let mut out = Destination::open(output.as_deref())?;
    let what = || {
        format!(
            "writing {}",
            flags
                .output
                .as_ref()
                .map_or("standard output".into(), |p| p.display().to_string())
        )
    };
    match format {
        Format::Table => write_table(&mut out, &rows).with_context(what)?,
        Format::Csv => {
            let options = CsvOptions {
                escape_formulas: !flags.no_csv_escape,
            };
            write_csv(&mut out, &rows, options).with_context(what)?;
        }
        Format::Json => {
            serde_json::to_writer_pretty(
                &mut out,
                &serde_json::json!({
                    "sources": catalog.sources(),
                    "built_in": builtin.then(builtin::to_json),
                    "instance_types": rows,
                }),
            )
            .with_context(what)?;
            out.write_all(b"\n").with_context(what)?;
        }
        Format::Xlsx => anyhow::bail!(Error::Unsupported {
            what: "catalog writes table, csv or json".into(),
            hint: "use -o limits.csv or --format json".into(),
        }),
    }
    out.finish()
}

/// The entries `catalog` shows: every one, or the types named on the command line (a type the
/// catalogue lacks is an error).
fn entries<'a>(catalog: &'a Catalog, types: &[String]) -> Result<Vec<&'a InstanceLimits>> {
    if types.is_empty() {
        return Ok(catalog.entries());
    }
    let found = types
        .iter()
        .map(|t| {
            catalog.get(t).ok_or_else(|| Error::UnknownInstanceType {
                location: Location::file("command line"),
                instance_type: t.clone(),
                catalogs: catalog.searched(),
                hint: catalog.unknown_type_hint(t),
            })
        })
        .collect::<Result<_, _>>()?;
    Ok(found)
}

/// The rows as an aligned table, a figure whose calculator cap was guessed marked and the mark
/// explained below.
fn write_table(out: &mut impl Write, rows: &[Row]) -> std::io::Result<()> {
    let opt = |v: Option<u32>| v.map_or_else(|| "-".to_owned(), |v| v.to_string());
    let calc = |v: Option<u32>, guessed: bool| {
        let shown = opt(v);
        if guessed && v.is_some() {
            format!("{shown}*")
        } else {
            shown
        }
    };
    let yes =
        |b: Option<bool>| b.map_or("-".into(), |b| if b { "yes".into() } else { "no".into() });
    let cells: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            vec![
                r.instance_type.to_string(),
                r.hypervisor.as_deref().unwrap_or("-").to_owned(),
                opt(r.max_enis),
                opt(r.ipv4_per_eni),
                opt(r.max_pods),
                calc(r.calculator_max_pods, r.guessed[0]),
                calc(r.calculator_max_pods_prefix_delegation, r.guessed[1]),
                opt(r.vcpus),
                yes(r.bare_metal),
                yes(r.prefix_delegation),
                yes(r.trunking_compatible),
                opt(r.branch_interfaces),
            ]
        })
        .collect();
    let header = [
        "instance type",
        "hypervisor",
        "max ENIs",
        "IPv4/ENI",
        "max pods (table)",
        "(calculator)",
        "(calc., prefixes)",
        "vCPUs",
        "metal",
        "prefixes",
        "trunk",
        "branch ENIs",
    ];
    out.write_all(table::render(&header, &cells, 2).as_bytes())?;
    if rows.iter().any(|r| r.calculator_cap_guessed) {
        out.write_all(
            b"\n* the calculator's cap guessed from the size name (the catalogue gives no \
              vCPU count): 110 up to 30 vCPUs, 250 above\n",
        )?;
    }
    Ok(())
}

/// The rows as CSV, in the order of [`Row`]'s fields.
fn write_csv(out: &mut impl Write, rows: &[Row], options: CsvOptions) -> csv::Result<()> {
    let text = |t: &Cow<'_, str>| Cow::Owned(csv_text(t, options).into_owned());
    let mut w = csv::Writer::from_writer(out);
    for r in rows {
        let escaped = Row {
            instance_type: text(&r.instance_type),
            hypervisor: r.hypervisor.as_ref().map(text),
            sources: text(&r.sources),
            ..*r
        };
        w.serialize(escaped)?;
    }
    w.flush()?;
    Ok(())
}

/// One source of `catalog --sources`: an upstream file of the built-in catalogue, or a
/// `--catalog` file (with only its path).
#[derive(Serialize)]
struct SourceRow<'a> {
    source: &'a str,
    repository: &'a str,
    path: Cow<'a, str>,
    commit: &'a str,
    date: &'a str,
    fields: &'a str,
}

/// Writes `catalog --sources`: the built-in catalogue's upstream files (when used), then the
/// `--catalog` files.
fn write_sources(
    data: &InstanceData,
    format: Format,
    output: Option<&std::path::Path>,
    escape_formulas: bool,
) -> Result<()> {
    let upstream = data.built_in.then(builtin::sources).unwrap_or_default();
    let rows: Vec<SourceRow> = upstream
        .iter()
        .map(|s| SourceRow {
            source: &s.id,
            repository: &s.repository,
            path: Cow::Borrowed(&s.path),
            commit: &s.commit,
            date: &s.date,
            fields: &s.fields,
        })
        .chain(data.catalogs.iter().map(|file| SourceRow {
            source: "--catalog",
            repository: "",
            path: Cow::Borrowed(file),
            commit: "",
            date: "",
            fields: "",
        }))
        .collect();
    let shown = output.map_or("standard output".into(), |p| p.display().to_string());
    let what = || format!("writing {shown}");
    let mut out = Destination::open(output)?;
    match format {
        Format::Table => {
            let cells: Vec<Vec<String>> = rows
                .iter()
                .map(|r| {
                    [r.source, r.repository, &r.path, r.commit, r.date, r.fields]
                        .map(|c| {
                            if c.is_empty() {
                                "-".to_owned()
                            } else {
                                c.to_owned()
                            }
                        })
                        .to_vec()
                })
                .collect();
            let header = ["source", "repository", "path", "commit", "date", "gives"];
            out.write_all(table::render(&header, &cells, header.len()).as_bytes())
                .with_context(what)?;
        }
        Format::Csv => {
            let options = CsvOptions { escape_formulas };
            let mut w = csv::Writer::from_writer(&mut out);
            for r in &rows {
                let path = Cow::Owned(csv_text(&r.path, options).into_owned());
                w.serialize(SourceRow { path, ..*r }).with_context(what)?;
            }
            w.flush().with_context(what)?;
        }
        Format::Json => {
            serde_json::to_writer_pretty(&mut out, &data.to_json()).with_context(what)?;
            out.write_all(b"\n").with_context(what)?;
        }
        Format::Xlsx => anyhow::bail!(Error::Unsupported {
            what: "catalog writes table, csv or json".into(),
            hint: "use -o sources.csv or --format json".into(),
        }),
    }
    out.finish()
}
