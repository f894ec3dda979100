//! Regression tests for issue #7, items 2 and 6, tried as a hostile user would: names and
//! directories that would become shell code or break a generated file, scopes read from an
//! existing workspace, names that normalise onto an existing API, directories the project
//! scan cannot see, module names that shadow installed packages, and npm workspaces. Every
//! refusal is checked for its exact message, its hint, and a byte-for-byte unchanged
//! workspace.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::path::Path;
use std::process::Command;

use common::{Fixture, Run, dir_state, fastgen};
use serde_json::Value;

/// Run `args` in `root` and check that it failed with `code` and `error`, wrote nothing and
/// ran nothing (no `PWNED` file appeared anywhere).
fn refused_in(root: &Path, args: &[&str], code: i32, error: &str) -> Run {
    let watch = root.parent().unwrap();
    let before = dir_state(watch);
    let run = fastgen(root, args);
    assert_eq!((run.code, run.error_line()), (code, error), "{run:?}");
    assert!(run.hint_line().starts_with("hint: "), "no hint: {run:?}");
    assert_eq!(dir_state(watch), before, "the workspace changed: {run:?}");
    run
}

fn refused(fixture: &Fixture, args: &[&str], code: i32, error: &str) -> Run {
    refused_in(&fixture.root, args, code, error)
}

#[test]
fn issue_7_hostile_directories_are_refused_before_anything_is_written() {
    let fixture = Fixture::new(&["--api", "first"]);
    let cases = [
        ("my apps", "contains a space"),
        ("packages/my apps", "contains a space"),
        ("a ~ b", "contains a space"),
        ("a /* b", "contains a space"),
        ("a~b", "contains `~`"),
        ("a/*", "contains `*`"),
        ("x$(touch PWNED)", "contains `$`"),
        ("x`touch PWNED`", "contains a backtick"),
        ("it's", "contains `'`"),
        ("say\"hi\"", "contains `\"`"),
        ("a;touch PWNED", "contains `;`"),
        ("a|b", "contains `|`"),
        ("a&b", "contains `&`"),
        ("a\nb", "contains the control character '\\n'"),
        ("a\tb", "contains a tab"),
        ("pack${x}", "contains `$`"),
        ("café", "contains `é`"),
        ("-rf", "has the segment `-rf`, which starts with `-`"),
    ];
    for (directory, problem) in cases {
        let run = refused(
            &fixture,
            &["generate", "fast-api", "api", &format!("--directory={directory}")],
            2,
            &format!(
                "error: the directory `{}` {problem}",
                directory.replace('\n', "\\n").replace('\t', "\\t")
            ),
        );
        assert_eq!(
            run.hint_line(),
            "hint: use ASCII letters, digits, `.`, `_` and `-` in each segment of `--directory` (spaces, quotes and shell characters are refused because the path is part of the generated commands), e.g. `--directory packages/my-apps`"
        );
    }
    assert!(!fixture.temp.path().join("PWNED").exists() && !fixture.root.join("PWNED").exists());
    // What the grammar allows still works, and its commands need no quoting.
    let run = fixture.run(&["generate", "fast-api", "api", "--directory", "apps/v2.x_y-z"]);
    assert_eq!(run.code, 0, "{run:?}");
    let project: Value = serde_json::from_str(&fixture.read("apps/v2.x_y-z/api/project.json")).unwrap();
    assert_eq!(
        project["targets"]["bundle"]["options"]["commands"][0],
        "rm -rf ../../../dist/apps/v2.x_y-z/api/bundle-x86_64"
    );
}

#[test]
fn issue_7_directories_the_scan_cannot_see_are_refused() {
    let fixture = Fixture::new(&[]);
    let skipped = "hint: choose a `--directory` without hidden segments (starting with `.`) or `node_modules`, `dist`, `target`, `cdk.out`, `build`, `__pycache__`, e.g. `--directory packages`";
    for (directory, dir, why) in [
        (
            "build",
            "build/api",
            "is inside `build`, which fastgen's project scan skips (build output and dependencies)",
        ),
        (
            "packages/dist",
            "packages/dist/api",
            "is inside `dist`, which fastgen's project scan skips (build output and dependencies)",
        ),
        (
            "node_modules/x",
            "node_modules/x/api",
            "is inside `node_modules`, which fastgen's project scan skips (build output and dependencies)",
        ),
        (
            ".hidden",
            ".hidden/api",
            "is inside `.hidden`, a hidden directory, which fastgen's project scan does not enter",
        ),
        (
            "packages/.cache",
            "packages/.cache/api",
            "is inside `.cache`, a hidden directory, which fastgen's project scan does not enter",
        ),
    ] {
        let run = refused(
            &fixture,
            &["generate", "fast-api", "api", "--directory", directory],
            2,
            &format!("error: the project directory `{dir}` {why}, so later runs would not find the project"),
        );
        assert_eq!(run.hint_line(), skipped);
    }
    let run = refused(
        &fixture,
        &["generate", "fast-api", "api", "--directory", "a/b/c/d/e/f"],
        2,
        "error: the project directory `a/b/c/d/e/f/api` is 7 levels deep; fastgen's project scan looks 6 levels deep, so later runs would not find the project",
    );
    assert_eq!(
        run.hint_line(),
        "hint: choose a `--directory` of at most 5 segments, e.g. `--directory packages`"
    );
    // The deepest accepted directory is found again: a second API gets the next port, the
    // same name without `--directory` is a re-run of the deep API (its recorded directory),
    // and the same name in another directory is refused as a duplicate.
    assert_eq!(fixture.run(&["generate", "fast-api", "deep", "--directory", "a/b/c/d/e"]).code, 0);
    assert_eq!(fixture.run(&["generate", "fast-api", "other"]).code, 0);
    let other: Value = serde_json::from_str(&fixture.read("packages/other/project.json")).unwrap();
    assert_eq!(other["metadata"]["ports"], serde_json::json!([8001]));
    let before = dir_state(&fixture.root);
    let rerun = fixture.run(&["generate", "fast-api", "deep"]);
    assert_eq!(rerun.code, 0, "{rerun:?}");
    assert!(rerun.stderr.contains(" 0 created, 0 updated, 0 merged,"), "{rerun:?}");
    assert_eq!(dir_state(&fixture.root), before);
    refused(
        &fixture,
        &["generate", "fast-api", "deep", "--directory", "packages"],
        1,
        "error: the Nx project name `demo.deep` is already used by the project in `a/b/c/d/e/deep`",
    );
}

#[test]
fn issue_7_module_names_that_shadow_installed_packages_are_refused() {
    let fixture = Fixture::new(&[]);
    for (module, shadowed) in [
        ("uvloop", "`uvloop`"),
        ("websockets", "`websockets`"),
        ("httptools", "`httptools`"),
        ("watchfiles", "`watchfiles`"),
        ("h11", "`h11`"),
        ("click", "`click`"),
        ("idna", "`idna`"),
        ("annotated_types", "`annotated_types`"),
        ("yaml", "the `yaml` module of `pyyaml`"),
        ("dotenv", "the `dotenv` module of `python-dotenv`"),
        ("Uvloop", "`uvloop`"),
        ("pydantic_core", "`pydantic_core`"),
        // The workspace's own runtime package (issue 8).
        ("fastgen_runtime", "`fastgen_runtime`"),
    ] {
        let run = refused(
            &fixture,
            &["generate", "fast-api", "api", "--moduleName", module],
            2,
            &format!(
                "error: the module name `{module}` would shadow {shadowed}, which the generated project installs"
            ),
        );
        assert!(run.hint_line().contains("pass `--moduleName` with another name"), "{run:?}");
    }
}

#[test]
fn issue_8_an_api_whose_distribution_is_the_runtime_package_s_is_refused() {
    // Scope `fastgen` and the name `runtime` make the module `fastgen_runtime` (refused as a
    // shadowed import) and the distribution `fastgen-runtime`, the runtime package's own.
    let fixture = Fixture::new(&["--scope", "fastgen"]);
    refused(
        &fixture,
        &["generate", "fast-api", "runtime"],
        2,
        "error: the module name `fastgen_runtime` would shadow `fastgen_runtime`, which the generated project installs",
    );
    refused(
        &fixture,
        &["generate", "fast-api", "runtime", "--moduleName", "rt"],
        1,
        "error: the Python distribution name `fastgen-runtime` is already used by the project in `packages/common/runtime`",
    );
}

#[test]
fn issue_7_a_name_that_normalises_to_an_existing_api_is_refused() {
    let fixture = Fixture::new(&["--api", "my-api"]);
    let run = refused(
        &fixture,
        &["generate", "fast-api", "My API"],
        1,
        "error: `packages/my_api` holds the API `my-api` (Nx project `demo.my_api`); `My API` normalises to the same directory and project but gives the class name `MyAPI` instead of `MyApi`",
    );
    assert_eq!(
        run.hint_line(),
        "hint: to update that API, run with its recorded name `my-api` (and its `--moduleName`); to add another API, choose a name whose snake, kebab and class names all differ"
    );
    refused(
        &fixture,
        &["generate", "fast-api", "my-api", "--moduleName", "other_module"],
        1,
        "error: `packages/my_api` holds the API `my-api` (Nx project `demo.my_api`); `my-api` normalises to the same directory and project but gives the module name `other_module` instead of `demo_my_api`",
    );
    // Different directory, snake and kebab names, but the same construct class.
    let fixture = Fixture::new(&["--api", "HTTPServer"]);
    refused(
        &fixture,
        &["generate", "fast-api", "HTTP Server"],
        1,
        "error: the construct class name `HTTPServer` is already used by the project in `packages/httpserver`",
    );
    // A class that is another construct's props interface (`MyApiProps`).
    let fixture = Fixture::new(&["--api", "my-api"]);
    refused(
        &fixture,
        &["generate", "fast-api", "my-api-props"],
        1,
        "error: the construct class name `MyApiProps` is already used by the project in `packages/my_api`",
    );
    // The recorded name still re-runs cleanly, and keeps a module chosen with `--moduleName`.
    assert_eq!(fixture.run(&["generate", "fast-api", "my-api"]).code, 0);
    let fixture = Fixture::new(&["--api", "orders"]);
    assert_eq!(fixture.run(&["generate", "fast-api", "billing", "--moduleName", "billing_svc"]).code, 0);
    let before = dir_state(&fixture.root);
    let run = fixture.run(&["generate", "fast-api", "billing"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(dir_state(&fixture.root), before, "a re-run without `--moduleName` changed files: {run:?}");
}

/// A workspace fastgen did not create: `nx.json`, a root `package.json`, `fastgen.toml`.
fn adopted(dir_name: &str, package_json: &str, config: &str) -> (tempfile::TempDir, std::path::PathBuf) {
    let temp = tempfile::tempdir().unwrap();
    let root = temp.path().join(dir_name);
    std::fs::create_dir_all(&root).unwrap();
    std::fs::write(root.join("nx.json"), "{}\n").unwrap();
    std::fs::write(root.join("package.json"), package_json).unwrap();
    std::fs::write(root.join("fastgen.toml"), config).unwrap();
    (temp, root)
}

#[test]
fn issue_7_hostile_scopes_are_refused_naming_their_source() {
    let config_hint = "hint: set `scope` in `fastgen.toml` to lower-case letters, digits, `-`, `.` and `_`, starting and ending with a letter or digit, e.g. `scope = \"acme\"`";
    for (scope, problem) in [
        ("x'y", "contains `'`"),
        ("$(touch PWNED)", "contains `$`"),
        ("`touch PWNED`", "contains a backtick"),
        ("my repo", "contains a space"),
        ("~", "contains `~`"),
        ("-acme", "starts with `-`"),
        ("Acme", "contains the upper-case letter `A`"),
    ] {
        let toml_scope = scope.replace('\\', "\\\\").replace('"', "\\\"");
        let (_temp, root) = adopted(
            "ws",
            "{\"name\": \"@acme/source\"}\n",
            &format!("iac-provider = \"CDK\"\nscope = \"{toml_scope}\"\n"),
        );
        let run = refused_in(
            &root,
            &["generate", "fast-api", "api"],
            1,
            &format!("error: the npm scope `{scope}` in `fastgen.toml` is not valid: it {problem}"),
        );
        assert_eq!(run.hint_line(), config_hint);
    }
    let (_temp, root) = adopted("ws", "{\"name\": \"@x'y/source\"}\n", "iac-provider = \"CDK\"\n");
    let run = refused_in(
        &root,
        &["generate", "fast-api", "api"],
        1,
        "error: the npm scope `x'y` of the root `package.json` name `@x'y/source` is not valid: it contains `'`",
    );
    assert_eq!(
        run.hint_line(),
        "hint: rename the root package in `package.json` to `@<scope>/source` with a scope of lower-case letters, digits, `-`, `.` and `_`, starting and ending with a letter or digit, or set `scope = \"acme\"` in `fastgen.toml`, which takes precedence"
    );
    let (_temp, root) = adopted("ws", "{\"name\": \"@$(touch PWNED)/source\"}\n", "iac-provider = \"CDK\"\n");
    refused_in(
        &root,
        &["generate", "infra"],
        1,
        "error: the npm scope `$(touch PWNED)` of the root `package.json` name `@$(touch PWNED)/source` is not valid: it contains `$`",
    );
    let (_temp, root) = adopted("My Repo", "{\"private\": true}\n", "iac-provider = \"CDK\"\n");
    let run = refused_in(
        &root,
        &["generate", "fast-api", "api"],
        1,
        "error: the npm scope `my repo` (from the workspace directory name `My Repo`) is not valid: it contains a space",
    );
    assert_eq!(
        run.hint_line(),
        "hint: set `scope = \"acme\"` in `fastgen.toml` (lower-case letters, digits, `-`, `.` and `_`, starting and ending with a letter or digit), or name the root package in `package.json` `@acme/source`"
    );
    // A directory name that lower-cases to a valid scope is used, lower-cased, as `new` does.
    let (_temp, root) = adopted("MyRepo", "{\"private\": true}\n", "iac-provider = \"CDK\"\n");
    assert_eq!(fastgen(&root, &["generate", "fast-api", "api"]).code, 0);
    let project: Value =
        serde_json::from_str(&std::fs::read_to_string(root.join("packages/api/project.json")).unwrap())
            .unwrap();
    assert_eq!(project["name"], "myrepo.api");
}

#[test]
fn issue_7_new_refuses_a_hostile_scope() {
    let temp = tempfile::tempdir().unwrap();
    let before = dir_state(temp.path());
    for (args, error) in [
        (
            vec!["new", "demo", "--scope", "$(touch PWNED)"],
            "error: `$(touch PWNED)` is not a valid npm scope: it contains `$`",
        ),
        (vec!["new", "demo", "--scope", "a~b"], "error: `a~b` is not a valid npm scope: it contains `~`"),
        (
            vec!["new", "My Repo"],
            "error: the npm scope `my repo` (from the directory name `My Repo`) is not valid: it contains a space",
        ),
    ] {
        let run = fastgen(temp.path(), &args);
        assert_eq!((run.code, run.error_line()), (2, error), "{run:?}");
        assert!(run.hint_line().starts_with("hint: pass `--scope` with lower-case letters"), "{run:?}");
        assert_eq!(dir_state(temp.path()), before, "{args:?} left files behind");
    }
}

/// An npm workspace: a root `package.json` with `workspaces`, no `pnpm-workspace.yaml`. Only
/// `packages/*` is listed, so the constructs are reached through the `file:` link alone.
fn npm_workspace() -> (tempfile::TempDir, std::path::PathBuf) {
    adopted(
        "shop",
        "{\n  \"name\": \"@acme/source\",\n  \"private\": true,\n  \"workspaces\": [\"packages/*\"]\n}\n",
        "iac-provider = \"CDK\"\n",
    )
}

#[test]
fn issue_7_npm_workspaces_get_file_dependencies() {
    let (_temp, root) = npm_workspace();
    assert_eq!(fastgen(&root, &["generate", "fast-api", "orders"]).code, 0);
    assert_eq!(fastgen(&root, &["generate", "infra"]).code, 0);
    let infra: Value =
        serde_json::from_str(&std::fs::read_to_string(root.join("packages/infra/package.json")).unwrap())
            .unwrap();
    assert_eq!(infra["dependencies"]["@acme/common-constructs"], "file:../common/constructs");
    // With pnpm (`fastgen new`), the workspace protocol.
    let fixture = Fixture::new(&["--api", "orders"]);
    assert_eq!(fixture.run(&["generate", "infra"]).code, 0);
    let infra: Value = serde_json::from_str(&fixture.read("packages/infra/package.json")).unwrap();
    assert_eq!(infra["dependencies"]["@demo/common-constructs"], "workspace:*");
}

#[test]
#[cfg_attr(
    not(fastgen_e2e),
    ignore = "end-to-end: needs FASTGEN_E2E=1 and the tools scripts/install-tools.sh installs (scripts/test.sh sets both)"
)]
fn issue_7_npm_accepts_the_generated_dependencies() {
    let (_temp, root) = npm_workspace();
    assert_eq!(fastgen(&root, &["generate", "fast-api", "orders"]).code, 0);
    assert_eq!(fastgen(&root, &["generate", "infra"]).code, 0);
    // Resolve the whole tree as npm would (metadata only, nothing installed or run).
    let output = Command::new("npm")
        .args(["install", "--package-lock-only", "--ignore-scripts", "--no-audit", "--no-fund"])
        .current_dir(&root)
        .output()
        .expect("npm runs");
    assert!(
        output.status.success(),
        "npm rejected the workspace: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let lock: Value =
        serde_json::from_str(&std::fs::read_to_string(root.join("package-lock.json")).unwrap()).unwrap();
    let link = &lock["packages"]["node_modules/@acme/common-constructs"];
    assert_eq!(
        (&link["link"], &link["resolved"]),
        (&Value::Bool(true), &Value::from("packages/common/constructs"))
    );
}

#[test]
fn issue_7_a_class_name_the_cdk_code_already_binds_is_refused() {
    let fixture = Fixture::new(&[]);
    let hint = "hint: choose another API name: its class name must differ from every name the CDK constructs and app import or export (`RestApi`, `Construct`, `UserPool`, …) and from JavaScript's built-ins";
    for (name, class, place) in [
        ("rest api", "RestApi", "exported by `constructs-rest/src/core/api/rest-api.ts`"),
        ("construct", "Construct", "bound in `constructs-api/src/app/apis/__kebab__.ts`"),
        ("user pool", "UserPool", "bound in `infra/src/stacks/apis.ts`"),
        ("identity-pool", "IdentityPool", "bound in `infra/src/stacks/apis.ts`"),
        ("object", "Object", "a JavaScript built-in"),
    ] {
        let run = refused(
            &fixture,
            &["generate", "fast-api", name],
            2,
            &format!(
                "error: the API name `{name}` gives the class name `{class}`, which the generated CDK code already binds ({place})"
            ),
        );
        assert_eq!(run.hint_line(), hint);
    }
    // Terraform APIs have no TypeScript class.
    let fixture = Fixture::new(&["--iac-provider", "Terraform"]);
    assert_eq!(fixture.run(&["generate", "fast-api", "rest api"]).code, 0);
}
