//! Arbitrary text and arbitrary OpenAPI-shaped JSON never make the parser or the emitters
//! panic.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use fastgen_openapi::emit::{metadata_ts, operations_json};
use fastgen_openapi::parse;
use proptest::prelude::*;
use serde_json::{Map, Value, json};

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        "\\PC{0,12}".prop_map(Value::from),
        prop_oneof![
            Just("#/components/schemas/A"),
            Just("#/components/schemas/%41"),
            Just("#/components/schemas/A%"),
            Just("#/components/schemas/A%FF"),
            Just("#/components/schemas/A/properties/~0%7E1"),
            Just("#/paths"),
            Just("#/nope"),
            Just("#"),
            Just("x"),
        ]
        .prop_map(|r| json!({ "$ref": r })),
        Just(Value::from("querystring")),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::from),
            prop::collection::btree_map(
                prop_oneof![
                    Just("get".to_owned()),
                    Just("post".to_owned()),
                    Just("parameters".to_owned()),
                    Just("responses".to_owned()),
                    Just("content".to_owned()),
                    Just("operationId".to_owned()),
                    Just("tags".to_owned()),
                    Just("in".to_owned()),
                    Just("name".to_owned()),
                    Just("requestBody".to_owned()),
                    Just("application/jsonl".to_owned()),
                    Just("itemSchema".to_owned()),
                    Just("$ref".to_owned()),
                    Just("query".to_owned()),
                    Just("additionalOperations".to_owned()),
                    Just("example".to_owned()),
                    Just("examples".to_owned()),
                    Just("default".to_owned()),
                    Just("callbacks".to_owned()),
                    Just("links".to_owned()),
                    Just("x-a".to_owned()),
                    "\\PC{0,6}",
                ],
                inner,
                0..5,
            )
            .prop_map(|m| Value::Object(m.into_iter().collect::<Map<_, _>>())),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_text(text in "\\PC{0,200}") {
        if let Ok(model) = parse(&text) {
            let _ = metadata_ts(&model, "x");
            let _ = operations_json(&model);
        }
    }

    #[test]
    fn json_like_text_with_byte_order_marks_and_non_finite_numbers(parts in prop::collection::vec(
        prop_oneof![
            Just("{"), Just("}"), Just("["), Just("]"), Just("\""), Just("\\"), Just(":"), Just(","),
            Just("NaN"), Just("Infinity"), Just("-Infinity"), Just("-"), Just("1"), Just("\"a\""),
            Just("\n"), Just("\u{feff}"), Just("é"), Just(" "),
        ],
        0..40,
    )) {
        let text = parts.concat();
        if let Err(err) = parse(&text) {
            let _ = err.hint();
        }
    }

    #[test]
    fn arbitrary_documents(paths in prop::collection::btree_map("/\\PC{0,8}", json_value(), 0..6), components in json_value()) {
        let doc = json!({
            "openapi": "3.1.0",
            "paths": paths.into_iter().collect::<Map<_, _>>(),
            "components": { "schemas": { "A": components } },
        });
        if let Ok(model) = parse(&doc.to_string()) {
            let _ = metadata_ts(&model, "x");
            let _ = operations_json(&model);
        }
    }
}

#[test]
fn deep_nesting_is_an_error_not_a_stack_overflow() {
    let text = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    assert!(parse(&text).is_err());
}
