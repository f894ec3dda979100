use fastgen_tree::Tree;
use fastgen_workspace::{ProjectInfo, WebsiteNames, Workspace};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::directory::{check_free, project_dir};
use crate::error::GenerateError;
use crate::options::RawOptions;
use crate::website::DEFINITION;

/// `metadata.generator` of a website project: how later generators find the websites.
pub const WEBSITE_GENERATOR: &str = "ts#react-website";

/// The `metadata` of a website's `project.json`, one serde struct.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WebsiteMetadata {
    pub generator: String,
    /// The name it was generated with, as typed.
    pub website_name: String,
    /// The dev server's port (`serve` and `preview`), allocated like an API's.
    #[serde(default)]
    pub ports: Vec<u16>,
}

impl WebsiteMetadata {
    /// The metadata of `project` when it is a website fastgen generated.
    pub fn of(project: &ProjectInfo) -> Option<Self> {
        if project.metadata.get("generator").and_then(Value::as_str) != Some(WEBSITE_GENERATOR) {
            return None;
        }
        serde_json::from_value(project.metadata.clone()).ok()
    }
}

/// Every value the `website` generator needs, validated.
#[derive(Debug, Clone)]
pub struct WebsiteSettings {
    /// The workspace's npm scope, without `@`.
    pub scope: String,
    pub names: WebsiteNames,
    /// Workspace-relative project directory (`packages/my-website`).
    pub project_dir: String,
    /// The port `serve` and `preview` listen on: the one recorded on a re-run, else the first
    /// one no project of the workspace records.
    pub port: u16,
}

impl WebsiteSettings {
    /// Resolve raw options against the workspace behind `tree`. Without `--directory`, a
    /// website of the same name anywhere in the workspace is found and kept where it is.
    pub fn resolve(raw: &RawOptions, tree: &Tree) -> Result<Self, GenerateError> {
        let workspace = Workspace::load(tree)?;
        let name = raw.get("name").ok_or(GenerateError::Missing("name"))?;
        let names = WebsiteNames::new(name)?;
        let project_dir = match raw.get("directory") {
            Some(directory) => project_dir(directory, &names.kebab)?,
            None => match workspace.projects.iter().find(|p| is_website_named(p, &names.kebab)) {
                Some(existing) => existing.dir.clone(),
                None => project_dir(default_directory(), &names.kebab)?,
            },
        };
        let own = workspace.projects.iter().find(|p| p.dir == project_dir);
        match own {
            Some(project) if !is_website_named(project, &names.kebab) => {
                return Err(GenerateError::DirectoryOccupied {
                    dir: project_dir,
                    what: format!("the project `{}`", project.name.as_deref().unwrap_or("(unnamed)")),
                    project: names.kebab,
                });
            }
            Some(_) => {}
            None => check_free(tree, &project_dir, &names.kebab)?,
        }
        if let Some(other) = workspace
            .projects
            .iter()
            .find(|p| p.dir != project_dir && p.name.as_deref() == Some(&names.kebab))
        {
            return Err(GenerateError::Duplicate {
                what: "website's Nx project name",
                value: names.kebab,
                other: other.dir.clone(),
            });
        }
        // Its construct (CDK hosting) is exported next to every API's.
        let class = crate::static_website::class_name(&names.kebab);
        for api in &workspace.projects {
            let Some(metadata) = crate::api::ApiMetadata::of(api) else { continue };
            let Ok(api_names) =
                fastgen_workspace::Names::new(&metadata.api_name, &workspace.scope, api.module.as_deref())
            else {
                continue;
            };
            if crate::static_website::clashes_with(&api_names.class, &class) {
                return Err(GenerateError::Duplicate {
                    what: "website's construct class name",
                    value: class,
                    other: api.dir.clone(),
                });
            }
        }
        let port = own.and_then(|p| p.ports.first().copied()).unwrap_or_else(|| workspace.free_port());
        Ok(Self { scope: workspace.scope, names, project_dir, port })
    }

    /// The `metadata` its `project.json` records.
    pub fn metadata(&self) -> WebsiteMetadata {
        WebsiteMetadata {
            generator: WEBSITE_GENERATOR.to_owned(),
            website_name: self.names.raw.clone(),
            ports: vec![self.port],
        }
    }

    /// The path from the project directory back to the workspace root (`../..`).
    pub fn root_from_project(&self) -> String {
        vec![".."; self.project_dir.split('/').count()].join("/")
    }

    /// Where `build` writes the site, workspace-relative (`dist/packages/my-website`).
    pub fn dist_dir(&self) -> String {
        format!("dist/{}", self.project_dir)
    }
}

/// Whether `project` is a website fastgen generated whose Nx project name is `kebab`.
fn is_website_named(project: &ProjectInfo, kebab: &str) -> bool {
    WebsiteMetadata::of(project).is_some() && project.name.as_deref() == Some(kebab)
}

fn default_directory() -> &'static str {
    DEFINITION.options.iter().find(|o| o.name == "directory").and_then(|o| o.default).unwrap_or("packages")
}
