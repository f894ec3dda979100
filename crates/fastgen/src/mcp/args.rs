//! A tool's JSON arguments, read strictly: an unknown argument, a missing one or a value of
//! the wrong type is refused with a usage error, as a wrong flag is on the command line.

use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

use crate::UsageError;

/// The arguments of one call of `tool`.
pub struct Args<'a> {
    tool: &'static str,
    values: &'a Map<String, Value>,
}

impl<'a> Args<'a> {
    /// `values`, when each of its keys is one of `known`.
    pub fn new(
        tool: &'static str,
        values: &'a Map<String, Value>,
        known: &[&str],
    ) -> Result<Self, UsageError> {
        if let Some(unknown) = values.keys().find(|key| !known.contains(&key.as_str())) {
            return Err(UsageError::new(
                format!("unexpected argument `{unknown}` for the tool `{tool}`"),
                format!("the arguments of `{tool}` are: {}", quoted(known)),
            ));
        }
        Ok(Self { tool, values })
    }

    /// A string argument, when given (`null` counts as not given).
    pub fn string(&self, name: &str) -> Result<Option<&'a str>, UsageError> {
        match self.values.get(name) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(value)) => Ok(Some(value)),
            Some(other) => Err(self.wrong_type(name, "a string", other)),
        }
    }

    /// A string argument that must be given.
    pub fn required(&self, name: &str) -> Result<&'a str, UsageError> {
        self.string(name)?.ok_or_else(|| {
            UsageError::new(
                format!("the tool `{}` needs the argument `{name}`", self.tool),
                format!("pass `{name}` (see the tool's input schema)"),
            )
        })
    }

    /// A path argument that must be given.
    pub fn path(&self, name: &str) -> Result<PathBuf, UsageError> {
        Ok(Path::new(self.required(name)?).to_path_buf())
    }

    /// A boolean argument; `false` when not given.
    pub fn flag(&self, name: &str) -> Result<bool, UsageError> {
        match self.values.get(name) {
            None | Some(Value::Null) => Ok(false),
            Some(Value::Bool(value)) => Ok(*value),
            Some(other) => Err(self.wrong_type(name, "true or false", other)),
        }
    }

    /// An object of option values (`{"name": "my-api", "auth": "IAM"}`) as name and text
    /// pairs. Numbers and booleans are taken as their text, as a shell would pass them;
    /// `null` leaves the option out.
    pub fn options(&self, name: &str) -> Result<Vec<(&'a str, String)>, UsageError> {
        let object = match self.values.get(name) {
            None | Some(Value::Null) => return Ok(Vec::new()),
            Some(Value::Object(object)) => object,
            Some(other) => return Err(self.wrong_type(name, "an object of option values", other)),
        };
        let mut pairs = Vec::new();
        for (key, value) in object {
            let text = match value {
                Value::Null => continue,
                Value::String(text) => text.clone(),
                Value::Bool(_) | Value::Number(_) => value.to_string(),
                Value::Array(_) | Value::Object(_) => {
                    return Err(self.wrong_type(&format!("{name}.{key}"), "a string", value));
                }
            };
            pairs.push((key.as_str(), text));
        }
        Ok(pairs)
    }

    fn wrong_type(&self, name: &str, expected: &str, value: &Value) -> UsageError {
        let kind = match value {
            Value::Null => "null",
            Value::Bool(_) => "a boolean",
            Value::Number(_) => "a number",
            Value::String(_) => "a string",
            Value::Array(_) => "an array",
            Value::Object(_) => "an object",
        };
        UsageError::new(
            format!("the argument `{name}` of the tool `{}` must be {expected}, not {kind}", self.tool),
            format!("pass `{name}` as {expected} (see the tool's input schema)"),
        )
    }
}

fn quoted(names: &[&str]) -> String {
    names.iter().map(|name| format!("`{name}`")).collect::<Vec<_>>().join(", ")
}
