//! The `fast-api` generator (the seed's `py#fast-api`): the Python project, its Nx targets,
//! the workspace's runtime package it depends on, and the root edits that register both with
//! uv and git.

mod definition;
mod project_json;
mod root;
pub mod runtime;
mod settings;

use fastgen_tree::{Mode, Ownership, Tree};
use fastgen_workspace::IacProvider;
use serde_json::{Value, json};

pub use definition::DEFINITION;
pub use settings::{Architecture, Auth, ComputeType, FastApiSettings, IntegrationPattern, recorded_options};

use crate::error::GenerateError;
use crate::templates::{Renderer, template_set};
use crate::versions::versions;

/// The Lambda Python runtime version the bundle targets.
pub const LAMBDA_PYTHON: &str = "3.13";

/// Files rendered only for `--auth Custom`.
const CUSTOM_AUTH_ONLY: &[&str] = &["__module__/authorizer.py", "tests/test_authorizer.py"];
/// Files rendered with the executable bit.
const EXECUTABLE: &[&str] = &["run.sh"];

/// Generate (or bring up to date) a `FastAPI` project into `tree`.
pub fn generate(tree: &mut Tree, settings: &FastApiSettings) -> Result<(), GenerateError> {
    let context = context(settings);
    let renderer = Renderer::default();
    for file in template_set("fast-api") {
        if file.path.starts_with("NOTES") {
            continue;
        }
        if settings.auth != Auth::Custom && CUSTOM_AUTH_ONLY.contains(&file.path) {
            continue;
        }
        let content = renderer.render(file.path, file.source, &context)?;
        let path =
            format!("{}/{}", settings.project_dir, file.path.replace("__module__", &settings.names.module));
        let mode = if EXECUTABLE.contains(&file.path) { Mode::Executable } else { Mode::Regular };
        // Every rendered file is the user's once it exists: a re-run never overwrites an
        // edit (ARCHITECTURE.md, "Who owns a file"). `project.json` is merged instead.
        tree.plan(&path, content.into_bytes(), mode, Ownership::User)?;
    }
    runtime::ensure(tree)?;
    project_json::write(tree, settings)?;
    root::edit_root(tree, settings, &context)?;
    match settings.iac_provider {
        IacProvider::Cdk => crate::cdk::add_api(tree, settings, &context)?,
        IacProvider::Terraform => crate::terraform::add_api(tree, settings, &context)?,
    }
    Ok(())
}

/// The template context: every name computed, never the raw options.
pub fn context(settings: &FastApiSettings) -> Value {
    let names = &settings.names;
    json!({
        "scope": settings.scope,
        "module": names.module,
        "class_name": names.class,
        "snake_name": names.snake,
        "kebab_name": names.kebab,
        "api_name": names.raw,
        "project_name": names.project,
        "dist_name": names.distribution,
        "compute_type": settings.compute_type.as_str(),
        "is_rest": settings.compute_type == ComputeType::RestApi,
        "auth": settings.auth.as_str(),
        "integration_pattern": settings.integration_pattern.as_str(),
        "architecture": settings.architecture.as_str(),
        "port": settings.port,
        "project_dir": settings.project_dir,
        "dist_dir": settings.dist_dir(),
        "bundle_dir": settings.bundle_dir(),
        "lambda_python": LAMBDA_PYTHON,
        "versions": versions(),
    })
}
