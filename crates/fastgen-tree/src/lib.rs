//! The in-memory file tree every generator writes to, the change set computed from it, and
//! the all-or-nothing commit of that change set to disk.
//!
//! Owns: planned file contents and modes, comparing them with the disk, unified diffs, atomic
//! writes with rollback, confinement of every path to the workspace (symbolic links
//! included), the workspace lock and the commit journal that makes an interrupted commit
//! roll back on the next run. Must not know anything about Nx, uv, templates or generators; it never
//! writes to disk except in [`commit`].

mod change;
mod commit;
mod confine;
mod error;
mod journal;
mod lock;
mod merge;
mod tree;

pub use change::{ChangeKind, ChangeSet, FileChange};
pub use commit::{CommitOptions, commit};
pub use error::TreeError;
pub use journal::Recovery;
pub use lock::WorkspaceLock;
pub use merge::{BASELINE_DIR, MARK_BASE, MARK_FASTGEN, MARK_SPLIT, MARK_YOURS};
pub use tree::{Mode, Ownership, Tree};

/// The directory in the workspace root where fastgen keeps the baselines of the files it
/// renders (`baseline/`, committed with the workspace) and, while a commit runs, its journal
/// (`journal/`, ignored by git). Generators can never plan files in it.
pub const STATE_DIR: &str = ".fastgen";
