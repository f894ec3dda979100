//! One snapshot per emitted client file: the in-repository demo document always, and a few
//! documents of the shared corpus when it is there. The embedded runtime
//! (`src/emit/client_runtime.ts`, reviewed as source) is replaced by a marker, so a snapshot
//! shows what the generator writes for the document.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};

use fastgen_openapi::emit::client_files;
use fastgen_openapi::parse;

const RUNTIME: &str = include_str!("../src/emit/client_runtime.ts");

fn snapshot_all(stem: &str, text: &str, source: &str) {
    let model = parse(text).unwrap_or_else(|err| panic!("{source}: {err}"));
    let client = client_files(&model, None, source).unwrap();
    for (name, text) in client.files {
        let text = text.replacen(RUNTIME.trim_end(), "/* the runtime: src/emit/client_runtime.ts */", 1);
        assert!(!text.contains("export function call("), "{name}: the runtime was not found in the file");
        insta::assert_snapshot!(format!("{stem}__{name}"), text);
    }
}

#[test]
fn the_demo_document() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/client/demo.json");
    snapshot_all("demo", &std::fs::read_to_string(path).unwrap(), "demo.json");
}

#[test]
#[cfg_attr(
    not(fastgen_corpus),
    ignore = "needs the OpenAPI corpus in shared/corpus beside the checkout (CI has it) or $FASTGEN_OPENAPI_CORPUS; this clone has neither"
)]
fn corpus_documents() {
    let openapi = PathBuf::from(option_env!("FASTGEN_CORPUS_DIR").unwrap_or_default());
    for file in [
        openapi.join("0010aor__FlashNotes.json"),
        openapi.with_file_name("openapi-more").join("fastapi__fastapi__docs-src-streaming.json"),
        openapi.with_file_name("openapi-more").join("dstackai__dstack__shim.json"),
    ] {
        let name = file.file_name().unwrap().to_string_lossy().into_owned();
        snapshot_all(name.trim_end_matches(".json"), &std::fs::read_to_string(&file).unwrap(), &name);
    }
}
