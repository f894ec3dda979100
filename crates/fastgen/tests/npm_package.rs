//! fastgen on npm (packaging/npm, scripts/package.sh): the `fastgen` package (the launcher
//! and the Nx plugin) and one `@fastgen/<platform>` package per platform with the binary.
//!
//! Always: the committed versions agree with Cargo's, platforms.json describes the seven
//! platform packages consistently, and the launcher, the plugin and the release workflow read
//! that table instead of copying it.
//!
//! End-to-end (`FASTGEN_E2E=1` and the tools of scripts/install-tools.sh: node, pnpm, nx, uv):
//! the launcher's resolution, exit statuses, signals and errors with a staged package; the Nx
//! generator against a tree that records what it is given; and scripts/package.sh's tarballs
//! installed with pnpm into a plain Nx workspace that fastgen did not create, driven through
//! `nx g`, `nx show projects`, the API's `build` target and `pnpm exec fastgen`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::Instant;

use serde_json::{Value, json};

const VERSION: &str = env!("CARGO_PKG_VERSION");

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").canonicalize().unwrap()
}

/// The committed `fastgen` package.
fn package_dir() -> PathBuf {
    repo().join("packaging/npm/fastgen")
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn read_json(path: &Path) -> Value {
    serde_json::from_str(&read(path)).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn platforms() -> Vec<Value> {
    read_json(&package_dir().join("platforms.json"))["platforms"].as_array().unwrap().clone()
}

fn text<'a>(value: &'a Value, key: &str) -> &'a str {
    value[key].as_str().unwrap_or_else(|| panic!("no string `{key}` in {value}"))
}

#[test]
fn every_npm_version_is_the_crate_version() {
    let cargo: toml::Table = read(&repo().join("Cargo.toml")).parse().unwrap();
    let workspace = &cargo["workspace"]["package"];
    assert_eq!(workspace["version"].as_str(), Some(VERSION));

    let main = read_json(&package_dir().join("package.json"));
    assert_eq!(main["name"], "fastgen");
    assert_eq!(
        main["version"], VERSION,
        "packaging/npm/fastgen/package.json must have Cargo.toml's [workspace.package] version"
    );
    let optional = main["optionalDependencies"].as_object().expect("optionalDependencies");
    for (name, range) in optional {
        assert_eq!(range, VERSION, "optionalDependencies[{name}] must be exactly the crate version");
    }
    let declared: BTreeSet<&str> = optional.keys().map(String::as_str).collect();
    let listed: Vec<Value> = platforms();
    let listed: BTreeSet<&str> = listed.iter().map(|p| text(p, "package")).collect();
    assert_eq!(declared, listed, "optionalDependencies and platforms.json name different packages");

    assert_eq!(main["bin"], json!({ "fastgen": "bin/fastgen.js" }));
    assert_eq!(main["generators"], "./generators.json");
    assert_eq!(main["engines"]["node"], ">=18");
    assert_eq!(main["license"].as_str(), workspace["license"].as_str());
    let repository = workspace["repository"].as_str().unwrap();
    let url = main["repository"]["url"].as_str().unwrap();
    assert!(url.contains(repository.trim_start_matches("https://")), "{url} is not {repository}");
    // Nothing runs at install time, and no package manager is pinned.
    assert!(main.get("scripts").is_none(), "no install scripts: {}", main["scripts"]);
    assert!(main.get("packageManager").is_none());

    let files: Vec<&str> = main["files"].as_array().unwrap().iter().map(|f| f.as_str().unwrap()).collect();
    for needed in [
        "bin/fastgen.js",
        "lib/binary.js",
        "nx/generator.cjs",
        "nx/schemas/",
        "generators.json",
        "platforms.json",
        "README.md",
    ] {
        assert!(files.contains(&needed), "`files` lacks {needed}: {files:?}");
    }
    // The committed ones exist (generators.json and nx/schemas/ are written at package time).
    for committed in ["bin/fastgen.js", "lib/binary.js", "nx/generator.cjs", "platforms.json", "README.md"] {
        assert!(package_dir().join(committed).is_file(), "{committed}");
    }
}

#[test]
fn platforms_json_describes_the_seven_platform_packages_consistently() {
    let expected = [
        ("@fastgen/linux-x64-gnu", "x86_64-unknown-linux-gnu", "linux", "x64", Some("glibc")),
        ("@fastgen/linux-arm64-gnu", "aarch64-unknown-linux-gnu", "linux", "arm64", Some("glibc")),
        ("@fastgen/linux-x64-musl", "x86_64-unknown-linux-musl", "linux", "x64", Some("musl")),
        ("@fastgen/linux-arm64-musl", "aarch64-unknown-linux-musl", "linux", "arm64", Some("musl")),
        ("@fastgen/darwin-x64", "x86_64-apple-darwin", "darwin", "x64", None),
        ("@fastgen/darwin-arm64", "aarch64-apple-darwin", "darwin", "arm64", None),
        ("@fastgen/win32-x64", "x86_64-pc-windows-msvc", "win32", "x64", None),
    ];
    let platforms = platforms();
    let actual: Vec<_> = platforms
        .iter()
        .map(|p| (text(p, "package"), text(p, "target"), text(p, "os"), text(p, "cpu"), p["libc"].as_str()))
        .collect();
    assert_eq!(actual, expected);

    for platform in &platforms {
        let keys: BTreeSet<&str> = platform.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(keys, BTreeSet::from(["package", "target", "os", "cpu", "libc", "binary"]), "{platform}");
        let (target, os, cpu) = (text(platform, "target"), text(platform, "os"), text(platform, "cpu"));
        let libc = platform["libc"].as_str();
        // The npm fields follow from the Rust target triple.
        let arch = target.split('-').next().unwrap();
        assert_eq!(cpu, if arch == "x86_64" { "x64" } else { "arm64" }, "{target}");
        let target_os = if target.contains("-linux-") {
            "linux"
        } else if target.ends_with("-apple-darwin") {
            "darwin"
        } else {
            "win32"
        };
        assert_eq!(os, target_os, "{target}");
        let target_libc = match target.rsplit('-').next().unwrap() {
            "gnu" => Some("glibc"),
            "musl" => Some("musl"),
            _ => None,
        };
        assert_eq!(libc, target_libc, "{target}: libc is set on Linux only, and matches the target");
        let suffix = match libc {
            Some("glibc") => "-gnu",
            Some("musl") => "-musl",
            _ => "",
        };
        assert_eq!(text(platform, "package"), format!("@fastgen/{os}-{cpu}{suffix}"));
        assert_eq!(text(platform, "binary"), if os == "win32" { "fastgen.exe" } else { "fastgen" });
    }
}

#[test]
fn the_launcher_plugin_and_release_read_platforms_json_instead_of_copying_it() {
    let dir = package_dir();
    let binary_js = read(&dir.join("lib/binary.js"));
    assert!(binary_js.contains("require('../platforms.json')"), "lib/binary.js must read the table");
    for file in ["bin/fastgen.js", "lib/binary.js", "nx/generator.cjs"] {
        let source = read(&dir.join(file));
        assert!(!source.contains("@fastgen/"), "{file} names a platform package itself");
        for platform in platforms() {
            assert!(!source.contains(text(&platform, "target")), "{file} names a Rust target itself");
        }
    }
    // The command and the plugin share one resolution.
    let launcher = read(&dir.join("bin/fastgen.js"));
    assert!(launcher.starts_with("#!/usr/bin/env node\n"));
    assert!(launcher.contains("require('../lib/binary.js')"));
    let generator = read(&dir.join("nx/generator.cjs"));
    assert!(generator.contains("require('../lib/binary.js')"));
    // fastgen's bytes are applied as they are.
    assert!(
        !generator.contains("formatFiles(") && !generator.contains("@nx/devkit"),
        "the plugin must not format"
    );
    // The package builder and the release matrix derive from the same file.
    assert!(read(&repo().join("packaging/npm/manifest.cjs")).contains("'platforms.json'"));
    assert!(read(&repo().join("scripts/package.sh")).contains("manifest.cjs"));
    let release = read(&repo().join(".github/workflows/release.yml"));
    assert!(release.contains("packaging/npm/fastgen/platforms.json"), "release.yml must read platforms.json");
    assert!(release.contains("scripts/package.sh"));
}

// ---------------------------------------------------------------------------------------------
// End-to-end: node, pnpm, nx, uv.

/// This machine's entry of platforms.json, from how the test itself was compiled.
fn host_platform() -> Value {
    let cpu = match std::env::consts::ARCH {
        "x86_64" => "x64",
        "aarch64" => "arm64",
        other => panic!("no npm package for {other}"),
    };
    let os = match std::env::consts::OS {
        "linux" => "linux",
        "macos" => "darwin",
        "windows" => "win32",
        other => panic!("no npm package for {other}"),
    };
    let libc = (os == "linux").then_some(if cfg!(target_env = "musl") { "musl" } else { "glibc" });
    platforms()
        .into_iter()
        .find(|p| p["os"] == os && p["cpu"] == cpu && p["libc"].as_str() == libc)
        .unwrap_or_else(|| panic!("no platforms.json entry for {os} {cpu} {libc:?}"))
}

/// `<root>/node_modules/fastgen` as scripts/package.sh stages it: the committed files, and
/// generators.json and the Nx schemas written by the binary under test.
fn stage_main(root: &Path) -> PathBuf {
    let dir = root.join("node_modules/fastgen");
    for file in
        ["package.json", "platforms.json", "README.md", "bin/fastgen.js", "lib/binary.js", "nx/generator.cjs"]
    {
        std::fs::create_dir_all(dir.join(file).parent().unwrap()).unwrap();
        std::fs::copy(package_dir().join(file), dir.join(file)).unwrap();
    }
    let run = common::fastgen(root, &["schema", "--nx-collection"]);
    assert_eq!(run.code, 0, "{run:?}");
    std::fs::write(dir.join("generators.json"), &run.stdout).unwrap();
    let collection: Value = serde_json::from_str(&run.stdout).unwrap();
    for entry in collection["generators"].as_object().unwrap().values() {
        let name = text(entry, "factory").split_once('#').unwrap().1;
        let run = common::fastgen(root, &["schema", name, "--nx"]);
        assert_eq!(run.code, 0, "{run:?}");
        let schema = dir.join(text(entry, "schema"));
        std::fs::create_dir_all(schema.parent().unwrap()).unwrap();
        std::fs::write(schema, &run.stdout).unwrap();
    }
    dir
}

/// `<root>/node_modules/<platform package>` at `version`; `bin/<binary>` is a link to
/// `binary`. Returns the path of the binary in the package.
#[cfg(unix)]
fn stage_platform(root: &Path, platform: &Value, version: &str, binary: &Path) -> PathBuf {
    let dir = root.join("node_modules").join(text(platform, "package"));
    std::fs::create_dir_all(dir.join("bin")).unwrap();
    let manifest = json!({ "name": platform["package"], "version": version });
    std::fs::write(dir.join("package.json"), manifest.to_string()).unwrap();
    let file = dir.join("bin").join(text(platform, "binary"));
    let _ = std::fs::remove_file(&file);
    std::os::unix::fs::symlink(binary, &file).unwrap();
    file
}

/// A shell script `<dir>/<name>` with `body`, with `mode`.
#[cfg(unix)]
fn script(dir: &Path, name: &str, body: &str, mode: u32) -> PathBuf {
    use std::os::unix::fs::PermissionsExt;
    let path = dir.join(name);
    std::fs::write(&path, format!("#!/bin/sh\n{body}\n")).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode)).unwrap();
    path
}

/// `node <args>` in `cwd`, with `FASTGEN_BINARY` only when `env` sets it.
fn node(cwd: &Path, args: &[&Path], env: &[(&str, &Path)]) -> Output {
    let mut command = Command::new("node");
    command.args(args).current_dir(cwd).env_remove("FASTGEN_BINARY").env("NO_COLOR", "1");
    for (key, value) in env {
        command.env(key, value);
    }
    command.output().expect("node runs (scripts/install-tools.sh needs it too)")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[cfg(unix)]
#[test]
#[cfg_attr(
    not(fastgen_e2e),
    ignore = "end-to-end: needs FASTGEN_E2E=1 and the tools scripts/install-tools.sh installs (scripts/test.sh sets both)"
)]
fn the_launcher_runs_its_platform_package_s_binary_and_says_what_to_do_without_it() {
    use std::os::unix::process::ExitStatusExt;

    let temp = tempfile::tempdir().unwrap();
    let root = temp.path();
    let scripts = tempfile::tempdir().unwrap();
    let launcher = stage_main(root).join("bin/fastgen.js");
    let launcher = launcher.as_path();
    let platform = host_platform();
    let package = text(&platform, "package").to_owned();
    let installed = stage_platform(root, &platform, VERSION, &common::bin());

    // Found the way Node finds any file of an installed package; output and status pass through.
    let run = node(root, &[launcher, Path::new("--version")], &[]);
    assert_eq!((run.status.code(), stdout(&run)), (Some(0), format!("fastgen {VERSION}\n")), "{run:?}");
    let run = node(root, &[launcher, Path::new("--no-such-flag")], &[]);
    assert_eq!(run.status.code(), Some(2), "{run:?}");
    let elsewhere = tempfile::tempdir().unwrap();
    let run = node(
        elsewhere.path(),
        &[launcher, Path::new("generate"), Path::new("fast-api"), Path::new("x")],
        &[],
    );
    assert_eq!(run.status.code(), Some(1), "{run:?}");
    assert!(stderr(&run).contains("is not inside an Nx workspace"), "{run:?}");

    // Arguments arrive as they were given; any exit status comes back.
    let echo = script(scripts.path(), "echo", "printf '[%s]' \"$@\"; exit 7", 0o755);
    std::fs::remove_file(&installed).unwrap();
    std::os::unix::fs::symlink(&echo, &installed).unwrap();
    let run = node(root, &[launcher, Path::new("a b"), Path::new(""), Path::new("--c=d")], &[]);
    assert_eq!((run.status.code(), stdout(&run).as_str()), (Some(7), "[a b][][--c=d]"), "{run:?}");

    // A binary that died of a signal: the launcher dies of the same one.
    for (signal, number) in [("TERM", 15), ("INT", 2)] {
        let dies = script(scripts.path(), &format!("dies-{signal}"), &format!("kill -{signal} $$"), 0o755);
        std::fs::remove_file(&installed).unwrap();
        std::os::unix::fs::symlink(&dies, &installed).unwrap();
        let run = node(root, &[launcher], &[]);
        assert_eq!(run.status.signal(), Some(number), "SIG{signal}: {run:?}");
    }

    // Unpacked without its executable bit: made executable, then run.
    std::fs::remove_file(&installed).unwrap();
    script(installed.parent().unwrap(), text(&platform, "binary"), "echo ran", 0o644);
    let run = node(root, &[launcher], &[]);
    assert_eq!((run.status.code(), stdout(&run).as_str()), (Some(0), "ran\n"), "{run:?}");

    // Another version of the platform package: said, and still run.
    stage_platform(root, &platform, "0.0.0-other", &echo);
    let run = node(root, &[launcher], &[]);
    assert_eq!(run.status.code(), Some(7), "{run:?}");
    assert!(
        stderr(&run)
            .contains(&format!("warning: fastgen is {VERSION} but the installed {package} is 0.0.0-other")),
        "{run:?}"
    );

    // Not installed (optional dependencies skipped): the package, the cause and the fix.
    std::fs::remove_dir_all(root.join("node_modules").join(&package)).unwrap();
    let run = node(root, &[launcher, Path::new("--version")], &[]);
    let message = stderr(&run);
    assert_eq!(run.status.code(), Some(1), "{run:?}");
    assert!(message.starts_with("error: the fastgen binary for "), "{message}");
    for part in [
        format!("is in the npm package `{package}@{VERSION}`, which is not installed"),
        "optional dependency of `fastgen`".to_owned(),
        "--omit=optional".to_owned(),
        format!("\nhint: install it beside fastgen (`npm install --save-dev {package}@{VERSION}`"),
        "FASTGEN_BINARY".to_owned(),
    ] {
        assert!(message.contains(&part), "missing {part:?} in:\n{message}");
    }

    // On a glibc Linux, the static musl build serves when the glibc one is missing.
    if platform["libc"] == "glibc" {
        let musl = platforms()
            .into_iter()
            .find(|p| p["os"] == "linux" && p["cpu"] == platform["cpu"] && p["libc"] == "musl")
            .unwrap();
        let marker = script(scripts.path(), "musl", "echo musl", 0o755);
        stage_platform(root, &musl, VERSION, &marker);
        let run = node(root, &[launcher], &[]);
        assert_eq!(stdout(&run), "musl\n", "{run:?}");
        std::fs::remove_dir_all(root.join("node_modules").join(text(&musl, "package"))).unwrap();
    }

    // FASTGEN_BINARY wins, and a wrong one is named.
    let run = node(root, &[launcher, Path::new("--version")], &[("FASTGEN_BINARY", &common::bin())]);
    assert_eq!(stdout(&run), format!("fastgen {VERSION}\n"), "{run:?}");
    let missing = root.join("no-such-binary");
    let run = node(root, &[launcher], &[("FASTGEN_BINARY", &missing)]);
    assert_eq!(run.status.code(), Some(1), "{run:?}");
    assert!(stderr(&run).contains("error: FASTGEN_BINARY is set to"), "{run:?}");
}

/// Ctrl-C in a terminal reaches the whole process group: the launcher outlives the binary,
/// which restores what it wrote before it ends, and reports the binary's own exit status.
#[cfg(unix)]
#[test]
#[cfg_attr(
    not(fastgen_e2e),
    ignore = "end-to-end: needs FASTGEN_E2E=1 and the tools scripts/install-tools.sh installs (scripts/test.sh sets both)"
)]
fn an_interrupt_to_the_process_group_ends_with_the_binary_s_own_status() {
    let temp = tempfile::tempdir().unwrap();
    let root = temp.path();
    let scripts = tempfile::tempdir().unwrap();
    let launcher = stage_main(root).join("bin/fastgen.js");
    let ready = scripts.path().join("ready");
    let cleans_up = script(
        scripts.path(),
        "cleans-up",
        &format!(
            "trap 'kill $pid; exit 42' INT\nsleep 30 &\npid=$!\ntouch '{}'\nwait\nexit 3",
            ready.display()
        ),
        0o755,
    );
    let mut child = {
        use std::os::unix::process::CommandExt;
        Command::new("node")
            .arg(launcher)
            .current_dir(root)
            .env("FASTGEN_BINARY", &cleans_up)
            .process_group(0)
            .spawn()
            .unwrap()
    };
    let waited = Instant::now();
    while !ready.exists() {
        assert!(waited.elapsed().as_secs() < 30, "the binary never started");
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let group = format!("-{}", child.id());
    assert!(Command::new("kill").args(["-INT", "--", &group]).status().unwrap().success());
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(42), "the launcher did not wait for the binary: {status:?}");
}

/// What the Nx generator did to a recording tree (`fixtures/npm/fake_tree.cjs`).
#[derive(Debug)]
struct TreeRun {
    exports: Vec<String>,
    /// path → (bytes, the mode given to changePermissions)
    writes: BTreeMap<String, (Vec<u8>, Option<u64>)>,
    error: Option<String>,
    callback: Option<String>,
    stderr: String,
}

fn fake_tree(
    generator: &Path,
    name: &str,
    root: &Path,
    options: &Value,
    pending: bool,
    binary: Option<&Path>,
) -> TreeRun {
    use base64::Engine as _;
    let driver = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/npm/fake_tree.cjs");
    let options = options.to_string();
    let mut args: Vec<&Path> = vec![&driver, generator, Path::new(name), root, Path::new(&options)];
    if pending {
        args.push(Path::new("pending"));
    }
    let env: Vec<(&str, &Path)> = binary.map(|b| ("FASTGEN_BINARY", b)).into_iter().collect();
    let output = node(root, &args, &env);
    assert!(output.status.success(), "{output:?}");
    let result: Value = serde_json::from_slice(&output.stdout).unwrap();
    let mut writes = BTreeMap::new();
    for write in result["writes"].as_array().unwrap() {
        let bytes = base64::engine::general_purpose::STANDARD.decode(text(write, "base64")).unwrap();
        let previous = writes.insert(text(write, "path").to_owned(), (bytes, write["mode"].as_u64()));
        assert!(previous.is_none(), "written twice: {write}");
    }
    TreeRun {
        exports: result["exports"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e.as_str().unwrap().to_owned())
            .collect(),
        writes,
        error: result["error"].as_str().map(str::to_owned),
        callback: result["callback"].as_str().map(str::to_owned),
        stderr: stderr(&output),
    }
}

#[cfg(unix)]
#[test]
#[cfg_attr(
    not(fastgen_e2e),
    ignore = "end-to-end: needs FASTGEN_E2E=1 and the tools scripts/install-tools.sh installs (scripts/test.sh sets both)"
)]
fn the_nx_generator_applies_fastgen_s_change_set_to_the_tree_byte_for_byte() {
    let plugin = tempfile::tempdir().unwrap();
    let generator = stage_main(plugin.path()).join("nx/generator.cjs");
    stage_platform(plugin.path(), &host_platform(), VERSION, &common::bin());

    let fixture = common::Fixture::new(&[]);
    let before = common::dir_state(&fixture.root);
    // Options Nx collected: only the schema's own, non-empty ones reach fastgen (an unknown
    // flag would make it exit 2).
    let options = json!({
        "name": "my-api",
        "computeType": "ServerlessApiGatewayRestApi",
        "directory": "",
        "moduleName": null,
        "notAnOption": "x",
    });
    let run = fake_tree(&generator, "fast-api", &fixture.root, &options, false, None);
    assert_eq!(run.error, None, "{run:?}");
    assert_eq!(run.exports, ["fast-api", "infra", "website", "connection"]);
    assert_eq!(common::dir_state(&fixture.root), before, "the generator wrote to disk itself");

    // Exactly the change the CLI makes: every written file, its bytes, its mode.
    let cli = fixture.run(&["generate", "fast-api", "my-api", "--dry-run", "--json", "--with-contents"]);
    assert_eq!(cli.code, 0, "{cli:?}");
    let expected: BTreeMap<String, (Vec<u8>, Option<u64>)> = common::reported_files(&cli.stdout)
        .iter()
        .filter_map(|file| {
            let content = file["content"].as_str()?;
            let mode = (file["mode"] == "755").then_some(0o755);
            Some((text(file, "path").to_owned(), (content.as_bytes().to_vec(), mode)))
        })
        .collect();
    assert_eq!(run.writes, expected);
    assert_eq!(run.writes["packages/my_api/run.sh"].1, Some(0o755));
    assert!(run.writes.keys().any(|p| p.starts_with(".fastgen/baseline/packages/my_api/")), "no baselines");
    let next = run.callback.unwrap();
    assert!(next.starts_with("\nNext:\n  uv sync\n"), "{next}");
    assert!(next.contains("  pnpm nx run demo.my_api:build"), "{next}");

    // The CDK app generator is exported too.
    let run = fake_tree(&generator, "infra", &fixture.root, &json!({}), false, None);
    assert_eq!(run.error, None, "{run:?}");
    assert!(run.writes.keys().any(|p| p.starts_with("packages/infra/")), "{:?}", run.writes.keys());

    // A refusal: fastgen's error and its hint, nothing applied.
    let options = json!({ "name": "my-api", "directory": "../outside" });
    let run = fake_tree(&generator, "fast-api", &fixture.root, &options, false, None);
    assert_eq!(
        run.error.as_deref(),
        Some(
            "the directory `../outside` is outside the workspace\nhint: pass a path relative to the workspace root without `..`, e.g. `--directory packages`"
        )
    );
    assert!(run.writes.is_empty());

    // A conflict: named, nothing applied.
    fixture.write("apis", "a file where fastgen needs a directory\n");
    let options = json!({ "name": "c-api", "directory": "apis" });
    let run = fake_tree(&generator, "fast-api", &fixture.root, &options, false, None);
    let error = run.error.unwrap();
    assert!(error.starts_with("fastgen cannot apply this change: "), "{error}");
    assert!(
        error.contains("\n  apis/c_api/project.json (`apis` is a file, but a directory is needed there)"),
        "{error}"
    );
    assert!(error.contains("\nhint: "), "{error}");
    assert!(run.writes.is_empty());
}

#[cfg(unix)]
#[test]
#[cfg_attr(
    not(fastgen_e2e),
    ignore = "end-to-end: needs FASTGEN_E2E=1 and the tools scripts/install-tools.sh installs (scripts/test.sh sets both)"
)]
fn the_nx_generator_passes_options_decodes_contents_and_reports_failures() {
    let plugin = tempfile::tempdir().unwrap();
    let generator = stage_main(plugin.path()).join("nx/generator.cjs");
    let workspace = tempfile::tempdir().unwrap();
    let root = workspace.path();
    let args_file = root.join("args.txt");
    let change_set = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/npm/change_set.json");
    // A stand-in binary: records its arguments, prints a fixed change set.
    let fake = script(
        plugin.path(),
        "fake-fastgen",
        &format!("printf '%s\\n' \"$@\" > '{}'; cat '{}'", args_file.display(), change_set.display()),
        0o755,
    );
    let options =
        json!({ "name": "my-api", "auth": "None", "directory": "", "moduleName": null, "notAnOption": "x" });
    let run = fake_tree(&generator, "fast-api", root, &options, true, Some(&fake));
    assert_eq!(run.error, None, "{run:?}");
    let args: Vec<String> = read(&args_file).lines().map(str::to_owned).collect();
    let root_arg = root.display().to_string();
    assert_eq!(
        args,
        [
            "generate",
            "fast-api",
            "--no-interactive",
            "--dry-run",
            "--json",
            "--with-contents",
            "-C",
            &root_arg,
            "--name=my-api",
            "--auth=None"
        ]
    );
    let writes: Vec<(&str, &[u8], Option<u64>)> =
        run.writes.iter().map(|(path, (bytes, mode))| (path.as_str(), bytes.as_slice(), *mode)).collect();
    assert_eq!(
        writes,
        [
            (".fastgen/baseline/tools/run.sh.base", &b"#!/bin/sh\necho ok\n"[..], None),
            ("README.md", b"# changed\n", None),
            ("assets/logo.bin", &[0x00, 0xff, 0x10, 0x80], None),
            ("tools/run.sh", b"#!/bin/sh\necho ok\n", Some(0o755)),
        ]
    );
    assert_eq!(run.callback.as_deref(), Some("\nNext:\n  first step\n  second step"));
    assert!(
        run.stderr.contains("warning: fastgen reads the workspace from disk: the 1 change(s) already made in this Nx run are not visible to it"),
        "{run:?}"
    );

    // An error document: the error, each cause, the hint.
    let failing = script(
        plugin.path(),
        "fails",
        r#"echo '{"error": "it broke", "causes": ["first cause", "second cause"], "hint": "do this"}'; echo 'error: it broke' >&2; exit 1"#,
        0o755,
    );
    let run = fake_tree(&generator, "fast-api", root, &json!({ "name": "x" }), false, Some(&failing));
    assert_eq!(
        run.error.as_deref(),
        Some("it broke\n  caused by: first cause\n  caused by: second cause\nhint: do this")
    );
    // No JSON at all: the status and what it printed.
    let crashing = script(plugin.path(), "crashes", "echo 'thread main panicked' >&2; exit 101", 0o755);
    let run = fake_tree(&generator, "fast-api", root, &json!({ "name": "x" }), false, Some(&crashing));
    let error = run.error.unwrap();
    assert!(error.contains("exited with 101\nthread main panicked"), "{error}");
}

// ---------------------------------------------------------------------------------------------
// scripts/package.sh, pnpm and Nx.

/// A plain Nx workspace's shell: `command` in `root` with the test command's environment
/// (scripts/test.sh: the tools on PATH, the shared pnpm store, Nx without daemon, cloud or
/// TUI) and no `FASTGEN_BINARY`, so every `fastgen` is the installed package's.
fn shell(root: &Path, command: &str) -> Output {
    let started = Instant::now();
    let output = Command::new("sh")
        .arg("-c")
        .arg(command)
        .current_dir(root)
        .env_remove("FASTGEN_BINARY")
        .env("UV_PYTHON_DOWNLOADS", "never")
        .env("NO_COLOR", "1")
        .env("NX_DAEMON", "false")
        .env("NX_NO_CLOUD", "true")
        .env("NX_TUI", "false")
        .env("NX_INTERACTIVE", "false")
        .output()
        .unwrap();
    eprintln!("$ {command}  [{:.1}s]", started.elapsed().as_secs_f64());
    output
}

/// [`shell`], which must succeed; its stdout and stderr.
fn ok(root: &Path, command: &str) -> (String, String) {
    let output = shell(root, command);
    let (out, err) = (stdout(&output), stderr(&output));
    assert!(output.status.success(), "`{command}` failed\nstdout:\n{out}\nstderr:\n{err}");
    (out, err)
}

/// [`shell`], which must fail; its stdout and stderr.
fn fails(root: &Path, command: &str) -> (String, String) {
    let output = shell(root, command);
    let (out, err) = (stdout(&output), stderr(&output));
    assert!(!output.status.success(), "`{command}` succeeded\nstdout:\n{out}\nstderr:\n{err}");
    (out, err)
}

/// The workspace's files, without what Nx and pnpm keep for themselves.
fn workspace_state(root: &Path) -> BTreeMap<String, (Vec<u8>, u32)> {
    common::dir_state(root)
        .into_iter()
        .filter(|(path, _)| {
            !["node_modules", ".nx", ".git"]
                .iter()
                .any(|skip| path == &format!("{skip}/") || path.starts_with(&format!("{skip}/")))
        })
        .collect()
}

/// Where each step's time went.
struct Steps {
    started: Instant,
    last: Instant,
    done: Vec<(String, f64)>,
}

impl Steps {
    fn new() -> Self {
        Self { started: Instant::now(), last: Instant::now(), done: Vec::new() }
    }

    fn done(&mut self, step: &str) {
        let seconds = self.last.elapsed().as_secs_f64();
        eprintln!("== {step}: {seconds:.1}s");
        self.done.push((step.to_owned(), seconds));
        self.last = Instant::now();
    }

    fn report(&self) {
        eprintln!("== timings (total {:.1}s)", self.started.elapsed().as_secs_f64());
        for (step, seconds) in &self.done {
            eprintln!("   {seconds:>6.1}s  {step}");
        }
    }
}

#[cfg(unix)]
#[test]
#[cfg_attr(
    not(fastgen_e2e),
    ignore = "end-to-end: needs FASTGEN_E2E=1 and the tools scripts/install-tools.sh installs (scripts/test.sh sets both)"
)]
fn package_sh_tarballs_serve_a_plain_nx_workspace_through_nx_g() {
    let mut steps = Steps::new();
    let temp = tempfile::tempdir().unwrap();
    let out = temp.path().join("out");
    let platform = host_platform();
    let package = text(&platform, "package");

    // 1. scripts/package.sh: one release build, the tarballs, the layout.
    let (printed, log) = ok(&repo(), &format!("scripts/package.sh '{}'", out.display()));
    eprintln!("{log}");
    let artifacts: Vec<PathBuf> = printed.lines().map(PathBuf::from).collect();
    let main_tarball = out.join(format!("fastgen-{VERSION}.tgz"));
    let platform_tarball =
        out.join(format!("{}-{VERSION}.tgz", package.trim_start_matches('@').replace('/', "-")));
    assert_eq!(artifacts[..2], [main_tarball.clone(), platform_tarball.clone()], "{printed}");
    // With scripts/package-wheel.sh, the wheel of the same release build comes last.
    let wheel = repo().join("scripts/package-wheel.sh").exists();
    assert_eq!(artifacts.len(), if wheel { 3 } else { 2 }, "{printed}");
    if wheel {
        assert!(artifacts[2].extension().is_some_and(|e| e == "whl"), "{printed}");
    }
    for artifact in &artifacts {
        eprintln!("artifact: {} ({} bytes)", artifact.display(), std::fs::metadata(artifact).unwrap().len());
    }
    let listing = ok(&out, &format!("tar -tvzf '{}'", platform_tarball.display())).0;
    let binary_line =
        listing.lines().find(|l| l.ends_with(&format!(" package/bin/{}", text(&platform, "binary"))));
    assert!(binary_line.is_some_and(|l| l.starts_with("-rwx")), "{listing}");
    let contents = ok(&out, &format!("tar -tzf '{}'", main_tarball.display())).0;
    for file in [
        "bin/fastgen.js",
        "lib/binary.js",
        "nx/generator.cjs",
        "nx/schemas/fast-api.json",
        "nx/schemas/infra.json",
        "generators.json",
        "platforms.json",
        "README.md",
        "package.json",
    ] {
        assert!(
            contents.lines().any(|l| l == format!("package/{file}")),
            "{file} not in the main tarball:\n{contents}"
        );
    }
    for entry in platforms() {
        let manifest = read_json(&out.join("layout").join(text(&entry, "package")).join("package.json"));
        assert_eq!(manifest["name"], entry["package"]);
        assert_eq!(manifest["version"], VERSION);
        assert_eq!(manifest["os"], json!([entry["os"]]));
        assert_eq!(manifest["cpu"], json!([entry["cpu"]]));
        let libc = if entry["libc"].is_null() { Value::Null } else { json!([entry["libc"]]) };
        assert_eq!(manifest.get("libc").cloned().unwrap_or(Value::Null), libc, "{manifest}");
        assert!(manifest.get("bin").is_none() && manifest.get("scripts").is_none(), "{manifest}");
    }
    steps.done("scripts/package.sh");

    // 2. A plain Nx workspace fastgen did not create. Its directory name is its npm scope.
    let root = temp.path().join("acme");
    std::fs::create_dir_all(&root).unwrap();
    let npm: toml::Table = read(&repo().join("crates/fastgen-generators/versions/npm.toml")).parse().unwrap();
    let nx = npm["npm"]["nx"].as_str().unwrap();
    let manifest =
        json!({ "name": "acme", "version": "0.0.0", "private": true, "devDependencies": { "nx": nx } });
    std::fs::write(root.join("package.json"), format!("{manifest:#}\n")).unwrap();
    std::fs::write(root.join("nx.json"), "{}\n").unwrap();
    std::fs::write(root.join(".gitignore"), "node_modules\n.nx\n").unwrap();
    // The platform packages are not on the registry at this version (and the registry's would
    // not be the ones under test): pnpm `overrides` point the main package's optional
    // dependency on this machine's package at its tarball, and every other one at its
    // directory in OUT/layout (a package.json without a binary). pnpm then resolves all seven
    // from disk and, reading their os/cpu/libc, installs only this machine's: the packages'
    // own fields choose, as they will from the registry. Nothing is added to the root
    // package.json but `fastgen`, so the launcher can only find the binary through the
    // optional dependency.
    let mut overrides = String::new();
    for entry in platforms() {
        let name = text(&entry, "package");
        let target = if name == package {
            platform_tarball.display().to_string()
        } else {
            out.join("layout").join(name).display().to_string()
        };
        overrides.push_str(&format!("  \"{name}\": \"file:{target}\"\n"));
    }
    std::fs::write(
        root.join("pnpm-workspace.yaml"),
        format!(
            "packages:\n  - \"packages/*\"\n  - \"packages/common/*\"\n# Nx's postinstall is not needed (and pnpm 10 asks).\nallowBuilds:\n  nx: false\noverrides:\n{overrides}"
        ),
    )
    .unwrap();
    ok(&root, "git init -q && git add -A && git -c user.name=t -c user.email=t@example.com commit -qm plain");
    steps.done("plain workspace");

    // 3. Install the main tarball (tried twice: parallel installs share one pnpm store).
    let add = format!("pnpm add -D -w --reporter=append-only '{}'", main_tarball.display());
    let first = shell(&root, &add);
    if !first.status.success() {
        eprintln!("pnpm add failed once; retrying\n{}{}", stdout(&first), stderr(&first));
        ok(&root, &add);
    }
    let installed: Vec<String> = std::fs::read_dir(root.join("node_modules/.pnpm"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with("@fastgen+"))
        .collect();
    let store_name = package.replace('/', "+");
    assert!(
        installed.len() == 1 && installed[0].starts_with(&format!("{store_name}@")),
        "pnpm must install exactly {package}: {installed:?}"
    );
    let beside = std::fs::canonicalize(root.join("node_modules/fastgen")).unwrap().join("..").join(package);
    assert!(beside.join("package.json").is_file(), "{package} is not installed beside fastgen");
    assert!(!root.join("node_modules").join(package).exists(), "{package} must not be a root dependency");
    steps.done("pnpm add");

    // 4. npx-style.
    let (version, _) = ok(&root, "pnpm exec fastgen --version");
    assert_eq!(version, format!("fastgen {VERSION}\n"));
    steps.done("pnpm exec fastgen --version");

    // 5. Nx sees the plugin.
    let (listed, _) = ok(&root, "pnpm nx list fastgen");
    assert!(listed.contains("py#fast-api") && listed.contains("ts#infra"), "{listed}");
    steps.done("nx list fastgen");

    // 6. A dry run lists the files and writes none.
    let generate = "pnpm nx g fastgen:py#fast-api my-api --iacProvider=Terraform --no-interactive";
    let before = workspace_state(&root);
    let (dry, dry_log) = ok(&root, &format!("{generate} --dry-run"));
    for line in [
        "CREATE packages/my_api/run.sh",
        "CREATE packages/my_api/acme_my_api/main.py",
        "CREATE .fastgen/baseline/packages/my_api/run.sh.base",
    ] {
        assert!(dry.lines().any(|l| l == line), "no `{line}` in:\n{dry}");
    }
    assert!(dry_log.contains("NOTE: The \"dryRun\" flag means no changes were made."), "{dry_log}");
    assert_eq!(workspace_state(&root), before, "the dry run wrote");
    steps.done("nx g --dry-run");

    // The same change by the CLI in a copy of the workspace, for comparison.
    let twin_parent = tempfile::tempdir().unwrap();
    let twin = twin_parent.path().join("acme");
    for (path, (bytes, _)) in &before {
        if let Some(dir) = path.strip_suffix('/') {
            std::fs::create_dir_all(twin.join(dir)).unwrap();
        } else {
            std::fs::create_dir_all(twin.join(path).parent().unwrap()).unwrap();
            std::fs::write(twin.join(path), bytes).unwrap();
        }
    }
    let cli = common::fastgen(&twin, &["generate", "fast-api", "my-api", "--iacProvider=Terraform"]);
    assert_eq!(cli.code, 0, "{cli:?}");

    // 7. The real run writes the API, as the CLI writes it.
    let (written, _) = ok(&root, generate);
    assert!(written.contains("\nNext:\n  uv sync\n"), "{written}");
    let after = workspace_state(&root);
    // A CLI commit also leaves `.fastgen/.gitignore` (it ignores the commit journal, which
    // exists only while fastgen itself writes); it is not part of the change set, and a run
    // through Nx, where fastgen writes nothing, has no journal to ignore.
    let mut by_cli = workspace_state(&twin);
    assert!(by_cli.remove(".fastgen/.gitignore").is_some());
    assert_eq!(after.keys().collect::<Vec<_>>(), by_cli.keys().collect::<Vec<_>>());
    assert_eq!(after, by_cli, "Nx wrote other bytes or modes than the CLI");
    assert_eq!(after["packages/my_api/run.sh"].1 & 0o777, 0o755, "run.sh is not executable");
    for baseline in [
        ".fastgen/baseline/packages/my_api/run.sh.base",
        ".fastgen/baseline/packages/my_api/project.json.base",
    ] {
        assert!(after.contains_key(baseline), "no {baseline}");
    }
    steps.done("nx g");

    let (projects, _) = ok(&root, "pnpm nx show projects");
    assert!(projects.lines().any(|l| l == "acme.my_api"), "{projects}");
    steps.done("nx show projects");

    // 8. The API builds; the metadata target runs the installed package's `fastgen`.
    ok(&root, "uv sync --quiet");
    steps.done("uv sync");
    ok(&root, "pnpm nx run acme.my_api:build --output-style=static");
    steps.done("nx run acme.my_api:build");
    ok(&root, "pnpm nx run common-terraform:generate:my-api-metadata --output-style=static");
    assert!(root.join("packages/common/terraform/src/generated/my-api/operations.json").is_file());
    steps.done("nx run common-terraform:generate:my-api-metadata (node_modules/.bin/fastgen)");

    // 9. Refusals surface as Nx errors with fastgen's hint, and write nothing.
    let before = workspace_state(&root);
    let (_, err) =
        fails(&root, "pnpm nx g fastgen:py#fast-api other-api --directory=../outside --no-interactive");
    assert!(err.contains("the directory `../outside` is outside the workspace"), "{err}");
    assert!(err.contains("\nhint: pass a path relative to the workspace root without `..`"), "{err}");
    let (_, err) = fails(&root, "pnpm nx g fastgen:py#fast-api __ --no-interactive");
    assert!(err.contains("the API name `__` is empty or has no letter or digit"), "{err}");
    assert!(err.contains("\nhint: pass a name made of letters and digits"), "{err}");
    assert_eq!(workspace_state(&root), before, "a refused run wrote");
    steps.done("refusals");

    // 10. A re-run with another option updates through Nx (recorded options kept).
    let (updated, _) =
        ok(&root, "pnpm nx g fastgen:py#fast-api my-api --architecture=arm64 --no-interactive");
    assert!(updated.lines().any(|l| l == "UPDATE packages/my_api/project.json"), "{updated}");
    assert!(
        read(&root.join("packages/my_api/project.json")).contains("\"architecture\": \"arm64\""),
        "arm64 not recorded"
    );
    steps.done("nx g (re-run, --architecture=arm64)");

    steps.report();
}

#[cfg(unix)]
#[test]
#[cfg_attr(
    not(fastgen_e2e),
    ignore = "end-to-end: needs FASTGEN_E2E=1 and the tools scripts/install-tools.sh installs (scripts/test.sh sets both)"
)]
fn a_workspace_the_distribution_made_runs_infra_synth_with_no_fastgen_on_path() {
    let mut steps = Steps::new();
    let temp = tempfile::tempdir().unwrap();
    let out = temp.path().join("out");
    let platform = host_platform();
    let package = text(&platform, "package");
    ok(&repo(), &format!("scripts/package.sh --no-wheel '{}'", out.display()));
    let main_tarball = out.join(format!("fastgen-{VERSION}.tgz"));
    let platform_tarball =
        out.join(format!("{}-{VERSION}.tgz", package.trim_start_matches('@').replace('/', "-")));
    steps.done("scripts/package.sh");

    // The distribution's binary (package.sh's release build), run by path: nothing on PATH.
    let bin = repo().join("target/release/fastgen");
    let (found, _) = ok(temp.path(), "command -v fastgen || true");
    assert_eq!(found, "", "a fastgen on PATH would hide what this test is about");
    let new = Command::new(&bin)
        .args(["new", "demo", "--api", "my-api", "--iac-provider", "CDK"])
        .current_dir(temp.path())
        .output()
        .unwrap();
    assert!(new.status.success(), "{}", stderr(&new));
    let root = temp.path().join("demo");
    let infra = Command::new(&bin).args(["generate", "infra"]).current_dir(&root).output().unwrap();
    assert!(infra.status.success(), "{}", stderr(&infra));
    // A distribution pins itself exactly.
    let manifest = read_json(&root.join("package.json"));
    assert_eq!(manifest["devDependencies"]["fastgen"], VERSION, "{manifest}");
    steps.done("fastgen new + generate infra");

    // This version is not on the registry: the tarballs stand in for it (see the test above).
    let mut overrides = format!("  \"fastgen\": \"file:{}\"\n", main_tarball.display());
    for entry in platforms() {
        let name = text(&entry, "package");
        let target = if name == package {
            platform_tarball.display().to_string()
        } else {
            out.join("layout").join(name).display().to_string()
        };
        overrides.push_str(&format!("  \"{name}\": \"file:{target}\"\n"));
    }
    let workspace_yaml = root.join("pnpm-workspace.yaml");
    let yaml = read(&workspace_yaml);
    std::fs::write(&workspace_yaml, format!("{yaml}overrides:\n{overrides}")).unwrap();
    ok(&root, "uv sync --quiet");
    ok(&root, common::PNPM_INSTALL);
    steps.done("uv sync + pnpm install");

    let synth = "CDK_DISABLE_VERSION_CHECK=true CDK_DEFAULT_ACCOUNT=111111111111 CDK_DEFAULT_REGION=us-east-1 \
                 pnpm nx run infra:synth --outputStyle=static";
    let (log, _) = ok(&root, synth);
    assert!(log.contains("generate:my-api-metadata"), "{log}");
    let metadata = read(&root.join("packages/common/constructs/src/generated/my-api/metadata.gen.ts"));
    assert!(metadata.contains("echo: { path: '/echo', method: 'GET' }"), "{metadata}");
    steps.done("nx run infra:synth");

    // Without the package, the target says how to add it.
    std::fs::remove_file(root.join("node_modules/.bin/fastgen")).unwrap();
    let (out, err) = fails(&root, "pnpm nx run common-constructs:generate:my-api-metadata --skip-nx-cache");
    let hint = format!("pnpm add -D --save-exact fastgen@{VERSION}");
    assert!(out.contains(&hint) || err.contains(&hint), "{out}{err}");
    steps.done("without the package");
    steps.report();
}
