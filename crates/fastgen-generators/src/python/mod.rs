//! The Python side of the `fast-api` generator (the seed's `py#fast-api`): the project, its Nx targets,
//! the workspace's runtime package it depends on, and the root edits that register both with
//! uv and git.

mod definition;
mod project_json;
mod root;
pub mod runtime;
mod settings;

use fastgen_tree::{Mode, Ownership, Tree};

pub use definition::DEFINITION;
pub use settings::{FastApiSettings, recorded_options};

use crate::api::ApiModel;
use crate::error::GenerateError;
use crate::options::Auth;
use crate::render::{Renderer, template_set};

/// Files rendered only for `--auth Custom`.
const CUSTOM_AUTH_ONLY: &[&str] = &["__module__/authorizer.py", "tests/test_authorizer.py"];
/// Files rendered with the executable bit.
const EXECUTABLE: &[&str] = &["run.sh"];

/// Generate (or bring up to date) the Python project of `api` into `tree`: its files, its
/// `project.json`, the runtime package and the root edits. Knows nothing of infrastructure.
pub fn generate(tree: &mut Tree, api: &ApiModel) -> Result<(), GenerateError> {
    let renderer = Renderer::default();
    for file in template_set("fast-api") {
        if file.path.starts_with("NOTES") {
            continue;
        }
        if api.auth != Auth::Custom && CUSTOM_AUTH_ONLY.contains(&file.path) {
            continue;
        }
        let content = renderer.render(file.path, file.source, api)?;
        let path = format!("{}/{}", api.project_dir, file.path.replace("__module__", &api.module));
        let mode = if EXECUTABLE.contains(&file.path) { Mode::Executable } else { Mode::Regular };
        // The user's once it exists: later changes are merged in against the baseline
        // (ARCHITECTURE.md, "Who owns a file"). `project.json` is merged by target instead.
        tree.plan(&path, content.into_bytes(), mode, Ownership::User)?;
    }
    runtime::ensure(tree)?;
    project_json::write(tree, api)?;
    root::edit_root(tree, api)?;
    Ok(())
}
