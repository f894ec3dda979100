//! The exact versions of every dependency generated files declare, in one place:
//! `versions/python.toml` and `versions/npm.toml`, embedded at build time.

use serde_json::{Map, Value};

const PYTHON: &str = include_str!("../versions/python.toml");
const NPM: &str = include_str!("../versions/npm.toml");

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
