//! Issue #8, item 4: the infrastructure follows the code. Routes are added, renamed and
//! removed in `main.py` between runs of the real `pnpm exec nx run infra:synth` (CDK) and
//! `common-terraform:build` (Terraform) in one workspace, with one Nx cache and no cache
//! flag: each run's template or `operations.json` has exactly the API's operations of that
//! moment. Runs with `FASTGEN_E2E=1`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::time::Instant;

use common::{fastgen, sh};
use serde_json::Value;

/// A workspace with one isolated REST API `my-api` for `provider`, installed.
fn workspace(temp: &Path, provider: &str) -> PathBuf {
    let run = fastgen(temp, &["new", "demo", "--iac-provider", provider]);
    assert_eq!(run.code, 0, "{run:?}");
    let root = temp.join("demo");
    let run = fastgen(
        &root,
        &[
            "generate",
            "fast-api",
            "my-api",
            "--computeType",
            "ServerlessApiGatewayRestApi",
            "--integrationPattern",
            "isolated",
        ],
    );
    assert_eq!(run.code, 0, "{run:?}");
    if provider == "CDK" {
        let run = fastgen(&root, &["generate", "infra"]);
        assert_eq!(run.code, 0, "{run:?}");
    }
    sh(&root, "uv sync");
    sh(&root, common::PNPM_INSTALL);
    root
}

fn main_py(root: &Path) -> PathBuf {
    root.join("packages/my_api/demo_my_api/main.py")
}

/// A GET route `path` answered by the function `name` (its operation name), appended to `main.py`.
fn add_route(root: &Path, path: &str, name: &str) {
    let mut text = std::fs::read_to_string(main_py(root)).unwrap();
    text.push_str(&format!(
        "\n\n@app.get(\"{path}\")\n@tracer.capture_method\ndef {name}() -> EchoOutput:\n    \"\"\"Answer {name}.\"\"\"\n    return EchoOutput(message=\"{name}\")\n"
    ));
    std::fs::write(main_py(root), text).unwrap();
}

/// Rename in `main.py` by replacing text (the path and the function of one route).
fn edit_main(root: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(main_py(root)).unwrap();
    assert!(text.contains(from), "`{from}` is not in main.py");
    std::fs::write(main_py(root), text.replace(from, to)).unwrap();
}

/// `infra:synth` with the workspace's own Nx cache (no cache flag); returns Nx's output.
fn synth(root: &Path) -> String {
    sh(root, "pnpm exec nx run infra:synth --outputStyle=static")
}

/// The Lambda functions of the synthesised stacks, by logical id.
fn functions(root: &Path) -> BTreeSet<String> {
    let out = root.join("dist/packages/infra/cdk.out");
    let mut found = BTreeSet::new();
    for entry in std::fs::read_dir(&out).unwrap().flatten() {
        let path = entry.path();
        if !path.to_string_lossy().ends_with(".template.json") {
            continue;
        }
        let template: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        for (id, resource) in template["Resources"].as_object().unwrap() {
            if resource["Type"] == "AWS::Lambda::Function" {
                found.insert(id.clone());
            }
        }
    }
    assert!(!found.is_empty(), "no Lambda function in {}", out.display());
    found
}

/// The operation names of `metadata.gen.ts` (the keys of `OPERATION_DETAILS`), as compiled into
/// the constructs' `dist` that the CDK app loads.
fn compiled_operations(root: &Path) -> BTreeSet<String> {
    let js = std::fs::read_to_string(
        root.join("packages/common/constructs/dist/generated/my-api/metadata.gen.js"),
    )
    .unwrap();
    let body = js.split("OPERATION_DETAILS = {").nth(1).expect("OPERATION_DETAILS in metadata.gen.js");
    let body = body.split("};").next().unwrap();
    body.lines()
        .filter_map(|line| line.trim().split_once(':').map(|(name, _)| name.trim().to_owned()))
        .filter(|name| !name.is_empty() && !name.contains('{') && !name.contains('\''))
        .collect()
}

fn names(list: &[&str]) -> BTreeSet<String> {
    list.iter().map(|s| (*s).to_owned()).collect()
}

/// The logical ids of the functions in `after` that are not in `before`.
fn new_ids(before: &BTreeSet<String>, after: &BTreeSet<String>) -> Vec<String> {
    after.difference(before).cloned().collect()
}

#[test]
#[cfg_attr(
    not(fastgen_e2e),
    ignore = "end-to-end: needs FASTGEN_E2E=1 and the tools scripts/install-tools.sh installs (scripts/test.sh sets both)"
)]
fn issue_8_infra_synth_follows_added_renamed_and_removed_routes() {
    let started = Instant::now();
    let temp = tempfile::tempdir().unwrap();
    let root = workspace(temp.path(), "CDK");

    synth(&root);
    let first = functions(&root);
    assert_eq!(compiled_operations(&root), names(&["echo"]));
    // Nothing changed: the metadata and the compile are cache hits (so the cache is on, and
    // what follows is a test of its inputs, not of a cache that never hits).
    let again = synth(&root);
    for task in ["common-constructs:\"generate:my-api-metadata\"", "common-constructs:compile"] {
        assert!(
            again.lines().any(|l| l.contains(task) && l.contains("[local cache]")),
            "{task} was not a cache hit on an unchanged workspace:\n{again}"
        );
    }
    assert_eq!(functions(&root), first);

    // Add a route: exactly one more function.
    add_route(&root, "/ping", "ping");
    synth(&root);
    let added = functions(&root);
    assert_eq!(added.len(), first.len() + 1, "before: {first:?}\nafter: {added:?}");
    let ping = new_ids(&first, &added);
    assert_eq!(compiled_operations(&root), names(&["echo", "ping"]));

    // Rename it (path and function): same number of functions, the operation's new name.
    edit_main(
        &root,
        "@app.get(\"/ping\")\n@tracer.capture_method\ndef ping()",
        "@app.get(\"/pong\")\n@tracer.capture_method\ndef pong()",
    );
    synth(&root);
    let renamed = functions(&root);
    assert_eq!(renamed.len(), added.len(), "before: {added:?}\nafter: {renamed:?}");
    assert_eq!(compiled_operations(&root), names(&["echo", "pong"]));
    assert!(
        ping.iter().all(|id| !renamed.contains(id)),
        "the renamed operation's function {ping:?} is still there: {renamed:?}"
    );

    // Remove it: back to the first set of functions.
    let text = std::fs::read_to_string(main_py(&root)).unwrap();
    let kept = text.split("\n\n@app.get(\"/pong\")").next().unwrap().to_owned();
    std::fs::write(main_py(&root), format!("{}\n", kept.trim_end())).unwrap();
    synth(&root);
    assert_eq!(functions(&root), first);
    assert_eq!(compiled_operations(&root), names(&["echo"]));
    eprintln!("infra:synth followed add, rename and remove in {:.0}s", started.elapsed().as_secs_f64());
}

/// The operation names of the Terraform `operations.json` (an object keyed by name).
fn terraform_operations(root: &Path) -> BTreeSet<String> {
    let path = root.join("packages/common/terraform/src/generated/my-api/operations.json");
    let value: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    value.as_object().unwrap().keys().cloned().collect()
}

#[test]
#[cfg_attr(
    not(fastgen_e2e),
    ignore = "end-to-end: needs FASTGEN_E2E=1 and the tools scripts/install-tools.sh installs (scripts/test.sh sets both)"
)]
fn issue_8_terraform_build_follows_added_and_renamed_routes() {
    let started = Instant::now();
    let temp = tempfile::tempdir().unwrap();
    let root = workspace(temp.path(), "Terraform");
    let build = "pnpm exec nx run common-terraform:build --outputStyle=static";

    sh(&root, build);
    assert_eq!(terraform_operations(&root), names(&["echo"]));
    let again = sh(&root, build);
    assert!(
        again.lines().any(|l| l.contains("\"generate:my-api-metadata\"") && l.contains("[local cache]")),
        "the metadata target was not a cache hit on an unchanged workspace:\n{again}"
    );

    add_route(&root, "/ping", "ping");
    sh(&root, build);
    assert_eq!(terraform_operations(&root), names(&["echo", "ping"]));

    edit_main(&root, "def ping()", "def pong()");
    sh(&root, build);
    assert_eq!(terraform_operations(&root), names(&["echo", "pong"]));
    eprintln!("common-terraform:build followed add and rename in {:.0}s", started.elapsed().as_secs_f64());
}

/// An older fastgen's constructs `project.json`: the metadata targets hash only the
/// git-ignored spec path, and `compile` and `build` have no `inputs` of their own.
fn as_written_by_an_older_fastgen(project: &Value) -> Value {
    let mut old = project.clone();
    let targets = old["targets"].as_object_mut().unwrap();
    for (name, target) in targets.iter_mut() {
        if let Some(kebab) = name.strip_prefix("generate:").and_then(|n| n.strip_suffix("-metadata")) {
            target["inputs"] =
                serde_json::json!([format!("{{workspaceRoot}}/dist/packages/{kebab}/openapi/openapi.json")]);
        } else {
            target.as_object_mut().unwrap().remove("inputs");
        }
    }
    old
}

#[test]
fn issue_8_a_rerun_brings_an_older_workspaces_metadata_inputs_up_to_date() {
    let temp = tempfile::tempdir().unwrap();
    let run = fastgen(temp.path(), &["new", "demo", "--iac-provider", "CDK"]);
    assert_eq!(run.code, 0, "{run:?}");
    let root = temp.path().join("demo");
    for api in ["alpha", "beta"] {
        let run = fastgen(&root, &["generate", "fast-api", api]);
        assert_eq!(run.code, 0, "{run:?}");
    }
    let path = root.join("packages/common/constructs/project.json");
    let fresh: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let old = as_written_by_an_older_fastgen(&fresh);
    assert_ne!(old, fresh);
    std::fs::write(&path, serde_json::to_string_pretty(&old).unwrap()).unwrap();

    // A re-run for one API updates every API's metadata target, `compile` and `build`.
    let run = fastgen(&root, &["generate", "fast-api", "alpha"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(run.stderr.contains("UPDATE    packages/common/constructs/project.json"), "{}", run.stderr);
    let updated: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    assert_eq!(updated, fresh);

    // The user's own `inputs` are kept and only gain fastgen's entries.
    let mut custom = fresh.clone();
    custom["targets"]["compile"]["inputs"] = serde_json::json!(["{projectRoot}/src/**/*.ts"]);
    custom["targets"]["generate:beta-metadata"]["inputs"] = serde_json::json!(["{workspaceRoot}/notes.md"]);
    std::fs::write(&path, serde_json::to_string_pretty(&custom).unwrap()).unwrap();
    let run = fastgen(&root, &["generate", "fast-api", "beta"]);
    assert_eq!(run.code, 0, "{run:?}");
    let kept: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    assert_eq!(
        kept["targets"]["compile"]["inputs"],
        serde_json::json!(["{projectRoot}/src/**/*.ts", { "dependentTasksOutputFiles": "**/*", "transitive": false }])
    );
    let mut beta = vec![serde_json::json!("{workspaceRoot}/notes.md")];
    beta.extend(fresh["targets"]["generate:beta-metadata"]["inputs"].as_array().unwrap().iter().cloned());
    assert_eq!(kept["targets"]["generate:beta-metadata"]["inputs"], Value::Array(beta));
}

#[test]
fn issue_10_a_rerun_moves_metadata_targets_from_path_to_the_workspace_s_fastgen() {
    let temp = tempfile::tempdir().unwrap();
    let run = fastgen(temp.path(), &["new", "demo", "--iac-provider", "CDK", "--api", "alpha"]);
    assert_eq!(run.code, 0, "{run:?}");
    let root = temp.path().join("demo");
    let path = root.join("packages/common/constructs/project.json");
    let fresh: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let target = &fresh["targets"]["generate:alpha-metadata"];
    let command = target["options"]["command"].as_str().unwrap();
    assert!(command.starts_with("f=node_modules/.bin/fastgen; "), "{command}");
    let (_, call) = command.rsplit_once("\"$f\"").unwrap();
    // What fastgen wrote before workspaces pinned it: `fastgen` from PATH only.
    let mut old = fresh.clone();
    old["targets"]["generate:alpha-metadata"]["options"]["command"] = serde_json::json!(format!(
        "command -v fastgen >/dev/null 2>&1 || {{ echo 'error: this target runs `fastgen`, which is not on PATH; install it (see README.md: cargo install --locked --path crates/fastgen in a fastgen checkout) and run again' >&2; exit 127; }}; fastgen{call}"
    ));
    old["targets"]["generate:alpha-metadata"]["inputs"] = serde_json::json!([
        { "dependentTasksOutputFiles": "**/openapi.json", "transitive": false },
        { "runtime": "fastgen --version" }
    ]);
    std::fs::write(&path, serde_json::to_string_pretty(&old).unwrap()).unwrap();
    let run = fastgen(&root, &["generate", "fast-api", "alpha"]);
    assert_eq!(run.code, 0, "{run:?}");
    let updated: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    assert_eq!(updated, fresh);
}
