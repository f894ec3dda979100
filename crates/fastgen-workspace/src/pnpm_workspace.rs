//! `pnpm-workspace.yaml`'s `packages` list: whether it covers a project directory, and an
//! edit that adds the directory when it does not, so that `pnpm install` installs a project
//! put outside the listed globs (`--directory apps`). The file is edited as bytes, like
//! `.gitignore`: one line is inserted after the list's last item, in that item's indentation
//! and quoting, with the file's line ending; nothing else changes.

use crate::edit::Edit;
use crate::error::WorkspaceError;
use crate::text::{append_lines, line_ending, split_bom};

/// The file pnpm reads its workspace packages from.
pub const PNPM_WORKSPACE: &str = "pnpm-workspace.yaml";

/// `content` (of `path`, a `pnpm-workspace.yaml`) with the workspace-relative directory `dir`
/// in its `packages` list: unchanged when a glob there already matches it, or a `!` glob
/// excludes it (that is the user's decision), else with `- "<dir>"` added. A flow list (`packages: [a, b]`) is refused
/// with its line; a file without `packages` gets the list.
pub fn add_pnpm_package(path: &str, content: &[u8], dir: &str) -> Result<(Vec<u8>, Edit), WorkspaceError> {
    let (body, bom) = split_bom(content);
    let start = if bom { content.len() - body.len() } else { 0 };
    let list = find_list(path, &content[start..])?;
    let Some(list) = list else {
        return Ok((append_lines(content, &["packages:", &format!("  - \"{dir}\"")]), Edit::Added));
    };
    let matching = |negated: bool| {
        list.items
            .iter()
            .filter(|glob| glob.starts_with('!') == negated)
            .any(|glob| glob_matches(glob.trim_start_matches('!'), dir))
    };
    if matching(false) || matching(true) {
        return Ok((content.to_vec(), Edit::Unchanged));
    }
    let at = start + list.insert_at;
    let mut out = content[..at].to_vec();
    if !out.is_empty() && !out.ends_with(b"\n") {
        out.extend_from_slice(line_ending(content).as_bytes());
    }
    let (indent, quote) = &list.style;
    out.extend_from_slice(format!("{indent}- {quote}{dir}{quote}").as_bytes());
    out.extend_from_slice(line_ending(content).as_bytes());
    out.extend_from_slice(&content[at..]);
    Ok((out, Edit::Added))
}

/// The `packages` block list: its globs, where a new item goes (after the last one, or after
/// `packages:`), and the indentation and quote of its last item.
struct PackagesList {
    items: Vec<String>,
    insert_at: usize,
    style: (String, String),
}

fn find_list(path: &str, body: &[u8]) -> Result<Option<PackagesList>, WorkspaceError> {
    let mut list: Option<PackagesList> = None;
    let mut offset = 0;
    for (index, raw) in body.split_inclusive(|&b| b == b'\n').enumerate() {
        let end = offset + raw.len();
        offset = end;
        let text = String::from_utf8_lossy(raw);
        let line = text.trim_end_matches(['\n', '\r']);
        let content = line.trim_start();
        match &mut list {
            None => {
                if let Some(rest) = line.strip_prefix("packages:") {
                    if !without_comment(rest).trim().is_empty() {
                        return Err(WorkspaceError::Uneditable {
                            path: path.to_owned(),
                            line: index + 1,
                            reason: "fastgen adds packages to a block list (`packages:` and one `- glob` line each), not to a flow list".to_owned(),
                        });
                    }
                    list = Some(PackagesList {
                        items: Vec::new(),
                        insert_at: end,
                        style: ("  ".to_owned(), "\"".to_owned()),
                    });
                }
            }
            Some(_) if content.is_empty() || content.starts_with('#') => {}
            Some(found) if content.starts_with('-') && (line.starts_with([' ', '\t', '-'])) => {
                let value = without_comment(&content[1..]).trim();
                let quote = value.chars().next().filter(|c| matches!(c, '"' | '\'')).map(String::from);
                found.items.push(value.trim_matches(['"', '\'']).to_owned());
                found.insert_at = end;
                found.style = (line[..line.len() - content.len()].to_owned(), quote.unwrap_or_default());
            }
            Some(_) => break,
        }
    }
    Ok(list)
}

/// `value` without a YAML comment (` #` to the end), outside quotes.
fn without_comment(value: &str) -> &str {
    let mut quote = None;
    let mut previous = ' ';
    for (index, c) in value.char_indices() {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, '#') if previous.is_whitespace() => return &value[..index],
            _ => {}
        }
        previous = c;
    }
    value
}

/// Whether the glob `pattern` (pnpm's: `*` within a segment, `**` across segments, `?` one
/// character) matches the directory `dir`.
fn glob_matches(pattern: &str, dir: &str) -> bool {
    let pattern: Vec<&str> = pattern.split('/').filter(|s| !s.is_empty() && *s != ".").collect();
    let dir: Vec<&str> = dir.split('/').filter(|s| !s.is_empty()).collect();
    segments_match(&pattern, &dir)
}

fn segments_match(pattern: &[&str], dir: &[&str]) -> bool {
    match pattern.split_first() {
        None => dir.is_empty(),
        Some((&"**", rest)) => (0..=dir.len()).any(|skip| segments_match(rest, &dir[skip..])),
        Some((first, rest)) => dir.split_first().is_some_and(|(head, tail)| {
            segment_matches(first.as_bytes(), head.as_bytes()) && segments_match(rest, tail)
        }),
    }
}

fn segment_matches(pattern: &[u8], name: &[u8]) -> bool {
    match pattern.split_first() {
        None => name.is_empty(),
        Some((b'*', rest)) => (0..=name.len()).any(|skip| segment_matches(rest, &name[skip..])),
        Some((b'?', rest)) => !name.is_empty() && segment_matches(rest, &name[1..]),
        Some((c, rest)) => name.first() == Some(c) && segment_matches(rest, &name[1..]),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    const FASTGEN: &str = "packages:\n  - \"packages/*\"\n  - \"packages/common/*\"\n\n# pnpm runs no dependency build scripts\nallowBuilds:\n  nx: false\n";

    fn add(content: &str, dir: &str) -> (String, Edit) {
        let (out, edit) = add_pnpm_package(PNPM_WORKSPACE, content.as_bytes(), dir).unwrap();
        (String::from_utf8(out).unwrap(), edit)
    }

    #[test]
    fn a_covered_directory_changes_nothing() {
        for dir in ["packages/web", "packages/common/constructs"] {
            assert_eq!(add(FASTGEN, dir), (FASTGEN.to_owned(), Edit::Unchanged), "{dir}");
        }
        assert_eq!(add("packages:\n- 'apps/**' # all\n", "apps/a/b").1, Edit::Unchanged);
        assert_eq!(add("packages:\n  - web-*\n", "web-admin").1, Edit::Unchanged);
    }

    #[test]
    fn another_directory_is_added_after_the_last_item_in_its_style() {
        let (out, edit) = add(FASTGEN, "apps/admin");
        assert_eq!(edit, Edit::Added);
        assert_eq!(
            out,
            FASTGEN.replace("\"packages/common/*\"\n", "\"packages/common/*\"\n  - \"apps/admin\"\n")
        );
        assert_eq!(add(&out, "apps/admin").1, Edit::Unchanged);
        let (out, _) = add("\u{feff}packages:\r\n- 'libs/*'\r\n", "apps/web");
        assert_eq!(out, "\u{feff}packages:\r\n- 'libs/*'\r\n- 'apps/web'\r\n");
        let excluded = "packages:\n  - packages/*\n  - '!packages/web'";
        assert_eq!(add(excluded, "packages/web"), (excluded.to_owned(), Edit::Unchanged));
        let (out, _) = add("packages:\n  - libs/*\n  - 'apps/a'", "apps/b");
        assert_eq!(out, "packages:\n  - libs/*\n  - 'apps/a'\n  - 'apps/b'\n");
        assert_eq!(add("packages:\n", "apps/web").0, "packages:\n  - \"apps/web\"\n");
        assert_eq!(
            add("onlyBuiltDependencies: []\n", "apps/web").0,
            "onlyBuiltDependencies: []\npackages:\n  - \"apps/web\"\n"
        );
    }

    #[test]
    fn a_flow_list_is_refused_with_its_line() {
        let err =
            add_pnpm_package(PNPM_WORKSPACE, b"# pnpm\npackages: ['packages/*']\n", "apps/web").unwrap_err();
        assert!(matches!(err, WorkspaceError::Uneditable { line: 2, .. }), "{err}");
    }

    #[test]
    fn globs() {
        assert!(glob_matches("packages/*", "packages/web"));
        assert!(!glob_matches("packages/*", "packages/common/web"));
        assert!(glob_matches("./packages/**", "packages/common/web"));
        assert!(glob_matches("**", "apps/web"));
        assert!(glob_matches("apps/we?", "apps/web"));
        assert!(!glob_matches("apps/*-site", "apps/web"));
    }
}
