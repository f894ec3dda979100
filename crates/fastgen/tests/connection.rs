//! `fastgen generate connection`: one snapshot per file it writes or edits for an API with
//! each auth (None, Cognito, IAM, Custom), re-runs that change nothing, a second API added to
//! the providers, the user's edits kept, the refusals with their exact messages, and (with
//! `FASTGEN_E2E=1`) a website connected to an API through pnpm and the real Nx: the client
//! generated through `openapi` → `generate:<api>-client` → `typecheck`/`build`, the website's
//! tests, and the hooks calling a running API.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::io::Read;
use std::net::TcpStream;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{Fixture, Run, dir_state, fastgen};
use serde_json::Value;

type DirState = std::collections::BTreeMap<String, (Vec<u8>, u32)>;

/// The paths whose state differs between two snapshots of a directory.
fn differing(a: &DirState, b: &DirState) -> Vec<String> {
    a.keys().chain(b.keys()).filter(|k| a.get(*k) != b.get(*k)).cloned().collect()
}

fn actions(stdout: &str) -> Vec<(String, String)> {
    common::reported_files(stdout)
        .iter()
        .map(|f| (f["action"].as_str().unwrap().to_owned(), f["path"].as_str().unwrap().to_owned()))
        .collect()
}

fn json(fixture: &Fixture, path: &str) -> Value {
    serde_json::from_str(&fixture.read(path)).unwrap()
}

/// A workspace with the API `my-api` (`auth`) and the website `web`.
fn workspace(auth: &str) -> Fixture {
    let fixture = Fixture::new(&[]);
    for args in [&["generate", "fast-api", "my-api", "--auth", auth][..], &["generate", "website", "web"]] {
        let run = fixture.run(args);
        assert_eq!(run.code, 0, "{args:?}: {run:?}");
    }
    fixture
}

#[test]
fn every_file_for_each_auth() {
    for auth in ["None", "Cognito", "IAM", "Custom"] {
        let fixture = workspace(auth);
        let before = dir_state(&fixture.root);
        let run = fixture.run(&["generate", "connection", "--source", "web", "--target", "demo.my_api"]);
        assert_eq!(run.code, 0, "{auth}: {run:?}");
        let mut settings = insta::Settings::clone_current();
        settings.set_snapshot_path(format!("snapshots/connection/{}", auth.to_ascii_lowercase()));
        settings.set_prepend_module_to_snapshot(false);
        settings.set_omit_expression(true);
        let mut written = Vec::new();
        settings.bind(|| {
            insta::assert_snapshot!("output", format!("stdout:\n{}\nstderr:\n{}", run.stdout, run.stderr));
            for (path, (content, mode)) in dir_state(&fixture.root) {
                if path.ends_with('/')
                    || path.starts_with(".fastgen/")
                    || before.get(&path) == Some(&(content.clone(), mode))
                {
                    continue;
                }
                assert_eq!(mode & 0o111, 0, "{path} is executable");
                insta::assert_snapshot!(
                    path.replace(['/', '.'], "_"),
                    format!("# {path}\n{}", String::from_utf8_lossy(&content))
                );
                written.push(path);
            }
        });
        // Only the website changes.
        assert!(written.iter().all(|p| p.starts_with("packages/web/")), "{auth}: {written:?}");
        let sign_in = auth == "IAM" || auth == "Cognito";
        assert_eq!(written.iter().any(|p| p.ends_with("/auth/sign-in.tsx")), sign_in, "{auth}: {written:?}");
        assert_eq!(written.iter().any(|p| p.contains("/auth/")), sign_in, "{auth}: {written:?}");
        assert_eq!(
            written.iter().any(|p| p.contains("/auth/aws-credentials")),
            auth == "IAM",
            "{auth}: {written:?}"
        );
        assert_eq!(
            written.iter().any(|p| p.ends_with("/auth/sigv4.ts")),
            auth == "IAM",
            "{auth}: {written:?}"
        );
        assert_eq!(written.iter().any(|p| p == "packages/web/package.json"), sign_in, "{auth}: {written:?}");
        // The signer is the tested template, byte for byte.
        if auth == "IAM" {
            assert_eq!(
                fixture.read("packages/web/src/connections/auth/sigv4.ts"),
                include_str!("../../fastgen-generators/templates/connection-iam/sigv4.ts")
            );
        }
    }
}

#[test]
fn an_http_api_with_cognito_auth_gets_the_access_token() {
    let fixture = Fixture::new(&[]);
    for args in [
        &["generate", "fast-api", "my-api", "--auth", "Cognito", "--computeType", "http"][..],
        &["generate", "website", "web"],
        &["generate", "connection", "--source", "web", "--target", "demo.my_api"],
    ] {
        assert_eq!(fixture.run(args).code, 0, "{args:?}");
    }
    let file = fixture.read("packages/web/src/connections/apis/my-api.tsx");
    assert!(file.contains("useAuthorization: () => ({ headers: useTokenHeaders('access') }),"), "{file}");
}

#[test]
fn a_rerun_changes_nothing_and_a_second_api_joins_the_first() {
    let fixture = workspace("IAM");
    let connect = ["generate", "connection", "--source", "web", "--target", "demo.my_api", "--json"];
    assert_eq!(fixture.run(&connect).code, 0);
    let once = dir_state(&fixture.root);
    let run = fixture.run(&connect);
    assert_eq!(run.code, 0, "{run:?}");
    for (action, path) in actions(&run.stdout) {
        assert_eq!(action, "UNCHANGED", "{path}");
    }
    assert_eq!(
        differing(&dir_state(&fixture.root), &once),
        Vec::<String>::new(),
        "a second run changed these"
    );

    // The website's own re-run keeps what the connection added to its files.
    let run = fixture.run(&["generate", "website", "web", "--json"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(
        differing(&dir_state(&fixture.root), &once),
        Vec::<String>::new(),
        "the website's re-run changed these"
    );

    // The user edits the API's file; a second API (public) is connected.
    let mine = "packages/web/src/connections/apis/my-api.tsx";
    fixture.write(mine, &format!("{}// mine\n", fixture.read(mine)));
    assert_eq!(fixture.run(&["generate", "fast-api", "other", "--auth", "None"]).code, 0);
    let run = fixture.run(&["generate", "connection", "--source", "web", "--target", "demo.other", "--json"]);
    assert_eq!(run.code, 0, "{run:?}");
    let actions = actions(&run.stdout);
    assert!(actions.contains(&("KEEP".into(), mine.into())), "{actions:?}");
    assert!(
        actions.contains(&("CREATE".into(), "packages/web/src/connections/apis/other.tsx".into())),
        "{actions:?}"
    );
    assert!(fixture.read(mine).ends_with("// mine\n"));
    let index = fixture.read("packages/web/src/connections/index.tsx");
    assert!(
        index.contains("import { MyApiConnection } from './apis/my-api';\nimport { OtherConnection } from './apis/other';\n"),
        "{index}"
    );
    assert!(
        index.contains("const CONNECTIONS = [\n  MyApiConnection,\n  OtherConnection,\n] as const;"),
        "{index}"
    );
    let project = json(&fixture, "packages/web/project.json");
    assert_eq!(project["metadata"]["connections"], serde_json::json!(["demo.my_api", "demo.other"]));
    for target in ["typecheck", "build", "serve", "serve-local", "test"] {
        let depends = project["targets"][target]["dependsOn"].as_array().unwrap();
        for client in ["generate:my-api-client", "generate:other-client"] {
            assert!(depends.contains(&Value::from(client)), "{target}: {depends:?}");
        }
    }
    assert_eq!(
        project["targets"]["generate:other-client"]["dependsOn"],
        serde_json::json!([{ "projects": ["demo.other"], "target": "openapi" }])
    );
    assert_eq!(
        json(&fixture, "packages/web/public/runtime-config.json"),
        serde_json::json!({ "apis": { "MyApi": "http://localhost:8000/", "Other": "http://localhost:8002/" } })
    );
    let app = fixture.read("packages/web/src/app.tsx");
    assert_eq!(app.matches("<Connections>").count(), 1, "{app}");
    assert_eq!(fixture.read("packages/web/.gitignore"), "src/generated/\n");

    // Connecting the first one again keeps both, in their order.
    let both = dir_state(&fixture.root);
    assert_eq!(fixture.run(&connect).code, 0);
    assert_eq!(differing(&dir_state(&fixture.root), &both), Vec::<String>::new());
}

#[test]
fn the_users_own_values_are_kept() {
    let fixture = workspace("None");
    // A local URL of the user's, an edited target and an app without the router line.
    fixture.write(
        "packages/web/public/runtime-config.json",
        "{\n  \"apis\": {\n    \"MyApi\": \"http://127.0.0.1:9000/\"\n  }\n}\n",
    );
    let mut project = json(&fixture, "packages/web/project.json");
    project["targets"]["typecheck"]["inputs"] = serde_json::json!(["default"]);
    fixture.write("packages/web/project.json", &serde_json::to_string_pretty(&project).unwrap());
    fixture.write("packages/web/src/app.tsx", "export function App() {\n  return null;\n}\n");
    let run = fixture.run(&["generate", "connection", "--source", "web", "--target", "demo.my_api"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(
        run.stderr.contains("`packages/web/src/app.tsx` has no line `<RouterProvider router={router} />`, so the API providers are not wired in: add `import { Connections } from './connections';` and put `<Connections>` around the components that call the APIs (inside `<QueryClientProvider>` and `<ConfigProvider>`)"),
        "{run:?}"
    );
    assert_eq!(fixture.read("packages/web/src/app.tsx"), "export function App() {\n  return null;\n}\n");
    assert_eq!(
        json(&fixture, "packages/web/public/runtime-config.json")["apis"]["MyApi"],
        "http://127.0.0.1:9000/"
    );
    let project = json(&fixture, "packages/web/project.json");
    assert_eq!(
        project["targets"]["typecheck"]["inputs"],
        serde_json::json!(["default", { "dependentTasksOutputFiles": "**/*", "transitive": false }])
    );
}

/// Run `args` in the fixture and check that it failed with `code`, `error` and `hint`,
/// writing nothing.
fn refused(fixture: &Fixture, args: &[&str], code: i32, error: &str, hint: &str) -> Run {
    let before = dir_state(&fixture.root);
    let run = fixture.run(args);
    assert_eq!((run.code, run.error_line(), run.hint_line()), (code, error, hint), "{args:?}: {run:?}");
    assert_eq!(differing(&dir_state(&fixture.root), &before), Vec::<String>::new(), "{args:?}: {run:?}");
    run
}

#[test]
fn refusals() {
    let fixture = Fixture::new(&["--api", "my-api"]);
    let connect = |source: &'static str, target: &'static str| -> Vec<&'static str> {
        vec!["generate", "connection", "--source", source, "--target", target]
    };
    // No website yet.
    refused(
        &fixture,
        &connect("web", "demo.my_api"),
        1,
        "error: `--source web`: no project of this workspace is named `web`",
        "hint: this workspace has no website yet: generate one with `fastgen generate website <name>`",
    );
    assert_eq!(fixture.run(&["generate", "website", "web"]).code, 0);
    for (args, code, error, hint) in [
        (
            connect("site", "demo.my_api"),
            1,
            "error: `--source site`: no project of this workspace is named `site`",
            "hint: pass `--source web`, the Nx project name of a website",
        ),
        (
            connect("demo.my_api", "demo.my_api"),
            1,
            "error: `--source demo.my_api`: the project `demo.my_api` (in `packages/my_api`) is not a website fastgen generated",
            "hint: pass `--source web`, the Nx project name of a website",
        ),
        (
            connect("web", "my-api"),
            1,
            "error: `--target my-api`: no project of this workspace is named `my-api`",
            "hint: pass `--target demo.my_api`, the Nx project name of an API",
        ),
        (
            connect("web", "web"),
            1,
            "error: `--target web`: the project `web` (in `packages/web`) is not an API fastgen generated",
            "hint: pass `--target demo.my_api`, the Nx project name of an API",
        ),
        (
            connect("web", "common-constructs"),
            1,
            "error: `--target common-constructs`: the project `common-constructs` (in `packages/common/constructs`) is not an API fastgen generated",
            "hint: pass `--target demo.my_api`, the Nx project name of an API",
        ),
        (
            vec!["generate", "connection", "--target", "demo.my_api"],
            2,
            "error: `--source` is required",
            "hint: pass `--source`, or run in a terminal to be asked",
        ),
        (
            vec!["generate", "connection", "--source", "web"],
            2,
            "error: `--target` is required",
            "hint: pass `--target`, or run in a terminal to be asked",
        ),
    ] {
        refused(&fixture, &args, code, error, hint);
    }
    // Several candidates are listed.
    assert_eq!(fixture.run(&["generate", "fast-api", "other"]).code, 0);
    refused(
        &fixture,
        &connect("web", "nope"),
        1,
        "error: `--target nope`: no project of this workspace is named `nope`",
        "hint: pass the Nx project name of an API: `demo.my_api`, `demo.other`",
    );
}

#[test]
fn outside_a_workspace_it_writes_nothing() {
    let temp = tempfile::tempdir().unwrap();
    let folder = temp.path().canonicalize().unwrap();
    let before = dir_state(&folder);
    let run = fastgen(&folder, &["generate", "connection", "--source", "web", "--target", "demo.my_api"]);
    assert_eq!(run.code, 1, "{run:?}");
    assert!(run.error_line().contains("is not inside an Nx workspace"), "{run:?}");
    assert_eq!(differing(&dir_state(&folder), &before), Vec::<String>::new());
}

/// The API in `dir` served by uvicorn on a free port until `/echo` answers; the server and its URL.
fn serve_api(root: &Path, dir: &str, module: &str) -> (common::ProcessGroup, String) {
    let port = common::free_port();
    let server = common::ProcessGroup(
        Command::new("setsid")
            .args(["uv", "run", "uvicorn", &format!("{module}.main:app"), "--host", "127.0.0.1", "--port"])
            .arg(port.to_string())
            .current_dir(root.join(dir))
            .env("UV_PYTHON_DOWNLOADS", "never")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    let deadline = Instant::now() + Duration::from_mins(1);
    while Instant::now() < deadline {
        if let Ok(mut stream) = TcpStream::connect(("127.0.0.1", port)) {
            use std::io::Write;
            let _ = write!(
                stream,
                "GET /echo?message=up HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
            );
            let mut answer = String::new();
            let _ = stream.read_to_string(&mut answer);
            if answer.starts_with("HTTP/1.1 200") {
                return (server, format!("http://127.0.0.1:{port}/"));
            }
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    panic!("the API in {dir} did not answer within 60 s");
}

/// A test the e2e test adds to the website: the site's providers and hooks, as a page uses them,
/// against the API served at `VITE_API_URL`.
const LIVE_TEST: &str = r"// @vitest-environment happy-dom
import { QueryClient, QueryClientProvider, useQuery } from '@tanstack/react-query';
import { render, screen } from '@testing-library/react';
import { expect, it } from 'vitest';

import { Connections } from './connections';
import { usePublic, usePublicClient } from './connections/apis/public';
import { ConfigProvider } from './runtime-config';

function Echo() {
  const { data, error } = useQuery(usePublic().echo.queryOptions({ message: 'hello from the site' }));
  return <p>{error ? `failed: ${error.message}` : (data?.message ?? 'loading')}</p>;
}

it('calls the public API through its provider and TanStack Query', async () => {
  const url = import.meta.env.VITE_API_URL;
  const config = { apis: { MyApi: url, Public: url } };
  render(
    <ConfigProvider config={config}>
      <QueryClientProvider client={new QueryClient()}>
        <Connections>
          <Echo />
        </Connections>
      </QueryClientProvider>
    </ConfigProvider>,
  );
  expect(await screen.findByText('hello from the site', {}, { timeout: 10_000 })).toBeTruthy();
  // The IAM API is not called without sign-in, and the page says why.
  expect(screen.getByRole('status').textContent).toContain('Sign-in is not configured');
});

function Client() {
  const client = usePublicClient();
  return <button onClick={() => void client.echo({ message: 'a b&c' }).then((r) => (document.title = r.message))}>call</button>;
}

it('gives the typed client', async () => {
  const config = { apis: { MyApi: 'x', Public: import.meta.env.VITE_API_URL } };
  render(
    <ConfigProvider config={config}>
      <QueryClientProvider client={new QueryClient()}>
        <Connections>
          <Client />
        </Connections>
      </QueryClientProvider>
    </ConfigProvider>,
  );
  screen.getByRole('button').click();
  await expect.poll(() => document.title, { timeout: 10_000 }).toBe('a b&c');
});
";

#[test]
#[cfg_attr(
    not(fastgen_e2e),
    ignore = "end-to-end: needs FASTGEN_E2E=1 and the tools scripts/install-tools.sh installs (scripts/test.sh sets both)"
)]
fn a_connected_website_generates_its_client_through_nx_and_builds_tests_and_calls_the_api() {
    let temp = tempfile::tempdir().unwrap();
    let run = fastgen(temp.path(), &["new", "demo", "--api", "my-api"]);
    assert_eq!(run.code, 0, "{run:?}");
    let root = temp.path().join("demo");
    for args in [
        &["generate", "website", "web"][..],
        &["generate", "connection", "--source", "web", "--target", "demo.my_api"],
        &["generate", "fast-api", "public", "--auth", "None"],
        &["generate", "connection", "--source", "web", "--target", "demo.public"],
    ] {
        let run = fastgen(&root, args);
        assert_eq!(run.code, 0, "{args:?}: {run:?}");
    }
    common::sh(&root, "uv sync");
    common::sh(&root, common::PNPM_INSTALL);
    // The clients come through the Nx chain: openapi → generate:<api>-client → typecheck → build.
    let build = common::sh(&root, "pnpm nx run web:build --outputStyle=static");
    for task in ["demo.my_api:openapi", "web:generate:my-api-client", "demo.public:openapi", "web:typecheck"]
    {
        let (project, target) = task.split_once(':').unwrap();
        assert!(
            build.contains(&format!("nx run {project}:{target}"))
                || build.contains(&format!("nx run {project}:\"{target}\"")),
            "{task} did not run:\n{build}"
        );
    }
    let generated = root.join("packages/web/src/generated/my-api");
    for file in ["client.gen.ts", "options.gen.ts", "types.gen.ts"] {
        assert!(generated.join(file).is_file(), "{file} was not generated");
    }
    let client = std::fs::read_to_string(generated.join("client.gen.ts")).unwrap();
    assert!(client.contains("export class MyApi {"), "{client}");
    let index = std::fs::read_to_string(root.join("dist/packages/web/index.html")).unwrap();
    assert!(index.contains("/assets/"), "{index}");
    let tests = common::sh(&root, "pnpm nx run web:test --outputStyle=static");
    assert!(tests.contains("Tests  22 passed"), "{tests}");
    // The generated code is git-ignored, and a second build is a cache hit all along.
    assert_eq!(std::fs::read_to_string(root.join("packages/web/.gitignore")).unwrap(), "src/generated/\n");
    let again = common::sh(&root, "pnpm nx run web:build --outputStyle=static");
    assert!(again.contains("instead of running the command for 6 out of 6 tasks"), "{again}");

    // The hooks against the running public API.
    let (_server, url) = serve_api(&root, "packages/public", "demo_public");
    std::fs::write(root.join("packages/web/src/live.test.tsx"), LIVE_TEST).unwrap();
    let live = common::sh(
        &root.join("packages/web"),
        &format!("VITE_API_URL={url} node_modules/.bin/vitest run src/live.test.tsx"),
    );
    assert!(live.contains("Tests  2 passed"), "{live}");
}
