//! Emitters: each turns the [`Model`](crate::Model) into the text of one file.

mod client;
mod metadata;
mod query;
mod schema;
mod shape;
mod ts;

pub use client::{ClassNameError, ClientFiles, client_files};
pub use metadata::{metadata_ts, operations_json};
