use std::io::Write;
use std::path::{Path, PathBuf};

use crate::change::{ChangeKind, ChangeSet};
use crate::error::TreeError;
use crate::tree::Mode;

/// Knobs for [`commit`].
#[derive(Debug, Default, Clone, Copy)]
pub struct CommitOptions {
    /// Fail (as an I/O error would) before the write with this zero-based index. Used by the
    /// tests that prove a failed run leaves the workspace as it was.
    pub fail_before_write: Option<usize>,
}

enum Undo {
    /// A file that did not exist: remove it.
    Created(PathBuf),
    /// A file that existed: put its bytes and mode back.
    Replaced(PathBuf, Vec<u8>, Option<std::fs::Permissions>),
    /// A directory that did not exist: remove it if empty.
    Dir(PathBuf),
}

/// Write every `CREATE` and `UPDATE` of the change set, all or nothing.
///
/// Each file is written to a temporary file beside it and renamed into place. If any step
/// fails, every file already written is restored (or removed) and every directory created
/// is removed, so the disk is as it was.
pub fn commit(changes: &ChangeSet, options: CommitOptions) -> Result<usize, TreeError> {
    let conflicts: Vec<_> = changes.conflicts().collect();
    if let Some(first) = conflicts.first() {
        let reason = match &first.kind {
            ChangeKind::Conflict(reason) => reason.clone(),
            _ => String::new(),
        };
        return Err(TreeError::Conflicts { count: conflicts.len(), first: reason });
    }
    let mut undo = Vec::new();
    let mut written = 0;
    for file in changes.files.iter().filter(|f| f.kind.writes()) {
        let path = changes.root.join(&file.path);
        let result = if options.fail_before_write == Some(written) {
            Err(std::io::Error::other("injected failure"))
        } else {
            write_one(&path, &file.new, file.mode, &mut undo)
        };
        if let Err(source) = result {
            let unrestored = rollback(undo);
            return Err(if unrestored.is_empty() {
                TreeError::Write { path, source }
            } else {
                TreeError::Rollback { path, unrestored, source }
            });
        }
        written += 1;
    }
    Ok(written)
}

fn write_one(path: &Path, content: &[u8], mode: Mode, undo: &mut Vec<Undo>) -> std::io::Result<()> {
    let parent = path.parent().ok_or_else(|| std::io::Error::other("no parent directory"))?;
    create_dirs(parent, undo)?;
    let previous = match std::fs::read(path) {
        Ok(bytes) => Some((bytes, std::fs::metadata(path).ok().map(|m| m.permissions()))),
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => None,
        Err(err) => return Err(err),
    };
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let temp = parent.join(format!(".{name}.fastgen-{}.tmp", std::process::id()));
    let result = (|| {
        let mut file = std::fs::File::create(&temp)?;
        file.write_all(content)?;
        file.sync_all()?;
        drop(file);
        set_mode(&temp, mode, previous.as_ref().and_then(|(_, p)| p.clone()))?;
        std::fs::rename(&temp, path)
    })();
    if let Err(err) = result {
        let _ = std::fs::remove_file(&temp);
        return Err(err);
    }
    undo.push(match previous {
        Some((bytes, perms)) => Undo::Replaced(path.to_path_buf(), bytes, perms),
        None => Undo::Created(path.to_path_buf()),
    });
    Ok(())
}

fn create_dirs(dir: &Path, undo: &mut Vec<Undo>) -> std::io::Result<()> {
    if dir.is_dir() {
        return Ok(());
    }
    if let Some(parent) = dir.parent() {
        create_dirs(parent, undo)?;
    }
    std::fs::create_dir(dir)?;
    undo.push(Undo::Dir(dir.to_path_buf()));
    Ok(())
}

#[cfg(unix)]
fn set_mode(path: &Path, mode: Mode, previous: Option<std::fs::Permissions>) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let base = previous.map_or(0o644, |p| p.mode() & 0o7777);
    let bits = match mode {
        Mode::Executable => base | 0o755,
        Mode::Regular => base & !0o111,
    };
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(bits))
}

#[cfg(not(unix))]
fn set_mode(_path: &Path, _mode: Mode, _previous: Option<std::fs::Permissions>) -> std::io::Result<()> {
    Ok(())
}

/// Undo in reverse order; returns the paths that could not be restored.
fn rollback(undo: Vec<Undo>) -> Vec<String> {
    let mut failed = Vec::new();
    for step in undo.into_iter().rev() {
        let (path, result) = match step {
            Undo::Created(path) => {
                let result = std::fs::remove_file(&path);
                (path, result)
            }
            Undo::Replaced(path, bytes, perms) => {
                let result = std::fs::write(&path, bytes)
                    .and_then(|()| perms.map_or(Ok(()), |p| std::fs::set_permissions(&path, p)));
                (path, result)
            }
            Undo::Dir(path) => {
                let result = std::fs::remove_dir(&path);
                (path, result)
            }
        };
        if result.is_err() {
            failed.push(path.display().to_string());
        }
    }
    failed
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tree::Tree;

    fn snapshot(root: &Path) -> Vec<(String, Vec<u8>)> {
        let mut out = Vec::new();
        let mut stack = vec![root.to_path_buf()];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
                let path = entry.path();
                let rel = path.strip_prefix(root).map(|p| p.display().to_string()).unwrap_or_default();
                if path.is_dir() {
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
            let result = commit(&changes, CommitOptions { fail_before_write: Some(fail_at) });
            assert!(matches!(result, Err(TreeError::Write { .. })), "{result:?}");
            assert_eq!(snapshot(root), before, "failure before write {fail_at} left changes behind");
        }
        assert_eq!(commit(&changes, CommitOptions::default())?, 3);
        assert_eq!(std::fs::read_to_string(root.join("m/n/new.txt"))?, "new");
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
