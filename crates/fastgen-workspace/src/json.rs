use serde_json::Value;

use crate::error::WorkspaceError;

/// Parse a JSON workspace file, locating any syntax error.
pub fn parse_json(path: &str, text: &str) -> Result<Value, WorkspaceError> {
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
}
