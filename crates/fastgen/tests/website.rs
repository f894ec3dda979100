//! `fastgen generate website`: one snapshot per generated file and of the run's output, the
//! refusals with their exact messages, re-runs that change nothing or keep the user's edits,
//! the port allocation, and (with `FASTGEN_E2E=1`) the project through pnpm and the real Nx:
//! typecheck, test, build, and the dev and preview servers.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{Fixture, Run, dir_state, fastgen};
use serde_json::Value;

fn actions(stdout: &str) -> Vec<(String, String)> {
    common::reported_files(stdout)
        .iter()
        .map(|f| (f["action"].as_str().unwrap().to_owned(), f["path"].as_str().unwrap().to_owned()))
        .collect()
}

fn project(fixture: &Fixture, dir: &str) -> Value {
    serde_json::from_str(&fixture.read(&format!("{dir}/project.json"))).unwrap()
}

fn port(project: &Value) -> u64 {
    project["metadata"]["ports"][0].as_u64().unwrap()
}

#[test]
fn every_generated_file() {
    let fixture = Fixture::new(&[]);
    let before = dir_state(&fixture.root);
    let run = fixture.run(&["generate", "website", "web"]);
    assert_eq!(run.code, 0, "{run:?}");
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path("snapshots/website");
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    let mut files = 0;
    settings.bind(|| {
        insta::assert_snapshot!("output", format!("stdout:\n{}\nstderr:\n{}", run.stdout, run.stderr));
        for (path, (content, mode)) in dir_state(&fixture.root) {
            if path.ends_with('/') || path.starts_with(".fastgen/") || before.contains_key(&path) {
                continue;
            }
            assert_eq!(mode & 0o111, 0, "{path} is executable");
            insta::assert_snapshot!(
                path.replace(['/', '.'], "_"),
                format!("# {path}\n{}", String::from_utf8_lossy(&content))
            );
            files += 1;
        }
    });
    assert_eq!(files, 18, "website files");
    // Every file but project.json (merged by target) is a render with its baseline.
    assert!(fixture.root.join(".fastgen/baseline/packages/web/src/main.tsx.base").is_file());
    // Nothing outside the project changes: no root file, no API, no infrastructure.
    let outside: Vec<String> = dir_state(&fixture.root)
        .into_iter()
        .filter(|(path, state)| {
            !path.starts_with("packages/web/")
                && !path.starts_with(".fastgen/")
                && before.get(path) != Some(state)
        })
        .map(|(path, _)| path)
        .collect();
    assert_eq!(outside, ["packages/"], "changed outside the project");
}

#[test]
fn a_rerun_changes_nothing_and_keeps_the_users_edits() {
    let fixture = Fixture::new(&[]);
    assert_eq!(fixture.run(&["generate", "website", "web"]).code, 0);
    let before = dir_state(&fixture.root);
    for args in
        [&["generate", "website", "web", "--json"][..], &["g", "ts#react-website", "--name", "web", "--json"]]
    {
        let run = fixture.run(args);
        assert_eq!(run.code, 0, "{run:?}");
        for (action, path) in actions(&run.stdout) {
            assert_eq!(action, "UNCHANGED", "{args:?}: {path}");
        }
        assert_eq!(dir_state(&fixture.root), before, "{args:?}");
    }
    // The user's edits: a page, a target, a key of their own in project.json.
    let home = "packages/web/src/pages/home.tsx";
    fixture.write(home, &fixture.read(home).replace("<h2>APIs</h2>", "<h2>Services</h2>"));
    let mut project = project(&fixture, "packages/web");
    project["targets"]["test"]["options"]["command"] = Value::from("vitest run --reporter=dot");
    project["tags"] = Value::from(vec!["team:web"]);
    fixture.write("packages/web/project.json", &serde_json::to_string_pretty(&project).unwrap());
    let edited = dir_state(&fixture.root);
    let run = fixture.run(&["generate", "react-website", "web", "--json"]);
    assert_eq!(run.code, 0, "{run:?}");
    let actions = actions(&run.stdout);
    assert!(actions.contains(&("KEEP".into(), home.into())), "{actions:?}");
    assert_eq!(dir_state(&fixture.root), edited, "a re-run changed an edited workspace");
}

#[test]
fn ports_are_allocated_like_the_apis_and_kept() {
    let fixture = Fixture::new(&["--api", "my-api"]);
    assert_eq!(port(&project(&fixture, "packages/my_api")), 8000);
    assert_eq!(fixture.run(&["generate", "website", "web"]).code, 0);
    assert_eq!(fixture.run(&["generate", "website", "admin", "--directory", "apps"]).code, 0);
    let web = project(&fixture, "packages/web");
    assert_eq!(port(&web), 8001);
    assert_eq!(
        web["targets"]["serve"]["options"]["command"],
        "vite --host 127.0.0.1 --port 8001 --strictPort"
    );
    assert_eq!(
        web["targets"]["preview"]["options"]["command"],
        "vite preview --host 127.0.0.1 --port 8001 --strictPort"
    );
    let admin = project(&fixture, "apps/admin");
    assert_eq!(port(&admin), 8002);
    assert_eq!(admin["$schema"], "../../node_modules/nx/schemas/project-schema.json");
    assert_eq!(admin["targets"]["build"]["outputs"][0], "{workspaceRoot}/dist/apps/admin");
    assert!(fixture.read("apps/admin/vite.config.ts").contains("outDir: '../../dist/apps/admin',"));
    // pnpm installs it: the workspace's package globs did not cover `apps/`.
    assert!(
        fixture
            .read("pnpm-workspace.yaml")
            .starts_with("packages:\n  - \"packages/*\"\n  - \"packages/common/*\"\n  - \"apps/admin\"\n\n")
    );
    // The next API takes the next free port; a re-run without `--directory` finds the website
    // where it is and keeps its port.
    assert_eq!(fixture.run(&["generate", "fast-api", "other"]).code, 0);
    assert_eq!(port(&project(&fixture, "packages/other")), 8003);
    let before = dir_state(&fixture.root);
    assert_eq!(fixture.run(&["generate", "website", "admin"]).code, 0);
    assert_eq!(dir_state(&fixture.root), before);
    // Later generators find websites by their metadata.
    assert_eq!(
        admin["metadata"],
        serde_json::json!({"generator": "ts#react-website", "websiteName": "admin", "ports": [8002]})
    );
}

/// Run `args` in the fixture and check that it failed with `code`, `error` and `hint`,
/// writing nothing.
fn refused(fixture: &Fixture, args: &[&str], code: i32, error: &str, hint: &str) -> Run {
    let before = dir_state(&fixture.root);
    let run = fixture.run(args);
    assert_eq!((run.code, run.error_line(), run.hint_line()), (code, error, hint), "{args:?}: {run:?}");
    assert_eq!(dir_state(&fixture.root), before, "{args:?} changed the workspace: {run:?}");
    run
}

#[test]
fn refusals() {
    let fixture = Fixture::new(&["--api", "web-api"]);
    assert_eq!(fixture.run(&["generate", "website", "site"]).code, 0);
    assert_eq!(fixture.run(&["generate", "fast-api", "blog"]).code, 0);
    fixture.write("packages/notes/todo.txt", "mine\n");
    fixture.write("packages/readme", "a file\n");
    let directory_hint =
        "hint: pass a path relative to the workspace root without `..`, e.g. `--directory packages`";
    let occupied_hint = "hint: choose another name or `--directory`, or move the existing directory away";
    let long = "a".repeat(61);
    for (args, code, error, hint) in [
        (
            &["generate", "website", "--name=--"][..],
            2,
            "error: the website name `--` is empty or has no letter or digit".to_owned(),
            "hint: pass a name made of letters and digits, e.g. `my-website`",
        ),
        (
            &["generate", "website", "café"],
            2,
            "error: the website name `café` contains `é`, which is not an ASCII character".to_owned(),
            "hint: use ASCII letters, digits and separators (`-`, `_`, space)",
        ),
        (
            &["generate", "website", &long],
            2,
            format!("error: the website name `{long}` is 61 characters long; the limit is 60"),
            "hint: choose a shorter website name",
        ),
        (
            &["generate", "website"],
            2,
            "error: `--name` is required".to_owned(),
            "hint: pass `--name`, or run in a terminal to be asked",
        ),
        (
            &["generate", "website", "web", "--directory", "../elsewhere"],
            2,
            "error: the directory `../elsewhere` is outside the workspace".to_owned(),
            directory_hint,
        ),
        (
            &["generate", "website", "web", "--directory", "/tmp"],
            2,
            "error: the directory `/tmp` is outside the workspace".to_owned(),
            directory_hint,
        ),
        (
            &["generate", "website", "web", "--directory", "my apps"],
            2,
            "error: the directory `my apps` contains a space".to_owned(),
            "hint: use ASCII letters, digits, `.`, `_` and `-` in each segment of `--directory` (spaces, quotes and shell characters are refused because the path is part of the generated commands), e.g. `--directory packages/my-apps`",
        ),
        (
            &["generate", "website", "web", "--directory", "packages/dist"],
            2,
            "error: the project directory `packages/dist/web` is inside `dist`, which fastgen's project scan skips (build output and dependencies), so later runs would not find the project".to_owned(),
            "hint: choose a `--directory` without hidden segments (starting with `.`) or `node_modules`, `dist`, `target`, `cdk.out`, `build`, `__pycache__`, e.g. `--directory packages`",
        ),
        (
            &["generate", "website", "blog"],
            1,
            "error: `packages/blog` already exists and holds the project `demo.blog`, not the project `blog`".to_owned(),
            occupied_hint,
        ),
        (
            &["generate", "website", "notes"],
            1,
            "error: `packages/notes` already exists and holds other files, not the project `notes`".to_owned(),
            occupied_hint,
        ),
        (
            &["generate", "website", "readme"],
            1,
            "error: `packages/readme` already exists and holds a file, not the project `readme`".to_owned(),
            occupied_hint,
        ),
        (
            &["generate", "website", "site", "--directory", "apps"],
            1,
            "error: the website's Nx project name `site` is already used by the project in `packages/site`".to_owned(),
            "hint: choose another website name",
        ),
        (
            &["generate", "website", "common-constructs", "--directory", "apps"],
            1,
            "error: the website's Nx project name `common-constructs` is already used by the project in `packages/common/constructs`".to_owned(),
            "hint: choose another website name",
        ),
    ] {
        refused(&fixture, args, code, &error, hint);
    }
}

#[test]
fn outside_a_workspace_it_writes_nothing() {
    let temp = tempfile::tempdir().unwrap();
    let folder = temp.path().canonicalize().unwrap();
    std::fs::write(folder.join("package.json"), "{\"name\": \"@acme/source\"}\n").unwrap();
    let before = dir_state(&folder);
    for args in [&["generate", "website", "web"][..], &["g", "ts#react-website", "web", "--dry-run"]] {
        let run = fastgen(&folder, args);
        assert_eq!(
            (run.code, run.error_line()),
            (
                1,
                format!(
                    "error: `{}` is not inside an Nx workspace: neither it nor any directory above it has an `nx.json`",
                    folder.display()
                )
                .as_str()
            ),
            "{run:?}"
        );
        assert_eq!(dir_state(&folder), before, "{args:?} wrote outside a workspace");
    }
}

/// Run the `target` command of the project in `dir`, on a free port instead of the recorded
/// one (another test may serve there), until `path` answers 200; that answer's body.
fn serve(root: &Path, dir: &str, target: &str, path: &str) -> (common::ProcessGroup, u16) {
    let project: Value =
        serde_json::from_str(&std::fs::read_to_string(root.join(dir).join("project.json")).unwrap()).unwrap();
    let recorded = project["metadata"]["ports"][0].as_u64().unwrap();
    let port = common::free_port();
    let command = project["targets"][target]["options"]["command"]
        .as_str()
        .unwrap()
        .replace(&format!("--port {recorded}"), &format!("--port {port}"));
    let bin = root.join(dir).join("node_modules/.bin");
    let server = common::ProcessGroup(
        Command::new("setsid")
            .args(["sh", "-c", &format!("exec {command}")])
            .current_dir(root.join(dir))
            .env("PATH", format!("{}:{}", bin.display(), std::env::var("PATH").unwrap_or_default()))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    let deadline = Instant::now() + Duration::from_mins(1);
    while Instant::now() < deadline {
        if common::http_get(port, path).is_some_and(|(status, _)| status == 200) {
            return (server, port);
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    panic!("`{command}` did not answer {path} within 60 s");
}

#[test]
#[cfg_attr(
    not(fastgen_e2e),
    ignore = "end-to-end: needs FASTGEN_E2E=1 and the tools scripts/install-tools.sh installs (scripts/test.sh sets both)"
)]
fn the_website_installs_typechecks_tests_builds_and_serves() {
    let fixture = Fixture::new(&[]);
    let root = fixture.root.as_path();
    let run = fixture.run(&["generate", "website", "web"]);
    assert_eq!(run.code, 0, "{run:?}");
    common::sh(root, common::PNPM_INSTALL);
    let projects = common::sh(root, "pnpm nx show projects");
    assert!(projects.lines().any(|l| l.trim() == "web"), "{projects}");
    common::sh(root, "pnpm nx run web:typecheck --outputStyle=static");
    let tests = common::sh(root, "pnpm nx run web:test --outputStyle=static");
    assert!(tests.contains("Tests  12 passed"), "{tests}");
    common::sh(root, "pnpm nx run web:build --outputStyle=static");
    let dist = root.join("dist/packages/web");
    let index = std::fs::read_to_string(dist.join("index.html")).unwrap();
    assert!(index.contains("<title>Web</title>") && index.contains("/assets/"), "{index}");
    assert_eq!(std::fs::read_to_string(dist.join("runtime-config.json")).unwrap(), "{\n  \"apis\": {}\n}\n");
    // The dev server serves the local configuration and compiles the entry point; `preview`
    // serves the build.
    {
        let (_server, port) = serve(root, "packages/web", "serve", "/runtime-config.json");
        let (status, body) = common::http_get(port, "/src/main.tsx").unwrap();
        assert_eq!(status, 200);
        assert!(body.contains("loadRuntimeConfig"), "{body}");
    }
    let (_server, port) = serve(root, "packages/web", "preview", "/runtime-config.json");
    assert_eq!(
        common::http_get(port, "/").map(|(_, body)| body.contains("<div id=\"root\"></div>")),
        Some(true)
    );
}
