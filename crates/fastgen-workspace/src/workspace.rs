use fastgen_tree::Tree;

use crate::config::{
    CONFIG_FILE, IacProvider, NX_PLUGIN_CONFIG, WorkspaceConfig, provider_from_nx_plugin_config,
};
use crate::error::WorkspaceError;
use crate::json::parse_json;
use crate::naming::{ScopeError, ScopeOrigin, check_scope, scope_from_directory_name};
use crate::pnpm_workspace::PNPM_WORKSPACE;
use crate::projects::{ProjectInfo, scan_projects};
use crate::text::read_only_text;

/// What fastgen knows of the workspace before a generator runs.
#[derive(Debug, Clone)]
pub struct Workspace {
    /// The npm scope, without `@`.
    pub scope: String,
    /// `fastgen.toml`, when present.
    pub config: Option<WorkspaceConfig>,
    /// The provider recorded in `fastgen.toml`, else in `aws-nx-plugin.config.mts`.
    pub recorded_provider: Option<IacProvider>,
    /// Whether the root `package.json` exists.
    pub has_package_json: bool,
    /// Whether the workspace's packages are npm workspaces (a `workspaces` field in the root
    /// `package.json` and no `pnpm-workspace.yaml`), whose installer rejects `workspace:`
    /// dependencies.
    pub npm_workspaces: bool,
    pub projects: Vec<ProjectInfo>,
}

impl Workspace {
    /// Read the workspace behind `tree` (planned files included).
    pub fn load(tree: &Tree) -> Result<Self, WorkspaceError> {
        let package_json = match read_only_text(tree, "package.json")? {
            Some(text) => Some(parse_json("package.json", &text)?),
            None => None,
        };
        let config = match tree.read_string(CONFIG_FILE)? {
            Some(text) => Some(WorkspaceConfig::parse(&text)?),
            None => None,
        };
        let package_name = package_json.as_ref().and_then(|p| p.get("name")).and_then(|n| n.as_str());
        let dir_name = tree
            .root()
            .canonicalize()
            .ok()
            .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
            .or_else(|| tree.root().file_name().map(|n| n.to_string_lossy().into_owned()))
            .unwrap_or_else(|| "workspace".to_owned());
        // The same rule as `fastgen new --scope`, whichever file the scope comes from.
        let (scope, origin) = match (config.as_ref().and_then(|c| c.scope.clone()), package_name) {
            (Some(scope), _) => (scope, ScopeOrigin::ConfigFile),
            (None, Some(name)) if name.starts_with('@') => {
                let scope = name[1..].split('/').next().unwrap_or_default().to_owned();
                (scope, ScopeOrigin::PackageJson(name.to_owned()))
            }
            (None, _) => (scope_from_directory_name(&dir_name), ScopeOrigin::WorkspaceDirectory(dir_name)),
        };
        check_scope(&scope).map_err(|problem| ScopeError { scope: scope.clone(), origin, problem })?;
        // npm (and yarn) workspaces list their packages in `package.json`; pnpm in its own file.
        let npm_workspaces = package_json.as_ref().is_some_and(|p| p.get("workspaces").is_some())
            && tree.read(PNPM_WORKSPACE)?.is_none();
        let mut recorded_provider = config.as_ref().and_then(|c| c.iac_provider);
        if recorded_provider.is_none()
            && let Some(text) = read_only_text(tree, NX_PLUGIN_CONFIG)?
        {
            recorded_provider = provider_from_nx_plugin_config(&text);
        }
        Ok(Self {
            scope,
            config,
            recorded_provider,
            has_package_json: package_json.is_some(),
            npm_workspaces,
            projects: scan_projects(tree)?,
        })
    }

    /// The first port ≥ 8000 no project records.
    pub fn free_port(&self) -> u16 {
        let used: Vec<u16> = self.projects.iter().flat_map(|p| p.ports.iter().copied()).collect();
        (8000..=u16::MAX).find(|port| !used.contains(port)).unwrap_or(8000)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scope_port_and_provider() -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile_dir()?;
        let root = dir.as_path();
        std::fs::write(root.join("package.json"), r#"{"name": "@acme/source"}"#)?;
        std::fs::write(
            root.join("aws-nx-plugin.config.mts"),
            "export default { iac: { provider: 'Terraform' } };",
        )?;
        std::fs::create_dir_all(root.join("packages/a"))?;
        std::fs::write(
            root.join("packages/a/project.json"),
            r#"{"name": "acme.a", "metadata": {"ports": [8000, 8001]}}"#,
        )?;
        let mut tree = Tree::new(root);
        tree.write("packages/b/project.json", r#"{"name": "acme.b", "metadata": {"ports": [8002]}}"#)?;
        let ws = Workspace::load(&tree)?;
        assert_eq!(ws.scope, "acme");
        assert_eq!(ws.recorded_provider, Some(IacProvider::Terraform));
        assert_eq!(ws.free_port(), 8003);
        assert_eq!(ws.projects.len(), 2);
        std::fs::remove_dir_all(root)?;
        Ok(())
    }

    fn tempfile_dir() -> std::io::Result<std::path::PathBuf> {
        let dir = std::env::temp_dir().join(format!("fastgen-ws-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir)?;
        Ok(dir)
    }
}
