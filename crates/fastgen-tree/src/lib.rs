//! The in-memory file tree every generator writes to, the change set computed from it, and
//! the all-or-nothing commit of that change set to disk.
//!
//! Owns: planned file contents and modes, comparing them with the disk, unified diffs, atomic
//! writes with rollback. Must not know anything about Nx, uv, templates or generators; it never
//! writes to disk except in [`commit`].

mod change;
mod commit;
mod error;
mod tree;

pub use change::{ChangeKind, ChangeSet, FileChange};
pub use commit::{CommitOptions, commit};
pub use error::TreeError;
pub use tree::{Mode, Ownership, Tree};
