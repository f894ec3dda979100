use crate::edit::Edit;

/// Append `line` to a source file (e.g. an `export * from './x.js';` line) unless an
/// identical line is already there; everything else is kept as it is.
pub fn add_line(text: &str, line: &str) -> (String, Edit) {
    if text.lines().any(|existing| existing.trim() == line.trim()) {
        return (text.to_owned(), Edit::Unchanged);
    }
    let mut out = text.to_owned();
    if !out.is_empty() && !out.ends_with('\n') {
        out.push('\n');
    }
    out.push_str(line);
    out.push('\n');
    (out, Edit::Added)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn adds_each_line_once() {
        let (text, edit) = add_line("// exports\n", "export * from './a.js';");
        assert_eq!((text.as_str(), edit), ("// exports\nexport * from './a.js';\n", Edit::Added));
        assert_eq!(add_line(&text, "export * from './a.js';").1, Edit::Unchanged);
        assert_eq!(add_line("", "x").0, "x\n");
    }
}
