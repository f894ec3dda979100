//! Finds the shared OpenAPI corpus the corpus test reads in place (`$FASTGEN_OPENAPI_CORPUS`,
//! else `shared/corpus/openapi` beside the checkout or any of its ancestors). When it is
//! absent — a clone of this repository alone — the test is compiled as ignored, so it shows
//! as skipped with its reason instead of failing or passing.

use std::path::PathBuf;

fn main() {
    println!("cargo::rustc-check-cfg=cfg(fastgen_corpus)");
    // The client's type-checking tests drive TypeScript from `.cache/tools/client`, which
    // `scripts/test.sh` installs before it sets FASTGEN_E2E=1; without it they are ignored.
    println!("cargo::rustc-check-cfg=cfg(fastgen_e2e)");
    println!("cargo::rerun-if-env-changed=FASTGEN_E2E");
    if std::env::var_os("FASTGEN_E2E").is_some_and(|v| v == "1") {
        println!("cargo::rustc-cfg=fastgen_e2e");
    }
    println!("cargo::rerun-if-env-changed=FASTGEN_OPENAPI_CORPUS");
    println!("cargo::rerun-if-changed=build.rs");
    let manifest = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default());
    let found = match std::env::var_os("FASTGEN_OPENAPI_CORPUS") {
        Some(dir) => Some(PathBuf::from(dir)),
        None => manifest.ancestors().map(|dir| dir.join("shared/corpus/openapi")).find(|dir| dir.is_dir()),
    };
    // Without the corpus there is no watch on its missing path: Cargo would run this script on
    // every build, and a release build would relink the binary each time (package.sh and the
    // wheel must share one build). A corpus that appears later is picked up by `cargo clean -p
    // fastgen-openapi` or by setting FASTGEN_OPENAPI_CORPUS.
    if let Some(dir) = found.filter(|dir| dir.is_dir()) {
        println!("cargo::rerun-if-changed={}", dir.display());
        println!("cargo::rustc-cfg=fastgen_corpus");
        println!("cargo::rustc-env=FASTGEN_CORPUS_DIR={}", dir.display());
    }
}
