//! End-to-end: generate real workspaces and drive them with the real tools (uv, pytest,
//! ruff, mypy, uvicorn, pnpm, nx). Runs when `FASTGEN_E2E=1` (the README's test command,
//! `scripts/test.sh`, sets it after installing the tools); otherwise each test prints why it
//! was skipped.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::{e2e_enabled as enabled, fastgen};
use serde_json::Value;

/// A generated workspace under a temporary directory.
struct Workspace {
    _temp: tempfile::TempDir,
    root: PathBuf,
}

impl Workspace {
    fn new(args: &[&str]) -> Self {
        let temp = tempfile::tempdir().unwrap();
        let mut full = vec!["new", "demo"];
        full.extend_from_slice(args);
        let run = fastgen(temp.path(), &full);
        assert_eq!(run.code, 0, "{run:?}");
        let root = temp.path().join("demo");
        Self { _temp: temp, root }
    }

    fn project(&self, dir: &str) -> Value {
        serde_json::from_str(&std::fs::read_to_string(self.root.join(dir).join("project.json")).unwrap())
            .unwrap()
    }

    /// Run a shell command in `cwd` (workspace-relative); panic with its output on failure.
    fn sh(&self, cwd: &str, command: &str, env: &[(String, String)]) -> String {
        let started = Instant::now();
        let output = Command::new("sh")
            .arg("-c")
            .arg(command)
            .current_dir(self.root.join(cwd))
            .envs(env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
            .env("UV_PYTHON_DOWNLOADS", "never")
            .env("NO_COLOR", "1")
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
        let stderr = String::from_utf8_lossy(&output.stderr);
        eprintln!("$ (cd {cwd} && {command})  [{:.1}s]", started.elapsed().as_secs_f64());
        assert!(
            output.status.success(),
            "`{command}` in `{cwd}` failed\nstdout:\n{stdout}\nstderr:\n{stderr}"
        );
        stdout
    }

    /// Run an Nx target's commands exactly as `project.json` declares them, without Nx.
    fn target(&self, dir: &str, target: &str) -> String {
        let project = self.project(dir);
        let options = &project["targets"][target]["options"];
        assert!(options.is_object(), "no target `{target}` in {dir}/project.json");
        let cwd = options["cwd"].as_str().unwrap();
        let env: Vec<(String, String)> = options["env"]
            .as_object()
            .map(|env| {
                env.iter().map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_owned())).collect()
            })
            .unwrap_or_default();
        let commands: Vec<String> = match options.get("command") {
            Some(command) => vec![command.as_str().unwrap().to_owned()],
            None => options["commands"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| c.as_str().unwrap().to_owned())
                .collect(),
        };
        commands.iter().map(|command| self.sh(cwd, command, &env)).collect()
    }
}

/// GET `path` on 127.0.0.1:`port`: (status, body).
fn get(port: u16, path: &str) -> Option<(u16, String)> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).ok()?;
    stream.set_read_timeout(Some(Duration::from_secs(10))).ok()?;
    write!(stream, "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n").ok()?;
    let mut response = String::new();
    stream.read_to_string(&mut response).ok()?;
    let status = response.split_whitespace().nth(1)?.parse().ok()?;
    let body = response.split_once("\r\n\r\n").map(|(_, b)| b.to_owned()).unwrap_or_default();
    Some((status, body))
}

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        // The serve command runs uvicorn with a reloader: end the whole process group.
        let _ = Command::new("kill").args(["-s", "KILL", "--", &format!("-{}", self.0.id())]).status();
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn serve(ws: &Workspace, dir: &str) -> (Server, u16) {
    let project = ws.project(dir);
    let port = u16::try_from(project["metadata"]["ports"][0].as_u64().unwrap()).unwrap();
    let options = &project["targets"]["serve"]["options"];
    // Make sure whatever answers below is the server started here.
    assert!(
        TcpStream::connect(("127.0.0.1", port)).is_err(),
        "port {port} is already in use: stop whatever listens there, then run the test again"
    );
    let mut command = Command::new("setsid");
    command
        .arg("sh")
        .arg("-c")
        .arg(options["command"].as_str().unwrap())
        .current_dir(ws.root.join(options["cwd"].as_str().unwrap()))
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    let server = Server(command.spawn().unwrap());
    let deadline = Instant::now() + Duration::from_mins(1);
    while Instant::now() < deadline {
        if get(port, "/openapi.json").is_some_and(|(status, _)| status == 200) {
            return (server, port);
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    panic!("the serve target did not answer on port {port} within 60 s");
}

fn assert_bundle(ws: &Workspace, dir: &str, arch: &str, so_marker: &str) {
    let bundle = ws.root.join(format!("dist/{dir}/bundle-{arch}"));
    let core: Vec<PathBuf> = std::fs::read_dir(bundle.join("pydantic_core"))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "so"))
        .collect();
    assert!(
        core.iter().any(|p| p.to_string_lossy().contains(so_marker)),
        "pydantic_core in {} is not built for {arch}: {core:?}",
        bundle.display()
    );
    let run_sh = bundle.join("run.sh");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&run_sh).unwrap().permissions().mode();
        assert_eq!(mode & 0o111, 0o111, "run.sh in the bundle is not executable");
    }
    let module = ws.project(dir)["metadata"]["moduleName"].as_str().unwrap().to_owned();
    assert!(bundle.join(&module).join("main.py").is_file(), "the bundle lacks the project's own package");
    for dev_only in ["pytest", "ruff", "mypy"] {
        assert!(!bundle.join(dev_only).exists(), "the bundle contains the dev dependency {dev_only}");
    }
    assert!(bundle.join("fastapi").is_dir() && bundle.join("aws_lambda_powertools").is_dir());
}

#[test]
fn the_default_api_works_with_uv_ruff_mypy_pytest_uvicorn_and_nx() {
    if !enabled("the_default_api_works_with_uv_ruff_mypy_pytest_uvicorn_and_nx") {
        return;
    }
    let ws = Workspace::new(&["--api", "my-api"]);
    let dir = "packages/my_api";
    ws.sh(".", "uv sync", &[]);
    let tests = ws.target(dir, "test");
    assert!(tests.contains(" passed"), "{tests}");
    ws.target(dir, "lint");
    ws.target(dir, "typecheck");
    ws.target(dir, "openapi");
    let document: Value = serde_json::from_str(
        &std::fs::read_to_string(ws.root.join("dist/packages/my_api/openapi/openapi.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(document["info"]["title"], "MyApi");
    assert_eq!(document["paths"]["/echo"]["get"]["operationId"], "echo");
    ws.target(dir, "bundle");
    assert_bundle(&ws, dir, "x86_64", "x86_64-linux-gnu");
    {
        let (_server, port) = serve(&ws, dir);
        for path in ["/docs", "/redoc", "/openapi.json"] {
            let (status, _) = get(port, path).unwrap();
            assert_eq!(status, 200, "{path}");
        }
        let (status, body) = get(port, "/echo?message=hello").unwrap();
        assert_eq!(status, 200);
        assert!(body.contains("hello"), "{body}");
    }
    // The real Nx, through pnpm: lists the project and runs its openapi target.
    std::fs::remove_dir_all(ws.root.join("dist")).unwrap();
    ws.sh(".", "pnpm install --reporter=silent", &[]);
    let projects = ws.sh(".", "pnpm exec nx show projects", &[]);
    assert!(projects.lines().any(|l| l.trim() == "demo.my_api"), "{projects}");
    ws.sh(".", "pnpm exec nx run demo.my_api:openapi --skip-nx-cache", &[]);
    assert!(ws.root.join("dist/packages/my_api/openapi/openapi.json").is_file());
}

/// Gives the module `demo_order_service_with_a_deliberately_long_name_for_lint` (57 characters,
/// near the 60-character limit).
const LONG_NAME: &str = "Order Service With A Deliberately Long Name For Lint";

#[test]
fn an_http_shared_custom_auth_arm64_api_passes_its_checks() {
    if !enabled("an_http_shared_custom_auth_arm64_api_passes_its_checks") {
        return;
    }
    let ws = Workspace::new(&["--iac-provider", "Terraform"]);
    let run = fastgen(
        &ws.root,
        &[
            "generate",
            "fast-api",
            LONG_NAME,
            "--computeType",
            "http",
            "--integrationPattern",
            "shared",
            "--auth",
            "Custom",
            "--architecture",
            "arm64",
        ],
    );
    assert_eq!(run.code, 0, "{run:?}");
    let dir = "packages/order_service_with_a_deliberately_long_name_for_lint";
    assert!(
        ws.root
            .join(dir)
            .join("demo_order_service_with_a_deliberately_long_name_for_lint/authorizer.py")
            .is_file()
    );
    ws.sh(".", "uv sync", &[]);
    let tests = ws.target(dir, "test");
    assert!(tests.contains(" passed"), "{tests}");
    ws.target(dir, "lint");
    ws.target(dir, "typecheck");
    ws.target(dir, "bundle");
    assert_bundle(&ws, dir, "arm64", "aarch64-linux-gnu");
    // Terraform's chain through the real Nx: openapi → generate:<kebab>-metadata (writes the
    // operations.json the API module reads) → the modules' build (fmt, after the API's build).
    ws.sh(".", "pnpm install --reporter=silent", &[]);
    let path = format!(
        "{}:{}",
        common::bin().parent().unwrap().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    ws.sh(".", "pnpm exec nx run common-terraform:build --outputStyle=static", &[("PATH".to_owned(), path)]);
    let operations = ws
        .root
        .join("packages/common/terraform/src/generated/order-service-with-a-deliberately-long-name-for-lint/operations.json");
    let operations: Value = serde_json::from_str(&std::fs::read_to_string(operations).unwrap()).unwrap();
    assert_eq!(operations["echo"]["method"], "GET", "{operations}");
}

#[test]
fn two_apis_share_one_uv_workspace() {
    if !enabled("two_apis_share_one_uv_workspace") {
        return;
    }
    let ws = Workspace::new(&["--api", "first", "--api", "second"]);
    ws.sh(".", "uv sync", &[]);
    for dir in ["packages/first", "packages/second"] {
        let tests = ws.target(dir, "test");
        assert!(tests.contains(" passed"), "{tests}");
    }
}
