use crate::edit::Edit;

/// Append the lines `.gitignore` lacks, keeping everything already there.
pub fn add_gitignore_lines(text: &str, lines: &[&str]) -> (String, Edit) {
    let present: Vec<&str> = text.lines().map(pattern_key).collect();
    let missing: Vec<&&str> = lines.iter().filter(|line| !present.contains(&pattern_key(line))).collect();
    if missing.is_empty() {
        return (text.to_owned(), Edit::Unchanged);
    }
    let mut out = text.to_owned();
    if !out.is_empty() && !out.ends_with('\n') {
        out.push('\n');
    }
    for line in missing {
        out.push_str(line);
        out.push('\n');
    }
    (out, Edit::Added)
}

/// `dist`, `dist/`, `/dist` and `/dist/` ignore the same thing at the root: compare them as one.
fn pattern_key(line: &str) -> &str {
    line.trim().trim_start_matches('/').trim_end_matches('/')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn adds_only_missing_lines() {
        let (out, edit) = add_gitignore_lines("node_modules\n# mine\ndist", &["dist", ".venv"]);
        assert_eq!(out, "node_modules\n# mine\ndist\n.venv\n");
        assert_eq!(edit, Edit::Added);
        assert_eq!(add_gitignore_lines(&out, &["dist", ".venv"]).1, Edit::Unchanged);
        assert_eq!(add_gitignore_lines("/dist/\n.venv/\n", &["dist", ".venv"]).1, Edit::Unchanged);
    }
}
