//! `fastgen generate <generator>`.

use anyhow::Context;
use fastgen_generators::GenerateError;
use fastgen_generators::app::InfraSettings;
use fastgen_generators::connection::{ConnectionSettings, LOCAL_MODE};
use fastgen_generators::options::{Auth, ComputeType, GeneratorDef, RawOptions};
use fastgen_generators::plan;
use fastgen_generators::python::{self, FastApiSettings};
use fastgen_generators::website::WebsiteSettings;
use fastgen_tree::Tree;

use crate::cli::GlobalArgs;
use crate::generator_args::GeneratorInvocation;
use crate::output::Printer;
use crate::prompt;

pub fn run(global: &GlobalArgs, invocation: GeneratorInvocation) -> anyhow::Result<()> {
    let printer = Printer::new(global);
    let root = super::existing_workspace(global.workspace.as_deref())?;
    let _lock = super::lock_workspace(&root, &printer)?;
    let mut options = invocation.options;
    let missing = invocation.generator.options.iter().any(|o| o.required && !options.contains_key(o.name));
    let mut tree = Tree::new(&root);
    if missing && prompt::interactive(global.no_interactive) {
        let recorded = |options: &RawOptions| match invocation.generator.name {
            "fast-api" => python::recorded_options(options, &tree).unwrap_or_default(),
            _ => RawOptions::new(),
        };
        prompt::fill(invocation.generator, &mut options, &recorded)
            .context("prompting for options failed")?;
    }
    let next = plan(&mut tree, invocation.generator, &options, &printer)?;
    super::finish(&tree, global.dry_run, &printer, &next)
}

/// Resolve `options` into `generator`'s settings and plan the generator into `tree`; the
/// commands to run afterwards. The one path from options to a change set: `fastgen
/// generate` and the MCP tools `plan` and `generate` both come through here.
pub fn plan(
    tree: &mut Tree,
    generator: &GeneratorDef,
    options: &RawOptions,
    printer: &Printer,
) -> Result<Vec<String>, GenerateError> {
    Ok(match generator.name {
        "infra" => {
            let settings = InfraSettings::resolve(options, tree)?;
            plan::infra(tree, &settings)?;
            let project = &settings.names.snake;
            vec![
                "pnpm install".to_owned(),
                format!("pnpm nx run {project}:synth"),
                format!("pnpm nx run {project}:deploy"),
            ]
        }
        "website" => {
            let settings = WebsiteSettings::resolve(options, tree)?;
            printer.detail(&format!("settings: {settings:#?}"));
            plan::website(tree, &settings)?;
            let project = &settings.names.kebab;
            vec![
                "pnpm install".to_owned(),
                format!("pnpm nx run {project}:serve    # http://127.0.0.1:{}/", settings.port),
                format!("pnpm nx run {project}:build"),
            ]
        }
        "connection" => {
            let settings = ConnectionSettings::resolve(options, tree)?;
            printer.detail(&format!("settings: {settings:#?}"));
            let outcome = plan::connection(tree, &settings)?;
            for note in &outcome.notes {
                printer.warn(note);
            }
            let website = &settings.website.project;
            let api = &settings.api;
            let mut steps = Vec::new();
            if outcome.dependencies_added {
                steps.push("pnpm install".to_owned());
            }
            steps.push(format!(
                "pnpm nx run {website}:{LOCAL_MODE}    # http://127.0.0.1:{}/ calling {} on http://localhost:{}/, without sign-in",
                settings.website.port, api.project, api.port
            ));
            steps.push(format!("pnpm nx run {website}:build"));
            steps
        }
        _ => next_steps(&plan_fast_api(tree, options, printer)?, None),
    })
}

/// Resolve settings and run the fast-api generator on `tree`, with the warnings its
/// options deserve.
pub fn plan_fast_api(
    tree: &mut Tree,
    options: &RawOptions,
    printer: &Printer,
) -> Result<FastApiSettings, GenerateError> {
    let settings = FastApiSettings::resolve(options, tree)?;
    printer.detail(&format!("settings: {settings:#?}"));
    if settings.auth == Auth::None {
        printer.warn(&format!(
            "`--auth None`: the API `{}` will be public; anyone who knows its URL can call it",
            settings.names.raw
        ));
    }
    if settings.compute_type == ComputeType::HttpApi {
        printer.info(
            "note: HTTP APIs buffer responses; `JsonStreamingResponse` streams only through a REST API",
        );
    }
    plan::api(tree, &settings)?;
    Ok(settings)
}

/// The commands to run after a generation.
pub fn next_steps(settings: &FastApiSettings, cd: Option<&str>) -> Vec<String> {
    let project = &settings.names.project;
    let mut steps = Vec::new();
    if let Some(dir) = cd {
        steps.push(format!("cd {dir}"));
    }
    steps.push("uv sync".to_owned());
    steps.push("pnpm install".to_owned());
    steps.push(format!("pnpm nx run {project}:serve    # http://127.0.0.1:{}/docs", settings.port));
    steps.push(format!("pnpm nx run {project}:build"));
    steps
}
