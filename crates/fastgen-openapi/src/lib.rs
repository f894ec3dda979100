//! OpenAPI 3.0/3.1 documents (and 3.2 where the model can hold it) → the operation model →
//! emitters (`metadata.gen.ts` and `operations.json`; the TypeScript client's
//! `types.gen.ts`, `client.gen.ts` and `options.gen.ts`).
//!
//! Owns: parsing with JSON-pointer errors, `$ref` resolution, operation naming (lower camel
//! case, tag qualification of duplicates, deterministic order) and the text of every emitted
//! file. Must not touch the disk or know about workspaces: callers pass a document's text and
//! receive strings.

pub mod emit;
mod error;
mod model;
mod naming;
mod parse;

pub use error::OpenApiError;
pub use model::{Body, Location, Media, Model, Operation, Parameter, Response};
pub use naming::lower_camel;
pub use parse::parse;
