//! `fastgen new`: an empty workspace that Nx, pnpm and uv understand, with `fastgen.toml`.

use fastgen_tree::Tree;
use fastgen_workspace::{IacProvider, ScopeError, ScopeOrigin, check_scope, scope_from_directory_name};
use serde_json::json;

use crate::error::GenerateError;
use crate::render::{Renderer, template_set};
use crate::versions::versions;

/// Validated settings of `fastgen new`.
#[derive(Debug, Clone)]
pub struct NewWorkspaceSettings {
    /// The workspace directory's name.
    pub name: String,
    /// The npm scope, without `@`.
    pub scope: String,
    pub iac_provider: IacProvider,
}

impl NewWorkspaceSettings {
    /// Check the scope (the rule of [`check_scope`], which every scope read from a workspace
    /// also passes) and fill in the default (the directory name, lower-cased).
    pub fn resolve(
        name: &str,
        scope: Option<&str>,
        iac_provider: IacProvider,
    ) -> Result<Self, GenerateError> {
        let (scope, origin) = match scope {
            Some(scope) => (scope.trim_start_matches('@').to_owned(), ScopeOrigin::Flag),
            None => (scope_from_directory_name(name), ScopeOrigin::NewDirectory(name.to_owned())),
        };
        if let Err(problem) = check_scope(&scope) {
            return Err(GenerateError::Scope(ScopeError { scope, origin, problem }));
        }
        Ok(Self { name: name.to_owned(), scope, iac_provider })
    }
}

/// Write the workspace files into `tree` (whose root is the new directory).
pub fn generate(tree: &mut Tree, settings: &NewWorkspaceSettings) -> Result<(), GenerateError> {
    let context = json!({
        "name": settings.name,
        "scope": settings.scope,
        "iac_provider": settings.iac_provider.as_str(),
        "is_cdk": settings.iac_provider == IacProvider::Cdk,
        "versions": versions(),
        "fastgen_npm": crate::distribution::pinned_version(),
    });
    let renderer = Renderer::default();
    for file in template_set("workspace") {
        let content = renderer.render(file.path, file.source, &context)?;
        tree.write(file.path, content)?;
    }
    Ok(())
}
