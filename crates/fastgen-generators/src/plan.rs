//! The one module that knows what an API is made of: the Python project, its
//! infrastructure (CDK or Terraform), and the refresh of the CDK app that deploys it; and
//! what hosts a website: its construct in a workspace with a CDK app, its Terraform module
//! where the Terraform modules are. Every layer below takes the typed [`ApiModel`] and
//! [`StaticWebsiteModel`]; none of them calls another, and none imports this module.

use fastgen_tree::Tree;
use fastgen_workspace::{IacProvider, Workspace};

use crate::api::ApiModel;
use crate::app::{self, InfraSettings};
use crate::connection::{self, ConnectionSettings, Outcome};
use crate::distribution;
use crate::error::GenerateError;
use crate::iac;
use crate::python::{self, FastApiSettings};
use crate::static_website::StaticWebsiteModel;
use crate::website::{self, WebsiteSettings};

/// Plan one API (new, re-run or update) into `tree`; the model it was planned from.
pub fn api(tree: &mut Tree, settings: &FastApiSettings) -> Result<ApiModel, GenerateError> {
    let model = settings.model();
    python::generate(tree, &model)?;
    match model.iac_provider {
        IacProvider::Cdk => iac::cdk::add_api(tree, &model)?,
        IacProvider::Terraform => iac::terraform::add_api(tree, &model)?,
    }
    refresh_infrastructure(tree)?;
    distribution::pin(tree)?;
    Ok(model)
}

/// Plan the CDK app `generate infra` makes, deploying every CDK API and every website of the
/// workspace.
pub fn infra(tree: &mut Tree, settings: &InfraSettings) -> Result<(), GenerateError> {
    app::generate(tree, settings)?;
    refresh_infrastructure(tree)?;
    distribution::pin(tree)
}

/// Plan the website `generate website` makes, and its hosting where the workspace has
/// infrastructure to add it to (a CDK app, the Terraform modules); in a workspace without,
/// no infrastructure changes with it.
pub fn website(tree: &mut Tree, settings: &WebsiteSettings) -> Result<(), GenerateError> {
    website::generate(tree, settings)?;
    refresh_infrastructure(tree)?;
    distribution::pin(tree)
}

/// Bring what deploys the workspace's APIs and websites up to date: with a CDK app, every
/// website's construct and the app's lists of APIs and websites; with the Terraform modules,
/// every website's module and example root module.
fn refresh_infrastructure(tree: &mut Tree) -> Result<(), GenerateError> {
    let apis = workspace_apis(tree)?;
    let websites = workspace_websites(tree)?;
    if !app::apps(tree)?.is_empty() {
        for website in &websites {
            iac::cdk::add_website(tree, website)?;
        }
    }
    app::refresh(tree, &apis, &websites)?;
    if iac::terraform::exists(tree)? {
        for website in &websites {
            iac::terraform::add_website(tree, website, &apis)?;
        }
    }
    Ok(())
}

/// Plan the connection of a website to an API: files and targets in the website, and the
/// hosting that deploys the website with the API's URL (and narrows the API's CORS to it).
pub fn connection(tree: &mut Tree, settings: &ConnectionSettings) -> Result<Outcome, GenerateError> {
    let outcome = connection::generate(tree, settings)?;
    refresh_infrastructure(tree)?;
    distribution::pin(tree)?;
    Ok(outcome)
}

/// Every API of the workspace (what is planned included), from its recorded metadata.
pub fn workspace_apis(tree: &Tree) -> Result<Vec<ApiModel>, GenerateError> {
    let workspace = Workspace::load(tree)?;
    Ok(workspace.projects.iter().filter_map(|p| ApiModel::recorded(p, &workspace.scope)).collect())
}

/// Every website of the workspace (what is planned included), from its recorded metadata
/// (with the APIs its `metadata.connections` names, which its hosting is configured with).
pub fn workspace_websites(tree: &Tree) -> Result<Vec<StaticWebsiteModel>, GenerateError> {
    let workspace = Workspace::load(tree)?;
    Ok(workspace.projects.iter().filter_map(|p| StaticWebsiteModel::recorded(p, &workspace.scope)).collect())
}
