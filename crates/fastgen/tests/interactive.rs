//! Interactive mode: on a terminal, a missing name starts a form that offers every option
//! with its default. Driven through a real pseudo-terminal (Python's `pty` module).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::process::Command;

use common::Fixture;
use serde_json::Value;

#[test]
fn a_terminal_gets_a_form_with_every_option() {
    let fixture = Fixture::new(&[]);
    let driver = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/support/pty_drive.py");
    // name, computeType (down: HTTP), integrationPattern (default), auth (down ×3: Custom),
    // directory, iacProvider, moduleName (defaults), architecture (down: arm64).
    let answers = "orders\\n|\x1b[B|\\n|\\n|\x1b[B|\x1b[B|\x1b[B|\\n|\\n|\\n|\\n|\x1b[B|\\n";
    let output = Command::new("python3")
        .args([driver, fixture.root.to_str().unwrap(), answers, "--", common::bin().to_str().unwrap()])
        .args(["generate", "fast-api"])
        .output()
        .unwrap();
    let screen = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{screen}");
    for prompt in [
        "What name would you like for your API?",
        "Which API Gateway API should expose it? (--computeType)",
        "REST API: streaming responses",
        "How should operations map to Lambda functions? (--integrationPattern)",
        "How should callers authenticate? (--auth)",
        "Which directory should hold the project? (--directory)",
        "Which infrastructure-as-code provider? (--iacProvider)",
        "Python module name (leave empty for the default) (--moduleName)",
        "Which Lambda architecture? (--architecture)",
    ] {
        assert!(screen.contains(prompt), "missing prompt {prompt:?} in:\n{screen}");
    }
    let project: Value = serde_json::from_str(&fixture.read("packages/orders/project.json")).unwrap();
    let meta = &project["metadata"];
    assert_eq!(meta["computeType"], "ServerlessApiGatewayHttpApi", "{screen}");
    assert_eq!(meta["integrationPattern"], "isolated");
    assert_eq!(meta["auth"], "Custom");
    assert_eq!(meta["iacProvider"], "CDK");
    assert_eq!(meta["architecture"], "arm64");
    assert!(fixture.root.join("packages/orders/demo_orders/authorizer.py").is_file());

    // Issue 8: typing the existing API's name pre-fills its recorded values, so accepting
    // every default changes nothing.
    let before = common::dir_state(&fixture.root);
    let answers = "orders\\n|\\n|\\n|\\n|\\n|\\n|\\n|\\n";
    let output = Command::new("python3")
        .args([driver, fixture.root.to_str().unwrap(), answers, "--", common::bin().to_str().unwrap()])
        .args(["generate", "fast-api"])
        .output()
        .unwrap();
    let screen = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{screen}");
    assert!(screen.contains("0 created, 0 updated, 0 merged"), "{screen}");
    assert_eq!(common::dir_state(&fixture.root), before, "{screen}");
}
