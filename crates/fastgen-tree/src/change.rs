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
    /// A user-owned file exists with other content: it is left alone.
    Keep,
    /// The file cannot be written safely; the reason says why.
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
            Self::Conflict(_) => "CONFLICT",
        }
    }

    /// Whether committing writes this file.
    pub fn writes(&self) -> bool {
        matches!(self, Self::Create | Self::Update)
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
}

impl FileChange {
    /// A unified diff from the disk to the plan (empty unless the kind is `UPDATE`).
    pub fn unified_diff(&self) -> String {
        if self.kind != ChangeKind::Update {
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

    /// How many files have the given label.
    pub fn count(&self, label: &str) -> usize {
        self.files.iter().filter(|f| f.kind.label() == label).count()
    }
}
