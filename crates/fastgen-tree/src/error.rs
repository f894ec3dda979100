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
    #[error("`{link}` is a symbolic link to `{}`, outside the workspace", target.display())]
    Escapes { link: String, target: PathBuf },
    #[error("`{link}` is a symbolic link to `{}`, which does not exist", target.display())]
    DanglingLink { link: String, target: PathBuf },
    #[error("`{path}` is not a regular file (a FIFO, socket or device); fastgen does not read it")]
    NotRegular { path: String },
    #[error("another fastgen run is writing to the workspace `{}` (it holds the workspace lock)", path.display())]
    Locked { path: PathBuf },
    #[error("interrupted; every file already written was restored")]
    Interrupted,
    #[error("the journal `{}` cannot be used: {message}", path.display())]
    Journal { path: PathBuf, message: String },
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

impl TreeError {
    /// The fix to print under the error, when there is one to give.
    pub fn hint(&self) -> Option<String> {
        Some(match self {
            Self::NotUtf8 { path, .. } => format!(
                "save `{path}` as UTF-8 (e.g. `iconv -f latin1 -t utf-8`), then run fastgen again; nothing was written"
            ),
            Self::Escapes { link, .. } | Self::DanglingLink { link, .. } => format!(
                "replace the link `{link}` with a directory (or a link inside the workspace), or choose another `--directory`; nothing was written"
            ),
            Self::NotRegular { path } => format!("move `{path}` out of the way, then run fastgen again"),
            Self::Locked { .. } => "wait for the other run to finish, then run again (`FASTGEN_LOCK_TIMEOUT=<seconds>` waits longer; the default is 30)".to_owned(),
            Self::Conflicts { .. } => "move the paths marked CONFLICT out of the way, then run again; nothing was written".to_owned(),
            Self::Journal { path, .. } => format!(
                "the journal records an interrupted run; inspect `{}`, restore the files it lists from version control, then delete it",
                path.display()
            ),
            Self::Rollback { .. } => "the journal in `.fastgen/journal` is kept: the next fastgen run in this workspace retries the restore".to_owned(),
            _ => return None,
        })
    }
}
