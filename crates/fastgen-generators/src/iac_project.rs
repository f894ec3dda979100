//! The `project.json` of a shared infrastructure project (`packages/common/constructs` or
//! `packages/common/terraform`): base targets, and per API a `generate:<kebab>-metadata`
//! target that the project's compile/build steps depend on. Merged into what is there:
//! targets and `dependsOn` entries are added, never removed.

use fastgen_tree::Tree;
use fastgen_workspace::{parse_json, to_pretty_json};
use serde_json::{Map, Value, json};

use crate::error::GenerateError;
use crate::escape::shell_command;
use crate::fast_api::FastApiSettings;

/// One shared infrastructure project.
pub(crate) struct IacProject {
    /// Workspace-relative directory.
    pub dir: &'static str,
    /// Nx project name.
    pub name: &'static str,
    /// Recorded as `metadata.generator`.
    pub generator: &'static str,
    /// Where each API's generated metadata goes, relative to `dir` (`src/generated`).
    pub generated: &'static str,
    /// `sourceRoot`, workspace-relative.
    pub source_root: &'static str,
    /// The targets that must run after every metadata target (`compile`, or `build`).
    pub after_metadata: &'static str,
}

pub(crate) fn run(cwd: &str, command: &str) -> Value {
    json!({ "executor": "nx:run-commands", "options": { "command": command, "cwd": cwd } })
}

/// A shell guard so a target that needs the `fastgen` binary says exactly that when it is missing.
pub(crate) fn require_fastgen(command: &str) -> String {
    format!(
        "command -v fastgen >/dev/null 2>&1 || {{ echo 'error: this target runs `fastgen`, which is not on PATH; install it (see README.md: cargo install --locked --path crates/fastgen in a fastgen checkout) and run again' >&2; exit 127; }}; {command}"
    )
}

impl IacProject {
    fn path(&self) -> String {
        format!("{}/project.json", self.dir)
    }

    /// Create the project file with `targets`, or leave an existing one as it is.
    pub(crate) fn ensure(&self, tree: &mut Tree, targets: Map<String, Value>) -> Result<(), GenerateError> {
        let root = vec![".."; self.dir.split('/').count()].join("/");
        let mut fresh = json!({
            "name": self.name,
            "$schema": format!("{root}/node_modules/nx/schemas/project-schema.json"),
            "projectType": "library",
            "sourceRoot": self.source_root,
            "metadata": { "generator": self.generator },
        });
        fresh["targets"] = Value::Object(targets);
        self.update(tree, |existing| {
            if existing.is_null() {
                *existing = fresh.clone();
            }
        })
    }

    /// Add the API's metadata target; make `after_metadata` depend on it and `build` on the
    /// API's build.
    pub(crate) fn add_api_targets(
        &self,
        tree: &mut Tree,
        settings: &FastApiSettings,
    ) -> Result<(), GenerateError> {
        let kebab = &settings.names.kebab;
        let target = format!("generate:{kebab}-metadata");
        let spec = format!("{}/openapi/openapi.json", settings.dist_dir());
        let out = format!("{}/{}/{kebab}", self.dir, self.generated);
        let metadata = shell_command(["fastgen", "codegen", "metadata", "--spec", &spec, "--out", &out])?;
        let mut generate = run(".", &require_fastgen(&metadata));
        generate["dependsOn"] = json!([{ "projects": [settings.names.project], "target": "openapi" }]);
        generate["inputs"] = json!([format!("{{workspaceRoot}}/{spec}")]);
        generate["outputs"] = json!([format!("{{workspaceRoot}}/{out}")]);
        generate["cache"] = json!(true);
        let api_build = json!({ "projects": [settings.names.project], "target": "build" });
        self.update(tree, |project| {
            let Some(targets) = project.get_mut("targets").and_then(Value::as_object_mut) else { return };
            targets.entry(target.clone()).or_insert(generate.clone());
            push_unique(targets.get_mut(self.after_metadata), json!(target));
            push_unique(targets.get_mut("build"), api_build.clone());
        })
    }

    /// Apply `change` to the parsed project file (Null when missing); keep the text when
    /// nothing changed.
    fn update(&self, tree: &mut Tree, change: impl FnOnce(&mut Value)) -> Result<(), GenerateError> {
        let path = self.path();
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
