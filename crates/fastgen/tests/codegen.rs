//! `fastgen codegen metadata`: writes both files, rewrites nothing that did not change, and
//! refuses malformed documents with the JSON pointer of the problem, writing nothing.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{dir_state, fastgen};

const SPEC: &str = r#"{"openapi": "3.1.0", "info": {"title": "T", "version": "1"}, "paths": {
  "/items/{item_id}": {"get": {"operationId": "get_item", "responses": {}}},
  "/stream": {"post": {"operationId": "stream_chunks", "responses": {"200": {"content": {"application/jsonl": {"itemSchema": {"type": "object"}}}}}}}
}}"#;

#[test]
fn writes_metadata_and_operations_and_rewrites_only_on_change() {
    let temp = tempfile::tempdir().unwrap();
    std::fs::write(temp.path().join("openapi.json"), SPEC).unwrap();
    let run = fastgen(temp.path(), &["codegen", "metadata", "--spec", "openapi.json", "--out", "gen/my-api"]);
    assert_eq!(run.code, 0, "{run:?}");
    let metadata = std::fs::read_to_string(temp.path().join("gen/my-api/metadata.gen.ts")).unwrap();
    assert!(metadata.contains("  getItem: { path: '/items/{item_id}', method: 'GET' },\n"), "{metadata}");
    assert!(metadata.contains("export type Operations = keyof typeof OPERATION_DETAILS;"));
    let operations: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(temp.path().join("gen/my-api/operations.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(operations["streamChunks"]["streaming"], true);
    let modified = |name: &str| {
        std::fs::metadata(temp.path().join("gen/my-api").join(name)).unwrap().modified().unwrap()
    };
    let before = (modified("metadata.gen.ts"), modified("operations.json"));
    std::thread::sleep(std::time::Duration::from_millis(20));
    let run = fastgen(temp.path(), &["codegen", "metadata", "--spec", "openapi.json", "--out", "gen/my-api"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(run.stderr.contains("2 unchanged"), "{run:?}");
    assert_eq!(
        (modified("metadata.gen.ts"), modified("operations.json")),
        before,
        "unchanged files were rewritten"
    );
}

#[test]
fn malformed_documents_are_refused_with_their_pointer() {
    let temp = tempfile::tempdir().unwrap();
    std::fs::write(
        temp.path().join("openapi.json"),
        r##"{"openapi": "3.1.0", "paths": {"/a": {"get": {"parameters": [{"$ref": "#/components/parameters/Missing"}]}}}}"##,
    )
    .unwrap();
    let before = dir_state(temp.path());
    let run = fastgen(temp.path(), &["codegen", "metadata", "--spec", "openapi.json", "--out", "gen"]);
    assert_eq!(run.code, 1, "{run:?}");
    assert_eq!(run.error_line(), "error: cannot read the OpenAPI document `openapi.json`");
    assert!(
        run.stderr.contains(
            "Caused by: at `/paths/~1a/get/parameters/0/$ref`: `#/components/parameters/Missing` does not resolve in this document"
        ),
        "{run:?}"
    );
    assert_eq!(dir_state(temp.path()), before);
    let run = fastgen(temp.path(), &["codegen", "metadata", "--spec", "missing.json", "--out", "gen"]);
    assert_eq!(
        (run.code, run.error_line()),
        (2, "error: the OpenAPI document `missing.json` does not exist")
    );
}

#[test]
fn client_writes_three_files_rewrites_only_on_change_and_refuses_a_bad_class_name() {
    let temp = tempfile::tempdir().unwrap();
    std::fs::write(temp.path().join("openapi.json"), SPEC).unwrap();
    let args = ["codegen", "client", "--spec", "openapi.json", "--out", "gen/client"];
    let run = fastgen(temp.path(), &args);
    assert_eq!(run.code, 0, "{run:?}");
    let client = std::fs::read_to_string(temp.path().join("gen/client/client.gen.ts")).unwrap();
    // The title `T` would shadow the schema namespace `T`: the class takes a suffix.
    assert!(client.contains("export class TClient {"), "{client}");
    assert!(client.contains("  getItem(options?: CallOptions): Promise<unknown> {\n"), "{client}");
    assert!(
        client.contains("  streamChunks(options?: CallOptions): AsyncGenerator<{ [key: string]: unknown; }, void, undefined> {\n"),
        "{client}"
    );
    let options = std::fs::read_to_string(temp.path().join("gen/client/options.gen.ts")).unwrap();
    assert!(options.contains("queryKey: () => ['TClient', 'getItem'] as const,"), "{options}");
    let before = dir_state(temp.path());
    let run = fastgen(temp.path(), &args);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(run.stderr.contains("3 unchanged"), "{run:?}");
    assert_eq!(dir_state(temp.path()), before, "unchanged files were rewritten");

    for (name, reason) in [
        ("2Fast", "it is not a TypeScript identifier"),
        ("class", "it is not a TypeScript identifier"),
        ("GetItemRequest", "the client already defines that name"),
        ("ApiError", "the client already defines that name"),
    ] {
        let run = fastgen(
            temp.path(),
            &["codegen", "client", "--spec", "openapi.json", "--out", "gen/other", "--class-name", name],
        );
        assert_eq!(
            (run.code, run.error_line()),
            (2, format!("error: `{name}` cannot name the client class: {reason}").as_str()),
            "{run:?}"
        );
        assert_eq!(
            run.hint_line(),
            "hint: pass `--class-name` a PascalCase identifier that no operation type uses"
        );
        assert!(!temp.path().join("gen/other").exists());
    }
}
