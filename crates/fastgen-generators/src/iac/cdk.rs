//! The CDK side of an API (`iacProvider=CDK`): the shared `packages/common/constructs`
//! project (created with the first API, extended per API) and, when the workspace has a CDK
//! app, the app's list of APIs. Websites get their construct here too (the generic
//! `core/static-website.ts` and one `app/static-websites/<kebab>.ts` each) when a CDK app
//! deploys them.

use fastgen_tree::Tree;
use fastgen_workspace::add_line;
use serde::Serialize;
use serde_json::{Map, json};

use crate::api::ApiModel;
use crate::error::GenerateError;
use crate::iac::project::{IacProject, run};
use crate::options::ComputeType;
use crate::render::render_set;
use crate::static_website::StaticWebsiteModel;

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
pub fn add_api(tree: &mut Tree, api: &ApiModel) -> Result<(), GenerateError> {
    ensure_constructs_project(tree, api)?;
    let (core_set, core_export) = match api.compute_type {
        ComputeType::RestApi => ("constructs-rest", "export * from './api/rest-api.js';"),
        ComputeType::HttpApi => ("constructs-http", "export * from './api/http-api.js';"),
    };
    render_set(tree, core_set, CONSTRUCTS_DIR, api, &|p| p.to_owned())?;
    append_line(tree, &format!("{CONSTRUCTS_DIR}/src/core/index.ts"), core_export)?;
    let kebab = api.kebab_name.clone();
    render_set(tree, "constructs-api", CONSTRUCTS_DIR, api, &|p| p.replace("__kebab__", &kebab))?;
    append_line(
        tree,
        &format!("{CONSTRUCTS_DIR}/src/app/apis/index.ts"),
        &format!("export * from './{kebab}.js';"),
    )?;
    CONSTRUCTS.add_api_targets(tree, api)
}

/// Add one website's construct (and the generic static website construct): what a CDK app
/// deploys it with.
pub fn add_website(tree: &mut Tree, website: &StaticWebsiteModel) -> Result<(), GenerateError> {
    // Planned again, the project's files would replace the export lines planned before them.
    if tree.read(&format!("{CONSTRUCTS_DIR}/project.json"))?.is_none() {
        ensure_constructs_project(tree, website)?;
    }
    render_set(tree, "constructs-static-website", CONSTRUCTS_DIR, website, &|p| p.to_owned())?;
    append_line(
        tree,
        &format!("{CONSTRUCTS_DIR}/src/core/index.ts"),
        "export * from './static-website.js';",
    )?;
    let kebab = website.kebab_name.clone();
    render_set(tree, "constructs-website", CONSTRUCTS_DIR, website, &|p| p.replace("__kebab__", &kebab))?;
    append_line(
        tree,
        &format!("{CONSTRUCTS_DIR}/src/app/static-websites/index.ts"),
        &format!("export * from './{kebab}.js';"),
    )?;
    append_line(
        tree,
        &format!("{CONSTRUCTS_DIR}/src/app/index.ts"),
        "export * from './static-websites/index.js';",
    )
}

/// Create `packages/common/constructs` when it does not exist yet.
pub fn ensure_constructs_project(tree: &mut Tree, context: &impl Serialize) -> Result<(), GenerateError> {
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

fn append_line(tree: &mut Tree, path: &str, line: &str) -> Result<(), GenerateError> {
    // The file is fastgen's to edit from here on: planned even when unchanged, so a re-run
    // reports it `UNCHANGED` rather than `KEEP`.
    // As bytes: a BOM, CRLF and bytes that are not UTF-8 stay as they are.
    let content = tree.read(path)?.unwrap_or_default();
    let (content, _) = add_line(&content, line);
    tree.write(path, content)?;
    Ok(())
}
