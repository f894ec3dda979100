use toml_edit::{Array, DocumentMut, InlineTable, Item, Table, Value};

use crate::edit::Edit;
use crate::error::WorkspaceError;
use crate::text::{line_column, line_ending, mixed_line_endings, split_bom_str, to_crlf};

/// A `pyproject.toml` edited in place: comments, order and formatting survive, and so do a
/// UTF-8 byte-order mark and CRLF line endings (new lines get them too).
#[derive(Debug, Clone)]
pub struct PyProjectMut {
    doc: DocumentMut,
    bom: bool,
    crlf: bool,
}

impl PyProjectMut {
    /// Parse `text` read from `path`, locating any syntax error. A file that mixes line
    /// endings is refused: `toml_edit` writes one ending for the whole file, which would
    /// rewrite every line that has the other.
    pub fn parse(path: &str, text: &str) -> Result<Self, WorkspaceError> {
        let (body, bom) = split_bom_str(text);
        if let Some((line, first, other)) = mixed_line_endings(body) {
            return Err(WorkspaceError::Uneditable {
                path: path.to_owned(),
                line,
                reason: format!(
                    "the file mixes line endings (line 1 ends with {first}, line {line} with {other}); \
                     fastgen's TOML editor would rewrite them all to one"
                ),
            });
        }
        let crlf = line_ending(body.as_bytes()) == "\r\n";
        let doc = body.parse::<DocumentMut>().map_err(|err| toml_error(path, body, &err))?;
        Ok(Self { doc, bom, crlf })
    }

    /// Add `member` to `[tool.uv.workspace] members`.
    pub fn add_workspace_member(&mut self, member: &str) -> Result<Edit, WorkspaceError> {
        let workspace = table_path(&mut self.doc, &["tool", "uv", "workspace"])?;
        let members = workspace.entry("members").or_insert_with(|| Item::Value(Value::Array(Array::new())));
        let Some(array) = members.as_array_mut() else {
            return Err(invalid("`tool.uv.workspace.members` is not an array"));
        };
        if array.iter().any(|v| v.as_str() == Some(member)) {
            return Ok(Edit::Unchanged);
        }
        push_like_siblings(array, member);
        Ok(Edit::Added)
    }

    /// Add `name = { workspace = true }` to `[tool.uv.sources]`.
    pub fn add_workspace_source(&mut self, name: &str) -> Result<Edit, WorkspaceError> {
        let sources = table_path(&mut self.doc, &["tool", "uv", "sources"])?;
        if sources.contains_key(name) {
            return Ok(Edit::Unchanged);
        }
        let mut source = InlineTable::new();
        source.insert("workspace", Value::from(true));
        sources.insert(name, Item::Value(Value::InlineTable(source)));
        Ok(Edit::Added)
    }
}

impl std::fmt::Display for PyProjectMut {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.bom {
            f.write_str("\u{feff}")?;
        }
        let text = self.doc.to_string();
        // `toml_edit` writes `\n` everywhere; the file had `\r\n` on every line.
        if self.crlf { f.write_str(&to_crlf(&text)) } else { f.write_str(&text) }
    }
}

fn invalid(message: &str) -> WorkspaceError {
    WorkspaceError::Invalid { path: "pyproject.toml".to_owned(), message: message.to_owned() }
}

/// The table at `path`, created (as a standard table, or implicit for intermediate levels)
/// when missing.
fn table_path<'a>(doc: &'a mut DocumentMut, path: &[&str]) -> Result<&'a mut Table, WorkspaceError> {
    let mut table = doc.as_table_mut();
    for (depth, key) in path.iter().enumerate() {
        let last = depth + 1 == path.len();
        let entry = table.entry(key).or_insert_with(|| {
            let mut fresh = Table::new();
            fresh.set_implicit(!last);
            Item::Table(fresh)
        });
        if let Some(inline) = entry.as_inline_table_mut() {
            let promoted = std::mem::take(inline).into_table();
            *entry = Item::Table(promoted);
        }
        table = entry
            .as_table_mut()
            .ok_or_else(|| invalid(&format!("`{}` is not a table", path[..=depth].join("."))))?;
    }
    Ok(table)
}

/// Append a string, copying the layout of the existing values (one per line or inline). A
/// comment on the last value's line stays on that line, after its comma.
fn push_like_siblings(array: &mut Array, value: &str) {
    let layout = array
        .iter()
        .last()
        .map(|last| last.decor().prefix().and_then(|p| p.as_str()).unwrap_or(" ").to_owned())
        // Only the indentation of the sibling's own line: what comes before its last newline
        // (a comment on the line above, whole comment lines) belongs to other lines.
        .map(|prefix| match prefix.rfind('\n') {
            Some(at) => prefix[at..].to_owned(),
            None => prefix,
        });
    let multiline = layout.as_deref().is_some_and(|p| p.contains('\n'));
    let same_line = if multiline { take_last_line_comment(array) } else { String::new() };
    array.push(value);
    if let Some(pushed) = array.iter_mut().last() {
        match layout {
            Some(prefix) if multiline => {
                pushed
                    .decor_mut()
                    .set_prefix(format!("{}{prefix}", same_line.trim_end_matches(['\r', '\n'])));
            }
            Some(_) => pushed.decor_mut().set_prefix(" "),
            None => pushed.decor_mut().set_prefix(""),
        }
    }
    if multiline && !array.trailing().as_str().unwrap_or_default().contains('\n') {
        array.set_trailing("\n");
        array.set_trailing_comma(true);
    }
}

/// Remove and return the comment written on the last value's line (`"a", # note`), which
/// `toml_edit` keeps in the value's suffix (no trailing comma) or the array's trailing text.
fn take_last_line_comment(array: &mut Array) -> String {
    if let Some(last) = array.iter_mut().last() {
        let suffix = last.decor().suffix().and_then(|s| s.as_str()).unwrap_or_default().to_owned();
        if suffix.contains('#') {
            last.decor_mut().set_suffix("");
            return suffix;
        }
    }
    let trailing = array.trailing().as_str().unwrap_or_default().to_owned();
    match trailing.find('\n') {
        Some(end) if trailing[..end].contains('#') => {
            array.set_trailing(&trailing[end..]);
            trailing[..end].to_owned()
        }
        _ => String::new(),
    }
}

/// Turn a TOML parse error into a located workspace error.
pub(crate) fn toml_error(path: &str, text: &str, err: &toml_edit::TomlError) -> WorkspaceError {
    let offset = err.span().map_or(0, |span| span.start);
    let (line, column) = line_column(text, offset);
    WorkspaceError::Malformed {
        path: path.to_owned(),
        format: "TOML",
        message: err.message().trim().to_owned(),
        line,
        column,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn adds_members_and_sources_preserving_format() -> Result<(), WorkspaceError> {
        let text = "# root\n[project]\nname = \"root\"\n\n[tool.uv.workspace]\nmembers = [\n    \"packages/a\",\n]\n\n[tool.uv.sources]\na = { workspace = true } # keep me\n";
        let mut doc = PyProjectMut::parse("pyproject.toml", text)?;
        assert_eq!(doc.add_workspace_member("packages/b")?, Edit::Added);
        assert_eq!(doc.add_workspace_member("packages/b")?, Edit::Unchanged);
        assert_eq!(doc.add_workspace_source("b")?, Edit::Added);
        assert_eq!(doc.add_workspace_source("b")?, Edit::Unchanged);
        assert_eq!(
            doc.to_string(),
            "# root\n[project]\nname = \"root\"\n\n[tool.uv.workspace]\nmembers = [\n    \"packages/a\",\n    \"packages/b\",\n]\n\n[tool.uv.sources]\na = { workspace = true } # keep me\nb = { workspace = true }\n"
        );
        Ok(())
    }

    #[test]
    fn issue_7_a_comment_on_the_last_member_line_stays_on_that_line() -> Result<(), WorkspaceError> {
        for (text, expected) in [
            (
                "members = [\n    \"a\", # the old service\n]\n",
                "members = [\n    \"a\", # the old service\n    \"b\",\n]\n",
            ),
            (
                "members = [\n    \"a\" # the old service\n]\n",
                "members = [\n    \"a\", # the old service\n    \"b\",\n]\n",
            ),
            (
                "members = [\n    \"a\", # one\n    # the end\n]\n",
                "members = [\n    \"a\", # one\n    \"b\",\n    # the end\n]\n",
            ),
        ] {
            let mut doc = PyProjectMut::parse("pyproject.toml", &format!("[tool.uv.workspace]\n{text}"))?;
            doc.add_workspace_member("b")?;
            assert_eq!(doc.to_string(), format!("[tool.uv.workspace]\n{expected}"));
        }
        // A second member added in the same run takes the indentation, not the comment, of
        // the line above (issue 8: the runtime package and the API are added together).
        let text = "[tool.uv.workspace]\nmembers = [\n    \"a\", # the old service\n]\n";
        let mut doc = PyProjectMut::parse("pyproject.toml", text)?;
        doc.add_workspace_member("b")?;
        doc.add_workspace_member("c")?;
        assert_eq!(
            doc.to_string(),
            "[tool.uv.workspace]\nmembers = [\n    \"a\", # the old service\n    \"b\",\n    \"c\",\n]\n"
        );
        Ok(())
    }

    #[test]
    fn creates_missing_tables() -> Result<(), WorkspaceError> {
        let mut doc = PyProjectMut::parse("pyproject.toml", "[project]\nname = \"root\"\n")?;
        doc.add_workspace_member("packages/b")?;
        doc.add_workspace_source("b")?;
        assert_eq!(
            doc.to_string(),
            "[project]\nname = \"root\"\n\n[tool.uv.workspace]\nmembers = [\"packages/b\"]\n\n[tool.uv.sources]\nb = { workspace = true }\n"
        );
        Ok(())
    }

    #[test]
    fn issue_7_crlf_and_a_bom_are_kept_and_new_lines_are_crlf() -> Result<(), WorkspaceError> {
        let text = "\u{feff}# root\r\n[project]\r\nname = \"root\" # mine\r\n\r\n[tool.uv.workspace]\r\nmembers = [\r\n    \"packages/a\",\r\n]\r\n";
        let mut doc = PyProjectMut::parse("pyproject.toml", text)?;
        doc.add_workspace_member("packages/b")?;
        doc.add_workspace_source("b")?;
        let out = doc.to_string();
        assert_eq!(
            out,
            "\u{feff}# root\r\n[project]\r\nname = \"root\" # mine\r\n\r\n[tool.uv.workspace]\r\nmembers = [\r\n    \"packages/a\",\r\n    \"packages/b\",\r\n]\r\n\r\n[tool.uv.sources]\r\nb = { workspace = true }\r\n"
        );
        let mut again = PyProjectMut::parse("pyproject.toml", &out)?;
        assert_eq!(again.add_workspace_member("packages/b")?, Edit::Unchanged);
        assert_eq!(again.add_workspace_source("b")?, Edit::Unchanged);
        assert_eq!(again.to_string(), out);
        Ok(())
    }

    #[test]
    fn issue_7_mixed_line_endings_are_refused_with_the_line() {
        let err = PyProjectMut::parse("pyproject.toml", "[project]\r\nname = \"x\"\r\n\n[tool.uv]\r\n")
            .err()
            .map(|e| e.to_string());
        assert_eq!(
            err.as_deref(),
            Some(
                "`pyproject.toml` cannot be edited safely (line 3): the file mixes line endings (line 1 ends with CRLF, line 3 with LF); fastgen's TOML editor would rewrite them all to one"
            )
        );
    }

    #[test]
    fn malformed_toml_is_located() {
        let err = PyProjectMut::parse("pyproject.toml", "[project]\nname = \n").err().map(|e| e.to_string());
        let err = err.unwrap_or_default();
        assert!(err.starts_with("`pyproject.toml` is not valid TOML:"), "{err}");
        assert!(err.ends_with("(line 2, column 8)"), "{err}");
    }
}
