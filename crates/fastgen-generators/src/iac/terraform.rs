//! The Terraform side of an API (`iacProvider=Terraform`): the shared
//! `packages/common/terraform` project (generic modules, created with the first API) and,
//! per API, its module (`src/app/apis/<kebab>`) and an example root module
//! (`examples/<kebab>`). Each API's `operations.json` is written by its
//! `generate:<kebab>-metadata` target into `src/generated/<kebab>/`, where the API module
//! reads it.

use fastgen_tree::Tree;
use serde_json::{Map, Value, json};

use crate::api::ApiModel;
use crate::error::GenerateError;
use crate::iac::project::{IacProject, run};
use crate::options::ComputeType;
use crate::render::render_set;

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
