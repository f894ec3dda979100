//! Compiles the end-to-end tests as *ignored*, with their reason, unless `FASTGEN_E2E=1`
//! (which `scripts/test.sh` sets after installing the tools they drive). A skipped
//! end-to-end test then shows as skipped in the test summary, never as passed.
//!
//! The upgrade test builds fastgen at an earlier commit of this repository
//! ([`UPGRADE_BASE`]); it is compiled as ignored, with its reason, when the clone does not
//! have that commit (a shallow clone).

use std::process::Command;

/// The first commit whose fastgen records baselines: the upgrade test generates with it and
/// updates with the current build.
const UPGRADE_BASE: &str = "cfc7c444b5b6b5629e2bd4cbbc4e87e81619a6cf";

fn main() {
    println!("cargo::rustc-check-cfg=cfg(fastgen_e2e)");
    println!("cargo::rustc-check-cfg=cfg(fastgen_upgrade_base)");
    println!("cargo::rerun-if-env-changed=FASTGEN_E2E");
    println!("cargo::rerun-if-changed=build.rs");
    if std::env::var_os("FASTGEN_E2E").is_some_and(|v| v == "1") {
        println!("cargo::rustc-cfg=fastgen_e2e");
    }
    println!("cargo::rustc-env=FASTGEN_UPGRADE_BASE={UPGRADE_BASE}");
    let manifest = std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default();
    let present = Command::new("git")
        .arg("-C")
        .arg(&manifest)
        .args(["cat-file", "-e", &format!("{UPGRADE_BASE}^{{commit}}")])
        .status()
        .is_ok_and(|status| status.success());
    if present {
        println!("cargo::rustc-cfg=fastgen_upgrade_base");
    }
}
