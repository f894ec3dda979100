//! The tools: their names, descriptions and input schemas, and what each call does. Each
//! reads its arguments strictly ([`Args`]), then calls the functions the CLI's commands call.

use std::path::Path;

use fastgen_generators::options::{GENERATORS, Kind};
use fastgen_generators::python;
use fastgen_tree::{ChangeSet, Tree};
use fastgen_workspace::{IacProvider, Workspace};
use rmcp::model::{Tool, ToolAnnotations};
use serde_json::{Map, Value, json};

use super::args::Args;
use super::{Failure, schema};
use crate::commands::codegen::{self, Request, Target};
use crate::commands::{self, update};
use crate::error::Refusal;
use crate::generator_args::options_by_name;
use crate::output::{self, Printer};

pub const LIST_GENERATORS: &str = "list_generators";
pub const GENERATOR_SCHEMA: &str = "generator_schema";
pub const PLAN: &str = "plan";
pub const GENERATE: &str = "generate";
pub const CODEGEN_CLIENT: &str = "codegen_client";
pub const CODEGEN_METADATA: &str = "codegen_metadata";
pub const WORKSPACE_INFO: &str = "workspace_info";

/// Every tool, in the order `tools/list` gives them.
pub const NAMES: &[&str] =
    &[LIST_GENERATORS, GENERATOR_SCHEMA, PLAN, GENERATE, CODEGEN_CLIENT, CODEGEN_METADATA, WORKSPACE_INFO];

const WORKSPACE_DOC: &str = "A directory of the Nx workspace, absolute or relative to the server's working directory: the workspace is the nearest directory with `nx.json` at or above it (as `fastgen -C <dir>`)";

/// The `tools/list` answer.
pub fn definitions() -> Vec<Tool> {
    let workspace = json!({ "type": "string", "description": WORKSPACE_DOC });
    let generator = json!({
        "type": "string",
        "description": "The generator (`fast-api`, `infra`, `website`, `connection`, or an alias)",
    });
    let options = json!({
        "type": "object",
        "description": "The generator's options by name, camelCase or kebab-case (`{\"name\": \"my-api\", \"computeType\": \"HttpApi\"}`); `generator_schema` describes them. Values are strings, as on the command line",
        "additionalProperties": { "type": ["string", "number", "boolean", "null"] },
    });
    let generate_input = json!({
        "type": "object",
        "properties": { "workspace": workspace, "generator": generator, "options": options },
        "required": ["workspace", "generator"],
        "additionalProperties": false,
    });
    let codegen_input = |client: bool| {
        let mut properties = json!({
            "workspace": workspace,
            "spec": { "type": "string", "description": "The OpenAPI document (the API's `openapi` target output), relative to the workspace or absolute; it must be inside the workspace" },
            "out": { "type": "string", "description": "The directory to write into (created when missing), relative to the workspace or absolute; it must be inside the workspace" },
            "dryRun": { "type": "boolean", "description": "Compute the change set, write nothing", "default": false },
        });
        if client {
            properties["className"] = json!({ "type": "string", "description": "The client class name (default: the document's `info.title` in Pascal case)" });
        }
        json!({
            "type": "object",
            "properties": properties,
            "required": ["workspace", "spec", "out"],
            "additionalProperties": false,
        })
    };
    let reads = ToolAnnotations::new().read_only(true).open_world(false);
    let writes =
        ToolAnnotations::new().read_only(false).destructive(false).idempotent(true).open_world(false);
    vec![
        Tool::new(
            LIST_GENERATORS,
            "The generators fastgen has, each with its aliases, description and option table (name, kebab-case flag, description, values, default, whether required)",
            schema(json!({ "type": "object", "properties": {}, "additionalProperties": false })),
        )
        .annotate(reads.clone()),
        Tool::new(
            GENERATOR_SCHEMA,
            "A generator's options as JSON Schema (draft 2020-12), as `fastgen schema <generator>` prints it; with `nx`, as the Nx plugin's `schema.json`",
            schema(json!({
                "type": "object",
                "properties": {
                    "generator": generator,
                    "nx": { "type": "boolean", "description": "The Nx generator schema instead", "default": false },
                },
                "required": ["generator"],
                "additionalProperties": false,
            })),
        )
        .annotate(reads.clone()),
        Tool::new(
            PLAN,
            "Dry run of a generator in a workspace: the change set it would make, per file CREATE, UPDATE, UNCHANGED, KEEP, MERGE or CONFLICT with its diff, and the next steps. Writes nothing. Options are validated exactly as `fastgen generate` validates them",
            schema(generate_input.clone()),
        )
        .annotate(reads.clone()),
        Tool::new(
            GENERATE,
            "Run a generator in a workspace and write its change set (all files or none), returning the same report as `plan`. A refusal (an invalid option, a file fastgen will not overwrite, merge conflicts) is a tool error with the message and a hint",
            schema(generate_input),
        )
        .annotate(writes.clone()),
        Tool::new(
            CODEGEN_CLIENT,
            "`fastgen codegen client`: write the typed TypeScript client (`types.gen.ts`, `client.gen.ts`, `options.gen.ts`) from an API's OpenAPI document",
            schema(codegen_input(true)),
        )
        .annotate(writes.clone()),
        Tool::new(
            CODEGEN_METADATA,
            "`fastgen codegen metadata`: write `metadata.gen.ts` (CDK) and `operations.json` (Terraform) from an API's OpenAPI document",
            schema(codegen_input(false)),
        )
        .annotate(writes),
        Tool::new(
            WORKSPACE_INFO,
            "What a workspace holds: its npm scope and infrastructure provider, its fastgen APIs with the options each recorded (what a re-run or `fastgen update` keeps) and ports, and every project with its ports",
            schema(json!({
                "type": "object",
                "properties": { "workspace": workspace },
                "required": ["workspace"],
                "additionalProperties": false,
            })),
        )
        .annotate(reads),
    ]
}

/// Run the tool `name` with `arguments`: its result document, or the refusal.
pub fn call(name: &str, arguments: &Map<String, Value>) -> Result<Value, Failure> {
    match name {
        LIST_GENERATORS => {
            Args::new(LIST_GENERATORS, arguments, &[])?;
            Ok(list_generators())
        }
        GENERATOR_SCHEMA => {
            let args = Args::new(GENERATOR_SCHEMA, arguments, &["generator", "nx"])?;
            Ok(crate::schema(args.required("generator")?, args.flag("nx")?)?)
        }
        PLAN => generate(PLAN, arguments, true),
        GENERATE => generate(GENERATE, arguments, false),
        CODEGEN_CLIENT => codegen(CODEGEN_CLIENT, arguments),
        CODEGEN_METADATA => codegen(CODEGEN_METADATA, arguments),
        WORKSPACE_INFO => workspace_info(arguments),
        _ => Err(crate::UsageError::new(
            format!("there is no tool `{name}`"),
            "call `tools/list` to see the tools",
        ))?,
    }
}

fn list_generators() -> Value {
    let generators: Vec<Value> = GENERATORS
        .iter()
        .map(|generator| {
            let options: Vec<Value> = generator
                .options
                .iter()
                .map(|option| {
                    let mut entry = json!({
                        "name": option.name,
                        "flag": format!("--{}", option.kebab),
                        "description": option.description,
                        "required": option.required,
                    });
                    if let Kind::Enum(choices) = option.kind {
                        entry["values"] = json!(choices.iter().map(|c| c.value).collect::<Vec<_>>());
                    }
                    if let Some(default) = option.default {
                        entry["default"] = json!(default);
                    }
                    entry
                })
                .collect();
            json!({
                "name": generator.name,
                "aliases": generator.aliases,
                "description": generator.description,
                "options": options,
            })
        })
        .collect();
    json!({ "generators": generators })
}

/// The workspace a call names, resolved as `-C` is: canonical, at or below an `nx.json`.
fn workspace(args: &Args) -> anyhow::Result<std::path::PathBuf> {
    let dir = args.required("workspace")?;
    commands::existing_workspace(Some(Path::new(dir)))
}

/// `plan` (a dry run) and `generate`: `fastgen generate`, never prompting.
fn generate(tool: &'static str, arguments: &Map<String, Value>, dry_run: bool) -> Result<Value, Failure> {
    let args = Args::new(tool, arguments, &["workspace", "generator", "options"])?;
    let root = workspace(&args)?;
    let generator = crate::generator(args.required("generator")?)?;
    let pairs = args.options("options")?;
    let options = options_by_name(generator, pairs.iter().map(|(name, value)| (*name, value.as_str())))?;
    let printer = Printer::collecting();
    let _lock = commands::lock_workspace(&root, &printer)?;
    let mut tree = Tree::new(&root);
    let next =
        commands::generate::plan(&mut tree, generator, &options, &printer).map_err(anyhow::Error::from)?;
    let changes = tree.changes().map_err(anyhow::Error::from)?;
    report(&changes, dry_run, &next, &printer)
}

/// `codegen_client` and `codegen_metadata`: `fastgen codegen …`, with paths taken from the
/// workspace and confined to it.
fn codegen(tool: &'static str, arguments: &Map<String, Value>) -> Result<Value, Failure> {
    let client = tool == CODEGEN_CLIENT;
    let known: &[&str] = if client {
        &["workspace", "spec", "out", "className", "dryRun"]
    } else {
        &["workspace", "spec", "out", "dryRun"]
    };
    let args = Args::new(tool, arguments, known)?;
    let root = workspace(&args)?;
    let target = if client {
        Target::Client { class_name: args.string("className")?.map(str::to_owned) }
    } else {
        Target::Metadata
    };
    let request = Request { spec: args.path("spec")?, out: args.path("out")?, target };
    let dry_run = args.flag("dryRun")?;
    let (spec_rel, out_rel) = codegen::confine(&root, &root, &request)?;
    let printer = Printer::collecting();
    let _lock = commands::lock_workspace(&root, &printer)?;
    let mut tree = Tree::new(&root);
    codegen::plan(&mut tree, &request, &spec_rel, &out_rel, &printer)?;
    let changes = tree.changes().map_err(anyhow::Error::from)?;
    report(&changes, dry_run, &[], &printer)
}

/// The change set document (`--json`, with a diff for each new file too), with the run's
/// warnings and notes; committed first unless this is a dry run.
fn report(changes: &ChangeSet, dry_run: bool, next: &[String], printer: &Printer) -> Result<Value, Failure> {
    let written = if dry_run { Ok(()) } else { commands::write(changes) };
    let mut document = output::json_document(changes, dry_run, next, false);
    // New files come with their content too, as a diff from nothing.
    if let Some(entries) = document["files"].as_array_mut() {
        for entry in entries.iter_mut().filter(|entry| entry["action"] == "CREATE") {
            let change = changes.files.iter().find(|file| entry["path"] == file.path.as_str());
            let diff = change.map(fastgen_tree::FileChange::creation_diff).unwrap_or_default();
            if !diff.is_empty() {
                entry["diff"] = json!(diff);
            }
        }
    }
    document["notes"] = json!(printer.notes());
    match written {
        Ok(()) => Ok(document),
        Err(err) => Err(Failure { refusal: Box::new(Refusal::of(&err)), changes: Some(document) }),
    }
}

fn workspace_info(arguments: &Map<String, Value>) -> Result<Value, Failure> {
    let args = Args::new(WORKSPACE_INFO, arguments, &["workspace"])?;
    let root = workspace(&args)?;
    let tree = Tree::new(&root);
    let workspace = Workspace::load(&tree).map_err(anyhow::Error::from)?;
    let mut apis = Vec::new();
    for project in &workspace.projects {
        let Some(mut options) = update::api_options(project) else { continue };
        let recorded = python::recorded_options(&options, &tree).map_err(anyhow::Error::from)?;
        options.extend(recorded);
        apis.push(json!({
            "project": project.name,
            "dir": project.dir,
            "options": options,
            "ports": project.ports,
        }));
    }
    let projects: Vec<Value> = workspace
        .projects
        .iter()
        .map(|project| {
            json!({
                "name": project.name,
                "dir": project.dir,
                "generator": project.metadata.get("generator"),
                "ports": project.ports,
            })
        })
        .collect();
    Ok(json!({
        "workspace": root.display().to_string(),
        "scope": workspace.scope,
        "iacProvider": workspace.recorded_provider.map(IacProvider::as_str),
        "apis": apis,
        "projects": projects,
    }))
}
