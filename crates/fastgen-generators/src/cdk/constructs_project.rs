//! `packages/common/constructs/project.json`: the compile and build targets, and one
//! `generate:<kebab>-metadata` target per API, merged into what is there.

use fastgen_tree::Tree;
use fastgen_workspace::{parse_json, to_pretty_json};
use serde_json::{Value, json};

use super::CONSTRUCTS_DIR;
use crate::error::GenerateError;
use crate::fast_api::FastApiSettings;

fn path() -> String {
    format!("{CONSTRUCTS_DIR}/project.json")
}

fn run(cwd: &str, command: &str) -> Value {
    json!({ "executor": "nx:run-commands", "options": { "command": command, "cwd": cwd } })
}

/// A shell guard so a target that needs the `fastgen` binary says exactly that when it is missing.
pub(crate) fn require_fastgen(command: &str) -> String {
    format!(
        "command -v fastgen >/dev/null 2>&1 || {{ echo 'error: this target runs `fastgen`, which is not on PATH; install it (see README.md: cargo install --locked --path crates/fastgen in a fastgen checkout) and run again' >&2; exit 127; }}; {command}"
    )
}

/// Create the project file, or leave an existing one as it is.
pub(super) fn ensure(tree: &mut Tree) -> Result<(), GenerateError> {
    let mut compile = run(CONSTRUCTS_DIR, "tsc -p tsconfig.json");
    compile["dependsOn"] = json!([]);
    compile["outputs"] = json!(["{projectRoot}/dist"]);
    let mut build = run(CONSTRUCTS_DIR, "echo \"constructs compiled to packages/common/constructs/dist\"");
    build["dependsOn"] = json!(["compile"]);
    let fresh = json!({
        "name": super::CONSTRUCTS_PROJECT,
        "$schema": "../../../node_modules/nx/schemas/project-schema.json",
        "projectType": "library",
        "sourceRoot": format!("{CONSTRUCTS_DIR}/src"),
        "metadata": { "generator": "fastgen#constructs" },
        "targets": { "compile": compile, "build": build },
    });
    update(tree, |existing| {
        if existing.is_null() {
            *existing = fresh.clone();
        }
    })
}

/// Add the API's metadata target and make `compile` and `build` depend on it and its build.
pub(super) fn add_api_targets(tree: &mut Tree, settings: &FastApiSettings) -> Result<(), GenerateError> {
    let kebab = &settings.names.kebab;
    let target = format!("generate:{kebab}-metadata");
    let spec = format!("{}/openapi/openapi.json", settings.dist_dir());
    let out = format!("{CONSTRUCTS_DIR}/src/generated/{kebab}");
    let mut generate =
        run(".", &require_fastgen(&format!("fastgen codegen metadata --spec {spec} --out {out}")));
    generate["dependsOn"] = json!([{ "projects": [settings.names.project], "target": "openapi" }]);
    generate["inputs"] = json!([format!("{{workspaceRoot}}/{spec}")]);
    generate["outputs"] = json!([format!("{{workspaceRoot}}/{out}")]);
    generate["cache"] = json!(true);
    let api_build = json!({ "projects": [settings.names.project], "target": "build" });
    update(tree, |project| {
        let Some(targets) = project.get_mut("targets").and_then(Value::as_object_mut) else { return };
        targets.entry(target.clone()).or_insert(generate.clone());
        push_unique(targets.get_mut("compile"), json!(target));
        push_unique(targets.get_mut("build"), api_build.clone());
    })
}

fn push_unique(target: Option<&mut Value>, dependency: Value) {
    let Some(target) = target.and_then(Value::as_object_mut) else { return };
    let depends = target.entry("dependsOn").or_insert_with(|| json!([]));
    if let Some(list) = depends.as_array_mut()
        && !list.contains(&dependency)
    {
        list.push(dependency);
    }
}

/// Apply `change` to the parsed project file (Null when missing); write only on change.
fn update(tree: &mut Tree, change: impl FnOnce(&mut Value)) -> Result<(), GenerateError> {
    let path = path();
    let (original, text) = match tree.read_string(&path)? {
        Some(text) => (parse_json(&path, &text)?, Some(text)),
        None => (Value::Null, None),
    };
    let mut value = original.clone();
    change(&mut value);
    match text {
        Some(text) if value == original => tree.write(&path, text)?,
        _ => tree.write(&path, to_pretty_json(&value))?,
    }
    Ok(())
}
