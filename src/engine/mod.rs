//! The engine: pure functions from typed scenarios to [`Evaluation`]s. No I/O happens here.
//!
//! Two models: [`workbook`] reproduces the legacy workbook's formulas exactly, and
//! [`vpc_cni`] follows what the Amazon VPC CNI's ipamd really allocates. [`batch`] evaluates many
//! scenarios in parallel, in input order.

pub mod batch;
pub mod compare;
pub mod sizing;
pub mod vpc_cni;
pub mod warning;
pub mod workbook;

use std::sync::Arc;

use serde::Serialize;

use crate::catalog::Catalog;
use crate::scenario::Scenario;
pub use warning::Warning;

/// A model of subnet address use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, PartialOrd, Ord)]
pub enum Model {
    /// The legacy `subnet-calc.xlsx` formulas.
    #[serde(rename = "workbook")]
    Workbook,
    /// What ipamd allocates.
    #[serde(rename = "vpc-cni")]
    VpcCni,
}

impl Model {
    /// The model's name as the CLI and outputs spell it.
    pub fn name(self) -> &'static str {
        match self {
            Model::Workbook => "workbook",
            Model::VpcCni => "vpc-cni",
        }
    }
}

/// Whether a scenario could be evaluated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Evaluated; the figures are filled.
    Ok,
    /// The model cannot express the scenario (e.g. prefix delegation in the workbook model).
    Unsupported,
    /// The configuration is one the real system refuses (ipamd does not start with it): a
    /// finding about the cluster, with the reason in the message.
    Invalid,
    /// The scenario could not be evaluated (e.g. an instance type without ENI limits).
    Error,
}

impl Status {
    /// The status as outputs spell it.
    pub fn name(self) -> &'static str {
        match self {
            Status::Ok => "ok",
            Status::Unsupported => "unsupported",
            Status::Invalid => "invalid",
            Status::Error => "error",
        }
    }
}

/// Per-node-group results of a model.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum NodeGroupResults {
    /// The workbook model's rows.
    Workbook(Vec<workbook::WorkbookRow>),
    /// The vpc-cni model's node groups.
    VpcCni(Vec<vpc_cni::NodeGroupUse>),
}

impl NodeGroupResults {
    /// Number of node groups.
    pub fn len(&self) -> usize {
        match self {
            NodeGroupResults::Workbook(v) => v.len(),
            NodeGroupResults::VpcCni(v) => v.len(),
        }
    }

    /// True when there are none (an unsupported scenario).
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Address use of one subnet (or of a custom-networking pod subnet).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SubnetUse {
    /// The subnet as given (`/23` or `10.0.0.0/23`).
    #[serde(serialize_with = "crate::scenario::serialize_display")]
    pub subnet: crate::scenario::Subnet,
    /// Usable addresses.
    pub ips: i64,
    /// Addresses the scenario takes from it.
    pub used_ips: i64,
    /// `ips − used_ips`; negative when the subnet is too small.
    pub remaining_ips: i64,
    /// vpc-cni: `node` for a node subnet, `pod` for a custom-networking pod subnet.
    #[serde(skip_serializing_if = "str::is_empty")]
    pub role: &'static str,
    /// vpc-cni: nodes placed in this subnet (node groups spread evenly over the list).
    pub nodes: i64,
    /// vpc-cni, prefix delegation: aligned /28 blocks the subnet can offer, `2^(28−n) − 2`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub prefix_blocks_available: Option<i64>,
    /// vpc-cni, prefix delegation: /28 prefixes the scenario takes from the subnet.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub prefix_blocks_needed: Option<i64>,
    /// The longest prefix length (smallest subnet) that holds what the scenario takes from this
    /// subnet (see [`sizing`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_prefix: Option<u8>,
}

/// One scenario evaluated by one model: the output contract of the CSV and JSON writers.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Evaluation {
    /// The scenario id.
    pub scenario: Arc<str>,
    /// The model.
    pub model: Model,
    /// Whether the figures are filled.
    pub status: Status,
    /// The scenario comes from a hidden sheet of its workbook.
    #[serde(rename = "hidden_sheet", skip_serializing_if = "std::ops::Not::not")]
    pub hidden: bool,
    /// Why not, when the status is not `ok`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// Usable addresses of the node subnet(s).
    pub subnet_ips: Option<i64>,
    /// Addresses the scenario takes from the node subnet(s).
    pub used_ips: Option<i64>,
    /// `subnet_ips − used_ips`.
    pub remaining_ips: Option<i64>,
    /// Pods hosted (vpc-cni: pods that get an address).
    pub pods: Option<i64>,
    /// vpc-cni: pods that get no address.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pods_without_ip: Option<i64>,
    /// Custom networking: usable addresses of the pod subnet(s).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pod_subnet_ips: Option<i64>,
    /// Custom networking: addresses taken from the pod subnet(s).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pod_subnet_used_ips: Option<i64>,
    /// Custom networking: `pod_subnet_ips − pod_subnet_used_ips`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pod_subnet_remaining_ips: Option<i64>,
    /// Workbook model: the sheet whose formulas were used.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sheet: Option<workbook::Sheet>,
    /// The longest prefix length (smallest subnet) whose usable addresses hold what the scenario
    /// takes from its node subnet (each subnet of a list), by the model's rules (see [`sizing`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_subnet_prefix: Option<u8>,
    /// The same for custom networking's pod subnet(s).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pod_subnet_min_prefix: Option<u8>,
    /// How many more nodes of the scenario's largest node group fit in what its subnets have
    /// left (0 when out of addresses; see [`sizing`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub headroom_nodes: Option<i64>,
    /// Per-subnet figures (vpc-cni; one entry per node subnet and pod subnet).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub subnets: Vec<SubnetUse>,
    /// Things the user should know (fallbacks, assumptions, fragmentation risks).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<Warning>,
    /// With both models: this scenario's figures under each, and the difference.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub comparison: Option<Comparison>,
    /// Per node group.
    pub node_groups: NodeGroupResults,
}

/// One scenario under both models: where the legacy workbook misleads.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Comparison {
    /// The workbook model's used addresses.
    pub workbook_used_ips: Option<i64>,
    /// The vpc-cni model's used addresses (node subnets).
    pub vpc_cni_used_ips: Option<i64>,
    /// `vpc_cni_used_ips − workbook_used_ips`: positive when the workbook under-counts.
    pub used_ips_difference: Option<i64>,
    /// The workbook model's remaining addresses.
    pub workbook_remaining_ips: Option<i64>,
    /// The vpc-cni model's remaining addresses.
    pub vpc_cni_remaining_ips: Option<i64>,
    /// `vpc_cni_remaining_ips − workbook_remaining_ips`.
    pub remaining_ips_difference: Option<i64>,
    /// Why they differ, a rule each (see [`compare`]).
    pub differences: Vec<String>,
}

impl Comparison {
    /// Compares a workbook-model evaluation with a vpc-cni one of `scenario`.
    pub fn of(scenario: &Scenario, workbook: &Evaluation, vpc_cni: &Evaluation) -> Self {
        let diff = |a: Option<i64>, b: Option<i64>| b?.checked_sub(a?);
        Comparison {
            workbook_used_ips: workbook.used_ips,
            vpc_cni_used_ips: vpc_cni.used_ips,
            used_ips_difference: diff(workbook.used_ips, vpc_cni.used_ips),
            workbook_remaining_ips: workbook.remaining_ips,
            vpc_cni_remaining_ips: vpc_cni.remaining_ips,
            remaining_ips_difference: diff(workbook.remaining_ips, vpc_cni.remaining_ips),
            differences: compare::differences(scenario, workbook, vpc_cni),
        }
    }
}

impl Evaluation {
    /// An evaluation without figures.
    pub fn failed(scenario: &Scenario, model: Model, status: Status, message: String) -> Self {
        Evaluation {
            scenario: scenario.id.clone(),
            model,
            status,
            hidden: false,
            message: Some(message),
            subnet_ips: None,
            used_ips: None,
            remaining_ips: None,
            pods: None,
            pods_without_ip: None,
            pod_subnet_ips: None,
            pod_subnet_used_ips: None,
            pod_subnet_remaining_ips: None,
            sheet: None,
            min_subnet_prefix: None,
            pod_subnet_min_prefix: None,
            headroom_nodes: None,
            subnets: Vec::new(),
            warnings: Vec::new(),
            comparison: None,
            node_groups: match model {
                Model::Workbook => NodeGroupResults::Workbook(Vec::new()),
                Model::VpcCni => NodeGroupResults::VpcCni(Vec::new()),
            },
        }
    }

    /// Share of the node subnet(s) used, in percent, when known and the subnet is not empty.
    pub fn utilization_pct(&self) -> Option<f64> {
        match (self.used_ips, self.subnet_ips) {
            (Some(u), Some(s)) if s > 0 => Some(u as f64 * 100.0 / s as f64),
            _ => None,
        }
    }
}

/// Evaluates one scenario with one model.
pub fn evaluate(scenario: &Scenario, catalog: &Catalog, model: Model) -> Evaluation {
    match model {
        Model::Workbook => match workbook::evaluate(scenario, catalog) {
            Ok(r) => Evaluation {
                scenario: scenario.id.clone(),
                model,
                status: Status::Ok,
                hidden: false,
                message: None,
                subnet_ips: Some(r.subnet_ips),
                used_ips: Some(r.used_ips),
                remaining_ips: Some(r.remaining_ips),
                pods: Some(r.pods),
                pods_without_ip: None,
                pod_subnet_ips: None,
                pod_subnet_used_ips: None,
                pod_subnet_remaining_ips: None,
                sheet: Some(r.sheet),
                min_subnet_prefix: sizing::workbook_min_prefix(r.used_ips, catalog),
                pod_subnet_min_prefix: None,
                headroom_nodes: sizing::workbook_headroom(&r),
                subnets: Vec::new(),
                warnings: Vec::new(),
                comparison: None,
                node_groups: NodeGroupResults::Workbook(r.rows),
            },
            Err(e @ workbook::Unsupported::NotExpressible(_)) => {
                Evaluation::failed(scenario, model, Status::Unsupported, e.to_string())
            }
            Err(e) => Evaluation::failed(scenario, model, Status::Error, e.to_string()),
        },
        Model::VpcCni => vpc_cni::evaluation(scenario, catalog),
    }
}
