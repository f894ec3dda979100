//! `fastgen new`: an empty workspace that Nx, pnpm and uv understand, with `fastgen.toml`.

use fastgen_tree::Tree;
use fastgen_workspace::IacProvider;
use serde_json::json;

use crate::error::GenerateError;
use crate::templates::{Renderer, template_set};
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
    /// Check the scope (npm rules) and fill in the default (the directory name, lower-cased).
    pub fn resolve(
        name: &str,
        scope: Option<&str>,
        iac_provider: IacProvider,
    ) -> Result<Self, GenerateError> {
        let scope = match scope {
            Some(scope) => scope.trim_start_matches('@').to_owned(),
            None => name.to_ascii_lowercase(),
        };
        let valid = !scope.is_empty()
            && scope.len() <= 214
            && !scope.starts_with(['.', '_'])
            && scope
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '-' | '.' | '_' | '~'));
        if !valid {
            return Err(GenerateError::Scope(scope));
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
    });
    let renderer = Renderer::default();
    for file in template_set("workspace") {
        let content = renderer.render(file.path, file.source, &context)?;
        tree.write(file.path, content)?;
    }
    Ok(())
}
