//! The engine: pure functions from typed scenarios to [`Evaluation`]s (the types are
//! [`crate::evaluation`]'s). No I/O happens here.
//!
//! Two models: [`workbook`] reproduces the legacy workbook's formulas exactly, and
//! [`vpc_cni`] follows what the Amazon VPC CNI's ipamd really allocates. [`batch`] evaluates many
//! scenarios in parallel, in input order.

pub mod advisor;
pub mod batch;
pub mod compare;
pub mod phases;
pub mod sizing;
mod usage;
pub mod vpc_cni;
pub mod workbook;

use crate::catalog::Catalog;
use crate::evaluation::{Evaluation, FullestSubnet, Model, NodeGroupResults, Status, UseBasis};
use crate::scenario::{Scenario, SubnetRole};

/// Evaluates one scenario with one model.
pub fn evaluate(scenario: &Scenario, catalog: &Catalog, model: Model) -> Evaluation {
    match model {
        Model::Workbook => match workbook::evaluate(scenario, catalog) {
            Ok(r) => {
                let figures = usage::use_figures(Some(r.subnet_ips), Some(r.used_ips), None, &[]);
                // The workbook's one subnet is the fullest.
                let fullest_subnet = scenario.subnets.first().map(|&subnet| FullestSubnet {
                    role: SubnetRole::Node,
                    index: 0,
                    of: 1,
                    subnet,
                    by: UseBasis::Addresses,
                });
                Evaluation {
                    scenario: scenario.id.clone(),
                    model,
                    status: Status::Ok,
                    hidden: false,
                    message: None,
                    subnet_ips: Some(r.subnet_ips),
                    used_ips: Some(r.used_ips),
                    remaining_ips: Some(r.remaining_ips),
                    utilization_pct: figures.utilization_pct,
                    fullest_subnet_pct: figures.fullest_subnet_pct,
                    fullest_subnet: figures.fullest_subnet_pct.and(fullest_subnet),
                    out_of_addresses: figures.out_of_addresses,
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
                    advice: None,
                    node_groups: NodeGroupResults::Workbook(r.rows),
                }
            }
            Err(e @ workbook::Unsupported::NotExpressible(_)) => {
                Evaluation::failed(scenario, model, Status::Unsupported, e.to_string())
            }
            Err(e) => Evaluation::failed(scenario, model, Status::Error, e.to_string()),
        },
        Model::VpcCni => vpc_cni::evaluation(scenario, catalog),
    }
}
