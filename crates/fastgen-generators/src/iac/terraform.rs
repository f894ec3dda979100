//! The Terraform side of an API (`iacProvider=Terraform`): the shared
//! `packages/common/terraform` project (generic modules, created with the first API) and,
//! per API, its module (`src/app/apis/<kebab>`) and an example root module
//! (`examples/<kebab>`). Each API's `operations.json` is written by its
//! `generate:<kebab>-metadata` target into `src/generated/<kebab>/`, where the API module
//! reads it. Where the modules are, every website gets a module too
//! (`src/app/static-websites/<kebab>`, on the generic `src/core/static-website`) and an
//! example root module deploying it with the APIs it is connected to
//! (`examples/website-<kebab>`).

use fastgen_tree::Tree;
use fastgen_workspace::IacProvider;
use fastgen_workspace::JsoncMut;
use serde::Serialize;
use serde_json::{Map, Value, json};

use crate::api::ApiModel;
use crate::error::GenerateError;
use crate::iac::project::{IacProject, run};
use crate::options::Auth;
use crate::options::ComputeType;
use crate::render::render_set;
use crate::static_website::StaticWebsiteModel;

/// Where the Terraform modules live.
pub const TERRAFORM_DIR: &str = "packages/common/terraform";

const TERRAFORM: IacProject = IacProject {
    dir: TERRAFORM_DIR,
    name: "common-terraform",
    generator: "fastgen#terraform",
    generated: "src/generated",
    source_root: TERRAFORM_DIR,
    after_metadata: "build",
};

/// Add one API's modules (and the shared project, the first time).
pub fn add_api(tree: &mut Tree, api: &ApiModel) -> Result<(), GenerateError> {
    render_set(tree, "terraform", TERRAFORM_DIR, api, &|p| p.to_owned())?;
    TERRAFORM.ensure(tree, base_targets())?;
    let core = match api.compute_type {
        ComputeType::RestApi => "terraform-rest",
        ComputeType::HttpApi => "terraform-http",
    };
    render_set(tree, core, TERRAFORM_DIR, api, &|p| p.to_owned())?;
    let kebab = api.kebab_name.clone();
    render_set(tree, "terraform-api", TERRAFORM_DIR, api, &|p| p.replace("__kebab__", &kebab))?;
    TERRAFORM.add_api_targets(tree, api)
}

/// Whether the workspace has the Terraform modules (planned ones included).
pub fn exists(tree: &Tree) -> Result<bool, GenerateError> {
    Ok(tree.read(&format!("{TERRAFORM_DIR}/project.json"))?.is_some())
}

/// A website as its example root module deploys it: with the Terraform APIs it is connected to.
#[derive(Serialize)]
struct WebsiteContext<'a> {
    #[serde(flatten)]
    website: &'a StaticWebsiteModel,
    apis: Vec<ConnectedApi<'a>>,
    /// A connected API is a REST API: the example sets up the region's API Gateway logging role.
    any_rest: bool,
    /// A connected API has Cognito or IAM auth: the example creates the user pool, its client
    /// and its sign-in domain, and writes their ids into the runtime configuration.
    cognito: bool,
    /// A connected API has IAM auth: the example creates an identity pool whose authenticated
    /// role may invoke those APIs (the site signs its requests with that role's credentials).
    identity_pool: bool,
    /// A connected API is an HTTP API.
    http_apis: bool,
}

#[derive(Serialize)]
struct ConnectedApi<'a> {
    api: &'a ApiModel,
    /// Its module's name in the example (`api_my_api`).
    module: String,
    /// Spaces after its class name, so the `apis` map is aligned as `terraform fmt` aligns it.
    pad: String,
}

/// Add one website's module and example root module (and the generic static website module),
/// and make the project's `build` run after the website's `build` (the example uploads it).
pub fn add_website(
    tree: &mut Tree,
    website: &StaticWebsiteModel,
    apis: &[ApiModel],
) -> Result<(), GenerateError> {
    render_set(tree, "terraform-static-website", TERRAFORM_DIR, website, &|p| p.to_owned())?;
    let connected: Vec<&ApiModel> = apis
        .iter()
        .filter(|api| {
            api.iac_provider == IacProvider::Terraform && website.is_connected_to(&api.project_name)
        })
        .collect();
    let width = connected.iter().map(|api| api.class_name.len()).max().unwrap_or(0);
    let context = WebsiteContext {
        website,
        any_rest: connected.iter().any(|api| api.is_rest),
        cognito: connected.iter().any(|api| matches!(api.auth, Auth::Cognito | Auth::Iam)),
        identity_pool: connected.iter().any(|api| api.auth == Auth::Iam),
        http_apis: connected.iter().any(|api| !api.is_rest),
        apis: connected
            .iter()
            .map(|api| ConnectedApi {
                api,
                module: format!("api_{}", api.snake_name),
                pad: " ".repeat(width - api.class_name.len()),
            })
            .collect(),
    };
    let kebab = website.kebab_name.clone();
    render_set(tree, "terraform-website", TERRAFORM_DIR, &context, &|p| p.replace("__kebab__", &kebab))?;
    let path = format!("{TERRAFORM_DIR}/project.json");
    let Some(text) = tree.read_string(&path)? else { return Ok(()) };
    let mut project = JsoncMut::parse(&path, &text)?;
    if matches!(project.value().pointer("/targets/build/dependsOn"), Some(Value::Array(_))) {
        let build = json!({ "projects": [website.project_name], "target": "build" });
        project.push_unique(&["targets", "build", "dependsOn"], &build)?;
        let content = project.to_string();
        if content != text {
            tree.write(&path, content)?;
        }
    }
    Ok(())
}

fn base_targets() -> Map<String, Value> {
    let mut fmt = run(TERRAFORM_DIR, "terraform fmt -check -recursive");
    fmt["cache"] = json!(true);
    // Isolated APIs read their generated operations.json, so validate after the build.
    let mut validate = run(
        TERRAFORM_DIR,
        "for example in examples/*/; do terraform -chdir=\"$example\" init -backend=false -input=false >/dev/null && terraform -chdir=\"$example\" validate || exit 1; done",
    );
    validate["dependsOn"] = json!(["build"]);
    let scan =
        run(TERRAFORM_DIR, "checkov --directory . --framework terraform --quiet --compact --skip-download");
    let mut build = run(
        TERRAFORM_DIR,
        "echo \"Terraform modules in packages/common/terraform are formatted and have their operations.json\"",
    );
    build["dependsOn"] = json!(["fmt"]);
    let mut targets = Map::new();
    targets.insert("fmt".into(), fmt);
    targets.insert("validate".into(), validate);
    targets.insert("scan".into(), scan);
    targets.insert("build".into(), build);
    targets
}
