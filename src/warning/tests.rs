use super::*;

/// Every kind with the text it had when the engine worded it at once (`format!`), byte for byte.
fn every_kind() -> Vec<(WarningKind, &'static str)> {
    let t3: Arc<str> = "t3.small".into();
    let it = || t3.clone();
    vec![
        (
            WarningKind::PodSubnetsIgnored,
            "pod subnets are ignored without custom networking (IPv4)",
        ),
        (
            WarningKind::Ipv6PodsNotCounted,
            "IPv6: pods get IPv6 addresses from a /80 prefix per node; only node IPv4 addresses (and trunk/branch ENIs) are counted",
        ),
        (
            WarningKind::Ipv6WithoutPrefixDelegation,
            "IPv6 needs ENABLE_PREFIX_DELEGATION=true: ipamd refuses IPv6 without it (isConfigValid); evaluated as if prefix_delegation were true",
        ),
        (
            WarningKind::NoNodeSubnet,
            "no node subnet given: subnet capacity is 0",
        ),
        (
            WarningKind::SubnetSizeOutsideAws {
                subnet: "10.0.0.0/30".parse().unwrap(),
            },
            "subnet 10.0.0.0/30: AWS subnets are /16 to /28",
        ),
        (
            WarningKind::CustomNetworkingWithoutPodSubnet,
            "custom networking without a pod subnet: pod-subnet use is given, its capacity is unknown",
        ),
        (
            WarningKind::NoPrefixDelegation {
                instance_type: it(),
            },
            "t3.small: prefix delegation needs a Nitro or bare-metal type; ipamd falls back to secondary IPs",
        ),
        (
            WarningKind::BranchPodsCountedAsPoolPods {
                instance_type: it(),
            },
            "t3.small: branch_eni_pods counted as ordinary pods (security groups for pods is off)",
        ),
        (
            WarningKind::NotTrunkingCompatible {
                instance_type: it(),
            },
            "t3.small: not trunking-compatible (the VPC resource controller's limits): no trunk ENI, so pods with security groups stay Pending on it",
        ),
        (
            WarningKind::TrunkLimitsUnknown {
                instance_type: it(),
            },
            "t3.small: trunk and branch ENI limits unknown (no catalogue gives them, the resource controller's table included: give is_trunking_compatible and branch_interface with --catalog); assumed trunking-compatible with no cap on branch ENIs",
        ),
        (
            WarningKind::BranchPodsPending {
                instance_type: it(),
                pods: 1,
                why: PendingWhy::MaxEni1NoTrunkSlot,
            },
            "t3.small: 1 branch-ENI pod per node stays Pending without an IP (MAX_ENI=1 leaves no slot for a trunk ENI)",
        ),
        (
            WarningKind::BranchPodsPending {
                instance_type: it(),
                pods: 3,
                why: PendingWhy::NoTrunk,
            },
            "t3.small: 3 branch-ENI pods per node stay Pending without an IP (no trunk ENI)",
        ),
        (
            WarningKind::BranchPodsPending {
                instance_type: it(),
                pods: 2,
                why: PendingWhy::PastBranchEnis { cap: 9 },
            },
            "t3.small: 2 branch-ENI pods per node stay Pending without an IP (past its 9 branch ENIs)",
        ),
        (
            WarningKind::BranchPodsPending {
                instance_type: it(),
                pods: 4,
                why: PendingWhy::PastMaxPods { max_pods: 29 },
            },
            "t3.small: 4 branch-ENI pods per node stay Pending without an IP (past max pods 29)",
        ),
        (
            WarningKind::PodsWithoutIp {
                instance_type: it(),
                pods: 1,
                max_pods: 11,
            },
            "t3.small: 1 pod per node gets no IP (over max pods 11, ENI capacity or the IP targets)",
        ),
        (
            WarningKind::PodsWithoutIp {
                instance_type: it(),
                pods: 7,
                max_pods: 11,
            },
            "t3.small: 7 pods per node get no IP (over max pods 11, ENI capacity or the IP targets)",
        ),
        (
            WarningKind::PoolOscillates {
                instance_type: it(),
                low: 81,
                high: 97,
            },
            "t3.small: a warm target of 0 makes the pool oscillate between 81 and 97 addresses per node; sized at the peak",
        ),
        (
            WarningKind::MaxPodsStopsPrefixPool {
                instance_type: it(),
                max_pods: 29,
                prefixes: 2,
                calculator: 110,
            },
            "t3.small: max_pods 29 with prefix delegation stops the pool at 2 prefixes; the calculator's prefix-delegation value is 110",
        ),
        (
            WarningKind::VcpusUnknown {
                instance_type: it(),
                cap: 110,
                max_pods: 110,
            },
            "t3.small: vCPUs unknown; assumed max-pods cap 110 (30 vCPUs or fewer, from its size name), max pods 110",
        ),
        (
            WarningKind::VcpusUnknown {
                instance_type: it(),
                cap: 250,
                max_pods: 234,
            },
            "t3.small: vCPUs unknown; assumed max-pods cap 250 (over 30 vCPUs), max pods 234",
        ),
        (
            WarningKind::PrefixBlocksShort {
                subnet: Subnet::of_size(25),
                needed: 591,
                available: 6,
            },
            "subnet /25: 591 /28 prefixes needed but it offers at most 6 aligned /28 blocks; prefix allocation will fail (InsufficientCidrBlocks)",
        ),
        (
            WarningKind::PrefixBlocksFragmented {
                subnet: Subnet::of_size(21),
                needed: 110,
                available: 126,
                singles: 17,
                reserve: 21,
            },
            "subnet /21: 110 /28 prefixes needed of 126 blocks, and 17 other addresses (ENI primaries, node IPs) can fragment it; reserve a /21 prefix-type CIDR reservation (create-subnet-cidr-reservation --reservation-type prefix)",
        ),
        (
            WarningKind::SheetTotalsDiffer {
                differences: [
                    SheetTotalDiffers {
                        total: SheetTotal::UsedIps,
                        shown: 304.0,
                        computed: 351,
                    },
                    SheetTotalDiffers {
                        total: SheetTotal::RemainingIps,
                        shown: 206.5,
                        computed: 159,
                    },
                ]
                .into(),
            },
            "the sheet shows 304 IPs used (B8) where the formulas give 351, 206.5 IPs remaining (B10) where the formulas give 159: its stored values are stale (saved without recalculating) or its formulas differ from the published workbook's",
        ),
    ]
}

#[test]
fn warnings_read_as_they_did_when_worded_at_once() {
    for (kind, text) in every_kind() {
        assert_eq!(kind.to_string(), text);
        let mut direct = String::new();
        kind.word(&mut direct).unwrap();
        assert_eq!(direct, text);
    }
}

#[test]
fn every_code_is_its_own() {
    let kinds = every_kind();
    let mut codes: Vec<&str> = kinds.iter().map(|(k, _)| k.code()).collect();
    codes.dedup();
    // Every variant appears (several of one kind are listed together).
    assert_eq!(codes.len(), 18, "{codes:?}");
    let mut sorted = codes.clone();
    sorted.sort_unstable();
    sorted.dedup();
    assert_eq!(sorted.len(), codes.len(), "{codes:?}");
    assert!(codes.iter().all(|c| {
        c.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
    }));
}

#[test]
fn the_json_carries_the_code_the_text_the_figures_and_what_it_is_about() {
    let w = Warning {
        kind: WarningKind::PodsWithoutIp {
            instance_type: "t3.small".into(),
            pods: 7,
            max_pods: 11,
        },
        about: About::node_group(0),
    };
    assert_eq!(
        serde_json::to_string(&w).unwrap(),
        r#"{"code":"pods_without_ip","message":"t3.small: 7 pods per node get no IP (over max pods 11, ENI capacity or the IP targets)","instance_type":"t3.small","pods":7,"max_pods":11,"node_groups":[0]}"#
    );
    let w = Warning {
        kind: WarningKind::PrefixBlocksShort {
            subnet: Subnet::of_size(25),
            needed: 591,
            available: 6,
        },
        about: About::subnet(SubnetRole::Node, 1),
    };
    assert_eq!(
        serde_json::to_string(&w).unwrap(),
        r#"{"code":"prefix_blocks_short","message":"subnet /25: 591 /28 prefixes needed but it offers at most 6 aligned /28 blocks; prefix allocation will fail (InsufficientCidrBlocks)","subnet":"/25","needed":591,"available":6,"subnets":[{"role":"node","index":1}]}"#
    );
    let w = Warning::about_scenario(WarningKind::NoNodeSubnet);
    assert_eq!(
        serde_json::to_string(&w).unwrap(),
        r#"{"code":"no_node_subnet","message":"no node subnet given: subnet capacity is 0"}"#
    );
    let w = Warning {
        kind: WarningKind::BranchPodsPending {
            instance_type: "t3.small".into(),
            pods: 2,
            why: PendingWhy::PastBranchEnis { cap: 9 },
        },
        about: About::node_group(2),
    };
    let v: serde_json::Value = serde_json::to_value(&w).unwrap();
    assert_eq!(
        v["why"],
        serde_json::json!({"reason": "past_branch_enis", "cap": 9})
    );
    assert_eq!(v["node_groups"], serde_json::json!([2]));
}

#[test]
fn a_kind_found_again_is_about_each_place_it_was_found() {
    let kind = || WarningKind::TrunkLimitsUnknown {
        instance_type: "x.large".into(),
    };
    let mut warnings = Warnings::default();
    warnings.add(kind(), About::node_group(0));
    warnings.add(WarningKind::NoNodeSubnet, About::Scenario);
    warnings.add(kind(), About::node_group(2));
    warnings.add(kind(), About::node_group(0));
    let all = warnings.into_vec();
    assert_eq!(all.len(), 2);
    assert_eq!(all[0].about.node_groups(), [0, 2]);
    assert!(all[1].about.node_groups().is_empty());
    assert_eq!(
        join(&all, "; "),
        "x.large: trunk and branch ENI limits unknown (no catalogue gives them, the resource controller's table included: give is_trunking_compatible and branch_interface with --catalog); assumed trunking-compatible with no cap on branch ENIs; no node subnet given: subnet capacity is 0"
    );
}

#[test]
fn a_warning_stays_small() {
    // Millions are made in a big run: no text, a shared type name, at most a few numbers.
    assert!(
        std::mem::size_of::<Warning>() <= 80,
        "{}",
        std::mem::size_of::<Warning>()
    );
}
