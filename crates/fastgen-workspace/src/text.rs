//! What a file's bytes say about how to write more of it: a UTF-8 byte-order mark, the line
//! ending, where a line starts. Shared by every editor, so each one adds lines the way the
//! file already has them.

use fastgen_tree::{Tree, TreeError};

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// A file fastgen only reads, never writes (other projects' `project.json`, `package.json`,
/// `aws-nx-plugin.config.mts`), as text, with bytes that are not UTF-8 replaced as Node (and
/// so Nx) reads them. Files fastgen edits are read exactly: with [`Tree::read_string`], which
/// refuses such bytes, or as bytes.
pub(crate) fn read_only_text(tree: &Tree, rel: &str) -> Result<Option<String>, TreeError> {
    Ok(tree.read(rel)?.map(|bytes| String::from_utf8_lossy(&bytes).into_owned()))
}

/// `bytes` without a leading UTF-8 byte-order mark, and whether there was one.
pub(crate) fn split_bom(bytes: &[u8]) -> (&[u8], bool) {
    match bytes.strip_prefix(BOM) {
        Some(rest) => (rest, true),
        None => (bytes, false),
    }
}

/// Like [`split_bom`], for text.
pub(crate) fn split_bom_str(text: &str) -> (&str, bool) {
    match text.strip_prefix('\u{feff}') {
        Some(rest) => (rest, true),
        None => (text, false),
    }
}

/// The line ending a file uses: that of its first line; `\n` for a file with no line break.
pub(crate) fn line_ending(bytes: &[u8]) -> &'static str {
    match bytes.iter().position(|&b| b == b'\n') {
        Some(i) if i > 0 && bytes[i - 1] == b'\r' => "\r\n",
        _ => "\n",
    }
}

/// The lines of `bytes`, each without its `\n` or `\r\n`.
pub(crate) fn lines(bytes: &[u8]) -> impl Iterator<Item = &[u8]> {
    let body = bytes.strip_suffix(b"\n").unwrap_or(bytes);
    let empty = bytes.is_empty();
    body.split(|&b| b == b'\n').filter(move |_| !empty).map(|line| line.strip_suffix(b"\r").unwrap_or(line))
}

/// `bytes` with `new` appended, one line each, ended the way the file ends its lines; an
/// unterminated last line is ended first. Nothing already there changes.
pub(crate) fn append_lines(bytes: &[u8], new: &[&str]) -> Vec<u8> {
    let ending = line_ending(bytes).as_bytes();
    let mut out = bytes.to_vec();
    let (body, _) = split_bom(bytes);
    if !body.is_empty() && !body.ends_with(b"\n") {
        out.extend_from_slice(ending);
    }
    for line in new {
        out.extend_from_slice(line.as_bytes());
        out.extend_from_slice(ending);
    }
    out
}

/// The first line (1-based) whose ending differs from the first line's, with the two endings'
/// names, when a file mixes `\n` and `\r\n`.
pub(crate) fn mixed_line_endings(text: &str) -> Option<(usize, &'static str, &'static str)> {
    let mut first = None;
    for (index, line) in text.split_inclusive('\n').enumerate() {
        if !line.ends_with('\n') {
            break;
        }
        let name = if line.ends_with("\r\n") { "CRLF" } else { "LF" };
        match first {
            None => first = Some(name),
            Some(expected) if expected != name => return Some((index + 1, expected, name)),
            Some(_) => {}
        }
    }
    None
}

/// `text` with every `\n` that is not already part of a `\r\n` made one.
pub(crate) fn to_crlf(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 16);
    let mut previous = '\0';
    for c in text.chars() {
        if c == '\n' && previous != '\r' {
            out.push('\r');
        }
        out.push(c);
        previous = c;
    }
    out
}

/// The 1-based line and column (in characters) of byte `offset` in `text`.
pub(crate) fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_endings() {
        assert_eq!(line_ending(b"a\r\nb\n"), "\r\n");
        assert_eq!(line_ending(b"a\nb\r\n"), "\n");
        assert_eq!(line_ending(b"\n"), "\n");
        assert_eq!(line_ending(b"no break"), "\n");
        assert_eq!(mixed_line_endings("a\r\nb\r\nc"), None);
        assert_eq!(mixed_line_endings("a\r\nb\r\nc\nd\r\n"), Some((3, "CRLF", "LF")));
        assert_eq!(mixed_line_endings("a\nb\r\n"), Some((2, "LF", "CRLF")));
        assert_eq!(to_crlf("a\nb\r\n\n"), "a\r\nb\r\n\r\n");
    }

    #[test]
    fn lines_and_appending() {
        assert_eq!(lines(b"a\r\nb\nc").collect::<Vec<_>>(), [&b"a"[..], b"b", b"c"]);
        assert_eq!(lines(b"a\n\n").collect::<Vec<_>>(), [&b"a"[..], b""]);
        assert_eq!(lines(b"").count(), 0);
        assert_eq!(append_lines(b"a\r\nb", &["c"]), b"a\r\nb\r\nc\r\n");
        assert_eq!(append_lines(b"\xEF\xBB\xBF", &["c"]), b"\xEF\xBB\xBFc\n");
        assert_eq!(append_lines(b"", &["c", "d"]), b"c\nd\n");
    }

    #[test]
    fn positions() {
        assert_eq!(line_column("ab\ncdé", 7), (2, 4));
        assert_eq!(line_column("ab\ncdé", 6), (2, 3));
        assert_eq!(line_column("", 3), (1, 1));
    }
}
