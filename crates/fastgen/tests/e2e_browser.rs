//! End-to-end in a real browser: a website connected to an API, built, served and driven in
//! headless Chromium.
//!
//! A workspace gets a public API whose `main.py` is `fixtures/browser/main.py` (a query, and a
//! JSON-lines stream through the runtime's `JsonStreamingResponse` that yields `COUNT` items
//! `INTERVAL_MS` apart and records when it yielded each and when it ended), a website, and
//! `fastgen generate connection` between them; the website's home page becomes
//! `fixtures/browser/home.tsx`, which calls both through `useMyApi()` (`TanStack` Query options,
//! the stream as a streamed query) and renders each item as an `<li>`. `web:build` runs the
//! connection's chain (the API's `openapi` → `generate:my-api-client` → `typecheck` → `vite
//! build`); the build's `runtime-config.json` then points `apis.MyApi` at the API under
//! uvicorn on a free port, and `vite preview` serves the build on another (so every call is
//! cross-origin, through the runtime's CORS). `fixtures/browser/drive.mjs` opens the page in
//! Debian's Chromium through playwright-core and reports when each item appeared in the DOM.
//!
//! Asserted: the query's result is on the page; every item is, in order; each item appeared
//! after the server yielded it and before the server yielded the next one, and every item but
//! the last while the page still said it was streaming and before the server's stream ended;
//! no page error and no failed request. The same page in its `mode=buffered` (items shown only
//! once the stream has ended, as a page that waits for the whole stream would) must fail that
//! check, so the check is known to catch it. Screenshots mid-stream and at the end go to
//! `target/test-artifacts/browser/`.
//!
//! Runs when `FASTGEN_E2E=1` (`scripts/test.sh` sets it after `scripts/install-tools.sh`, which
//! installs Chromium with apt and playwright-core into `.cache/tools/browser`); otherwise it is
//! ignored, with its reason.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::fastgen;
use serde_json::Value;

/// The API (`fastgen generate fast-api my-api --auth None`), its module and the website.
const API_DIR: &str = "packages/my_api";
const MODULE: &str = "demo_my_api";
const WEB_DIR: &str = "packages/web";
/// Debian's `chromium` package.
const CHROMIUM: &str = "/usr/bin/chromium";
/// The stream the page asks for: this many items, this far apart.
const COUNT: usize = 5;
const INTERVAL_MS: f64 = 500.0;
/// `Date.now()` in the page has millisecond steps; Python's `time.time()` finer ones.
const CLOCK_STEP_MS: f64 = 2.0;

fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/browser")
}

/// playwright-core, installed by `scripts/install-tools.sh`.
fn browser_tools() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../.cache/tools/browser/node_modules")
}

/// `target/test-artifacts/browser` (beside `target/tmp`, whatever the target directory is).
fn artifacts() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).parent().unwrap().join("test-artifacts/browser")
}

/// How long each step took, printed as it ends and all together at the end.
#[derive(Default)]
struct Steps(Vec<(String, Duration)>);

impl Steps {
    fn run<T>(&mut self, name: &str, step: impl FnOnce() -> T) -> T {
        let started = Instant::now();
        let out = step();
        let took = started.elapsed();
        eprintln!("step: {name}  [{:.1}s]", took.as_secs_f64());
        self.0.push((name.to_owned(), took));
        out
    }

    fn print(&self) {
        eprintln!("step timings:");
        for (name, took) in &self.0 {
            eprintln!("  {:>6.1}s  {name}", took.as_secs_f64());
        }
    }
}

/// `command` (started with `setsid`) in a process group the test ends, its output to `log`.
fn spawn_logged(command: &mut Command, log: &Path) -> common::ProcessGroup {
    let log = std::fs::File::create(log).unwrap();
    common::ProcessGroup(
        command.stdin(Stdio::null()).stdout(log.try_clone().unwrap()).stderr(log).spawn().unwrap(),
    )
}

/// Wait until `GET path` on `port` answers 200 (the server's log in the panic otherwise).
fn wait_for(server: &mut common::ProcessGroup, port: u16, path: &str, log: &Path) {
    let deadline = Instant::now() + Duration::from_mins(1);
    while Instant::now() < deadline {
        if common::http_get(port, path).is_some_and(|(status, _)| status == 200) {
            return;
        }
        if let Some(exit) = server.0.try_wait().unwrap() {
            panic!("the server ended ({exit}) before answering {path}:\n{}", read(log));
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    panic!("nothing answered {path} on port {port} within 60 s:\n{}", read(log));
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_default()
}

/// The API under uvicorn (no reloader) on a free port, with the default CORS of `serve` (no
/// `ALLOWED_ORIGINS`: any origin).
fn serve_api(api: &Path, log: &Path) -> (common::ProcessGroup, u16) {
    let port = common::free_port();
    let mut command = Command::new("setsid");
    command
        .args(["uv", "run", "uvicorn", &format!("{MODULE}.main:app"), "--host", "127.0.0.1", "--port"])
        .arg(port.to_string())
        .current_dir(api)
        .env("UV_PYTHON_DOWNLOADS", "never")
        .env_remove("ALLOWED_ORIGINS");
    let mut server = spawn_logged(&mut command, log);
    // The readiness path the runtime's middleware answers.
    wait_for(&mut server, port, "/__health", log);
    (server, port)
}

/// The website's `preview` command (`vite preview` of the build) on a free port instead of the
/// recorded one (another test may serve there).
fn serve_site(web: &Path, log: &Path) -> (common::ProcessGroup, u16) {
    let project: Value = serde_json::from_str(&read(&web.join("project.json"))).unwrap();
    let recorded = project["metadata"]["ports"][0].as_u64().unwrap();
    let port = common::free_port();
    let preview = project["targets"]["preview"]["options"]["command"].as_str().unwrap();
    assert!(preview.starts_with("vite preview "), "{preview}");
    let command = preview.replace(&format!("--port {recorded}"), &format!("--port {port}"));
    let bin = web.join("node_modules/.bin");
    let mut server = spawn_logged(
        Command::new("setsid")
            .args(["sh", "-c", &format!("exec {command}")])
            .current_dir(web)
            .env("PATH", format!("{}:{}", bin.display(), std::env::var("PATH").unwrap_or_default())),
        log,
    );
    wait_for(&mut server, port, "/runtime-config.json", log);
    (server, port)
}

/// Run `fixtures/browser/drive.mjs` against the site: its JSON report.
fn drive(dir: &Path, site: &str, limit: Duration) -> Value {
    std::fs::create_dir_all(dir).unwrap();
    std::fs::copy(fixtures().join("drive.mjs"), dir.join("drive.mjs")).unwrap();
    std::os::unix::fs::symlink(browser_tools(), dir.join("node_modules")).unwrap();
    let (out, err) = (dir.join("report.json"), dir.join("drive.log"));
    let started = Instant::now();
    let mut node = common::ProcessGroup(
        Command::new("setsid")
            .args(["node", "drive.mjs"])
            .current_dir(dir)
            .env("SITE_URL", site)
            .env("ARTIFACTS", artifacts())
            .env("COUNT", COUNT.to_string())
            .env("INTERVAL_MS", INTERVAL_MS.to_string())
            .env("CHROMIUM", CHROMIUM)
            .stdin(Stdio::null())
            .stdout(std::fs::File::create(&out).unwrap())
            .stderr(std::fs::File::create(&err).unwrap())
            .spawn()
            .unwrap(),
    );
    let exit = loop {
        if let Some(exit) = node.0.try_wait().unwrap() {
            break exit;
        }
        assert!(
            started.elapsed() < limit,
            "drive.mjs did not end within {} s:\n{}",
            limit.as_secs(),
            read(&err)
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    let report = read(&out);
    assert!(exit.success(), "drive.mjs failed ({exit}):\n{report}\n{}", read(&err));
    serde_json::from_str(report.trim())
        .unwrap_or_else(|e| panic!("drive.mjs's report is not JSON ({e}):\n{report}"))
}

/// Milliseconds since the epoch from the API's seconds.
fn ms(seconds: &Value) -> Option<f64> {
    Some(seconds.as_f64()? * 1000.0)
}

/// Whether the page showed the stream item by item: every item, in order; each after the
/// server yielded it and before it yielded the next one; every item but the last while the
/// page said it was streaming and before the server's stream ended. `record` is the API's
/// (`GET /items/<run>/record`), `visit` the driver's. The lag of each item (ms), or what failed.
fn streamed_item_by_item(record: &Value, visit: &Value) -> Result<Vec<f64>, String> {
    let yielded: Option<Vec<f64>> = record["yielded"].as_array().map(|y| y.iter().filter_map(ms).collect());
    let (Some(yielded), Some(finished)) = (yielded, ms(&record["finished"])) else {
        return Err(format!("the server's stream did not end: {record}"));
    };
    if record["completed"] != true || yielded.len() != COUNT {
        return Err(format!("the server did not yield its {COUNT} items: {record}"));
    }
    let appeared = visit["appeared"].as_array().map(Vec::as_slice).unwrap_or_default();
    let texts: Vec<&str> = appeared.iter().map(|a| a["text"].as_str().unwrap_or_default()).collect();
    let expected: Vec<String> = (1..=COUNT).map(|k| format!("Item {k} of {COUNT}")).collect();
    if texts != expected {
        return Err(format!("the page showed {texts:?}, not {expected:?}"));
    }
    let mut lags = Vec::new();
    for (k, item) in appeared.iter().enumerate() {
        let at = item["t"].as_f64().ok_or_else(|| format!("no time for item {}: {item}", k + 1))?;
        let lag = at - yielded[k];
        lags.push(lag);
        let n = k + 1;
        if lag < -CLOCK_STEP_MS {
            return Err(format!("item {n} appeared {:.1} ms before the server yielded it", -lag));
        }
        if let Some(next) = yielded.get(k + 1) {
            if at >= finished {
                return Err(format!(
                    "item {n} appeared {:.1} ms after the server's stream ended: the page waited for the whole stream",
                    at - finished
                ));
            }
            if at >= *next {
                return Err(format!(
                    "item {n} appeared {lag:.1} ms after its yield, after the server had yielded item {} ({:.1} ms \
                     after item {n}): the page did not show it before the next one",
                    n + 1,
                    next - yielded[k],
                ));
            }
            if item["status"] != "Streaming…" {
                return Err(format!(
                    "when item {n} appeared, the page said {} instead of Streaming…",
                    item["status"]
                ));
            }
        }
    }
    Ok(lags)
}

/// The workspace in `temp`: a public API with the fixture's routes, a website, the connection
/// and the page, installed and built through the connection's chain. Its root.
fn build_workspace(temp: &Path, steps: &mut Steps) -> PathBuf {
    let root = temp.join("demo");
    let (api, web) = (root.join(API_DIR), root.join(WEB_DIR));
    steps.run("fastgen new, fast-api, website, connection", || {
        assert_eq!(fastgen(temp, &["new", "demo"]).code, 0);
        for args in [
            &["generate", "fast-api", "my-api", "--auth", "None"][..],
            &["generate", "website", "web"],
            &["generate", "connection", "--source", "web", "--target", "demo.my_api"],
        ] {
            let run = fastgen(&root, args);
            assert_eq!(run.code, 0, "{args:?}: {run:?}");
        }
        std::fs::copy(fixtures().join("main.py"), api.join(MODULE).join("main.py")).unwrap();
        let hook = web.join("src/connections/apis/my-api.tsx");
        assert!(read(&hook).contains("export function useMyApi()"), "{}:\n{}", hook.display(), read(&hook));
        std::fs::copy(fixtures().join("home.tsx"), web.join("src/pages/home.tsx")).unwrap();
    });
    steps.run("uv sync", || common::sh(&root, "uv sync"));
    steps.run("pnpm install", || common::sh(&root, common::PNPM_INSTALL));

    // The connection's chain: the API's OpenAPI document → the client → tsc → vite build.
    let build = steps.run("web:build (openapi → client → typecheck → vite build)", || {
        common::sh(&root, "pnpm nx run web:build --outputStyle=static")
    });
    assert!(build.contains("generate:my-api-client"), "the client was not generated through Nx:\n{build}");
    let client = read(&web.join("src/generated/my-api/client.gen.ts"));
    assert!(client.contains("itemStream(args: ItemStreamRequest"), "{client}");
    let config = read(&root.join("dist/packages/web/runtime-config.json"));
    assert!(config.contains("\"MyApi\""), "the connection did not configure MyApi:\n{config}");
    root
}

/// No page error and no failed request in any visit, but the favicon the site does not have.
fn assert_no_page_errors(report: &Value, context: impl Fn() -> String) {
    for visit in report["visits"].as_object().unwrap().values() {
        let listed =
            |key: &str| visit[key].as_array().unwrap().iter().map(|m| m.as_str().unwrap().to_owned());
        let errors: Vec<String> = listed("console").filter(|m| m.starts_with("pageerror")).collect();
        let failed: Vec<String> = listed("failed").filter(|f| !f.contains("/favicon.ico")).collect();
        assert!(
            errors.is_empty() && failed.is_empty(),
            "page errors {errors:?}, failed requests {failed:?}\n{}",
            context()
        );
    }
}

#[test]
#[cfg_attr(
    not(fastgen_e2e),
    ignore = "end-to-end: needs FASTGEN_E2E=1 and the tools scripts/install-tools.sh installs (scripts/test.sh sets both)"
)]
fn a_connected_website_shows_a_query_and_streams_items_one_by_one_in_chromium() {
    let started = Instant::now();
    let mut steps = Steps::default();
    assert!(Path::new(CHROMIUM).is_file(), "{CHROMIUM} is missing: run scripts/install-tools.sh (as root)");
    assert!(
        browser_tools().join("playwright-core/package.json").is_file(),
        "{} lacks playwright-core: run scripts/install-tools.sh",
        browser_tools().display()
    );
    let artifacts = artifacts();
    std::fs::create_dir_all(&artifacts).unwrap();
    for picture in ["streaming.png", "streamed.png"] {
        let _ = std::fs::remove_file(artifacts.join(picture));
    }

    let temp = tempfile::tempdir().unwrap();
    let root = build_workspace(temp.path(), &mut steps);
    let (api, web) = (root.join(API_DIR), root.join(WEB_DIR));
    let dist = root.join("dist/packages/web");

    // The API under uvicorn; the build told where it is, as a deployment does; the build served.
    let (api_log, site_log) = (temp.path().join("uvicorn.log"), temp.path().join("vite-preview.log"));
    let (api_server, api_port) = steps.run("uvicorn answers", || serve_api(&api, &api_log));
    std::fs::write(
        dist.join("runtime-config.json"),
        format!("{{\n  \"apis\": {{\n    \"MyApi\": \"http://127.0.0.1:{api_port}/\"\n  }}\n}}\n"),
    )
    .unwrap();
    let (site_server, site_port) = steps.run("vite preview answers", || serve_site(&web, &site_log));
    let site = format!("http://127.0.0.1:{site_port}");
    eprintln!("API at http://127.0.0.1:{api_port}/, site at {site}/");

    // Chromium.
    let report = steps.run("chromium: both visits (drive.mjs)", || {
        drive(&temp.path().join("browser"), &site, Duration::from_mins(2))
    });
    let records: Vec<Value> = ["streamed", "buffered"]
        .iter()
        .map(|run| match common::http_get(api_port, &format!("/items/{run}/record")) {
            Some((200, body)) => serde_json::from_str(&body).unwrap(),
            other => Value::String(format!("no record of the stream {run}: {other:?}")),
        })
        .collect();
    drop(site_server);
    drop(api_server);
    eprintln!("chromium {}; driver steps:", report["chromium"]);
    for step in report["steps"].as_array().unwrap() {
        eprintln!("  {:>6.1}s  {}", step["ms"].as_f64().unwrap() / 1000.0, step["name"].as_str().unwrap());
    }
    let context = || {
        format!(
            "driver's report:\n{report:#}\nthe API's records: {records:?}\nuvicorn's log:\n{}\nvite preview's log:\n{}",
            read(&api_log),
            read(&site_log)
        )
    };
    assert_eq!(report["error"], Value::Null, "the page did not get there\n{}", context());

    let visit = &report["visits"]["streamed"];
    // The query's result rendered.
    assert_eq!(visit["greeting"], "Hello, Browser!", "{}", context());
    assert_no_page_errors(&report, context);
    // The stream, item by item.
    match streamed_item_by_item(&records[0], visit) {
        Ok(lags) => eprintln!(
            "each item appeared {} ms after the server yielded it (items {INTERVAL_MS} ms apart)",
            lags.iter().map(|lag| format!("{lag:.0}")).collect::<Vec<_>>().join(", ")
        ),
        Err(failure) => panic!("the page did not stream: {failure}\n{}", context()),
    }
    // The check catches a page that waits for the whole stream.
    match streamed_item_by_item(&records[1], &report["visits"]["buffered"]) {
        Ok(lags) => panic!("the buffered page passed the streaming check (lags {lags:?})\n{}", context()),
        Err(failure) => eprintln!("the buffered page fails the check, as it must: {failure}"),
    }

    for picture in ["streaming.png", "streamed.png"] {
        let path = artifacts.join(picture);
        let bytes = std::fs::read(&path).unwrap_or_default();
        assert!(bytes.starts_with(b"\x89PNG\r\n\x1a\n"), "no screenshot at {}", path.display());
        eprintln!("screenshot: {}", path.display());
    }
    steps.print();
    eprintln!("total  [{:.1}s]", started.elapsed().as_secs_f64());
}
