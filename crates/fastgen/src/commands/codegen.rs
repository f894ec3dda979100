//! `fastgen codegen …`: code generated from an API's OpenAPI document at build time.

use std::path::{Component, Path, PathBuf};

use anyhow::Context;
use fastgen_openapi::emit::{client_files, metadata_ts, operations_json};
use fastgen_tree::Tree;

use crate::UsageError;
use crate::cli::{CodegenCommand, GlobalArgs};
use crate::output::Printer;

/// What to generate, from which document, into which directory. Relative paths are taken
/// from `base` (the current directory on the command line, the workspace over MCP).
#[derive(Debug, Clone)]
pub struct Request {
    pub spec: PathBuf,
    pub out: PathBuf,
    pub target: Target,
}

#[derive(Debug, Clone)]
pub enum Target {
    /// `metadata.gen.ts` and `operations.json`.
    Metadata,
    /// The typed client, with the class name given, if any.
    Client { class_name: Option<String> },
}

impl Request {
    pub fn from_cli(command: &CodegenCommand) -> Self {
        match command {
            CodegenCommand::Metadata { spec, out } => {
                Self { spec: spec.clone(), out: out.clone(), target: Target::Metadata }
            }
            CodegenCommand::Client { spec, out, class_name } => Self {
                spec: spec.clone(),
                out: out.clone(),
                target: Target::Client { class_name: class_name.clone() },
            },
        }
    }
}

pub fn run(global: &GlobalArgs, command: &CodegenCommand) -> anyhow::Result<()> {
    let printer = Printer::new(global);
    let cwd = std::env::current_dir()?;
    let root = super::workspace_root(global.workspace.as_deref())?;
    let request = Request::from_cli(command);
    let (spec_rel, out_rel) = confine(&root, &cwd, &request)?;
    let _lock = super::lock_workspace(&root, &printer)?;
    let mut tree = Tree::new(&root);
    plan(&mut tree, &request, &spec_rel, &out_rel, &printer)?;
    // Files whose content is unchanged are not rewritten (build caches stay warm).
    super::finish(&tree, global.dry_run, &printer, &[])
}

/// The workspace-relative `/`-separated paths of the request's document and output
/// directory, or a refusal when either lies outside `root`. Both are then read and written
/// through a tree rooted at the workspace, so they are proven inside it (links included)
/// like every other read and write.
pub fn confine(root: &Path, base: &Path, request: &Request) -> anyhow::Result<(String, String)> {
    let outside = |flag: &str, path: &Path| {
        UsageError::new(
            format!("`{flag} {}` is outside the workspace `{}`", path.display(), root.display()),
            format!("pass a `{flag}` path inside the workspace (the directory with `nx.json`)"),
        )
    };
    let spec = inside(root, &base.join(&request.spec)).ok_or_else(|| outside("--spec", &request.spec))?;
    let out = inside(root, &base.join(&request.out)).ok_or_else(|| outside("--out", &request.out))?;
    Ok((spec, out))
}

/// Read the document at `spec_rel` and plan the generated files under `out_rel` into `tree`.
pub fn plan(
    tree: &mut Tree,
    request: &Request,
    spec_rel: &str,
    out_rel: &str,
    printer: &Printer,
) -> anyhow::Result<()> {
    let spec = &request.spec;
    let missing = || {
        UsageError::new(
            format!("the OpenAPI document `{}` does not exist", spec.display()),
            "run the API's `openapi` target first (e.g. `pnpm nx run <project>:openapi`)",
        )
    };
    let text = match spec_rel {
        "" => None,
        rel => tree.read_string(rel)?,
    }
    .ok_or_else(missing)?;
    let model = fastgen_openapi::parse(&text)
        .with_context(|| format!("cannot read the OpenAPI document `{}`", spec.display()))?;
    let source = spec.display().to_string().replace('\\', "/");
    let file = |name: &str| if out_rel.is_empty() { name.to_owned() } else { format!("{out_rel}/{name}") };
    match &request.target {
        Target::Metadata => {
            tree.write(&file("metadata.gen.ts"), metadata_ts(&model, &source))?;
            tree.write(&file("operations.json"), operations_json(&model))?;
            printer.detail(&format!("{} operations", model.operations.len()));
        }
        Target::Client { class_name } => {
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
    Ok(())
}

/// `path` relative to `root` (`/`-separated, `.` and `..` resolved lexically), when inside.
fn inside(root: &Path, path: &Path) -> Option<String> {
    let mut normalized = PathBuf::new();
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
