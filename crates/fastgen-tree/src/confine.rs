//! Confinement: every path the tree reads or writes is resolved on disk and proven to stay
//! inside the workspace root before it is used.
//!
//! The rule (ARCHITECTURE.md, "Confinement"): a symbolic link on the way to a path is followed
//! when its target lies inside the root, and refused when it leads outside or nowhere. Writes
//! through a followed link go to the link's target, so the link itself stays a link.

use std::io;
use std::path::{Path, PathBuf};

use crate::error::TreeError;

/// The real (canonical) form of `root`. A root that does not exist yet (`fastgen new`) is its
/// nearest existing ancestor, canonicalised, with the missing components appended.
pub(crate) fn real_root(root: &Path) -> PathBuf {
    let absolute = if root.is_absolute() {
        root.to_path_buf()
    } else {
        std::env::current_dir().map_or_else(|_| root.to_path_buf(), |cwd| cwd.join(root))
    };
    let mut missing = Vec::new();
    let mut existing = absolute.as_path();
    loop {
        if let Ok(real) = std::fs::canonicalize(existing) {
            return missing.iter().rev().fold(real, |path, part: &&std::ffi::OsStr| path.join(part));
        }
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                missing.push(name);
                existing = parent;
            }
            _ => return absolute,
        }
    }
}

/// Resolve the normalised, `/`-separated `rel` under `real_root` to the path it names on disk.
///
/// Every existing component is inspected without following it; a symbolic link is resolved
/// to its target, which must exist and lie inside `real_root`. Components that do not exist
/// yet are appended as they are (they contain no `.`, `..` or separators).
pub(crate) fn resolve(real_root: &Path, rel: &str) -> Result<PathBuf, TreeError> {
    let mut current = real_root.to_path_buf();
    let mut walked = String::new();
    let mut parts = rel.split('/');
    while let Some(part) = parts.next() {
        if !walked.is_empty() {
            walked.push('/');
        }
        walked.push_str(part);
        let next = current.join(part);
        match std::fs::symlink_metadata(&next) {
            Ok(meta) if meta.file_type().is_symlink() => {
                current = follow(real_root, &next, &walked)?;
            }
            Ok(_) => current = next,
            Err(err) if matches!(err.kind(), io::ErrorKind::NotFound | io::ErrorKind::NotADirectory) => {
                current = next;
                for rest in parts.by_ref() {
                    current.push(rest);
                }
            }
            Err(source) => return Err(TreeError::Read { path: next, source }),
        }
    }
    Ok(current)
}

/// The target of the link at `link` (workspace path `shown`), when it stays inside the root.
fn follow(real_root: &Path, link: &Path, shown: &str) -> Result<PathBuf, TreeError> {
    let target = std::fs::read_link(link).unwrap_or_default();
    match std::fs::canonicalize(link) {
        Ok(real) if real.starts_with(real_root) => Ok(real),
        Ok(real) => Err(TreeError::Escapes { link: shown.to_owned(), target: real }),
        Err(_) => Err(TreeError::DanglingLink { link: shown.to_owned(), target }),
    }
}

/// `abs` relative to `real_root`, `/`-separated, when it is inside and UTF-8.
pub(crate) fn relative(real_root: &Path, abs: &Path) -> Option<String> {
    let rel = abs.strip_prefix(real_root).ok()?;
    let parts: Option<Vec<&str>> = rel.components().map(|c| c.as_os_str().to_str()).collect();
    Some(parts?.join("/"))
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;

    #[test]
    fn links_inside_are_followed_and_links_outside_refused() -> Result<(), Box<dyn std::error::Error>> {
        let outside = tempfile::tempdir()?;
        let dir = tempfile::tempdir()?;
        let root = real_root(dir.path());
        std::fs::create_dir_all(root.join("packages/real"))?;
        symlink(root.join("packages/real"), root.join("packages/inside"))?;
        symlink(outside.path(), root.join("packages/evil"))?;
        symlink(root.join("nowhere"), root.join("dangling"))?;
        assert_eq!(resolve(&root, "packages/inside/a/b.txt")?, root.join("packages/real/a/b.txt"));
        assert_eq!(resolve(&root, "packages/new/x")?, root.join("packages/new/x"));
        let escape = resolve(&root, "packages/evil/project.json");
        assert!(
            matches!(&escape, Err(TreeError::Escapes { link, .. }) if link == "packages/evil"),
            "{escape:?}"
        );
        let dangling = resolve(&root, "dangling/x");
        assert!(matches!(&dangling, Err(TreeError::DanglingLink { link, .. }) if link == "dangling"));
        Ok(())
    }

    #[test]
    fn a_missing_root_is_resolved_through_its_existing_ancestor() -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        let real = std::fs::canonicalize(dir.path())?;
        assert_eq!(real_root(&dir.path().join("a/b")), real.join("a/b"));
        Ok(())
    }
}
