use fastgen_tree::Tree;
use fastgen_workspace::{Names, ProjectInfo, Workspace};
use serde::Serialize;
use serde_json::Value;

use crate::api::ApiMetadata;
use crate::error::GenerateError;
use crate::options::{Auth, ComputeType, RawOptions};
use crate::website::WebsiteMetadata;

/// `metadata.connections` of a website's `project.json`: the Nx project names of the APIs it
/// is connected to, in the order they were connected.
pub const CONNECTIONS_KEY: &str = "connections";

/// The website a connection is made in.
#[derive(Debug, Clone)]
pub struct ConnectedWebsite {
    /// The Nx project name (the kebab name).
    pub project: String,
    /// Workspace-relative project directory (`packages/web`).
    pub dir: String,
    /// The port its `serve` target listens on.
    pub port: u16,
}

/// One API a website is connected to, with every name the website's files use.
#[derive(Debug, Clone, Serialize)]
pub struct ConnectedApi {
    /// The Nx project name (`demo.my_api`).
    pub project: String,
    /// The name it was generated with (`my-api`).
    pub api_name: String,
    /// The client class and the key of `apis` in `runtime-config.json` (`MyApi`).
    pub class_name: String,
    /// The file names in the website: `src/connections/apis/<kebab>.tsx`,
    /// `src/generated/<kebab>/` (`my-api`).
    pub kebab: String,
    pub auth: Auth,
    /// REST or HTTP API: which Cognito token the authorizer takes.
    pub is_rest: bool,
    /// Where its `serve` target listens: `http://localhost:<port>/` in local development.
    pub port: u16,
    /// Workspace-relative project directory (`packages/my_api`).
    pub project_dir: String,
    /// The OpenAPI document its `openapi` target writes, workspace-relative.
    pub spec: String,
}

impl ConnectedApi {
    /// The API `project` when it is one fastgen generated.
    fn of(project: &ProjectInfo, scope: &str) -> Result<Option<Self>, GenerateError> {
        let Some(metadata) = ApiMetadata::of(project) else { return Ok(None) };
        let names = Names::new(&metadata.api_name, scope, project.module.as_deref())?;
        Ok(Some(Self {
            project: project.name.clone().unwrap_or_else(|| names.project.clone()),
            api_name: metadata.api_name.clone(),
            class_name: names.class,
            kebab: names.kebab,
            auth: metadata.auth,
            is_rest: metadata.compute_type == ComputeType::RestApi,
            port: metadata.ports.first().copied().unwrap_or(8000),
            project_dir: project.dir.clone(),
            spec: format!("dist/{}/openapi/openapi.json", project.dir),
        }))
    }

    /// Whether calls need a signed-in user (IAM or Cognito auth).
    pub fn needs_sign_in(&self) -> bool {
        matches!(self.auth, Auth::Iam | Auth::Cognito)
    }
}

/// Every value the `connection` generator needs, validated.
#[derive(Debug, Clone)]
pub struct ConnectionSettings {
    pub website: ConnectedWebsite,
    /// The API this run connects.
    pub api: ConnectedApi,
    /// Every API the website is connected to after this run (the recorded ones that still
    /// exist, then this one), in the order they were connected.
    pub apis: Vec<ConnectedApi>,
}

impl ConnectionSettings {
    /// Resolve `--source` and `--target` against the workspace behind `tree`: the source must
    /// be a website fastgen generated and the target an API fastgen generated.
    pub fn resolve(raw: &RawOptions, tree: &Tree) -> Result<Self, GenerateError> {
        let source = raw.get("source").ok_or(GenerateError::Missing("source"))?;
        let target = raw.get("target").ok_or(GenerateError::Missing("target"))?;
        let workspace = Workspace::load(tree)?;
        let websites: Vec<String> = workspace
            .projects
            .iter()
            .filter(|p| WebsiteMetadata::of(p).is_some())
            .filter_map(|p| p.name.clone())
            .collect();
        let api_names: Vec<String> = workspace
            .projects
            .iter()
            .filter(|p| ApiMetadata::of(p).is_some())
            .filter_map(|p| p.name.clone())
            .collect();
        let named = |name: &str| workspace.projects.iter().find(|p| p.name.as_deref() == Some(name));

        let website = match named(source) {
            None => {
                return Err(GenerateError::UnknownProject {
                    option: "source",
                    name: source.clone(),
                    kind: "website",
                    choices: websites,
                });
            }
            Some(project) if WebsiteMetadata::of(project).is_none() => {
                return Err(GenerateError::NotA {
                    option: "source",
                    name: source.clone(),
                    dir: project.dir.clone(),
                    kind: "website",
                    choices: websites,
                });
            }
            Some(project) => project,
        };
        let Some(api_project) = named(target) else {
            // `my-api` for `demo.my_api`: the API's name instead of its Nx project's.
            let meant: Vec<String> = workspace
                .projects
                .iter()
                .filter(|p| ApiMetadata::of(p).is_some_and(|m| same_name(&m.api_name, target)))
                .filter_map(|p| p.name.clone())
                .collect();
            return Err(GenerateError::UnknownProject {
                option: "target",
                name: target.clone(),
                kind: "API",
                choices: if meant.is_empty() { api_names } else { meant },
            });
        };
        let Some(api) = ConnectedApi::of(api_project, &workspace.scope)? else {
            return Err(GenerateError::NotA {
                option: "target",
                name: target.clone(),
                dir: api_project.dir.clone(),
                kind: "API",
                choices: api_names,
            });
        };

        // In the order they were connected; an API removed since is left out (its files stay
        // the user's), and this one keeps its place or comes last.
        let mut apis: Vec<ConnectedApi> = Vec::new();
        for recorded in recorded_connections(&website.metadata) {
            if apis.iter().any(|a| a.project == recorded) {
                continue;
            }
            if recorded == api.project {
                apis.push(api.clone());
            } else if let Some(existing) = named(&recorded)
                && let Some(connected) = ConnectedApi::of(existing, &workspace.scope)?
            {
                apis.push(connected);
            }
        }
        if !apis.iter().any(|a| a.project == api.project) {
            apis.push(api.clone());
        }
        if let Some(clash) = apis.iter().find(|a| a.project != api.project && a.class_name == api.class_name)
        {
            return Err(GenerateError::Duplicate {
                what: "client class name",
                value: api.class_name,
                other: clash.project_dir.clone(),
            });
        }
        Ok(Self {
            website: ConnectedWebsite {
                project: website.name.clone().unwrap_or_default(),
                dir: website.dir.clone(),
                port: website.ports.first().copied().unwrap_or(8000),
            },
            api,
            apis,
        })
    }

    /// The Nx project names `metadata.connections` records after this run.
    pub fn recorded(&self) -> Vec<String> {
        self.apis.iter().map(|a| a.project.clone()).collect()
    }
}

/// The API project names a website's metadata records as connected.
fn recorded_connections(metadata: &Value) -> Vec<String> {
    metadata
        .get(CONNECTIONS_KEY)
        .and_then(Value::as_array)
        .map(|items| items.iter().filter_map(Value::as_str).map(str::to_owned).collect())
        .unwrap_or_default()
}

/// Whether two API names give the same names (`My API`, `my-api`, `my_api`).
fn same_name(a: &str, b: &str) -> bool {
    let words =
        |s: &str| fastgen_workspace::words(s).iter().map(|w| w.to_ascii_lowercase()).collect::<Vec<_>>();
    !words(a).is_empty() && words(a) == words(b)
}
