//! Every document of the shared corpus (real FastAPI output, see
//! `../shared/corpus/openapi/SOURCES.md`) goes through the model and every emitter.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::PathBuf;

use fastgen_openapi::emit::{metadata_ts, operations_json};
use fastgen_openapi::parse;

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
        let names: Vec<&str> = model.operations.iter().map(|o| o.name.as_str()).collect();
        let mut sorted = names.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(names, sorted, "{file}: names are not unique and ordered");
        let stem = file.trim_end_matches(".json");
        insta::assert_snapshot!(format!("{stem}__metadata"), metadata_ts(&model, file));
        insta::assert_snapshot!(format!("{stem}__operations"), operations_json(&model));
    }
}
