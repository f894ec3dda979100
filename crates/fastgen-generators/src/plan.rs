//! The one module that knows what an API is made of: the Python project, its
//! infrastructure (CDK or Terraform), and the refresh of the CDK app that deploys it. Every
//! layer below takes the typed [`ApiModel`]; none of them calls another, and none imports
//! this module.

use fastgen_tree::Tree;
use fastgen_workspace::{IacProvider, Workspace};

use crate::api::ApiModel;
use crate::app::{self, InfraSettings};
use crate::distribution;
use crate::error::GenerateError;
use crate::iac;
use crate::python::{self, FastApiSettings};
use crate::website::{self, WebsiteSettings};

/// Plan one API (new, re-run or update) into `tree`; the model it was planned from.
pub fn api(tree: &mut Tree, settings: &FastApiSettings) -> Result<ApiModel, GenerateError> {
    let model = settings.model();
    python::generate(tree, &model)?;
    match model.iac_provider {
        IacProvider::Cdk => iac::cdk::add_api(tree, &model)?,
        IacProvider::Terraform => iac::terraform::add_api(tree, &model)?,
    }
    app::refresh_apis(tree, &workspace_apis(tree)?)?;
    distribution::pin(tree)?;
    Ok(model)
}

/// Plan the CDK app `generate infra` makes, deploying every CDK API of the workspace.
pub fn infra(tree: &mut Tree, settings: &InfraSettings) -> Result<(), GenerateError> {
    let apis = workspace_apis(tree)?;
    app::generate(tree, settings, &apis)?;
    distribution::pin(tree)
}

/// Plan the website `generate website` makes. It stands alone: no API or infrastructure
/// changes with it.
pub fn website(tree: &mut Tree, settings: &WebsiteSettings) -> Result<(), GenerateError> {
    website::generate(tree, settings)?;
    distribution::pin(tree)
}

/// Every API of the workspace (what is planned included), from its recorded metadata.
pub fn workspace_apis(tree: &Tree) -> Result<Vec<ApiModel>, GenerateError> {
    let workspace = Workspace::load(tree)?;
    Ok(workspace.projects.iter().filter_map(|p| ApiModel::recorded(p, &workspace.scope)).collect())
}
