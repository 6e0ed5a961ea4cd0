//! The workbook model's rows: which calculator sheet a scenario maps to ([`Sheet`]), and one
//! node-group row of it with every computed column ([`WorkbookRow`]), as the legacy
//! `subnet-calc.xlsx` lays them out (the formulas are [`crate::engine::workbook`]'s).

use std::sync::Arc;

use serde::Serialize;

/// Which calculator sheet a scenario maps to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Sheet {
    /// The WarmENI sheet: WARM_ENI_TARGET.
    #[serde(rename = "WarmENI")]
    WarmEni,
    /// The WarmIP sheet: WARM_IP_TARGET.
    #[serde(rename = "WarmIP")]
    WarmIp,
}

impl Sheet {
    /// The sheet's name in the workbook.
    pub fn name(self) -> &'static str {
        match self {
            Sheet::WarmEni => "WarmENI",
            Sheet::WarmIp => "WarmIP",
        }
    }
}

/// One node-group row of the sheet, every computed column.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WorkbookRow {
    /// Instance type (A).
    pub instance_type: Arc<str>,
    /// # of Instances (B).
    pub instances: u32,
    /// Target Workload Pods per Node (C).
    pub pods_per_node: u32,
    /// Max ENIs per Instance (D).
    pub max_enis: u32,
    /// IPs per ENI (E).
    pub ips_per_eni: u32,
    /// Max Pods (F); `None` where the maxPods sheet lacks the type (the sheet shows `#N/A`).
    pub max_pods: Option<u32>,
    /// ENIs per node that feed the totals: "with warm ENI PI" (WarmENI J) or "in use ENIs PI -" (WarmIP M).
    pub enis_per_node: i64,
    /// "Used IPs PI", the per-node figure that feeds "IPs Total" (WarmENI L, WarmIP K).
    pub ips_per_node: i64,
    /// IPs Total (WarmENI N, WarmIP Q).
    pub ips_total: i64,
    /// Pods Total (WarmENI O, WarmIP P "Total Pods").
    pub pods_total: i64,
    /// Max IPv4 (G).
    pub max_ipv4: i64,
    /// Raw ENIs needed (H), a fraction.
    pub raw_enis_needed: f64,
    /// in use ENIs (I).
    pub in_use_enis: i64,
    /// with warm ENI (WarmENI J).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub with_warm_eni: Option<i64>,
    /// Actual IPs (WarmENI K, WarmIP J).
    pub actual_ips: i64,
    /// Used IPs (WarmENI L, WarmIP K).
    pub used_ips: i64,
    /// Total Pods PI (WarmENI M).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub total_pods_pi: Option<i64>,
    /// Warm ENIs Needed (WarmIP L).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub warm_enis_needed: Option<i64>,
    /// in use ENIs PI - (WarmIP M).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub in_use_enis_with_warm: Option<i64>,
    /// Actual IPs PI - (WarmIP N).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub actual_ips_with_warm: Option<i64>,
    /// Used IPs PI - (WarmIP O).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub used_ips_with_warm: Option<i64>,
}

impl WorkbookRow {
    /// The computed cells from column D on, in the sheet's order (`None` for a `#N/A` cell).
    pub fn sheet_values(&self, sheet: Sheet) -> Vec<Option<f64>> {
        let int = |v: i64| Some(v as f64);
        let mut out = vec![
            Some(f64::from(self.max_enis)),
            Some(f64::from(self.ips_per_eni)),
            self.max_pods.map(f64::from),
            int(self.max_ipv4),
            Some(self.raw_enis_needed),
            int(self.in_use_enis),
        ];
        let opt = |v: Option<i64>| v.map(|v| v as f64);
        match sheet {
            Sheet::WarmEni => out.extend([
                opt(self.with_warm_eni),
                int(self.actual_ips),
                int(self.used_ips),
                opt(self.total_pods_pi),
                int(self.ips_total),
                int(self.pods_total),
            ]),
            Sheet::WarmIp => out.extend([
                int(self.actual_ips),
                int(self.used_ips),
                opt(self.warm_enis_needed),
                opt(self.in_use_enis_with_warm),
                opt(self.actual_ips_with_warm),
                opt(self.used_ips_with_warm),
                int(self.pods_total),
                int(self.ips_total),
            ]),
        }
        out
    }
}
