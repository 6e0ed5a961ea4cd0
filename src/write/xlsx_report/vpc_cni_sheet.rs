//! The VPC CNI model sheet: one row per scenario and node group evaluated by the vpc-cni model,
//! the closed form of docs/models.md step by step in cells, under a header band that groups the
//! steps (node group, CNI settings, instance limits, warm pool, per node, totals). Every cached
//! value is the engine's own intermediate value (`NodeGroupUse`, its `closed_form`), never a
//! second computation; rows the cells cannot express (IPv6, security groups for pods) are the
//! engine's values, styled as fixed.

use std::sync::LazyLock;

use crate::engine::vpc_cni::EffectiveSettings;
use crate::evaluation::{Mode, NodeGroupUse};
use crate::scenario::{IpFamily, Scenario};

use super::catalog_sheet::key_cell;
use super::cell::{Cell, num};
use super::cell_formats::Fmt;
use super::column::{Col, Role, col, lettered};
use super::template::expand;
use super::workbook_sheet::RowPosition;

const MAX_PODS_NOTE: &str = "MP: the node group's max pods (Max pods (override) on Inputs), else \
with the table rule the Catalog's max pods, else the EKS max-pods calculator in cells. A fixed \
value where the Catalog lacks the vCPU count (the engine then guesses the 110/250 cap from the \
size name).";

/// The note on a row's mode cell when its figures are values.
pub(super) const SPECIAL_ROW_NOTE: &str = "IPv6 or security groups for pods: this row's figures \
are values from subnet-calc's vpc-cni model, not live formulas (docs/models.md).";

/// The sheet's columns.
pub(super) fn cols() -> &'static [Col] {
    static COLS: LazyLock<Vec<Col>> = LazyLock::new(|| {
        let node = |c: Col| c.group("Node group");
        let settings = |c: Col| c.group("CNI settings (blank: ipamd's default)");
        let limits = |c: Col| c.group("Instance limits");
        let pool =
            |c: Col| c.group("Warm pool, step by step (in CIDRs: addresses, or /28 prefixes)");
        let per_node = |c: Col| c.group("Per node");
        let totals = |c: Col| c.group("Node group totals");
        lettered(vec![
            node(col("scenario", "Scenario", 22.0, Fmt::Text).named("scenario")),
            node(col("instance_type", "Instance type", 14.0, Fmt::Text).named("instance_type")),
            node(col("key", "Catalog key", 14.0, Fmt::Text)
                .role(Role::Hidden)
                .note("The Catalog row the lookups use: the instance type in lower case.")),
            node(col("instances", "Instances", 9.0, Fmt::Int).named("instances")),
            node(col("pods", "Pods per node", 9.0, Fmt::Int).named("pods_per_node")),
            node(col("daemonset", "DaemonSet pods", 9.0, Fmt::Int)
                .note("DaemonSet pods per node, as on Inputs: they take pool addresses like the workload pods.")
                .named("daemonset_pods")),
            node(col("host", "Host-network pods", 9.0, Fmt::Int)
                .note("Pods on the node's address: they take none, but count against max pods.")
                .named("host_networking_ips")),
            settings(col("weni", "Warm ENI target", 8.0, Fmt::Int)
                .note("WARM_ENI_TARGET as ipamd reads it: blank is 1.")
                .named("warm_eni_target")),
            settings(col("wip", "Warm IP target", 8.0, Fmt::Int)
                .note("WARM_IP_TARGET as ipamd reads it: blank is 0.")
                .named("warm_ip_target")),
            settings(col("mip", "Minimum IP target", 8.0, Fmt::Int)
                .note("MINIMUM_IP_TARGET as ipamd reads it: blank is 0.")
                .named("minimum_ip_target")),
            settings(col("wpfx", "Warm prefix target", 8.0, Fmt::Int)
                .note("WARM_PREFIX_TARGET as ipamd reads it: blank is 1.")
                .named("warm_prefix_target")),
            settings(col("cn", "Custom networking (1/0)", 9.0, Fmt::Int)
                .note("1 under custom networking: the primary ENI holds no pod addresses.")
                .named("custom_networking")),
            settings(col("mode", "Mode", 15.0, Fmt::Text)
                .role(Role::Fixed)
                .note("secondary_ip, prefix_delegation or ipv6, after the Nitro / bare-metal check (prefix delegation falls back to secondary IPs on Xen types).")
                .json("mode")),
            settings(col("unit", "Addresses per CIDR", 9.0, Fmt::Int)
                .note("1, or 16 with prefix delegation (a /28 prefix).")
                .json("closed_form.unit")),
            limits(col("e", "Max ENIs (E)", 8.0, Fmt::Int)
                .note("E: the ENIs a node attaches at most: the Catalog's limit, lowered by MAX_ENI when that is 1 to limit - 1.")
                .json("max_enis")),
            limits(col("l", "IPv4 per ENI (L)", 8.0, Fmt::Int)
                .note("L: IPv4 addresses per ENI, its primary included, from the Catalog.")
                .json("ips_per_eni")),
            limits(col("s", "Pool slots per ENI (S)", 8.0, Fmt::Int)
                .note("S = L - 1: the addresses one ENI gives the pool (its primary is never a pod's). In the JSON: node_groups[].ips_per_eni - 1.")),
            limits(col("k", "Pod ENIs allowed (K)", 8.0, Fmt::Int)
                .note("K: the ENIs that may hold pool addresses: E, less the primary ENI under custom networking.")
                .json("pod_eni_limit")),
            limits(col("mp", "Max pods (MP)", 8.0, Fmt::Int)
                .note(MAX_PODS_NOTE)
                .json("max_pods")),
            limits(col("mp_source", "Max pods from", 11.0, Fmt::Text)
                .note("node_group, table or calculator: where MP came from.")
                .json("max_pods_source")),
            pool(col("p", "Pods needing an IP (p)", 9.0, Fmt::Int)
                .note("p: pool pods scheduled per node: pods + DaemonSet pods, within MP - host-network pods.")
                .json("pool_pods_scheduled_per_node")),
            pool(col("cap", "Capacity (K·S)", 9.0, Fmt::Int)
                .note("K·S: the CIDRs the pool ENIs can hold.")
                .json("closed_form.cap")),
            pool(col("gate", "Max-pods gate", 9.0, Fmt::Int)
                .note("ceil(MP / addresses per CIDR): the pool stops growing once it holds max pods' worth.")
                .json("closed_form.gate")),
            pool(col("target", "IP target", 9.0, Fmt::Int)
                .note("The warm/minimum IP target in addresses: max(p + WARM_IP_TARGET, MINIMUM_IP_TARGET), or MINIMUM_IP_TARGET when WARM_IP_TARGET is 0.")
                .json("closed_form.target")),
            pool(col("boot", "Boot CIDRs", 9.0, Fmt::Int)
                .note("The CIDRs a fresh node takes at once: max(WARM_IP_TARGET, MINIMUM_IP_TARGET), or WARM_PREFIX_TARGET prefixes, rounded to whole ENIs past the gate, at most the capacity.")
                .json("closed_form.boot")),
            pool(col("need", "CIDRs needed", 9.0, Fmt::Int)
                .note("What the targets ask for, before the caps.")
                .json("closed_form.need")),
            pool(col("c", "Pool CIDRs held (C)", 9.0, Fmt::Int)
                .note("C: the CIDRs the pool holds in the steady state: what is needed, within the capacity and the gate, at least the boot CIDRs. In the JSON: node_groups[].prefixes_per_node with prefix delegation, else node_groups[].pod_ips_per_node.")),
            per_node(col("pod_enis", "Pod ENIs", 8.0, Fmt::Int)
                .note("The ENIs holding pool addresses: ceil(C / S). In the JSON: the number of entries of node_groups[].ips_per_eni_list.")),
            per_node(col("enis", "ENIs per node", 8.0, Fmt::Int).json("enis_per_node")),
            per_node(col("prefixes", "Prefixes per node", 9.0, Fmt::Int).json("prefixes_per_node")),
            per_node(col("held", "Pod IPs held per node", 9.0, Fmt::Int)
                .note("C × addresses per CIDR.")
                .json("pod_ips_per_node")),
            per_node(col("served", "Pods with an IP per node", 9.0, Fmt::Int)
                .note("Active IPs: the pool pods served, min(p, held).")
                .json("active_ips_per_node")),
            per_node(col("unused", "Warm (unused) IPs per node", 9.0, Fmt::Int)
                .json("unused_ips_per_node")),
            per_node(col("active_enis", "Active ENIs", 8.0, Fmt::Int).json("active_enis_per_node")),
            per_node(col("warm_enis", "Warm ENIs", 8.0, Fmt::Int).json("warm_enis_per_node")),
            per_node(col("trunk", "Trunk ENIs per node", 8.0, Fmt::Int)
                .role(Role::Fixed)
                .note("Security groups for pods: the trunk ENI (0 or 1).")
                .json("trunk_enis_per_node")),
            per_node(col("branch", "Branch ENI pods per node", 9.0, Fmt::Int)
                .role(Role::Fixed)
                .note("Security groups for pods: branch-ENI pods served.")
                .json("branch_eni_pods_per_node")),
            per_node(col("pending", "Branch ENI pods pending per node", 9.0, Fmt::Int)
                .role(Role::Fixed)
                .note("Security groups for pods: branch-ENI pods left Pending without an address (no trunk, past the type's branch ENIs, or past max pods).")
                .json("branch_eni_pods_pending_per_node")),
            per_node(col("without", "Pods without IP per node", 9.0, Fmt::Int)
                .json("pods_without_ip_per_node")),
            per_node(col("node_ips", "Node subnet IPs per node", 10.0, Fmt::Int)
                .note("One primary per ENI plus the pool; 1 under custom networking.")
                .json("node_subnet_ips_per_node")),
            per_node(col("pod_ips", "Pod subnet IPs per node", 10.0, Fmt::Int)
                .note("Custom networking: the pod ENIs' primaries and pool.")
                .json("pod_subnet_ips_per_node")),
            per_node(col("ips", "Subnet IPs per node", 10.0, Fmt::Int).json("ips_per_node")),
            per_node(col("oscillating", "Oscillating", 10.0, Fmt::Bool)
                .role(Role::Fixed)
                .note("Whether a warm target of 0 makes the pool oscillate (the figures are its peak).")
                .json("oscillating")),
            totals(col("ips_total", "IPs total", 10.0, Fmt::Int).json("ips_total")),
            totals(col("pod_total", "Pod subnet IPs total", 10.0, Fmt::Int).json("pod_subnet_ips_total")),
            totals(col("node_total", "Node subnet IPs total", 10.0, Fmt::Int).json("node_subnet_ips_total")),
            totals(col("served_total", "Pods served total", 10.0, Fmt::Int).json("pods_total")),
            totals(col("without_total", "Pods without IP total", 10.0, Fmt::Int).json("pods_without_ip_total")),
        ])
    });
    &COLS
}

/// Whether a node group's vpc-cni figures are written as live formulas: the §6 closed form in
/// cells covers the IPv4 pool without security groups for pods.
pub(super) fn row_is_live(s: &Scenario, group: usize) -> bool {
    s.cni.ip_family == IpFamily::Ipv4
        && !s.cni.security_groups_for_pods
        && s.node_groups
            .get(group)
            .is_some_and(|g| g.branch_eni_pods == 0)
}

/// The vpc-cni model's per-node closed form (docs/models.md) in cells: node group `group` of
/// `s`, whose max-pods cap formula needs the catalogue's vCPU count (`vcpus_known`).
pub(super) fn cells(
    s: &Scenario,
    g: &NodeGroupUse,
    group: usize,
    at: RowPosition,
    key: String,
    vcpus_known: bool,
) -> Vec<Cell> {
    let eff = EffectiveSettings::from_cni(&s.cni);
    // The closed form's steps, as the engine computed them (docs/models.md).
    let steps = &g.closed_form;
    let unit = if g.mode == Mode::PrefixDelegation {
        16
    } else {
        1
    };
    let slots = g.ips_per_eni.saturating_sub(1);
    let k = g.pod_eni_limit;
    let p = g.pool_pods_scheduled_per_node;
    let cidrs = g.pod_ips_per_node / unit;
    let pod_enis = if slots == 0 { 0 } else { cidrs.div_ceil(slots) };
    let cols = cols();
    let t = |template: &str| expand(template, cols, at.row + 1, at.input_row + 1);
    let live = row_is_live(s, group);
    let cells = vec![
        Cell::Text(s.id.to_string()),
        Cell::Text(g.instance_type.to_string()),
        key_cell(&t, key, &g.instance_type),
        Cell::formula(t("@{instances}"), g.instances),
        Cell::formula(t("@{pods_per_node}"), g.pods_per_node),
        Cell::formula(t("@{daemonset_pods}"), s.daemonset_pods),
        Cell::formula(t("@{host_networking_ips}"), s.host_networking_ips),
        Cell::formula(
            t("IF(@{warm_eni_target}=\"\",1,@{warm_eni_target})"),
            eff.warm_eni_target,
        ),
        Cell::formula(
            t("IF(@{warm_ip_target}=\"\",0,@{warm_ip_target})"),
            eff.warm_ip_target,
        ),
        Cell::formula(
            t("IF(@{minimum_ip_target}=\"\",0,@{minimum_ip_target})"),
            eff.minimum_ip_target,
        ),
        Cell::formula(
            t("IF(@{warm_prefix_target}=\"\",1,@{warm_prefix_target})"),
            eff.warm_prefix_target,
        ),
        Cell::formula(
            t("IF(@{custom_networking},1,0)"),
            u32::from(s.cni.custom_networking),
        ),
        Cell::Text(g.mode.name().to_owned()),
        Cell::formula(t("IF({mode}=\"prefix_delegation\",16,1)"), unit),
        // MAX_ENI lowers the limit when it is 1 … limit − 1.
        Cell::formula(
            t("IF(AND(@{max_eni}>=1,@{max_eni}<#{max_enis}),@{max_eni},#{max_enis})"),
            g.max_enis,
        ),
        Cell::formula(t("#{ipv4_per_eni}"), g.ips_per_eni),
        Cell::formula(t("{l}-1"), slots),
        Cell::formula(t("MAX({e}-{cn},0)"), k),
        // The node group's max_pods, else the EKS max-pods calculator (§9): (E − custom networking)
        // · (L − 1), ·16 with prefixes on Nitro (a type without a hypervisor is not), + 2, capped
        // at 110 up to 30 vCPUs and 250 above. Without
        // the vCPU count the engine guesses the cap from the size name: a value then.
        if vcpus_known {
            Cell::formula(
                t(
                    "IF(@{max_pods}<>\"\",@{max_pods},IF(@{max_pods_rule}=\"table\",#{max_pods},\
                   MIN(MAX({e}-{cn},0)*({l}-1)*\
                   IF(AND({mode}=\"prefix_delegation\",#{hypervisor}=\"nitro\"),16,1)+2,\
                   IF(#{vcpus}>30,250,110))))",
                ),
                g.max_pods,
            )
        } else {
            num(g.max_pods)
        },
        Cell::formula_text(
            t(
                "IF(@{max_pods}<>\"\",\"node_group\",IF(@{max_pods_rule}=\"table\",\"table\",\"calculator\"))",
            ),
            g.max_pods_source.name(),
        ),
        Cell::formula(t("MIN({pods}+{daemonset},MAX({mp}-{host},0))"), p),
        Cell::formula(t("{k}*{s}"), steps.cap as f64),
        Cell::formula(t("ROUNDUP({mp}/{unit},0)"), steps.gate as f64),
        Cell::formula(
            t("IF({wip}>0,MAX({p}+{wip},{mip}),{mip})"),
            steps.target as f64,
        ),
        Cell::formula(
            t("IF({s}=0,0,IF(OR({wip}>0,{mip}>0),\
               MIN(IF(ROUNDUP(MAX({wip},{mip})/{unit},0)<{gate},ROUNDUP(MAX({wip},{mip})/{unit},0),\
               MIN(ROUNDUP(MAX({wip},{mip})/{unit},0),{s}*ROUNDUP({gate}/{s},0))),{cap}),\
               IF({unit}=16,MIN(IF({wpfx}>=1,IF({wpfx}<{gate},{wpfx},MIN({wpfx},{s}*ROUNDUP({gate}/{s},0))),1),{cap}),0)))"),
            steps.boot as f64,
        ),
        Cell::formula(
            t(
                "IF({s}=0,0,IF(OR({wip}>0,{mip}>0),ROUNDUP({target}/{unit},0),IF({unit}=1,\
               IF({weni}>=1,ROUNDUP({p}/{s},0)+{weni},INT({p}/{s})+1)*{s},\
               ROUNDUP({p}/16,0)+IF({wpfx}>=1,{wpfx},IF(MOD({p},16)=0,1,0)))))",
            ),
            steps.need as f64,
        ),
        Cell::formula(
            t(
                "IF({s}=0,0,IF(AND({unit}=1,{wip}=0,{mip}=0),MIN({need},{cap},ROUNDUP({mp}/{s},0)*{s}),\
               MAX({boot},MIN({need},{cap},{gate}))))",
            ),
            cidrs,
        ),
        Cell::formula(t("IF({s}=0,0,ROUNDUP({c}/{s},0))"), pod_enis),
        Cell::formula(
            t("IF({cn}=1,1+{pod_enis},MAX(1,{pod_enis}))"),
            g.enis_per_node,
        ),
        Cell::formula(t("IF({unit}=16,{c},0)"), g.prefixes_per_node),
        Cell::formula(t("{c}*{unit}"), g.pod_ips_per_node),
        Cell::formula(t("MIN({p},{held})"), g.active_ips_per_node),
        Cell::formula(t("{held}-{served}"), g.unused_ips_per_node),
        Cell::formula(
            t("IF({s}=0,0,ROUNDUP({served}/({s}*{unit}),0))"),
            g.active_enis_per_node,
        ),
        // The ENIs that can hold pool addresses, less the active ones.
        Cell::formula(
            t("IF({cn}=1,{pod_enis},MAX(1,{pod_enis}))-{active_enis}"),
            g.warm_enis_per_node,
        ),
        num(g.trunk_enis_per_node),
        num(g.branch_eni_pods_per_node),
        num(g.branch_eni_pods_pending_per_node),
        Cell::formula(t("{pods}+{daemonset}-{served}"), g.pods_without_ip_per_node),
        Cell::formula(
            t("IF({cn}=1,1,MAX(1,{pod_enis})+{held})"),
            g.node_subnet_ips_per_node,
        ),
        Cell::formula(
            t("IF({cn}=1,{pod_enis}+{held},0)"),
            g.pod_subnet_ips_per_node,
        ),
        Cell::formula(t("{node_ips}+{pod_ips}"), g.ips_per_node),
        Cell::Bool(g.oscillating),
        Cell::formula(t("{ips}*{instances}"), g.ips_total as f64),
        Cell::formula(t("{pod_ips}*{instances}"), g.pod_subnet_ips_total as f64),
        Cell::formula(t("{node_ips}*{instances}"), g.node_subnet_ips_total as f64),
        Cell::formula(t("({served}+{branch})*{instances}"), g.pods_total as f64),
        Cell::formula(t("{without}*{instances}"), g.pods_without_ip_total as f64),
    ];
    debug_assert_eq!(cells.len(), cols.len());
    // Identity and settings stay live on every row; the closed form only where it applies.
    let intermediate = ["target", "boot", "need"].map(|id| cols.iter().position(|c| c.id == id));
    let first_figure = cols
        .iter()
        .position(|c| c.id == "mode")
        .unwrap_or(cols.len());
    cells
        .into_iter()
        .enumerate()
        .map(|(c, cell)| match c {
            _ if live || c < first_figure => cell,
            // The closed form's intermediate steps mean nothing for these rows.
            _ if intermediate.contains(&Some(c)) => Cell::Blank,
            _ => cell.fixed(),
        })
        .collect()
}
