//! Raw command-line arguments (clap). Nothing here is validated beyond its shape: commands
//! resolve these into settings before any generator runs.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::generator_args::GeneratorInvocation;

/// Scaffold a production-ready Python `FastAPI` service on AWS Lambda and API Gateway, with
/// its infrastructure as code, into an Nx + pnpm + uv workspace.
#[derive(Debug, Parser)]
#[command(name = "fastgen", version, propagate_version = true, max_term_width = 100)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Args)]
pub struct GlobalArgs {
    /// The workspace or a directory in it [default: the current directory]; `generate` runs in
    /// the nearest directory with `nx.json` at or above it
    #[arg(short = 'C', long = "workspace", global = true, value_name = "DIR")]
    pub workspace: Option<PathBuf>,
    /// Compute and show every change, write nothing
    #[arg(long, global = true)]
    pub dry_run: bool,
    /// Never prompt (implied when stdin is not a terminal or `CI` is set)
    #[arg(long, global = true)]
    pub no_interactive: bool,
    /// Print a machine-readable result on stdout
    #[arg(long, global = true)]
    pub json: bool,
    /// With `--json`: every file fastgen would write with its content (`content`, or
    /// `contentBase64` when not UTF-8) and `mode`, its own bookkeeping files included
    /// (`internal`), so another tool (the Nx plugin) can apply the change set itself
    #[arg(long, global = true, requires = "json")]
    pub with_contents: bool,
    /// Print only errors
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Print more detail (the settings used, every path)
    #[arg(short, long, global = true)]
    pub verbose: bool,
    /// When to use colour (`NO_COLOR` is respected with `auto`)
    #[arg(long, global = true, value_enum, default_value_t = ColorMode::Auto, value_name = "WHEN")]
    pub color: ColorMode,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorMode {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create a new, empty workspace (optionally with APIs in it)
    New(NewArgs),
    /// Run a generator in the workspace
    #[command(visible_alias = "g")]
    Generate(GenerateArgs),
    /// Bring every API of the workspace up to this fastgen, with its recorded options
    /// (fastgen-owned files refreshed, template changes merged into yours)
    Update,
    /// Generate code from an API's OpenAPI document (run by Nx targets)
    #[command(subcommand)]
    Codegen(CodegenCommand),
    /// Print a generator's options as JSON Schema (draft 2020-12), or as the Nx plugin's
    /// schema and generator collection
    Schema {
        /// The generator (`fast-api` or an alias)
        #[arg(required_unless_present = "nx_collection")]
        generator: Option<String>,
        /// Print the Nx generator schema (`schema.json`) instead
        #[arg(long)]
        nx: bool,
        /// Print the Nx plugin's `generators.json` (every generator)
        #[arg(long, conflicts_with_all = ["generator", "nx"])]
        nx_collection: bool,
    },
    /// Serve fastgen's generators to AI agents: a Model Context Protocol server on stdin and
    /// stdout (tools `list_generators`, `generator_schema`, `plan`, `generate`,
    /// `codegen_client`, `codegen_metadata`, `workspace_info`)
    Mcp,
    /// Print shell completions
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
}

#[derive(Debug, Args)]
pub struct NewArgs {
    /// Directory to create (must not exist, or be empty)
    pub dir: PathBuf,
    /// Infrastructure as code for the workspace's APIs
    #[arg(long = "iac-provider", visible_alias = "iacProvider", value_enum, ignore_case = true, default_value_t = Provider::Cdk)]
    pub iac_provider: Provider,
    /// npm scope of the workspace's packages [default: the directory name]
    #[arg(long)]
    pub scope: Option<String>,
    /// Also generate a `FastAPI` with this name (repeatable)
    #[arg(long = "api", value_name = "NAME")]
    pub apis: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Provider {
    #[value(name = "CDK")]
    Cdk,
    #[value(name = "Terraform")]
    Terraform,
}

#[derive(Debug, Args)]
pub struct GenerateArgs {
    #[command(subcommand)]
    pub generator: GeneratorInvocation,
}

#[derive(Debug, Subcommand)]
pub enum CodegenCommand {
    /// Write `metadata.gen.ts` (CDK) and `operations.json` (Terraform) from an OpenAPI document
    Metadata {
        /// The OpenAPI document (the API's `openapi` target output)
        #[arg(long, value_name = "OPENAPI_JSON")]
        spec: PathBuf,
        /// The directory to write into (created when missing)
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
    },
    /// Write the typed TypeScript client (`types.gen.ts`, `client.gen.ts`) and its query
    /// options for `@tanstack/react-query` (`options.gen.ts`) from an OpenAPI document
    Client {
        /// The OpenAPI document (the API's `openapi` target output)
        #[arg(long, value_name = "OPENAPI_JSON")]
        spec: PathBuf,
        /// The directory to write into (created when missing)
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
        /// The client class name (default: the document's `info.title` in Pascal case)
        #[arg(long, value_name = "NAME")]
        class_name: Option<String>,
    },
}
