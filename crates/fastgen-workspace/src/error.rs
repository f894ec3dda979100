use fastgen_tree::TreeError;

/// A workspace file fastgen cannot use, with where and why.
#[derive(Debug, thiserror::Error)]
pub enum WorkspaceError {
    #[error("`{path}` is not valid {format}: {message} (line {line}, column {column})")]
    Malformed { path: String, format: &'static str, message: String, line: usize, column: usize },
    #[error("`{path}`: {message}")]
    Invalid { path: String, message: String },
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
            Self::Tree(_) => None,
            Self::Scope(err) => Some(err.hint()),
        }
    }
}
