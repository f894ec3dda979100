//! End-to-end: `fastgen codegen client` against a real FastAPI service. A workspace's API gets
//! the routes of `fixtures/client/main.py` (every parameter location, JSON, form and
//! multipart bodies, PUT/PATCH/DELETE, documented errors, JSON lines, byte-fragmented and
//! malformed streams, server-sent events); its OpenAPI document, written by the API's own
//! `openapi` target, is turned into a client; the client and `fixtures/client/client.test.ts`
//! are type-checked together by TypeScript 5.9 in its strictest settings; and the compiled
//! test drives the client (and its `TanStack` Query options) against the API served by
//! uvicorn, and against a stub for API Gateway's undocumented statuses.
//!
//! Runs when `FASTGEN_E2E=1` (`scripts/test.sh` sets it after installing the tools: uv, and
//! TypeScript with @tanstack/react-query in `.cache/tools/client`); otherwise it is ignored,
//! with its reason.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::fastgen;

/// The API `fastgen new demo --api my-api` creates, and its module.
const API_DIR: &str = "packages/my_api";
const MODULE: &str = "demo_my_api";
/// Where the client and its test go, inside the workspace (`codegen client` writes inside it only).
const CLIENT_DIR: &str = "client-test";

/// The files of `tests/fixtures/client/` the Node side needs, copied next to the generated client.
const NODE_FIXTURES: &[&str] = &["client.test.ts", "node.d.ts", "tsconfig.json", "package.json"];

fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/client")
}

/// TypeScript, @tanstack/react-query and react, installed by `scripts/install-tools.sh`.
fn client_tools() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../.cache/tools/client/node_modules")
}

/// Run `command` through `sh` in `cwd`; its stdout, or a panic with its output.
fn sh(cwd: &Path, command: &str) -> String {
    let started = Instant::now();
    let output = Command::new("sh")
        .arg("-c")
        .arg(command)
        .current_dir(cwd)
        .env("UV_PYTHON_DOWNLOADS", "never")
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&output.stderr);
    eprintln!("$ (cd {} && {command})  [{:.1}s]", cwd.display(), started.elapsed().as_secs_f64());
    assert!(output.status.success(), "`{command}` failed\nstdout:\n{stdout}\nstderr:\n{stderr}");
    stdout
}

/// The status of `GET path` on 127.0.0.1:`port`, or None when nothing answers.
fn status(port: u16, path: &str) -> Option<u16> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).ok()?;
    stream.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    write!(stream, "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n").ok()?;
    let mut response = String::new();
    stream.read_to_string(&mut response).ok()?;
    response.split_whitespace().nth(1)?.parse().ok()
}

/// uvicorn serving the API on a free port (no reloader), its output in `log`.
fn serve(api: &Path, log: &Path) -> (common::ProcessGroup, u16) {
    let started = Instant::now();
    let port = common::free_port();
    let log_file = std::fs::File::create(log).unwrap();
    let mut command = Command::new("setsid");
    command
        .args(["uv", "run", "uvicorn", &format!("{MODULE}.main:app"), "--host", "127.0.0.1", "--port"])
        .arg(port.to_string())
        .current_dir(api)
        .env("UV_PYTHON_DOWNLOADS", "never")
        .stdin(Stdio::null())
        .stdout(log_file.try_clone().unwrap())
        .stderr(log_file);
    let mut server = common::ProcessGroup(command.spawn().unwrap());
    let deadline = Instant::now() + Duration::from_mins(1);
    while Instant::now() < deadline {
        // The readiness path the runtime's middleware answers.
        if status(port, "/__health") == Some(200) {
            eprintln!("uvicorn answers on port {port}  [{:.1}s]", started.elapsed().as_secs_f64());
            return (server, port);
        }
        if let Some(exit) = server.0.try_wait().unwrap() {
            panic!(
                "uvicorn ended ({exit}) before answering:\n{}",
                std::fs::read_to_string(log).unwrap_or_default()
            );
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    panic!("uvicorn did not answer within 60 s:\n{}", std::fs::read_to_string(log).unwrap_or_default());
}

/// Run `node --test` on the compiled test with `API_URL`, at most `limit`: (success, output).
fn node_test(dir: &Path, api_url: &str, limit: Duration) -> (bool, String) {
    let started = Instant::now();
    let out = dir.join("node-test.log");
    let out_file = std::fs::File::create(&out).unwrap();
    let mut node = common::ProcessGroup(
        Command::new("setsid")
            .args(["node", "--test", "--test-reporter=spec", "dist/client.test.js"])
            .current_dir(dir)
            .env("API_URL", api_url)
            .env("NO_COLOR", "1")
            .stdin(Stdio::null())
            .stdout(out_file.try_clone().unwrap())
            .stderr(out_file)
            .spawn()
            .unwrap(),
    );
    let success = loop {
        if let Some(exit) = node.0.try_wait().unwrap() {
            break exit.success();
        }
        if started.elapsed() > limit {
            drop(node);
            panic!(
                "node --test did not end within {} s:\n{}",
                limit.as_secs(),
                std::fs::read_to_string(&out).unwrap_or_default()
            );
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    eprintln!(
        "$ (cd {} && node --test dist/client.test.js)  [{:.1}s]",
        dir.display(),
        started.elapsed().as_secs_f64()
    );
    (success, std::fs::read_to_string(&out).unwrap())
}

#[test]
#[cfg_attr(
    not(fastgen_e2e),
    ignore = "end-to-end: needs FASTGEN_E2E=1 and the tools scripts/install-tools.sh installs (scripts/test.sh sets both)"
)]
fn the_generated_client_calls_a_real_fastapi_service() {
    let started = Instant::now();
    let tools = client_tools();
    assert!(
        tools.join("typescript/bin/tsc").is_file() && tools.join("@tanstack/react-query").is_dir(),
        "{} lacks typescript or @tanstack/react-query: run scripts/install-tools.sh",
        tools.display()
    );

    // A workspace whose API has the fixture's routes.
    let step = Instant::now();
    let temp = tempfile::tempdir().unwrap();
    let run = fastgen(temp.path(), &["new", "demo", "--api", "my-api"]);
    assert_eq!(run.code, 0, "{run:?}");
    let root = temp.path().join("demo");
    let api = root.join(API_DIR);
    let main = api.join(MODULE).join("main.py");
    assert!(main.is_file(), "fastgen new did not write {}", main.display());
    std::fs::copy(fixtures().join("main.py"), &main).unwrap();
    eprintln!("fastgen new, fixture main.py  [{:.1}s]", step.elapsed().as_secs_f64());
    sh(&root, "uv sync");
    // Form and multipart routes need python-multipart: fastapi[standard] brings it (dev group).
    sh(&api, "uv run python -c 'import python_multipart'");

    // The API's own `openapi` target writes the document the client is generated from.
    let project: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(api.join("project.json")).unwrap()).unwrap();
    let openapi = &project["targets"]["openapi"]["options"];
    let command = openapi["command"].as_str().expect("the openapi target runs one command");
    sh(&root.join(openapi["cwd"].as_str().unwrap()), command);
    let spec = "dist/packages/my_api/openapi/openapi.json";
    assert!(root.join(spec).is_file(), "the openapi target did not write {spec}");

    let step = Instant::now();
    let generated = format!("{CLIENT_DIR}/generated");
    let run = fastgen(&root, &["codegen", "client", "--spec", spec, "--out", &generated]);
    assert_eq!(run.code, 0, "{run:?}");
    eprintln!("fastgen codegen client  [{:.1}s]", step.elapsed().as_secs_f64());
    let client = std::fs::read_to_string(root.join(&generated).join("client.gen.ts")).unwrap();
    let options = std::fs::read_to_string(root.join(&generated).join("options.gen.ts")).unwrap();
    assert!(client.contains("export class MyApi {"), "{client}");
    assert!(
        options.contains("export const createMyApiOptions = (client: MyApi, queryClient: QueryClient) =>"),
        "{options}"
    );
    // FastAPI's operationIds here are the function names: the methods are short.
    for method in
        ["getItem(args: GetItemRequest", "ticks(args: TicksRequest", "fragments(options?: CallOptions)"]
    {
        assert!(client.contains(method), "no `{method}` in client.gen.ts");
    }

    // Type-check the client and the test together, and compile them to JavaScript.
    let dir = root.join(CLIENT_DIR);
    for name in NODE_FIXTURES {
        std::fs::copy(fixtures().join(name), dir.join(name)).unwrap();
    }
    std::os::unix::fs::symlink(&tools, dir.join("node_modules")).unwrap();
    sh(&dir, "node node_modules/typescript/bin/tsc -p tsconfig.json");

    // The API served by uvicorn, and the Node test against it.
    let log = temp.path().join("uvicorn.log");
    let (server, port) = serve(&api, &log);
    let (success, output) = node_test(&dir, &format!("http://127.0.0.1:{port}"), Duration::from_mins(2));
    drop(server);
    assert!(
        success,
        "the client's Node test failed:\n{output}\nuvicorn's log:\n{}",
        std::fs::read_to_string(&log).unwrap_or_default()
    );
    eprintln!("{output}");
    assert!(output.contains("ℹ fail 0") && output.contains("ℹ pass 14"), "{output}");
    eprintln!("total  [{:.1}s]", started.elapsed().as_secs_f64());
}
