//! `fastgen mcp`, driven as an agent's client drives it: the real binary, newline-delimited
//! JSON-RPC on its stdin and stdout. A plan writes nothing, a generation writes what the CLI
//! writes with the same options (byte for byte), refusals are tool errors with the CLI's
//! message and hint, and every tool stays inside the workspace it is given.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::Duration;

use common::{Fixture, dir_state, fastgen};
use serde_json::{Value, json};

const PROTOCOL: &str = "2025-06-18";
const TOOLS: &[&str] = &[
    "list_generators",
    "generator_schema",
    "plan",
    "generate",
    "codegen_client",
    "codegen_metadata",
    "workspace_info",
];

const SPEC: &str = r#"{"openapi": "3.1.0", "info": {"title": "Shop", "version": "1"}, "paths": {
  "/items/{item_id}": {"get": {"operationId": "get_item", "parameters": [{"name": "item_id", "in": "path", "required": true, "schema": {"type": "string"}}], "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {"type": "object"}}}}}}}
}}"#;

/// A running `fastgen mcp`, initialized.
struct Server {
    child: Child,
    stdin: Option<ChildStdin>,
    lines: Receiver<String>,
    next_id: u64,
}

impl Server {
    /// Start the server in `cwd` and run the initialize handshake.
    fn start(cwd: &Path) -> Self {
        Self::start_with(cwd, &[], Stdio::inherit())
    }

    /// `start` with more environment, and stderr where given.
    fn start_with(cwd: &Path, env: &[(&str, &str)], stderr: Stdio) -> Self {
        let mut child = Command::new(common::bin())
            .arg("mcp")
            .current_dir(cwd)
            .env("NO_COLOR", "1")
            .envs(env.iter().copied())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(stderr)
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let (send, lines) = channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if send.send(line).is_err() {
                    break;
                }
            }
        });
        let stdin = child.stdin.take();
        let mut server = Self { child, stdin, lines, next_id: 0 };
        let init = server.request(
            "initialize",
            &json!({
                "protocolVersion": PROTOCOL,
                "capabilities": {},
                "clientInfo": { "name": "fastgen-tests", "version": "1.0.0" },
            }),
        );
        let result = &init["result"];
        assert_eq!(result["protocolVersion"], PROTOCOL, "{init}");
        assert_eq!(result["serverInfo"]["name"], "fastgen", "{init}");
        assert!(result["capabilities"]["tools"].is_object(), "{init}");
        server.send(&json!({ "jsonrpc": "2.0", "method": "notifications/initialized" }));
        server
    }

    fn send(&mut self, message: &Value) {
        let stdin = self.stdin.as_mut().unwrap();
        writeln!(stdin, "{message}").unwrap();
        stdin.flush().unwrap();
    }

    /// Send a request; its response (notifications and other messages skipped).
    fn request(&mut self, method: &str, params: &Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        self.send(&json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params }));
        loop {
            let line = self.lines.recv_timeout(Duration::from_mins(2)).expect("the server answers");
            let message: Value = serde_json::from_str(&line).unwrap_or_else(|e| panic!("{e}: {line}"));
            if message["id"] == id {
                return message;
            }
        }
    }

    /// Call a tool; its result (`content`, `structuredContent`, `isError`).
    fn call(&mut self, tool: &str, arguments: &Value) -> Value {
        let response = self.request("tools/call", &json!({ "name": tool, "arguments": arguments }));
        assert!(response.get("error").is_none(), "{tool}: {response}");
        response["result"].clone()
    }

    /// A call that must succeed: its structured result.
    fn ok(&mut self, tool: &str, arguments: &Value) -> Value {
        let result = self.call(tool, arguments);
        assert_eq!(result["isError"], false, "{tool}: {result}");
        let text = result["content"][0]["text"].as_str().unwrap();
        let structured = result["structuredContent"].clone();
        assert_eq!(
            serde_json::from_str::<Value>(text).unwrap(),
            structured,
            "{tool}: text and structure differ"
        );
        structured
    }

    /// A call that must be refused: its text.
    fn refused(&mut self, tool: &str, arguments: &Value) -> String {
        let result = self.call(tool, arguments);
        assert_eq!(result["isError"], true, "{tool}: {result}");
        result["content"][0]["text"].as_str().unwrap().to_owned()
    }

    /// Close stdin: the server ends, successfully.
    fn stop(mut self) {
        drop(self.stdin.take());
        let status = self.child.wait().unwrap();
        assert!(status.success(), "fastgen mcp ended with {status}");
    }
}

fn actions(document: &Value) -> Vec<(String, String)> {
    document["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["action"].as_str().unwrap().to_owned(), f["path"].as_str().unwrap().to_owned()))
        .collect()
}

#[test]
fn an_agent_plans_and_generates_an_api_as_the_cli_does() {
    let served = Fixture::new(&[]);
    let cli = Fixture::new(&[]);
    let mut server = Server::start(served.temp.path());

    let list = server.request("tools/list", &json!({}));
    let tools = list["result"]["tools"].as_array().unwrap();
    let names: Vec<&str> = tools.iter().map(|t| t["name"].as_str().unwrap()).collect();
    assert_eq!(names, TOOLS);
    for tool in tools {
        assert_eq!(tool["inputSchema"]["type"], "object", "{tool}");
        assert!(tool["description"].as_str().is_some_and(|d| !d.is_empty()), "{tool}");
    }

    let schema = server.ok("generator_schema", &json!({ "generator": "fast-api" }));
    let printed = fastgen(cli.temp.path(), &["schema", "fast-api"]);
    assert_eq!(schema, serde_json::from_str::<Value>(&printed.stdout).unwrap());
    let generators = server.ok("list_generators", &json!({}));
    let listed: Vec<&str> =
        generators["generators"].as_array().unwrap().iter().map(|g| g["name"].as_str().unwrap()).collect();
    assert_eq!(listed, ["fast-api", "infra", "website", "connection"]);

    // A plan: the CLI's dry run, with a diff for every new file, and nothing written.
    let options = json!({ "name": "my-api", "compute-type": "http", "auth": "iam" });
    let arguments = json!({ "workspace": "demo", "generator": "fast-api", "options": options });
    let before = dir_state(&served.root);
    let plan = server.ok("plan", &arguments);
    assert_eq!(plan["dryRun"], true);
    let dry_run = cli.run(&[
        "generate",
        "fast-api",
        "my-api",
        "--compute-type",
        "http",
        "--auth",
        "IAM",
        "--dry-run",
        "--json",
    ]);
    assert_eq!(dry_run.code, 0, "{dry_run:?}");
    assert_eq!(actions(&plan), actions(&serde_json::from_str(&dry_run.stdout).unwrap()));
    let created: Vec<&Value> =
        plan["files"].as_array().unwrap().iter().filter(|f| f["action"] == "CREATE").collect();
    assert!(created.len() > 10, "{plan}");
    for file in created {
        let diff = file["diff"].as_str().unwrap_or_else(|| panic!("no diff: {file}"));
        assert!(
            diff.starts_with(&format!("--- /dev/null\n+++ b/{}\n", file["path"].as_str().unwrap())),
            "{diff}"
        );
    }
    assert_eq!(dir_state(&served.root), before, "a plan wrote");

    // Refusals: tool errors with the CLI's message and hint, and nothing written.
    assert_refusals_read_as_the_cli_reads_them(&mut server, &cli);
    assert_eq!(dir_state(&served.root), before, "a refusal wrote");

    // The generation, then a second plan with nothing to do.
    let generated = server.ok("generate", &arguments);
    assert_eq!(generated["dryRun"], false);
    assert_eq!(actions(&generated), actions(&plan));
    assert!(served.root.join("packages/my_api/project.json").is_file());
    let again = server.ok("plan", &arguments);
    for (action, path) in actions(&again) {
        assert!(action == "UNCHANGED" || action == "KEEP", "{action} {path}");
    }

    let info = server.ok("workspace_info", &json!({ "workspace": served.root.join("packages") }));
    assert_eq!(info["scope"], "demo");
    assert_eq!(info["apis"].as_array().unwrap().len(), 1, "{info}");
    let api = &info["apis"][0];
    assert_eq!(api["project"], "demo.my_api");
    assert_eq!(api["options"]["name"], "my-api");
    assert_eq!(api["options"]["computeType"], "ServerlessApiGatewayHttpApi");
    assert_eq!(api["options"]["auth"], "IAM");
    assert_eq!(api["ports"], json!([8000]));
    server.stop();

    // The same options on the command line make the same workspace, byte for byte.
    let run = cli.run(&[
        "generate",
        "fast-api",
        "my-api",
        "--computeType",
        "ServerlessApiGatewayHttpApi",
        "--auth",
        "IAM",
    ]);
    assert_eq!(run.code, 0, "{run:?}");
    assert_same_trees(&served.root, &cli.root);
}

/// Invalid calls of `plan` and `generate` in the workspace `demo`: tool errors with the
/// message and hint the CLI prints for the same mistake in `cli`.
fn assert_refusals_read_as_the_cli_reads_them(server: &mut Server, cli: &Fixture) {
    let refused = cli.run(&["generate", "fast-api", "9bad"]);
    assert_eq!(refused.code, 2, "{refused:?}");
    let text = server.refused(
        "generate",
        &json!({ "workspace": "demo", "generator": "fast-api", "options": { "name": "9bad" } }),
    );
    assert!(text.contains(refused.error_line()) && text.contains(refused.hint_line()), "{text}\n{refused:?}");
    let text = server.refused(
        "generate",
        &json!({ "workspace": "demo", "generator": "fast-api", "options": { "name": "my-api", "colour": "red" } }),
    );
    assert_eq!(
        text,
        "error: unexpected argument `--colour` for `fastgen generate fast-api`\nhint: run `fastgen schema fast-api` to see its options"
    );
    let text = server.refused(
        "plan",
        &json!({ "workspace": "demo", "generator": "fast-api", "options": { "name": "my-api", "auth": "Kerberos" } }),
    );
    assert!(
        text.starts_with("error: `Kerberos` is not a valid value for `--auth`; expected one of: "),
        "{text}"
    );
    let text = server.refused("generate", &json!({ "workspace": "demo", "generator": "fast-api" }));
    let missing = cli.run(&["generate", "fast-api"]);
    assert!(text.contains(missing.error_line()) && text.contains(missing.hint_line()), "{text}\n{missing:?}");
    let text = server.refused("plan", &json!({ "workspace": "demo", "generator": "django" }));
    assert_eq!(
        text,
        "error: there is no generator `django`\nhint: run `fastgen generate --help` to list the generators"
    );
}

/// Every file and directory of `a` and `b` the same, bytes and modes.
fn assert_same_trees(a: &Path, b: &Path) {
    let (a, b) = (dir_state(a), dir_state(b));
    let differing: Vec<&String> =
        a.keys().chain(b.keys()).filter(|path| a.get(*path) != b.get(*path)).collect();
    assert!(differing.is_empty(), "these differ: {differing:?}");
}

#[test]
fn codegen_tools_write_what_the_cli_writes() {
    let served = Fixture::new(&[]);
    let cli = Fixture::new(&[]);
    for fixture in [&served, &cli] {
        fixture.write("dist/openapi.json", SPEC);
    }
    let mut server = Server::start(served.temp.path());
    let workspace = served.root.display().to_string();
    let planned = server.ok(
        "codegen_client",
        &json!({ "workspace": workspace, "spec": "dist/openapi.json", "out": "web/src/gen", "dryRun": true }),
    );
    assert_eq!(planned["summary"]["create"], 3, "{planned}");
    assert!(!served.root.join("web").exists());
    server.ok(
        "codegen_client",
        &json!({ "workspace": workspace, "spec": "dist/openapi.json", "out": "web/src/gen" }),
    );
    server.ok(
        "codegen_metadata",
        &json!({ "workspace": workspace, "spec": "dist/openapi.json", "out": served.root.join("gen/shop") }),
    );
    server.stop();
    for args in [
        &["codegen", "client", "--spec", "dist/openapi.json", "--out", "web/src/gen"][..],
        &["codegen", "metadata", "--spec", "dist/openapi.json", "--out", "gen/shop"][..],
    ] {
        let run = cli.run(args);
        assert_eq!(run.code, 0, "{run:?}");
    }
    assert_same_trees(&served.root, &cli.root);
}

#[test]
fn a_workspace_outside_any_workspace_or_a_path_escaping_it_is_refused() {
    let fixture = Fixture::new(&[]);
    let temp = fixture.temp.path();
    std::fs::create_dir(temp.join("plain")).unwrap();
    std::fs::write(temp.join("outside.json"), SPEC).unwrap();
    let before = dir_state(temp);
    let mut server = Server::start(temp);

    // Not a workspace, as `-C` refuses it.
    let cli = fastgen(temp, &["-C", "plain", "generate", "fast-api", "my-api"]);
    assert_eq!(cli.code, 1, "{cli:?}");
    let text = server.refused(
        "plan",
        &json!({ "workspace": "plain", "generator": "fast-api", "options": { "name": "my-api" } }),
    );
    assert!(text.contains(cli.error_line()) && text.contains(cli.hint_line()), "{text}\n{cli:?}");
    let text = server.refused("workspace_info", &json!({ "workspace": temp.join("missing") }));
    assert!(text.starts_with("error: the workspace directory `"), "{text}");

    // Paths that leave the workspace.
    let workspace = fixture.root.display().to_string();
    let text = server.refused(
        "codegen_metadata",
        &json!({ "workspace": workspace, "spec": "../outside.json", "out": "gen" }),
    );
    assert!(text.starts_with("error: `--spec ../outside.json` is outside the workspace `"), "{text}");
    for out in ["../escape", "gen/../../escape", &temp.join("escape").display().to_string()] {
        let text = server.refused(
            "codegen_client",
            &json!({ "workspace": workspace, "spec": temp.join("demo/nx.json"), "out": out }),
        );
        assert!(text.starts_with(&format!("error: `--out {out}` is outside the workspace `")), "{text}");
    }
    let text = server.refused(
        "generate",
        &json!({ "workspace": workspace, "generator": "fast-api", "options": { "name": "my-api", "directory": "../escape" } }),
    );
    assert!(text.starts_with("error: "), "{text}");

    // Malformed arguments are tool errors too, never a crash.
    for (tool, arguments) in [
        ("plan", json!({ "workspace": 5, "generator": "fast-api" })),
        ("plan", json!({ "workspace": workspace, "generator": "fast-api", "options": "name=my-api" })),
        ("plan", json!({ "workspace": workspace, "generator": "fast-api", "options": { "name": ["a"] } })),
        ("plan", json!({ "workspace": workspace, "generator": "fast-api", "extra": true })),
        ("generate", json!({})),
        ("generator_schema", json!({ "generator": "fast-api", "nx": "yes" })),
        ("codegen_client", json!({ "workspace": workspace, "spec": "missing.json", "out": "gen" })),
    ] {
        let text = server.refused(tool, &arguments);
        assert!(text.starts_with("error: ") && text.contains("\nhint: "), "{tool} {arguments}: {text}");
    }
    let unknown = server.request("tools/call", &json!({ "name": "rm_rf", "arguments": {} }));
    assert!(unknown["error"]["message"].as_str().unwrap().contains("rm_rf"), "{unknown}");
    server.stop();
    assert_eq!(dir_state(temp), before, "a refused call wrote");
}

/// A Ctrl-C while `generate` is writing: the commit rolls back, the server ends as the CLI
/// does (130, "every file already written was restored"), and the workspace is as before.
#[test]
fn an_interrupt_during_a_generate_rolls_back_and_ends_the_server() {
    let served = Fixture::new(&[]);
    let before = dir_state(&served.root);
    let log = tempfile::NamedTempFile::new().unwrap();
    // 40 ms before each write: the commit of ~80 files takes seconds.
    let pause = [("FASTGEN_TEST_PAUSE_MS", "40")];
    let mut server = Server::start_with(served.temp.path(), &pause, Stdio::from(log.reopen().unwrap()));
    let arguments = json!({ "workspace": "demo", "generator": "fast-api", "options": { "name": "my-api" } });
    server.send(&json!({
        "jsonrpc": "2.0",
        "id": 99,
        "method": "tools/call",
        "params": { "name": "generate", "arguments": arguments },
    }));
    let manifest = served.root.join(".fastgen/journal/manifest.json");
    let deadline = std::time::Instant::now() + Duration::from_mins(1);
    while !manifest.exists() && std::time::Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(1));
    }
    assert!(manifest.exists(), "the commit did not start");
    std::thread::sleep(Duration::from_millis(200));
    let kill = Command::new("kill").arg("-INT").arg(server.child.id().to_string()).status().unwrap();
    assert!(kill.success());
    let status = server.child.wait().unwrap();
    let stderr = std::fs::read_to_string(log.path()).unwrap();
    assert_eq!(status.code(), Some(130), "{stderr}");
    assert!(stderr.contains("every file already written was restored"), "{stderr}");
    assert!(!manifest.exists(), "the journal is left behind");
    assert_eq!(dir_state(&served.root), before, "the interrupted generate left files behind");
}
