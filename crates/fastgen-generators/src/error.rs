use fastgen_tree::TreeError;
use fastgen_workspace::{MAX_PROJECT_DEPTH, NameError, SKIPPED_DIRS, ScopeError, Unscanned, WorkspaceError};

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
    #[error("the directory `{dir}` {problem}")]
    DirectoryName { dir: String, problem: String },
    #[error("the project directory `{dir}` {}, so later runs would not find the project", unscanned(reason))]
    DirectoryUnscanned { dir: String, reason: Unscanned },
    #[error(
        "`{}` holds the API `{}` (Nx project `{}`); `{}` normalises to the same directory and project but gives the {} `{}` instead of `{}`",
        .0.dir, .0.existing, .0.project, .0.name, .0.what, .0.ours, .0.theirs
    )]
    Takeover(Box<Takeover>),
    #[error(
        "the API name `{name}` gives the class name `{class}`, which the generated CDK code already binds ({place})"
    )]
    ClassNameTaken { name: String, class: String, place: String },
    #[error("`{dir}` already exists and holds {what}, not the project `{project}`")]
    DirectoryOccupied { dir: String, what: String, project: String },
    #[error("the {what} `{value}` is already used by the project in `{other}`")]
    Duplicate { what: &'static str, value: String, other: String },
    #[error("`--{option} {name}`: no project of this workspace is named `{name}`")]
    UnknownProject { option: &'static str, name: String, kind: &'static str, choices: Vec<String> },
    #[error(
        "`--{option} {name}`: the project `{name}` (in `{dir}`) is not {} fastgen generated",
        article(kind)
    )]
    NotA { option: &'static str, name: String, dir: String, kind: &'static str, choices: Vec<String> },
    #[error("`--iacProvider Inherit` found no provider recorded for this workspace")]
    NoProvider,
    #[error("`generate infra` makes a CDK application, but this workspace deploys with Terraform")]
    WrongProvider,
    #[error("`{0}` already exists and is not empty")]
    NotEmpty(String),
    #[error(transparent)]
    Scope(ScopeError),
    #[error(transparent)]
    Escape(#[from] crate::escape::EscapeError),
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
            Self::Missing(_)
                | Self::Name(_)
                | Self::Value(_)
                | Self::DirectoryOutside(_)
                | Self::DirectoryName { .. }
                | Self::DirectoryUnscanned { .. }
                | Self::ClassNameTaken { .. }
                | Self::Scope(_)
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
            Self::DirectoryName { .. } => "use ASCII letters, digits, `.`, `_` and `-` in each segment of `--directory` (spaces, quotes and shell characters are refused because the path is part of the generated commands), e.g. `--directory packages/my-apps`".to_owned(),
            Self::DirectoryUnscanned { reason: Unscanned::TooDeep(_), .. } => format!(
                "choose a `--directory` of at most {} segments, e.g. `--directory packages`",
                MAX_PROJECT_DEPTH - 1
            ),
            Self::DirectoryUnscanned { .. } => format!(
                "choose a `--directory` without hidden segments (starting with `.`) or {}, e.g. `--directory packages`",
                SKIPPED_DIRS.iter().map(|d| format!("`{d}`")).collect::<Vec<_>>().join(", ")
            ),
            Self::Takeover(takeover) => format!(
                "to update that API, run with its recorded name `{}` (and its `--moduleName`); to add another API, choose a name whose snake, kebab and class names all differ",
                takeover.existing
            ),
            Self::ClassNameTaken { .. } => "choose another API name: its class name must differ from every name the CDK constructs and app import or export (`RestApi`, `Construct`, `UserPool`, …) and from JavaScript's built-ins".to_owned(),
            Self::DirectoryOccupied { .. } => {
                "choose another name or `--directory`, or move the existing directory away".to_owned()
            }
            Self::Duplicate { what, .. } => match *what {
                "module name" => "pass `--moduleName` with another module name, or choose another API name",
                "website's Nx project name" | "website's construct class name" => "choose another website name",
                "client class name" => "two APIs whose names give the same class cannot be connected to one website; rename one of them (`fastgen generate fast-api` with another name)",
                _ => "choose another API name",
            }
            .to_owned(),
            Self::UnknownProject { option, kind, choices, .. } | Self::NotA { option, kind, choices, .. } => {
                project_hint(option, kind, choices)
            }
            Self::NoProvider => "pass `--iacProvider CDK` or `--iacProvider Terraform`, or record it in `fastgen.toml` (`iac-provider = \"CDK\"`) or in `aws-nx-plugin.config.mts` (`iac: { provider: 'CDK' }`)".to_owned(),
            Self::WrongProvider => "use the Terraform modules in `packages/common/terraform`, or set `iac-provider = \"CDK\"` in `fastgen.toml`".to_owned(),
            Self::NotEmpty(_) => "pick a new directory name, or empty this one first".to_owned(),
            Self::Scope(err) => err.hint(),
            Self::Template { .. } | Self::Escape(_) => "this is a bug in fastgen; please report it".to_owned(),
            Self::Workspace(err) => return err.hint(),
            Self::Tree(err) => return err.hint(),
        })
    }
}

/// An API name whose derived names land on an existing API's directory and Nx project but
/// differ in another derived name (issue #7: `My API` next to `my-api`).
#[derive(Debug)]
pub struct Takeover {
    pub dir: String,
    /// The existing API's recorded name.
    pub existing: String,
    pub project: String,
    /// The name given now.
    pub name: String,
    /// The derived name that differs (`class name`, `module name`).
    pub what: &'static str,
    pub ours: String,
    pub theirs: String,
}

/// `a website`, `an API`.
fn article(kind: &str) -> String {
    let vowel = kind.starts_with(['a', 'e', 'i', 'o', 'u', 'A', 'E', 'I', 'O', 'U']);
    format!("{} {kind}", if vowel { "an" } else { "a" })
}

/// What to pass instead: the projects of that kind, by their Nx names, or how to make one.
fn project_hint(option: &str, kind: &str, choices: &[String]) -> String {
    match choices {
        [] if kind == "website" => {
            "this workspace has no website yet: generate one with `fastgen generate website <name>`"
                .to_owned()
        }
        [] => {
            "this workspace has no API yet: generate one with `fastgen generate fast-api <name>`".to_owned()
        }
        [one] => format!("pass `--{option} {one}`, the Nx project name of {}", article(kind)),
        many => format!(
            "pass the Nx project name of {}: {}",
            article(kind),
            many.iter().map(|c| format!("`{c}`")).collect::<Vec<_>>().join(", ")
        ),
    }
}

/// Why the project scan would miss a directory, as the end of a sentence.
fn unscanned(reason: &Unscanned) -> String {
    match reason {
        Unscanned::Hidden(segment) => {
            format!("is inside `{segment}`, a hidden directory, which fastgen's project scan does not enter")
        }
        Unscanned::Skipped(segment) => format!(
            "is inside `{segment}`, which fastgen's project scan skips (build output and dependencies)"
        ),
        Unscanned::TooDeep(depth) => {
            format!("is {depth} levels deep; fastgen's project scan looks {MAX_PROJECT_DEPTH} levels deep")
        }
    }
}
