//! What a failed run tells its user: the message, its causes, the hint and the kind of
//! failure. The terminal (`main.rs`) and the MCP server (`mcp/`) both read an error through
//! [`Refusal::of`], so a refusal reads the same wherever it is shown.

use fastgen_generators::GenerateError;
use fastgen_tree::TreeError;
use fastgen_workspace::WorkspaceError;

use crate::commands::{MergeConflicts, NotAWorkspace};

/// A problem with the command line itself (exit code 2), with its fix.
#[derive(Debug)]
pub struct UsageError {
    message: String,
    hint: String,
}

impl UsageError {
    pub fn new(message: impl Into<String>, hint: impl Into<String>) -> Self {
        Self { message: message.into(), hint: hint.into() }
    }
}

impl std::fmt::Display for UsageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for UsageError {}

/// How a run failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Failure {
    /// The arguments are wrong (exit code 2).
    Usage,
    /// Files were written with conflict markers; the change set was already shown.
    MergeConflicts,
    /// Ctrl-C or SIGTERM: nothing is left half-written (exit code 130).
    Interrupted,
    /// Anything else (exit code 1).
    Other,
}

/// An error as fastgen shows it.
#[derive(Debug, Clone)]
pub struct Refusal {
    pub message: String,
    pub causes: Vec<String>,
    pub hint: Option<String>,
    pub failure: Failure,
}

impl Refusal {
    pub fn of(err: &anyhow::Error) -> Self {
        let mut failure = Failure::Other;
        let mut hint = None;
        if let Some(e) = err.downcast_ref::<GenerateError>() {
            if e.is_usage() {
                failure = Failure::Usage;
            }
            hint = e.hint();
        } else if let Some(e) = err.downcast_ref::<WorkspaceError>() {
            hint = e.hint();
        } else if let Some(e) = err.downcast_ref::<fastgen_openapi::OpenApiError>() {
            hint = Some(e.hint());
        } else if err.downcast_ref::<MergeConflicts>().is_some() {
            failure = Failure::MergeConflicts;
            hint = Some(MergeConflicts::HINT.to_owned());
        } else if err.downcast_ref::<NotAWorkspace>().is_some() {
            hint = Some(NotAWorkspace::HINT.to_owned());
        } else if let Some(e) = err.downcast_ref::<UsageError>() {
            failure = Failure::Usage;
            hint = Some(e.hint.clone());
        } else if let Some(e) = err.downcast_ref::<TreeError>() {
            hint = e.hint();
            if matches!(e, TreeError::Interrupted) {
                failure = Failure::Interrupted;
            }
        }
        let causes = match failure {
            Failure::Interrupted => Vec::new(),
            _ => err.chain().skip(1).map(ToString::to_string).collect(),
        };
        Self { message: err.to_string(), causes, hint, failure }
    }

    /// The lines the terminal shows, without colour: `error: …`, `  Caused by: …`, `hint: …`.
    pub fn text(&self) -> String {
        let mut text = format!("error: {}", self.message);
        for cause in &self.causes {
            text.push_str(&format!("\n  Caused by: {cause}"));
        }
        if let Some(hint) = &self.hint {
            text.push_str(&format!("\nhint: {hint}"));
        }
        text
    }

    /// The `--json` error document.
    pub fn json(&self) -> serde_json::Value {
        serde_json::json!({ "error": self.message, "causes": self.causes, "hint": self.hint })
    }
}
