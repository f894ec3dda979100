//! End-to-end: generate real workspaces and drive them with the real tools (uv, pytest,
//! ruff, mypy, uvicorn, pnpm, nx). Runs when `FASTGEN_E2E=1` (the README's test command,
//! `scripts/test.sh`, sets it after installing the tools); otherwise each test prints why it
//! was skipped.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::fastgen;
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

fn serve(ws: &Workspace, dir: &str) -> (common::ProcessGroup, u16) {
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
    let server = common::ProcessGroup(command.spawn().unwrap());
    let deadline = Instant::now() + Duration::from_mins(1);
    while Instant::now() < deadline {
        if common::http_get(port, "/openapi.json").is_some_and(|(status, _)| status == 200) {
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
    // The workspace's runtime package, installed (not a link to the workspace).
    assert!(bundle.join("fastgen_runtime/middleware.py").is_file(), "the bundle lacks the runtime package");
    assert!(!bundle.join("_fastgen_runtime.pth").exists(), "the runtime package is installed editable");
    // botocore and what only it needs come from the Lambda Python runtime; the X-Ray SDK stays.
    for cut in ["botocore", "urllib3", "dateutil", "six.py"] {
        assert!(!bundle.join(cut).exists(), "the bundle contains {cut}");
    }
    assert!(bundle.join("aws_xray_sdk").is_dir() && bundle.join("wrapt").is_dir());
    // Issue 12: bytecode of the Lambda runtime's Python (found here under pyenv).
    let lambda_tag = fastgen_generators::api::LAMBDA_PYTHON.replace('.', "");
    let pyc = bundle.join(&module).join(format!("__pycache__/main.cpython-{lambda_tag}.pyc"));
    assert!(pyc.is_file(), "no {} in the bundle: is Python 3.13 on this machine?", pyc.display());
    let size = tree_size(&bundle);
    eprintln!("bundle {}: {} kB", bundle.display(), size / 1000);
    assert!(size <= BUNDLE_BUDGET, "the bundle is {size} bytes, over {BUNDLE_BUDGET}");
}

/// The most an API's unpacked Lambda bundle may weigh (issue #8: 49 MB before, 30 MB of it
/// botocore).
const BUNDLE_BUDGET: u64 = 20_000_000;

/// The bytes of every file under `dir`.
fn tree_size(dir: &std::path::Path) -> u64 {
    let mut total = 0;
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let meta = entry.metadata().unwrap();
        total += if meta.is_dir() { tree_size(&entry.path()) } else { meta.len() };
    }
    total
}

#[test]
#[cfg_attr(
    not(fastgen_e2e),
    ignore = "end-to-end: needs FASTGEN_E2E=1 and the tools scripts/install-tools.sh installs (scripts/test.sh sets both)"
)]
fn the_default_api_works_with_uv_ruff_mypy_pytest_uvicorn_and_nx() {
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
            let (status, _) = common::http_get(port, path).unwrap();
            assert_eq!(status, 200, "{path}");
        }
        let (status, body) = common::http_get(port, "/echo?message=hello").unwrap();
        assert_eq!(status, 200);
        assert!(body.contains("hello"), "{body}");
    }
    // The real Nx, through pnpm: lists the project and runs its openapi target.
    std::fs::remove_dir_all(ws.root.join("dist")).unwrap();
    ws.sh(".", common::PNPM_INSTALL, &[]);
    let projects = ws.sh(".", "pnpm exec nx show projects", &[]);
    assert!(projects.lines().any(|l| l.trim() == "demo.my_api"), "{projects}");
    ws.sh(".", "pnpm exec nx run demo.my_api:openapi --skip-nx-cache", &[]);
    assert!(ws.root.join("dist/packages/my_api/openapi/openapi.json").is_file());
}

/// Gives the module `demo_order_service_with_a_deliberately_long_name_for_lint` (57 characters,
/// near the 60-character limit).
const LONG_NAME: &str = "Order Service With A Deliberately Long Name For Lint";

#[test]
#[cfg_attr(
    not(fastgen_e2e),
    ignore = "end-to-end: needs FASTGEN_E2E=1 and the tools scripts/install-tools.sh installs (scripts/test.sh sets both)"
)]
fn an_http_shared_custom_auth_arm64_api_passes_its_checks() {
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
    ws.sh(".", common::PNPM_INSTALL, &[]);
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
#[cfg_attr(
    not(fastgen_e2e),
    ignore = "end-to-end: needs FASTGEN_E2E=1 and the tools scripts/install-tools.sh installs (scripts/test.sh sets both)"
)]
fn two_apis_share_one_uv_workspace() {
    let ws = Workspace::new(&["--api", "first", "--api", "second"]);
    ws.sh(".", "uv sync", &[]);
    for dir in ["packages/first", "packages/second"] {
        let tests = ws.target(dir, "test");
        assert!(tests.contains(" passed"), "{tests}");
    }
}

/// The seed's six Python examples (the `Item` get/post, logger, tracer subsegment, metrics,
/// `HTTPException` and streaming `Chunk` examples), written out with their indentation, as a
/// user ends up with them in `main.py`: imports at the top, one path per example
/// (`/items/{item_id}`, `/log/…`, `/trace/…`, `/metric/…`, `/checked/…`, `/stream`), and every
/// annotation exactly as the seed writes it (none on `create_item`, the `read_item`s and
/// `generate_chunks`). Two changes a user has to make, both forced by the seed's own text:
/// - the `...` placeholders are filled in (`Item(name=...)` passes an `EllipsisType` for a
///   `str`: a real type error, which the type check must keep reporting);
/// - the four `read_item`s get one name each (`log_item`, `trace_item`, `count_item`,
///   `check_item`): the function name is the operationId the infrastructure types each
///   operation by (the seed's `sayHello`), so four `read_item`s would be four operations with
///   one name; ruff (F811) and mypy (no-redef) reject the redefinitions too.
const SEED_EXAMPLES: &str = include_str!("fixtures/seed/examples.py");

/// `main` with `examples` pasted in as a user would: the examples' imports replace the
/// generated import block (they include what it imported), their code goes at the end.
fn paste_into_main(main: &str, examples: &str) -> String {
    fn is_import(line: &str) -> bool {
        line.starts_with("from ") || line.starts_with("import ")
    }
    let body_start = examples
        .lines()
        .scan(0, |offset, line| {
            let start = *offset;
            *offset += line.len() + 1;
            Some((start, line))
        })
        .find(|(_, line)| !line.trim().is_empty() && !is_import(line))
        .map(|(start, _)| start)
        .unwrap();
    let (imports, body) = examples.split_at(body_start);
    let import_start = main.find("\nfrom ").unwrap() + 1;
    let import_end = import_start
        + main[import_start..]
            .lines()
            .take_while(|line| line.trim().is_empty() || is_import(line))
            .map(|line| line.len() + 1)
            .sum::<usize>();
    format!(
        "{}{}\n\n\n{}\n\n\n{}",
        &main[..import_start],
        imports.trim_end(),
        main[import_end..].trim_end(),
        body.trim_start()
    )
}

/// The generated tests test the user's API: none of them adds a route or a model to it.
#[test]
fn issue_8_the_generated_tests_add_no_route_or_model_to_the_app() {
    let temp = tempfile::tempdir().unwrap();
    let run = fastgen(temp.path(), &["new", "demo", "--api", "my-api"]);
    assert_eq!(run.code, 0, "{run:?}");
    let run = fastgen(&temp.path().join("demo"), &["generate", "fast-api", "custom", "--auth", "Custom"]);
    assert_eq!(run.code, 0, "{run:?}");
    let mut files = 0;
    for project in ["my_api", "custom"] {
        let tests = temp.path().join("demo/packages").join(project).join("tests");
        for entry in std::fs::read_dir(&tests).unwrap() {
            let path = entry.unwrap().path();
            let text = std::fs::read_to_string(&path).unwrap();
            for registers in
                ["@app.", "@router.", "APIRouter", "include_router", "add_api_route", "(BaseModel)", "mount("]
            {
                assert!(!text.contains(registers), "{} contains `{registers}`", path.display());
            }
            files += 1;
        }
    }
    assert_eq!(files, 11, "test files");
}

#[test]
fn issue_8_paste_into_main_moves_imports_to_the_top() {
    let main = "\"\"\"Doc.\"\"\"\n\nfrom pydantic import BaseModel\n\nfrom .init import app\n\n\nclass A(BaseModel):\n    x: int\n";
    let examples = "from fastapi import HTTPException\nfrom pydantic import BaseModel\n\nfrom .init import app\n\n\nclass B(BaseModel):\n    y: int\n";
    assert_eq!(
        paste_into_main(main, examples),
        "\"\"\"Doc.\"\"\"\n\nfrom fastapi import HTTPException\nfrom pydantic import BaseModel\n\nfrom .init import app\n\n\nclass A(BaseModel):\n    x: int\n\n\nclass B(BaseModel):\n    y: int\n"
    );
}

#[test]
#[cfg_attr(
    not(fastgen_e2e),
    ignore = "end-to-end: needs FASTGEN_E2E=1 and the tools scripts/install-tools.sh installs (scripts/test.sh sets both)"
)]
fn issue_8_the_seed_examples_pass_lint_typecheck_test_openapi_and_bundle() {
    let ws = Workspace::new(&["--api", "my-api"]);
    let dir = "packages/my_api";
    let main_py = ws.root.join(dir).join("demo_my_api/main.py");
    let pasted = paste_into_main(&std::fs::read_to_string(&main_py).unwrap(), SEED_EXAMPLES);
    std::fs::write(&main_py, &pasted).unwrap();
    ws.sh(".", "uv sync", &[]);
    // As pasted, with no `format` run first: the fixture is written formatter-clean.
    ws.target(dir, "lint");
    ws.target(dir, "typecheck");
    let tests = ws.target(dir, "test");
    assert!(tests.contains(" passed") && !tests.contains("failed"), "{tests}");
    ws.target(dir, "openapi");
    let document: Value = serde_json::from_str(
        &std::fs::read_to_string(ws.root.join("dist/packages/my_api/openapi/openapi.json")).unwrap(),
    )
    .unwrap();
    let ids: Vec<&str> = document["paths"]
        .as_object()
        .unwrap()
        .values()
        .flat_map(|item| item.as_object().unwrap().values())
        .map(|operation| operation["operationId"].as_str().unwrap())
        .collect();
    let mut sorted = ids.clone();
    sorted.sort_unstable();
    assert_eq!(
        sorted,
        [
            "check_item",
            "count_item",
            "create_item",
            "echo",
            "get_item",
            "log_item",
            "my_stream",
            "trace_item"
        ],
        "{document}"
    );
    assert_eq!(
        document["paths"]["/stream"]["post"]["responses"]["200"]["content"]["application/jsonl"]["itemSchema"]
            ["$ref"],
        "#/components/schemas/Chunk"
    );
    ws.target(dir, "bundle");
    assert_bundle(&ws, dir, "x86_64", "x86_64-linux-gnu");
    ws.target(dir, "build");
    // And they answer as the seed says.
    ws.sh(dir, &format!("uv run python -c '{CALL_THE_SEED_EXAMPLES}'"), &[]);
}

/// `PATH` with the fastgen under test first (the metadata targets run `fastgen`), and what
/// `cdk synth` needs offline.
fn infra_env() -> Vec<(String, String)> {
    let bin_dir = common::bin().parent().unwrap().to_path_buf();
    vec![
        ("PATH".to_owned(), format!("{}:{}", bin_dir.display(), std::env::var("PATH").unwrap_or_default())),
        ("CDK_DISABLE_VERSION_CHECK".to_owned(), "true".to_owned()),
        ("CDK_DEFAULT_ACCOUNT".to_owned(), "111111111111".to_owned()),
        ("CDK_DEFAULT_REGION".to_owned(), "us-east-1".to_owned()),
    ]
}

#[test]
#[cfg_attr(
    not(fastgen_e2e),
    ignore = "end-to-end: needs FASTGEN_E2E=1 and the tools scripts/install-tools.sh installs (scripts/test.sh sets both)"
)]
fn issue_8_the_seed_examples_pass_infra_synth_and_the_terraform_build() {
    let env = infra_env();
    for provider in ["CDK", "Terraform"] {
        let ws = Workspace::new(&["--api", "my-api", "--iac-provider", provider]);
        let main_py = ws.root.join("packages/my_api/demo_my_api/main.py");
        let pasted = paste_into_main(&std::fs::read_to_string(&main_py).unwrap(), SEED_EXAMPLES);
        std::fs::write(&main_py, &pasted).unwrap();
        ws.sh(".", "uv sync", &[]);
        ws.sh(".", common::PNPM_INSTALL, &env);
        if provider == "CDK" {
            assert_eq!(fastgen(&ws.root, &["generate", "infra"]).code, 0);
            ws.sh(".", common::PNPM_INSTALL, &env);
            ws.sh(".", "pnpm nx run infra:synth --outputStyle=static", &env);
            let metadata = std::fs::read_to_string(
                ws.root.join("packages/common/constructs/src/generated/my-api/metadata.gen.ts"),
            )
            .unwrap();
            assert!(metadata.contains("myStream: { path: '/stream', method: 'POST' }"), "{metadata}");
        } else {
            ws.sh(".", "pnpm nx run common-terraform:build --outputStyle=static", &env);
            let operations = std::fs::read_to_string(
                ws.root.join("packages/common/terraform/src/generated/my-api/operations.json"),
            )
            .unwrap();
            assert!(operations.contains("my_stream") || operations.contains("myStream"), "{operations}");
        }
    }
}

/// Calls every pasted example through a test client (single quotes are the shell's).
const CALL_THE_SEED_EXAMPLES: &str = r#"
import json
from fastapi.testclient import TestClient
from demo_my_api.main import app

client = TestClient(app)
import io
from demo_my_api.init import logger
written = io.StringIO()
logger.registered_handler.setStream(written)
assert client.get("/items/3").json() == {"name": "item 3"}
assert client.post("/items", json={"name": "new"}).json() == {"name": "new"}
for path in ("log", "trace", "metric", "checked"):
    assert client.get(f"/{path}/7").json() == {"item_id": 7}, path
checked = client.get("/checked/-1")
assert (checked.status_code, checked.json()) == (400, {"detail": "Item ID must be positive"})
stream = client.post("/stream")
assert stream.headers["content-type"].startswith("application/jsonl")
lines = [json.loads(line) for line in stream.text.splitlines()]
assert lines == [{"message": f"This is chunk {i}"} for i in range(100)], lines[:3]
# The logger and metrics examples land in the log line and EMF record of their request.
out = [json.loads(line) for line in written.getvalue().splitlines()]
[fetching] = [line for line in out if line.get("message") == "Fetching item"]
assert (fetching["item_id"], fetching["route"]) == (7, "/log/{item_id}"), fetching
[viewed] = [line for line in out if "ItemViewed" in line]
assert (viewed["ItemViewed"], viewed["route"]) == (1, "GET /metric/{item_id}"), viewed
"#;

#[test]
#[cfg_attr(
    not(fastgen_e2e),
    ignore = "end-to-end: needs FASTGEN_E2E=1 and the tools scripts/install-tools.sh installs (scripts/test.sh sets both)"
)]
fn issue_8_typecheck_still_fails_on_a_real_type_error() {
    let ws = Workspace::new(&["--api", "my-api"]);
    let dir = "packages/my_api";
    ws.sh(".", "uv sync", &[]);
    let wrong = ws.root.join(dir).join("demo_my_api/wrong.py");
    std::fs::write(
        &wrong,
        "def count() -> int:\n    return \"three\"\n\n\ndef double(value: int) -> int:\n    return value * 2\n\n\n\
         def unannotated():\n    return double(\"four\")\n",
    )
    .unwrap();
    let output = Command::new("uv")
        .args(["run", "mypy"])
        .current_dir(ws.root.join(dir))
        .env("UV_PYTHON_DOWNLOADS", "never")
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(!output.status.success(), "typecheck passed a file with type errors:\n{stdout}");
    assert!(
        stdout.contains(r#"wrong.py:2: error: Incompatible return value type (got "str", expected "int")"#),
        "{stdout}"
    );
    assert!(
        stdout.contains(
            r#"wrong.py:10: error: Argument 1 to "double" has incompatible type "str"; expected "int""#
        ),
        "{stdout}"
    );
    std::fs::remove_file(&wrong).unwrap();
    ws.target(dir, "typecheck");
}

/// How many tests pytest's summary line says passed (0 when none did or something failed).
fn passed(output: &str) -> u32 {
    let Some(summary) = output.lines().rev().find(|line| line.contains(" passed")) else {
        return 0;
    };
    if summary.contains("failed") || summary.contains("error") {
        return 0;
    }
    summary
        .split(" passed")
        .next()
        .and_then(|count| count.split_whitespace().last())
        .and_then(|count| count.parse().ok())
        .unwrap_or(0)
}

/// The runtime suite's test count: a lost test is a failure, not a smaller number.
const RUNTIME_TESTS: u32 = 51;

/// fastgen's tests of its runtime package (`tests/fixtures/runtime/`: correlation ids, logs,
/// EMF metrics, errors, CORS, readiness, streaming, tracing), copied into the generated
/// `packages/common/runtime` and run there on apps of their own from `create_app`; the
/// package passes its own `lint` and `typecheck` targets, and the suite the same checks.
#[test]
#[cfg_attr(
    not(fastgen_e2e),
    ignore = "end-to-end: needs FASTGEN_E2E=1 and the tools scripts/install-tools.sh installs (scripts/test.sh sets both)"
)]
fn issue_8_the_runtime_suite_passes_against_the_runtime_package() {
    let ws = Workspace::new(&["--api", "my-api"]);
    let runtime = "packages/common/runtime";
    let suite = ws.root.join(runtime).join("runtime_tests");
    std::fs::create_dir(&suite).unwrap();
    let fixtures = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/runtime");
    let mut copied = 0;
    for entry in std::fs::read_dir(fixtures).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, suite.join(path.file_name().unwrap())).unwrap();
        copied += 1;
    }
    assert!(copied >= 10, "only {copied} runtime test files");
    ws.sh(".", "uv sync", &[]);
    let tests = ws.sh(runtime, "uv run pytest runtime_tests -p no:cacheprovider", &[]);
    assert_eq!(passed(&tests), RUNTIME_TESTS, "{tests}");
    // The package passes its own Nx targets (strict mypy), and the suite the same checks.
    ws.target(runtime, "lint");
    ws.target(runtime, "typecheck");
    ws.sh(runtime, "uv run ruff check runtime_tests && uv run ruff format --check runtime_tests", &[]);
    ws.sh(runtime, "uv run mypy runtime_tests", &[]);
    // The API's own tests still pass next to it, and its document has only its own operation.
    let dir = "packages/my_api";
    ws.target(dir, "test");
    ws.target(dir, "openapi");
    let document: Value = serde_json::from_str(
        &std::fs::read_to_string(ws.root.join("dist/packages/my_api/openapi/openapi.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(document["paths"].as_object().unwrap().keys().collect::<Vec<_>>(), ["/echo"]);
}

/// The generated `init.py` is the short file the seed describes, and neither it nor the
/// runtime package reaches into Powertools' private members or swaps an object's class.
#[test]
fn issue_8_init_py_is_short_and_only_public_powertools_is_used() {
    let temp = tempfile::tempdir().unwrap();
    let run = fastgen(temp.path(), &["new", "demo", "--api", "my-api"]);
    assert_eq!(run.code, 0, "{run:?}");
    let root = temp.path().join("demo");
    let init = std::fs::read_to_string(root.join("packages/my_api/demo_my_api/init.py")).unwrap();
    let lines = init.lines().count();
    assert!(lines <= 60, "init.py has {lines} lines");
    for export in ["app", "logger", "tracer", "metrics", "JsonStreamingResponse"] {
        assert!(init.contains(&format!("\"{export}\"")), "init.py does not export {export}");
    }
    let mut files = vec![("init.py".to_owned(), init)];
    let package = root.join("packages/common/runtime/fastgen_runtime");
    for entry in std::fs::read_dir(&package).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "py") {
            files.push((path.display().to_string(), std::fs::read_to_string(&path).unwrap()));
        }
    }
    assert!(files.len() >= 8, "{}", files.len());
    for (name, text) in &files {
        for (number, line) in text.lines().enumerate() {
            let code = line.split('#').next().unwrap_or_default();
            let private = code.match_indices("._").any(|(at, _)| !code[at + 2..].starts_with('_'));
            assert!(!private, "{name}:{}: a private member: {line}", number + 1);
            for banned in ["__class__", "thread_safe_", "_get_latest_trace_id"] {
                assert!(!code.contains(banned), "{name}:{}: `{banned}`: {line}", number + 1);
            }
        }
    }
}

/// The Python version of the machine's `python3` on a plain `PATH` (the bundle is built for it
/// here: Lambda's 3.13 wheels do not load into another Python).
fn system_python(env: &[(String, String)]) -> String {
    let output = Command::new("python3")
        .args(["-c", "import sys; print(f'{sys.version_info[0]}.{sys.version_info[1]}')"])
        .env_clear()
        .envs(env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    String::from_utf8(output.stdout).unwrap().trim().to_owned()
}

/// Start the bundle's `run.sh` as the Lambda Web Adapter does (`PORT`), with `env` only; wait
/// for `GET /echo` and return (status, body, what the process wrote), or what it wrote when it
/// ended without answering.
fn run_bundle(
    run_sh: &std::path::Path,
    env: &[(String, String)],
    headers: &str,
) -> Result<(u16, String, String), String> {
    let port = common::free_port();
    let log = tempfile::NamedTempFile::new().unwrap();
    let mut command = Command::new("setsid");
    command
        .arg("sh")
        .arg(run_sh)
        .env_clear()
        .envs(env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
        .env("PORT", port.to_string())
        .stdout(log.reopen().unwrap())
        .stderr(log.reopen().unwrap());
    let mut server = common::ProcessGroup(command.spawn().unwrap());
    let deadline = Instant::now() + Duration::from_mins(1);
    let read_log = || std::fs::read_to_string(log.path()).unwrap_or_default();
    while Instant::now() < deadline {
        if let Ok(mut stream) = TcpStream::connect(("127.0.0.1", port)) {
            stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
            write!(
                stream,
                "GET /echo?message=bundled HTTP/1.1\r\nHost: 127.0.0.1\r\n{headers}Connection: close\r\n\r\n"
            )
            .unwrap();
            let mut response = String::new();
            stream.read_to_string(&mut response).unwrap();
            let status = response.split_whitespace().nth(1).unwrap().parse().unwrap();
            let body = response.split_once("\r\n\r\n").map(|(_, b)| b.to_owned()).unwrap_or_default();
            drop(server);
            return Ok((status, body, read_log()));
        }
        if server.0.try_wait().unwrap().is_some() {
            return Err(read_log());
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    panic!("run.sh did not answer on port {port} within 60 s:\n{}", read_log());
}

/// Issue 12: what the bundle target's last step (the runtime package's `finish_bundle.py`)
/// leaves: nothing the function never reads, and unchecked-hash bytecode of `python` for what
/// start-up imports, which importing the app then loads instead of compiling any source.
fn assert_finished(bundle: &std::path::Path, python: &str, env: &[(String, String)]) {
    let tag = format!("cpython-{}", python.replace('.', ""));
    for cut in [
        "bin",
        "wrapt-stubs",
        "fastapi/.agents",
        "wrapt/_wrappers.c",
        "pydantic_core/_pydantic_core/__init__.pyi",
    ] {
        assert!(!bundle.join(cut).exists(), "the bundle still has {cut}");
    }
    let swagger = bundle.join("aws_lambda_powertools/event_handler/openapi/swagger_ui");
    assert!(swagger.is_dir() && !swagger.join("swagger-ui-bundle.min.js").exists());
    let dist_info = std::fs::read_dir(bundle)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .find(|p| p.file_name().unwrap().to_string_lossy().starts_with("fastapi-"))
        .unwrap();
    assert!(
        dist_info.join("METADATA").is_file() && !dist_info.join("RECORD").exists(),
        "{}",
        dist_info.display()
    );
    assert!(dist_info.join("entry_points.txt").is_file() && dist_info.join("licenses").is_dir());
    let metadata = std::fs::read_to_string(dist_info.join("METADATA")).unwrap();
    assert!(metadata.starts_with("Metadata-Version: ") && !metadata.contains("\n\n"), "{metadata}");
    // Bytecode of what start-up imports, unchecked-hash based (flags 0b01), and not of the rest.
    for module in [
        "demo_my_api/__pycache__/main",
        "fastapi/__pycache__/routing",
        "anyio/_backends/__pycache__/_asyncio",
    ] {
        let pyc = std::fs::read(bundle.join(format!("{module}.{tag}.pyc")))
            .unwrap_or_else(|e| panic!("{module}.{tag}.pyc: {e}"));
        assert_eq!(pyc[4..8], [1, 0, 0, 0], "{module}: not an unchecked-hash .pyc");
    }
    let unused = bundle.join("aws_lambda_powertools/utilities/parameters/__pycache__");
    assert!(!unused.exists(), "modules start-up never imports were compiled too");
    // Importing the app as Lambda does (tracing on, a read-only bundle) compiles no source.
    let mut lambda = env.to_vec();
    lambda.extend(
        [
            ("PYTHONPATH", bundle.to_str().unwrap()),
            ("PYTHONDONTWRITEBYTECODE", "1"),
            ("AWS_LAMBDA_FUNCTION_NAME", "my-api"),
        ]
        .map(|(k, v)| (k.to_owned(), v.to_owned())),
    );
    let output = Command::new("python3")
        .args(["-v", "-c", "import demo_my_api.main"])
        .env_clear()
        .envs(lambda.iter().map(|(k, v)| (k.as_str(), v.as_str())))
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let verbose = String::from_utf8_lossy(&output.stderr);
    let loaded = |suffix: &str| {
        verbose
            .lines()
            .filter(|l| {
                l.starts_with(&format!("# code object from '{}", bundle.display())) && l.ends_with(suffix)
            })
            .count()
    };
    assert_eq!(loaded(".py'"), 0, "compiled from source at import:\n{verbose}");
    assert!(loaded(".pyc'") > 200, "{verbose}");
}

/// The bundle works on its own: `run.sh` starts uvicorn on `<mod>.main:app` with nothing but
/// the bundle on the path (the runtime package included). As in Lambda, with tracing on, it
/// serves without botocore (in Lambda the X-Ray SDK samples locally and never imports it), and
/// with the botocore the Lambda Python runtime provides (a directory standing in for it, after
/// the bundle on `PYTHONPATH` as `run.sh` puts it) the SDK loads and instruments that one.
#[test]
#[cfg_attr(
    not(fastgen_e2e),
    ignore = "end-to-end: needs FASTGEN_E2E=1 and the tools scripts/install-tools.sh installs (scripts/test.sh sets both)"
)]
fn issue_8_the_bundle_serves_from_run_sh_with_botocore_from_the_lambda_runtime() {
    let ws = Workspace::new(&["--api", "my-api"]);
    let dir = "packages/my_api";
    ws.sh(".", "uv sync", &[]);
    // A clean `python3`: the machine's, with no virtual environment or tool directory on PATH.
    let plain = vec![("PATH".to_owned(), "/usr/local/bin:/usr/bin:/bin".to_owned())];
    let python = system_python(&plain);
    // The bundle target's commands, for this machine's Python instead of Lambda's.
    let project = ws.project(dir);
    let options = &project["targets"]["bundle"]["options"];
    let lambda_python = fastgen_generators::api::LAMBDA_PYTHON;
    for command in options["commands"].as_array().unwrap() {
        let command = command
            .as_str()
            .unwrap()
            .replace(&format!("--python-version {lambda_python}"), &format!("--python-version {python}"))
            .replace(&format!("--python {lambda_python}"), &format!("--python {python}"));
        ws.sh(options["cwd"].as_str().unwrap(), &command, &[]);
    }
    let bundle = ws.root.join("dist/packages/my_api/bundle-x86_64");
    let run_sh = bundle.join("run.sh");
    assert_finished(&bundle, &python, &plain);
    // uv links installed files to its cache: what the bundle's files lost, the project's
    // environment (linked to the same cache) still has.
    let venv_metadata = ws.sh(".", "cat .venv/lib/python*/site-packages/fastapi-*.dist-info/METADATA", &[]);
    assert!(venv_metadata.contains("\n\n"), "finishing the bundle changed uv's cache:\n{venv_metadata}");

    // Locally (no Lambda variables): tracing is off, the X-Ray SDK is never imported.
    let (status, body, written) = run_bundle(&run_sh, &plain, "").unwrap();
    assert_eq!((status, body.as_str()), (200, r#"{"message":"bundled"}"#), "{written}");
    assert!(written.contains(r#""message":"request received""#), "{written}");
    assert!(written.contains(r#""route":"GET /echo""#), "{written}");

    // As in Lambda: tracing on, the trace joined from the request's header, no botocore at all.
    let mut lambda = plain.clone();
    lambda.extend(
        [
            ("LAMBDA_TASK_ROOT", bundle.to_str().unwrap()),
            ("AWS_LAMBDA_FUNCTION_NAME", "my-api"),
            ("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "512"),
            ("AWS_REGION", "us-east-1"),
            ("AWS_XRAY_DAEMON_ADDRESS", "127.0.0.1:9"),
        ]
        .map(|(k, v)| (k.to_owned(), v.to_owned())),
    );
    let trace =
        "X-Amzn-Trace-Id: Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1\r\n";
    let (status, body, written) = run_bundle(&run_sh, &lambda, trace).unwrap();
    assert_eq!((status, body.as_str()), (200, r#"{"message":"bundled"}"#), "{written}");
    assert!(written.contains(r#""xray_trace_id":"1-5759e988-bd862e3fe1be46a994272793""#), "{written}");

    // With the Lambda runtime's botocore on PYTHONPATH, the function serves, and the X-Ray SDK
    // found that botocore (to trace AWS SDK calls): it is imported from there, not the bundle.
    let site = ws.sh(
        ".",
        "uv run python -c 'import botocore, pathlib; print(pathlib.Path(botocore.__file__).parent.parent)'",
        &[],
    );
    let provided = tempfile::tempdir().unwrap();
    for name in ["botocore", "dateutil", "urllib3", "jmespath", "six.py"] {
        let from = PathBuf::from(site.trim()).join(name);
        ws.sh(".", &format!("cp -R '{}' '{}'", from.display(), provided.path().display()), &[]);
    }
    lambda.push(("PYTHONPATH".to_owned(), provided.path().display().to_string()));
    let (status, body, written) = run_bundle(&run_sh, &lambda, trace).unwrap();
    assert_eq!((status, body.as_str()), (200, r#"{"message":"bundled"}"#), "{written}");
    let mut with_bundle = lambda.clone();
    with_bundle.retain(|(k, _)| k != "PYTHONPATH");
    with_bundle
        .push(("PYTHONPATH".to_owned(), format!("{}:{}", bundle.display(), provided.path().display())));
    let output = Command::new("python3")
        .args(["-c", "import sys, demo_my_api.main; print(sys.modules['botocore'].__file__)"])
        .env_clear()
        .envs(with_bundle.iter().map(|(k, v)| (k.as_str(), v.as_str())))
        .output()
        .unwrap();
    let imported = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{output:?}");
    assert!(imported.trim().starts_with(&provided.path().display().to_string()), "{imported}");
    assert!(written.contains(r#""function_name":"my-api""#), "{written}");
}

/// Issue 12: without the Lambda runtime's Python the bundle is finished without bytecode and
/// the step says why and what to do; a release pipeline can make that an error; an explicit
/// interpreter of the wrong version is named.
#[test]
#[cfg_attr(
    not(fastgen_e2e),
    ignore = "end-to-end: needs FASTGEN_E2E=1 and the tools scripts/install-tools.sh installs (scripts/test.sh sets both)"
)]
fn issue_12_finish_bundle_says_when_the_lambda_python_is_missing() {
    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../fastgen-generators/templates/runtime/scripts/finish_bundle.py");
    let dir = tempfile::tempdir().unwrap();
    let bundle = dir.path().join("bundle");
    std::fs::create_dir_all(bundle.join("bin")).unwrap();
    std::fs::write(bundle.join("run.sh"), "#!/bin/sh\n").unwrap();
    std::fs::write(bundle.join("bin/uvicorn"), "#!/build/machine/python\n").unwrap();
    std::fs::write(bundle.join("app.py"), "app = None\n").unwrap();
    std::fs::write(bundle.join("app.pyi"), "app: None\n").unwrap();
    let run = |extra: &[(&str, &str)]| {
        let output = Command::new("python3")
            .arg(&script)
            .arg(&bundle)
            .args(["--app", "app:app", "--python", "3.99"])
            .env("PYENV_ROOT", dir.path().join("no-pyenv"))
            .envs(extra.iter().copied())
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
        (output.status.code(), String::from_utf8_lossy(&output.stdout).into_owned(), stderr)
    };
    let (code, stdout, stderr) = run(&[]);
    assert_eq!(code, Some(0), "{stdout}{stderr}");
    assert!(stdout.contains("removed 2 files"), "{stdout}");
    assert!(
        !bundle.join("bin").exists() && !bundle.join("app.pyi").exists() && bundle.join("app.py").is_file()
    );
    assert!(stderr.contains("warning: no Python 3.99 found"), "{stderr}");
    assert!(
        stderr.contains("the bundle has no bytecode") && stderr.contains("FASTGEN_LAMBDA_PYTHON"),
        "{stderr}"
    );
    assert!(!bundle.join("__pycache__").exists());

    let (code, _, stderr) = run(&[("FASTGEN_REQUIRE_BYTECODE", "1")]);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(
        stderr.contains("no Python 3.99 found") && stderr.contains("FASTGEN_REQUIRE_BYTECODE=1"),
        "{stderr}"
    );

    let (code, _, stderr) = run(&[("FASTGEN_LAMBDA_PYTHON", "python3")]);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(stderr.contains("FASTGEN_LAMBDA_PYTHON=python3 is Python 3."), "{stderr}");
    assert!(stderr.contains(", not 3.99"), "{stderr}");
}

/// Issue 12: Lambda `SnapStart` is on, with the Web Adapter's after-restore hook, and the README's way
/// of turning it off (`functionOptions: { snapStart: undefined }` in the infra app) works.
#[test]
#[cfg_attr(
    not(fastgen_e2e),
    ignore = "end-to-end: needs FASTGEN_E2E=1 and the tools scripts/install-tools.sh installs (scripts/test.sh sets both)"
)]
fn issue_12_snapstart_is_on_with_the_after_restore_hook_and_can_be_turned_off() {
    let env = infra_env();
    let ws = Workspace::new(&["--api", "my-api"]);
    ws.sh(".", "uv sync", &[]);
    assert_eq!(fastgen(&ws.root, &["generate", "infra"]).code, 0);
    ws.sh(".", common::PNPM_INSTALL, &env);
    let functions = |ws: &Workspace| -> Vec<Value> {
        ws.sh(".", "pnpm nx run infra:synth --outputStyle=static", &env);
        let path = ws.root.join("dist/packages/infra/cdk.out/ApplicationStack.template.json");
        let template: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        let resources = template["Resources"].as_object().unwrap();
        resources.values().filter(|r| r["Type"] == "AWS::Lambda::Function").cloned().collect()
    };
    let on = functions(&ws);
    assert_eq!(on.len(), 1);
    let props = &on[0]["Properties"];
    assert_eq!(props["SnapStart"]["ApplyOn"], "PublishedVersions");
    assert_eq!(props["Environment"]["Variables"]["AWS_LWA_SNAPSTART_AFTER_RESTORE_PATH"], "/__after_restore");

    let stack = ws.root.join("packages/infra/src/stacks/application-stack.ts");
    let source = std::fs::read_to_string(&stack).unwrap();
    let off = "addApis(this, { apis: { myApi: { functionOptions: { snapStart: undefined } } } })";
    assert!(source.contains("addApis(this)"), "{source}");
    std::fs::write(&stack, source.replace("addApis(this)", off)).unwrap();
    let off = functions(&ws);
    assert!(off[0]["Properties"].get("SnapStart").is_none(), "{:#}", off[0]);
}
