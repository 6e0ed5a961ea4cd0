//! A readable, aligned table of evaluations for the terminal.

use unicode_width::UnicodeWidthStr;

use crate::evaluation::advice::Advice;
use crate::evaluation::{Evaluation, Status, labels};
use crate::text::terminal_safe;
use crate::write::run_summary::{RunSummary, label};

/// Renders rows of cells as a left-aligned text column followed by right-aligned figures.
/// The first `text_columns` columns are left-aligned. Characters that would act on a terminal
/// (escape sequences in a scenario id) are shown escaped.
pub fn render(header: &[&str], rows: &[Vec<String>], text_columns: usize) -> String {
    let rows: Vec<Vec<String>> = rows
        .iter()
        .map(|row| {
            row.iter()
                .map(|cell| terminal_safe(cell).into_owned())
                .collect()
        })
        .collect();
    let rows = &rows;
    // Columns the terminal takes, not characters: an id in CJK or with emoji is two columns a
    // character, a combining accent none.
    let width = |s: &str| UnicodeWidthStr::width(s);
    let mut widths: Vec<usize> = header.iter().map(|h| width(h)).collect();
    for row in rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(width(cell));
        }
    }
    let line = |cells: &mut dyn Iterator<Item = &str>| -> String {
        let mut out = String::new();
        for (i, (cell, w)) in cells.zip(&widths).enumerate() {
            if i > 0 {
                out.push_str("  ");
            }
            let pad = w - width(cell);
            if i < text_columns {
                out.push_str(cell);
                out.extend(std::iter::repeat_n(' ', pad));
            } else {
                out.extend(std::iter::repeat_n(' ', pad));
                out.push_str(cell);
            }
        }
        out.trim_end().to_owned() + "\n"
    };
    let mut out = line(&mut header.iter().copied());
    out.push_str(&line(
        &mut widths
            .iter()
            .map(|w| "-".repeat(*w))
            .collect::<Vec<_>>()
            .iter()
            .map(String::as_str),
    ));
    for row in rows {
        out.push_str(&line(&mut row.iter().map(String::as_str)));
    }
    out
}

fn num(v: Option<i64>) -> String {
    v.map_or_else(|| "-".to_owned(), |v| v.to_string())
}

/// An evaluation's scenario, marked when it comes from a hidden sheet.
fn shown_id(e: &Evaluation) -> String {
    if e.hidden {
        format!("{} (hidden)", e.scenario)
    } else {
        e.scenario.to_string()
    }
}

/// A percentage with one decimal.
fn pct(p: Option<f64>) -> String {
    p.map_or_else(|| "-".to_owned(), |p| format!("{p:.1}"))
}

/// A subnet size as `/24`.
fn prefix(n: Option<u8>) -> String {
    n.map_or_else(|| "-".to_owned(), |n| format!("/{n}"))
}

/// The summary table: one row per evaluation, then the messages and warnings.
pub fn summary(evaluations: &[Evaluation]) -> String {
    let mut out = figures_table(evaluations);
    out.push_str(&comparison_table(evaluations));
    out.push_str(&subnets_table(evaluations));
    out.push_str(&advice(evaluations));
    out.push_str(&notes(evaluations));
    out
}

/// The figures: one row per evaluation.
fn figures_table(evaluations: &[Evaluation]) -> String {
    // Custom networking takes pod addresses from other subnets: show them when any scenario does.
    let pod_subnets = evaluations.iter().any(|e| e.pod_subnet_used_ips.is_some());
    let mut header = vec![
        "scenario",
        "model",
        "status",
        "subnet IPs",
        "used",
        "remaining",
        labels::UTILIZATION.short,
        labels::FULLEST.short,
        "pods",
        "no IP",
        "needs",
        "+nodes",
    ];
    if pod_subnets {
        header.extend(["pod subnet IPs", "pod used", "pod remaining", "pod needs"]);
    }
    let rows: Vec<Vec<String>> = evaluations
        .iter()
        .map(|e| {
            let mut row = vec![
                shown_id(e),
                e.model.name().to_owned(),
                e.status.name().to_owned(),
                num(e.subnet_ips),
                num(e.used_ips),
                num(e.remaining_ips),
                pct(e.utilization_pct),
                pct(e.fullest_subnet_pct),
                num(e.pods),
                num(e.pods_without_ip),
                prefix(e.min_subnet_prefix),
                num(e.headroom_nodes),
            ];
            if pod_subnets {
                row.extend([
                    num(e.pod_subnet_ips),
                    num(e.pod_subnet_used_ips),
                    num(e.pod_subnet_remaining_ips),
                    prefix(e.pod_subnet_min_prefix),
                ]);
            }
            row
        })
        .collect();
    render(&header, &rows, 3)
}

/// Workbook against vpc-cni for the scenarios evaluated by both, then why they differ; empty
/// when none is.
fn comparison_table(evaluations: &[Evaluation]) -> String {
    let compared: Vec<&Evaluation> = evaluations
        .iter()
        .filter(|e| e.model == crate::evaluation::Model::VpcCni && e.comparison.is_some())
        .collect();
    if compared.is_empty() {
        return String::new();
    }
    let header = [
        "scenario",
        "workbook used",
        "vpc-cni used",
        "difference",
        "workbook remaining",
        "vpc-cni remaining",
    ];
    let rows: Vec<Vec<String>> = compared
        .iter()
        .filter_map(|e| e.comparison.as_ref().map(|c| (e, c)))
        .map(|(e, c)| {
            let signed = |v: Option<i64>| v.map_or_else(|| "-".to_owned(), |v| format!("{v:+}"));
            vec![
                e.scenario.to_string(),
                num(c.workbook_used_ips),
                num(c.vpc_cni_used_ips),
                signed(c.used_ips_difference),
                num(c.workbook_remaining_ips),
                num(c.vpc_cni_remaining_ips),
            ]
        })
        .collect();
    let mut out = String::from("\nworkbook vs vpc-cni (difference = vpc-cni − workbook):\n");
    out.push_str(&render(&header, &rows, 1));
    let why: Vec<String> = compared
        .iter()
        .filter_map(|e| Some((e, e.comparison.as_ref()?)))
        .filter(|(_, c)| !c.differences.is_empty())
        .map(|(e, c)| {
            let lines: Vec<String> = c
                .differences
                .iter()
                .map(|d| format!("  {}", terminal_safe(d)))
                .collect();
            format!("{}:\n{}\n", terminal_safe(&e.scenario), lines.join("\n"))
        })
        .collect();
    if !why.is_empty() {
        out.push_str("\nwhy they differ:\n");
        out.push_str(&why.concat());
    }
    out
}

/// One line per subnet where a scenario spreads over several (one per Availability Zone), takes
/// pod addresses from a pod subnet, or needs /28 blocks for prefixes; empty when none does.
fn subnets_table(evaluations: &[Evaluation]) -> String {
    let spread: Vec<&Evaluation> = evaluations
        .iter()
        .filter(|e| {
            e.subnets.len() > 1 || e.subnets.iter().any(|u| u.prefix_blocks_needed.is_some())
        })
        .collect();
    if spread.is_empty() {
        return String::new();
    }
    let header = [
        "scenario",
        "subnet",
        "role",
        "nodes",
        "subnet IPs",
        "used",
        "remaining",
        "needs",
        "/28 blocks offered",
        "needed",
    ];
    let rows: Vec<Vec<String>> = spread
        .iter()
        .flat_map(|e| {
            e.subnets.iter().map(|u| {
                vec![
                    e.scenario.to_string(),
                    u.subnet.to_string(),
                    u.role.name().to_owned(),
                    u.nodes.to_string(),
                    u.ips.to_string(),
                    u.used_ips.to_string(),
                    u.remaining_ips.to_string(),
                    prefix(u.min_prefix),
                    num(u.prefix_blocks_available),
                    num(u.prefix_blocks_needed),
                ]
            })
        })
        .collect();
    let mut out = String::from("\nper subnet (vpc-cni):\n");
    out.push_str(&render(&header, &rows, 3));
    out
}

/// With `--advise`: every option of each vpc-cni evaluation, the recommended one marked `*`.
fn advice(evaluations: &[Evaluation]) -> String {
    let advised: Vec<(&Evaluation, &Advice)> = evaluations
        .iter()
        .filter_map(|e| Some((e, e.advice.as_deref()?)))
        .collect();
    if advised.is_empty() {
        return String::new();
    }
    let header = [
        "scenario",
        "option",
        "settings",
        "status",
        "fits",
        "+nodes",
        "warm",
        "EC2 calls/node",
        "cluster",
        "saving %",
    ];
    let (mut rows, mut reasons) = (Vec::new(), Vec::new());
    for (e, a) in advised {
        if let Some(why) = &a.not_applicable {
            let mut row = vec![e.scenario.to_string(), "-".to_owned()];
            row.extend(std::iter::repeat_n("-".to_owned(), 8));
            rows.push(row);
            reasons.push(why.to_string());
        }
        for (i, o) in a.options.iter().enumerate() {
            let mark = if a.recommended == Some(i) { "* " } else { "  " };
            let f = o.figures.as_ref();
            let count = |v: Option<u64>| v.map_or_else(|| "-".to_owned(), |v| v.to_string());
            rows.push(vec![
                e.scenario.to_string(),
                format!("{mark}{}", o.id.name()),
                o.settings.variables(),
                o.status.name().to_owned(),
                f.map_or("-", |f| if f.fits.everywhere() { "yes" } else { "no" })
                    .to_owned(),
                num(f.and_then(|f| f.headroom_nodes)),
                count(f.map(|f| u64::from(f.warm_ips_per_node))),
                count(f.map(|f| u64::from(f.ec2_calls_per_node))),
                count(f.map(|f| f.ec2_calls_total)),
                pct(f.and_then(|f| f.saving_pct)),
            ]);
            reasons.push(o.reason.to_string());
        }
    }
    // The reasons, long texts, follow the aligned figures (whose last column fills every line).
    let mut out = String::from("\nadvice (vpc-cni; * recommended):\n");
    let table = render(&header, &rows, 4);
    let reasons = ["reason".to_owned(), "------".to_owned()]
        .into_iter()
        .chain(reasons);
    for (line, reason) in table.lines().zip(reasons) {
        out.push_str(line);
        out.push_str("  ");
        out.push_str(&terminal_safe(&reason));
        out.push('\n');
    }
    out
}

/// Why evaluations have no figures, one line each; then each distinct warning once, with how
/// many evaluations share it and the first few of them (see [`RunSummary`]).
fn notes(evaluations: &[Evaluation]) -> String {
    let mut lines: Vec<String> = evaluations
        .iter()
        .filter(|e| e.status != Status::Ok)
        .filter_map(|e| Some(format!("{}: {}", label(e), e.message.as_deref()?)))
        .collect();
    let mut summary = RunSummary::new();
    evaluations.iter().for_each(|e| summary.add(e));
    for (text, named, more) in summary.warnings() {
        let more = if more > 0 {
            format!(" and {more} more")
        } else {
            String::new()
        };
        lines.push(format!("{}{more}: warning: {text}", named.join(", ")));
    }
    if lines.is_empty() {
        return String::new();
    }
    let mut out = String::from("\n");
    for line in lines {
        out.push_str(&line);
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::warning::{Warning, WarningKind};

    #[test]
    fn columns_align() {
        let t = render(
            &["name", "n"],
            &[
                vec!["a".into(), "10".into()],
                vec!["long".into(), "7".into()],
            ],
            1,
        );
        assert_eq!(t, "name   n\n----  --\na     10\nlong   7\n");
        // Wide characters take two columns each: the numbers still line up.
        let t = render(
            &["name", "n"],
            &[
                vec!["東京".into(), "10".into()],
                vec!["abcd".into(), "7".into()],
            ],
            1,
        );
        assert_eq!(t, "name   n\n----  --\n東京  10\nabcd   7\n");
    }

    #[test]
    fn escape_sequences_and_bidi_overrides_are_shown_not_obeyed() {
        let t = render(&["id"], &[vec!["a\u{1b}[2Jb\u{202E}c".into()]], 1);
        assert!(!t.contains('\u{1b}') && !t.contains('\u{202E}'), "{t:?}");
        assert!(t.contains("a\\u{1b}[2Jb\\u{202e}c"), "{t:?}");
    }

    #[test]
    fn a_warning_shared_by_many_evaluations_is_shown_once() {
        let evaluations: Vec<Evaluation> = (0..5)
            .map(|i| {
                let mut e = Evaluation::failed(
                    &crate::scenario::Scenario::builder(format!("s{i}")).build(),
                    crate::evaluation::Model::VpcCni,
                    Status::Ok,
                    String::new(),
                );
                e.warnings = vec![Warning::about_scenario(WarningKind::VcpusUnknown {
                    instance_type: "m5.4xlarge".into(),
                    cap: 250,
                    max_pods: 234,
                })];
                if i == 4 {
                    e.warnings
                        .push(Warning::about_scenario(WarningKind::NoNodeSubnet));
                }
                e
            })
            .collect();
        assert_eq!(
            notes(&evaluations),
            "\ns0 (vpc-cni), s1 (vpc-cni), s2 (vpc-cni) and 2 more: warning: m5.4xlarge: vCPUs unknown; assumed max-pods cap 250 (over 30 vCPUs), max pods 234\n\
             s4 (vpc-cni): warning: no node subnet given: subnet capacity is 0\n"
        );
    }
}
