//! One module per command. Each resolves raw arguments into settings, runs generators on an
//! in-memory tree, then shows or commits the change set.

pub mod codegen;
pub mod generate;
pub mod new;

use std::path::{Path, PathBuf};

use anyhow::Context;
use fastgen_tree::{CommitOptions, Tree, commit};

use crate::output::Printer;

/// The workspace root: `-C`, else the nearest ancestor with `nx.json`, else the current
/// directory.
pub fn workspace_root(explicit: Option<&Path>) -> anyhow::Result<PathBuf> {
    let cwd = std::env::current_dir().context("cannot read the current directory")?;
    if let Some(dir) = explicit {
        let dir = cwd.join(dir);
        if !dir.is_dir() {
            anyhow::bail!(crate::UsageError::new(
                format!("the workspace directory `{}` does not exist", dir.display()),
                "pass an existing directory to `-C`, or create a workspace with `fastgen new <dir>`",
            ));
        }
        return Ok(dir);
    }
    Ok(cwd.ancestors().find(|dir| dir.join("nx.json").is_file()).unwrap_or(&cwd).to_path_buf())
}

/// Show the change set, and commit it unless this is a dry run.
pub fn finish(tree: &Tree, dry_run: bool, printer: Printer, next_steps: &[String]) -> anyhow::Result<()> {
    let changes = tree.changes()?;
    if dry_run {
        printer.changes(&changes, true, next_steps);
        return Ok(());
    }
    let options = CommitOptions {
        fail_before_write: std::env::var("FASTGEN_TEST_FAIL_BEFORE_WRITE").ok().and_then(|v| v.parse().ok()),
    };
    if changes.conflicts().next().is_some() {
        printer.changes(&changes, true, &[]);
    }
    commit(&changes, options)?;
    printer.changes(&changes, false, next_steps);
    Ok(())
}
