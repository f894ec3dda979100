//! Option definitions: the one table that drives argument parsing, prompts and
//! `fastgen schema`. Each generator declares its options here as data.

use std::collections::BTreeMap;

// The values of the `fast-api` options, typed; serialised as `project.json` records them.

/// The API Gateway flavour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub enum ComputeType {
    #[default]
    #[serde(rename = "ServerlessApiGatewayRestApi")]
    RestApi,
    #[serde(rename = "ServerlessApiGatewayHttpApi")]
    HttpApi,
}

impl ComputeType {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::RestApi => "ServerlessApiGatewayRestApi",
            Self::HttpApi => "ServerlessApiGatewayHttpApi",
        }
    }
}

/// How operations map to Lambda functions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub enum IntegrationPattern {
    #[default]
    #[serde(rename = "isolated")]
    Isolated,
    #[serde(rename = "shared")]
    Shared,
}

impl IntegrationPattern {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Isolated => "isolated",
            Self::Shared => "shared",
        }
    }
}

/// How callers authenticate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub enum Auth {
    #[default]
    #[serde(rename = "IAM")]
    Iam,
    Cognito,
    None,
    Custom,
}

impl Auth {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Iam => "IAM",
            Self::Cognito => "Cognito",
            Self::None => "None",
            Self::Custom => "Custom",
        }
    }
}

/// The Lambda architecture.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub enum Architecture {
    #[default]
    #[serde(rename = "x86_64")]
    X86_64,
    #[serde(rename = "arm64")]
    Arm64,
}

impl Architecture {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::X86_64 => "x86_64",
            Self::Arm64 => "arm64",
        }
    }

    /// The manylinux platform uv installs wheels for.
    pub fn wheel_platform(self) -> &'static str {
        match self {
            Self::X86_64 => "x86_64-manylinux_2_28",
            Self::Arm64 => "aarch64-manylinux_2_28",
        }
    }
}

/// One accepted value of an enumerated option.
#[derive(Debug, Clone, Copy)]
pub struct Choice {
    /// The canonical spelling (what metadata records).
    pub value: &'static str,
    /// Other accepted spellings (matched case-insensitively, like `value`).
    pub aliases: &'static [&'static str],
    /// One line shown in prompts and help.
    pub help: &'static str,
}

impl Choice {
    /// The value with its aliases, as shown in help and errors: `rest-api (rest, …)`.
    pub fn label(&self) -> String {
        if self.aliases.is_empty() {
            self.value.to_owned()
        } else {
            format!("{} ({})", self.value, self.aliases.join(", "))
        }
    }
}

/// What an option holds.
#[derive(Debug, Clone, Copy)]
pub enum Kind {
    String,
    Enum(&'static [Choice]),
    /// The Nx name of a project of the workspace (`web`, `demo.my_api`): a string on the
    /// command line, a project picker in Nx Console (`x-dropdown: projects`).
    Project,
}

/// One option of a generator.
#[derive(Debug, Clone, Copy)]
pub struct OptionDef {
    /// The seed's camelCase name (`computeType`); `--computeType` on the command line.
    pub name: &'static str,
    /// The kebab-case spelling (`compute-type`); `--compute-type` on the command line.
    pub kebab: &'static str,
    pub description: &'static str,
    /// The question asked in interactive mode.
    pub prompt: &'static str,
    pub kind: Kind,
    pub default: Option<&'static str>,
    /// Required options without a value are prompted for, or refused.
    pub required: bool,
    /// Also accepted as the first positional argument.
    pub positional: bool,
}

/// A value that does not fit an option.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{value}` is not a valid value for `--{option}`; expected one of: {expected}")]
pub struct InvalidValue {
    pub option: &'static str,
    pub value: String,
    pub expected: String,
}

impl OptionDef {
    /// Accept any spelling of a value; return the canonical one.
    pub fn normalize(&self, value: &str) -> Result<String, InvalidValue> {
        match self.kind {
            Kind::String | Kind::Project => Ok(value.to_owned()),
            Kind::Enum(choices) => choices
                .iter()
                .find(|c| {
                    c.value.eq_ignore_ascii_case(value)
                        || c.aliases.iter().any(|a| a.eq_ignore_ascii_case(value))
                })
                .map(|c| c.value.to_owned())
                .ok_or_else(|| InvalidValue {
                    option: self.name,
                    value: value.to_owned(),
                    expected: choices.iter().map(Choice::label).collect::<Vec<_>>().join(", "),
                }),
        }
    }
}

/// Option values as given (already normalised), keyed by [`OptionDef::name`].
pub type RawOptions = BTreeMap<&'static str, String>;

/// A generator the CLI can run, with its options.
#[derive(Debug, Clone, Copy)]
pub struct GeneratorDef {
    /// The name on the command line (`fast-api`).
    pub name: &'static str,
    /// Other accepted names (`py#fast-api`, …).
    pub aliases: &'static [&'static str],
    pub description: &'static str,
    pub options: &'static [OptionDef],
}

/// Every generator `fastgen generate` and `fastgen schema` know.
pub const GENERATORS: &[GeneratorDef] = &[
    crate::python::DEFINITION,
    crate::app::DEFINITION,
    crate::website::DEFINITION,
    crate::connection::DEFINITION,
];

/// Find a generator by name or alias.
pub fn find_generator(name: &str) -> Option<&'static GeneratorDef> {
    GENERATORS.iter().find(|g| g.name == name || g.aliases.contains(&name))
}
