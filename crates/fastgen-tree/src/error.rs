use std::path::PathBuf;

/// Errors raised while reading the disk behind a tree or committing a change set.
#[derive(Debug, thiserror::Error)]
pub enum TreeError {
    #[error("cannot read `{}`", path.display())]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("`{path}` is not UTF-8 (line {line}, column {column}); fastgen edits it only as UTF-8 text")]
    NotUtf8 { path: String, line: usize, column: usize },
    #[error("`{path}` is not a valid relative path inside the workspace")]
    InvalidPath { path: String },
    #[error("{count} file(s) cannot be written safely: {first}")]
    Conflicts { count: usize, first: String },
    #[error("writing `{}` failed; every file already written was restored", path.display())]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error(
        "writing `{}` failed and restoring the workspace failed too; check these paths by hand: {}",
        path.display(),
        unrestored.join(", ")
    )]
    Rollback {
        path: PathBuf,
        unrestored: Vec<String>,
        #[source]
        source: std::io::Error,
    },
}
