//! One module per command. Each resolves raw arguments into settings, runs generators on an
//! in-memory tree, then shows or commits the change set.

pub mod codegen;
pub mod generate;
pub mod new;
pub mod update;

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicU8, Ordering};
use std::time::Duration;

use anyhow::Context;
use fastgen_tree::{ChangeSet, CommitOptions, Tree, WorkspaceLock, commit};

use crate::output::Printer;

/// Where the run is, for the Ctrl-C handler: planning (nothing written yet), committing, or
/// ending because of an interrupt. One atomic, so the handler and the start of a commit can
/// never both win: a commit never begins once the handler has decided to end the process.
static PHASE: AtomicU8 = AtomicU8::new(PLANNING);
const PLANNING: u8 = 0;
const COMMITTING: u8 = 1;
const ENDING: u8 = 2;
/// Set by the Ctrl-C (or SIGTERM) handler during a commit, which then rolls back.
static INTERRUPTED: AtomicBool = AtomicBool::new(false);
/// Held for the whole of a commit, so that [`PHASE`] describes one commit at a time.
static COMMITS: Mutex<()> = Mutex::new(());

/// How long a run waits for another run's lock by default.
const LOCK_WAIT: Duration = Duration::from_secs(30);

/// Install the handler for Ctrl-C and SIGTERM: outside a commit nothing has been written, so
/// the run ends at once (exit code 130); during a commit the commit rolls back first.
pub fn handle_interrupts() {
    let _ = ctrlc::set_handler(|| {
        if PHASE.compare_exchange(PLANNING, ENDING, Ordering::SeqCst, Ordering::SeqCst).is_ok() {
            anstream::eprintln!("interrupted; nothing was written");
            std::process::exit(130);
        }
        INTERRUPTED.store(true, Ordering::SeqCst);
    });
}

/// Whether an interrupt arrived during a commit: the process is to end (exit code 130) once
/// it has reported the rollback.
pub fn ending() -> bool {
    PHASE.load(Ordering::SeqCst) == ENDING
}

/// Take the workspace lock of `root` (waiting for another run to finish, with a message),
/// and say what was done if an interrupted run's change had to be rolled back.
pub fn lock_workspace(root: &Path, printer: &Printer) -> anyhow::Result<WorkspaceLock> {
    let wait = std::env::var("FASTGEN_LOCK_TIMEOUT")
        .ok()
        .and_then(|v| v.parse::<f64>().ok())
        .filter(|secs| secs.is_finite() && *secs >= 0.0)
        .map_or(LOCK_WAIT, Duration::from_secs_f64);
    let (lock, recovery) = WorkspaceLock::acquire(root, wait, || {
        printer.warn(&format!(
            "another fastgen run is writing to this workspace; waiting up to {}s for it to finish",
            wait.as_secs()
        ));
    })?;
    if let Some(recovery) = recovery {
        printer.warn(&match (recovery.pid, recovery.files) {
            (Some(pid), files) => format!(
                "a fastgen run (pid {pid}) was interrupted while writing {files} file(s); they were rolled back to what they were before it, and no temporary files are left"
            ),
            (None, _) => "a fastgen run was interrupted before it wrote anything; its unfinished journal was removed".to_owned(),
        });
    }
    Ok(lock)
}

/// The workspace root for `codegen`: `-C`, else the nearest ancestor with `nx.json`, else the
/// current directory (Nx targets and tests run it in plain directories too).
pub fn workspace_root(explicit: Option<&Path>) -> anyhow::Result<PathBuf> {
    let cwd = std::env::current_dir().context("cannot read the current directory")?;
    if let Some(dir) = explicit {
        return explicit_dir(&cwd, dir);
    }
    Ok(cwd.ancestors().find(|dir| dir.join("nx.json").is_file()).unwrap_or(&cwd).to_path_buf())
}

/// The workspace a generator writes into: the nearest directory with `nx.json`, looking in
/// `-C` (else the current directory) and then in every directory above it. Without one,
/// [`NotAWorkspace`]: generating into a folder that is no workspace makes files Nx never sees.
pub fn existing_workspace(explicit: Option<&Path>) -> anyhow::Result<PathBuf> {
    let cwd = std::env::current_dir().context("cannot read the current directory")?;
    let start = match explicit {
        // Resolved first, so `..` and links lead to the directories that really hold it.
        Some(dir) => fs_err::canonicalize(explicit_dir(&cwd, dir)?)?,
        None => cwd,
    };
    match start.ancestors().find(|dir| dir.join("nx.json").is_file()) {
        Some(root) => Ok(root.to_path_buf()),
        None => Err(NotAWorkspace { dir: start }.into()),
    }
}

/// `-C <dir>` against the current directory; a usage error when it names no directory.
fn explicit_dir(cwd: &Path, dir: &Path) -> anyhow::Result<PathBuf> {
    let dir = cwd.join(dir);
    if !dir.is_dir() {
        anyhow::bail!(crate::UsageError::new(
            format!("the workspace directory `{}` does not exist", dir.display()),
            "pass an existing directory to `-C`, or create a workspace with `fastgen new <dir>`",
        ));
    }
    Ok(dir)
}

/// A generator run where neither the start directory nor any directory above it has an
/// `nx.json`. Exit code 1, not 2: the command line is valid; the directory is the problem.
#[derive(Debug)]
pub struct NotAWorkspace {
    pub dir: PathBuf,
}

impl NotAWorkspace {
    pub const HINT: &str = "create a workspace with `fastgen new <dir>` and run this command inside it, or pass `-C <dir>` of an existing workspace";
}

impl std::fmt::Display for NotAWorkspace {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "`{}` is not inside an Nx workspace: neither it nor any directory above it has an `nx.json`",
            self.dir.display()
        )
    }
}

impl std::error::Error for NotAWorkspace {}

/// Show the change set, and commit it unless this is a dry run.
pub fn finish(tree: &Tree, dry_run: bool, printer: &Printer, next_steps: &[String]) -> anyhow::Result<()> {
    let changes = tree.changes()?;
    if dry_run {
        printer.changes(&changes, true, next_steps);
        return Ok(());
    }
    if changes.conflicts().next().is_some() {
        printer.changes(&changes, true, &[]);
    }
    match write(&changes) {
        Ok(()) => {
            printer.changes(&changes, false, next_steps);
            Ok(())
        }
        Err(err) => {
            if err.is::<MergeConflicts>() {
                printer.changes(&changes, false, &[]);
            }
            Err(err)
        }
    }
}

/// Commit a change set: every write fastgen makes goes through here (atomic writes, the
/// journal, the Ctrl-C protocol). Files written with conflict markers end in
/// [`MergeConflicts`] after the commit.
pub fn write(changes: &ChangeSet) -> anyhow::Result<()> {
    // PHASE and INTERRUPTED describe one commit: a process that commits more than once (the
    // MCP server) commits one change set at a time.
    let _one_at_a_time = COMMITS.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    let options = CommitOptions {
        fail_before_write: std::env::var("FASTGEN_TEST_FAIL_BEFORE_WRITE").ok().and_then(|v| v.parse().ok()),
        pause_between_writes: std::env::var("FASTGEN_TEST_PAUSE_MS")
            .ok()
            .and_then(|v| v.parse().ok())
            .map(Duration::from_millis),
        interrupted: Some(&INTERRUPTED),
    };
    if PHASE.compare_exchange(PLANNING, COMMITTING, Ordering::SeqCst, Ordering::SeqCst).is_err() {
        // The interrupt handler is ending the process: write nothing, wait for the end.
        loop {
            std::thread::park();
        }
    }
    let result = commit(changes, options);
    if INTERRUPTED.load(Ordering::SeqCst) {
        // The interrupt asked the process to end; it does once the caller has reported the
        // rollback. No later commit may start meanwhile.
        PHASE.store(ENDING, Ordering::SeqCst);
    } else {
        PHASE.store(PLANNING, Ordering::SeqCst);
    }
    result?;
    let conflicted: Vec<String> = changes.merge_conflicts().map(|f| f.path.clone()).collect();
    if !conflicted.is_empty() {
        return Err(MergeConflicts { files: conflicted }.into());
    }
    Ok(())
}

/// Files written with conflict markers: the run's changes are on disk, but it fails (exit
/// code 1) until the user resolves them.
#[derive(Debug)]
pub struct MergeConflicts {
    pub files: Vec<String>,
}

impl MergeConflicts {
    pub const HINT: &str = "in each file, keep what you want between `<<<<<<< yours` and `>>>>>>> fastgen now` and delete the markers; then run the same command again to check (it reports UNCHANGED or KEEP)";
}

impl std::fmt::Display for MergeConflicts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} file(s) were written with conflict markers, where your edits and fastgen's changes touch the same lines: {}",
            self.files.len(),
            self.files.join(", ")
        )
    }
}

impl std::error::Error for MergeConflicts {}
