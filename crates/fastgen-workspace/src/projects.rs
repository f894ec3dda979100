use std::collections::BTreeSet;
use std::path::Path;

use fastgen_tree::Tree;
use serde_json::Value;

use crate::error::WorkspaceError;
use crate::jsonc::parse_jsonc;
use crate::naming::words;
use crate::text::read_only_text;

/// Directories the project scan never enters: build output, dependencies, caches.
pub const SKIPPED_DIRS: &[&str] = &["node_modules", "dist", "target", "cdk.out", "build", "__pycache__"];
/// The most path segments a project directory may have and still be found by the scan.
pub const MAX_PROJECT_DEPTH: usize = 6;

/// Why the project scan does not look into a directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unscanned {
    /// The segment is hidden (starts with `.`).
    Hidden(String),
    /// The segment is one of [`SKIPPED_DIRS`].
    Skipped(String),
    /// The directory has more than [`MAX_PROJECT_DEPTH`] segments.
    TooDeep(usize),
}

/// The one rule of what the scan sees: whether it enters the directory `name` at `depth`
/// (1 for a directory at the workspace root). The scan walks by it, and a generator checks
/// every segment of a new project directory against it, so what fastgen creates it also
/// finds again.
pub fn scan_enters(name: &str, depth: usize) -> Result<(), Unscanned> {
    if name.starts_with('.') {
        Err(Unscanned::Hidden(name.to_owned()))
    } else if SKIPPED_DIRS.contains(&name) {
        Err(Unscanned::Skipped(name.to_owned()))
    } else if depth > MAX_PROJECT_DEPTH {
        Err(Unscanned::TooDeep(depth))
    } else {
        Ok(())
    }
}

/// Whether the scan would find a `project.json` in `dir` (workspace-relative, `/`-separated).
pub fn scan_sees(dir: &str) -> Result<(), Unscanned> {
    let segments: Vec<&str> = dir.split('/').filter(|s| !s.is_empty()).collect();
    for (index, segment) in segments.iter().enumerate() {
        scan_enters(segment, index + 1).map_err(|err| match err {
            Unscanned::TooDeep(_) => Unscanned::TooDeep(segments.len()),
            other => other,
        })?;
    }
    Ok(())
}

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
        // Read only: the generator that edits a project reads it again, exactly.
        let Some(text) = read_only_text(tree, &path)? else { continue };
        let value = parse_jsonc(&path, &text)?;
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
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        let Ok(kind) = entry.file_type() else { continue };
        if kind.is_dir() {
            if scan_enters(&name, depth + 1).is_ok() {
                walk(root, &entry.path(), depth + 1, found);
            }
        } else if name == "project.json"
            && let Ok(rel) = entry.path().strip_prefix(root)
        {
            found.insert(rel.to_string_lossy().replace('\\', "/"));
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn the_scan_finds_exactly_the_directories_scan_sees_accepts() {
        let dir = tempfile_dir();
        let cases = [
            ("packages/a", true),
            ("a/b/c/d/e/f", true),
            ("a/b/c/d/e/f/g", false),
            ("build/a", false),
            ("packages/dist/a", false),
            (".hidden/a", false),
            ("packages/.a", false),
            ("node_modules/x", false),
            ("packages/my.api", true),
        ];
        for (project, _) in cases {
            std::fs::create_dir_all(dir.join(project)).unwrap();
            std::fs::write(dir.join(project).join("project.json"), "{}").unwrap();
        }
        let tree = Tree::new(&dir);
        let found: Vec<String> = scan_projects(&tree).unwrap().into_iter().map(|p| p.dir).collect();
        for (project, seen) in cases {
            assert_eq!(found.contains(&project.to_owned()), seen, "{project}: found {found:?}");
            assert_eq!(scan_sees(project).is_ok(), seen, "{project}");
        }
        assert_eq!(scan_sees("a/b/c/d/e/f/g"), Err(Unscanned::TooDeep(7)));
        assert_eq!(scan_sees("packages/build/x"), Err(Unscanned::Skipped("build".into())));
        assert_eq!(scan_sees(".hidden/x"), Err(Unscanned::Hidden(".hidden".into())));
        std::fs::remove_dir_all(&dir).unwrap();
    }

    fn tempfile_dir() -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!("fastgen-scan-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }
}
