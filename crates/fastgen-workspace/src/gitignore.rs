use crate::edit::Edit;

/// Append the lines `.gitignore` lacks, keeping everything already there.
pub fn add_gitignore_lines(text: &str, lines: &[&str]) -> (String, Edit) {
    let present: Vec<&str> = text.lines().map(str::trim).collect();
    let missing: Vec<&&str> = lines.iter().filter(|line| !present.contains(line)).collect();
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn adds_only_missing_lines() {
        let (out, edit) = add_gitignore_lines("node_modules\n# mine\ndist", &["dist", ".venv"]);
        assert_eq!(out, "node_modules\n# mine\ndist\n.venv\n");
        assert_eq!(edit, Edit::Added);
        assert_eq!(add_gitignore_lines(&out, &["dist", ".venv"]).1, Edit::Unchanged);
    }
}
