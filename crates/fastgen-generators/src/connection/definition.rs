use crate::options::{GeneratorDef, Kind, OptionDef};

/// The `connection` generator's options: the website that calls and the API it calls, by their
/// Nx project names.
pub const DEFINITION: GeneratorDef = GeneratorDef {
    name: "connection",
    aliases: &[],
    description: "Connect a website to an API: a typed client generated from the API's OpenAPI document on every build, a provider and TanStack Query hooks, sign-in for IAM and Cognito APIs",
    options: &[
        OptionDef {
            name: "source",
            kebab: "source",
            description: "The website that calls the API (its Nx project name, e.g. web)",
            prompt: "Which website should call the API? (its Nx project name)",
            kind: Kind::Project,
            default: None,
            required: true,
            positional: false,
        },
        OptionDef {
            name: "target",
            kebab: "target",
            description: "The API the website calls (its Nx project name, e.g. demo.my_api)",
            prompt: "Which API should it call? (its Nx project name)",
            kind: Kind::Project,
            default: None,
            required: true,
            positional: false,
        },
    ],
};
