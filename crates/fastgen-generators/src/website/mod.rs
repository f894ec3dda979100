//! `fastgen generate website`: a React website (Vite, TypeScript, `@tanstack/react-query`,
//! `@tanstack/react-router`) in `<directory>/<kebab name>`, which loads
//! `/runtime-config.json` (the API URLs and Cognito settings a deployment writes) before it
//! renders. Every file is the user's once it exists: a re-run merges fastgen's changes
//! against the baselines, and `project.json` is merged by target (ARCHITECTURE.md, "Who owns
//! a file"). Knows nothing of APIs or infrastructure; later generators find websites by
//! [`WEBSITE_GENERATOR`].

mod definition;
mod project_json;
mod settings;

use fastgen_tree::{Mode, Ownership, Tree};
use fastgen_workspace::{Edit, PNPM_WORKSPACE, add_pnpm_package};
use serde::Serialize;
use serde_json::Value;

pub use definition::DEFINITION;
pub use settings::{WEBSITE_GENERATOR, WebsiteMetadata, WebsiteSettings};

use crate::error::GenerateError;
use crate::render::{Renderer, template_set};
use crate::versions::versions;

/// The template context: every name computed here, none in the templates.
#[derive(Serialize)]
struct Context<'a> {
    /// The npm package name, `@<scope>/<kebab>`.
    package: String,
    /// The Nx project name (the kebab name).
    project: &'a str,
    /// The page title (`My Website`): letters, digits and spaces only.
    title: &'a str,
    project_dir: &'a str,
    /// `build`'s output directory, relative to the project (`../../dist/packages/web`).
    out_dir: String,
    port: u16,
    versions: Value,
}

/// Generate (or bring up to date) the website of `settings` into `tree`.
pub fn generate(tree: &mut Tree, settings: &WebsiteSettings) -> Result<(), GenerateError> {
    let context = Context {
        package: format!("@{}/{}", settings.scope, settings.names.kebab),
        project: &settings.names.kebab,
        title: &settings.names.title,
        project_dir: &settings.project_dir,
        out_dir: format!("{}/{}", settings.root_from_project(), settings.dist_dir()),
        port: settings.port,
        versions: versions(),
    };
    let renderer = Renderer::default();
    for file in template_set("website") {
        let content = renderer.render(file.path, file.source, &context)?;
        let path = format!("{}/{}", settings.project_dir, file.path);
        tree.plan(&path, content.into_bytes(), Mode::Regular, Ownership::User)?;
    }
    project_json::write(tree, settings)?;
    // A website outside the package globs (`--directory apps`) is listed, so that `pnpm
    // install` installs its dependencies.
    if let Some(content) = tree.read(PNPM_WORKSPACE)? {
        let (content, edit) = add_pnpm_package(PNPM_WORKSPACE, &content, &settings.project_dir)?;
        if edit == Edit::Added {
            tree.write(PNPM_WORKSPACE, content)?;
        }
    }
    Ok(())
}
