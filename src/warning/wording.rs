//! The one place warnings are worded: [`WarningKind::word`], which the kinds' `Display` calls.
//! The common kinds are written as pieces of text and whole numbers rather than through `write!`,
//! whose formatting machinery costs several times more on a run of millions.

use std::fmt;

use crate::scenario::Subnet;

use super::{PendingWhy, SheetTotal, SheetTotalDiffers, WarningKind};

/// A piece of a warning's text: words, or a whole number.
enum Piece<'a> {
    Text(&'a str),
    Number(i64),
}

use Piece::{Number as N, Text as T};

fn pieces(f: &mut impl fmt::Write, all: &[Piece<'_>]) -> fmt::Result {
    for piece in all {
        match piece {
            Piece::Text(text) => f.write_str(text)?,
            Piece::Number(n) => f.write_str(itoa::Buffer::new().format(*n))?,
        }
    }
    Ok(())
}

/// Writes `subnet ` and a subnet as its `Display` writes it, the common size-only case without
/// `write!`.
fn subnet(f: &mut impl fmt::Write, subnet: &Subnet) -> fmt::Result {
    f.write_str("subnet ")?;
    match subnet.network {
        None => pieces(f, &[T("/"), N(i64::from(subnet.prefix_len))]),
        Some(_) => write!(f, "{subnet}"),
    }
}

/// A type's name, then what is said about it.
fn of_type(f: &mut impl fmt::Write, instance_type: &str, text: &str) -> fmt::Result {
    f.write_str(instance_type)?;
    f.write_str(text)
}

/// `1 pod` or `7 pods`: a count and its noun.
fn count<'a>(n: u32, one: &'a str, many: &'a str) -> [Piece<'a>; 2] {
    [N(i64::from(n)), T(if n == 1 { one } else { many })]
}

impl WarningKind {
    /// Writes the warning's text into `f` (a `String` directly, or a formatter).
    pub fn word(&self, f: &mut impl fmt::Write) -> fmt::Result {
        match self {
            WarningKind::PodSubnetsIgnored => {
                f.write_str("pod subnets are ignored without custom networking (IPv4)")
            }
            WarningKind::Ipv6PodsNotCounted => f.write_str(
                "IPv6: pods get IPv6 addresses from a /80 prefix per node; only node IPv4 \
                 addresses (and trunk/branch ENIs) are counted",
            ),
            WarningKind::Ipv6WithoutPrefixDelegation => f.write_str(
                "IPv6 needs ENABLE_PREFIX_DELEGATION=true: ipamd refuses IPv6 without it \
                 (isConfigValid); evaluated as if prefix_delegation were true",
            ),
            WarningKind::NoNodeSubnet => f.write_str("no node subnet given: subnet capacity is 0"),
            WarningKind::SubnetSizeOutsideAws { subnet } => {
                self::subnet(f, subnet)?;
                f.write_str(": AWS subnets are /16 to /28")
            }
            WarningKind::CustomNetworkingWithoutPodSubnet => f.write_str(
                "custom networking without a pod subnet: pod-subnet use is given, its capacity \
                 is unknown",
            ),
            WarningKind::NoPrefixDelegation { instance_type } => of_type(
                f,
                instance_type,
                ": prefix delegation needs a Nitro or bare-metal type; ipamd falls back to \
                 secondary IPs",
            ),
            WarningKind::BranchPodsCountedAsPoolPods { instance_type } => of_type(
                f,
                instance_type,
                ": branch_eni_pods counted as ordinary pods (security groups for pods is off)",
            ),
            WarningKind::NotTrunkingCompatible { instance_type } => of_type(
                f,
                instance_type,
                ": not trunking-compatible (the VPC resource controller's limits): no trunk ENI, \
                 so pods with security groups stay Pending on it",
            ),
            WarningKind::TrunkLimitsUnknown { instance_type } => of_type(
                f,
                instance_type,
                ": trunk and branch ENI limits unknown (no catalogue gives them, the resource \
                 controller's table included: give is_trunking_compatible and branch_interface \
                 with --catalog); assumed trunking-compatible with no cap on branch ENIs",
            ),
            WarningKind::BranchPodsPending {
                instance_type,
                pods,
                why,
            } => branch_pods_pending(f, instance_type, *pods, *why),
            WarningKind::PodsWithoutIp {
                instance_type,
                pods,
                max_pods,
            } => pods_without_ip(f, instance_type, *pods, *max_pods),
            WarningKind::PoolOscillates {
                instance_type,
                low,
                high,
            } => pool_oscillates(f, instance_type, *low, *high),
            WarningKind::MaxPodsStopsPrefixPool {
                instance_type,
                max_pods,
                prefixes,
                calculator,
            } => max_pods_stops_prefix_pool(f, instance_type, *max_pods, *prefixes, *calculator),
            WarningKind::VcpusUnknown {
                instance_type,
                cap,
                max_pods,
            } => vcpus_unknown(f, instance_type, *cap, *max_pods),
            WarningKind::PrefixBlocksShort {
                subnet,
                needed,
                available,
            } => prefix_blocks_short(f, subnet, *needed, *available),
            WarningKind::PrefixBlocksFragmented {
                subnet,
                needed,
                available,
                singles,
                reserve,
            } => prefix_blocks_fragmented(f, subnet, [*needed, *available, *singles], *reserve),
            WarningKind::SheetTotalsDiffer { differences } => sheet_totals(f, differences),
        }
    }
}

fn branch_pods_pending(
    f: &mut impl fmt::Write,
    instance_type: &str,
    pods: u32,
    why: PendingWhy,
) -> fmt::Result {
    let [n, noun] = count(pods, " branch-ENI pod", " branch-ENI pods");
    let verb = if pods == 1 { " stays" } else { " stay" };
    pieces(
        f,
        &[T(instance_type), T(": "), n, noun, T(" per node"), T(verb)],
    )?;
    f.write_str(" Pending without an IP (")?;
    match why {
        PendingWhy::MaxEni1NoTrunkSlot => {
            f.write_str("MAX_ENI=1 leaves no slot for a trunk ENI")?
        }
        PendingWhy::NoTrunk => f.write_str("no trunk ENI")?,
        PendingWhy::PastBranchEnis { cap } => {
            pieces(f, &[T("past its "), N(i64::from(cap)), T(" branch ENIs")])?
        }
        PendingWhy::PastMaxPods { max_pods } => {
            pieces(f, &[T("past max pods "), N(i64::from(max_pods))])?
        }
    }
    f.write_str(")")
}

fn pods_without_ip(
    f: &mut impl fmt::Write,
    instance_type: &str,
    pods: u32,
    max_pods: u32,
) -> fmt::Result {
    let [n, noun] = count(pods, " pod per node ", " pods per node ");
    pieces(
        f,
        &[
            T(instance_type),
            T(": "),
            n,
            noun,
            T(if pods == 1 { "gets" } else { "get" }),
            T(" no IP (over max pods "),
            N(i64::from(max_pods)),
            T(", ENI capacity or the IP targets)"),
        ],
    )
}

fn pool_oscillates(
    f: &mut impl fmt::Write,
    instance_type: &str,
    low: u32,
    high: u32,
) -> fmt::Result {
    pieces(
        f,
        &[
            T(instance_type),
            T(": a warm target of 0 makes the pool oscillate between "),
            N(i64::from(low)),
            T(" and "),
            N(i64::from(high)),
            T(" addresses per node; sized at the peak"),
        ],
    )
}

fn max_pods_stops_prefix_pool(
    f: &mut impl fmt::Write,
    instance_type: &str,
    max_pods: u32,
    prefixes: u32,
    calculator: u32,
) -> fmt::Result {
    pieces(
        f,
        &[
            T(instance_type),
            T(": max_pods "),
            N(i64::from(max_pods)),
            T(" with prefix delegation stops the pool at "),
            N(i64::from(prefixes)),
            T(" prefixes; the calculator's prefix-delegation value is "),
            N(i64::from(calculator)),
        ],
    )
}

fn vcpus_unknown(
    f: &mut impl fmt::Write,
    instance_type: &str,
    cap: u32,
    max_pods: u32,
) -> fmt::Result {
    pieces(
        f,
        &[
            T(instance_type),
            T(": vCPUs unknown; assumed max-pods cap "),
            N(i64::from(cap)),
            T(if cap == 110 {
                " (30 vCPUs or fewer, from its size name)"
            } else {
                " (over 30 vCPUs)"
            }),
            T(", max pods "),
            N(i64::from(max_pods)),
        ],
    )
}

fn prefix_blocks_short(
    f: &mut impl fmt::Write,
    on: &Subnet,
    needed: i64,
    available: i64,
) -> fmt::Result {
    subnet(f, on)?;
    pieces(
        f,
        &[
            T(": "),
            N(needed),
            T(" /28 prefixes needed but it offers at most "),
            N(available),
            T(" aligned /28 blocks; prefix allocation will fail (InsufficientCidrBlocks)"),
        ],
    )
}

/// The three figures are the /28 prefixes needed, the blocks available and the other addresses.
fn prefix_blocks_fragmented(
    f: &mut impl fmt::Write,
    on: &Subnet,
    [needed, available, singles]: [i64; 3],
    reserve: u32,
) -> fmt::Result {
    subnet(f, on)?;
    pieces(
        f,
        &[
            T(": "),
            N(needed),
            T(" /28 prefixes needed of "),
            N(available),
            T(" blocks, and "),
            N(singles),
            T(" other addresses (ENI primaries, node IPs) can fragment it; reserve a /"),
            N(i64::from(reserve)),
            T(
                " prefix-type CIDR reservation (create-subnet-cidr-reservation \
               --reservation-type prefix)",
            ),
        ],
    )
}

/// `the sheet shows 304 IPs used (B8) where the formulas give 351: …`.
fn sheet_totals(f: &mut impl fmt::Write, differences: &[SheetTotalDiffers]) -> fmt::Result {
    f.write_str("the sheet shows ")?;
    for (i, d) in differences.iter().enumerate() {
        if i > 0 {
            f.write_str(", ")?;
        }
        let what = match d.total {
            SheetTotal::SubnetIps => "addresses available",
            SheetTotal::UsedIps => "IPs used",
            SheetTotal::Pods => "pods hosted",
            SheetTotal::RemainingIps => "IPs remaining",
        };
        write!(
            f,
            "{} {what} ({}) where the formulas give {}",
            d.shown,
            d.total.cell(),
            d.computed
        )?;
    }
    f.write_str(
        ": its stored values are stale (saved without recalculating) or its formulas differ \
         from the published workbook's",
    )
}
