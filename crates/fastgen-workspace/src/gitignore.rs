use crate::edit::Edit;
use crate::text::{append_lines, lines, split_bom};

/// Append the lines `.gitignore` lacks, keeping every byte already there. The file is edited
/// as bytes, not text: git matches patterns byte for byte, so a Latin-1 (or any non-UTF-8)
/// line must stay exactly as it is. New lines end the way the file's lines do.
pub fn add_gitignore_lines(content: &[u8], new: &[&str]) -> (Vec<u8>, Edit) {
    let (body, _) = split_bom(content);
    let present: Vec<&[u8]> = lines(body).map(pattern_key).collect();
    let missing: Vec<&str> =
        new.iter().copied().filter(|line| !present.contains(&pattern_key(line.as_bytes()))).collect();
    if missing.is_empty() {
        return (content.to_vec(), Edit::Unchanged);
    }
    (append_lines(content, &missing), Edit::Added)
}

/// `dist`, `dist/`, `/dist` and `/dist/` ignore the same thing at the root: compare them as one.
fn pattern_key(line: &[u8]) -> &[u8] {
    let mut key = line.trim_ascii();
    while let Some(rest) = key.strip_prefix(b"/") {
        key = rest;
    }
    while let Some(rest) = key.strip_suffix(b"/") {
        key = rest;
    }
    key
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn adds_only_missing_lines() {
        let (out, edit) = add_gitignore_lines(b"node_modules\n# mine\ndist", &["dist", ".venv"]);
        assert_eq!(out, b"node_modules\n# mine\ndist\n.venv\n");
        assert_eq!(edit, Edit::Added);
        assert_eq!(add_gitignore_lines(&out, &["dist", ".venv"]).1, Edit::Unchanged);
        assert_eq!(add_gitignore_lines(b"/dist/\n.venv/\n", &["dist", ".venv"]).1, Edit::Unchanged);
    }

    #[test]
    fn issue_7_a_latin_1_line_is_kept_byte_for_byte() {
        // `geheim-schlüssel.env` in Latin-1: `ü` is the single byte 0xFC, not UTF-8.
        let latin1: &[u8] = b"# Geheimnisse\ngeheim-schl\xFCssel.env\n.venv\n";
        let (out, edit) = add_gitignore_lines(latin1, &[".venv", "dist"]);
        assert_eq!(edit, Edit::Added);
        assert_eq!(out, b"# Geheimnisse\ngeheim-schl\xFCssel.env\n.venv\ndist\n");
        assert_eq!(add_gitignore_lines(&out, &[".venv", "dist"]), (out.clone(), Edit::Unchanged));
    }

    #[test]
    fn issue_7_crlf_is_kept_and_new_lines_use_it() {
        let (out, _) =
            add_gitignore_lines(b"node_modules\r\n/dist/\r\n# end", &["dist", ".venv", ".mypy_cache"]);
        assert_eq!(out, b"node_modules\r\n/dist/\r\n# end\r\n.venv\r\n.mypy_cache\r\n");
        assert!(lines(&out).all(|line| !line.contains(&b'\r')), "a bare CR was left inside a line");
        assert!(
            out.split_inclusive(|&b| b == b'\n').all(|line| line.ends_with(b"\r\n")),
            "a line ends with LF alone"
        );
    }

    #[test]
    fn issue_7_a_bom_is_kept_and_does_not_hide_the_first_pattern() {
        let (out, edit) = add_gitignore_lines(b"\xEF\xBB\xBF.venv\n", &[".venv", "dist"]);
        assert_eq!(edit, Edit::Added);
        assert_eq!(out, b"\xEF\xBB\xBF.venv\ndist\n");
    }
}
