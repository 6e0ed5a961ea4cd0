//! The `vpc-cni` model: what the Amazon VPC CNI's ipamd really allocates (not yet available).

use serde::Serialize;

use crate::catalog::Catalog;
use crate::engine::{Evaluation, Model, Status};
use crate::scenario::Scenario;

/// One node group's address use under the vpc-cni model.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NodeGroupUse {
    /// Instance type.
    pub instance_type: String,
}

/// Evaluates a scenario with the vpc-cni model.
pub fn evaluation(scenario: &Scenario, _catalog: &Catalog) -> Evaluation {
    Evaluation::failed(
        scenario,
        Model::VpcCni,
        Status::Error,
        "the vpc-cni model is not yet available".into(),
    )
}
