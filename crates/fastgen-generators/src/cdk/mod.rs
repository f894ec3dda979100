//! The CDK side of an API (`iacProvider=CDK`): the shared `packages/common/constructs`
//! project (created with the first API, extended per API) and, when the workspace has a CDK
//! app, the app's list of APIs.

use fastgen_tree::{Ownership, Tree};
use fastgen_workspace::add_line;
use serde_json::{Map, Value, json};

use crate::error::GenerateError;
use crate::fast_api::{ComputeType, FastApiSettings};
use crate::iac_project::{IacProject, run};
use crate::templates::{Renderer, template_set};

/// The Nx project name of the shared constructs.
pub const CONSTRUCTS_PROJECT: &str = "common-constructs";
/// Where the shared constructs live.
pub const CONSTRUCTS_DIR: &str = "packages/common/constructs";

const CONSTRUCTS: IacProject = IacProject {
    dir: CONSTRUCTS_DIR,
    name: CONSTRUCTS_PROJECT,
    generator: "fastgen#constructs",
    generated: "src/generated",
    source_root: "packages/common/constructs/src",
    after_metadata: "compile",
};

/// Add one API's constructs (and the shared project, the first time).
pub fn add_api(tree: &mut Tree, settings: &FastApiSettings, context: &Value) -> Result<(), GenerateError> {
    ensure_constructs_project(tree, context)?;
    let (core_set, core_export) = match settings.compute_type {
        ComputeType::RestApi => ("constructs-rest", "export * from './api/rest-api.js';"),
        ComputeType::HttpApi => ("constructs-http", "export * from './api/http-api.js';"),
    };
    render_set(tree, core_set, CONSTRUCTS_DIR, context, &|p| p.to_owned())?;
    append_line(tree, &format!("{CONSTRUCTS_DIR}/src/core/index.ts"), core_export)?;
    let kebab = settings.names.kebab.clone();
    render_set(tree, "constructs-api", CONSTRUCTS_DIR, context, &|p| p.replace("__kebab__", &kebab))?;
    append_line(
        tree,
        &format!("{CONSTRUCTS_DIR}/src/app/apis/index.ts"),
        &format!("export * from './{kebab}.js';"),
    )?;
    CONSTRUCTS.add_api_targets(tree, settings)?;
    crate::infra::refresh_apis(tree)?;
    Ok(())
}

/// Create `packages/common/constructs` when it does not exist yet.
pub fn ensure_constructs_project(tree: &mut Tree, context: &Value) -> Result<(), GenerateError> {
    render_set(tree, "constructs", CONSTRUCTS_DIR, context, &|p| p.to_owned())?;
    let mut compile = run(CONSTRUCTS_DIR, "tsc -p tsconfig.json");
    compile["dependsOn"] = json!([]);
    compile["outputs"] = json!(["{projectRoot}/dist"]);
    let mut build = run(CONSTRUCTS_DIR, "echo \"constructs compiled to packages/common/constructs/dist\"");
    build["dependsOn"] = json!(["compile"]);
    let mut targets = Map::new();
    targets.insert("compile".into(), compile);
    targets.insert("build".into(), build);
    CONSTRUCTS.ensure(tree, targets)
}

/// Render every file of a template set under `dest`. The generic core (`src/core/…`, the
/// same in every workspace) is fastgen's and refreshed; everything else is the user's once
/// it exists. Either way an edit is merged, never overwritten (ARCHITECTURE.md, "Who owns a
/// file").
pub(crate) fn render_set(
    tree: &mut Tree,
    set: &str,
    dest: &str,
    context: &Value,
    rename: &dyn Fn(&str) -> String,
) -> Result<(), GenerateError> {
    let renderer = Renderer::default();
    for file in template_set(set) {
        let content = renderer.render(file.path, file.source, context)?;
        let path = format!("{dest}/{}", rename(file.path));
        let ownership = if file.path.starts_with("src/core/") { Ownership::Fastgen } else { Ownership::User };
        tree.plan(&path, content.into_bytes(), fastgen_tree::Mode::Regular, ownership)?;
    }
    Ok(())
}

fn append_line(tree: &mut Tree, path: &str, line: &str) -> Result<(), GenerateError> {
    // The file is fastgen's to edit from here on: planned even when unchanged, so a re-run
    // reports it `UNCHANGED` rather than `KEEP`.
    // As bytes: a BOM, CRLF and bytes that are not UTF-8 stay as they are.
    let content = tree.read(path)?.unwrap_or_default();
    let (content, _) = add_line(&content, line);
    tree.write(path, content)?;
    Ok(())
}
