//! The exact versions of every dependency generated files declare, in one place:
//! `versions/python.toml` and `versions/npm.toml`, embedded at build time; and
//! `versions/python-imports.toml`, the import names of every distribution a generated Python
//! project installs (derived from a real resolution, checked by `tests/python_imports.rs`).

use serde_json::{Map, Value};

const PYTHON: &str = include_str!("../versions/python.toml");
const NPM: &str = include_str!("../versions/npm.toml");
const PYTHON_IMPORTS: &str = include_str!("../versions/python-imports.toml");

/// The top-level import names of every distribution the generated project installs, by
/// distribution: `[("pyyaml", ["_yaml", "yaml"]), …]`.
pub fn python_imports() -> Vec<(String, Vec<String>)> {
    #[derive(serde::Deserialize)]
    struct Table {
        distributions: std::collections::BTreeMap<String, Vec<String>>,
    }
    toml::from_str::<Table>(PYTHON_IMPORTS).map(|t| t.distributions.into_iter().collect()).unwrap_or_default()
}

/// The installed import (and its distribution) a module named `module` would shadow,
/// compared case-insensitively (`Yaml/` and `yaml/` are one directory on macOS and Windows).
pub fn installed_import(module: &str) -> Option<(String, String)> {
    python_imports().into_iter().find_map(|(distribution, imports)| {
        imports
            .into_iter()
            .find(|import| import.eq_ignore_ascii_case(module))
            .map(|import| (import, distribution))
    })
}

/// `{"python": {...}, "npm": {...}}` for template contexts.
pub fn versions() -> Value {
    let mut all = Map::new();
    for text in [PYTHON, NPM] {
        if let Ok(table) = toml::from_str::<Map<String, Value>>(text) {
            all.extend(table);
        }
    }
    Value::Object(all)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_import_table_has_the_runtime_and_its_transitive_dependencies() {
        let imports = python_imports();
        assert!(imports.len() > 20, "{imports:?}");
        for module in [
            "fastapi",
            "uvicorn",
            "uvloop",
            "websockets",
            "httptools",
            "watchfiles",
            "h11",
            "click",
            "idna",
            "annotated_types",
            "yaml",
            "dotenv",
            "aws_lambda_powertools",
            "aws_xray_sdk",
            "pydantic_core",
            "starlette",
        ] {
            assert!(installed_import(module).is_some(), "`{module}` is not in versions/python-imports.toml");
        }
        assert_eq!(installed_import("UVLoop"), Some(("uvloop".to_owned(), "uvloop".to_owned())));
        assert_eq!(installed_import("my_api"), None);
    }

    #[test]
    fn every_version_is_exact() {
        let all = versions();
        for group in ["python", "npm"] {
            let table = all.get(group).and_then(Value::as_object);
            assert!(table.is_some_and(|t| !t.is_empty()), "versions/{group}.toml has no [{group}] table");
            for (name, version) in table.into_iter().flatten() {
                let version = version.as_str().unwrap_or_default();
                assert!(
                    !version.is_empty() && version.chars().all(|c| c.is_ascii_digit() || c == '.'),
                    "{group}.{name} = {version:?} is not an exact version"
                );
            }
        }
    }
}
