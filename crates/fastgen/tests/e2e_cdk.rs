//! End-to-end, CDK: one workspace with an API for each of the 16 combinations of
//! computeType × integrationPattern × auth (each with several operations: path parameters,
//! a body, a stream, two routers), a CDK app, and the real tool chain: uv, the bundle and
//! openapi targets, `fastgen codegen metadata` through Nx, `tsc` of the constructs and of the
//! type tests, `cdk synth`, `cfn-lint` and `checkov`. Runs with `FASTGEN_E2E=1`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use common::{e2e_enabled as enabled, fastgen};
use serde_json::Value;

const COMPUTE: &[(&str, &str)] =
    &[("rest", "ServerlessApiGatewayRestApi"), ("http", "ServerlessApiGatewayHttpApi")];
const PATTERNS: &[(&str, &str)] = &[("iso", "isolated"), ("shared", "shared")];
const AUTH: &[&str] = &["IAM", "Cognito", "None", "Custom"];
/// The options each type-test file of `fixtures/cdk/type-tests` is written for.
const TYPE_TESTED: [((&str, &str, &str), &str); 4] = [
    (("rest", "iso", "IAM"), "rest-isolated-iam.ts"),
    (("rest", "shared", "None"), "rest-shared-none.ts"),
    (("http", "iso", "Custom"), "http-isolated-custom.ts"),
    (("http", "shared", "Cognito"), "http-shared-cognito.ts"),
];

fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/cdk")
}

/// `PATH` with the fastgen binary under test first (Nx targets call `fastgen`).
fn path_with_fastgen() -> String {
    let bin_dir = common::bin().parent().unwrap().to_path_buf();
    format!("{}:{}", bin_dir.display(), std::env::var("PATH").unwrap_or_default())
}

fn sh(root: &Path, cwd: &str, command: &str) -> String {
    let started = Instant::now();
    let output = Command::new("sh")
        .arg("-c")
        .arg(command)
        .current_dir(root.join(cwd))
        .env("PATH", path_with_fastgen())
        .env("UV_PYTHON_DOWNLOADS", "never")
        .env("NO_COLOR", "1")
        .env("CDK_DISABLE_VERSION_CHECK", "true")
        .env("CDK_DEFAULT_ACCOUNT", "111111111111")
        .env("CDK_DEFAULT_REGION", "us-east-1")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&output.stderr);
    eprintln!("$ (cd {cwd} && {command})  [{:.1}s]", started.elapsed().as_secs_f64());
    assert!(output.status.success(), "`{command}` in `{cwd}` failed\nstdout:\n{stdout}\nstderr:\n{stderr}");
    stdout
}

struct Api {
    class: String,
    dir: String,
    rest: bool,
    shared: bool,
    auth: &'static str,
}

/// The operations of an API's OpenAPI document: (method, path).
fn operations(root: &Path, api: &Api) -> BTreeSet<(String, String)> {
    let doc: Value = serde_json::from_str(
        &std::fs::read_to_string(root.join(format!("dist/{}/openapi/openapi.json", api.dir))).unwrap(),
    )
    .unwrap();
    let mut out = BTreeSet::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            out.insert((method.to_ascii_uppercase(), path.clone()));
        }
    }
    out
}

fn cdk_path(resource: &Value) -> &str {
    resource["Metadata"]["aws:cdk:path"].as_str().unwrap_or("")
}

/// The resources of one API (by its construct path) of a given type.
fn resources<'a>(template: &'a Value, class: &str, kind: &str) -> Vec<(&'a String, &'a Value)> {
    template["Resources"]
        .as_object()
        .unwrap()
        .iter()
        .filter(|(_, r)| {
            // The API's own resources, and the functions its default integrations create in
            // `<Class>Functions`.
            let owner = cdk_path(r).split('/').nth(1).unwrap_or("");
            r["Type"] == kind && (owner == class || owner.strip_suffix("Functions") == Some(class))
        })
        .collect()
}

/// REST: (METHOD, full path) of every method, rebuilt from the resource tree.
fn rest_methods(template: &Value, class: &str) -> Vec<(String, String, Value)> {
    let all = template["Resources"].as_object().unwrap();
    let resource_path = |mut id: Value| -> String {
        let mut parts = Vec::new();
        while let Some(name) = id.get("Ref").and_then(Value::as_str) {
            let Some(resource) = all.get(name) else { break };
            if resource["Type"] != "AWS::ApiGateway::Resource" {
                break;
            }
            parts.push(resource["Properties"]["PathPart"].as_str().unwrap_or("").to_owned());
            id = resource["Properties"]["ParentId"].clone();
        }
        parts.reverse();
        format!("/{}", parts.join("/"))
    };
    resources(template, class, "AWS::ApiGateway::Method")
        .into_iter()
        .map(|(_, method)| {
            let props = &method["Properties"];
            let path = resource_path(props["ResourceId"].clone());
            (props["HttpMethod"].as_str().unwrap().to_owned(), path, props["Integration"].clone())
        })
        .collect()
}

#[test]
fn rest_isolated_with_every_auth_synthesises_and_scans_clean() {
    if enabled("rest_isolated_with_every_auth_synthesises_and_scans_clean") {
        combinations(COMPUTE[0], PATTERNS[0]);
    }
}

#[test]
fn rest_shared_with_every_auth_synthesises_and_scans_clean() {
    if enabled("rest_shared_with_every_auth_synthesises_and_scans_clean") {
        combinations(COMPUTE[0], PATTERNS[1]);
    }
}

#[test]
fn http_isolated_with_every_auth_synthesises_and_scans_clean() {
    if enabled("http_isolated_with_every_auth_synthesises_and_scans_clean") {
        combinations(COMPUTE[1], PATTERNS[0]);
    }
}

#[test]
fn http_shared_with_every_auth_synthesises_and_scans_clean() {
    if enabled("http_shared_with_every_auth_synthesises_and_scans_clean") {
        combinations(COMPUTE[1], PATTERNS[1]);
    }
}

/// The four auth modes of one compute type and pattern, in one workspace and one stack (four
/// isolated REST APIs of 11 operations each stay under `CloudFormation`'s 500 resources).
fn combinations((compute_key, compute): (&str, &str), (pattern_key, pattern): (&str, &str)) {
    let temp = tempfile::tempdir().unwrap();
    let run = fastgen(temp.path(), &["new", "demo", "--iac-provider", "CDK"]);
    assert_eq!(run.code, 0, "{run:?}");
    let root = temp.path().join("demo");
    let main_fixture = std::fs::read_to_string(fixtures().join("multi_op_main.py")).unwrap();
    let mut apis = Vec::new();
    {
        {
            for auth in AUTH {
                // The combination the type tests are written for is named `my-api` (`MyApi`).
                let type_tested =
                    TYPE_TESTED.iter().any(|(options, _)| *options == (compute_key, pattern_key, *auth));
                let name = if type_tested {
                    "my-api".to_owned()
                } else {
                    format!("{compute_key}-{pattern_key}-{}", auth.to_ascii_lowercase())
                };
                let run = fastgen(
                    &root,
                    &[
                        "generate",
                        "fast-api",
                        &name,
                        "--computeType",
                        compute,
                        "--integrationPattern",
                        pattern,
                        "--auth",
                        auth,
                    ],
                );
                assert_eq!(run.code, 0, "{run:?}");
                let snake = name.replace('-', "_");
                let module = format!("demo_{snake}");
                std::fs::write(
                    root.join(format!("packages/{snake}/{module}/main.py")),
                    main_fixture.replace("__MODULE__", &module),
                )
                .unwrap();
                let class: String = name.split('-').map(|w| w[..1].to_ascii_uppercase() + &w[1..]).collect();
                apis.push(Api {
                    class,
                    dir: format!("packages/{snake}"),
                    rest: compute_key == "rest",
                    shared: pattern_key == "shared",
                    auth,
                });
            }
        }
    }
    let run = fastgen(&root, &["generate", "infra"]);
    assert_eq!(run.code, 0, "{run:?}");
    sh(&root, ".", "uv sync");
    sh(&root, ".", "pnpm install --reporter=silent");
    // The whole chain through the real Nx: openapi → generate:<kebab>-metadata → constructs
    // compile (after every API's build: lint, typecheck, test, openapi, bundle) → infra synth.
    sh(&root, ".", "pnpm exec nx run infra:synth --outputStyle=static");

    // The compile-time type tests.
    let type_tests = root.join("packages/common/constructs/src/type-tests");
    std::fs::create_dir_all(&type_tests).unwrap();
    for (options, file) in TYPE_TESTED {
        if (options.0, options.1) == (compute_key, pattern_key) {
            std::fs::copy(fixtures().join("type-tests").join(file), type_tests.join(file)).unwrap();
        }
    }
    sh(&root, "packages/common/constructs", "pnpm exec tsc -p tsconfig.json --noEmit");

    let out = root.join("dist/packages/infra/cdk.out");
    let templates: Vec<PathBuf> = std::fs::read_dir(&out)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.to_string_lossy().ends_with(".template.json"))
        .collect();
    assert!(!templates.is_empty(), "no template in {}", out.display());
    let template: Value = serde_json::from_str(&std::fs::read_to_string(&templates[0]).unwrap()).unwrap();

    for api in &apis {
        check_api(&root, &template, api);
    }
    // The resource budget: a synth-time warning from 80% of the 500-resource limit.
    let count = template["Resources"].as_object().unwrap().len();
    // Annotations land in `<stack>.metadata.json` beside the template.
    let metadata = templates[0].to_string_lossy().replace(".template.json", ".metadata.json");
    let metadata = std::fs::read_to_string(metadata).unwrap();
    let warned = metadata.contains("of CloudFormation's 500 resources per stack");
    assert_eq!(warned, count >= 400, "{count} resources; warning in the stack's metadata: {warned}");
    eprintln!("{compute_key}/{pattern_key}: {count} resources in one stack (warning: {warned})");

    for template in &templates {
        let path = template.display().to_string();
        // No errors; warnings are reported (CDK's own explicit dependencies give W3005).
        let lint =
            sh(&root, ".", &format!("cfn-lint --format parseable --non-zero-exit-code error -- {path}"));
        assert!(!lint.lines().any(|l| l.contains(":E")), "cfn-lint errors:\n{lint}");
        sh(&root, ".", &format!("checkov --quiet --compact --framework cloudformation -f {path}"));
    }
}

/// One API's functions, methods or routes, and their settings, in the synthesised template.
fn check_api(root: &Path, template: &Value, api: &Api) {
    let ops = operations(root, api);
    assert!(ops.len() >= 4, "{}: the fixture should have several operations: {ops:?}", api.class);
    let functions: Vec<_> = resources(template, &api.class, "AWS::Lambda::Function")
        .into_iter()
        .filter(|(_, f)| f["Properties"]["Handler"] == "run.sh")
        .collect();
    let expected = if api.shared { 1 } else { ops.len() };
    assert_eq!(functions.len(), expected, "{}: Lambda functions", api.class);
    for (_, function) in &functions {
        let props = &function["Properties"];
        assert_eq!(props["Runtime"], "python3.13", "{}", api.class);
        assert_eq!(props["TracingConfig"]["Mode"], "Active", "{}", api.class);
        let env = &props["Environment"]["Variables"];
        assert_eq!(env["AWS_LAMBDA_EXEC_WRAPPER"], "/opt/bootstrap", "{}", api.class);
        let mode = if api.rest { "response_stream" } else { "buffered" };
        assert_eq!(env["AWS_LWA_INVOKE_MODE"], mode, "{}", api.class);
        assert_eq!(env["POWERTOOLS_METRICS_NAMESPACE"], api.class.as_str(), "{}", api.class);
        assert_eq!(props["SnapStart"]["ApplyOn"], "PublishedVersions", "{}", api.class);
    }
    // `allowTestInvoke: false`: no invoke permission for the console's test-invoke stage.
    for (id, permission) in resources(template, &api.class, "AWS::Lambda::Permission") {
        let source = permission["Properties"]["SourceArn"].to_string();
        assert!(!source.contains("test-invoke-stage"), "{}: {id} allows test invocations", api.class);
    }
    if api.auth == "Custom" {
        let authorizers: Vec<_> = resources(template, &api.class, "AWS::Lambda::Function")
            .into_iter()
            .filter(|(_, f)| {
                f["Properties"]["Handler"].as_str().unwrap_or("").ends_with(".authorizer.handler")
            })
            .collect();
        assert_eq!(authorizers.len(), 1, "{}: the Custom authorizer function", api.class);
    }
    if api.rest {
        let methods: Vec<_> =
            rest_methods(template, &api.class).into_iter().filter(|(m, _, _)| m != "OPTIONS").collect();
        let found: BTreeSet<(String, String)> =
            methods.iter().map(|(m, p, _)| (m.clone(), p.clone())).collect();
        assert_eq!(found, ops, "{}: REST methods", api.class);
        for (method, path, integration) in &methods {
            assert_eq!(integration["ResponseTransferMode"], "STREAM", "{}: {method} {path}", api.class);
        }
    } else {
        let routes: BTreeSet<(String, String)> = resources(template, &api.class, "AWS::ApiGatewayV2::Route")
            .into_iter()
            .filter_map(|(_, r)| {
                let key = r["Properties"]["RouteKey"].as_str()?;
                let (method, path) = key.split_once(' ')?;
                (method != "OPTIONS").then(|| (method.to_owned(), path.to_owned()))
            })
            .collect();
        assert_eq!(routes, ops, "{}: HTTP routes", api.class);
    }
}
