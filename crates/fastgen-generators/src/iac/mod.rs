//! Infrastructure as code for one API: one module per provider, each taking the
//! provider-neutral [`crate::api::ApiModel`] (never the Python settings), and the shared
//! `project.json` editing both use. A third provider is one more module here and one match
//! arm in [`crate::plan`].

pub mod cdk;
pub(crate) mod project;
pub mod terraform;
