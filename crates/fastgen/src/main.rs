//! The `fastgen` binary: parses arguments, runs a command, prints the result. Generators live
//! in `fastgen-generators`; this crate only wires them to the terminal and the disk.

mod cli;
mod commands;
mod generator_args;
mod output;
mod prompt;

use std::process::ExitCode;

use clap::{CommandFactory, Parser};
use fastgen_generators::GenerateError;
use fastgen_generators::options::{GENERATORS, find_generator};
use fastgen_generators::schema::{json_schema, nx_collection, nx_schema};
use fastgen_tree::TreeError;
use fastgen_workspace::WorkspaceError;

use crate::cli::{Cli, ColorMode, Command};

/// A problem with the command line itself (exit code 2), with its fix.
#[derive(Debug)]
pub struct UsageError {
    message: String,
    hint: String,
}

impl UsageError {
    pub fn new(message: impl Into<String>, hint: impl Into<String>) -> Self {
        Self { message: message.into(), hint: hint.into() }
    }
}

impl std::fmt::Display for UsageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for UsageError {}

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
            let generator = generator.as_deref().unwrap_or_default();
            let Some(def) = find_generator(generator) else {
                anyhow::bail!(UsageError::new(
                    format!("there is no generator `{generator}`"),
                    "run `fastgen generate --help` to list the generators",
                ));
            };
            let schema = if *nx { nx_schema(def) } else { json_schema(def) };
            output::data(&serde_json::to_string_pretty(&schema)?);
            Ok(())
        }
        Command::Completions { shell } => {
            // Into memory first: clap_complete panics when it cannot write.
            let mut script = Vec::new();
            clap_complete::generate(*shell, &mut Cli::command(), "fastgen", &mut script);
            output::data(String::from_utf8_lossy(&script).trim_end_matches('\n'));
            Ok(())
        }
    }
}

/// Print an error with its causes and hint; pick the exit code.
fn report(json: bool, err: &anyhow::Error) -> ExitCode {
    let mut usage = false;
    let mut hint = None;
    if let Some(e) = err.downcast_ref::<GenerateError>() {
        usage = e.is_usage();
        hint = e.hint();
    } else if let Some(e) = err.downcast_ref::<WorkspaceError>() {
        hint = e.hint();
    } else if let Some(e) = err.downcast_ref::<fastgen_openapi::OpenApiError>() {
        hint = Some(e.hint());
    } else if err.downcast_ref::<commands::MergeConflicts>().is_some() {
        // With `--json`, stdout already holds the change set (each conflict in it): one
        // document, so the error goes to stderr only.
        output::error(false, &err.to_string(), &[], Some(commands::MergeConflicts::HINT));
        return ExitCode::FAILURE;
    } else if err.downcast_ref::<commands::NotAWorkspace>().is_some() {
        hint = Some(commands::NotAWorkspace::HINT.to_owned());
    } else if let Some(e) = err.downcast_ref::<UsageError>() {
        usage = true;
        hint = Some(e.hint.clone());
    } else if let Some(e) = err.downcast_ref::<TreeError>() {
        hint = e.hint();
        if matches!(e, TreeError::Interrupted) {
            let causes: Vec<String> = Vec::new();
            output::error(json, &err.to_string(), &causes, None);
            return ExitCode::from(130);
        }
    }
    let causes: Vec<String> = err.chain().skip(1).map(ToString::to_string).collect();
    output::error(json, &err.to_string(), &causes, hint.as_deref());
    if usage { ExitCode::from(2) } else { ExitCode::FAILURE }
}
