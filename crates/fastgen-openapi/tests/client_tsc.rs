//! The generated TypeScript client type-checks under the strictest settings users run, with
//! every TypeScript major the tests install (5.9, 6.0, 7.0) and `TanStack` Query at 5.60.6 and
//! the newest 5.x: the compile-time tests of `fixtures/client/type-tests.ts` (each
//! `@ts-expect-error` must fail, everything else must pass) and every document of the shared
//! corpus. TypeScript comes from `.cache/tools/client` (`scripts/install-tools.sh`), so the
//! tests run when `FASTGEN_E2E=1` (`scripts/test.sh`) and show as skipped otherwise.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use fastgen_openapi::emit::client_files;
use fastgen_openapi::parse;

/// Every strictness flag a demanding project turns on.
const TSCONFIG: &str = r#"{
  "compilerOptions": {
    "target": "ES2022",
    "lib": ["ES2022", "DOM", "DOM.Iterable"],
    "module": "ESNext",
    "moduleResolution": "bundler",
    "strict": true,
    "exactOptionalPropertyTypes": true,
    "noUncheckedIndexedAccess": true,
    "noPropertyAccessFromIndexSignature": true,
    "noImplicitOverride": true,
    "noUnusedLocals": true,
    "noUnusedParameters": true,
    "verbatimModuleSyntax": true,
    "isolatedModules": true,
    "noEmit": true,
    "skipLibCheck": true
  }
}
"#;

/// The same, resolving `@tanstack/react-query` to the newest 5.x.
const TSCONFIG_NEWEST: &str = r#"{
  "extends": "./tsconfig.json",
  "compilerOptions": { "paths": { "@tanstack/react-query": ["./node_modules/react-query-newest"] } }
}
"#;

fn tools() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../.cache/tools/client/node_modules")
}

/// Write the client of `spec` into `dir`.
fn generate(spec: &str, dir: &Path, source: &str) {
    let model = parse(spec).unwrap_or_else(|err| panic!("{source}: {err}"));
    let client = client_files(&model, None, source).unwrap();
    std::fs::create_dir_all(dir).unwrap();
    for (name, text) in client.files {
        std::fs::write(dir.join(name), text).unwrap();
    }
}

/// A project in `root` with the tools' `node_modules` and both tsconfigs.
fn project(root: &Path) {
    std::os::unix::fs::symlink(tools(), root.join("node_modules")).unwrap();
    std::fs::write(root.join("tsconfig.json"), TSCONFIG).unwrap();
    std::fs::write(root.join("tsconfig.newest.json"), TSCONFIG_NEWEST).unwrap();
}

/// Run every TypeScript over the project (the newest `TanStack` Query with TypeScript 5.9).
fn type_check(root: &Path) {
    let runs = [
        ("typescript", "tsconfig.json"),
        ("typescript6", "tsconfig.json"),
        ("typescript7", "tsconfig.json"),
        ("typescript", "tsconfig.newest.json"),
    ];
    for (package, config) in runs {
        let started = Instant::now();
        let tsc = root.join("node_modules").join(package).join("bin/tsc");
        let output = Command::new("node").arg(&tsc).args(["-p", config]).current_dir(root).output().unwrap();
        eprintln!("{package} -p {config}: {:.1}s", started.elapsed().as_secs_f64());
        assert!(
            output.status.success(),
            "{package} -p {config} failed:\n{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
    }
}

#[test]
#[cfg_attr(
    not(fastgen_e2e),
    ignore = "needs FASTGEN_E2E=1 and TypeScript in .cache/tools/client (scripts/test.sh installs and sets both)"
)]
fn the_demo_client_passes_its_compile_time_tests() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/client");
    let temp = tempfile::tempdir().unwrap();
    let root = temp.path();
    project(root);
    let spec = std::fs::read_to_string(fixtures.join("demo.json")).unwrap();
    generate(&spec, &root.join("generated"), "demo.json");
    std::fs::copy(fixtures.join("type-tests.ts"), root.join("type-tests.ts")).unwrap();
    type_check(root);
}

#[test]
#[cfg_attr(
    not(all(fastgen_e2e, fastgen_corpus)),
    ignore = "needs FASTGEN_E2E=1 with TypeScript in .cache/tools/client, and the OpenAPI corpus in shared/corpus beside the checkout (CI has both)"
)]
fn every_corpus_document_gives_a_client_that_type_checks() {
    let openapi = PathBuf::from(option_env!("FASTGEN_CORPUS_DIR").unwrap_or_default());
    let temp = tempfile::tempdir().unwrap();
    let root = temp.path();
    project(root);
    let mut count = 0;
    for dir in [openapi.clone(), openapi.with_file_name("openapi-more")] {
        let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|entry| entry.unwrap().path())
            .filter(|path| path.extension().is_some_and(|e| e == "json"))
            .filter(|path| path.file_name().is_some_and(|name| name != "expectations.json"))
            .collect();
        files.sort();
        for file in files {
            let name = file.file_name().unwrap().to_string_lossy().into_owned();
            let text = std::fs::read_to_string(&file).unwrap();
            // The one document that is invalid on purpose is refused (corpus.rs checks how).
            if parse(&text).is_err() && name == "chroma-core__chroma__sync.json" {
                continue;
            }
            generate(&text, &root.join("generated").join(name.trim_end_matches(".json")), &name);
            count += 1;
        }
    }
    assert!(count >= 25, "only {count} documents");
    type_check(root);
}

#[test]
#[cfg_attr(
    not(fastgen_e2e),
    ignore = "needs FASTGEN_E2E=1 and TypeScript and esbuild in .cache/tools/client (scripts/test.sh installs and sets both)"
)]
fn the_client_runtime_passes_its_node_tests_and_size_budget() {
    // tests/client_runtime/check.sh: tsc 5.9 and 6.0 (bundler and nodenext) over the runtime
    // alone and as the top of a client, its node:test suite (fake fetch and a real HTTP
    // server: encoding, bodies, errors, every byte-fragment case of the three stream
    // formats, cancellation), and one operation's bundle under 3 KB gzip.
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/client_runtime/check.sh");
    let output = Command::new("bash").arg(&script).output().unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    eprintln!(
        "{}",
        stdout
            .lines()
            .filter(|l| l.starts_with("size:") || l.starts_with("# "))
            .collect::<Vec<_>>()
            .join("\n")
    );
    assert!(
        output.status.success(),
        "check.sh failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
}
