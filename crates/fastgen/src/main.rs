//! The `fastgen` binary: parses arguments, runs a command, prints the result. Generators live
//! in `fastgen-generators`; this crate only wires them to the terminal and the disk.

mod cli;
mod commands;
mod error;
mod generator_args;
mod mcp;
mod output;
mod prompt;

use std::process::ExitCode;

use clap::{CommandFactory, Parser};
use fastgen_generators::options::{GENERATORS, GeneratorDef, find_generator};
use fastgen_generators::schema::{json_schema, nx_collection, nx_schema};

use crate::cli::{Cli, ColorMode, Command};
pub use crate::error::UsageError;
use crate::error::{Failure, Refusal};

fn main() -> ExitCode {
    let cli = Cli::parse();
    let choice = match cli.global.color {
        ColorMode::Always => anstream::ColorChoice::Always,
        ColorMode::Never => anstream::ColorChoice::Never,
        ColorMode::Auto => anstream::ColorChoice::Auto,
    };
    choice.write_global();
    commands::handle_interrupts();
    match run(&cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => report(cli.global.json, &err),
    }
}

fn run(cli: &Cli) -> anyhow::Result<()> {
    match &cli.command {
        Command::New(args) => commands::new::run(&cli.global, args),
        Command::Generate(args) => commands::generate::run(&cli.global, args.generator.clone()),
        Command::Update => commands::update::run(&cli.global),
        Command::Codegen(command) => commands::codegen::run(&cli.global, command),
        Command::Schema { nx_collection: true, .. } => {
            output::data(&serde_json::to_string_pretty(&nx_collection(GENERATORS))?);
            Ok(())
        }
        Command::Schema { generator, nx, .. } => {
            let schema = schema(generator.as_deref().unwrap_or_default(), *nx)?;
            output::data(&serde_json::to_string_pretty(&schema)?);
            Ok(())
        }
        Command::Mcp => mcp::serve(),
        Command::Completions { shell } => {
            // Into memory first: clap_complete panics when it cannot write.
            let mut script = Vec::new();
            clap_complete::generate(*shell, &mut Cli::command(), "fastgen", &mut script);
            output::data(String::from_utf8_lossy(&script).trim_end_matches('\n'));
            Ok(())
        }
    }
}

/// A generator's options as JSON Schema, or as the Nx plugin's schema (`fastgen schema`, and
/// the MCP tool `generator_schema`).
pub fn schema(generator: &str, nx: bool) -> anyhow::Result<serde_json::Value> {
    let def = self::generator(generator)?;
    Ok(if nx { nx_schema(def) } else { json_schema(def) })
}

/// The generator of that name or alias.
pub fn generator(name: &str) -> Result<&'static GeneratorDef, UsageError> {
    find_generator(name).ok_or_else(|| {
        UsageError::new(
            format!("there is no generator `{name}`"),
            "run `fastgen generate --help` to list the generators",
        )
    })
}

/// Print an error with its causes and hint; pick the exit code.
fn report(json: bool, err: &anyhow::Error) -> ExitCode {
    let mut refusal = Refusal::of(err);
    match refusal.failure {
        Failure::MergeConflicts => {
            // With `--json`, stdout already holds the change set (each conflict in it): one
            // document, so the error goes to stderr only.
            output::error(false, &refusal);
            ExitCode::FAILURE
        }
        Failure::Interrupted => {
            refusal.hint = None;
            output::error(json, &refusal);
            ExitCode::from(130)
        }
        Failure::Usage => {
            output::error(json, &refusal);
            ExitCode::from(2)
        }
        Failure::Other => {
            output::error(json, &refusal);
            ExitCode::FAILURE
        }
    }
}
