//! JSON Schema (draft 2020-12) of a generator's options, built from the same
//! [`OptionDef`](crate::options::OptionDef) table that drives parsing and prompts.

use serde_json::{Map, Value, json};

use crate::options::{GeneratorDef, Kind};

/// The JSON Schema of `generator`'s options.
pub fn json_schema(generator: &GeneratorDef) -> Value {
    let mut properties = Map::new();
    let mut required = Vec::new();
    for option in generator.options {
        let mut property = Map::new();
        property.insert("type".into(), json!("string"));
        property.insert("description".into(), json!(option.description));
        if let Kind::Enum(choices) = option.kind {
            property.insert("enum".into(), json!(choices.iter().map(|c| c.value).collect::<Vec<_>>()));
            let aliases: Map<String, Value> = choices
                .iter()
                .filter(|c| !c.aliases.is_empty())
                .map(|c| (c.value.to_owned(), json!(c.aliases)))
                .collect();
            if !aliases.is_empty() {
                property.insert("x-aliases".into(), Value::Object(aliases));
            }
            property.insert(
                "x-enum-descriptions".into(),
                json!(choices.iter().map(|c| c.help).collect::<Vec<_>>()),
            );
        }
        if let Some(default) = option.default {
            property.insert("default".into(), json!(default));
        }
        property.insert("x-prompt".into(), json!(option.prompt));
        property.insert(
            "x-cli-flags".into(),
            json!([format!("--{}", option.name), format!("--{}", option.kebab)]),
        );
        if option.positional {
            property.insert("x-positional".into(), json!(0));
        }
        if option.required {
            required.push(option.name);
        }
        properties.insert(option.name.to_owned(), Value::Object(property));
    }
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": format!("fastgen://generators/{}", generator.name),
        "title": generator.name,
        "description": generator.description,
        "x-aliases": generator.aliases,
        "type": "object",
        "properties": properties,
        "required": required,
        "additionalProperties": false,
    })
}

/// The generator's options as an Nx generator schema (`schema.json` of the npm package's
/// Nx plugin), from the same table: Nx Console renders its form from this, and `nx g`
/// prompts with it. Enums become `x-prompt` lists with each choice's help; the positional
/// option takes the first argument (`$default`); required options are `x-priority:
/// important`, so Nx Console shows them first; defaults are described, not declared.
pub fn nx_schema(generator: &GeneratorDef) -> Value {
    let mut properties = Map::new();
    let mut required = Vec::new();
    for option in generator.options {
        let mut property = Map::new();
        property.insert("type".into(), json!("string"));
        property.insert("description".into(), json!(option.description));
        match option.kind {
            Kind::Enum(choices) => {
                property.insert("enum".into(), json!(choices.iter().map(|c| c.value).collect::<Vec<_>>()));
                let items: Vec<Value> = choices
                    .iter()
                    .map(|c| json!({ "value": c.value, "label": format!("{} ({})", c.value, c.help) }))
                    .collect();
                property.insert(
                    "x-prompt".into(),
                    json!({ "message": option.prompt, "type": "list", "items": items }),
                );
            }
            Kind::String => {
                property.insert("x-prompt".into(), json!(option.prompt));
            }
            // Nx Console offers the workspace's projects to pick from.
            Kind::Project => {
                property.insert("x-prompt".into(), json!(option.prompt));
                property.insert("x-dropdown".into(), json!("projects"));
            }
        }
        // No `default`: Nx would pass it as if the user had typed it, and a re-run over an
        // existing API would then reset the options it recorded. fastgen applies defaults
        // itself (recorded value first); the description says what they are.
        if let Some(default) = option.default {
            property.insert(
                "description".into(),
                json!(format!("{}. Default: {default}.", option.description.trim_end_matches('.'))),
            );
        }
        if option.positional {
            property.insert("$default".into(), json!({ "$source": "argv", "index": 0 }));
        }
        if option.required {
            property.insert("x-priority".into(), json!("important"));
            required.push(option.name);
        }
        properties.insert(option.name.to_owned(), Value::Object(property));
    }
    json!({
        "$schema": "https://json-schema.org/schema",
        "$id": format!("fastgen-{}", generator.name),
        "cli": "nx",
        "title": generator.name,
        "description": generator.description,
        "type": "object",
        "properties": properties,
        "required": required,
    })
}

/// The Nx plugin's `generators.json`: every generator under its Nx name (the first alias,
/// `py#fast-api`, as the reference plugin's users type it, else its own name) with its other
/// names as aliases, the plugin's factory and the schema file `nx_schema` writes.
pub fn nx_collection(generators: &[GeneratorDef]) -> Value {
    let mut entries = Map::new();
    for generator in generators {
        let nx_name = generator.aliases.iter().find(|a| a.contains('#')).copied().unwrap_or(generator.name);
        let aliases: Vec<&str> = std::iter::once(generator.name)
            .chain(generator.aliases.iter().copied())
            .filter(|a| *a != nx_name)
            .collect();
        entries.insert(
            nx_name.to_owned(),
            json!({
                "factory": format!("./nx/generator.cjs#{}", generator.name),
                "schema": format!("./nx/schemas/{}.json", generator.name),
                "description": generator.description,
                "aliases": aliases,
            }),
        );
    }
    json!({ "name": "fastgen", "version": env!("CARGO_PKG_VERSION"), "generators": entries })
}
