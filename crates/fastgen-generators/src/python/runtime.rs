//! The runtime package every API of a workspace shares (`packages/common/runtime`, the
//! distribution `fastgen-runtime`, the module `fastgen_runtime`, the Nx project
//! `common-runtime`): the observability engine behind each API's short `init.py`. fastgen owns
//! it and refreshes it on every run; it is the same in every workspace, so its templates get
//! no per-API value (rendering it with one would fail: its context has none).

use fastgen_tree::{Mode, Ownership, Tree};
use serde_json::json;

use crate::error::GenerateError;
use crate::render::{Renderer, template_set};
use crate::versions::versions;

/// Where the runtime package lives, from the workspace root.
pub const RUNTIME_DIR: &str = "packages/common/runtime";
/// Its distribution name, which each API's `pyproject.toml` depends on.
pub const RUNTIME_DISTRIBUTION: &str = "fastgen-runtime";
/// Its import name.
pub const RUNTIME_MODULE: &str = "fastgen_runtime";
/// Its Nx project name (lint and typecheck targets; each API depends on it implicitly).
pub const RUNTIME_PROJECT: &str = "common-runtime";

/// Plan every file of the runtime package, as fastgen renders it now.
pub fn ensure(tree: &mut Tree) -> Result<(), GenerateError> {
    let renderer = Renderer::default();
    let context = json!({ "versions": versions() });
    for file in template_set("runtime") {
        let content = renderer.render(file.path, file.source, &context)?;
        let path = format!("{RUNTIME_DIR}/{}", file.path);
        tree.plan(&path, content.into_bytes(), Mode::Regular, Ownership::Fastgen)?;
    }
    Ok(())
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::panic)]
mod tests {
    use super::*;

    fn python_files() -> Vec<crate::render::TemplateFile> {
        let is_python = |path: &str| std::path::Path::new(path).extension().is_some_and(|e| e == "py");
        template_set("runtime").into_iter().filter(|f| is_python(f.path)).collect()
    }

    #[test]
    fn the_python_files_are_plain_python() {
        // No template syntax in the code: what the repository holds is what workspaces get.
        let files = python_files();
        assert!(files.iter().any(|f| f.path == "fastgen_runtime/__init__.py"), "{files:?}");
        for file in &files {
            for syntax in ["{{", "{%", "{#"] {
                assert!(!file.source.contains(syntax), "{} contains `{syntax}`", file.path);
            }
        }
    }

    #[test]
    fn no_private_powertools_member_and_no_class_reassignment() {
        for file in python_files() {
            for line in file.source.lines() {
                let code = line.split('#').next().unwrap_or_default();
                assert!(!code.contains("__class__"), "{}: {line}", file.path);
                assert!(!code.contains("thread_safe_"), "{}: {line}", file.path);
                // An attribute that starts with `_` (`obj._member`), other than a dunder.
                let private = code.match_indices("._").any(|(at, _)| !code[at + 2..].starts_with('_'));
                assert!(!private, "{}: {line}", file.path);
            }
        }
    }
}
