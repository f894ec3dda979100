//! `fastgen generate infra`: a CDK application (`packages/infra`) that deploys every CDK API
//! and every website of the workspace. Its `src/stacks/apis.ts` and `src/stacks/websites.ts`
//! are fastgen's and are re-rendered from the workspace's APIs and websites (`&[ApiModel]`,
//! `&[StaticWebsiteModel]`, given by [`crate::plan`]) whenever an API or a website is
//! generated; everything else is the user's after creation.

use fastgen_tree::{Ownership, Tree};
use fastgen_workspace::{IacProvider, JsoncMut, Names, Workspace, to_pretty_json};
use serde::Serialize;
use serde_json::{Value, json};

use crate::api::ApiModel;
use crate::error::GenerateError;
use crate::escape::shell_command;
use crate::iac::cdk::{CONSTRUCTS_DIR, CONSTRUCTS_PROJECT, ensure_constructs_project};
use crate::options::{Auth, GeneratorDef, Kind, OptionDef, RawOptions};
use crate::render::{Renderer, template_set};
use crate::static_website::StaticWebsiteModel;
use crate::versions::versions;

/// The `infra` generator's options.
pub const DEFINITION: GeneratorDef = GeneratorDef {
    name: "infra",
    aliases: &["ts#infra", "cdk-app"],
    description: "A CDK application that deploys every CDK API of the workspace (synth, deploy, destroy)",
    options: &[OptionDef {
        name: "name",
        kebab: "name",
        description: "Name of the CDK application project",
        prompt: "What name would you like for the CDK application?",
        kind: Kind::String,
        default: Some("infra"),
        required: false,
        positional: true,
    }],
};

/// The template of the fastgen-owned list of APIs.
const APIS_TEMPLATE: &str = "src/stacks/apis.ts";
/// The template of the fastgen-owned list of websites.
const WEBSITES_TEMPLATE: &str = "src/stacks/websites.ts";
/// Recorded in the app's `project.json` so later API generations find it.
const GENERATOR: &str = "fastgen#infra";

/// Validated settings of `generate infra`. The app's Nx project name is its snake name
/// (`infra`), so the workspace reads `pnpm nx run infra:synth`.
#[derive(Debug, Clone)]
pub struct InfraSettings {
    pub scope: String,
    pub names: Names,
    /// `packages/<snake name>`.
    pub project_dir: String,
    /// How the app's `package.json` depends on the constructs: `workspace:*` (pnpm), or a
    /// `file:` path for npm workspaces, whose installer rejects the `workspace:` protocol
    /// (and would look an unlisted package up in the registry by name).
    pub constructs_dependency: String,
}

impl InfraSettings {
    pub fn resolve(raw: &RawOptions, tree: &Tree) -> Result<Self, GenerateError> {
        let workspace = Workspace::load(tree)?;
        if workspace.recorded_provider == Some(IacProvider::Terraform) {
            return Err(GenerateError::WrongProvider);
        }
        let name = raw.get("name").map_or("infra", String::as_str);
        let names = Names::new(name, &workspace.scope, Some("infra"))?;
        let project_dir = format!("packages/{}", names.snake);
        if let Some(other) = workspace.projects.iter().find(|p| p.dir == project_dir)
            && other.metadata.get("generator").and_then(Value::as_str) != Some(GENERATOR)
        {
            return Err(GenerateError::DirectoryOccupied {
                dir: project_dir,
                what: format!("the project `{}`", other.name.as_deref().unwrap_or("(unnamed)")),
                project: names.snake.clone(),
            });
        }
        let constructs_dependency = if workspace.npm_workspaces {
            format!("file:{}", relative_path(&project_dir, CONSTRUCTS_DIR))
        } else {
            "workspace:*".to_owned()
        };
        Ok(Self { scope: workspace.scope, names, project_dir, constructs_dependency })
    }
}

/// Write the CDK app (and the shared constructs project when missing). Its lists of APIs and
/// websites are [`refresh`]'s.
pub fn generate(tree: &mut Tree, settings: &InfraSettings) -> Result<(), GenerateError> {
    let context = json!({
        "scope": settings.scope,
        "name": settings.names.kebab,
        "project_dir": settings.project_dir,
        "constructs_dependency": settings.constructs_dependency,
        "apis": [],
        "versions": versions(),
    });
    // Planned again, the constructs' files would replace the export lines the APIs wrote.
    if tree.read(&format!("{CONSTRUCTS_DIR}/project.json"))?.is_none() {
        ensure_constructs_project(tree, &context)?;
    }
    let renderer = Renderer::default();
    for file in
        template_set("infra").into_iter().filter(|f| f.path != APIS_TEMPLATE && f.path != WEBSITES_TEMPLATE)
    {
        let content = renderer.render(file.path, file.source, &context)?;
        let path = format!("{}/{}", settings.project_dir, file.path);
        tree.plan(&path, content.into_bytes(), fastgen_tree::Mode::Regular, Ownership::User)?;
    }
    write_project_json(tree, settings)
}

fn write_project_json(tree: &mut Tree, settings: &InfraSettings) -> Result<(), GenerateError> {
    let dir = &settings.project_dir;
    let root = vec![".."; dir.split('/').count()].join("/");
    let out = format!("{root}/dist/{dir}/cdk.out");
    let run = |command: String, depends: Value| {
        json!({
            "executor": "nx:run-commands",
            "dependsOn": depends,
            "options": { "command": command, "cwd": dir },
        })
    };
    // `cdk.json` runs the compiled app (`node dist/main.js`) and writes to `{out}`; the
    // constructs' build depends on every API's build, so the bundles exist at synth time.
    let mut synth = run(
        "tsc -p tsconfig.json && cdk synth --quiet".to_owned(),
        json!([{ "projects": [CONSTRUCTS_PROJECT], "target": "build" }]),
    );
    synth["outputs"] = json!([format!("{{workspaceRoot}}/dist/{dir}/cdk.out")]);
    let fresh = json!({
        "name": settings.names.snake,
        "$schema": format!("{root}/node_modules/nx/schemas/project-schema.json"),
        "projectType": "application",
        "sourceRoot": format!("{dir}/src"),
        "metadata": { "generator": GENERATOR },
        "targets": {
            "synth": synth,
            "deploy": run(shell_command(["cdk", "deploy", "--app", &out, "--all", "--require-approval", "never"])?, json!(["synth"])),
            "destroy": run(shell_command(["cdk", "destroy", "--app", &out, "--all", "--force"])?, json!(["synth"])),
            "build": run(shell_command(["echo", &format!("CloudFormation templates in dist/{dir}/cdk.out")])?, json!(["synth"])),
        },
    });
    let path = format!("{dir}/project.json");
    let content = match tree.read_string(&path)? {
        Some(text) => JsoncMut::parse(&path, &text)?.to_string(),
        None => to_pretty_json(&fresh),
    };
    tree.write(&path, content)?;
    Ok(())
}

/// The path from the workspace-relative directory `from` to `to` (`../common/constructs`).
fn relative_path(from: &str, to: &str) -> String {
    let from: Vec<&str> = from.split('/').collect();
    let to: Vec<&str> = to.split('/').collect();
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    let mut parts = vec![".."; from.len() - common];
    parts.extend(&to[common..]);
    parts.join("/")
}

/// The directories of the workspace's CDK apps.
pub fn apps(tree: &Tree) -> Result<Vec<String>, GenerateError> {
    let workspace = Workspace::load(tree)?;
    Ok(workspace
        .projects
        .iter()
        .filter(|p| p.metadata.get("generator").and_then(Value::as_str) == Some(GENERATOR))
        .map(|p| p.dir.clone())
        .collect())
}

/// Re-render the `apis.ts` and `websites.ts` of every CDK app in the workspace from the
/// workspace's APIs (those deployed with CDK) and websites, and make each app's `synth` run
/// after every website's `build` (the deployment uploads the build).
pub fn refresh(
    tree: &mut Tree,
    apis: &[ApiModel],
    websites: &[StaticWebsiteModel],
) -> Result<(), GenerateError> {
    let apps = apps(tree)?;
    if apps.is_empty() {
        return Ok(());
    }
    let scope = Workspace::load(tree)?.scope;
    let cdk_apis: Vec<&ApiModel> = apis.iter().filter(|api| api.iac_provider == IacProvider::Cdk).collect();
    let hosted: Vec<HostedWebsite> =
        websites.iter().map(|website| HostedWebsite::new(website, &cdk_apis)).collect();
    let cors: Vec<Cors> = cdk_apis
        .iter()
        .map(|api| Cors {
            api,
            websites: websites
                .iter()
                .filter(|w| w.is_connected_to(&api.project_name))
                .map(|w| w.var_name.as_str())
                .collect(),
        })
        .filter(|entry| !entry.websites.is_empty())
        .collect();
    let context = json!({
        "scope": scope,
        "apis": cdk_apis,
        "websites": hosted,
        "cors": cors,
        "sign_in": hosted.iter().any(|w| w.cognito),
        "connected": hosted.iter().any(|w| !w.apis.is_empty()),
        "versions": versions(),
    });
    let renderer = Renderer::default();
    let mut rendered = Vec::new();
    for file in
        template_set("infra").into_iter().filter(|f| [APIS_TEMPLATE, WEBSITES_TEMPLATE].contains(&f.path))
    {
        rendered.push((file.path, renderer.render(file.path, file.source, &context)?));
    }
    for app in apps {
        for (path, content) in &rendered {
            tree.write(&format!("{app}/{path}"), content.clone())?;
        }
        add_website_builds(tree, &app, websites)?;
    }
    Ok(())
}

/// A website as `websites.ts` deploys it: with the CDK APIs it is connected to.
#[derive(Serialize)]
struct HostedWebsite<'a> {
    #[serde(flatten)]
    website: &'a StaticWebsiteModel,
    apis: Vec<&'a ApiModel>,
    /// A connected API needs a signed-in user (Cognito or IAM auth): the Cognito ids go into
    /// its runtime configuration, and Cognito may redirect to it.
    cognito: bool,
    /// A connected API has IAM auth: the identity pool too.
    identity_pool: bool,
    /// A connected API is an HTTP API.
    http_apis: bool,
}

impl<'a> HostedWebsite<'a> {
    fn new(website: &'a StaticWebsiteModel, apis: &[&'a ApiModel]) -> Self {
        let apis: Vec<&ApiModel> =
            apis.iter().copied().filter(|api| website.is_connected_to(&api.project_name)).collect();
        Self {
            website,
            cognito: apis.iter().any(|api| matches!(api.auth, Auth::Cognito | Auth::Iam)),
            identity_pool: apis.iter().any(|api| api.auth == Auth::Iam),
            http_apis: apis.iter().any(|api| !api.is_rest),
            apis,
        }
    }
}

/// An API whose CORS `websites.ts` narrows to its websites' origins (their `var_name`s).
#[derive(Serialize)]
struct Cors<'a> {
    api: &'a ApiModel,
    websites: Vec<&'a str>,
}

/// Add each website's `build` to the `dependsOn` of the app's `synth` (a target the user
/// removed or made a string stays as it is).
fn add_website_builds(
    tree: &mut Tree,
    app: &str,
    websites: &[StaticWebsiteModel],
) -> Result<(), GenerateError> {
    let path = format!("{app}/project.json");
    let Some(text) = tree.read_string(&path)? else { return Ok(()) };
    let mut project = JsoncMut::parse(&path, &text)?;
    let synth_depends = project.value().pointer("/targets/synth/dependsOn").cloned();
    if !matches!(synth_depends, Some(Value::Array(_))) {
        return Ok(());
    }
    for website in websites {
        let build = json!({ "projects": [website.project_name], "target": "build" });
        project.push_unique(&["targets", "synth", "dependsOn"], &build)?;
    }
    // Written only when it changes, so a run with nothing to add does not list it.
    let content = project.to_string();
    if content != text {
        tree.write(&path, content)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths() {
        assert_eq!(relative_path("packages/infra", "packages/common/constructs"), "../common/constructs");
        assert_eq!(
            relative_path("apps/infra", "packages/common/constructs"),
            "../../packages/common/constructs"
        );
    }
}
