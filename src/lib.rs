//! # subnet-calc
//!
//! How many IPv4 addresses Amazon EKS clusters take from their VPC subnets, and whether the
//! subnets will last. `subnet-calc` replaces the `subnet-calc.xlsx` calculator of the EKS
//! best-practices guide:
//!
//! - [`read`] ingests legacy workbooks, scenario CSVs and instance catalogues;
//! - [`catalog`] holds the instance limits the models look up: a [built-in
//!   catalogue](catalog::builtin) of every type the upstream tables know, with the files given
//!   layered over it;
//! - [`engine`] evaluates scenarios under two models, `workbook` (the legacy formulas, exactly)
//!   and `vpc-cni` (what ipamd really allocates), in parallel, into [`evaluation`]s with their
//!   [`warning`]s;
//! - [`mod@write`] produces CSV, JSON, readable tables and xlsx reports, writes scenario CSVs back
//!   and exports scenarios to the legacy workbook layout.
//!
//! ```
//! use subnet_calc::catalog::{Catalog, InstanceLimits};
//! use subnet_calc::engine::evaluate;
//! use subnet_calc::evaluation::Model;
//! use subnet_calc::scenario::{NodeGroup, Scenario, Subnet};
//!
//! let mut catalog = Catalog::new();
//! catalog.insert(InstanceLimits {
//!     max_enis: Some(4),
//!     ipv4_per_eni: Some(15),
//!     max_pods: Some(58),
//!     ..InstanceLimits::named("c5.2xlarge")
//! });
//! let scenario = Scenario::builder("demo")
//!     .subnet(Subnet::of_size(24))
//!     .warm_eni_target(1)
//!     .node_group(NodeGroup::new("c5.2xlarge", 3, 20))
//!     .build();
//! let result = evaluate(&scenario, &catalog, Model::Workbook);
//! // ceil(20/15) = 2 ENIs in use, plus 1 warm: 3 × 15 addresses per node, 3 nodes.
//! assert_eq!(result.used_ips, Some(135));
//! assert_eq!(result.remaining_ips, Some(254 - 135));
//! ```

// Errors carry the file, place and values they name. They are built once, on the failure path,
// so their size costs nothing worth boxing them for.
#![allow(clippy::result_large_err)]
#![warn(missing_docs)]

pub mod catalog;
pub mod engine;
pub mod error;
pub mod evaluation;
pub mod legacy_layout;
pub mod read;
pub mod report_layout;
pub mod scenario;
pub mod text;
pub mod warning;
pub mod write;

pub use error::{Error, Location, Result};
