//! The `project.json` of a shared infrastructure project (`packages/common/constructs` or
//! `packages/common/terraform`): base targets, and per API a `generate:<kebab>-metadata`
//! target that the project's compile/build steps depend on. Merged into what is there:
//! targets and `dependsOn` entries are added, never removed, by editing the file's text in
//! place (JSONC, as Nx reads it), so comments, trailing commas and formatting survive.

use fastgen_tree::Tree;
use fastgen_workspace::{JsoncMut, WorkspaceError, to_pretty_json};
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
        let path = self.path();
        let content = match tree.read_string(&path)? {
            None => to_pretty_json(&fresh),
            Some(text) => JsoncMut::parse(&path, &text)?.to_string(),
        };
        tree.write(&path, content)?;
        Ok(())
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
        let path = self.path();
        // `ensure` has planned the file; without it there are no targets to add to.
        let Some(text) = tree.read_string(&path)? else { return Ok(()) };
        let mut project = JsoncMut::parse(&path, &text)?;
        if project.value().get("targets").is_some_and(Value::is_object) {
            project.insert(&["targets"], &target, &generate)?;
            push_unique(&mut project, self.after_metadata, &json!(target))?;
            push_unique(&mut project, "build", &api_build)?;
        }
        tree.write(&path, project.to_string())?;
        Ok(())
    }
}

/// Add `dependency` to the `dependsOn` of `target` (created when missing), when that target
/// exists and does not list it yet.
fn push_unique(project: &mut JsoncMut, target: &str, dependency: &Value) -> Result<(), WorkspaceError> {
    let Some(existing) =
        project.value().get("targets").and_then(|t| t.get(target)).and_then(Value::as_object)
    else {
        return Ok(());
    };
    match existing.get("dependsOn") {
        None => project.insert(&["targets", target], "dependsOn", &json!([dependency]))?,
        Some(Value::Array(_)) => project.push_unique(&["targets", target, "dependsOn"], dependency)?,
        Some(_) => return Ok(()),
    };
    Ok(())
}
