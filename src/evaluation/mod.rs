//! What an evaluation is: one scenario under one model ([`Evaluation`]), its per-node-group rows
//! ([`WorkbookRow`] for the workbook model, [`NodeGroupUse`] for vpc-cni), each subnet's use
//! ([`SubnetUse`]) and, with both models, their [`Comparison`]. The output contract of every
//! writer; the engine ([`crate::engine`]) fills it.

pub mod advice;
mod vpc_cni_rows;
mod workbook_rows;

use std::sync::Arc;

use serde::Serialize;

use crate::scenario::Scenario;
use crate::scenario::subnet::blocks_taken;
use crate::warning::Warning;

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
    /// subnet (see [`crate::engine::sizing`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_prefix: Option<u8>,
}

impl SubnetUse {
    /// With prefix delegation, the /28 blocks the scenario takes from the subnet: its prefixes,
    /// and its other addresses packed into whole blocks ([`blocks_taken`], the rule
    /// `min_prefix` and the headroom use too).
    pub fn blocks_taken(&self) -> Option<i64> {
        self.prefix_blocks_needed
            .map(|prefixes| blocks_taken(self.used_ips, prefixes))
    }

    /// The share of the subnet used: its addresses, or under prefix delegation the /28 blocks
    /// its addresses fill ([`SubnetUse::blocks_taken`]) when that is more; `None` without usable
    /// addresses.
    pub fn share_used(&self) -> Option<f64> {
        if self.ips <= 0 {
            return None;
        }
        let addresses = self.used_ips as f64 / self.ips as f64;
        Some(match (self.blocks_taken(), self.prefix_blocks_available) {
            (Some(taken), Some(have)) if have > 0 => addresses.max(taken as f64 / have as f64),
            _ => addresses,
        })
    }

    /// Whether the scenario takes more than the subnet has: addresses, or /28 blocks.
    pub fn is_short(&self) -> bool {
        self.remaining_ips < 0 || (self.used_ips > 0 && self.ips <= 0) || self.prefix_blocks_short()
    }

    /// Whether the subnet holds prefixes and has fewer aligned /28 blocks than the scenario's
    /// prefixes and other addresses take.
    pub fn prefix_blocks_short(&self) -> bool {
        matches!(
            (self.blocks_taken(), self.prefix_blocks_available),
            (Some(taken), Some(have)) if taken > have.max(0)
        )
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

    /// Whether a subnet the scenario takes from is short: the node subnets in total, any one
    /// subnet of a list, custom networking's pod subnets, or the free /28 blocks prefix
    /// delegation needs. The one rule for "out of addresses" in every closing line and
    /// `--fail-on exhausted`: a list whose total is ample still fails when one of its subnets
    /// is too small for the nodes placed in it.
    pub fn out_of_addresses(&self) -> bool {
        let short = |v: Option<i64>| v.is_some_and(|v| v < 0);
        short(self.remaining_ips)
            || short(self.pod_subnet_remaining_ips)
            || self.subnets.iter().any(SubnetUse::is_short)
    }

    /// The fullest subnet the scenario takes from, by the share of its addresses used (or of
    /// the /28 blocks its addresses fill under prefix delegation, whichever is more; see
    /// [`SubnetUse::share_used`]): the fullest of its node and pod subnets (vpc-cni), which is
    /// never less full than the node subnets in total; the node subnet in total when there are
    /// no per-subnet figures (workbook). `None` without figures.
    pub fn fullest(&self) -> Option<Fullest<'_>> {
        if self.subnets.is_empty() {
            return match (self.used_ips, self.subnet_ips) {
                (Some(u), Some(s)) if s > 0 => Some(Fullest {
                    share: u as f64 / s as f64,
                    subnet: None,
                }),
                _ => None,
            };
        }
        // With a single node subnet and no pod subnet, its entry is the total itself: it is
        // not named.
        let several = self.subnets.len() > 1;
        self.subnets
            .iter()
            .filter_map(|s| {
                Some(Fullest {
                    share: s.share_used()?,
                    subnet: several.then_some(s),
                })
            })
            .reduce(|a, b| if b.share > a.share { b } else { a })
    }
}

/// An evaluation's fullest subnet (see [`Evaluation::fullest`]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Fullest<'a> {
    /// The share used, a fraction (1.0 is full).
    pub share: f64,
    /// The subnet, when it is one subnet of several; `None` for the node subnet(s) in total.
    pub subnet: Option<&'a SubnetUse>,
}

impl Fullest<'_> {
    /// The share used, in percent.
    pub fn pct(&self) -> f64 {
        self.share * 100.0
    }
}

impl std::fmt::Display for Fullest<'_> {
    /// `130.7 % used`, or `408.3 % of node subnet 10.1.0.0/28 used`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.subnet {
            None => write!(f, "{:.1} % used", self.pct()),
            Some(s) => {
                let role = if s.role.is_empty() { "node" } else { s.role };
                write!(f, "{:.1} % of {role} subnet {} used", self.pct(), s.subnet)
            }
        }
    }
}
