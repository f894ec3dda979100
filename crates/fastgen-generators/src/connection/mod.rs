//! `fastgen generate connection --source <website> --target <api>`: a website calls an API.
//!
//! In the website: a target `generate:<api kebab>-client` that runs `fastgen codegen client`
//! on the API's OpenAPI document into `src/generated/<api kebab>/` (git-ignored) after the
//! API's `openapi` target, and that `typecheck`, `build`, `serve`, `serve-local` and `test`
//! depend on; a provider and hooks per API (`src/connections/apis/<api kebab>.tsx`), the
//! providers of every connected API around the router (`src/connections/index.tsx`, wired into
//! `src/app.tsx` once), sign-in through the Cognito hosted UI when an API has IAM or Cognito
//! auth (`src/connections/auth/`), the API's local URL in `public/runtime-config.json`, and a
//! `serve-local` target (Vite mode `serve-local`: every API at its local `serve` port, without
//! sign-in, said on screen).
//!
//! Every rendered file is the user's once written (merged on a re-run against its baseline);
//! `project.json`, `package.json`, `public/runtime-config.json`, `.gitignore` and the wiring
//! of `src/app.tsx` are edits computed from the files as they are, which add what is missing
//! and keep everything else. The website's `metadata.connections` records the connected APIs,
//! so connecting another one renders the shared files for all of them. Knows websites and APIs
//! only through their recorded `project.json` metadata.

mod definition;
mod settings;

use fastgen_tree::{Mode, Ownership, Tree};
use fastgen_workspace::{JsoncMut, add_gitignore_lines, to_pretty_json};
use serde::Serialize;
use serde_json::{Value, json};

pub use definition::DEFINITION;
pub use settings::{CONNECTIONS_KEY, ConnectedApi, ConnectedWebsite, ConnectionSettings};

use crate::distribution;
use crate::error::GenerateError;
use crate::escape::shell_command;
use crate::iac::project::add_depends_on;
use crate::options::Auth;
use crate::render::{Renderer, template_set};
use crate::versions::versions;

/// The Vite mode of the `serve-local` target, which the website's code checks.
pub const LOCAL_MODE: &str = "serve-local";

/// The template set of the shared files and the per-API file (`apis/__kebab__.tsx`).
const TEMPLATES: &str = "connection";
/// The `SigV4` signer IAM APIs need, copied as it is.
const SIGV4_TEMPLATES: &str = "connection-iam";
/// Files rendered only when an API needs a signed-in user (IAM or Cognito auth).
const SIGN_IN_ONLY: &[&str] = &["src/connections/auth/sign-in.tsx", "src/connections/auth/sign-in.test.tsx"];
/// Files rendered only when an API has IAM auth.
const IAM_ONLY: &[&str] =
    &["src/connections/auth/aws-credentials.ts", "src/connections/auth/aws-credentials.test.ts"];
/// The per-API file.
const PER_API: &str = "src/connections/apis/__kebab__.tsx";

/// The template context.
#[derive(Serialize)]
struct Context<'a> {
    /// The website's Nx project name.
    website: &'a str,
    website_port: u16,
    /// Every connected API.
    apis: &'a [ConnectedApi],
    /// The API of the per-API file (the first one elsewhere).
    api: &'a ConnectedApi,
    /// Whether any API needs a signed-in user.
    sign_in: bool,
    /// Whether any API has IAM auth.
    iam: bool,
    local_mode: &'static str,
    versions: Value,
}

/// What a connection did that the user should know (shown after the change list).
#[derive(Debug, Default)]
pub struct Outcome {
    /// Something fastgen could not do for the user, and how to do it by hand.
    pub notes: Vec<String>,
    /// Whether `package.json` gained dependencies (`pnpm install` is due).
    pub dependencies_added: bool,
}

/// Plan the connection of `settings.api` to `settings.website` into `tree`.
pub fn generate(tree: &mut Tree, settings: &ConnectionSettings) -> Result<Outcome, GenerateError> {
    let dir = settings.website.dir.as_str();
    let sign_in = settings.apis.iter().any(ConnectedApi::needs_sign_in);
    let iam = settings.apis.iter().any(|a| a.auth == Auth::Iam);
    let renderer = Renderer::default();
    let context = |api| Context {
        website: &settings.website.project,
        website_port: settings.website.port,
        apis: &settings.apis,
        api,
        sign_in,
        iam,
        local_mode: LOCAL_MODE,
        versions: versions(),
    };
    for file in template_set(TEMPLATES) {
        if (SIGN_IN_ONLY.contains(&file.path) && !sign_in) || (IAM_ONLY.contains(&file.path) && !iam) {
            continue;
        }
        if file.path == PER_API {
            for api in &settings.apis {
                let content = renderer.render(file.path, file.source, &context(api))?;
                let path = format!("{dir}/{}", file.path.replace("__kebab__", &api.kebab));
                tree.plan(&path, content.into_bytes(), Mode::Regular, Ownership::User)?;
            }
            continue;
        }
        let content = renderer.render(file.path, file.source, &context(&settings.api))?;
        tree.plan(&format!("{dir}/{}", file.path), content.into_bytes(), Mode::Regular, Ownership::User)?;
    }
    if iam {
        for file in template_set(SIGV4_TEMPLATES) {
            // Plain TypeScript (its test proves there is nothing a template engine would change).
            let path = format!("{dir}/src/connections/auth/{}", file.path);
            tree.plan(&path, file.source.as_bytes().to_vec(), Mode::Regular, Ownership::User)?;
        }
    }

    let mut outcome = Outcome::default();
    edit_project_json(tree, settings)?;
    outcome.dependencies_added = sign_in && add_dependencies(tree, dir)?;
    add_local_urls(tree, settings)?;
    let gitignore = format!("{dir}/.gitignore");
    let current = tree.read(&gitignore)?.unwrap_or_default();
    let (content, _) = add_gitignore_lines(&current, &["src/generated/"]);
    tree.write(&gitignore, content)?;
    if let Some(note) = wire_app(tree, dir)? {
        outcome.notes.push(note);
    }
    Ok(outcome)
}

/// The client target of `api` in the website: `fastgen codegen client` on the API's OpenAPI
/// document, after the API's `openapi` target; cached on that document and fastgen's version.
fn client_target(website_dir: &str, api: &ConnectedApi) -> Result<Value, GenerateError> {
    let out = format!("{website_dir}/src/generated/{}", api.kebab);
    let command = shell_command([
        "fastgen",
        "codegen",
        "client",
        "--spec",
        &api.spec,
        "--out",
        &out,
        "--class-name",
        &api.class_name,
    ])?;
    Ok(json!({
        "executor": "nx:run-commands",
        "options": { "command": distribution::run_fastgen(&command), "cwd": "." },
        "dependsOn": [{ "projects": [api.project], "target": "openapi" }],
        // The document is git-ignored (Nx hashes no ignored file): the `openapi` task's output
        // is hashed instead, with the fastgen that turns it into code.
        "inputs": [
            { "dependentTasksOutputFiles": "**/openapi.json", "transitive": false },
            { "runtime": distribution::version_input() },
        ],
        "outputs": [format!("{{workspaceRoot}}/{out}")],
        "cache": true,
    }))
}

/// The targets that read the generated clients, and so run after them.
const AFTER_CLIENTS: [&str; 5] = ["typecheck", "build", "serve", "serve-local", "test"];
/// The cached targets among them whose inputs must include the generated (git-ignored)
/// clients; `build` has them from `nx.json`'s `targetDefaults`.
const HASH_CLIENTS: [&str; 2] = ["typecheck", "test"];

/// Add the client targets, `serve-local` and the `dependsOn` entries to the website's
/// `project.json`, and record the connections in its metadata. What is there is kept: a
/// target the user changed stays theirs, and only missing entries are added.
fn edit_project_json(tree: &mut Tree, settings: &ConnectionSettings) -> Result<(), GenerateError> {
    let dir = settings.website.dir.as_str();
    let path = format!("{dir}/project.json");
    let Some(text) = tree.read_string(&path)? else { return Ok(()) };
    let mut project = JsoncMut::parse(&path, &text)?;
    if project.value().get("metadata").is_some_and(Value::is_object) {
        project.set(&["metadata"], settings::CONNECTIONS_KEY, &json!(settings.recorded()))?;
    }
    if !project.value().get("targets").is_some_and(Value::is_object) {
        tree.write(&path, project.to_string())?;
        return Ok(());
    }
    let port = settings.website.port.to_string();
    let serve_local = shell_command([
        "vite",
        "--mode",
        LOCAL_MODE,
        "--host",
        "127.0.0.1",
        "--port",
        port.as_str(),
        "--strictPort",
    ])?;
    project.insert(
        &["targets"],
        "serve-local",
        &json!({
            "executor": "nx:run-commands",
            "options": { "command": serve_local, "cwd": dir },
            "continuous": true,
        }),
    )?;
    for api in &settings.apis {
        let name = format!("generate:{}-client", api.kebab);
        project.insert(&["targets"], &name, &client_target(dir, api)?)?;
        for target in AFTER_CLIENTS {
            add_depends_on(&mut project, target, &json!(name))?;
        }
        // The API itself, for local development: its `serve` is continuous, so Nx starts it
        // beside the site.
        add_depends_on(
            &mut project,
            "serve-local",
            &json!({ "projects": [api.project], "target": "serve" }),
        )?;
    }
    let generated = json!({ "dependentTasksOutputFiles": "**/*", "transitive": false });
    for target in HASH_CLIENTS {
        let Some(existing) =
            project.value().get("targets").and_then(|t| t.get(target)).and_then(Value::as_object).cloned()
        else {
            continue;
        };
        match existing.get("inputs") {
            // What `targetDefaults` gives a `typecheck` or `test`, and the clients.
            None => {
                project.insert(
                    &["targets", target],
                    "inputs",
                    &json!(["default", "^production", generated]),
                )?;
            }
            Some(Value::Array(_)) => {
                project.push_unique(&["targets", target, "inputs"], &generated)?;
            }
            Some(_) => {}
        }
    }
    tree.write(&path, project.to_string())?;
    Ok(())
}

/// The OIDC library sign-in needs, exact-pinned, in the website's `dependencies` (a version the
/// user set is kept). Whether anything was added.
fn add_dependencies(tree: &mut Tree, dir: &str) -> Result<bool, GenerateError> {
    let path = format!("{dir}/package.json");
    let Some(text) = tree.read_string(&path)? else { return Ok(false) };
    let mut package = JsoncMut::parse(&path, &text)?;
    if !package.value().get("dependencies").is_some_and(Value::is_object) {
        package.insert(&[], "dependencies", &json!({}))?;
    }
    let npm = &versions()["npm"];
    let mut added = false;
    for (name, key) in [("oidc-client-ts", "oidc_client_ts"), ("react-oidc-context", "react_oidc_context")] {
        let version = npm.get(key).and_then(Value::as_str).unwrap_or_default();
        added |= package.insert(&["dependencies"], name, &json!(version))? == fastgen_workspace::Edit::Added;
    }
    tree.write(&path, package.to_string())?;
    Ok(added)
}

/// Each API's local URL in `public/runtime-config.json` (what `serve` and `preview` read), under
/// its class name; a URL already there is kept.
fn add_local_urls(tree: &mut Tree, settings: &ConnectionSettings) -> Result<(), GenerateError> {
    let path = format!("{}/public/runtime-config.json", settings.website.dir);
    let text = match tree.read_string(&path)? {
        Some(text) => text,
        None => to_pretty_json(&json!({ "apis": {} })),
    };
    let mut config = JsoncMut::parse(&path, &text)?;
    match config.value().get("apis") {
        None => {
            config.insert(&[], "apis", &json!({}))?;
        }
        Some(Value::Object(_)) => {}
        // Not the shape the site reads; the site says so on screen.
        Some(_) => return Ok(()),
    }
    for api in &settings.apis {
        config.insert(&["apis"], &api.class_name, &json!(local_url(api)))?;
    }
    tree.write(&path, config.to_string())?;
    Ok(())
}

/// Where the API's `serve` target answers.
fn local_url(api: &ConnectedApi) -> String {
    format!("http://localhost:{}/", api.port)
}

/// The import `src/app.tsx` gains.
const IMPORT: &str = "import { Connections } from './connections';";
/// The line of the router in `src/app.tsx` as the website generator writes it.
const ROUTER: &str = "<RouterProvider router={router} />";

/// Put `<Connections>` around the router in the website's `src/app.tsx`, once: an import line
/// and two lines around the router's, so that a later 3-way merge of the file sees three small
/// additions. When the router line is not there as the website generator wrote it, nothing is
/// changed and the note says what to do.
fn wire_app(tree: &mut Tree, dir: &str) -> Result<Option<String>, GenerateError> {
    let path = format!("{dir}/src/app.tsx");
    let Some(text) = tree.read_string(&path)? else {
        return Ok(Some(format!(
            "`{path}` does not exist: put `<Connections>` (from `./connections`) around the components that call the APIs"
        )));
    };
    if text.contains("<Connections>") {
        return Ok(None);
    }
    match wired(&text) {
        Some(wired) => {
            tree.write(&path, wired)?;
            Ok(None)
        }
        None => Ok(Some(format!(
            "`{path}` has no line `{ROUTER}`, so the API providers are not wired in: add `{IMPORT}` and put `<Connections>` around the components that call the APIs (inside `<QueryClientProvider>` and `<ConfigProvider>`)"
        ))),
    }
}

/// `text` with the import and `<Connections>` around its one router line; `None` without
/// exactly one such line.
fn wired(text: &str) -> Option<String> {
    let newline = if text.contains("\r\n") { "\r\n" } else { "\n" };
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let routers: Vec<usize> = (0..lines.len()).filter(|&i| lines[i].trim() == ROUTER).collect();
    let [router] = routers.as_slice() else { return None };
    let indent: String = lines[*router].chars().take_while(|c| *c == ' ' || *c == '\t').collect();
    // Before the first local import that sorts after `./connections`, else after the last
    // import statement of the file's head.
    let mut last_import_end = None;
    let mut before = None;
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i].trim_start();
        if line.starts_with("import ") {
            let start = i;
            while !lines[i].trim_end().ends_with(';') && i + 1 < lines.len() {
                i += 1;
            }
            let statement: String = lines[start..=i].concat();
            if before.is_none()
                && let Some(from) = statement.rsplit(" from ").next()
                && let Some(module) = from.trim().trim_end_matches(';').strip_prefix('\'')
                && module.starts_with("./")
                && module.trim_end_matches('\'') > "./connections"
            {
                before = Some(start);
            }
            last_import_end = Some(i);
        } else if !(line.is_empty() || line.starts_with("//")) {
            break;
        }
        i += 1;
    }
    let at = before.or(last_import_end.map(|end| end + 1))?;
    let mut out = String::with_capacity(text.len() + 100);
    for (index, line) in lines.iter().enumerate() {
        if index == at {
            out.push_str(IMPORT);
            out.push_str(newline);
        }
        if index == *router {
            out.push_str(&format!("{indent}<Connections>{newline}"));
            out.push_str(&format!("{indent}  {ROUTER}{newline}"));
            out.push_str(&format!("{indent}</Connections>"));
            out.push_str(if line.ends_with('\n') { newline } else { "" });
        } else {
            out.push_str(line);
        }
    }
    Some(out)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    const APP: &str = "import { QueryClient, QueryClientProvider } from '@tanstack/react-query';\nimport { useState } from 'react';\n\nimport type { RuntimeConfig } from './config';\nimport { router } from './router';\n\nexport function App() {\n  return (\n    <QueryClientProvider client={queryClient}>\n      <RouterProvider router={router} />\n    </QueryClientProvider>\n  );\n}\n";

    #[test]
    fn the_router_is_wrapped_and_the_import_sorted_in() {
        let out = wired(APP).unwrap();
        assert_eq!(
            out,
            "import { QueryClient, QueryClientProvider } from '@tanstack/react-query';\nimport { useState } from 'react';\n\nimport type { RuntimeConfig } from './config';\nimport { Connections } from './connections';\nimport { router } from './router';\n\nexport function App() {\n  return (\n    <QueryClientProvider client={queryClient}>\n      <Connections>\n        <RouterProvider router={router} />\n      </Connections>\n    </QueryClientProvider>\n  );\n}\n"
        );
        let crlf = wired(&APP.replace('\n', "\r\n")).unwrap();
        assert_eq!(crlf, out.replace('\n', "\r\n"));
    }

    #[test]
    fn without_exactly_one_router_line_nothing_is_wired() {
        assert_eq!(wired("export const x = 1;\n"), None);
        let twice = APP.replace(
            "      <RouterProvider router={router} />\n",
            "      <RouterProvider router={router} />\n      <RouterProvider router={router} />\n",
        );
        assert_eq!(wired(&twice), None);
        // A multi-line import and no local import after `./connections`: after the last one.
        assert_eq!(wired("import {\n  a,\n} from './a';\n\nx(<RouterProvider router={router} />);\n"), None);
        let app = "import {\n  a,\n} from './a';\n\n  <RouterProvider router={router} />\n";
        assert_eq!(
            wired(app).unwrap(),
            "import {\n  a,\n} from './a';\nimport { Connections } from './connections';\n\n  <Connections>\n    <RouterProvider router={router} />\n  </Connections>\n"
        );
    }
}
