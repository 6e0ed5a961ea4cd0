//! The declared minimum Rust version is true: no locked dependency asks for a newer one. (A
//! build with that older toolchain is not possible offline with one toolchain installed, so the
//! locked packages' own `rust-version` fields are compared instead.)

use std::process::Command;

/// `1.88` and `1.88.0` alike: (major, minor, patch).
fn version(text: &str) -> [u32; 3] {
    let mut parts = text.split('.').map(|p| p.parse().unwrap_or(0));
    [0; 3].map(|_| parts.next().unwrap_or(0))
}

#[test]
fn no_locked_dependency_needs_a_newer_rust_than_declared() {
    let declared = env!("CARGO_PKG_RUST_VERSION");
    assert!(!declared.is_empty(), "Cargo.toml declares rust-version");
    let host = Command::new(std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into()))
        .arg("-vV")
        .output()
        .expect("rustc -vV");
    let host = String::from_utf8_lossy(&host.stdout)
        .lines()
        .find_map(|l| l.strip_prefix("host: ").map(str::to_owned))
        .expect("rustc names its host");
    let out = Command::new(env!("CARGO"))
        .args(["metadata", "--format-version", "1", "--locked", "--offline"])
        .args(["--filter-platform", &host])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("cargo metadata");
    assert!(
        out.status.success(),
        "cargo metadata: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let metadata: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let used: std::collections::HashSet<&str> = metadata["resolve"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|n| n["id"].as_str())
        .collect();
    let mut newest = (version("0"), String::new());
    let mut too_new = Vec::new();
    for package in metadata["packages"].as_array().unwrap() {
        if !used.contains(package["id"].as_str().unwrap_or_default()) {
            continue;
        }
        let Some(needs) = package["rust_version"].as_str() else {
            continue;
        };
        let name = format!("{} {}", package["name"], package["version"]);
        if version(needs) > version(declared) {
            too_new.push(format!("{name} needs {needs}"));
        }
        if version(needs) > newest.0 {
            newest = (version(needs), format!("{name} ({needs})"));
        }
    }
    assert!(
        too_new.is_empty(),
        "rust-version = {declared} in Cargo.toml, but {}",
        too_new.join(", ")
    );
    assert!(
        !newest.1.is_empty(),
        "some locked package declares a rust-version"
    );
}
