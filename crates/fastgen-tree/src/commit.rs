use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use crate::change::{ChangeKind, ChangeSet, FileChange};
use crate::confine;
use crate::error::TreeError;
use crate::journal::{Entry, Journal, flush, sibling};
use crate::tree::Mode;

/// Knobs for [`commit`].
#[derive(Debug, Default, Clone, Copy)]
pub struct CommitOptions {
    /// Fail (as an I/O error would) before the write with this zero-based index. Used by the
    /// tests that prove a failed run leaves the workspace as it was.
    pub fail_before_write: Option<usize>,
    /// Sleep this long before each write, so tests can interrupt a commit midway.
    pub pause_between_writes: Option<Duration>,
    /// Checked before each write: once set (by a Ctrl-C handler), the commit stops and rolls
    /// back everything it wrote.
    pub interrupted: Option<&'static AtomicBool>,
}

/// A file about to be written, with everything needed to undo it.
struct Step<'a> {
    file: &'a FileChange,
    abs: PathBuf,
    temp: PathBuf,
}

/// Write every `CREATE` and `UPDATE` of the change set, all or nothing.
///
/// Every path is proven inside the workspace again (links may have changed since planning).
/// The journal records the change durably first; then each file is written to a temporary
/// file beside it and renamed into place. If a step fails or the run is interrupted, every
/// file already written is restored (or removed) and every directory created is removed. If
/// the process dies instead, the next run's [`crate::WorkspaceLock::acquire`] does the same.
pub fn commit(changes: &ChangeSet, options: CommitOptions) -> Result<usize, TreeError> {
    let conflicts: Vec<_> = changes.conflicts().collect();
    if let Some(first) = conflicts.first() {
        let reason = match &first.kind {
            ChangeKind::Conflict(reason) => reason.clone(),
            _ => String::new(),
        };
        return Err(TreeError::Conflicts { count: conflicts.len(), first: reason });
    }
    let root = &changes.root;
    let mut steps = Vec::new();
    let mut entries = Vec::new();
    let mut previous = Vec::new();
    let mut dirs: Vec<PathBuf> = Vec::new();
    for (index, file) in changes.files.iter().filter(|f| f.kind.writes()).enumerate() {
        let abs = confine::resolve(root, &file.path)?;
        let temp = sibling(&abs, "fastgen");
        let (Some(rel), Some(temp_rel)) = (confine::relative(root, &abs), confine::relative(root, &temp))
        else {
            return Err(TreeError::InvalidPath { path: file.path.clone() });
        };
        missing_dirs(root, &abs, &mut dirs);
        let (bytes, mode) = current(&abs)?;
        entries.push(Entry {
            path: rel,
            temp: temp_rel,
            backup: bytes.as_ref().map(|_| format!("{index}.bak")),
            mode,
        });
        previous.push(bytes);
        steps.push(Step { file, abs, temp });
    }
    if steps.is_empty() {
        return Ok(0);
    }
    let dir_names = dirs.iter().filter_map(|d| confine::relative(root, d)).collect();
    let journal = Journal::begin(root, entries, &previous, dir_names)?;
    let mut written = 0;
    let result = apply(root, &steps, &dirs, &options, &mut written);
    match result {
        Ok(()) => {
            journal.finish()?;
            Ok(written)
        }
        Err((path, source)) => {
            let unrestored = journal.roll_back();
            Err(match (unrestored.is_empty(), source) {
                (true, None) => TreeError::Interrupted,
                (true, Some(source)) => TreeError::Write { path, source },
                (false, source) => TreeError::Rollback {
                    path,
                    unrestored,
                    source: source.unwrap_or_else(|| io::Error::other("interrupted")),
                },
            })
        }
    }
}

/// Create the directories, write every file's new bytes to its temporary file, make them
/// durable, rename each into place, and make the renames durable. On failure: the path and
/// the error (`None` for an interruption).
///
/// Durability is batched: on Linux one `syncfs` of the workspace's file system covers every
/// temporary file (and a second one every rename) instead of an `fsync` per file; a
/// generation writes some 80 files, and per-file `fsync` was most of its time. Elsewhere
/// each temporary file is `fsync`ed as it is written.
fn apply(
    root: &Path,
    steps: &[Step<'_>],
    dirs: &[PathBuf],
    options: &CommitOptions,
    written: &mut usize,
) -> Result<(), (PathBuf, Option<io::Error>)> {
    for dir in dirs {
        match std::fs::create_dir(dir) {
            Err(err) if err.kind() != io::ErrorKind::AlreadyExists => return Err((dir.clone(), Some(err))),
            _ => {}
        }
    }
    for step in steps {
        write_temp(step).map_err(|err| (step.abs.clone(), Some(err)))?;
    }
    flush(root).map_err(|err| (root.to_path_buf(), Some(err)))?;
    for step in steps {
        if let Some(pause) = options.pause_between_writes {
            std::thread::sleep(pause);
        }
        if options.interrupted.is_some_and(|flag| flag.load(Ordering::SeqCst)) {
            return Err((step.abs.clone(), None));
        }
        let result = if options.fail_before_write == Some(*written) {
            Err(io::Error::other("injected failure"))
        } else {
            std::fs::rename(&step.temp, &step.abs)
        };
        result.map_err(|err| (step.abs.clone(), Some(err)))?;
        *written += 1;
    }
    flush(root).map_err(|err| (root.to_path_buf(), Some(err)))
}

/// Write a step's new bytes to its temporary file with the planned mode (`fsync`ed where
/// [`flush`] cannot batch it).
fn write_temp(step: &Step<'_>) -> io::Result<()> {
    let previous = std::fs::metadata(&step.abs).ok().map(|m| m.permissions());
    let result = (|| {
        let mut file = std::fs::File::create(&step.temp)?;
        file.write_all(&step.file.new)?;
        if !cfg!(target_os = "linux") {
            file.sync_all()?;
        }
        set_mode(&step.temp, step.file.mode, previous)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&step.temp);
    }
    result
}

/// The bytes and permission bits of the file at `abs`, if one is there.
fn current(abs: &Path) -> Result<(Option<Vec<u8>>, Option<u32>), TreeError> {
    match std::fs::read(abs) {
        Ok(bytes) => Ok((Some(bytes), std::fs::metadata(abs).ok().map(|m| permission_bits(&m)))),
        Err(err) if err.kind() == io::ErrorKind::NotFound => Ok((None, None)),
        Err(source) => Err(TreeError::Read { path: abs.to_path_buf(), source }),
    }
}

/// The ancestors of `abs` (below `root`) that do not exist yet, parents first, once each.
fn missing_dirs(root: &Path, abs: &Path, dirs: &mut Vec<PathBuf>) {
    let mut missing = Vec::new();
    let mut dir = abs.parent();
    while let Some(d) = dir {
        if d == root || !d.starts_with(root) || d.is_dir() {
            break;
        }
        missing.push(d.to_path_buf());
        dir = d.parent();
    }
    for d in missing.into_iter().rev() {
        if !dirs.contains(&d) {
            dirs.push(d);
        }
    }
}

#[cfg(unix)]
fn permission_bits(meta: &std::fs::Metadata) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    meta.permissions().mode() & 0o7777
}

#[cfg(not(unix))]
fn permission_bits(_meta: &std::fs::Metadata) -> u32 {
    0
}

#[cfg(unix)]
fn set_mode(path: &Path, mode: Mode, previous: Option<std::fs::Permissions>) -> io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let base = previous.map_or(0o644, |p| p.mode() & 0o7777);
    let bits = match mode {
        Mode::Executable => base | 0o755,
        Mode::Regular => base & !0o111,
    };
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(bits))
}

#[cfg(not(unix))]
fn set_mode(_path: &Path, _mode: Mode, _previous: Option<std::fs::Permissions>) -> io::Result<()> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tree::Tree;
    use std::sync::atomic::AtomicBool;

    /// Every path with its bytes, links shown as links; `.fastgen/` (lock, journal) left out.
    fn snapshot(root: &Path) -> Vec<(String, Vec<u8>)> {
        let mut out = Vec::new();
        let mut stack = vec![root.to_path_buf()];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
                let path = entry.path();
                let rel = path.strip_prefix(root).map(|p| p.display().to_string()).unwrap_or_default();
                if rel == crate::STATE_DIR {
                    continue;
                }
                let meta = std::fs::symlink_metadata(&path).ok();
                if meta.as_ref().is_some_and(|m| m.file_type().is_symlink()) {
                    let target = std::fs::read_link(&path).unwrap_or_default();
                    out.push((format!("{rel} ->"), target.display().to_string().into_bytes()));
                } else if path.is_dir() {
                    out.push((format!("{rel}/"), Vec::new()));
                    stack.push(path);
                } else {
                    out.push((rel, std::fs::read(&path).unwrap_or_default()));
                }
            }
        }
        out.sort();
        out
    }

    #[test]
    fn a_failure_mid_write_restores_everything() -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        let root = dir.path();
        std::fs::write(root.join("a.txt"), "old a")?;
        std::fs::write(root.join("z.txt"), "old z")?;
        let before = snapshot(root);
        let mut tree = Tree::new(root);
        tree.write("a.txt", "new a")?;
        tree.write("m/n/new.txt", "new")?;
        tree.write("z.txt", "new z")?;
        let changes = tree.changes()?;
        for fail_at in 0..3 {
            let result = commit(
                &changes,
                CommitOptions { fail_before_write: Some(fail_at), ..CommitOptions::default() },
            );
            assert!(matches!(result, Err(TreeError::Write { .. })), "{result:?}");
            assert_eq!(snapshot(root), before, "failure before write {fail_at} left changes behind");
        }
        assert_eq!(commit(&changes, CommitOptions::default())?, 3);
        assert_eq!(std::fs::read_to_string(root.join("m/n/new.txt"))?, "new");
        Ok(())
    }

    #[cfg(unix)]
    #[test]
    fn issue_7_rollback_restores_read_only_files_and_keeps_links_as_links()
    -> Result<(), Box<dyn std::error::Error>> {
        use std::os::unix::fs::{PermissionsExt, symlink};
        let dir = tempfile::tempdir()?;
        let root = dir.path();
        std::fs::create_dir(root.join("real"))?;
        std::fs::write(root.join("real/target.txt"), "old target")?;
        symlink("real/target.txt", root.join("link.txt"))?;
        std::fs::write(root.join("ro.txt"), "old ro")?;
        std::fs::set_permissions(root.join("ro.txt"), std::fs::Permissions::from_mode(0o444))?;
        let before = snapshot(root);
        let mut tree = Tree::new(root);
        tree.write("link.txt", "new target")?;
        tree.write("ro.txt", "new ro")?;
        tree.write("zz/new.txt", "new")?;
        let changes = tree.changes()?;
        let result =
            commit(&changes, CommitOptions { fail_before_write: Some(2), ..CommitOptions::default() });
        assert!(matches!(result, Err(TreeError::Write { .. })), "{result:?}");
        assert_eq!(snapshot(root), before);
        assert!(std::fs::symlink_metadata(root.join("link.txt"))?.file_type().is_symlink());
        assert_eq!(std::fs::metadata(root.join("ro.txt"))?.permissions().mode() & 0o777, 0o444);
        assert!(!root.join(".fastgen/journal").exists(), "the journal is removed after a rollback");
        commit(&changes, CommitOptions::default())?;
        assert!(
            std::fs::symlink_metadata(root.join("link.txt"))?.file_type().is_symlink(),
            "written through"
        );
        assert_eq!(std::fs::read_to_string(root.join("real/target.txt"))?, "new target");
        Ok(())
    }

    #[test]
    fn an_interrupted_commit_rolls_back() -> Result<(), Box<dyn std::error::Error>> {
        static STOP: AtomicBool = AtomicBool::new(true);
        let dir = tempfile::tempdir()?;
        std::fs::write(dir.path().join("a.txt"), "old")?;
        let before = snapshot(dir.path());
        let mut tree = Tree::new(dir.path());
        tree.write("a.txt", "new")?;
        tree.write("b/c.txt", "new")?;
        let result =
            commit(&tree.changes()?, CommitOptions { interrupted: Some(&STOP), ..CommitOptions::default() });
        assert!(matches!(result, Err(TreeError::Interrupted)), "{result:?}");
        assert_eq!(snapshot(dir.path()), before);
        Ok(())
    }

    #[test]
    fn a_journal_left_by_a_killed_commit_is_rolled_back() -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        let root = confine::real_root(dir.path());
        std::fs::write(root.join("a.txt"), "old")?;
        let before = snapshot(&root);
        // What a commit killed after its first write leaves: the journal, `a.txt` replaced,
        // `d/` created, a temporary file for `d/b.txt`.
        let entries = vec![
            Entry {
                path: "a.txt".into(),
                temp: ".a.txt.fastgen.tmp".into(),
                backup: Some("0.bak".into()),
                mode: Some(0o644),
            },
            Entry { path: "d/b.txt".into(), temp: "d/.b.txt.fastgen.tmp".into(), backup: None, mode: None },
        ];
        let journal = Journal::begin(&root, entries, &[Some(b"old".to_vec()), None], vec!["d".into()])?;
        std::fs::write(root.join("a.txt"), "new")?;
        std::fs::create_dir(root.join("d"))?;
        std::fs::write(root.join("d/.b.txt.fastgen.tmp"), "half")?;
        std::mem::forget(journal);
        let recovered = crate::journal::recover(&root)?;
        assert_eq!(recovered.map(|r| r.files), Some(2));
        assert_eq!(snapshot(&root), before);
        Ok(())
    }

    #[cfg(unix)]
    #[test]
    fn issue_7_a_state_directory_linked_out_of_the_workspace_is_refused()
    -> Result<(), Box<dyn std::error::Error>> {
        let outside = tempfile::tempdir()?;
        let dir = tempfile::tempdir()?;
        std::os::unix::fs::symlink(outside.path(), dir.path().join(crate::STATE_DIR))?;
        let mut tree = Tree::new(dir.path());
        tree.write("a.txt", "a")?;
        let result = commit(&tree.changes()?, CommitOptions::default());
        assert!(
            matches!(&result, Err(TreeError::Escapes { link, .. }) if link == crate::STATE_DIR),
            "{result:?}"
        );
        assert!(!dir.path().join("a.txt").exists());
        assert_eq!(std::fs::read_dir(outside.path())?.count(), 0, "the journal went outside");
        Ok(())
    }

    #[test]
    fn conflicts_refuse_to_write() -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        std::fs::write(dir.path().join("file"), "x")?;
        let mut tree = Tree::new(dir.path());
        tree.write("a.txt", "a")?;
        tree.write("file/b.txt", "b")?;
        let result = commit(&tree.changes()?, CommitOptions::default());
        assert!(matches!(result, Err(TreeError::Conflicts { count: 1, .. })));
        assert!(!dir.path().join("a.txt").exists());
        Ok(())
    }

    #[cfg(unix)]
    #[test]
    fn executable_mode_is_set() -> Result<(), Box<dyn std::error::Error>> {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir()?;
        let mut tree = Tree::new(dir.path());
        tree.plan("run.sh", b"#!/bin/sh\n".to_vec(), Mode::Executable, crate::Ownership::Generated)?;
        commit(&tree.changes()?, CommitOptions::default())?;
        let mode = std::fs::metadata(dir.path().join("run.sh"))?.permissions().mode();
        assert_eq!(mode & 0o777, 0o755);
        assert_eq!(tree.changes()?.files[0].kind, ChangeKind::Unchanged);
        Ok(())
    }
}
