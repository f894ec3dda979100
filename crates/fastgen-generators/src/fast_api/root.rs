//! Edits outside the project: the uv workspace root (the project and the runtime package it
//! depends on) and `.gitignore`.

use fastgen_tree::Tree;
use fastgen_workspace::{PyProjectMut, add_gitignore_lines};
use serde_json::Value;

use crate::error::GenerateError;
use crate::fast_api::FastApiSettings;
use crate::fast_api::runtime::{RUNTIME_DIR, RUNTIME_DISTRIBUTION};
use crate::templates::{Renderer, template_set};

/// Paths every Python workspace should ignore.
const GITIGNORE: &[&str] = &[".venv", "dist", "__pycache__", ".pytest_cache", ".ruff_cache", ".mypy_cache"];

pub(super) fn edit_root(
    tree: &mut Tree,
    settings: &FastApiSettings,
    context: &Value,
) -> Result<(), GenerateError> {
    let text = match tree.read_string("pyproject.toml")? {
        Some(text) => text,
        None => workspace_root_pyproject(context)?,
    };
    let mut pyproject = PyProjectMut::parse("pyproject.toml", &text)?;
    pyproject.add_workspace_member(RUNTIME_DIR)?;
    pyproject.add_workspace_source(RUNTIME_DISTRIBUTION)?;
    pyproject.add_workspace_member(&settings.project_dir)?;
    pyproject.add_workspace_source(&settings.names.distribution)?;
    tree.write("pyproject.toml", pyproject.to_string())?;

    // As bytes: git matches patterns byte for byte, so a Latin-1 line must stay as it is.
    let gitignore = tree.read(".gitignore")?.unwrap_or_default();
    let (gitignore, _) = add_gitignore_lines(&gitignore, GITIGNORE);
    tree.write(".gitignore", gitignore)?;
    Ok(())
}

/// The uv workspace root `fastgen new` writes, for workspaces that have none.
fn workspace_root_pyproject(context: &Value) -> Result<String, GenerateError> {
    let file = template_set("workspace").into_iter().find(|f| f.path == "pyproject.toml");
    match file {
        Some(file) => Renderer::default().render(file.path, file.source, context),
        None => Ok(String::new()),
    }
}
