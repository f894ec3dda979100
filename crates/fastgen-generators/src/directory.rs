//! Where a generator may put a new project: the `--directory` rule, the project scan's rule
//! and the check that the directory is free. One rule for every generator that makes a
//! project (`fast-api`, `website`).

use fastgen_tree::Tree;
use fastgen_workspace::scan_sees;

use crate::error::GenerateError;

/// The project directory `<directory>/<leaf>` (workspace-relative), with `directory` checked
/// by [`normalize_directory`] and the result by the project scan's rule, so that what fastgen
/// creates it also finds again.
pub(crate) fn project_dir(directory: &str, leaf: &str) -> Result<String, GenerateError> {
    let directory = normalize_directory(directory)?;
    let dir = if directory.is_empty() { leaf.to_owned() } else { format!("{directory}/{leaf}") };
    if let Err(reason) = scan_sees(&dir) {
        return Err(GenerateError::DirectoryUnscanned { dir, reason });
    }
    Ok(dir)
}

/// A workspace-relative directory: no absolute paths, no escape with `..`, and each segment
/// made of ASCII letters, digits, `.`, `_` and `-`, not starting with `-`. Spaces, quotes and
/// shell, glob or template characters are refused rather than quoted: the path reaches Nx
/// commands and output globs, uv's workspace member globs, and TypeScript and HCL strings.
pub(crate) fn normalize_directory(directory: &str) -> Result<String, GenerateError> {
    let outside = || GenerateError::DirectoryOutside(directory.to_owned());
    if directory.starts_with('/') || directory.starts_with('\\') || directory.contains(':') {
        return Err(outside());
    }
    let mut parts: Vec<&str> = Vec::new();
    for part in directory.split(['/', '\\']) {
        match part {
            "" | "." => {}
            ".." => return Err(outside()),
            part => parts.push(part),
        }
    }
    // Shown escaped, so a control character cannot break or forge the error line.
    let name_error = |problem: String| GenerateError::DirectoryName { dir: shown(directory), problem };
    if let Some(c) =
        directory.chars().find(|&c| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '/' | '\\')))
    {
        return Err(name_error(match c {
            ' ' => "contains a space".to_owned(),
            '`' => "contains a backtick".to_owned(),
            '\t' => "contains a tab".to_owned(),
            c if c.is_control() => format!("contains the control character {c:?}"),
            c => format!("contains `{c}`"),
        }));
    }
    if let Some(part) = parts.iter().find(|p| p.starts_with('-')) {
        return Err(name_error(format!("has the segment `{part}`, which starts with `-`")));
    }
    Ok(parts.join("/"))
}

/// `value` with its control characters escaped (`\n`), for an error message.
fn shown(value: &str) -> String {
    value
        .chars()
        .map(|c| if c.is_control() { c.escape_default().to_string() } else { c.to_string() })
        .collect()
}

/// Refuse `dir`, where no project is yet, when it is a file or a directory with anything in
/// it: the new project `project` would mix its files with someone else's. Resolved through
/// the tree, so a directory linked out of the workspace is refused here, naming the link.
pub(crate) fn check_free(tree: &Tree, dir: &str, project: &str) -> Result<(), GenerateError> {
    let occupied = |what: &str| GenerateError::DirectoryOccupied {
        dir: dir.to_owned(),
        what: what.to_owned(),
        project: project.to_owned(),
    };
    if tree.resolve(dir)?.is_file() {
        return Err(occupied("a file"));
    }
    if tree.list_dir(dir)?.is_some_and(|names| !names.is_empty()) {
        return Err(occupied("other files"));
    }
    Ok(())
}
