//! The warnings of an evaluation, kept as what they say and worded only when they are shown: a
//! big run makes millions of them, most written into a CSV field or only counted, so the common
//! ones are a few numbers and a shared instance-type name rather than a text each.

use std::fmt;
use std::sync::Arc;

use serde::{Serialize, Serializer};

use crate::scenario::Subnet;

/// Something the user should know about an evaluation (a fallback, an assumption, a
/// fragmentation risk). Its text is its [`fmt::Display`]. The engine makes each kind of warning
/// as one variant only, and each variant shows every value it holds, so two of its warnings are
/// equal (and hash alike) exactly when their texts are: what the run summary relies on to count
/// them by text without wording them. Compared with a text (`warning == "…"`), a warning is
/// compared by its text.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Warning {
    /// A warning worded where it was found (the rarer kinds).
    Text(String),
    /// Pool pods per node that get no address.
    PodsWithoutIp {
        /// The node group's instance type, as written.
        instance_type: Arc<str>,
        /// Pods per node without an address.
        pods: u32,
        /// The node's max pods.
        max_pods: u32,
    },
    /// Prefix delegation asked for on a type that cannot use it.
    NoPrefixDelegation {
        /// The node group's instance type, as written.
        instance_type: Arc<str>,
    },
    /// A pool that oscillates with a warm target of 0.
    Oscillating {
        /// The node group's instance type, as written.
        instance_type: Arc<str>,
        /// Subnet addresses per node at the trough.
        low: u32,
        /// Subnet addresses per node at the peak.
        high: u32,
    },
    /// A subnet without enough aligned /28 blocks for its prefixes.
    PrefixesShort {
        /// The subnet.
        subnet: Subnet,
        /// /28 prefixes needed.
        needed: i64,
        /// Aligned /28 blocks it offers.
        available: i64,
    },
    /// A subnet whose /28 blocks its other addresses can fragment.
    PrefixesFragmented {
        /// The subnet.
        subnet: Subnet,
        /// /28 prefixes needed.
        needed: i64,
        /// Aligned /28 blocks it offers.
        available: i64,
        /// Its other addresses (ENI primaries, node IPs).
        singles: i64,
        /// The prefix length of the reservation that holds the prefixes.
        reserve: u32,
    },
}

/// Writes pieces of text and whole numbers in turn: the common warnings are worded this way
/// rather than through `write!`, whose formatting machinery costs several times more.
enum Piece<'a> {
    Text(&'a str),
    Number(i64),
}

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
        None => pieces(
            f,
            &[
                Piece::Text("/"),
                Piece::Number(i64::from(subnet.prefix_len)),
            ],
        ),
        Some(_) => write!(f, "{subnet}"),
    }
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.word(f)
    }
}

impl Warning {
    /// Writes the warning's text into `f` (a `String` directly, or a formatter).
    pub fn word(&self, f: &mut impl fmt::Write) -> fmt::Result {
        use Piece::{Number as N, Text as T};
        match self {
            Warning::Text(text) => f.write_str(text),
            Warning::PodsWithoutIp {
                instance_type,
                pods,
                max_pods,
            } => {
                let (pods_word, verb) = if *pods == 1 {
                    (" pod per node ", "gets")
                } else {
                    (" pods per node ", "get")
                };
                pieces(
                    f,
                    &[
                        T(instance_type),
                        T(": "),
                        N(i64::from(*pods)),
                        T(pods_word),
                        T(verb),
                        T(" no IP (over max pods "),
                        N(i64::from(*max_pods)),
                        T(", ENI capacity or the IP targets)"),
                    ],
                )
            }
            Warning::NoPrefixDelegation { instance_type } => pieces(
                f,
                &[
                    T(instance_type),
                    T(
                        ": prefix delegation needs a Nitro or bare-metal type; ipamd falls back \
                       to secondary IPs",
                    ),
                ],
            ),
            Warning::Oscillating {
                instance_type,
                low,
                high,
            } => pieces(
                f,
                &[
                    T(instance_type),
                    T(": a warm target of 0 makes the pool oscillate between "),
                    N(i64::from(*low)),
                    T(" and "),
                    N(i64::from(*high)),
                    T(" addresses per node; sized at the peak"),
                ],
            ),
            Warning::PrefixesShort {
                subnet,
                needed,
                available,
            } => {
                self::subnet(f, subnet)?;
                pieces(
                    f,
                    &[
                        T(": "),
                        N(*needed),
                        T(" /28 prefixes needed but it offers at most "),
                        N(*available),
                        T(" aligned /28 blocks; prefix allocation will fail \
                           (InsufficientCidrBlocks)"),
                    ],
                )
            }
            Warning::PrefixesFragmented {
                subnet,
                needed,
                available,
                singles,
                reserve,
            } => {
                self::subnet(f, subnet)?;
                pieces(
                    f,
                    &[
                        T(": "),
                        N(*needed),
                        T(" /28 prefixes needed of "),
                        N(*available),
                        T(" blocks, and "),
                        N(*singles),
                        T(
                            " other addresses (ENI primaries, node IPs) can fragment it; reserve \
                           a /",
                        ),
                        N(i64::from(*reserve)),
                        T(
                            " prefix-type CIDR reservation (create-subnet-cidr-reservation \
                           --reservation-type prefix)",
                        ),
                    ],
                )
            }
        }
    }

    /// Whether the warning's text holds `needle`.
    pub fn contains(&self, needle: &str) -> bool {
        self.to_string().contains(needle)
    }
}

impl From<String> for Warning {
    fn from(text: String) -> Self {
        Warning::Text(text)
    }
}

impl From<&str> for Warning {
    fn from(text: &str) -> Self {
        Warning::Text(text.to_owned())
    }
}

impl PartialEq<str> for Warning {
    fn eq(&self, other: &str) -> bool {
        match self {
            Warning::Text(text) => text == other,
            _ => {
                let mut text = String::new();
                let _ = self.word(&mut text);
                text == other
            }
        }
    }
}

impl PartialEq<&str> for Warning {
    fn eq(&self, other: &&str) -> bool {
        self == *other
    }
}

impl PartialEq<String> for Warning {
    fn eq(&self, other: &String) -> bool {
        self == other.as_str()
    }
}

impl Serialize for Warning {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// An evaluation's warnings as the engine collects them: each once, in the order found.
#[derive(Debug, Default)]
pub(crate) struct Warnings(Vec<Warning>);

impl Warnings {
    /// Adds a warning, unless an equal one is there already.
    pub(crate) fn add(&mut self, warning: impl Into<Warning>) {
        let warning = warning.into();
        if !self.0.contains(&warning) {
            self.0.push(warning);
        }
    }

    /// The warnings, in the order found.
    pub(crate) fn into_vec(self) -> Vec<Warning> {
        self.0
    }
}

/// The warnings' texts joined by `sep`, appended to `out`.
pub fn join_into(out: &mut String, warnings: &[Warning], sep: &str) {
    for (i, w) in warnings.iter().enumerate() {
        if i > 0 {
            out.push_str(sep);
        }
        let _ = w.word(out);
    }
}

/// The warnings' texts joined by `sep`.
pub fn join(warnings: &[Warning], sep: &str) -> String {
    let mut out = String::new();
    join_into(&mut out, warnings, sep);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn warnings_read_as_they_did_when_worded_at_once() {
        let t3: Arc<str> = "t3.small".into();
        let cases = [
            (
                Warning::PodsWithoutIp {
                    instance_type: t3.clone(),
                    pods: 1,
                    max_pods: 11,
                },
                "t3.small: 1 pod per node gets no IP (over max pods 11, ENI capacity or the IP targets)",
            ),
            (
                Warning::PodsWithoutIp {
                    instance_type: t3.clone(),
                    pods: 7,
                    max_pods: 11,
                },
                "t3.small: 7 pods per node get no IP (over max pods 11, ENI capacity or the IP targets)",
            ),
            (
                Warning::NoPrefixDelegation {
                    instance_type: t3.clone(),
                },
                "t3.small: prefix delegation needs a Nitro or bare-metal type; ipamd falls back to secondary IPs",
            ),
            (
                Warning::Oscillating {
                    instance_type: t3,
                    low: 81,
                    high: 97,
                },
                "t3.small: a warm target of 0 makes the pool oscillate between 81 and 97 addresses per node; sized at the peak",
            ),
            (
                Warning::PrefixesShort {
                    subnet: Subnet::of_size(25),
                    needed: 591,
                    available: 6,
                },
                "subnet /25: 591 /28 prefixes needed but it offers at most 6 aligned /28 blocks; prefix allocation will fail (InsufficientCidrBlocks)",
            ),
            (
                Warning::PrefixesFragmented {
                    subnet: Subnet::of_size(21),
                    needed: 110,
                    available: 126,
                    singles: 17,
                    reserve: 21,
                },
                "subnet /21: 110 /28 prefixes needed of 126 blocks, and 17 other addresses (ENI primaries, node IPs) can fragment it; reserve a /21 prefix-type CIDR reservation (create-subnet-cidr-reservation --reservation-type prefix)",
            ),
        ];
        for (warning, text) in cases {
            assert_eq!(warning.to_string(), text);
            assert_eq!(warning, text);
            assert_eq!(
                serde_json::to_string(&warning).unwrap(),
                format!("{text:?}")
            );
        }
    }
}
