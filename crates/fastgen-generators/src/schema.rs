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
