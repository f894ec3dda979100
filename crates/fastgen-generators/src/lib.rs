//! fastgen's generators. Each generator is a pure function from validated settings to
//! planned writes in a [`fastgen_tree::Tree`]; option definitions (parsing, prompts, JSON
//! Schema) are data in [`options`].
//!
//! Layering (every arrow points down; no module imports one above it):
//! [`plan`] (an API = Python project + infrastructure + app refresh; a website) → [`python`],
//! [`iac`], [`app`], [`website`], [`connection`] → [`api`] (the typed model and metadata), [`render`]
//! (templates) → [`options`].
//!
//! Owns: option definitions, settings resolution, templates and their contexts, and the
//! exact versions generated files declare. Must not touch the disk (reads go through the
//! tree), print, or prompt: that is the binary's job.

pub mod api;
pub mod app;
pub mod connection;
mod directory;
pub mod distribution;
mod error;
pub mod escape;
pub mod iac;
pub mod new_workspace;
pub mod options;
pub mod plan;
mod project_json;
pub mod python;
pub mod render;
pub mod schema;
pub mod static_website;
mod ts_names;
pub mod versions;
pub mod website;

pub use error::{GenerateError, Takeover};
