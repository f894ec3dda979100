use toml_edit::{Array, DocumentMut, InlineTable, Item, Table, Value};

use crate::edit::Edit;
use crate::error::WorkspaceError;

/// A `pyproject.toml` edited in place: comments, order and formatting survive.
#[derive(Debug, Clone)]
pub struct PyProjectMut {
    doc: DocumentMut,
}

impl PyProjectMut {
    /// Parse `text` read from `path`, locating any syntax error.
    pub fn parse(path: &str, text: &str) -> Result<Self, WorkspaceError> {
        let doc = text.parse::<DocumentMut>().map_err(|err| toml_error(path, text, &err))?;
        Ok(Self { doc })
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
        write!(f, "{}", self.doc)
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

/// Append a string, copying the layout of the existing values (one per line or inline).
fn push_like_siblings(array: &mut Array, value: &str) {
    let layout = array
        .iter()
        .last()
        .map(|last| last.decor().prefix().and_then(|p| p.as_str()).unwrap_or(" ").to_owned());
    let multiline = layout.as_deref().is_some_and(|p| p.contains('\n'));
    array.push(value);
    if let Some(pushed) = array.iter_mut().last() {
        match layout {
            Some(prefix) if multiline => {
                pushed.decor_mut().set_prefix(prefix);
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

fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
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
    fn malformed_toml_is_located() {
        let err = PyProjectMut::parse("pyproject.toml", "[project]\nname = \n").err().map(|e| e.to_string());
        let err = err.unwrap_or_default();
        assert!(err.starts_with("`pyproject.toml` is not valid TOML:"), "{err}");
        assert!(err.ends_with("(line 2, column 8)"), "{err}");
    }
}
