//! Edits outside the project: the uv workspace root (the project and the runtime package it
//! depends on) and `.gitignore`.

use crate::api::ApiModel;
use crate::error::GenerateError;
use crate::python::runtime::{RUNTIME_DIR, RUNTIME_DISTRIBUTION};
use crate::render::{Renderer, template_set};
use fastgen_tree::Tree;
use fastgen_workspace::{PyProjectMut, add_gitignore_lines};

/// Paths every Python workspace should ignore.
const GITIGNORE: &[&str] = &[".venv", "dist", "__pycache__", ".pytest_cache", ".ruff_cache", ".mypy_cache"];

pub(super) fn edit_root(tree: &mut Tree, api: &ApiModel) -> Result<(), GenerateError> {
    let text = match tree.read_string("pyproject.toml")? {
        Some(text) => text,
        None => workspace_root_pyproject(api)?,
    };
    let mut pyproject = PyProjectMut::parse("pyproject.toml", &text)?;
    pyproject.add_workspace_member(RUNTIME_DIR)?;
    pyproject.add_workspace_source(RUNTIME_DISTRIBUTION)?;
    pyproject.add_workspace_member(&api.project_dir)?;
    pyproject.add_workspace_source(&api.dist_name)?;
    tree.write("pyproject.toml", pyproject.to_string())?;

    // As bytes: git matches patterns byte for byte, so a Latin-1 line must stay as it is.
    let gitignore = tree.read(".gitignore")?.unwrap_or_default();
    let (gitignore, _) = add_gitignore_lines(&gitignore, GITIGNORE);
    tree.write(".gitignore", gitignore)?;
    Ok(())
}

/// The uv workspace root `fastgen new` writes, for workspaces that have none.
fn workspace_root_pyproject(context: &ApiModel) -> Result<String, GenerateError> {
    let file = template_set("workspace").into_iter().find(|f| f.path == "pyproject.toml");
    match file {
        Some(file) => Renderer::default().render(file.path, file.source, context),
        None => Ok(String::new()),
    }
}
