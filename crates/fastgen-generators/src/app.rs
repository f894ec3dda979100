//! `fastgen generate infra`: a CDK application (`packages/infra`) that deploys every CDK API
//! of the workspace. Its `src/stacks/apis.ts` is fastgen's and is re-rendered from the
//! workspace's APIs (`&[ApiModel]`, given by [`crate::plan`]) whenever an API is generated;
//! everything else is the user's after creation.

use fastgen_tree::{Ownership, Tree};
use fastgen_workspace::{IacProvider, JsoncMut, Names, Workspace, to_pretty_json};
use serde_json::{Value, json};

use crate::api::ApiModel;
use crate::error::GenerateError;
use crate::escape::shell_command;
use crate::iac::cdk::{CONSTRUCTS_DIR, CONSTRUCTS_PROJECT, ensure_constructs_project};
use crate::options::{GeneratorDef, Kind, OptionDef, RawOptions};
use crate::render::{Renderer, template_set};
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

/// Write the CDK app (and the shared constructs project when missing), deploying `apis`.
pub fn generate(tree: &mut Tree, settings: &InfraSettings, apis: &[ApiModel]) -> Result<(), GenerateError> {
    let context = json!({
        "scope": settings.scope,
        "name": settings.names.kebab,
        "project_dir": settings.project_dir,
        "constructs_dependency": settings.constructs_dependency,
        "apis": [],
        "versions": versions(),
    });
    ensure_constructs_project(tree, &context)?;
    let renderer = Renderer::default();
    for file in template_set("infra").into_iter().filter(|f| f.path != APIS_TEMPLATE) {
        let content = renderer.render(file.path, file.source, &context)?;
        let path = format!("{}/{}", settings.project_dir, file.path);
        tree.plan(&path, content.into_bytes(), fastgen_tree::Mode::Regular, Ownership::User)?;
    }
    write_project_json(tree, settings)?;
    refresh_apis(tree, apis)
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

/// Re-render the `apis.ts` of every CDK app in the workspace from the workspace's APIs (those
/// deployed with CDK).
pub fn refresh_apis(tree: &mut Tree, apis: &[ApiModel]) -> Result<(), GenerateError> {
    let workspace = Workspace::load(tree)?;
    let apps: Vec<String> = workspace
        .projects
        .iter()
        .filter(|p| p.metadata.get("generator").and_then(Value::as_str) == Some(GENERATOR))
        .map(|p| p.dir.clone())
        .collect();
    if apps.is_empty() {
        return Ok(());
    }
    let cdk_apis: Vec<&ApiModel> = apis.iter().filter(|api| api.iac_provider == IacProvider::Cdk).collect();
    let Some(template) = template_set("infra").into_iter().find(|f| f.path == APIS_TEMPLATE) else {
        return Ok(());
    };
    let context = json!({ "scope": workspace.scope, "apis": cdk_apis, "versions": versions() });
    let content = Renderer::default().render(template.path, template.source, &context)?;
    for app in apps {
        tree.write(&format!("{app}/{APIS_TEMPLATE}"), content.clone())?;
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
