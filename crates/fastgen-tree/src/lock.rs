//! One fastgen run per workspace at a time: an OS file lock on `.fastgen/lock`.
//!
//! The lock is held from before the workspace is read until the change set is committed, so
//! a second run plans on top of the first one's result instead of beside it. The OS releases
//! it when the process ends, however it ends, so a killed run never leaves it held.

use std::fs::{File, OpenOptions, TryLockError};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::error::TreeError;
use crate::journal::{self, Recovery};
use crate::{STATE_DIR, confine};

/// How often a waiting run tries the lock again.
const POLL: Duration = Duration::from_millis(20);

/// The workspace lock, held until dropped.
#[derive(Debug)]
pub struct WorkspaceLock {
    _file: File,
    path: PathBuf,
}

impl WorkspaceLock {
    /// Take the lock of the workspace at `root`, waiting up to `wait` for another run to
    /// release it (`on_wait` is called once when the wait begins), then finish or roll back
    /// any change an interrupted run left behind.
    pub fn acquire(
        root: &Path,
        wait: Duration,
        on_wait: impl FnOnce(),
    ) -> Result<(Self, Option<Recovery>), TreeError> {
        let real_root = confine::real_root(root);
        let state = state_dir(&real_root)?;
        let path = state.join("lock");
        let file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(|source| TreeError::Write { path: path.clone(), source })?;
        let deadline = Instant::now() + wait;
        let mut on_wait = Some(on_wait);
        loop {
            match file.try_lock() {
                Ok(()) => break,
                Err(TryLockError::WouldBlock) if Instant::now() < deadline => {
                    if let Some(notify) = on_wait.take() {
                        notify();
                    }
                    std::thread::sleep(POLL);
                }
                Err(TryLockError::WouldBlock) => return Err(TreeError::Locked { path }),
                Err(TryLockError::Error(source)) => return Err(TreeError::Write { path, source }),
            }
        }
        let recovery = journal::recover(&real_root)?;
        Ok((Self { _file: file, path }, recovery))
    }

    /// The lock file.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

/// `.fastgen/` in the real root: created when missing (with a `.gitignore` that ignores it),
/// refused when it is anything but a plain directory.
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
                first: format!("`{STATE_DIR}` is a file, but fastgen keeps its lock and journal there"),
            });
        }
        Ok(_) => {}
        Err(_) => {
            std::fs::create_dir_all(&dir).map_err(|source| TreeError::Write { path: dir.clone(), source })?;
        }
    }
    let ignore = dir.join(".gitignore");
    if !ignore.exists() {
        std::fs::write(&ignore, "# fastgen's lock and commit journal; never committed\n*\n")
            .map_err(|source| TreeError::Write { path: ignore, source })?;
    }
    Ok(dir)
}
