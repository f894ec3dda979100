use serde_json::Value;

/// Why a document cannot be turned into the operation model.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OpenApiError {
    #[error("not valid JSON: {message} (line {line}, column {column})")]
    Json { message: String, line: usize, column: usize },
    /// `NaN`, `Infinity` or `-Infinity` where JSON wants a value: Python's `json.dumps` writes
    /// them for non-finite floats. `pointer` is where the value sits, when the rest of the text
    /// is JSON.
    #[error(
        "`{token}` is not valid JSON (Python's `json.dumps` writes it for `{}`); {}line {line}, column {column}",
        python_float(token),
        pointer.as_deref().map(|p| format!("at `{p}`, ")).unwrap_or_default()
    )]
    NonFinite { token: String, pointer: Option<String>, line: usize, column: usize },
    #[error("at `{pointer}`: {message}")]
    Invalid { pointer: String, message: String },
    #[error("operations at `{first}` and `{second}` are both named `{name}`, even qualified by their tags")]
    Ambiguous { name: String, first: String, second: String },
}

impl OpenApiError {
    pub(crate) fn at(pointer: &str, message: impl Into<String>) -> Self {
        Self::Invalid { pointer: pointer.to_owned(), message: message.into() }
    }

    /// The error for `text` that `serde_json` refused: [`Self::NonFinite`] when it stopped at
    /// a `NaN`, `Infinity` or `-Infinity`, else [`Self::Json`].
    pub(crate) fn json(text: &str, err: &serde_json::Error) -> Self {
        let (line, column) = (err.line(), err.column());
        if let Some((start, token)) = non_finite_tokens(text).first().copied()
            && offset(text, line, column).is_some_and(|at| (start..start + token.len()).contains(&at))
        {
            let before = &text[..start];
            let line_start = before.rfind('\n').map_or(0, |i| i + 1);
            return Self::NonFinite {
                token: token.to_owned(),
                pointer: non_finite_pointer(text),
                line: before.matches('\n').count() + 1,
                column: start - line_start + 1,
            };
        }
        let message = err.to_string();
        let message = message.find(" at line ").map_or(message.clone(), |i| message[..i].to_owned());
        Self::Json { message, line, column }
    }

    /// The fix to print under the error.
    pub fn hint(&self) -> String {
        match self {
            Self::Json { .. } => "pass the JSON document your API's `openapi` target writes".to_owned(),
            Self::NonFinite { .. } => {
                "give that field a finite number (FastAPI writes `Infinity` for bounds and \
                                       defaults such as `Field(le=float('inf'))`), or drop it; \
                                       `json.dumps(..., allow_nan=False)` fails where one is left"
                    .to_owned()
            }
            Self::Invalid { .. } => {
                "fix the document at that JSON pointer (or the FastAPI code that produces it)".to_owned()
            }
            Self::Ambiguous { .. } => {
                "give the operations distinct function names, or distinct tags (`APIRouter(tags=[...])`)"
                    .to_owned()
            }
        }
    }
}

/// The Python expression whose `json.dumps` is `token`.
fn python_float(token: &str) -> &'static str {
    match token {
        "NaN" => "float('nan')",
        "-Infinity" => "float('-inf')",
        _ => "float('inf')",
    }
}

/// The byte offset of `serde_json`'s line and column (1-based, the column counted in bytes).
fn offset(text: &str, line: usize, column: usize) -> Option<usize> {
    let line_start = if line <= 1 {
        0
    } else {
        text.bytes().enumerate().filter(|&(_, b)| b == b'\n').nth(line - 2).map(|(i, _)| i + 1)?
    };
    Some(line_start + column.checked_sub(1)?)
}

const NON_FINITE: &[&str] = &["-Infinity", "Infinity", "NaN"];

/// Where `NaN`, `Infinity` and `-Infinity` appear outside strings: byte offset and token.
fn non_finite_tokens(text: &str) -> Vec<(usize, &'static str)> {
    let bytes = text.as_bytes();
    let mut found = Vec::new();
    let (mut i, mut in_string) = (0, false);
    while i < bytes.len() {
        let byte = bytes[i];
        if in_string {
            match byte {
                b'\\' => i += 1,
                b'"' => in_string = false,
                _ => {}
            }
        } else if byte == b'"' {
            in_string = true;
        } else if let Some(token) = NON_FINITE.iter().find(|t| bytes[i..].starts_with(t.as_bytes())) {
            found.push((i, *token));
            i += token.len();
            continue;
        }
        i += 1;
    }
    found
}

/// The JSON pointer of the first non-finite token, when the text is JSON once every such token
/// is replaced (the first by a marker string, the others by `null`).
fn non_finite_pointer(text: &str) -> Option<String> {
    const MARKER: &str = "\u{0}fastgen: the first non-finite number";
    let mut replaced = String::with_capacity(text.len());
    let mut copied = 0;
    for (n, (start, token)) in non_finite_tokens(text).into_iter().enumerate() {
        replaced.push_str(&text[copied..start]);
        replaced.push_str(if n == 0 { "\"\\u0000fastgen: the first non-finite number\"" } else { "null" });
        copied = start + token.len();
    }
    replaced.push_str(&text[copied..]);
    let value: Value = serde_json::from_str(&replaced).ok()?;
    find_string(&value, MARKER, &mut String::new())
}

fn find_string(value: &Value, wanted: &str, at: &mut String) -> Option<String> {
    let children: Box<dyn Iterator<Item = (String, &Value)>> = match value {
        Value::String(s) if s == wanted => return Some(at.clone()),
        Value::Object(map) => Box::new(map.iter().map(|(k, v)| (pointer_segment(k), v))),
        Value::Array(items) => Box::new(items.iter().enumerate().map(|(i, v)| (i.to_string(), v))),
        _ => return None,
    };
    for (segment, child) in children {
        let len = at.len();
        at.push('/');
        at.push_str(&segment);
        if let Some(found) = find_string(child, wanted, at) {
            return Some(found);
        }
        at.truncate(len);
    }
    None
}

/// Escape a key for a JSON pointer segment (RFC 6901).
pub(crate) fn pointer_segment(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

#[cfg(test)]
mod tests {
    use crate::{OpenApiError, parse};

    fn error(text: &str) -> Option<String> {
        parse(text).err().map(|e| e.to_string())
    }

    #[test]
    fn python_non_finite_floats_are_named_with_pointer_line_and_column() {
        let text = "{\"openapi\": \"3.1.0\",\n \"components\": {\"schemas\": {\"A\": {\"description\": \"NaN or Infinity\",\n   \"maximum\": Infinity, \"minimum\": -Infinity, \"default\": NaN}}}}";
        assert_eq!(
            error(text).as_deref(),
            Some(
                "`Infinity` is not valid JSON (Python's `json.dumps` writes it for `float('inf')`); at `/components/schemas/A/maximum`, line 3, column 15"
            )
        );
        assert_eq!(
            error("{\"a\": [1, -Infinity]}").as_deref(),
            Some(
                "`-Infinity` is not valid JSON (Python's `json.dumps` writes it for `float('-inf')`); at `/a/1`, line 1, column 11"
            )
        );
        // The rest of the text is not JSON either: no pointer, still the token.
        assert_eq!(
            error("{\"a\": NaN,}").as_deref(),
            Some(
                "`NaN` is not valid JSON (Python's `json.dumps` writes it for `float('nan')`); line 1, column 7"
            )
        );
        assert!(parse("{\"a\": NaN}").err().is_some_and(|e| e.hint().contains("allow_nan=False")));
    }

    #[test]
    fn other_syntax_errors_stay_plain_even_with_a_later_non_finite_float() {
        assert_eq!(
            error("{\"a\": \"Infinity\" \"b\": NaN}").as_deref(),
            Some("not valid JSON: expected `,` or `}` (line 1, column 18)")
        );
        assert!(matches!(parse("{\"a\": Inf}"), Err(OpenApiError::Json { .. })));
    }
}
