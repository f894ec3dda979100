//! fastgen's generators. Each generator is a pure function from validated settings to
//! planned writes in a [`fastgen_tree::Tree`]; option definitions (parsing, prompts, JSON
//! Schema) are data in [`options`].
//!
//! Owns: option definitions, settings resolution, templates and their contexts, and the
//! exact versions generated files declare. Must not touch the disk (reads go through the
//! tree), print, or prompt: that is the binary's job.

pub mod cdk;
mod error;
pub mod escape;
pub mod fast_api;
mod iac_project;
pub mod infra;
pub mod new_workspace;
pub mod options;
pub mod schema;
pub mod templates;
pub mod terraform;
mod ts_names;
pub mod versions;

pub use error::{GenerateError, Takeover};
