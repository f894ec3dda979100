use serde_json::Value;

use crate::error::WorkspaceError;
use crate::text::split_bom_str;

/// Parse a strict JSON workspace file (`package.json`: npm and pnpm accept no comments or
/// trailing commas there), locating any syntax error. A UTF-8 byte-order mark is skipped, as
/// npm does. `project.json`, which Nx reads as JSONC, goes through [`crate::parse_jsonc`].
pub fn parse_json(path: &str, text: &str) -> Result<Value, WorkspaceError> {
    let (text, _) = split_bom_str(text);
    serde_json::from_str(text).map_err(|err| WorkspaceError::Malformed {
        path: path.to_owned(),
        format: "JSON",
        message: strip_position(&err.to_string()),
        line: err.line(),
        column: err.column(),
    })
}

/// Serialise as Nx and npm write JSON: two-space indentation and a final newline.
pub fn to_pretty_json(value: &Value) -> String {
    let mut text = serde_json::to_string_pretty(value).unwrap_or_default();
    text.push('\n');
    text
}

fn strip_position(message: &str) -> String {
    message.find(" at line ").map_or_else(|| message.to_owned(), |i| message[..i].to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn malformed_json_is_located() {
        let err = parse_json("package.json", "{\n  \"name\": \"x\",\n}\n").err().map(|e| e.to_string());
        assert_eq!(
            err.as_deref(),
            Some("`package.json` is not valid JSON: trailing comma (line 3, column 1)")
        );
    }

    #[test]
    fn issue_7_a_bom_is_not_a_syntax_error() {
        let value = parse_json("package.json", "\u{feff}{\"name\": \"@acme/source\"}\r\n").ok();
        assert_eq!(value, Some(serde_json::json!({ "name": "@acme/source" })));
    }
}
