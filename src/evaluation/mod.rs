//! What an evaluation is: one scenario under one model ([`Evaluation`]), its per-node-group rows
//! ([`WorkbookRow`] for the workbook model, [`NodeGroupUse`] for vpc-cni), each subnet's use
//! ([`SubnetUse`]) and, with both models, their [`Comparison`]. The output contract of every
//! writer; the engine ([`crate::engine`]) fills it.

pub mod advice;
pub mod labels;
mod subnet_use;
mod vpc_cni_rows;
mod workbook_rows;

use std::sync::Arc;

use serde::Serialize;

use crate::scenario::Scenario;
use crate::warning::Warning;

pub use subnet_use::{FullestSubnet, SubnetUse, UseBasis};
pub use vpc_cni_rows::{ClosedForm, EniFill, MaxPodsSource, Mode, NodeGroupUse};
pub use workbook_rows::{Sheet, WorkbookRow};

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
    Workbook(Vec<WorkbookRow>),
    /// The vpc-cni model's node groups.
    VpcCni(Vec<NodeGroupUse>),
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
    /// The node subnets together: `used_ips / subnet_ips × 100`; `None` without figures or
    /// usable addresses.
    pub utilization_pct: Option<f64>,
    /// The single subnet closest to exhaustion, in percent: the largest
    /// [`SubnetUse::use_pct`] of the node and pod subnets (vpc-cni); the workbook model's one
    /// subnet (= `utilization_pct`).
    pub fullest_subnet_pct: Option<f64>,
    /// Which subnet `fullest_subnet_pct` is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fullest_subnet: Option<FullestSubnet>,
    /// A subnet the scenario takes from is short: the node subnets in total, any one subnet
    /// of a list, custom networking's pod subnets, or the /28 blocks prefix delegation needs.
    /// The one rule for "out of addresses" in every output and `--fail-on exhausted`.
    pub out_of_addresses: bool,
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
    pub sheet: Option<Sheet>,
    /// The longest prefix length (smallest subnet) whose usable addresses hold what the scenario
    /// takes from its node subnet (each subnet of a list), by the model's rules (see
    /// [`crate::engine::sizing`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_subnet_prefix: Option<u8>,
    /// The same for custom networking's pod subnet(s).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pod_subnet_min_prefix: Option<u8>,
    /// How many more nodes of the scenario's largest node group fit in what its subnets have
    /// left (0 when out of addresses; see [`crate::engine::sizing`]).
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
    /// `eval --advise` (vpc-cni): the settings advisor's options and recommendation (boxed: a
    /// run without it pays one pointer).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub advice: Option<Box<advice::Advice>>,
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
    /// Why they differ, a rule each (see [`crate::engine::compare`]).
    pub differences: Vec<String>,
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
            utilization_pct: None,
            fullest_subnet_pct: None,
            fullest_subnet: None,
            out_of_addresses: false,
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
            advice: None,
            node_groups: match model {
                Model::Workbook => NodeGroupResults::Workbook(Vec::new()),
                Model::VpcCni => NodeGroupResults::VpcCni(Vec::new()),
            },
        }
    }
}
