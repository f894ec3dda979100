use crate::edit::Edit;
use crate::text::{append_lines, lines, split_bom};

/// Append `line` to a source file (e.g. an `export * from './x.js';` line) unless an
/// identical line is already there. The file is edited as bytes: a byte-order mark, the line
/// ending (the new line uses the file's) and bytes that are not UTF-8 are all kept.
pub fn add_line(content: &[u8], line: &str) -> (Vec<u8>, Edit) {
    let (body, _) = split_bom(content);
    let wanted = line.trim().as_bytes();
    if lines(body).any(|existing| existing.trim_ascii() == wanted) {
        return (content.to_vec(), Edit::Unchanged);
    }
    (append_lines(content, &[line]), Edit::Added)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn adds_each_line_once() {
        let (text, edit) = add_line(b"// exports\n", "export * from './a.js';");
        assert_eq!((text.as_slice(), edit), (&b"// exports\nexport * from './a.js';\n"[..], Edit::Added));
        assert_eq!(add_line(&text, "export * from './a.js';").1, Edit::Unchanged);
        assert_eq!(add_line(b"", "x").0, b"x\n");
    }

    #[test]
    fn issue_7_crlf_bom_and_latin_1_are_kept() {
        let index: &[u8] = b"\xEF\xBB\xBF// \xA9 Acme\r\nexport * from './a.js';\r\n";
        let (out, edit) = add_line(index, "export * from './b.js';");
        assert_eq!(edit, Edit::Added);
        assert_eq!(
            out,
            b"\xEF\xBB\xBF// \xA9 Acme\r\nexport * from './a.js';\r\nexport * from './b.js';\r\n"
        );
        // The first line is found behind the BOM, each CRLF line is found without its CR.
        assert_eq!(add_line(&out, "export * from './b.js';"), (out.clone(), Edit::Unchanged));
        let first = b"\xEF\xBB\xBFexport * from './a.js';\r\n";
        assert_eq!(add_line(first, "export * from './a.js';").1, Edit::Unchanged);
    }
}
