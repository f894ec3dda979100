use fastgen_tree::TreeError;
use fastgen_workspace::{NameError, WorkspaceError};

use crate::options::InvalidValue;

/// Why a generator refused to run. Nothing has been written when one of these is returned.
#[derive(Debug, thiserror::Error)]
pub enum GenerateError {
    #[error("`--{0}` is required")]
    Missing(&'static str),
    #[error(transparent)]
    Name(#[from] NameError),
    #[error(transparent)]
    Value(#[from] InvalidValue),
    #[error("the directory `{0}` is outside the workspace")]
    DirectoryOutside(String),
    #[error("`{dir}` already exists and holds {what}, not the project `{project}`")]
    DirectoryOccupied { dir: String, what: String, project: String },
    #[error("the {what} `{value}` is already used by the project in `{other}`")]
    Duplicate { what: &'static str, value: String, other: String },
    #[error("`--iacProvider Inherit` found no provider recorded for this workspace")]
    NoProvider,
    #[error("`generate infra` makes a CDK application, but this workspace deploys with Terraform")]
    WrongProvider,
    #[error("`{0}` already exists and is not empty")]
    NotEmpty(String),
    #[error("`{0}` is not a valid npm scope")]
    Scope(String),
    #[error("template `{name}` failed to render: {message}")]
    Template { name: String, message: String },
    #[error(transparent)]
    Workspace(#[from] WorkspaceError),
    #[error(transparent)]
    Tree(#[from] TreeError),
}

impl GenerateError {
    /// Whether this is a problem with the command line (exit code 2) rather than the workspace.
    pub fn is_usage(&self) -> bool {
        matches!(
            self,
            Self::Missing(_) | Self::Name(_) | Self::Value(_) | Self::DirectoryOutside(_) | Self::Scope(_)
        )
    }

    /// The fix to print under the error.
    pub fn hint(&self) -> Option<String> {
        Some(match self {
            Self::Missing(flag) => format!("pass `--{flag}`, or run in a terminal to be asked"),
            Self::Name(err) => err.hint(),
            Self::Value(_) => "values are case-insensitive; see `fastgen schema fast-api`".to_owned(),
            Self::DirectoryOutside(_) => {
                "pass a path relative to the workspace root without `..`, e.g. `--directory packages`".to_owned()
            }
            Self::DirectoryOccupied { .. } => {
                "choose another name or `--directory`, or move the existing directory away".to_owned()
            }
            Self::Duplicate { what, .. } => match *what {
                "module name" => "pass `--moduleName` with another module name, or choose another API name",
                _ => "choose another API name",
            }
            .to_owned(),
            Self::NoProvider => "pass `--iacProvider CDK` or `--iacProvider Terraform`, or record it in `fastgen.toml` (`iac-provider = \"CDK\"`) or in `aws-nx-plugin.config.mts` (`iac: { provider: 'CDK' }`)".to_owned(),
            Self::WrongProvider => "use the Terraform modules in `packages/common/terraform`, or set `iac-provider = \"CDK\"` in `fastgen.toml`".to_owned(),
            Self::NotEmpty(_) => "pick a new directory name, or empty this one first".to_owned(),
            Self::Scope(_) => "pass `--scope` with lower-case letters, digits, `-`, `.` or `_`, e.g. `--scope acme`".to_owned(),
            Self::Template { .. } => "this is a bug in fastgen; please report it".to_owned(),
            Self::Workspace(err) => return err.hint(),
            Self::Tree(_) => return None,
        })
    }
}
