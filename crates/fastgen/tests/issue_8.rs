//! Issue #8, items 6 and 7: a generated workspace works with pnpm 10 and the newest pnpm 12
//! without a version switch, and `generate` refuses to run outside an Nx workspace.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use common::{Fixture, dir_state, fastgen};

const NOT_A_WORKSPACE_HINT: &str = "hint: create a workspace with `fastgen new <dir>` and run this command inside it, or pass `-C <dir>` of an existing workspace";

/// Run `args` in `cwd` and check it is refused as outside a workspace (`start` named in the
/// error, exit code 1) with nothing under `watched` changed.
fn refused_outside(cwd: &Path, args: &[&str], start: &Path, watched: &Path) {
    let before = dir_state(watched);
    let run = fastgen(cwd, args);
    assert_eq!(run.code, 1, "{args:?}: {run:?}");
    assert_eq!(
        run.error_line(),
        format!(
            "error: `{}` is not inside an Nx workspace: neither it nor any directory above it has an `nx.json`",
            start.display()
        ),
        "{args:?}: {run:?}"
    );
    assert_eq!(run.hint_line(), NOT_A_WORKSPACE_HINT, "{args:?}: {run:?}");
    if args.contains(&"--json") {
        let document: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
        assert_eq!(document["error"].as_str(), run.error_line().strip_prefix("error: "));
        assert_eq!(document["hint"].as_str(), NOT_A_WORKSPACE_HINT.strip_prefix("hint: "));
    } else {
        assert_eq!(run.stdout, "", "{args:?}: {run:?}");
    }
    assert_eq!(dir_state(watched), before, "{args:?} wrote into a folder with no `nx.json`");
}

#[test]
fn issue_8_generate_outside_a_workspace_is_refused_and_writes_nothing() {
    let temp = tempfile::tempdir().unwrap();
    // A folder that looks like a project (a package.json, a pyproject.toml, a fastgen.toml)
    // but has no `nx.json`, with a subdirectory to run from.
    let folder = temp.path().join("folder");
    std::fs::create_dir_all(folder.join("src")).unwrap();
    std::fs::write(folder.join("package.json"), "{\"name\": \"@acme/source\"}\n").unwrap();
    std::fs::write(folder.join("pyproject.toml"), "[project]\nname = \"x\"\n").unwrap();
    std::fs::write(folder.join("fastgen.toml"), "iac-provider = \"CDK\"\nscope = \"acme\"\n").unwrap();
    let folder = folder.canonicalize().unwrap();
    let sub = folder.join("src");
    for args in [
        &["generate", "fast-api", "my-api"][..],
        // What the old error told users to add, and what then wrote 19-32 files.
        &["generate", "fast-api", "my-api", "--iacProvider", "CDK"],
        &["generate", "fast-api", "my-api", "--iacProvider", "Terraform"],
        &["g", "py#api", "my-api", "--dry-run"],
        &["generate", "fast-api"],
        &["generate", "infra"],
        &["generate", "infra", "--dry-run", "--json"],
    ] {
        refused_outside(&folder, args, &folder, temp.path());
        refused_outside(&sub, args, &sub, temp.path());
    }
    // `-C` names the start directory; `..` is resolved before looking upwards.
    refused_outside(temp.path(), &["-C", "folder", "generate", "infra"], &folder, temp.path());
    refused_outside(&sub, &["-C", "../src/..", "generate", "fast-api", "api"], &folder, temp.path());
    // `nx.json` must be a file.
    std::fs::create_dir(folder.join("nx.json")).unwrap();
    refused_outside(&folder, &["generate", "fast-api", "api", "--iacProvider", "CDK"], &folder, temp.path());
}

#[test]
fn issue_8_generate_finds_the_workspace_above_the_current_directory_and_c() {
    let fixture = Fixture::new(&[]);
    let packages = fixture.root.join("packages");
    std::fs::create_dir_all(&packages).unwrap();
    let run = fastgen(&packages, &["generate", "fast-api", "first"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(fixture.root.join("packages/first/project.json").is_file(), "{run:?}");
    let run = fastgen(fixture.temp.path(), &["-C", "demo/packages", "generate", "fast-api", "second"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(fixture.root.join("packages/second/project.json").is_file(), "{run:?}");
    let run = fastgen(&packages, &["generate", "infra"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(fixture.root.join("packages/infra/project.json").is_file(), "{run:?}");
    assert!(!packages.join("packages").exists(), "a nested workspace was started in `packages`");
}

#[test]
fn issue_8_a_missing_c_directory_stays_a_usage_error() {
    let temp = tempfile::tempdir().unwrap();
    let before = dir_state(temp.path());
    let run = fastgen(temp.path(), &["-C", "nowhere", "generate", "fast-api", "api"]);
    assert_eq!(run.code, 2, "{run:?}");
    assert_eq!(
        run.error_line(),
        format!("error: the workspace directory `{}` does not exist", temp.path().join("nowhere").display())
    );
    assert_eq!(dir_state(temp.path()), before);
}

/// The two pnpm versions of item 6: the one `scripts/install-tools.sh` puts on `PATH` (10.x,
/// the pnpm users have) and the newest 12.x it installs into `.cache/tools/pnpm-12`.
fn pnpms() -> [(String, PathBuf); 2] {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let npm: toml::Table = toml::from_str(
        &std::fs::read_to_string(repo.join("crates/fastgen-generators/versions/npm.toml")).unwrap(),
    )
    .unwrap();
    let version = |key: &str| npm["npm"][key].as_str().unwrap().to_owned();
    [
        (version("pnpm"), repo.join(".cache/tools/npm/node_modules/.bin")),
        (version("pnpm_12"), repo.join(".cache/tools/pnpm-12/node_modules/.bin")),
    ]
}

/// Run `command` with `sh` in `root` with `bin` first on `PATH`; panic with its output on
/// failure; return stdout and stderr together.
fn sh(root: &Path, bin: &Path, command: &str) -> String {
    let started = Instant::now();
    let path = format!(
        "{}:{}:{}",
        bin.display(),
        common::bin().parent().unwrap().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let output = Command::new("sh")
        .args(["-c", command])
        .current_dir(root)
        .env("PATH", path)
        .env("NO_COLOR", "1")
        .env("UV_PYTHON_DOWNLOADS", "never")
        .output()
        .unwrap();
    let text =
        format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    eprintln!("$ {command}  [{:.1}s]", started.elapsed().as_secs_f64());
    assert!(output.status.success(), "`{command}` failed in {}:\n{text}", root.display());
    text
}

/// pnpm ran itself: it did not switch versions, did not try to record a pnpm pin in the
/// lockfile (which resolves `@pnpm/exe` for every platform and fails on registries that lack
/// some), and warned about none of it (every such message names `packageManager`).
fn assert_no_switch(command: &str, output: &str) {
    for sign in ["packageManager", "Refusing", "ERR_PNPM", "signature", "pmOnFail"] {
        assert!(!output.contains(sign), "`{command}` printed `{sign}`:\n{output}");
    }
}

#[test]
#[cfg_attr(
    not(fastgen_e2e),
    ignore = "end-to-end: needs FASTGEN_E2E=1 and the tools scripts/install-tools.sh installs (scripts/test.sh sets both)"
)]
fn issue_8_pnpm_10_and_12_install_and_run_nx_without_switching_versions() {
    let pnpms = pnpms();
    assert!(pnpms[0].0.starts_with("10.") && pnpms[1].0.starts_with("12."), "{pnpms:?}");
    for (version, bin) in &pnpms {
        assert!(
            bin.join("pnpm").is_file(),
            "pnpm {version} is not in {}: run scripts/install-tools.sh",
            bin.display()
        );
        let fixture = Fixture::new(&["--api", "my-api"]);
        let root = &fixture.root;
        assert_eq!(sh(root, bin, "pnpm --version").trim(), version);
        for command in ["pnpm install", "pnpm install --frozen-lockfile"] {
            assert_no_switch(command, &sh(root, bin, command));
        }
        let lockfile = std::fs::read_to_string(root.join("pnpm-lock.yaml")).unwrap();
        assert!(!lockfile.contains("packageManagerDependencies"), "pnpm {version}:\n{lockfile}");
        let projects = sh(root, bin, "pnpm nx show projects");
        assert_no_switch("pnpm nx show projects", &projects);
        let mut listed: Vec<&str> = projects.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
        listed.sort_unstable();
        // `common-runtime`: the runtime package every API shares (packages/common/runtime).
        assert_eq!(listed, ["common-constructs", "common-runtime", "demo.my_api"], "pnpm {version}");
        // A real chain through Nx: the API's openapi (uv), `fastgen codegen metadata`, and
        // `tsc` from the packages pnpm installed, against aws-cdk-lib's types.
        let compile = sh(root, bin, "pnpm nx run common-constructs:compile --outputStyle=static");
        assert!(compile.contains("Successfully ran target compile"), "pnpm {version}:\n{compile}");
        assert!(root.join("packages/common/constructs/dist/index.js").is_file(), "pnpm {version}");
    }
}
