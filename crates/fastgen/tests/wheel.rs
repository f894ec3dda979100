//! End-to-end: the Python wheel. `scripts/package-wheel.sh` builds `fastgen-cli` with
//! maturin (from `.cache/tools/maturin`, which `scripts/install-tools.sh` installs); pip
//! installs it, offline, into a fresh venv, whose `bin/fastgen` is then the same command.
//! Runs when `FASTGEN_E2E=1` (`scripts/test.sh` sets it after installing the tools);
//! otherwise it is skipped with its reason. The script makes a release build (shared with
//! `cargo build --release`): minutes when the release output is stale.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::Instant;

const VERSION: &str = env!("CARGO_PKG_VERSION");

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").canonicalize().unwrap()
}

/// Run `command`, print how long it took; panic with its output unless it succeeded.
fn run(what: &str, command: &mut Command) -> Output {
    let started = Instant::now();
    let output = command.output().unwrap_or_else(|e| panic!("{what}: cannot start: {e}"));
    eprintln!("{what}  [{:.1}s]", started.elapsed().as_secs_f64());
    assert!(
        output.status.success(),
        "{what} failed ({})\nstdout:\n{}\nstderr:\n{}",
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

/// The `Key: value` lines of a wheel's METADATA or WHEEL file, in order.
fn headers(text: &str) -> Vec<(&str, &str)> {
    text.lines().map_while(|line| line.split_once(": ")).collect()
}

#[test]
#[cfg_attr(
    not(fastgen_e2e),
    ignore = "end-to-end: needs FASTGEN_E2E=1 and the tools scripts/install-tools.sh installs (scripts/test.sh sets both)"
)]
fn the_wheel_installs_with_pip_and_gives_the_fastgen_command() {
    let started = Instant::now();
    let temp = tempfile::tempdir().unwrap();
    let out = temp.path().join("dist");

    let built =
        run("scripts/package-wheel.sh", Command::new(repo().join("scripts/package-wheel.sh")).arg(&out));
    let stdout = String::from_utf8(built.stdout).unwrap();
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 1, "stdout is the wheel's path alone: {stdout:?}");
    let wheel = PathBuf::from(lines[0]);
    let name = wheel.file_name().unwrap().to_str().unwrap().to_owned();
    assert_eq!(wheel.parent(), Some(out.as_path()), "{}", wheel.display());
    assert!(
        name.starts_with(&format!("fastgen_cli-{VERSION}-py3-none-"))
            && wheel.extension().is_some_and(|ext| ext == "whl"),
        "{name}"
    );
    let size = std::fs::metadata(&wheel).unwrap().len();
    eprintln!("wheel: {name} ({size} bytes)");

    // The release binary the wheel holds, for other packaging (npm) to reuse.
    let binary = std::fs::read_to_string(out.join("fastgen-binary-path.txt")).unwrap();
    let binary = PathBuf::from(binary.trim_end());
    assert!(binary.is_absolute() && binary.is_file(), "{}", binary.display());
    eprintln!("binary in the wheel: {}", binary.display());

    // Unpacked (a wheel is a zip): its metadata and the binary.
    let unpacked = temp.path().join("unpacked");
    run(
        "python3 -m zipfile -e <wheel>",
        Command::new("python3").args(["-m", "zipfile", "-e"]).arg(&wheel).arg(&unpacked),
    );
    let dist_info = unpacked.join(format!("fastgen_cli-{VERSION}.dist-info"));
    let metadata = std::fs::read_to_string(dist_info.join("METADATA")).unwrap();
    let fields = headers(&metadata);
    assert!(fields.contains(&("Name", "fastgen-cli")), "{metadata}");
    assert!(fields.contains(&("Version", VERSION)), "{metadata}");
    assert!(fields.contains(&("License-Expression", "Apache-2.0")), "{metadata}");
    assert!(fields.contains(&("Requires-Python", ">=3.9")), "{metadata}");
    let wheel_file = std::fs::read_to_string(dist_info.join("WHEEL")).unwrap();
    let tags: Vec<&str> =
        headers(&wheel_file).into_iter().filter(|(k, _)| *k == "Tag").map(|(_, v)| v).collect();
    assert!(!tags.is_empty() && tags.iter().all(|tag| tag.starts_with("py3-none-")), "{wheel_file}");
    assert!(name.ends_with(&format!("-{}.whl", tags[0])), "{name} vs {tags:?}");
    let inside = std::fs::read(unpacked.join(format!("fastgen_cli-{VERSION}.data/scripts/fastgen"))).unwrap();
    assert!(inside == std::fs::read(&binary).unwrap(), "the wheel's binary is not {}", binary.display());

    // A fresh venv, the wheel installed from the file alone.
    let venv = temp.path().join("venv");
    run("python3 -m venv", Command::new("python3").arg("-m").arg("venv").arg(&venv));
    run(
        "pip install --no-index <wheel>",
        Command::new(venv.join("bin/python"))
            .args(["-m", "pip", "install", "--no-index", "--disable-pip-version-check", "--quiet"])
            .arg(&wheel),
    );
    let installed = venv.join("bin/fastgen");
    assert!(installed.is_file(), "pip installed no {}", installed.display());

    let fastgen = |args: &[&str]| {
        let mut command = Command::new(&installed);
        command.args(args).current_dir(temp.path()).env("NO_COLOR", "1").env("CI", "1");
        let output = run(&format!("<venv>/bin/fastgen {}", args.join(" ")), &mut command);
        String::from_utf8(output.stdout).unwrap()
    };
    assert_eq!(fastgen(&["--version"]).trim_end(), format!("fastgen {VERSION}"));
    let schema: serde_json::Value = serde_json::from_str(&fastgen(&["schema", "fast-api"])).unwrap();
    assert_eq!(schema["title"], "fast-api", "{schema:#}");

    eprintln!("wheel test total  [{:.1}s]", started.elapsed().as_secs_f64());
}
