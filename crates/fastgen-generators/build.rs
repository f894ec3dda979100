//! Rebuild when a template or a version pin changes: both are embedded at compile time.
fn main() {
    println!("cargo:rerun-if-changed=templates");
    println!("cargo:rerun-if-changed=versions");
    // A distribution build pins itself in the workspaces it writes (src/distribution.rs).
    println!("cargo:rerun-if-env-changed=FASTGEN_DISTRIBUTION");
}
