//! The website's `project.json`: Nx name, metadata and the targets that run Vite, Vitest
//! and tsc from the project's own `node_modules/.bin`; merged on a re-run
//! ([`crate::project_json`]).

use fastgen_tree::Tree;
use serde_json::{Value, json};

use crate::error::GenerateError;
use crate::escape::shell_command;
use crate::project_json::write_merged;
use crate::website::WebsiteSettings;

pub(super) fn write(tree: &mut Tree, settings: &WebsiteSettings) -> Result<(), GenerateError> {
    let path = format!("{}/project.json", settings.project_dir);
    write_merged(tree, &path, &project(settings)?, "fastgen generate website")
}

fn project(settings: &WebsiteSettings) -> Result<Value, GenerateError> {
    let dir = settings.project_dir.as_str();
    let run = |command: String| json!({ "executor": "nx:run-commands", "options": { "command": command, "cwd": dir } });
    let port = settings.port.to_string();
    // The port is the one fastgen allocated and recorded: taken, the server fails rather
    // than moving to another one nobody expects.
    let listen = ["--host", "127.0.0.1", "--port", port.as_str(), "--strictPort"];
    let mut serve = run(shell_command(["vite"].into_iter().chain(listen))?);
    serve["continuous"] = json!(true);
    let mut preview = run(shell_command(["vite", "preview"].into_iter().chain(listen))?);
    preview["dependsOn"] = json!(["build"]);
    preview["continuous"] = json!(true);
    // `outDir` is set in `vite.config.ts`, so `vite build` and `vite preview` agree on it
    // with or without Nx.
    let mut build = run("vite build".to_owned());
    build["dependsOn"] = json!(["^build", "typecheck"]);
    build["outputs"] = json!([format!("{{workspaceRoot}}/{}", settings.dist_dir())]);
    let typecheck = json!({
        "executor": "nx:run-commands",
        "options": {
            "commands": ["tsc -p tsconfig.json", "tsc -p tsconfig.node.json"],
            "parallel": false,
            "cwd": dir,
        },
    });
    Ok(json!({
        "name": settings.names.kebab,
        "$schema": format!("{}/node_modules/nx/schemas/project-schema.json", settings.root_from_project()),
        "projectType": "application",
        "sourceRoot": format!("{dir}/src"),
        "metadata": serde_json::to_value(settings.metadata()).unwrap_or(Value::Null),
        "targets": {
            "serve": serve,
            "build": build,
            "preview": preview,
            "test": run("vitest run".to_owned()),
            "typecheck": typecheck,
        },
    }))
}
