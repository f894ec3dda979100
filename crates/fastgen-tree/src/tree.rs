use std::collections::BTreeMap;
use std::io;
use std::path::{Path, PathBuf};

use crate::change::{ChangeKind, ChangeSet, FileChange};
use crate::confine;
use crate::error::TreeError;
use crate::merge::{self, baseline_path};

/// Who owns a planned file once it exists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ownership {
    /// An edit fastgen computed from the file's current content (a merged `project.json`,
    /// an export line added): written as planned.
    Generated,
    /// A render fastgen owns (the runtime package, the generic infrastructure core): refreshed on every
    /// run; an edit of the user's is merged like a user-owned file's. With a baseline.
    Fastgen,
    /// A render the user owns once it exists (`main.py`, an API's construct): fastgen's later
    /// changes are brought in by a 3-way merge against the baseline. With a baseline.
    User,
}

impl Ownership {
    /// Whether fastgen records a baseline of the file and merges into it.
    pub fn is_render(self) -> bool {
        matches!(self, Self::Fastgen | Self::User)
    }
}

/// The file mode fastgen sets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Regular,
    Executable,
}

#[derive(Debug, Clone)]
struct Planned {
    content: Vec<u8>,
    mode: Mode,
    ownership: Ownership,
    /// A baseline to record for a `Generated` file that merges structurally
    /// ([`Tree::record_baseline`]).
    record: Option<Vec<u8>>,
    /// What the generator has to say about a `Generated` file ([`Tree::annotate`]).
    reason: Option<String>,
}

/// A view of a directory on disk with planned writes layered on top.
///
/// Reads see planned content first, then the disk. Nothing touches the disk until the
/// [`ChangeSet`] from [`Tree::changes`] is committed.
#[derive(Debug)]
pub struct Tree {
    root: PathBuf,
    /// `root` with every symbolic link resolved: what confinement compares against.
    real_root: PathBuf,
    planned: BTreeMap<String, Planned>,
}

impl Tree {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        let root = root.into();
        let real_root = confine::real_root(&root);
        Self { root, real_root, planned: BTreeMap::new() }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The root with every symbolic link resolved.
    pub fn real_root(&self) -> &Path {
        &self.real_root
    }

    /// The real path `rel` names on disk, proven inside the workspace: symbolic links on the
    /// way are followed when they stay inside and refused when they lead out.
    pub fn resolve(&self, rel: &str) -> Result<PathBuf, TreeError> {
        confine::resolve(&self.real_root, &normalize(rel)?)
    }

    /// The names in the directory `rel` (confined), or `None` when it is not a directory.
    pub fn list_dir(&self, rel: &str) -> Result<Option<Vec<String>>, TreeError> {
        let abs = self.resolve(rel)?;
        match std::fs::read_dir(&abs) {
            Ok(entries) => {
                Ok(Some(entries.flatten().map(|e| e.file_name().to_string_lossy().into_owned()).collect()))
            }
            Err(err) if matches!(err.kind(), io::ErrorKind::NotFound | io::ErrorKind::NotADirectory) => {
                Ok(None)
            }
            Err(source) => Err(TreeError::Read { path: abs, source }),
        }
    }

    /// The content `rel` will have after a commit: planned content (for a rendered file that
    /// exists, what the merge with the disk makes of it), else the disk, else `None`.
    pub fn read(&self, rel: &str) -> Result<Option<Vec<u8>>, TreeError> {
        let rel = normalize(rel)?;
        let abs = confine::resolve(&self.real_root, &rel)?;
        let on_disk = read_disk(&rel, &abs)?;
        match self.planned.get(&rel) {
            Some(planned) if planned.ownership.is_render() && on_disk.is_some() => {
                let base = self.baseline(&rel)?;
                let outcome = merge::decide(
                    planned.ownership,
                    &planned.content,
                    on_disk.as_deref(),
                    base.as_deref(),
                    true,
                );
                Ok(Some(outcome.content))
            }
            Some(planned) => Ok(Some(planned.content.clone())),
            None => Ok(on_disk),
        }
    }

    /// The baseline recorded for `rel`: what fastgen rendered for it last time, if it
    /// recorded one.
    pub fn baseline(&self, rel: &str) -> Result<Option<Vec<u8>>, TreeError> {
        let path = baseline_path(&normalize(rel)?);
        read_disk(&path, &confine::resolve(&self.real_root, &path)?)
    }

    /// Say why the planned file `rel` is what it is (shown beside it in every report).
    pub fn annotate(&mut self, rel: &str, reason: impl Into<String>) -> Result<(), TreeError> {
        let rel = normalize(rel)?;
        match self.planned.get_mut(&rel) {
            Some(planned) => {
                planned.reason = Some(reason.into());
                Ok(())
            }
            None => Err(TreeError::InvalidPath { path: rel }),
        }
    }

    /// Record `content` as the baseline of the planned file `rel` (for files that merge
    /// structurally, like `project.json`: what fastgen itself would have written).
    pub fn record_baseline(&mut self, rel: &str, content: impl Into<Vec<u8>>) -> Result<(), TreeError> {
        let rel = normalize(rel)?;
        match self.planned.get_mut(&rel) {
            Some(planned) => {
                planned.record = Some(content.into());
                Ok(())
            }
            None => Err(TreeError::InvalidPath { path: rel }),
        }
    }

    /// Like [`Tree::read`], as UTF-8. Bytes that are not UTF-8 are refused with their line
    /// and column, never replaced: a file fastgen cannot read exactly, it must not rewrite.
    /// Editors that work on bytes (`.gitignore`, export lines) use [`Tree::read`].
    pub fn read_string(&self, rel: &str) -> Result<Option<String>, TreeError> {
        let Some(bytes) = self.read(rel)? else { return Ok(None) };
        match String::from_utf8(bytes) {
            Ok(text) => Ok(Some(text)),
            Err(err) => {
                let valid = &err.as_bytes()[..err.utf8_error().valid_up_to()];
                let line = valid.split(|&b| b == b'\n').count();
                let line_start = valid.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
                let column = String::from_utf8_lossy(&valid[line_start..]).chars().count() + 1;
                Err(TreeError::NotUtf8 { path: normalize(rel)?, line, column })
            }
        }
    }

    /// Plan a generated file (a re-run brings it back in step).
    pub fn write(&mut self, rel: &str, content: impl Into<Vec<u8>>) -> Result<(), TreeError> {
        self.plan(rel, content.into(), Mode::Regular, Ownership::Generated)
    }

    /// Plan a file with an explicit mode and ownership.
    pub fn plan(
        &mut self,
        rel: &str,
        content: Vec<u8>,
        mode: Mode,
        ownership: Ownership,
    ) -> Result<(), TreeError> {
        let rel = normalize(rel)?;
        if rel == crate::STATE_DIR || rel.starts_with(&format!("{}/", crate::STATE_DIR)) {
            return Err(TreeError::InvalidPath { path: rel });
        }
        confine::resolve(&self.real_root, &rel)?;
        self.planned.insert(rel, Planned { content, mode, ownership, record: None, reason: None });
        Ok(())
    }

    /// Plan a user-owned render: created when missing, merged when present.
    pub fn create_once(&mut self, rel: &str, content: impl Into<Vec<u8>>) -> Result<(), TreeError> {
        self.plan(rel, content.into(), Mode::Regular, Ownership::User)
    }

    /// Planned paths, in order.
    pub fn planned_paths(&self) -> impl Iterator<Item = &str> {
        self.planned.keys().map(String::as_str)
    }

    /// Compare every planned file with the disk.
    pub fn changes(&self) -> Result<ChangeSet, TreeError> {
        let mut files = Vec::with_capacity(self.planned.len());
        let mut baselines = Vec::new();
        for (rel, planned) in &self.planned {
            let abs = confine::resolve(&self.real_root, rel)?;
            let change = self.classify(rel, &abs, planned)?;
            if let Some((record, _)) = &change {
                baselines.push((rel.clone(), record.clone()));
            }
            files.push(change.map_or_else(|| self.blocked(rel, planned), |(_, file)| file));
        }
        for (rel, record) in baselines {
            let Some(record) = record else { continue };
            let path = baseline_path(&rel);
            let abs = confine::resolve(&self.real_root, &path)?;
            let old = read_disk(&path, &abs)?;
            let kind = match &old {
                None => ChangeKind::Create,
                Some(old) if *old == record => continue,
                Some(_) => ChangeKind::Update,
            };
            files.push(FileChange {
                path,
                kind,
                old,
                new: record,
                mode: Mode::Regular,
                reason: None,
                internal: true,
            });
        }
        Ok(ChangeSet { root: self.real_root.clone(), files })
    }

    /// The change for a path that cannot take a file (a file where a directory is needed,
    /// or a directory where the file goes).
    fn blocked(&self, rel: &str, planned: &Planned) -> FileChange {
        let reason = match self.blocking_ancestor(rel) {
            Some(blocker) => format!("`{blocker}` is a file, but a directory is needed there"),
            None => format!("`{rel}` is a directory, but a file is needed there"),
        };
        FileChange {
            path: rel.to_owned(),
            kind: ChangeKind::Conflict(reason),
            old: None,
            new: planned.content.clone(),
            mode: planned.mode,
            reason: None,
            internal: false,
        }
    }

    /// The change for one planned file and the baseline to record with it; `None` when the
    /// path cannot take a file at all ([`Tree::blocked`]).
    #[allow(clippy::type_complexity)]
    fn classify(
        &self,
        rel: &str,
        abs: &Path,
        planned: &Planned,
    ) -> Result<Option<(Option<Vec<u8>>, FileChange)>, TreeError> {
        if self.blocking_ancestor(rel).is_some() || abs.is_dir() {
            return Ok(None);
        }
        let old = read_disk(rel, abs)?;
        let mode_ok = old.is_some() && mode_matches(abs, planned.mode);
        let change = |kind, new: Vec<u8>, reason: Option<String>| FileChange {
            path: rel.to_owned(),
            kind,
            old: old.clone(),
            new,
            mode: planned.mode,
            reason,
            internal: false,
        };
        if planned.ownership.is_render() {
            let base = self.baseline(rel)?;
            let outcome =
                merge::decide(planned.ownership, &planned.content, old.as_deref(), base.as_deref(), mode_ok);
            return Ok(Some((outcome.record, change(outcome.kind, outcome.content, outcome.reason))));
        }
        let kind = match &old {
            None => ChangeKind::Create,
            Some(old) if *old == planned.content && mode_ok => ChangeKind::Unchanged,
            Some(_) => ChangeKind::Update,
        };
        Ok(Some((planned.record.clone(), change(kind, planned.content.clone(), planned.reason.clone()))))
    }

    /// The first ancestor of `rel` that exists on disk as something other than a directory.
    fn blocking_ancestor(&self, rel: &str) -> Option<String> {
        let mut prefix = String::new();
        let mut parts = rel.split('/').peekable();
        while let Some(part) = parts.next() {
            if parts.peek().is_none() {
                break;
            }
            if !prefix.is_empty() {
                prefix.push('/');
            }
            prefix.push_str(part);
            let abs = self.real_root.join(&prefix);
            if abs.exists() && !abs.is_dir() {
                return Some(prefix);
            }
        }
        None
    }
}

/// The bytes of the file at the resolved path `abs` (shown as `rel`): `None` when nothing (or a
/// directory) is there; FIFOs, sockets and devices are refused before they are opened.
fn read_disk(rel: &str, abs: &Path) -> Result<Option<Vec<u8>>, TreeError> {
    match std::fs::metadata(abs) {
        Ok(meta) if meta.is_dir() => return Ok(None),
        Ok(meta) if !meta.is_file() => return Err(TreeError::NotRegular { path: rel.to_owned() }),
        _ => {}
    }
    match std::fs::read(abs) {
        Ok(bytes) => Ok(Some(bytes)),
        Err(err)
            if matches!(
                err.kind(),
                io::ErrorKind::NotFound | io::ErrorKind::NotADirectory | io::ErrorKind::IsADirectory
            ) =>
        {
            Ok(None)
        }
        Err(source) => Err(TreeError::Read { path: abs.to_path_buf(), source }),
    }
}

#[cfg(unix)]
fn mode_matches(abs: &Path, mode: Mode) -> bool {
    use std::os::unix::fs::PermissionsExt;
    let executable = std::fs::metadata(abs).is_ok_and(|m| m.permissions().mode() & 0o111 != 0);
    executable == (mode == Mode::Executable)
}

#[cfg(not(unix))]
fn mode_matches(_abs: &Path, _mode: Mode) -> bool {
    true
}

/// Check and normalise a workspace-relative path: `/`-separated, no `.`/`..`, not absolute.
fn normalize(rel: &str) -> Result<String, TreeError> {
    let invalid = || TreeError::InvalidPath { path: rel.to_owned() };
    if rel.is_empty() || rel.starts_with('/') || rel.contains('\\') || rel.contains(':') {
        return Err(invalid());
    }
    let mut parts = Vec::new();
    for part in rel.split('/') {
        match part {
            "" | "." => {}
            ".." => return Err(invalid()),
            other => parts.push(other),
        }
    }
    if parts.is_empty() {
        return Err(invalid());
    }
    Ok(parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalize_rejects_escapes() {
        assert!(normalize("../x").is_err());
        assert!(normalize("/etc/passwd").is_err());
        assert!(normalize("a/../b").is_err());
        assert_eq!(normalize("./a//b").ok().as_deref(), Some("a/b"));
    }

    #[test]
    fn reads_see_planned_content_first() -> Result<(), TreeError> {
        let dir = tempfile::tempdir().map_err(|source| TreeError::Read { path: "tmp".into(), source })?;
        std::fs::write(dir.path().join("a.txt"), "disk").ok();
        let mut tree = Tree::new(dir.path());
        assert_eq!(tree.read_string("a.txt")?.as_deref(), Some("disk"));
        tree.create_once("a.txt", "template")?;
        assert_eq!(tree.read_string("a.txt")?.as_deref(), Some("disk"), "a kept file reads as the disk");
        tree.write("a.txt", "planned")?;
        assert_eq!(tree.read_string("a.txt")?.as_deref(), Some("planned"));
        Ok(())
    }

    #[cfg(unix)]
    #[test]
    fn issue_7_fifos_are_refused_without_being_opened() -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        let made = std::process::Command::new("mkfifo").arg(dir.path().join("pipe")).status()?;
        assert!(made.success());
        let tree = Tree::new(dir.path());
        // Opening a FIFO for reading blocks until a writer comes: reaching the assertion at
        // all proves it was not opened.
        let result = tree.read("pipe");
        assert!(matches!(&result, Err(TreeError::NotRegular { path }) if path == "pipe"), "{result:?}");
        Ok(())
    }

    #[cfg(unix)]
    #[test]
    fn issue_7_planning_through_a_link_out_of_the_workspace_is_refused()
    -> Result<(), Box<dyn std::error::Error>> {
        let outside = tempfile::tempdir()?;
        let dir = tempfile::tempdir()?;
        std::fs::create_dir(dir.path().join("packages"))?;
        std::os::unix::fs::symlink(outside.path(), dir.path().join("packages/evil"))?;
        let mut tree = Tree::new(dir.path());
        let planned = tree.write("packages/evil/project.json", "{}");
        assert!(
            matches!(&planned, Err(TreeError::Escapes { link, .. }) if link == "packages/evil"),
            "{planned:?}"
        );
        assert!(matches!(tree.read("packages/evil/x"), Err(TreeError::Escapes { .. })));
        assert!(tree.write(".fastgen/journal/x", "x").is_err(), "fastgen's own state is off limits");
        Ok(())
    }

    #[test]
    fn classifies_every_kind() -> Result<(), TreeError> {
        let dir = tempfile::tempdir().map_err(|source| TreeError::Read { path: "tmp".into(), source })?;
        let root = dir.path();
        std::fs::write(root.join("same.txt"), "same").ok();
        std::fs::write(root.join("old.txt"), "old").ok();
        std::fs::write(root.join("mine.txt"), "edited").ok();
        std::fs::write(root.join("file"), "x").ok();
        std::fs::create_dir(root.join("dir")).ok();
        let mut tree = Tree::new(root);
        tree.write("same.txt", "same")?;
        tree.write("old.txt", "new")?;
        tree.create_once("mine.txt", "template")?;
        tree.write("fresh.txt", "fresh")?;
        tree.write("file/below.txt", "x")?;
        tree.write("dir", "x")?;
        let changes = tree.changes()?;
        let kinds: Vec<_> = changes.files.iter().map(|f| (f.path.as_str(), f.kind.label())).collect();
        assert_eq!(
            kinds,
            vec![
                ("dir", "CONFLICT"),
                ("file/below.txt", "CONFLICT"),
                ("fresh.txt", "CREATE"),
                ("mine.txt", "KEEP"),
                ("old.txt", "UPDATE"),
                ("same.txt", "UNCHANGED"),
            ]
        );
        Ok(())
    }
}
