//! The recommendation: which of the weighed options to choose, and why each other one is not,
//! by the rule docs/models.md writes as a list:
//!
//! 1. Only options with figures are candidates.
//! 2. If some fit in every phase known, keep those; then the fewest pods without an address;
//!    then those keeping at least `--min-warm-ips` addresses warm per node (if none does, the
//!    most warm); then the most headroom; then the fewest EC2 calls for the cluster; then the
//!    fewest addresses; then the first listed (so today's settings win a full tie).
//! 3. If none fits: the one needing the smallest subnets (the longest node-subnet prefix, then
//!    pod-subnet prefix), then the fewest pods without an address, the fewest EC2 calls, the
//!    first listed.

use crate::evaluation::advice::{AdviceOption, OptionFigures, Reason};

type Candidates<'a> = Vec<(usize, &'a OptionFigures)>;

/// The index of the option to recommend among `options`, and the reason each other candidate
/// lost, by index. `None` when no option has figures.
pub fn recommend(options: &[AdviceOption], min_warm: u32) -> (Option<usize>, Vec<(usize, Reason)>) {
    let mut lost = Vec::new();
    let candidates: Candidates = options
        .iter()
        .enumerate()
        .filter_map(|(i, o)| o.figures.as_ref().map(|f| (i, f)))
        .collect();
    let (mut left, not): (Candidates, Candidates) = candidates
        .into_iter()
        .partition(|(_, f)| f.fits.everywhere());
    for (i, f) in &not {
        let fullest_pct = f.fullest_subnet_pct;
        lost.push((*i, Reason::DoesNotFit { fullest_pct }));
    }
    if left.is_empty() {
        let chosen = smallest_subnets(not);
        lost.retain(|(i, _)| Some(*i) != chosen);
        return (chosen, lost);
    }
    drop_worse(
        &mut left,
        &mut lost,
        &|f| f.pods_without_ip,
        &|pods, best| Reason::MorePodsWithoutIp { pods, best },
    );
    let warm = |f: &OptionFigures| f.warm_ips_per_node;
    if left.iter().any(|(_, f)| warm(f) >= min_warm) {
        // At or above the minimum, every count is as good: the next steps decide.
        left.retain(|(i, f)| {
            let keep = warm(f) >= min_warm;
            if !keep {
                lost.push((
                    *i,
                    Reason::FewerWarm {
                        warm: warm(f),
                        min: min_warm,
                    },
                ));
            }
            keep
        });
    } else {
        drop_worse(&mut left, &mut lost, &|f| -i64::from(warm(f)), &|has, _| {
            Reason::FewerWarm {
                warm: u32::try_from(-has).unwrap_or(0),
                min: min_warm,
            }
        });
    }
    drop_worse(
        &mut left,
        &mut lost,
        &|f| -f.headroom_nodes.unwrap_or(-1),
        &|has, best| Reason::LessHeadroom {
            has: -has,
            best: -best,
        },
    );
    drop_worse(&mut left, &mut lost, &|f| calls(f), &|has, best| {
        Reason::MoreCalls {
            has: has as u64,
            best: best as u64,
        }
    });
    drop_worse(
        &mut left,
        &mut lost,
        &OptionFigures::all_ips,
        &|has, best| Reason::MoreAddresses { has, best },
    );
    let chosen = left[0].0;
    for (i, _) in &left[1..] {
        lost.push((
            *i,
            Reason::Tie {
                with: options[chosen].id,
            },
        ));
    }
    (Some(chosen), lost)
}

/// No option fits: the one needing the smallest subnets.
fn smallest_subnets(mut left: Candidates) -> Option<usize> {
    // The longest prefix needed is the smallest subnet; none at all is the worst.
    let prefix = |p: Option<u8>| -i64::from(p.unwrap_or(0));
    keep_least(&mut left, &|f| prefix(f.min_subnet_prefix));
    keep_least(&mut left, &|f| prefix(f.pod_subnet_min_prefix));
    keep_least(&mut left, &|f| f.pods_without_ip);
    keep_least(&mut left, &calls);
    left.first().map(|(i, _)| *i)
}

/// The cluster's EC2 calls as a sort key.
fn calls(f: &OptionFigures) -> i64 {
    i64::try_from(f.ec2_calls_total).unwrap_or(i64::MAX)
}

/// [`keep_least`], each dropped candidate losing with `why(its key, the least)`.
fn drop_worse(
    left: &mut Candidates,
    lost: &mut Vec<(usize, Reason)>,
    key: &dyn Fn(&OptionFigures) -> i64,
    why: &dyn Fn(i64, i64) -> Reason,
) {
    for (i, has, best) in keep_least(left, key) {
        lost.push((i, why(has, best)));
    }
}

/// Keeps the candidates with the least `key`; returns those dropped, each with its key and the
/// least.
fn keep_least(
    left: &mut Candidates,
    key: &dyn Fn(&OptionFigures) -> i64,
) -> Vec<(usize, i64, i64)> {
    let Some(best) = left.iter().map(|(_, f)| key(f)).min() else {
        return Vec::new();
    };
    let mut dropped = Vec::new();
    left.retain(|(i, f)| {
        let k = key(f);
        if k != best {
            dropped.push((*i, k, best));
        }
        k == best
    });
    dropped
}
