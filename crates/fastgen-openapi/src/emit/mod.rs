//! Emitters: each turns the [`Model`](crate::Model) into the text of one file.

mod metadata;

pub use metadata::{metadata_ts, operations_json};
