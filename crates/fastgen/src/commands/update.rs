//! `fastgen update`: every API of the workspace generated again with the options its
//! `project.json` records, in one plan and one all-or-nothing commit. fastgen-owned files
//! take this fastgen's version, user-owned ones get its changes by a 3-way merge against
//! their baselines, and conflicts are written with markers and fail the run.

use fastgen_generators::api::ApiMetadata;
use fastgen_generators::options::RawOptions;
use fastgen_tree::Tree;
use fastgen_workspace::{ProjectInfo, Workspace};

use crate::cli::GlobalArgs;
use crate::output::Printer;

pub fn run(global: &GlobalArgs) -> anyhow::Result<()> {
    let printer = Printer::new(global);
    let root = super::existing_workspace(global.workspace.as_deref())?;
    let _lock = super::lock_workspace(&root, &printer)?;
    let mut tree = Tree::new(&root);
    let workspace = Workspace::load(&tree)?;
    let apis: Vec<RawOptions> = workspace.projects.iter().filter_map(api_options).collect();
    if apis.is_empty() {
        printer.info("no fastgen API in this workspace (no project.json with `metadata.generator` = `py#fast-api`); nothing to update");
        return Ok(());
    }
    for options in &apis {
        printer.detail(&format!("updating `{}`", options.get("name").map_or("", String::as_str)));
        super::generate::plan_fast_api(&mut tree, options, &printer)?;
    }
    let next = ["uv sync", "pnpm install", "pnpm nx run-many -t build"].map(str::to_owned);
    super::finish(&tree, global.dry_run, &printer, &next)
}

/// The options that name a fast-api project (its name, directory and module) when `project`
/// is one: what `fastgen update` and the MCP tool `workspace_info` pass to generate it again.
/// Everything else comes from the options it recorded.
pub fn api_options(project: &ProjectInfo) -> Option<RawOptions> {
    let metadata = ApiMetadata::of(project)?;
    let mut options = RawOptions::new();
    options.insert("name", metadata.api_name);
    let parent = project.dir.rsplit_once('/').map_or("", |(parent, _)| parent);
    options.insert("directory", parent.to_owned());
    if let Some(module) = &project.module {
        options.insert("moduleName", module.clone());
    }
    Some(options)
}
