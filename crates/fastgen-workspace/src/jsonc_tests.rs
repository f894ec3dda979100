use serde_json::json;

use super::*;
use crate::json::to_pretty_json;

type Result = std::result::Result<(), WorkspaceError>;

/// What fastgen's `project.json` merge does: metadata keys set, a target added, a
/// `dependsOn` entry pushed.
fn merge(doc: &mut JsoncMut) -> std::result::Result<Vec<Edit>, WorkspaceError> {
    Ok(vec![
        doc.set(&["metadata"], "auth", &json!("Cognito"))?,
        doc.set(&["metadata"], "ports", &json!([8001]))?,
        doc.set(&["metadata"], "moduleName", &json!("acme_api"))?,
        doc.insert(
            &["targets"],
            "test",
            &json!({ "executor": "nx:run-commands", "options": { "cwd": "x" } }),
        )?,
        doc.push_unique(&["targets", "build", "dependsOn"], &json!("test"))?,
    ])
}

const JSONC: &str = r#"{
  // The API. Nx reads comments and trailing commas.
  "name": "acme.api",
  "metadata": {
    "auth": "IAM", /* was IAM */
    "ports": [8000],
  },
  "targets": {
    "build": {
      "dependsOn": ["lint",], // lint first
    },
    /* more targets later */
  },
  "projectType": "application",
}
"#;

#[test]
fn issue_7_jsonc_comments_commas_and_key_order_survive_and_only_new_text_is_added() -> Result {
    let mut doc = JsoncMut::parse("p/project.json", JSONC)?;
    assert_eq!(merge(&mut doc)?, [Edit::Changed, Edit::Changed, Edit::Added, Edit::Added, Edit::Added]);
    let expected = r#"{
  // The API. Nx reads comments and trailing commas.
  "name": "acme.api",
  "metadata": {
    "auth": "Cognito", /* was IAM */
    "ports": [8001],
    "moduleName": "acme_api",
  },
  "targets": {
    "build": {
      "dependsOn": ["lint", "test",], // lint first
    },
    "test": {
      "executor": "nx:run-commands",
      "options": {
        "cwd": "x",
      },
    },
    /* more targets later */
  },
  "projectType": "application",
}
"#;
    assert_eq!(doc.to_string(), expected);
    // A second run changes nothing.
    let mut again = JsoncMut::parse("p/project.json", expected)?;
    assert_eq!(merge(&mut again)?, [Edit::Unchanged; 5]);
    assert_eq!(again.to_string(), expected);
    Ok(())
}

#[test]
fn edits_of_a_file_fastgen_wrote_equal_reserialising_the_merged_value() -> Result {
    let original = json!({
        "name": "acme.api",
        "metadata": { "auth": "IAM", "ports": [8000] },
        "targets": { "build": { "dependsOn": ["lint"] }, "empty": {} },
    });
    let mut doc = JsoncMut::parse("project.json", &to_pretty_json(&original))?;
    merge(&mut doc)?;
    doc.insert(&["targets", "empty"], "cache", &json!(true))?;
    doc.insert(&[], "tags", &json!([]))?;
    assert_eq!(doc.to_string(), to_pretty_json(doc.value()));
    assert_eq!(
        doc.value()["metadata"],
        json!({ "auth": "Cognito", "ports": [8001], "moduleName": "acme_api" })
    );
    assert_eq!(doc.value()["targets"]["build"]["dependsOn"], json!(["lint", "test"]));
    Ok(())
}

#[test]
fn issue_7_crlf_lines_stay_crlf_and_new_lines_are_crlf() -> Result {
    let crlf = JSONC.replace('\n', "\r\n");
    let mut doc = JsoncMut::parse("project.json", &crlf)?;
    merge(&mut doc)?;
    let out = doc.to_string();
    assert!(out.len() > crlf.len());
    assert_eq!(out.matches("\r\n").count(), out.matches('\n').count(), "a line ends with LF alone:\n{out}");
    assert_eq!(out.replace("\r\n", "\n"), {
        let mut lf = JsoncMut::parse("project.json", JSONC)?;
        merge(&mut lf)?;
        lf.to_string()
    });
    Ok(())
}

#[test]
fn issue_7_a_bom_is_kept_and_is_no_parse_error() -> Result {
    let text = "\u{feff}{\n  \"name\": \"x\"\n}\n";
    assert_eq!(parse_jsonc("project.json", text)?, json!({ "name": "x" }));
    let mut doc = JsoncMut::parse("project.json", text)?;
    assert_eq!(doc.insert(&[], "projectType", &json!("library"))?, Edit::Added);
    assert_eq!(doc.to_string(), "\u{feff}{\n  \"name\": \"x\",\n  \"projectType\": \"library\"\n}\n");
    Ok(())
}

#[test]
fn additions_follow_the_file_style() -> Result {
    // Tabs, and an inline object stays inline.
    let mut doc =
        JsoncMut::parse("project.json", "{\n\t\"name\": \"x\", // mine\n\t\"tags\": { \"a\": 1 }\n}")?;
    doc.insert(&["tags"], "b", &json!([2]))?;
    doc.insert(&[], "targets", &json!({ "t": { "cwd": "." } }))?;
    assert_eq!(
        doc.to_string(),
        "{\n\t\"name\": \"x\", // mine\n\t\"tags\": { \"a\": 1, \"b\": [2] },\n\t\"targets\": {\n\t\t\"t\": {\n\t\t\t\"cwd\": \".\"\n\t\t}\n\t}\n}"
    );
    // A one-line file stays on one line; an empty inline object gets its first key inline.
    let mut doc = JsoncMut::parse("project.json", "{ \"name\": \"web\", \"targets\": {} }")?;
    doc.insert(&["targets"], "b", &json!({ "dependsOn": ["a"] }))?;
    doc.push_unique(&["targets", "b", "dependsOn"], &json!({ "projects": ["p"], "target": "build" }))?;
    assert_eq!(
        doc.to_string(),
        "{ \"name\": \"web\", \"targets\": { \"b\": { \"dependsOn\": [\"a\", { \"projects\": [\"p\"], \"target\": \"build\" }] } } }"
    );
    // A comment after the last member stays on its line; the comma goes before it.
    let mut doc = JsoncMut::parse("project.json", "{\n  \"a\": 1 // one\n  // the end\n}\n")?;
    doc.insert(&[], "b", &json!(2))?;
    assert_eq!(doc.to_string(), "{\n  \"a\": 1, // one\n  \"b\": 2\n  // the end\n}\n");
    // An empty object that holds only a comment.
    let mut doc = JsoncMut::parse("project.json", "{\n  \"targets\": { /* none yet */ }\n}\n")?;
    doc.insert(&["targets"], "t", &json!({}))?;
    assert_eq!(doc.to_string(), "{\n  \"targets\": { /* none yet */\n    \"t\": {}\n  }\n}\n");
    Ok(())
}

#[test]
fn issue_7_what_cannot_be_edited_safely_is_refused_with_line_and_reason() {
    let refused = |text: &str| JsoncMut::parse("p/project.json", text).err().map(|e| e.to_string());
    assert_eq!(
        refused("// a list\n[1, 2]\n").as_deref(),
        Some(
            "`p/project.json` cannot be edited safely (line 2): the top level is an array, not an object; fastgen adds its keys to an object"
        )
    );
    let mut doc = JsoncMut::parse("p/project.json", "{\n  \"metadata\": {},\n  \"metadata\": {}\n}\n").ok();
    let err =
        doc.as_mut().and_then(|d| d.set(&["metadata"], "auth", &json!("IAM")).err()).map(|e| e.to_string());
    assert_eq!(
        err.as_deref(),
        Some(
            "`p/project.json` cannot be edited safely (line 3): `metadata` is written twice (lines 2 and 3); fastgen cannot tell which one to edit"
        )
    );
    let mut doc =
        JsoncMut::parse("p/project.json", "{\n  \"targets\": {\"build\": {\"dependsOn\": \"lint\"}}\n}").ok();
    let err = doc
        .as_mut()
        .and_then(|d| d.push_unique(&["targets", "build", "dependsOn"], &json!("x")).err())
        .map(|e| e.to_string());
    assert_eq!(
        err.as_deref(),
        Some(
            "`p/project.json` cannot be edited safely (line 2): `targets.build.dependsOn` is a string, not an array; fastgen cannot add its entries to it"
        )
    );
}

#[test]
fn syntax_errors_are_located_and_json5_is_not_jsonc() {
    let error = |text: &str| parse_jsonc("project.json", text).err().map(|e| e.to_string());
    assert_eq!(
        error("{\n  \"name\": \"x\"\n  \"targets\": {}\n}\n").as_deref(),
        Some("`project.json` is not valid JSON: expected comma (line 2, column 14)")
    );
    assert_eq!(
        error("{\n  'name': 1\n}").as_deref(),
        Some("`project.json` is not valid JSON: single-quoted strings are not allowed (line 2, column 3)")
    );
    assert_eq!(
        error("  // nothing\n").as_deref(),
        Some("`project.json` is not valid JSON: expected a value (line 2, column 1)")
    );
    assert_eq!(parse_jsonc("project.json", "{\"a\": [1, 2,], /* c */}").ok(), Some(json!({ "a": [1, 2] })));
}
