//! Reading and editing the files of an Nx + pnpm + uv workspace: naming rules, the workspace
//! config (`fastgen.toml`, or the reference plugin's `aws-nx-plugin.config.mts`), the projects
//! already there, and format-preserving editors for `pyproject.toml`, JSONC `project.json`,
//! `.gitignore`, export lines and the `packages` of `pnpm-workspace.yaml`.
//!
//! Owns: parsing with located errors, and edits that say what they changed and keep every
//! byte they do not mean to change (non-UTF-8 lines, CRLF, a byte-order mark, comments,
//! trailing commas, key order); a file that cannot be edited that way is refused with its
//! line and the reason. Must not render templates or decide what a generator writes; it reads
//! through a [`fastgen_tree::Tree`] and never touches the disk itself.

mod config;
mod edit;
mod error;
mod gitignore;
mod json;
mod jsonc;
mod lines;
mod naming;
mod pnpm_workspace;
mod projects;
mod pyproject;
mod text;
mod workspace;

pub use config::{IacProvider, WorkspaceConfig};
pub use edit::Edit;
pub use error::WorkspaceError;
pub use gitignore::add_gitignore_lines;
pub use json::{parse_json, to_pretty_json};
pub use jsonc::{JsoncMut, parse_jsonc};
pub use lines::add_line;
pub use naming::{
    NameError, Names, ScopeError, ScopeOrigin, ScopeProblem, Subject, WebsiteNames, check_scope,
    is_python_identifier, scope_from_directory_name, words,
};
pub use pnpm_workspace::{PNPM_WORKSPACE, add_pnpm_package};
pub use projects::{
    MAX_PROJECT_DEPTH, ProjectInfo, SKIPPED_DIRS, Unscanned, scan_enters, scan_projects, scan_sees,
};
pub use pyproject::PyProjectMut;
pub use workspace::Workspace;
