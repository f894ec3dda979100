//! `fastgen codegen …`: code generated from an API's OpenAPI document at build time.

use anyhow::Context;
use fastgen_openapi::emit::{client_files, metadata_ts, operations_json};
use fastgen_tree::Tree;

use crate::UsageError;
use crate::cli::{CodegenCommand, GlobalArgs};
use crate::output::Printer;

pub fn run(global: &GlobalArgs, command: &CodegenCommand) -> anyhow::Result<()> {
    let printer = Printer::new(global);
    let (spec, out) = match command {
        CodegenCommand::Metadata { spec, out } | CodegenCommand::Client { spec, out, .. } => (spec, out),
    };
    // Both paths go through a tree rooted at the workspace, so they are proven inside it
    // (links included) like every other read and write.
    let cwd = std::env::current_dir()?;
    let root = super::workspace_root(global.workspace.as_deref())?;
    let outside = |flag: &str, path: &std::path::Path| {
        UsageError::new(
            format!("`{flag} {}` is outside the workspace `{}`", path.display(), root.display()),
            format!("pass a `{flag}` path inside the workspace (the directory with `nx.json`)"),
        )
    };
    let spec_rel = inside(&root, &cwd.join(spec)).ok_or_else(|| outside("--spec", spec))?;
    let out_rel = inside(&root, &cwd.join(out)).ok_or_else(|| outside("--out", out))?;
    let _lock = super::lock_workspace(&root, &printer)?;
    let mut tree = Tree::new(&root);
    let missing = || {
        UsageError::new(
            format!("the OpenAPI document `{}` does not exist", spec.display()),
            "run the API's `openapi` target first (e.g. `pnpm nx run <project>:openapi`)",
        )
    };
    let text = match spec_rel.as_str() {
        "" => None,
        rel => tree.read_string(rel)?,
    }
    .ok_or_else(missing)?;
    let model = fastgen_openapi::parse(&text)
        .with_context(|| format!("cannot read the OpenAPI document `{}`", spec.display()))?;
    let source = spec.display().to_string().replace('\\', "/");
    let file = |name: &str| if out_rel.is_empty() { name.to_owned() } else { format!("{out_rel}/{name}") };
    match command {
        CodegenCommand::Metadata { .. } => {
            tree.write(&file("metadata.gen.ts"), metadata_ts(&model, &source))?;
            tree.write(&file("operations.json"), operations_json(&model))?;
            printer.detail(&format!("{} operations", model.operations.len()));
        }
        CodegenCommand::Client { class_name, .. } => {
            let client = client_files(&model, class_name.as_deref(), &source).map_err(|err| {
                UsageError::new(
                    err.to_string(),
                    "pass `--class-name` a PascalCase identifier that no operation type uses",
                )
            })?;
            for (name, text) in client.files {
                tree.write(&file(name), text)?;
            }
            printer.detail(&format!("class `{}`, {} operations", client.class, model.operations.len()));
        }
    }
    // Files whose content is unchanged are not rewritten (build caches stay warm).
    super::finish(&tree, global.dry_run, printer, &[])
}

/// `path` relative to `root` (`/`-separated, `.` and `..` resolved lexically), when inside.
fn inside(root: &std::path::Path, path: &std::path::Path) -> Option<String> {
    use std::path::Component;
    let mut normalized = std::path::PathBuf::new();
    for component in path.components() {
        match component {
            Component::ParentDir => {
                normalized.pop();
            }
            Component::CurDir => {}
            other => normalized.push(other),
        }
    }
    let rel = normalized.strip_prefix(root).ok()?;
    let parts: Option<Vec<&str>> = rel.components().map(|c| c.as_os_str().to_str()).collect();
    Some(parts?.join("/"))
}
