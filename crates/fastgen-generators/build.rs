//! Rebuild when a template or a version pin changes: both are embedded at compile time.
fn main() {
    println!("cargo:rerun-if-changed=templates");
    println!("cargo:rerun-if-changed=versions");
    // A distribution build pins itself in the workspaces it writes (src/distribution.rs).
    println!("cargo:rerun-if-env-changed=FASTGEN_DISTRIBUTION");
    // End-to-end tests (tests/sigv4.rs) compile as ignored, with their reason, unless
    // FASTGEN_E2E=1 (scripts/test.sh sets it after installing the tools they drive).
    println!("cargo::rustc-check-cfg=cfg(fastgen_e2e)");
    println!("cargo:rerun-if-env-changed=FASTGEN_E2E");
    if std::env::var_os("FASTGEN_E2E").is_some_and(|v| v == "1") {
        println!("cargo::rustc-cfg=fastgen_e2e");
    }
}
