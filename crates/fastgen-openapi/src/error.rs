/// Why a document cannot be turned into the operation model.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OpenApiError {
    #[error("not valid JSON: {message} (line {line}, column {column})")]
    Json { message: String, line: usize, column: usize },
    #[error("at `{pointer}`: {message}")]
    Invalid { pointer: String, message: String },
    #[error("operations at `{first}` and `{second}` are both named `{name}`, even qualified by their tags")]
    Ambiguous { name: String, first: String, second: String },
}

impl OpenApiError {
    pub(crate) fn at(pointer: &str, message: impl Into<String>) -> Self {
        Self::Invalid { pointer: pointer.to_owned(), message: message.into() }
    }

    /// The fix to print under the error.
    pub fn hint(&self) -> String {
        match self {
            Self::Json { .. } => "pass the JSON document your API's `openapi` target writes".to_owned(),
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

/// Escape a key for a JSON pointer segment (RFC 6901).
pub(crate) fn pointer_segment(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}
