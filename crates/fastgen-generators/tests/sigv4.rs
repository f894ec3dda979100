//! The AWS Signature Version 4 signer websites use to call an API with IAM auth
//! (`templates/connection-iam/sigv4.ts`) signs exactly as AWS's own Python signer does.
//! `tests/sigv4/check.sh` installs botocore (pinned, in `.cache/tools/botocore`), type-checks
//! the signer with TypeScript 5.9 and 6.0 under strict flags, signs every request of
//! `tests/sigv4/cases.json` with it (and sends each to a local server), has botocore's
//! `SigV4Auth` sign the same requests, and runs the node:test suite (which compares them, checks
//! the AWS test-suite vectors, bodies, aborts, no retries, credential caching). This test runs
//! it, then compares the two sets of signatures again itself.
//!
//! End-to-end: it runs when `FASTGEN_E2E=1` (`scripts/test.sh`); otherwise `build.rs` compiles
//! it as ignored with its reason, so it shows as skipped, never as passed.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;
use std::process::Command;
use std::time::Instant;

use serde_json::Value;

/// The headers both signers must agree on, with the URL, the method and the body's hash.
const COMPARED: [&str; 4] = ["content-type", "x-amz-date", "x-amz-security-token", "authorization"];

#[test]
#[cfg_attr(
    not(fastgen_e2e),
    ignore = "end-to-end: needs FASTGEN_E2E=1, with node, python3 and TypeScript in .cache/tools/client (scripts/test.sh installs and sets them)"
)]
fn the_sigv4_signer_signs_every_case_as_botocore_does() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/sigv4");
    let started = Instant::now();
    let output = Command::new("bash")
        .arg(dir.join("check.sh"))
        .output()
        .unwrap_or_else(|err| panic!("cannot run bash: {err}"));
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    eprintln!(
        "{}\ncheck.sh: {:.1}s",
        stdout
            .lines()
            .filter(|l| l.starts_with("step:") || l.starts_with("# ") && !l.starts_with("# Subtest"))
            .collect::<Vec<_>>()
            .join("\n"),
        started.elapsed().as_secs_f64()
    );
    assert!(output.status.success(), "tests/sigv4/check.sh failed:\n{stdout}\n{stderr}");
    assert!(stdout.contains("\n# fail 0\n"), "node --test reported failures:\n{stdout}");

    let read = |name: &str| -> Vec<Value> {
        let text = std::fs::read_to_string(dir.join(".build").join(name)).unwrap();
        serde_json::from_str::<Value>(&text).unwrap().as_array().unwrap().clone()
    };
    let cases =
        serde_json::from_str::<Value>(&std::fs::read_to_string(dir.join("cases.json")).unwrap()).unwrap();
    let cases = cases["cases"].as_array().unwrap();
    let wire = read("wire.json");
    let expected = read("expected.json");
    assert!(cases.len() >= 20, "only {} cases", cases.len());
    assert_eq!(wire.len(), cases.len());
    assert_eq!(expected.len(), cases.len());
    let mut with_token = 0;
    for ((case, sent), want) in cases.iter().zip(&wire).zip(&expected) {
        let name = case["name"].as_str().unwrap();
        assert_eq!(sent["name"], case["name"]);
        assert_eq!(want["name"], case["name"]);
        assert_eq!(sent["url"], want["url"], "{name}: url");
        assert_eq!(sent["method"], want["method"], "{name}: method");
        assert_eq!(sent["bodySha256"], want["bodySha256"], "{name}: body");
        for header in COMPARED {
            assert_eq!(sent["headers"][header], want[header], "{name}: {header}");
        }
        let authorization = want["authorization"].as_str().unwrap();
        assert!(authorization.starts_with("AWS4-HMAC-SHA256 Credential="), "{name}: {authorization}");
        if !want["x-amz-security-token"].is_null() {
            with_token += 1;
            assert!(authorization.contains(";x-amz-security-token, "), "{name}: {authorization}");
        }
        assert!(sent["headers"].get("x-amz-content-sha256").is_none(), "{name}");
        // What the local server received is what was signed.
        assert_eq!(sent["received"]["headers"]["authorization"], want["authorization"], "{name}: received");
        assert_eq!(sent["received"]["body"], sent["body"], "{name}: received body");
    }
    assert!(with_token > 0 && with_token < cases.len(), "cases with and without a session token");
}

#[test]
fn the_sigv4_template_renders_to_itself() {
    // Websites get sigv4.ts as it is: the template engine, run over it, changes nothing.
    let files = fastgen_generators::render::template_set("connection-iam");
    let file = files.iter().find(|f| f.path == "sigv4.ts").expect("templates/connection-iam/sigv4.ts");
    let rendered = fastgen_generators::render::Renderer::default()
        .render(file.path, file.source, &serde_json::json!({}))
        .unwrap();
    assert_eq!(rendered, file.source);
    assert!(file.source.contains("export function signingFetch("));
}
