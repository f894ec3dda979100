//! Interactive prompts, driven by the option definitions: a form that offers every option
//! with its default and a one-line explanation, like the seed's "Generate (UI)".

use std::io::IsTerminal;

use dialoguer::{Input, Select};
use fastgen_generators::options::{GeneratorDef, Kind, RawOptions};

/// Whether prompting is allowed: a terminal on stdin, no `--no-interactive`, no `CI`.
pub fn interactive(no_interactive: bool) -> bool {
    !no_interactive && std::env::var_os("CI").is_none() && std::io::stdin().is_terminal()
}

/// Ask for every option not given on the command line. Once the positional option (the
/// name) is known, `recorded` says what an existing project recorded: those values are
/// offered as the defaults, so accepting every default changes nothing.
pub fn fill(
    generator: &GeneratorDef,
    options: &mut RawOptions,
    recorded: &dyn Fn(&RawOptions) -> RawOptions,
) -> anyhow::Result<()> {
    let mut defaults = recorded(options);
    for option in generator.options {
        if options.contains_key(option.name) {
            continue;
        }
        let default = defaults.get(option.name).map(String::as_str).or(option.default);
        let value = match option.kind {
            Kind::Enum(choices) => {
                let items: Vec<String> =
                    choices.iter().map(|c| format!("{:<28} {}", c.value, c.help)).collect();
                let default = choices.iter().position(|c| Some(c.value) == default).unwrap_or(0);
                let index = Select::new()
                    .with_prompt(format!("{} (--{})", option.prompt, option.name))
                    .items(&items)
                    .default(default)
                    .interact()?;
                choices.get(index).map(|c| c.value.to_owned())
            }
            Kind::String | Kind::Project => {
                let mut input = Input::<String>::new()
                    .with_prompt(format!("{} (--{})", option.prompt, option.name))
                    .allow_empty(!option.required);
                if let Some(default) = default {
                    input = input.default(default.to_owned());
                }
                let value = input.interact_text()?;
                (!value.trim().is_empty()).then(|| value.trim().to_owned())
            }
        };
        if let Some(value) = value {
            options.insert(option.name, option.normalize(&value)?);
            if option.positional {
                defaults = recorded(options);
            }
        }
    }
    Ok(())
}
