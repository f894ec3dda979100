//! `fastgen codegen …`: code generated from an API's OpenAPI document at build time.

use anyhow::Context;
use fastgen_openapi::emit::{metadata_ts, operations_json};
use fastgen_tree::Tree;

use crate::UsageError;
use crate::cli::{CodegenCommand, GlobalArgs};
use crate::output::Printer;

pub fn run(global: &GlobalArgs, command: &CodegenCommand) -> anyhow::Result<()> {
    let printer = Printer::new(global);
    match command {
        CodegenCommand::Metadata { spec, out } => {
            let cwd = std::env::current_dir()?;
            let spec_path = cwd.join(spec);
            if !spec_path.is_file() {
                anyhow::bail!(UsageError::new(
                    format!("the OpenAPI document `{}` does not exist", spec.display()),
                    "run the API's `openapi` target first (e.g. `pnpm nx run <project>:openapi`)",
                ));
            }
            let text = fs_err::read_to_string(&spec_path)?;
            let model = fastgen_openapi::parse(&text)
                .with_context(|| format!("cannot read the OpenAPI document `{}`", spec.display()))?;
            let source = spec.display().to_string().replace('\\', "/");
            // The output directory is written through a tree rooted at the workspace, so it is
            // proven inside it like every other write.
            let root = super::workspace_root(global.workspace.as_deref())?;
            let out_rel = inside(&root, &cwd.join(out)).ok_or_else(|| {
                UsageError::new(
                    format!(
                        "the output directory `{}` is outside the workspace `{}`",
                        out.display(),
                        root.display()
                    ),
                    "pass an `--out` directory inside the workspace (the directory with `nx.json`)",
                )
            })?;
            let _lock = super::lock_workspace(&root, &printer)?;
            let mut tree = Tree::new(&root);
            let file =
                |name: &str| if out_rel.is_empty() { name.to_owned() } else { format!("{out_rel}/{name}") };
            tree.write(&file("metadata.gen.ts"), metadata_ts(&model, &source))?;
            tree.write(&file("operations.json"), operations_json(&model))?;
            printer.detail(&format!("{} operations", model.operations.len()));
            // Files whose content is unchanged are not rewritten (build caches stay warm).
            super::finish(&tree, global.dry_run, printer, &[])
        }
    }
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
