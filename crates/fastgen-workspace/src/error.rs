use fastgen_tree::TreeError;

/// A workspace file fastgen cannot use, with where and why.
#[derive(Debug, thiserror::Error)]
pub enum WorkspaceError {
    #[error("`{path}` is not valid {format}: {message} (line {line}, column {column})")]
    Malformed { path: String, format: &'static str, message: String, line: usize, column: usize },
    #[error("`{path}`: {message}")]
    Invalid { path: String, message: String },
    /// A file fastgen could parse but cannot change without losing something of it.
    #[error("`{path}` cannot be edited safely (line {line}): {reason}")]
    Uneditable { path: String, line: usize, reason: String },
    #[error(transparent)]
    Tree(#[from] TreeError),
    /// The workspace's npm scope (from `fastgen.toml`, `package.json` or the directory name)
    /// breaks the scope rule.
    #[error(transparent)]
    Scope(#[from] crate::naming::ScopeError),
}

impl WorkspaceError {
    /// The fix to print under the error.
    pub fn hint(&self) -> Option<String> {
        match self {
            Self::Malformed { path, .. } => {
                Some(format!("fix the syntax of `{path}` at the position shown, then run fastgen again"))
            }
            Self::Invalid { path, .. } => Some(format!("correct `{path}`, then run fastgen again")),
            Self::Uneditable { path, .. } => Some(format!(
                "change `{path}` as the message says, then run fastgen again; nothing was written"
            )),
            Self::Tree(err) => err.hint(),
            Self::Scope(err) => Some(err.hint()),
        }
    }
}
