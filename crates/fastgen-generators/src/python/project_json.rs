//! The project's `project.json`: Nx name, metadata and targets, merged on a re-run
//! ([`crate::project_json`]).

use fastgen_tree::Tree;
use serde_json::{Map, Value, json};

use crate::api::ApiModel;
use crate::error::GenerateError;
use crate::escape::shell_command;
use crate::project_json::write_merged;
use crate::python::runtime::{RUNTIME_DIR, RUNTIME_PROJECT};

pub(super) fn write(tree: &mut Tree, api: &ApiModel) -> Result<(), GenerateError> {
    let path = format!("{}/project.json", api.project_dir);
    write_merged(tree, &path, &project(api)?, "fastgen generate fast-api")
}

fn project(api: &ApiModel) -> Result<Value, GenerateError> {
    let dir = &api.project_dir;
    let root = api.root_from_project();
    Ok(json!({
        "name": api.project_name,
        "$schema": format!("{root}/node_modules/nx/schemas/project-schema.json"),
        "projectType": "application",
        "sourceRoot": format!("{dir}/{}", api.module),
        "metadata": api.metadata().to_value(),
        // The runtime package's changes reach this project's cached targets (test, bundle, …).
        "implicitDependencies": [RUNTIME_PROJECT],
        "targets": targets(api)?,
    }))
}

/// An `nx:run-commands` target. Nx runs each command through a shell, so every command is
/// built word by word with [`shell_command`]; `cwd` is a path, not shell-interpreted.
fn run(cwd: &str, commands: &[String]) -> Value {
    let mut options = Map::new();
    if let [command] = commands {
        options.insert("command".into(), json!(command));
    } else {
        options.insert("commands".into(), json!(commands));
        options.insert("parallel".into(), json!(false));
    }
    options.insert("cwd".into(), json!(cwd));
    json!({ "executor": "nx:run-commands", "options": options })
}

fn targets(api: &ApiModel) -> Result<Value, GenerateError> {
    let dir = api.project_dir.as_str();
    let root = api.root_from_project();
    let dist = &api.dist_dir;
    let port = api.port.to_string();
    let bundle = &api.bundle_dir;
    let bundle_from_project = format!("{root}/{bundle}");
    let requirements = format!("{root}/{bundle}.requirements.txt");
    let sdk_requirements = format!("{root}/{bundle}.aws-sdk.requirements.txt");
    let runtime = format!("{root}/{RUNTIME_DIR}");
    let run_sh = format!("{bundle_from_project}/run.sh");
    let openapi_json = format!("{root}/{dist}/openapi/openapi.json");
    let app = format!("{}.main:app", api.module);
    let platform = api.architecture.wheel_platform();
    let python = api.lambda_python;
    let serve =
        shell_command(["uv", "run", "uvicorn", &app, "--reload", "--host", "127.0.0.1", "--port", &port])?;
    let mut serve_target = run(dir, std::slice::from_ref(&serve));
    serve_target["continuous"] = json!(true);
    let mut dev_target = run(dir, &[serve]);
    dev_target["continuous"] = json!(true);
    dev_target["options"]["env"] = json!({ "LOCAL_DEV": "true" });
    let mut openapi =
        run(dir, &[shell_command(["uv", "run", "python", "scripts/generate_open_api.py", &openapi_json])?]);
    openapi["outputs"] = json!([format!("{{workspaceRoot}}/{dist}/openapi")]);
    let install = ["uv", "pip", "install", "--quiet", "--no-deps", "--target", &bundle_from_project];
    let for_lambda = ["--python-platform", platform, "--python-version", python];
    // The locked runtime dependencies, exported twice and installed together: once without
    // botocore and what only it needs (30 MB: the Lambda Python runtime provides it, and in
    // Lambda the X-Ray SDK, its only user here, does not import it), once without the X-Ray
    // SDK, which keeps botocore when anything else (the API's own boto3, say) needs it.
    let export = [
        "uv",
        "export",
        "--quiet",
        "--frozen",
        "--no-dev",
        "--no-editable",
        "--no-emit-workspace",
        "--no-hashes",
        "--package",
        &api.dist_name,
    ];
    let mut bundle_target = run(
        dir,
        &[
            shell_command(["rm", "-rf", &bundle_from_project])?,
            shell_command(export.into_iter().chain(["--prune", "botocore", "-o", &requirements]))?,
            shell_command(export.into_iter().chain(["--prune", "aws-xray-sdk", "-o", &sdk_requirements]))?,
            shell_command(install.into_iter().chain(for_lambda).chain([
                "--only-binary",
                ":all:",
                "-r",
                &requirements,
                "-r",
                &sdk_requirements,
            ]))?,
            // The workspace's runtime package and the project's own, as wheels (not editable).
            shell_command(install.into_iter().chain(for_lambda).chain([runtime.as_str(), "."]))?,
            shell_command(["cp", "-p", "run.sh", &run_sh])?,
            shell_command(["chmod", "755", &run_sh])?,
            // Cut what the function never reads; precompile what a cold start imports, with
            // the Lambda runtime's Python (the runtime package's script, which says so when
            // that Python is not on this machine).
            shell_command([
                "uv",
                "run",
                "python",
                &format!("{runtime}/scripts/finish_bundle.py"),
                &bundle_from_project,
                "--app",
                &app,
                "--python",
                python,
            ])?,
        ],
    );
    bundle_target["outputs"] = json!([format!("{{workspaceRoot}}/{bundle}")]);
    let mut lint = run(dir, &["uv run ruff check".to_owned(), "uv run ruff format --check".to_owned()]);
    lint["cache"] = json!(true);
    let built = format!("{} built: {bundle} and {dist}/openapi/openapi.json", api.project_name);
    let mut build = run(dir, &[shell_command(["echo", &built])?]);
    build["dependsOn"] = json!(["lint", "typecheck", "test", "openapi", "bundle"]);
    Ok(json!({
        "serve": serve_target,
        "dev": dev_target,
        "test": run(dir, &["uv run pytest".to_owned()]),
        "lint": lint,
        "format": run(dir, &["uv run ruff format".to_owned(), "uv run ruff check --fix".to_owned()]),
        "typecheck": run(dir, &["uv run mypy".to_owned()]),
        "openapi": openapi,
        "bundle": bundle_target,
        "build": build,
    }))
}
