//! `fastgen new <dir>`.

use std::path::Path;

use fastgen_generators::GenerateError;
use fastgen_generators::new_workspace::{self, NewWorkspaceSettings};
use fastgen_generators::options::RawOptions;
use fastgen_tree::Tree;
use fastgen_workspace::IacProvider;

use crate::cli::{GlobalArgs, NewArgs, Provider};
use crate::output::Printer;

pub fn run(global: &GlobalArgs, args: &NewArgs) -> anyhow::Result<()> {
    let printer = Printer::new(global);
    let base = match &global.workspace {
        Some(dir) => std::env::current_dir()?.join(dir),
        None => std::env::current_dir()?,
    };
    let dir = base.join(&args.dir);
    let shown = args.dir.display().to_string();
    if dir.is_file() {
        return Err(GenerateError::NotEmpty(shown).into());
    }
    // An existing directory is locked, and an interrupted `new` in it rolled back, before it
    // is judged empty. A missing one is created only by a real run, after planning succeeded.
    let mut lock = if dir.is_dir() { Some(super::lock_workspace(&dir, &printer)?) } else { None };
    if !is_empty(&dir) {
        return Err(GenerateError::NotEmpty(shown).into());
    }
    let name = dir_name(&dir).ok_or_else(|| GenerateError::NotEmpty(shown.clone()))?;
    let provider = match args.iac_provider {
        Provider::Cdk => IacProvider::Cdk,
        Provider::Terraform => IacProvider::Terraform,
    };
    let settings = NewWorkspaceSettings::resolve(&name, args.scope.as_deref(), provider)?;
    let mut tree = Tree::new(&dir);
    new_workspace::generate(&mut tree, &settings)?;
    let mut next = vec![format!("cd {shown}"), "pnpm install".to_owned()];
    for api in &args.apis {
        let mut options = RawOptions::new();
        options.insert("name", api.clone());
        let api_settings = super::generate::plan_fast_api(&mut tree, &options, &printer)?;
        next = super::generate::next_steps(&api_settings, Some(&shown));
    }
    if args.apis.is_empty() {
        next.push("fastgen generate fast-api my-api".to_owned());
    }
    let created = !global.dry_run && !dir.exists();
    if created {
        fs_err::create_dir_all(&dir)?;
        lock = Some(super::lock_workspace(&dir, &printer)?);
        if !is_empty(&dir) {
            return Err(GenerateError::NotEmpty(shown).into());
        }
    }
    let result = super::finish(&tree, global.dry_run, &printer, &next);
    drop(lock);
    if result.is_err() && created {
        let _ = fs_err::remove_dir(&dir);
    }
    result
}

/// Whether `dir` is missing or holds nothing (fastgen's own `.fastgen/` aside).
fn is_empty(dir: &Path) -> bool {
    fs_err::read_dir(dir)
        .map_or(true, |entries| entries.flatten().all(|e| e.file_name() == fastgen_tree::STATE_DIR))
}

fn dir_name(dir: &Path) -> Option<String> {
    let normalized: std::path::PathBuf = dir.components().collect();
    normalized.file_name().map(|n| n.to_string_lossy().into_owned())
}
