use std::collections::BTreeSet;
use std::path::Path;

use fastgen_tree::Tree;
use serde_json::Value;

use crate::error::WorkspaceError;
use crate::json::parse_json;
use crate::naming::words;

/// Directories never searched for projects.
const SKIP_DIRS: &[&str] = &["node_modules", "dist", "target", "cdk.out", "build", "__pycache__"];
const MAX_DEPTH: usize = 6;

/// What fastgen needs to know of a project already in the workspace.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProjectInfo {
    /// The project directory, workspace-relative.
    pub dir: String,
    /// The Nx project name (`name` in `project.json`).
    pub name: Option<String>,
    /// Ports recorded in `metadata.ports`.
    pub ports: Vec<u16>,
    /// The Python module (`metadata.moduleName`, else the last segment of `sourceRoot`).
    pub module: Option<String>,
    /// The kebab name of `metadata.apiName`, when it has one.
    pub kebab: Option<String>,
    /// The whole `metadata` object.
    pub metadata: Value,
}

/// Every `project.json` in the workspace, on disk or planned in `tree`, in path order.
pub fn scan_projects(tree: &Tree) -> Result<Vec<ProjectInfo>, WorkspaceError> {
    let mut paths = BTreeSet::new();
    walk(tree.root(), tree.root(), 0, &mut paths);
    for planned in tree.planned_paths() {
        if planned == "project.json" || planned.ends_with("/project.json") {
            paths.insert(planned.to_owned());
        }
    }
    let mut projects = Vec::new();
    for path in paths {
        let Some(text) = tree.read_string(&path)? else { continue };
        let value = parse_json(&path, &text)?;
        let dir = path.strip_suffix("project.json").unwrap_or_default().trim_end_matches('/').to_owned();
        projects.push(project_info(dir, &value));
    }
    Ok(projects)
}

fn project_info(dir: String, value: &Value) -> ProjectInfo {
    let metadata = value.get("metadata").cloned().unwrap_or(Value::Null);
    let ports = metadata
        .get("ports")
        .and_then(Value::as_array)
        .map(|ports| ports.iter().filter_map(Value::as_u64).filter_map(|p| u16::try_from(p).ok()).collect())
        .unwrap_or_default();
    let module = metadata.get("moduleName").and_then(Value::as_str).map(str::to_owned).or_else(|| {
        let source_root = value.get("sourceRoot")?.as_str()?;
        let is_python = metadata.get("apiType").is_some() || source_root.split('/').count() > 1;
        is_python.then(|| source_root.rsplit('/').next().unwrap_or_default().to_owned())
    });
    let kebab = metadata
        .get("apiName")
        .and_then(Value::as_str)
        .map(|name| words(name).iter().map(|w| w.to_ascii_lowercase()).collect::<Vec<_>>().join("-"));
    ProjectInfo {
        dir,
        name: value.get("name").and_then(Value::as_str).map(str::to_owned),
        ports,
        module,
        kebab,
        metadata,
    }
}

fn walk(root: &Path, dir: &Path, depth: usize, found: &mut BTreeSet<String>) {
    if depth > MAX_DEPTH {
        return;
    }
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        let Ok(kind) = entry.file_type() else { continue };
        if kind.is_dir() {
            if name.starts_with('.') || SKIP_DIRS.contains(&name.as_ref()) {
                continue;
            }
            walk(root, &entry.path(), depth + 1, found);
        } else if name == "project.json"
            && let Ok(rel) = entry.path().strip_prefix(root)
        {
            found.insert(rel.to_string_lossy().replace('\\', "/"));
        }
    }
}
