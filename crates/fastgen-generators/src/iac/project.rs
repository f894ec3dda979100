//! The `project.json` of a shared infrastructure project (`packages/common/constructs` or
//! `packages/common/terraform`): base targets, and per API a `generate:<kebab>-metadata`
//! target that the project's compile/build steps depend on. Merged into what is there:
//! targets and `dependsOn` entries are added, never removed, by editing the file's text in
//! place (JSONC, as Nx reads it), so comments, trailing commas and formatting survive.
//!
//! Caching: the metadata and everything built from it live in git-ignored directories
//! (`dist/…/openapi.json`, `src/generated/…`), which Nx leaves out of every file-set input.
//! So the metadata target hashes the output files of the `openapi` task it depends on
//! (`dependentTasksOutputFiles`) and the `fastgen` that turns them into code (`runtime`), and
//! the targets after it (`compile`, `build`) hash their dependencies' output files the same
//! way: a cache hit is only possible when the result would be the same.

use fastgen_tree::Tree;
use fastgen_workspace::{JsoncMut, WorkspaceError, to_pretty_json};
use serde_json::{Map, Value, json};

use crate::api::ApiModel;
use crate::distribution;
use crate::error::GenerateError;
use crate::escape::shell_command;

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

/// The guard an older fastgen wrote before a metadata command (it required `fastgen` on
/// `PATH`): a target whose command is exactly that is fastgen's, and is brought up to date.
fn path_only_command(command: &str) -> String {
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
    pub(crate) fn add_api_targets(&self, tree: &mut Tree, api: &ApiModel) -> Result<(), GenerateError> {
        let kebab = &api.kebab_name;
        let target = format!("generate:{kebab}-metadata");
        let spec = format!("{}/openapi/openapi.json", api.dist_dir);
        let out = format!("{}/{}/{kebab}", self.dir, self.generated);
        let metadata = shell_command(["fastgen", "codegen", "metadata", "--spec", &spec, "--out", &out])?;
        let mut generate = run(".", &distribution::run_fastgen(&metadata));
        generate["dependsOn"] = json!([{ "projects": [api.project_name], "target": "openapi" }]);
        let inputs = metadata_inputs();
        generate["inputs"] = Value::Array(inputs.clone());
        generate["outputs"] = json!([format!("{{workspaceRoot}}/{out}")]);
        generate["cache"] = json!(true);
        let api_build = json!({ "projects": [api.project_name], "target": "build" });
        let path = self.path();
        // `ensure` has planned the file; without it there are no targets to add to.
        let Some(text) = tree.read_string(&path)? else { return Ok(()) };
        let mut project = JsoncMut::parse(&path, &text)?;
        if project.value().get("targets").is_some_and(Value::is_object) {
            project.insert(&["targets"], &target, &generate)?;
            // What an older fastgen wrote (fastgen on `PATH` only) is replaced; a command or
            // inputs the user changed are theirs.
            let old_command = json!(path_only_command(&metadata));
            let options =
                project.value().pointer(&format!("/targets/{}/options", pointer_segment(&target))).cloned();
            if options.as_ref().and_then(|o| o.get("command")) == Some(&old_command) {
                project.set(
                    &["targets", &target, "options"],
                    "command",
                    &json!(distribution::run_fastgen(&metadata)),
                )?;
            }

            // A metadata target an older fastgen wrote hashed only the git-ignored spec path
            // (nothing, for Nx): exactly that value is replaced, in every API's target; any
            // other is the user's, and this API's only gains fastgen's inputs.
            let before = json!([format!("{{workspaceRoot}}/{spec}")]);
            let path_only = Value::Array(path_only_inputs());
            add_inputs(&mut project, &target, &inputs, &inputs, &[&before, &path_only])?;
            for (other, stale) in stale_metadata_targets(project.value()) {
                add_inputs(&mut project, &other, &inputs, &[], &[&stale])?;
            }
            add_depends_on(&mut project, self.after_metadata, &json!(target))?;
            // And the targets after it: `compile` writes `dist` from the generated code, and a
            // cached `build` restores Nx's default outputs for a build (`{projectRoot}/dist`
            // among them), so a stale hit there would overwrite a fresh `dist`.
            let generated = outputs_of_dependencies("**/*");
            let mut after = NAMED_INPUTS.iter().map(|name| json!(name)).collect::<Vec<_>>();
            after.push(generated.clone());
            for name in [self.after_metadata, "build"] {
                add_inputs(&mut project, name, &after, std::slice::from_ref(&generated), &[])?;
            }
            add_depends_on(&mut project, "build", &api_build)?;
        }
        tree.write(&path, project.to_string())?;
        Ok(())
    }
}

/// What a target that builds from source files hashes when nothing else is said (the
/// workspace's `targetDefaults` for `build` and `compile`).
const NAMED_INPUTS: [&str; 2] = ["production", "^production"];

/// The output files of the tasks this task depends on (directly) that match `glob`: how Nx
/// hashes files that are generated and git-ignored.
fn outputs_of_dependencies(glob: &str) -> Value {
    json!({ "dependentTasksOutputFiles": glob, "transitive": false })
}

/// What a metadata target's result is made from: the OpenAPI document the `openapi` task wrote,
/// and the `fastgen` that reads it (its version; when it is not on PATH the target fails anyway).
fn metadata_inputs() -> Vec<Value> {
    vec![outputs_of_dependencies("**/openapi.json"), json!({ "runtime": distribution::version_input() })]
}

/// The inputs of a metadata target an older fastgen wrote, which hashed the `fastgen` on `PATH`.
fn path_only_inputs() -> Vec<Value> {
    vec![outputs_of_dependencies("**/openapi.json"), json!({ "runtime": "fastgen --version" })]
}

/// Escape a key for a JSON pointer segment (RFC 6901).
fn pointer_segment(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

/// The metadata targets whose `inputs` is what an older fastgen wrote (the one spec path,
/// which Nx does not hash), with that value.
fn stale_metadata_targets(project: &Value) -> Vec<(String, Value)> {
    let Some(targets) = project.get("targets").and_then(Value::as_object) else { return Vec::new() };
    targets
        .iter()
        .filter(|(name, _)| name.starts_with("generate:") && name.ends_with("-metadata"))
        .filter_map(|(name, target)| {
            let inputs = target.get("inputs")?;
            let [Value::String(only)] = inputs.as_array()?.as_slice() else { return None };
            let old = only.starts_with("{workspaceRoot}/dist/") && only.ends_with("/openapi/openapi.json");
            old.then(|| (name.clone(), inputs.clone()))
        })
        .collect()
}

/// Give `target` fastgen's `inputs`: `fresh` when it has none or exactly one of `stale` (what
/// an older fastgen wrote); otherwise the user's list gains those of `required` it lacks. A
/// target that is not there, or whose `inputs` is not an array, is left alone.
fn add_inputs(
    project: &mut JsoncMut,
    target: &str,
    fresh: &[Value],
    required: &[Value],
    stale: &[&Value],
) -> Result<(), WorkspaceError> {
    let Some(existing) =
        project.value().get("targets").and_then(|t| t.get(target)).and_then(Value::as_object)
    else {
        return Ok(());
    };
    match existing.get("inputs") {
        None => {
            project.insert(&["targets", target], "inputs", &Value::Array(fresh.to_vec()))?;
        }
        Some(current) if stale.contains(&current) => {
            project.set(&["targets", target], "inputs", &Value::Array(fresh.to_vec()))?;
        }
        Some(Value::Array(_)) => {
            for input in required {
                project.push_unique(&["targets", target, "inputs"], input)?;
            }
        }
        Some(_) => {}
    }
    Ok(())
}

/// Add `dependency` to the `dependsOn` of `target` (created when missing), when that target
/// exists and does not list it yet.
pub(crate) fn add_depends_on(
    project: &mut JsoncMut,
    target: &str,
    dependency: &Value,
) -> Result<(), WorkspaceError> {
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
