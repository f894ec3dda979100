//! One fastgen run per workspace at a time: an OS file lock (`flock`) on the workspace's
//! root directory itself.
//!
//! The lock is held from before the workspace is read until the change set is committed, so
//! a second run plans on top of the first one's result instead of beside it. Locking the
//! directory rather than a lock file means taking the lock writes nothing (a refusal leaves
//! the workspace byte-identical), and there is no lock file to delete or go stale. The OS
//! releases the lock when the process ends, however it ends.

use std::fs::{File, TryLockError};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::STATE_DIR;
use crate::confine;
use crate::error::TreeError;
use crate::journal::{self, Recovery};

/// How often a waiting run tries the lock again.
const POLL: Duration = Duration::from_millis(20);

/// The workspace lock, held until dropped.
#[derive(Debug)]
pub struct WorkspaceLock {
    _dir: File,
}

impl WorkspaceLock {
    /// Take the lock of the workspace at `root` (an existing directory), waiting up to `wait`
    /// for another run to release it (`on_wait` is called once when the wait begins), then
    /// roll back any change an interrupted run left behind.
    pub fn acquire(
        root: &Path,
        wait: Duration,
        on_wait: impl FnOnce(),
    ) -> Result<(Self, Option<Recovery>), TreeError> {
        let real_root = confine::real_root(root);
        let dir =
            File::open(&real_root).map_err(|source| TreeError::Read { path: real_root.clone(), source })?;
        let deadline = Instant::now() + wait;
        let mut on_wait = Some(on_wait);
        loop {
            match dir.try_lock() {
                Ok(()) => break,
                Err(TryLockError::WouldBlock) if Instant::now() < deadline => {
                    if let Some(notify) = on_wait.take() {
                        notify();
                    }
                    std::thread::sleep(POLL);
                }
                Err(TryLockError::WouldBlock) => return Err(TreeError::Locked { path: real_root }),
                Err(TryLockError::Error(source)) => return Err(TreeError::Read { path: real_root, source }),
            }
        }
        let recovery = journal::recover(&real_root)?;
        Ok((Self { _dir: dir }, recovery))
    }
}

/// `.fastgen/` in the real root, created for the journal (with a `.gitignore` that ignores
/// the journal, not the baselines); refused when it is a link or a file.
pub(crate) fn state_dir(real_root: &Path) -> Result<PathBuf, TreeError> {
    let dir = real_root.join(STATE_DIR);
    match std::fs::symlink_metadata(&dir) {
        Ok(meta) if meta.file_type().is_symlink() => {
            let target = std::fs::read_link(&dir).unwrap_or_default();
            return Err(TreeError::Escapes { link: STATE_DIR.to_owned(), target });
        }
        Ok(meta) if !meta.is_dir() => {
            return Err(TreeError::Conflicts {
                count: 1,
                first: format!("`{STATE_DIR}` is a file, but fastgen keeps its commit journal there"),
            });
        }
        Ok(_) => {}
        Err(_) => {
            std::fs::create_dir_all(&dir).map_err(|source| TreeError::Write { path: dir.clone(), source })?;
        }
    }
    let ignore = dir.join(".gitignore");
    if !ignore.exists() || std::fs::read_to_string(&ignore).is_ok_and(|text| text == LEGACY_IGNORE) {
        std::fs::write(&ignore, IGNORE).map_err(|source| TreeError::Write { path: ignore, source })?;
    }
    Ok(dir)
}

const IGNORE: &str = "# fastgen's commit journal, present only while a commit runs; never committed.\n# baseline/ is committed: it is how fastgen tells your edits from its own output.\njournal/\n";
/// What `.gitignore` said before fastgen kept baselines here.
const LEGACY_IGNORE: &str =
    "# fastgen's commit journal, present only while a commit runs; never committed\n*\n";

/// Remove `.fastgen/` once it holds nothing but its own `.gitignore`.
pub(crate) fn tidy_state_dir(real_root: &Path) {
    let dir = real_root.join(STATE_DIR);
    let Ok(entries) = std::fs::read_dir(&dir) else { return };
    let names: Vec<_> = entries.flatten().map(|e| e.file_name()).collect();
    if names.iter().all(|n| n == ".gitignore") {
        let ignore = dir.join(".gitignore");
        if std::fs::read_to_string(&ignore).is_ok_and(|text| text == IGNORE || text == LEGACY_IGNORE)
            || names.is_empty()
        {
            let _ = std::fs::remove_file(ignore);
            let _ = std::fs::remove_dir(&dir);
        }
    }
}
