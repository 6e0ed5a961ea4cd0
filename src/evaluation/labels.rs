//! The words for the two use figures, once: every output that shows one takes its JSON field,
//! header and short label from here, so one name always means one number.

/// How an output names a figure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FigureLabel {
    /// Its field in the JSON output (and column of the summary CSV).
    pub field: &'static str,
    /// Its header in the report.
    pub header: &'static str,
    /// Its short label in the table and closing lines.
    pub short: &'static str,
}

/// The node subnets together: `used_ips / subnet_ips`.
pub const UTILIZATION: FigureLabel = FigureLabel {
    field: "utilization_pct",
    header: "Use % (node subnets)",
    short: "use %",
};

/// The single subnet closest to exhaustion (one subnet of a list, the pod subnet, /28 blocks).
pub const FULLEST: FigureLabel = FigureLabel {
    field: "fullest_subnet_pct",
    header: "Fullest subnet %",
    short: "fullest %",
};

/// One subnet's share used.
pub const SUBNET_USE: FigureLabel = FigureLabel {
    field: "subnets[].use_pct",
    header: "Subnet use %",
    short: "subnet use %",
};
