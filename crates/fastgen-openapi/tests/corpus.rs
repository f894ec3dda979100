//! Every document of the shared corpus (real FastAPI output, see
//! `../shared/corpus/openapi/SOURCES.md`, and larger documents from FastAPI and other
//! frameworks, `../shared/corpus/openapi-more/SOURCES.md`) goes through the model and every
//! emitter, or is refused as `expectations.json` says.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};

use fastgen_openapi::emit::{metadata_ts, operations_json};
use fastgen_openapi::{Model, parse};
use serde_json::Value;

#[test]
#[cfg_attr(
    not(fastgen_corpus),
    ignore = "needs the OpenAPI corpus in shared/corpus/openapi beside the checkout (CI has it) or $FASTGEN_OPENAPI_CORPUS; this clone has neither"
)]
fn every_corpus_document_goes_through_every_emitter() {
    // Found by build.rs, which compiles this test as ignored when the corpus is absent.
    let dir = PathBuf::from(option_env!("FASTGEN_CORPUS_DIR").unwrap_or_default());
    let expected = [
        ("0010aor__FlashNotes.json", 20),
        ("0mdb__collide.json", 18),
        ("193market__korea-drug-approval-api.json", 9),
        ("9-web-deep__ai-hospital.json", 3),
        ("AWdress__AWBotNest.json", 136),
        ("Aleqsd__EDH-PodLog.json", 5),
        ("AntonGomes__Survello.json", 28),
        ("michaelfeil__infinity.json", 9),
    ];
    for (file, count) in expected {
        let text = std::fs::read_to_string(dir.join(file)).unwrap();
        let model = parse(&text).unwrap_or_else(|err| panic!("{file}: {err}"));
        assert_eq!(model.operations.len(), count, "{file}");
        assert_unique_and_ordered(&model, file);
        let stem = file.trim_end_matches(".json");
        insta::assert_snapshot!(format!("{stem}__metadata"), metadata_ts(&model, file));
        insta::assert_snapshot!(format!("{stem}__operations"), operations_json(&model));
    }
}

fn assert_unique_and_ordered(model: &Model, file: &str) {
    let names: Vec<&str> = model.operations.iter().map(|o| o.name.as_str()).collect();
    let mut sorted = names.clone();
    sorted.sort_unstable();
    sorted.dedup();
    assert_eq!(names, sorted, "{file}: names are not unique and ordered");
}

/// `openapi-more` beside the `openapi` corpus build.rs found, else `../shared/corpus/openapi-more`
/// beside this repository.
fn more_corpus() -> PathBuf {
    match option_env!("FASTGEN_CORPUS_DIR") {
        Some(dir) if !dir.is_empty() => Path::new(dir).with_file_name("openapi-more"),
        _ => Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/openapi-more"),
    }
}

#[test]
fn every_larger_corpus_document_parses_or_is_refused_as_expected() {
    let dir = more_corpus();
    if !dir.is_dir() {
        eprintln!(
            "SKIPPED: the larger OpenAPI corpus `{}` is absent (it lies beside the repository, in `../shared/corpus`)",
            dir.display()
        );
        return;
    }
    // Operation counts from SOURCES.md; `None`: refused (expectations.json).
    let expected = [
        ("Arize-ai__phoenix.json", Some(121)),
        ("Netflix__dispatch.json", Some(207)),
        ("PrefectHQ__prefect.json", Some(179)),
        ("Sonarr__Sonarr__v5.json", Some(233)),
        ("blakeblackshear__frigate.json", Some(179)),
        ("chroma-core__chroma__sync.json", None),
        ("dstackai__dstack__rest-plugin.json", Some(4)),
        ("dstackai__dstack__shim.json", Some(11)),
        ("fastapi__fastapi__docs-src-all.json", Some(282)),
        ("fastapi__fastapi__docs-src-streaming.json", Some(25)),
        ("huggingface__text-generation-inference.json", Some(12)),
        ("letta-ai__letta.json", Some(302)),
        ("mealie-recipes__mealie.json", Some(243)),
        ("openai__openai-openapi.json", Some(288)),
        ("polarsource__polar.json", Some(186)),
        ("qdrant__qdrant.json", Some(69)),
        ("sct__overseerr.json", Some(170)),
        ("zylon-ai__private-gpt.json", Some(43)),
    ];
    let mut listed: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| {
            Path::new(name).extension().is_some_and(|ext| ext.eq_ignore_ascii_case("json"))
                && name != "expectations.json"
        })
        .collect();
    listed.sort_unstable();
    assert_eq!(listed, expected.map(|(file, _)| file), "the corpus changed: update this list");
    let expectations: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("expectations.json")).unwrap()).unwrap();
    for (file, count) in expected {
        let text = std::fs::read_to_string(dir.join(file)).unwrap();
        let result = parse(&text);
        let expectation = &expectations[file];
        if let Some(count) = count {
            assert!(expectation.is_null(), "{file}: expectations.json has {expectation}");
            let model = result.unwrap_or_else(|err| panic!("{file}: {err}"));
            assert_eq!(model.operations.len(), count, "{file}");
            assert_unique_and_ordered(&model, file);
            let _ = metadata_ts(&model, file);
            let _ = operations_json(&model);
        } else {
            assert_eq!(expectation["expect"], "refuse", "{file}");
            let err = result.err().unwrap_or_else(|| panic!("{file}: parsed, but must be refused"));
            let wanted = expectation["message_contains"].as_str().unwrap();
            assert!(err.to_string().contains(wanted), "{file}: `{err}` does not name `{wanted}`");
        }
    }
}
