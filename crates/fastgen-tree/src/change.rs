use std::path::PathBuf;

use similar::TextDiff;

use crate::tree::Mode;

/// What committing a planned file does to the disk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChangeKind {
    /// The file does not exist yet.
    Create,
    /// The file exists with other content or mode and fastgen owns it.
    Update,
    /// The file exists exactly as planned.
    Unchanged,
    /// A rendered file exists with edits of the user's that stay as they are.
    Keep,
    /// A rendered file the user edited: fastgen's changes merged into the user's version.
    Merge,
    /// A rendered file the user edited where the user's edits and fastgen's changes touch the
    /// same lines: written with conflict markers, and the run fails until they are resolved.
    MergeConflict,
    /// The file cannot be written safely (the whole run is refused); the reason says why.
    Conflict(String),
}

impl ChangeKind {
    /// The upper-case label printed in summaries (`CREATE`, `UPDATE`, …).
    pub fn label(&self) -> &'static str {
        match self {
            Self::Create => "CREATE",
            Self::Update => "UPDATE",
            Self::Unchanged => "UNCHANGED",
            Self::Keep => "KEEP",
            Self::Merge => "MERGE",
            Self::MergeConflict | Self::Conflict(_) => "CONFLICT",
        }
    }

    /// Whether committing writes this file.
    pub fn writes(&self) -> bool {
        matches!(self, Self::Create | Self::Update | Self::Merge | Self::MergeConflict)
    }
}

/// One planned file compared with the disk.
#[derive(Debug, Clone)]
pub struct FileChange {
    /// Workspace-relative, `/`-separated.
    pub path: String,
    pub kind: ChangeKind,
    /// The content on disk, when the file exists.
    pub old: Option<Vec<u8>>,
    pub new: Vec<u8>,
    pub mode: Mode,
    /// Why fastgen does what it does with the file (for KEEP, UPDATE, MERGE and CONFLICT).
    pub reason: Option<String>,
    /// fastgen's own bookkeeping (a baseline under `.fastgen/`): committed with the rest,
    /// never reported.
    pub internal: bool,
}

impl FileChange {
    /// A unified diff from the disk to the plan (empty unless the file is rewritten:
    /// `UPDATE`, `MERGE`, or a `CONFLICT` written with markers).
    pub fn unified_diff(&self) -> String {
        if !matches!(self.kind, ChangeKind::Update | ChangeKind::Merge | ChangeKind::MergeConflict) {
            return String::new();
        }
        let old = String::from_utf8_lossy(self.old.as_deref().unwrap_or_default());
        let new = String::from_utf8_lossy(&self.new);
        if old == new {
            return format!("--- a/{0}\n+++ b/{0}\n(mode changed)\n", self.path);
        }
        TextDiff::from_lines(old.as_ref(), new.as_ref())
            .unified_diff()
            .context_radius(3)
            .header(&format!("a/{}", self.path), &format!("b/{}", self.path))
            .to_string()
    }

    /// For a `CREATE` of a UTF-8 file, a unified diff from nothing (`/dev/null`) to its
    /// content: what a reviewer of a dry run (the MCP tool `plan`) reads. Empty otherwise.
    pub fn creation_diff(&self) -> String {
        if self.kind != ChangeKind::Create {
            return String::new();
        }
        let Ok(new) = std::str::from_utf8(&self.new) else { return String::new() };
        if new.is_empty() {
            return format!("--- /dev/null\n+++ b/{}\n(empty file)\n", self.path);
        }
        TextDiff::from_lines("", new)
            .unified_diff()
            .context_radius(3)
            .header("/dev/null", &format!("b/{}", self.path))
            .to_string()
    }
}

/// Every planned file of one generation, compared with the disk, in path order.
#[derive(Debug, Clone)]
pub struct ChangeSet {
    pub root: PathBuf,
    pub files: Vec<FileChange>,
}

impl ChangeSet {
    /// Files that cannot be written safely.
    pub fn conflicts(&self) -> impl Iterator<Item = &FileChange> {
        self.files.iter().filter(|f| matches!(f.kind, ChangeKind::Conflict(_)))
    }

    /// Files written with conflict markers.
    pub fn merge_conflicts(&self) -> impl Iterator<Item = &FileChange> {
        self.files.iter().filter(|f| f.kind == ChangeKind::MergeConflict)
    }

    /// The files to report: everything but fastgen's own bookkeeping.
    pub fn reported(&self) -> impl Iterator<Item = &FileChange> {
        self.files.iter().filter(|f| !f.internal)
    }

    /// How many reported files have the given label.
    pub fn count(&self, label: &str) -> usize {
        self.reported().filter(|f| f.kind.label() == label).count()
    }
}
