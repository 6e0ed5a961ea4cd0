//! The command line as clap parses it: raw flags, before any validation. Each subcommand's module
//! in `cmd/` turns its flags into checked arguments.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};
use subnet_calc::read::xlsx::package;

/// How many IPv4 addresses Amazon EKS clusters take from their VPC subnets.
///
/// Reads legacy subnet-calc.xlsx workbooks and scenario CSVs, evaluates them with the legacy
/// workbook's formulas (`workbook`) and/or what the Amazon VPC CNI really allocates (`vpc-cni`),
/// and writes a table, CSV, JSON or an xlsx report.
#[derive(Debug, Parser)]
#[command(
    name = "subnet-calc",
    version,
    propagate_version = true,
    max_term_width = 100,
    after_help = TOP_EXAMPLES
)]
pub struct Cli {
    /// The subcommand.
    #[command(subcommand)]
    pub command: Command,
    /// Flags every subcommand takes.
    #[command(flatten)]
    pub common: CommonFlags,
}

/// Flags every subcommand takes, before or after its name.
#[derive(Debug, Args)]
pub struct CommonFlags {
    /// No progress bar and no closing "wrote N ..." line (errors and warnings still show).
    #[arg(short, long, global = true)]
    pub quiet: bool,
    /// Threads for reading workbooks and evaluating [default: one per core].
    #[arg(long, global = true, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    pub threads: Option<u16>,
    /// Report at most N faults of the input (bad rows, unknown types), then how many more.
    #[arg(long, global = true, value_name = "N", default_value_t = 20, value_parser = clap::value_parser!(u32).range(1..))]
    pub max_errors: u32,
    /// Sum up at most N kinds of warning on standard error after a run, then how many more
    /// (0: every kind); the outputs carry them all.
    #[arg(long, global = true, value_name = "N", default_value_t = 20)]
    pub max_warnings: u32,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Evaluate scenarios from legacy workbooks and scenario CSVs.
    ///
    /// Every calculator sheet of a legacy subnet-calc.xlsx workbook is a scenario, evaluated with
    /// the workbook's own lookup sheets; a scenario CSV has one row per node group, its instance
    /// types looked up in the built-in catalogue (docs/formats.md). Writes, per scenario and
    /// model, the subnet's usable, used and remaining addresses, the share used, the pods with
    /// and without an address, the smallest subnet that would hold it and how many more nodes
    /// fit: a table on standard output, or with -o a summary CSV, JSON or an xlsx report.
    #[command(after_help = EVAL_EXAMPLES)]
    Eval(EvalFlags),
    /// Convert legacy workbooks (or scenario CSVs) to one scenario CSV, or export scenarios to
    /// legacy workbooks (--to legacy).
    ///
    /// The scenario CSV holds every column, and reads back as the same scenarios: evaluated with
    /// the workbook as its catalogue (eval --catalog team.xlsx), it gives the workbook's numbers.
    /// A workbook that cannot be read is named and the others are converted (exit status 2).
    #[command(after_help = CONVERT_EXAMPLES)]
    Convert(ConvertFlags),
    /// Show the instance limits the tool will use.
    ///
    /// Per instance type: max ENIs, IPv4 addresses per ENI, hypervisor, bare metal, vCPUs,
    /// prefix-delegation support, trunking and branch ENIs, and max pods both from the table
    /// (eni-max-pods.txt) and by the EKS max-pods calculator, with and without prefix delegation.
    /// The built-in catalogue's data, with any --catalog files over it; the CSV and JSON say where
    /// each value came from, and the CSV loads back with --catalog.
    #[command(after_help = CATALOG_EXAMPLES)]
    Catalog(CatalogFlags),
    /// Print a shell completion script (bash, zsh, fish, powershell, elvish) to standard output.
    #[command(after_help = COMPLETIONS_EXAMPLES)]
    Completions(CompletionsFlags),
    /// Print a manual page (roff) to standard output, or write every page into a directory.
    #[command(after_help = MAN_EXAMPLES)]
    Man(ManFlags),
}

/// `man`'s arguments.
#[derive(Debug, Args)]
pub struct ManFlags {
    /// The subcommand whose page to print (subnet-calc-COMMAND(1)) [default: the top page,
    /// subnet-calc(1)].
    #[arg(value_name = "COMMAND", value_parser = ["eval", "convert", "catalog", "completions", "man"], conflicts_with = "dir")]
    pub command: Option<String>,
    /// Write every page (subnet-calc.1, subnet-calc-eval.1, ...) into this directory (created if
    /// missing) instead of printing one.
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
}

const MAN_EXAMPLES: &str = "\
Examples:
  subnet-calc man | man -l -                               # the top page
  subnet-calc man eval | man -l -                          # eval's options
  subnet-calc man --dir /usr/local/share/man/man1          # every page, for man subnet-calc-eval";

/// `completions`' arguments.
#[derive(Debug, Args)]
pub struct CompletionsFlags {
    /// The shell.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

const TOP_EXAMPLES: &str = "\
Examples:
  subnet-calc eval subnet-calc.xlsx                        # a legacy workbook, its own lookups
  subnet-calc eval scenarios.csv --model both -o report.xlsx  # both models, an xlsx report
  subnet-calc eval scenarios.csv --catalog types.json --fail-on exhausted -o out.csv
                                                            # types.json over the built-in data;
                                                            # exit 3 when a subnet runs out

Exit status: 0 on success; 1 when an output cannot be written; 2 for bad input (every fault is
named with its file, line or cell, and column; nothing is written), or when some workbooks could
not be read (the others are written); 3 when a --fail-on condition holds (outputs written).";

const COMPLETIONS_EXAMPLES: &str = "\
Examples:
  subnet-calc completions bash > /etc/bash_completion.d/subnet-calc
  subnet-calc completions zsh > \"${fpath[1]}/_subnet-calc\"
  subnet-calc completions fish > ~/.config/fish/completions/subnet-calc.fish";

const EVAL_EXAMPLES: &str = "\
Examples:
  subnet-calc eval fixtures/scenarios.csv --model both     # the built-in instance catalogue
  subnet-calc eval subnet-calc.xlsx                       # the workbook's own lookup sheets
  subnet-calc eval subnet-calc.xlsx -o summary.csv        # format from the extension
  subnet-calc eval a.csv b.xlsx --catalog limits.csv --format json
  cat scenarios.csv | subnet-calc eval - --catalog types.json --no-builtin-catalog

The built-in catalogue knows every instance type of the VPC CNI's and the VPC resource
controller's tables (subnet-calc catalog --sources names them); --catalog files override it field
by field. A type it does not know: aws ec2 describe-instance-types --instance-types TYPE >
TYPE.json, then --catalog TYPE.json.

A directory stands for the .xlsx workbooks in it (--recursive: and in its subdirectories). A
workbook that cannot be read is named on standard error and the others are still evaluated.

Exit status: 0 on success; 1 when an output cannot be written; 2 for bad input (every fault is
named with its file, line or cell, and column; nothing is written), or when some workbooks could
not be read (the others are written); 3 when a --fail-on condition holds (outputs written).";

const CONVERT_EXAMPLES: &str = "\
Examples:
  subnet-calc convert subnet-calc.xlsx -o scenarios.csv
  subnet-calc convert team-a.xlsx team-b.xlsx -o all.csv
  subnet-calc convert scenarios.csv -o workbooks --to legacy
                                                          # one legacy workbook per scenario
  subnet-calc convert all.csv --catalog subnet-calc.xlsx -o workbooks --to legacy

--to legacy writes one DIR/NAME.xlsx per scenario: an id STEM#SHEET (a workbook's scenario) gives
STEM.xlsx, or STEM-SHEET.xlsx when several scenarios share the stem; any other id gives ID.xlsx.
Scenarios the legacy layout cannot express (prefix delegation, MINIMUM_IP_TARGET, custom
networking, several subnets...) are skipped and named on standard error.

Exit status: 0 on success (with --to legacy: at least one workbook written), 2 for bad input or
when no scenario can be exported, 1 when an output cannot be written.";

const CATALOG_EXAMPLES: &str = "\
Examples:
  subnet-calc catalog m5.large c5.2xlarge                  # the built-in catalogue
  subnet-calc catalog --sources                            # where its data comes from
  subnet-calc catalog m5.large --catalog fixtures/max-pods.csv   # a file over it
  subnet-calc catalog --catalog subnet-calc.xlsx --no-builtin-catalog --format csv -o limits.csv";

/// Which model(s) to run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ModelFlag {
    /// The legacy workbook's formulas, exactly.
    Workbook,
    /// What the Amazon VPC CNI's ipamd allocates.
    VpcCni,
    /// Both, side by side, with their difference and why they differ.
    Both,
}

/// Which rule gives kubelet's max pods.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum MaxPodsRuleFlag {
    /// The EKS max-pods calculator, capped at 110 (up to 30 vCPUs) or 250: EKS managed node
    /// groups.
    Calculator,
    /// The catalogue's max pods (eni-max-pods.txt), uncapped: AL2 nodes with --use-max-pods,
    /// AL2023's nodeadm.
    Table,
}

/// A condition that fails a run whose outputs were written (exit status 3).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum FailOn {
    /// An evaluation has fewer than zero addresses left.
    Exhausted,
    /// An evaluation uses more than this share of its subnet, in percent.
    Above(f64),
    /// Any warning.
    Warning,
}

/// Parses `exhausted`, `above=N` or `warning`.
fn parse_fail_on(text: &str) -> Result<FailOn, String> {
    match text.trim() {
        "exhausted" => Ok(FailOn::Exhausted),
        "warning" | "warnings" => Ok(FailOn::Warning),
        other => match other
            .strip_prefix("above=")
            .map(|n| n.trim_end_matches('%').parse::<f64>())
        {
            Some(Ok(n)) if n.is_finite() && n >= 0.0 => Ok(FailOn::Above(n)),
            _ => Err("expected exhausted, above=N (a percentage, e.g. above=80) or warning".into()),
        },
    }
}

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FormatFlag {
    /// An aligned text table.
    Table,
    /// CSV.
    Csv,
    /// JSON.
    Json,
    /// An xlsx workbook.
    Xlsx,
}

/// The formats `catalog` writes (no xlsx).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CatalogFormatFlag {
    /// An aligned text table.
    Table,
    /// CSV.
    Csv,
    /// JSON.
    Json,
}

impl From<CatalogFormatFlag> for FormatFlag {
    fn from(flag: CatalogFormatFlag) -> Self {
        match flag {
            CatalogFormatFlag::Table => FormatFlag::Table,
            CatalogFormatFlag::Csv => FormatFlag::Csv,
            CatalogFormatFlag::Json => FormatFlag::Json,
        }
    }
}

/// `eval`'s flags.
#[derive(Debug, Args)]
pub struct EvalFlags {
    /// Legacy workbooks (.xlsx), directories of them, and scenario CSVs; `-` reads a CSV from
    /// standard input.
    #[arg(required = true, value_name = "INPUT")]
    pub inputs: Vec<String>,
    /// Look for workbooks in the subdirectories of a directory input too.
    #[arg(short, long)]
    pub recursive: bool,
    /// An instance catalogue over the built-in one: a legacy workbook, describe-instance-types
    /// JSON, a limits CSV or the VPC CNI's eni-max-pods.txt. Repeatable; later ones override
    /// earlier ones (and the built-in data) field by field; a workbook input's own lookup sheets
    /// come under them, in place of the built-in limits, for its own scenarios.
    #[arg(long = "catalog", value_name = "PATH")]
    pub catalogs: Vec<PathBuf>,
    /// Use only the --catalog files (and a workbook's own lookup sheets), not the built-in
    /// catalogue.
    #[arg(long)]
    pub no_builtin_catalog: bool,
    /// The model(s). Default: workbook for legacy workbooks, vpc-cni for scenario CSVs.
    #[arg(long, value_enum)]
    pub model: Option<ModelFlag>,
    /// The rule that gives max pods (vpc-cni) where a node group has no max_pods and its
    /// scenario no max_pods_rule [default: calculator].
    #[arg(long, value_enum, value_name = "RULE")]
    pub max_pods_rule: Option<MaxPodsRuleFlag>,
    /// Write to this file instead of standard output, whole or not at all (an existing file is
    /// replaced once the new one is complete; a path naming an input is refused); `-` is
    /// standard output, `./-` a file named -.
    #[arg(short, long, value_name = "OUT")]
    pub output: Option<PathBuf>,
    /// The output format. Default: from -o's extension (.csv, .json, .xlsx, or .txt for the
    /// table), or a table on standard output; xlsx needs -o.
    #[arg(long, value_enum)]
    pub format: Option<FormatFlag>,
    /// Write CSV text fields as they are, without the `'` before one a spreadsheet would run as
    /// a formula (`=`, `+`, `-`, `@`, a tab, a carriage return).
    #[arg(long)]
    pub no_csv_escape: bool,
    /// Exit with status 3, after writing the outputs, when: `exhausted` (an evaluation is out of
    /// addresses: a subnet over 100 %), `above=N` (its fullest subnet, `fullest_subnet_pct`, is
    /// above N %), `warning` (any warning).
    /// Repeatable. Every subnet counts (each of a list, a pod subnet, the /28 blocks prefix
    /// delegation needs); an evaluation without figures (status error or invalid) fails
    /// exhausted and above=N.
    #[arg(long, value_name = "CONDITION", value_parser = parse_fail_on)]
    pub fail_on: Vec<FailOn>,
    /// Weigh, for every vpc-cni evaluation, a fixed set of VPC CNI settings (WARM_ENI_TARGET=1,
    /// WARM_IP_TARGET 1, 2 or 5 with MINIMUM_IP_TARGET, prefix delegation, custom networking
    /// into the pod subnet) beside the scenario's own, and recommend one (docs/models.md, "The
    /// settings advisor"). Needs the vpc-cni model; workbook evaluations get no advice.
    #[arg(long)]
    pub advise: bool,
    /// With --advise: the warm addresses per node a recommendation keeps at least (pods that
    /// start without waiting for an EC2 call); raise it for high pod churn [default: 2].
    #[arg(long, value_name = "N")]
    pub min_warm_ips: Option<u32>,
    /// Size limits.
    #[command(flatten)]
    pub limits: LimitFlags,
}

impl EvalFlags {
    /// The usage errors clap's own rules cannot express: `--min-warm-ips` without `--advise`,
    /// `--advise` with the workbook model alone.
    fn usage_error(&self) -> Option<&'static str> {
        if self.min_warm_ips.is_some() && !self.advise {
            Some("--min-warm-ips needs --advise (it sets what the advisor's recommendation keeps)")
        } else if self.advise && self.model == Some(ModelFlag::Workbook) {
            Some("--advise needs the vpc-cni model (add --model vpc-cni or --model both)")
        } else {
            None
        }
    }
}

impl Cli {
    /// Parses the command line as [`Parser::try_parse`] does, then checks what clap's rules
    /// cannot; a fault is a usage error, worded and exiting as clap's own.
    pub fn try_parse_checked() -> Result<Cli, clap::Error> {
        let cli = Cli::try_parse()?;
        let fault = match &cli.command {
            Command::Eval(flags) => flags.usage_error(),
            _ => None,
        };
        match fault {
            Some(message) => {
                use clap::CommandFactory;
                let mut command = Cli::command();
                Err(command.error(clap::error::ErrorKind::ArgumentConflict, message))
            }
            None => Ok(cli),
        }
    }
}

/// What `convert` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum ConvertTo {
    /// One scenario CSV (-o names the file).
    #[default]
    Csv,
    /// One legacy subnet-calc.xlsx workbook per scenario (-o names a directory).
    Legacy,
}

/// `convert`'s flags.
#[derive(Debug, Args)]
pub struct ConvertFlags {
    /// Legacy workbooks (.xlsx), directories of them, or scenario CSVs; `-` reads a CSV from
    /// standard input.
    #[arg(required = true, value_name = "INPUT")]
    pub inputs: Vec<String>,
    /// Look for workbooks in the subdirectories of a directory input too.
    #[arg(short, long)]
    pub recursive: bool,
    /// The scenario CSV to write (`-` for standard output), or with --to legacy the directory to
    /// write the workbooks into (created if missing).
    #[arg(short, long, value_name = "OUT", required = true)]
    pub output: PathBuf,
    /// What to write.
    #[arg(long, value_enum, default_value_t = ConvertTo::Csv)]
    pub to: ConvertTo,
    /// With --to legacy: replace workbooks the directory holds already (refused otherwise).
    #[arg(long)]
    pub force: bool,
    /// An instance catalogue for the workbooks' lookup sheets (--to legacy only), over the
    /// built-in one: a legacy workbook, describe-instance-types JSON, a limits CSV or
    /// eni-max-pods.txt. Repeatable; later ones override earlier ones field by field; a workbook
    /// input's own lookup sheets come under them for its own scenarios.
    #[arg(long = "catalog", value_name = "PATH")]
    pub catalogs: Vec<PathBuf>,
    /// With --to legacy: fill the lookup sheets from the --catalog files (and a workbook's own
    /// lookup sheets) only, not the built-in catalogue.
    #[arg(long)]
    pub no_builtin_catalog: bool,
    /// Write CSV text fields as they are, without the `'` before one a spreadsheet would run as
    /// a formula (`=`, `+`, `-`, `@`, a tab, a carriage return).
    #[arg(long)]
    pub no_csv_escape: bool,
    /// Size limits.
    #[command(flatten)]
    pub limits: LimitFlags,
}

/// `catalog`'s flags.
#[derive(Debug, Args)]
pub struct CatalogFlags {
    /// Instance types to show, in any case (default: every type); one no catalogue knows is an
    /// error.
    #[arg(value_name = "TYPE")]
    pub types: Vec<String>,
    /// An instance catalogue over the built-in one: a legacy workbook, describe-instance-types
    /// JSON, a limits CSV or eni-max-pods.txt. Repeatable; later ones override earlier ones
    /// field by field.
    #[arg(long = "catalog", value_name = "PATH")]
    pub catalogs: Vec<PathBuf>,
    /// Show only the --catalog files' data, not the built-in catalogue's.
    #[arg(long)]
    pub no_builtin_catalog: bool,
    /// List the catalogue's sources (repository, path, commit and date of each upstream file the
    /// built-in data comes from, then the --catalog files) instead of its instance types.
    #[arg(long, conflicts_with = "types")]
    pub sources: bool,
    /// Write to this file instead of standard output, whole or not at all; `-` is standard
    /// output.
    #[arg(short, long, value_name = "OUT")]
    pub output: Option<PathBuf>,
    /// The output format. Default: from -o's extension (.csv, .json, or .txt for the table), or a
    /// table on standard output.
    #[arg(long, value_enum)]
    pub format: Option<CatalogFormatFlag>,
    /// Write CSV text fields as they are, without the `'` before one a spreadsheet would run as
    /// a formula (`=`, `+`, `-`, `@`, a tab, a carriage return).
    #[arg(long)]
    pub no_csv_escape: bool,
    /// Size limits.
    #[command(flatten)]
    pub limits: LimitFlags,
}

/// Limits on what the readers take in, so that no input can exhaust memory.
#[derive(Debug, Clone, Args)]
#[command(next_help_heading = "Limits")]
pub struct LimitFlags {
    /// Refuse an input file (or standard input) larger than SIZE (4G, 500M, 1048576).
    #[arg(long, value_name = "SIZE", default_value = "4G", value_parser = parse_size)]
    pub max_input_size: u64,
    /// Refuse a workbook one of whose parts (a sheet, its shared strings) decompresses to more
    /// than SIZE, or whose cells read hold more text; all parts together may take four times as
    /// much.
    #[arg(long, value_name = "SIZE", default_value = "256M", value_parser = parse_size)]
    pub max_uncompressed: u64,
    /// Refuse a sheet holding more than N cells in the columns a table is read from.
    #[arg(long, value_name = "N", default_value_t = 3 * 1_048_576)]
    pub max_cells: usize,
    /// Refuse a workbook whose styles hold more than N cell formats (with their number formats,
    /// fonts, fills and borders).
    #[arg(long, value_name = "N", default_value_t = package::MAX_CELL_FORMATS)]
    pub max_cell_formats: usize,
    /// Refuse a workbook holding (or declaring) more than N shared strings, the distinct texts
    /// of its cells.
    #[arg(long, value_name = "N", default_value_t = package::MAX_SHARED_STRINGS)]
    pub max_shared_strings: usize,
    /// Refuse a workbook of more than N sheets.
    #[arg(long, value_name = "N", default_value_t = package::MAX_SHEETS)]
    pub max_sheets: usize,
    /// Refuse a workbook with more than N defined names (Formulas > Name Manager).
    #[arg(long, value_name = "N", default_value_t = package::MAX_DEFINED_NAMES)]
    pub max_defined_names: usize,
}

/// Parses a size: a number of bytes, or with K, M, G or T (powers of 1024; `KB`, `MiB`… too).
fn parse_size(text: &str) -> Result<u64, String> {
    let t = text.trim();
    let digits = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let (number, unit) = t.split_at(digits);
    let number: u64 = number
        .parse()
        .map_err(|_| format!("{text:?} is not a size such as 4G, 500M or 1048576"))?;
    let shift = match unit.trim().to_ascii_uppercase().as_str() {
        "" | "B" => 0,
        "K" | "KB" | "KIB" => 10,
        "M" | "MB" | "MIB" => 20,
        "G" | "GB" | "GIB" => 30,
        "T" | "TB" | "TIB" => 40,
        _ => {
            return Err(format!(
                "{text:?} is not a size such as 4G, 500M or 1048576"
            ));
        }
    };
    number
        .checked_mul(1u64 << shift)
        .ok_or_else(|| format!("{text:?} is too large"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_parse_with_units() {
        assert_eq!(parse_size("4G").unwrap(), 4 << 30);
        assert_eq!(parse_size("256MB").unwrap(), 256 << 20);
        assert_eq!(parse_size("1048576").unwrap(), 1 << 20);
        assert_eq!(parse_size("10 KiB").unwrap(), 10 << 10);
        assert!(parse_size("lots").is_err());
        assert!(parse_size("99999999999T").is_err());
    }
}
