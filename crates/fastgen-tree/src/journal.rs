//! The commit journal: what a commit is about to change, recorded durably before the first
//! byte of the workspace changes, so an interrupted commit (kill -9, power loss, Ctrl-C) is
//! rolled back by the next fastgen run in the workspace.
//!
//! Layout, inside `.fastgen/journal/` while a commit runs:
//! - `<n>.bak`: the previous bytes of each file the commit replaces;
//! - `manifest.json`: every file (its path, its temporary file, its backup and mode) and every
//!   directory the commit creates. It is written last, through a rename, so it exists only
//!   when complete: a journal without a manifest means nothing was touched yet.
//!
//! A finished commit deletes the manifest first (the commit point), then the rest.

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::STATE_DIR;
use crate::error::TreeError;
use crate::lock::{state_dir, tidy_state_dir};

const MANIFEST: &str = "manifest.json";
const FORMAT: u32 = 1;

/// One file a commit writes.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Entry {
    /// Relative to the real workspace root, `/`-separated, links resolved.
    pub path: String,
    /// The temporary file written beside it and renamed into place.
    pub temp: String,
    /// The backup of its previous bytes, in the journal; `None` when it did not exist.
    pub backup: Option<String>,
    /// Its previous permission bits.
    pub mode: Option<u32>,
}

#[derive(Debug, Serialize, Deserialize)]
struct Manifest {
    format: u32,
    pid: u32,
    files: Vec<Entry>,
    /// Directories the commit creates, parents first.
    dirs: Vec<String>,
}

/// What the recovery of an interrupted commit did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recovery {
    /// The process that was interrupted.
    pub pid: Option<u32>,
    /// How many files it was changing (all put back as they were).
    pub files: usize,
}

/// A live journal: the commit's record on disk.
pub(crate) struct Journal {
    real_root: PathBuf,
    dir: PathBuf,
    manifest: Manifest,
}

fn journal_dir(real_root: &Path) -> PathBuf {
    real_root.join(STATE_DIR).join("journal")
}

fn write_err(path: &Path) -> impl FnOnce(io::Error) -> TreeError + '_ {
    move |source| TreeError::Write { path: path.to_path_buf(), source }
}

impl Journal {
    /// Record `files` (with the previous bytes of those that exist, in the same order) and
    /// `dirs` durably. After this returns, any interruption is undone by [`recover`].
    pub(crate) fn begin(
        real_root: &Path,
        files: Vec<Entry>,
        previous: &[Option<Vec<u8>>],
        dirs: Vec<String>,
    ) -> Result<Self, TreeError> {
        state_dir(real_root)?;
        recover(real_root)?;
        let dir = journal_dir(real_root);
        std::fs::create_dir(&dir).map_err(write_err(&dir))?;
        // The backups, made durable together (one `flush`) before the manifest that
        // points at them exists.
        for (entry, bytes) in files.iter().zip(previous) {
            if let (Some(name), Some(bytes)) = (&entry.backup, bytes) {
                let path = dir.join(name);
                let written = if cfg!(target_os = "linux") {
                    std::fs::write(&path, bytes)
                } else {
                    write_synced(&path, bytes)
                };
                written.map_err(write_err(&path))?;
            }
        }
        flush(real_root).map_err(write_err(&dir))?;
        let manifest = Manifest { format: FORMAT, pid: std::process::id(), files, dirs };
        let text = serde_json::to_vec_pretty(&manifest).unwrap_or_default();
        let temp = dir.join("manifest.json.tmp");
        let path = dir.join(MANIFEST);
        write_synced(&temp, &text).map_err(write_err(&temp))?;
        std::fs::rename(&temp, &path).map_err(write_err(&path))?;
        sync_dir(&dir).map_err(write_err(&dir))?;
        Ok(Self { real_root: real_root.to_path_buf(), dir, manifest })
    }

    /// The commit is complete: forget the journal.
    pub(crate) fn finish(self) -> Result<(), TreeError> {
        let path = self.dir.join(MANIFEST);
        std::fs::remove_file(&path).map_err(write_err(&path))?;
        sync_dir(&self.dir).map_err(write_err(&self.dir))?;
        std::fs::remove_dir_all(&self.dir).map_err(write_err(&self.dir))?;
        tidy_state_dir(&self.real_root);
        Ok(())
    }

    /// Undo everything the commit may have done. Returns the paths that could not be put
    /// back; the journal is kept then, so the next run tries again.
    pub(crate) fn roll_back(self) -> Vec<String> {
        let unrestored = undo(&self.real_root, &self.dir, &self.manifest);
        if unrestored.is_empty() {
            let _ = std::fs::remove_dir_all(&self.dir);
            tidy_state_dir(&self.real_root);
        }
        unrestored
    }
}

/// Roll back the commit an interrupted run left in the workspace at `real_root`, if any.
pub(crate) fn recover(real_root: &Path) -> Result<Option<Recovery>, TreeError> {
    let dir = journal_dir(real_root);
    if !dir.is_dir() {
        return Ok(None);
    }
    let path = dir.join(MANIFEST);
    let recovery = match std::fs::read(&path) {
        Err(err) if err.kind() == io::ErrorKind::NotFound => Recovery { pid: None, files: 0 },
        Err(source) => return Err(TreeError::Read { path, source }),
        Ok(bytes) => {
            let manifest =
                parse(&bytes).map_err(|message| TreeError::Journal { path: path.clone(), message })?;
            let unrestored = undo(real_root, &dir, &manifest);
            if !unrestored.is_empty() {
                return Err(TreeError::Journal {
                    path,
                    message: format!("these files could not be restored: {}", unrestored.join(", ")),
                });
            }
            Recovery { pid: Some(manifest.pid), files: manifest.files.len() }
        }
    };
    std::fs::remove_dir_all(&dir).map_err(write_err(&dir))?;
    tidy_state_dir(real_root);
    Ok(Some(recovery))
}

fn parse(bytes: &[u8]) -> Result<Manifest, String> {
    let manifest: Manifest = serde_json::from_slice(bytes).map_err(|err| err.to_string())?;
    if manifest.format != FORMAT {
        return Err(format!("format {} is not the format {FORMAT} this fastgen writes", manifest.format));
    }
    let paths = manifest.files.iter().flat_map(|e| [Some(&e.path), Some(&e.temp), e.backup.as_ref()]);
    for path in paths.flatten().chain(&manifest.dirs) {
        let safe = !path.is_empty()
            && !path.starts_with('/')
            && !path.contains('\\')
            && path.split('/').all(|part| !part.is_empty() && part != "." && part != "..");
        if !safe {
            return Err(format!("`{path}` is not a path inside the workspace"));
        }
    }
    Ok(manifest)
}

/// Put every file of `manifest` back as it was (newest first), then remove the directories
/// the commit created (deepest first) if they are empty.
fn undo(real_root: &Path, journal: &Path, manifest: &Manifest) -> Vec<String> {
    let mut failed = Vec::new();
    for entry in manifest.files.iter().rev() {
        let path = real_root.join(&entry.path);
        let _ = std::fs::remove_file(real_root.join(&entry.temp));
        let result = match &entry.backup {
            Some(name) => {
                std::fs::read(journal.join(name)).and_then(|bytes| restore(&path, &bytes, entry.mode))
            }
            None => match std::fs::remove_file(&path) {
                Err(err) if err.kind() == io::ErrorKind::NotFound => Ok(()),
                other => other,
            },
        };
        if result.is_err() {
            failed.push(entry.path.clone());
        }
    }
    for dir in manifest.dirs.iter().rev() {
        let _ = std::fs::remove_dir(real_root.join(dir));
    }
    failed
}

/// Put `bytes` back at `path` through a temporary file and a rename, so a read-only file is
/// restored too, then give it its previous permission bits.
fn restore(path: &Path, bytes: &[u8], mode: Option<u32>) -> io::Result<()> {
    let parent = path.parent().ok_or_else(|| io::Error::other("no parent directory"))?;
    std::fs::create_dir_all(parent)?;
    let temp = sibling(path, "fastgen-restore");
    write_synced(&temp, bytes)?;
    set_mode(&temp, mode)?;
    std::fs::rename(&temp, path)
}

/// `.<name>.<tag>.tmp` beside `path`.
pub(crate) fn sibling(path: &Path, tag: &str) -> PathBuf {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    path.with_file_name(format!(".{name}.{tag}.tmp"))
}

pub(crate) fn write_synced(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut file = std::fs::File::create(path)?;
    file.write_all(bytes)?;
    file.sync_all()
}

/// Make everything written so far in the file system of `root` durable.
#[cfg(target_os = "linux")]
pub(crate) fn flush(root: &Path) -> io::Result<()> {
    let dir = std::fs::File::open(root)?;
    rustix::fs::syncfs(&dir).map_err(io::Error::from)
}

#[cfg(not(target_os = "linux"))]
pub(crate) fn flush(root: &Path) -> io::Result<()> {
    sync_dir(root)
}

pub(crate) fn sync_dir(dir: &Path) -> io::Result<()> {
    #[cfg(unix)]
    std::fs::File::open(dir)?.sync_all()?;
    #[cfg(not(unix))]
    let _ = dir;
    Ok(())
}

#[cfg(unix)]
fn set_mode(path: &Path, mode: Option<u32>) -> io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    match mode {
        Some(bits) => std::fs::set_permissions(path, std::fs::Permissions::from_mode(bits)),
        None => Ok(()),
    }
}

#[cfg(not(unix))]
fn set_mode(_path: &Path, _mode: Option<u32>) -> io::Result<()> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_manifest_cannot_point_outside() {
        let text = br#"{"format":1,"pid":1,"files":[{"path":"../x","temp":"a","backup":null,"mode":null}],"dirs":[]}"#;
        assert_eq!(parse(text).err().as_deref(), Some("`../x` is not a path inside the workspace"));
        let text = br#"{"format":1,"pid":1,"files":[],"dirs":["/etc"]}"#;
        assert!(parse(text).is_err());
    }

    #[test]
    fn an_incomplete_journal_is_discarded() -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        let root = crate::confine::real_root(dir.path());
        std::fs::create_dir_all(journal_dir(&root))?;
        std::fs::write(journal_dir(&root).join("0.bak"), "old")?;
        assert_eq!(recover(&root)?, Some(Recovery { pid: None, files: 0 }));
        assert!(!journal_dir(&root).exists());
        assert_eq!(recover(&root)?, None);
        Ok(())
    }
}
