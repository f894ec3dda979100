//! Shared helpers for the CLI tests: run the real binary, snapshot a directory.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// What one run of the binary did.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// The `error: …` line.
    pub fn error_line(&self) -> &str {
        self.stderr.lines().find(|l| l.starts_with("error:")).unwrap_or("")
    }

    pub fn hint_line(&self) -> &str {
        self.stderr.lines().find(|l| l.starts_with("hint:")).unwrap_or("")
    }
}

pub fn bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_fastgen"))
}

/// Run `fastgen` in `cwd`, non-interactively, without colour.
pub fn fastgen(cwd: &Path, args: &[&str]) -> Run {
    fastgen_env(cwd, args, &[])
}

pub fn fastgen_env(cwd: &Path, args: &[&str], env: &[(&str, &str)]) -> Run {
    let mut command = Command::new(bin());
    command.args(args).current_dir(cwd).env("NO_COLOR", "1").env("CI", "1");
    for (key, value) in env {
        command.env(key, value);
    }
    let output = command.output().expect("the fastgen binary runs");
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// Every file and directory under `root` with its bytes and mode; a symbolic link as the
/// path it points to (never followed).
pub fn dir_state(root: &Path) -> BTreeMap<String, (Vec<u8>, u32)> {
    let mut out = BTreeMap::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let path = entry.path();
            let rel = path.strip_prefix(root).unwrap().to_string_lossy().into_owned();
            let meta = std::fs::symlink_metadata(&path).unwrap();
            #[cfg(unix)]
            let mode = std::os::unix::fs::PermissionsExt::mode(&meta.permissions());
            #[cfg(not(unix))]
            let mode = 0;
            if meta.file_type().is_symlink() {
                let target = std::fs::read_link(&path).unwrap();
                out.insert(format!("{rel} ->"), (target.to_string_lossy().into_owned().into_bytes(), mode));
            } else if meta.is_dir() {
                out.insert(format!("{rel}/"), (Vec::new(), mode));
                stack.push(path);
            } else {
                out.insert(rel, (std::fs::read(&path).unwrap(), mode));
            }
        }
    }
    out
}

/// A fresh workspace made by `fastgen new <name>` inside a temporary directory.
pub struct Fixture {
    pub temp: tempfile::TempDir,
    pub root: PathBuf,
}

impl Fixture {
    pub fn new(extra: &[&str]) -> Self {
        let temp = tempfile::tempdir().unwrap();
        let mut args = vec!["new", "demo"];
        args.extend_from_slice(extra);
        let run = fastgen(temp.path(), &args);
        assert_eq!(run.code, 0, "fastgen new failed: {run:?}");
        let root = temp.path().join("demo");
        Self { temp, root }
    }

    pub fn run(&self, args: &[&str]) -> Run {
        fastgen(&self.root, args)
    }

    pub fn write(&self, rel: &str, content: &str) {
        let path = self.root.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, content).unwrap();
    }

    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.root.join(rel)).unwrap()
    }
}

/// Run `command` through `sh` in `root`, with the directory of the fastgen binary `bin` first
/// on `PATH` (Nx targets run `fastgen`) and what uv, Nx and `cdk synth` need offline; its
/// stdout and stderr together, or a panic with both.
pub fn sh_with(root: &Path, bin: &Path, command: &str) -> String {
    let started = Instant::now();
    let dir = bin.parent().unwrap();
    let output = Command::new("sh")
        .arg("-c")
        .arg(command)
        .current_dir(root)
        .env("PATH", format!("{}:{}", dir.display(), std::env::var("PATH").unwrap_or_default()))
        .env("UV_PYTHON_DOWNLOADS", "never")
        .env("NO_COLOR", "1")
        .env("NX_DAEMON", "false")
        .env("NX_TUI", "false")
        .env("CDK_DISABLE_VERSION_CHECK", "true")
        .env("CDK_DEFAULT_ACCOUNT", "111111111111")
        .env("CDK_DEFAULT_REGION", "us-east-1")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&output.stderr);
    eprintln!("$ {command}  [{:.1}s]", started.elapsed().as_secs_f64());
    assert!(output.status.success(), "`{command}` failed\nstdout:\n{stdout}\nstderr:\n{stderr}");
    format!("{stdout}{stderr}")
}

/// [`sh_with`] the fastgen under test.
pub fn sh(root: &Path, command: &str) -> String {
    sh_with(root, &bin(), command)
}

/// The `files` of a `--json` change document on stdout.
pub fn reported_files(stdout: &str) -> Vec<serde_json::Value> {
    let document: serde_json::Value = serde_json::from_str(stdout).unwrap();
    document["files"].as_array().unwrap().clone()
}

/// `pnpm install` as the end-to-end tests run it: with its errors shown (pnpm's `silent`
/// reporter prints nothing, not even the error), and tried a second time when the first
/// fails, because the suite runs several installs at once against one shared store and
/// pnpm 10 can lose such a race; a real failure fails twice and is reported with both
/// outputs. `--no-frozen-lockfile`: where `CI` is set pnpm defaults to a frozen lockfile,
/// and these tests install again after a generator added dependencies, as a user does
/// (CI once failed that way, and `--reporter=silent` had hidden why).
pub const PNPM_INSTALL: &str = "out=$(pnpm install --no-frozen-lockfile --reporter=append-only 2>&1) || { \
    printf '%s\\n' \"$out\" >&2; echo 'pnpm install failed once (above); retrying' >&2; \
    pnpm install --no-frozen-lockfile --reporter=append-only; }";

/// A process the test started in a process group of its own (`setsid`: a `uv run`, an Nx
/// target, a server with a reloader), killed with its whole group on drop, so nothing outlives
/// the test, even when it panics.
pub struct ProcessGroup(pub Child);

impl Drop for ProcessGroup {
    fn drop(&mut self) {
        let _ = Command::new("kill")
            .args(["-s", "KILL", "--", &format!("-{}", self.0.id())])
            .stderr(Stdio::null())
            .status();
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A free TCP port on the loopback interface.
pub fn free_port() -> u16 {
    TcpListener::bind(("127.0.0.1", 0)).unwrap().local_addr().unwrap().port()
}

/// `GET path` on 127.0.0.1:`port`: the status and the body, or None when nothing answers.
pub fn http_get(port: u16, path: &str) -> Option<(u16, String)> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).ok()?;
    stream.set_read_timeout(Some(Duration::from_secs(10))).ok()?;
    write!(stream, "GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n").ok()?;
    let mut response = String::new();
    stream.read_to_string(&mut response).ok()?;
    let status = response.split_whitespace().nth(1)?.parse().ok()?;
    let body = response.split_once("\r\n\r\n").map(|(_, body)| body.to_owned()).unwrap_or_default();
    Some((status, body))
}
