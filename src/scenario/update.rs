//! How a managed node group is updated: its `updateConfig`, which says how many nodes EKS
//! replaces at once ([`MaxUnavailable`]). The surge this causes is worked out in
//! `engine::phases`.

use serde::Serialize;

/// A managed node group's `updateConfig`: `maxUnavailable` (a node count) or
/// `maxUnavailablePercentage` (a share of the group). EKS takes one of the two.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MaxUnavailable {
    /// `maxUnavailable`: 1 to 100 nodes.
    Nodes(u32),
    /// `maxUnavailablePercentage`: 1 to 100 percent of the group's desired size.
    Percent(u8),
}

impl MaxUnavailable {
    /// EKS's default when a node group sets neither: one node (EKS User Guide, "Understand each
    /// phase of node updates", setup phase, step 3).
    pub const DEFAULT: MaxUnavailable = MaxUnavailable::Nodes(1);

    /// EKS's quota: at most 100 nodes are updated at once.
    pub const QUOTA: u32 = 100;
}

impl Default for MaxUnavailable {
    fn default() -> Self {
        MaxUnavailable::DEFAULT
    }
}
