//! The `project.json` of a project fastgen generated (an API, a website), merged on a
//! re-run: fastgen's metadata keys are brought up to date, missing targets are added, and
//! every target the user changed is kept. The merge edits the file's text in place (JSONC, as
//! Nx reads it): comments, trailing commas, key order and formatting survive, and only what
//! is added or changed is new text.

use fastgen_tree::Tree;
use fastgen_workspace::{JsoncMut, WorkspaceError, to_pretty_json};
use serde_json::Value;

/// Write `fresh` to `path`, or merge it into the file there, and record it as the baseline
/// the next run compares targets with. `command` is the command to name when a target the
/// user changed is kept (`fastgen generate fast-api`).
pub(crate) fn write_merged(
    tree: &mut Tree,
    path: &str,
    fresh: &Value,
    command: &str,
) -> Result<(), crate::GenerateError> {
    // What fastgen wrote last time: a target still equal to it has no edits of the user's.
    let baseline = match tree.baseline(path)? {
        Some(bytes) => serde_json::from_slice::<Value>(&bytes).ok(),
        None => None,
    };
    let mut kept = Vec::new();
    let content = match tree.read_string(path)? {
        None => to_pretty_json(fresh),
        Some(text) => {
            let mut existing = JsoncMut::parse(path, &text)?;
            merge(&mut existing, fresh, baseline.as_ref(), &mut kept)?;
            existing.to_string()
        }
    };
    tree.write(path, content)?;
    tree.record_baseline(path, to_pretty_json(fresh))?;
    if !kept.is_empty() {
        tree.annotate(
            path,
            format!(
                "your changes to the target(s) {} are kept; fastgen's version of them differs (see `{command} --dry-run`)",
                kept.iter().map(|t| format!("`{t}`")).collect::<Vec<_>>().join(", ")
            ),
        )?;
    }
    Ok(())
}

/// Bring `fresh` into `existing`: each `metadata` key set; each target added when missing
/// and brought up to date when the user has not changed it since fastgen wrote it (it equals
/// `baseline`'s); missing top-level keys added. A target the user changed is kept and named
/// in `kept`.
fn merge(
    existing: &mut JsoncMut,
    fresh: &Value,
    baseline: Option<&Value>,
    kept: &mut Vec<String>,
) -> Result<(), WorkspaceError> {
    for (key, value) in fresh.as_object().into_iter().flatten() {
        match (key.as_str(), existing.value().get(key)) {
            ("metadata", Some(Value::Object(_))) => {
                for (k, v) in value.as_object().into_iter().flatten() {
                    existing.set(&["metadata"], k, v)?;
                }
            }
            ("targets", Some(Value::Object(_))) => {
                for (name, target) in value.as_object().into_iter().flatten() {
                    let current = existing.value().get("targets").and_then(|t| t.get(name)).cloned();
                    let before = baseline.and_then(|b| b.get("targets")).and_then(|t| t.get(name));
                    match current {
                        None => {
                            existing.insert(&["targets"], name, target)?;
                        }
                        Some(current) if current == *target => {}
                        Some(current) if before == Some(&current) => {
                            existing.set(&["targets"], name, target)?;
                        }
                        // The user changed it and fastgen's version is what it was: theirs.
                        Some(_) if before == Some(target) => {}
                        Some(_) => kept.push(name.clone()),
                    }
                }
            }
            (_, Some(_)) => {}
            (_, None) => {
                existing.insert(&[], key, value)?;
            }
        }
    }
    Ok(())
}
