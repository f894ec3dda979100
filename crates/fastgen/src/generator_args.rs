//! Generator subcommands and their flags, built from the option definitions in
//! `fastgen_generators::options` — the same table that drives prompts and `fastgen schema`.

use clap::{Arg, ArgMatches, Command, FromArgMatches, Subcommand};
use fastgen_generators::options::{
    Choice, GENERATORS, GeneratorDef, Kind, OptionDef, RawOptions, find_generator,
};

/// Positional arguments are registered under `<option>@positional`.
const POSITIONAL: &str = "@positional";

/// A generator chosen on the command line, with the option values given (normalised).
#[derive(Debug, Clone)]
pub struct GeneratorInvocation {
    pub generator: &'static GeneratorDef,
    pub options: RawOptions,
}

fn arg_for(option: &'static OptionDef) -> Arg {
    let mut help = option.description.to_owned();
    if let Kind::Enum(choices) = option.kind {
        let values: Vec<String> = choices.iter().map(Choice::label).collect();
        help.push_str(&format!(" [values: {}]", values.join(", ")));
    }
    if let Some(default) = option.default {
        help.push_str(&format!(" [default: {default}]"));
    }
    let mut arg = Arg::new(option.name)
        .long(option.name)
        .value_name(option.kebab.to_ascii_uppercase().replace('-', "_"))
        .help(help)
        .value_parser(move |value: &str| option.normalize(value));
    if option.kebab != option.name {
        arg = arg.visible_alias(option.kebab);
    }
    arg
}

fn command_for(generator: &'static GeneratorDef) -> Command {
    let mut command = Command::new(generator.name)
        .visible_aliases(generator.aliases.iter().copied())
        .about(generator.description);
    for option in generator.options {
        command = command.arg(arg_for(option));
        if option.positional {
            let id = format!("{}{POSITIONAL}", option.name);
            command = command.arg(
                Arg::new(id)
                    .index(1)
                    .value_name(option.name.to_ascii_uppercase())
                    .help(format!("{} (or `--{}`)", option.description, option.name))
                    .conflicts_with(option.name)
                    .value_parser(move |value: &str| option.normalize(value)),
            );
        }
    }
    command
}

impl FromArgMatches for GeneratorInvocation {
    fn from_arg_matches(matches: &ArgMatches) -> Result<Self, clap::Error> {
        let Some((name, sub)) = matches.subcommand() else {
            return Err(clap::Error::new(clap::error::ErrorKind::MissingSubcommand));
        };
        let generator = find_generator(name)
            .ok_or_else(|| clap::Error::new(clap::error::ErrorKind::InvalidSubcommand))?;
        let mut options = RawOptions::new();
        for option in generator.options {
            let positional = format!("{}{POSITIONAL}", option.name);
            let value = sub
                .get_one::<String>(option.name)
                .or_else(|| if option.positional { sub.get_one::<String>(&positional) } else { None });
            if let Some(value) = value {
                options.insert(option.name, value.clone());
            }
        }
        Ok(Self { generator, options })
    }

    fn update_from_arg_matches(&mut self, matches: &ArgMatches) -> Result<(), clap::Error> {
        *self = Self::from_arg_matches(matches)?;
        Ok(())
    }
}

impl Subcommand for GeneratorInvocation {
    fn augment_subcommands(mut command: Command) -> Command {
        for generator in GENERATORS {
            command = command.subcommand(command_for(generator));
        }
        command.subcommand_required(true).arg_required_else_help(true)
    }

    fn augment_subcommands_for_update(command: Command) -> Command {
        Self::augment_subcommands(command)
    }

    fn has_subcommand(name: &str) -> bool {
        find_generator(name).is_some()
    }
}

/// Option values given by name rather than as flags (the MCP tools' `options` object): each
/// name is one of `generator`'s options, camelCase or kebab-case as its flag accepts, and
/// each value is normalised by the same [`OptionDef::normalize`] as the flag's value.
pub fn options_by_name<'a>(
    generator: &'static GeneratorDef,
    values: impl IntoIterator<Item = (&'a str, &'a str)>,
) -> Result<RawOptions, crate::UsageError> {
    let help = format!("run `fastgen schema {}` to see its options", generator.name);
    let mut options = RawOptions::new();
    for (name, value) in values {
        let Some(option) = generator.options.iter().find(|o| o.name == name || o.kebab == name) else {
            return Err(crate::UsageError::new(
                format!("unexpected argument `--{name}` for `fastgen generate {}`", generator.name),
                help,
            ));
        };
        let value = option.normalize(value).map_err(|err| crate::UsageError::new(err.to_string(), &help))?;
        if options.insert(option.name, value).is_some() {
            return Err(crate::UsageError::new(
                format!("the argument `--{}` was given more than once", option.name),
                "give each option once, by its camelCase or its kebab-case name",
            ));
        }
    }
    Ok(options)
}
