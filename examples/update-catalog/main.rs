//! Rebuilds the built-in instance catalogue (`src/catalog/builtin.csv` and its provenance,
//! `src/catalog/builtin-sources.csv`) from the upstream files, given checkouts (git clones) of
//! the repositories that publish them:
//!
//! ```sh
//! git clone https://github.com/aws/amazon-vpc-cni-k8s /tmp/vpc-cni
//! git clone https://github.com/aws/amazon-vpc-resource-controller-k8s /tmp/resource-controller
//! cargo run --example update-catalog -- --vpc-cni /tmp/vpc-cni \
//!     --resource-controller /tmp/resource-controller --vcpus vcpus.csv \
//!     [--checkout aws/karpenter-provider-aws=/tmp/karpenter ...] [--out src/catalog]
//! git diff src/catalog     # the refresh, as a reviewable diff
//! ```
//!
//! From aws/amazon-vpc-cni-k8s: `pkg/vpc/vpc_ip_resource_limit.go` (ENIs per network card, the
//! default card, IPv4 addresses per ENI, hypervisor, bare metal) and `misc/eni-max-pods.txt`
//! (max pods). From aws/amazon-vpc-resource-controller-k8s: `pkg/aws/vpc/limits.go` (trunking
//! compatibility and branch ENIs; the network figures of a type the VPC CNI's table lacks). The
//! default vCPUs come from `vcpus.csv` (`instance_type,default_vcpus,source,also_in`), each row
//! naming its upstream source as `LABEL owner/repo@commit:path`; `--checkout owner/repo=PATH`
//! gives a clone of such a repository, to date its commit.
//!
//! The files are parsed here (the Go map literals by a small reader of their own); each source is
//! recorded with its repository, path, the last commit that changed the file and that commit's
//! date (from `git log` in the checkout). A file with uncommitted changes is refused: the data
//! must be what the commit holds.

mod go_literal;
mod upstream;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail};
use clap::Parser;
// The header of builtin.csv, declared once by the library that reads it.
use subnet_calc::catalog::builtin::COLUMNS;

use upstream::{ControllerLimits, Network};

/// Rebuilds the built-in instance catalogue from upstream checkouts.
#[derive(Parser)]
struct Args {
    /// A git checkout of aws/amazon-vpc-cni-k8s.
    #[arg(long, value_name = "PATH")]
    vpc_cni: PathBuf,
    /// A git checkout of aws/amazon-vpc-resource-controller-k8s.
    #[arg(long, value_name = "PATH")]
    resource_controller: PathBuf,
    /// The default vCPUs: `instance_type,default_vcpus,source,also_in`.
    #[arg(long, value_name = "PATH")]
    vcpus: PathBuf,
    /// A checkout of a repository vcpus.csv names, to date its commit: `owner/repo=PATH`.
    #[arg(long, value_name = "REPO=PATH")]
    checkout: Vec<String>,
    /// The directory to write builtin.csv and builtin-sources.csv into.
    #[arg(long, value_name = "DIR", default_value = "src/catalog")]
    out: PathBuf,
}

const VPC_CNI: &str = "aws/amazon-vpc-cni-k8s";
const CONTROLLER: &str = "aws/amazon-vpc-resource-controller-k8s";
const CNI_LIMITS: &str = "pkg/vpc/vpc_ip_resource_limit.go";
const MAX_PODS: &str = "misc/eni-max-pods.txt";
const CONTROLLER_LIMITS: &str = "pkg/aws/vpc/limits.go";

/// One source of the catalogue, as builtin-sources.csv lists it.
struct Source {
    id: String,
    repository: String,
    path: String,
    commit: String,
    date: String,
    fields: String,
}

fn main() -> Result<()> {
    let args = Args::parse();
    let read = |dir: &Path, path: &str| {
        let file = dir.join(path);
        std::fs::read_to_string(&file).with_context(|| format!("reading {}", file.display()))
    };
    let cni = upstream::vpc_cni_limits(&read(&args.vpc_cni, CNI_LIMITS)?)
        .map_err(|e| anyhow::anyhow!("{CNI_LIMITS}: {e}"))?;
    let pods = upstream::eni_max_pods(&read(&args.vpc_cni, MAX_PODS)?)
        .map_err(|e| anyhow::anyhow!("{MAX_PODS}: {e}"))?;
    let controller =
        upstream::resource_controller_limits(&read(&args.resource_controller, CONTROLLER_LIMITS)?)
            .map_err(|e| anyhow::anyhow!("{CONTROLLER_LIMITS}: {e}"))?;
    let vcpus_text = std::fs::read_to_string(&args.vcpus)
        .with_context(|| format!("reading {}", args.vcpus.display()))?;
    let vcpus = upstream::vcpus(&vcpus_text)
        .map_err(|e| anyhow::anyhow!("{}: {e}", args.vcpus.display()))?;

    let mut sources = vec![
        git_source(
            "cni",
            VPC_CNI,
            &args.vpc_cni,
            CNI_LIMITS,
            "network_card_enis, default_network_card, ipv4_per_eni, hypervisor, bare_metal",
        )?,
        git_source("pods", VPC_CNI, &args.vpc_cni, MAX_PODS, "max_pods")?,
        git_source(
            "rc",
            CONTROLLER,
            &args.resource_controller,
            CONTROLLER_LIMITS,
            "trunking_compatible, branch_interfaces; the network columns of a type cni lacks",
        )?,
    ];
    let vcpu_ids = vcpu_sources(&vcpus, &args.checkout, &mut sources)?;

    let names: BTreeSet<&String> = cni
        .keys()
        .chain(controller.keys())
        .chain(pods.keys())
        .chain(vcpus.keys())
        .collect();
    let mut differ = Vec::new();
    let mut rows = Vec::with_capacity(names.len());
    for name in names {
        let rc = controller.get(name);
        if let (Some(c), Some(r)) = (cni.get(name), rc)
            && c.network != r.network
        {
            differ.push(format!("{name}: cni {:?}, rc {:?}", c.network, r.network));
        }
        let network = cni.get(name).map(|c| &c.network).or(rc.map(|r| &r.network));
        let mut ids: Vec<&str> = Vec::new();
        ids.extend(cni.contains_key(name).then_some("cni"));
        ids.extend(pods.contains_key(name).then_some("pods"));
        ids.extend(rc.is_some().then_some("rc"));
        let vcpu = vcpus.get(name);
        if let Some(v) = vcpu {
            ids.push(&vcpu_ids[&v.source]);
        }
        rows.push(row(
            name,
            network,
            pods.get(name),
            rc,
            vcpu.map(|v| v.vcpus),
            &ids,
        ));
    }
    if !differ.is_empty() {
        eprintln!(
            "note: {} types where the resource controller's network figures differ from the VPC \
             CNI's (the VPC CNI's are kept):",
            differ.len()
        );
        for d in differ.iter().take(10) {
            eprintln!("  {d}");
        }
    }

    write_csv(&args.out.join("builtin.csv"), &COLUMNS, &rows)?;
    let source_rows: Vec<Vec<String>> = sources
        .iter()
        .map(|s| {
            vec![
                s.id.clone(),
                s.repository.clone(),
                s.path.clone(),
                s.commit.clone(),
                s.date.clone(),
                s.fields.clone(),
            ]
        })
        .collect();
    write_csv(
        &args.out.join("builtin-sources.csv"),
        &["id", "repository", "path", "commit", "date", "fields"],
        &source_rows,
    )?;
    eprintln!(
        "wrote {} instance types to {} and {} sources to {}",
        rows.len(),
        args.out.join("builtin.csv").display(),
        sources.len(),
        args.out.join("builtin-sources.csv").display()
    );
    Ok(())
}

/// One row of builtin.csv; blank where no source knows the figure.
fn row(
    name: &str,
    network: Option<&Network>,
    max_pods: Option<&u32>,
    rc: Option<&ControllerLimits>,
    vcpus: Option<u32>,
    ids: &[&str],
) -> Vec<String> {
    let opt = |v: Option<String>| v.unwrap_or_default();
    vec![
        name.to_owned(),
        opt(network.map(|n| {
            n.card_enis
                .iter()
                .map(u32::to_string)
                .collect::<Vec<_>>()
                .join(";")
        })),
        opt(network.map(|n| n.default_card.to_string())),
        opt(network.map(|n| n.ipv4_per_eni.to_string())),
        opt(network.and_then(|n| n.hypervisor.clone())),
        opt(network.map(|n| n.bare_metal.to_string())),
        opt(max_pods.map(u32::to_string)),
        opt(rc.map(|r| r.trunking_compatible.to_string())),
        opt(rc.map(|r| r.branch_interfaces.to_string())),
        opt(vcpus.map(|v| v.to_string())),
        ids.join(" "),
    ]
}

/// The vCPU sources vcpus.csv names, added to `sources`; returns each source's id by the
/// way the file spells it. Ids are the file's labels (`K`, `CA`...), `-2`, `-3` added where
/// one label names several files.
fn vcpu_sources(
    vcpus: &BTreeMap<String, upstream::Vcpus>,
    checkouts: &[String],
    sources: &mut Vec<Source>,
) -> Result<BTreeMap<String, String>> {
    let mut clones = BTreeMap::new();
    for c in checkouts {
        let (repo, path) = c
            .split_once('=')
            .with_context(|| format!("--checkout {c:?}: expected owner/repo=PATH"))?;
        clones.insert(repo.to_owned(), PathBuf::from(path));
    }
    // The sources giving the most types first, then by name.
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for v in vcpus.values() {
        *counts.entry(v.source.as_str()).or_default() += 1;
    }
    let mut specs: Vec<(&str, usize)> = counts.into_iter().collect();
    specs.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let specs = specs.into_iter().map(|(spec, _)| spec);
    let mut ids = BTreeMap::new();
    let mut used: BTreeMap<&str, usize> = BTreeMap::new();
    for spec in specs {
        let (label, repository, commit, path) =
            upstream::split_source(spec).map_err(anyhow::Error::msg)?;
        let n = used.entry(label).or_default();
        *n += 1;
        let id = if *n == 1 {
            label.to_owned()
        } else {
            format!("{label}-{n}")
        };
        // A commit is dated from a checkout of its repository when one is given.
        let (commit, date) = match clones.get(repository) {
            Some(dir) => {
                let out = git(
                    dir,
                    &[
                        "show",
                        "-s",
                        "--format=%H %cs",
                        &format!("{commit}^{{commit}}"),
                    ],
                )?;
                let (full, date) = out.split_once(' ').context("git show")?;
                (full.to_owned(), date.to_owned())
            }
            None => {
                eprintln!(
                    "note: {repository}@{commit} is not dated (give --checkout {repository}=PATH)"
                );
                (commit.to_owned(), String::new())
            }
        };
        sources.push(Source {
            id: id.clone(),
            repository: repository.to_owned(),
            path: path.to_owned(),
            commit,
            date,
            fields: "vcpus".into(),
        });
        ids.insert(spec.to_owned(), id);
    }
    Ok(ids)
}

/// A source read from a checkout: the last commit that changed `path`, and its date.
fn git_source(id: &str, repository: &str, dir: &Path, path: &str, fields: &str) -> Result<Source> {
    let changed = git(dir, &["status", "--porcelain", "--", path])?;
    if !changed.is_empty() {
        bail!(
            "{}: {path} has uncommitted changes: {changed}",
            dir.display()
        );
    }
    let out = git(dir, &["log", "-1", "--format=%H %cs", "--", path])?;
    let (commit, date) = out
        .split_once(' ')
        .with_context(|| format!("{}: git log names no commit for {path}", dir.display()))?;
    Ok(Source {
        id: id.into(),
        repository: repository.into(),
        path: path.into(),
        commit: commit.into(),
        date: date.into(),
        fields: fields.into(),
    })
}

/// Runs git in `dir`; its standard output, trimmed.
fn git(dir: &Path, args: &[&str]) -> Result<String> {
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .output()
        .with_context(|| format!("running git in {}", dir.display()))?;
    if !out.status.success() {
        bail!(
            "git {} in {}: {} (is it a git clone?)",
            args.join(" "),
            dir.display(),
            String::from_utf8_lossy(&out.stderr).trim()
        );
    }
    Ok(String::from_utf8_lossy(&out.stdout).trim().to_owned())
}

/// Writes a CSV whole, through a temporary file beside it.
fn write_csv(path: &Path, header: &[&str], rows: &[Vec<String>]) -> Result<()> {
    let mut w = csv::WriterBuilder::new().from_writer(Vec::new());
    w.write_record(header)?;
    for r in rows {
        w.write_record(r)?;
    }
    let bytes = w.into_inner().context("formatting CSV")?;
    let tmp = path.with_extension("csv.tmp");
    std::fs::write(&tmp, bytes).with_context(|| format!("writing {}", tmp.display()))?;
    std::fs::rename(&tmp, path).with_context(|| format!("writing {}", path.display()))?;
    Ok(())
}
