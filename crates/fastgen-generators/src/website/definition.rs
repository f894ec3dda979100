use crate::options::{GeneratorDef, Kind, OptionDef};

/// The `website` generator's options: a name and where to put the project.
pub const DEFINITION: GeneratorDef = GeneratorDef {
    name: "website",
    aliases: &["ts#react-website", "react-website"],
    description: "A React website (Vite, TypeScript, TanStack Query and Router) that reads its API URLs from /runtime-config.json",
    options: &[
        OptionDef {
            name: "name",
            kebab: "name",
            description: "Name of the website project to generate",
            prompt: "What name would you like for your website? (e.g. my-website)",
            kind: Kind::String,
            default: None,
            required: true,
            positional: true,
        },
        OptionDef {
            name: "directory",
            kebab: "directory",
            description: "The directory to store the website in, relative to the workspace root",
            prompt: "Which directory should hold the project?",
            kind: Kind::String,
            default: Some("packages"),
            required: false,
            positional: false,
        },
    ],
};
