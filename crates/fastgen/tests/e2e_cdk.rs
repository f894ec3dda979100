//! End-to-end, CDK: one workspace with an API for each of the 16 combinations of
//! computeType × integrationPattern × auth (each with several operations: path parameters,
//! a body, a stream, two routers), a CDK app, and the real tool chain: uv, the bundle and
//! openapi targets, `fastgen codegen metadata` through Nx, `tsc` of the constructs and of the
//! type tests, `cdk synth`, `cfn-lint` and `checkov`; the synthesised template carries the
//! safe defaults (throttling, alarms, timeouts, retained logs, reserved concurrency for
//! public APIs, Cognito MFA and no implicit grant). Runs with `FASTGEN_E2E=1`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use common::fastgen;
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
#[cfg_attr(
    not(fastgen_e2e),
    ignore = "end-to-end: needs FASTGEN_E2E=1 and the tools scripts/install-tools.sh installs (scripts/test.sh sets both)"
)]
fn rest_isolated_with_every_auth_synthesises_and_scans_clean() {
    combinations(COMPUTE[0], PATTERNS[0]);
}

#[test]
#[cfg_attr(
    not(fastgen_e2e),
    ignore = "end-to-end: needs FASTGEN_E2E=1 and the tools scripts/install-tools.sh installs (scripts/test.sh sets both)"
)]
fn rest_shared_with_every_auth_synthesises_and_scans_clean() {
    combinations(COMPUTE[0], PATTERNS[1]);
}

#[test]
#[cfg_attr(
    not(fastgen_e2e),
    ignore = "end-to-end: needs FASTGEN_E2E=1 and the tools scripts/install-tools.sh installs (scripts/test.sh sets both)"
)]
fn http_isolated_with_every_auth_synthesises_and_scans_clean() {
    combinations(COMPUTE[1], PATTERNS[0]);
}

#[test]
#[cfg_attr(
    not(fastgen_e2e),
    ignore = "end-to-end: needs FASTGEN_E2E=1 and the tools scripts/install-tools.sh installs (scripts/test.sh sets both)"
)]
fn http_shared_with_every_auth_synthesises_and_scans_clean() {
    combinations(COMPUTE[1], PATTERNS[1]);
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
    sh(&root, ".", common::PNPM_INSTALL);
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
        check_safe_defaults(&template, api);
    }
    check_stack_safe_defaults(&template);
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
        assert_eq!(env["AWS_LWA_SNAPSTART_AFTER_RESTORE_PATH"], "/__after_restore", "{}", api.class);
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

/// The stage throttling, reserved concurrency and alarm thresholds the constructs default to.
const THROTTLE_RATE_LIMIT: u64 = 100;
const THROTTLE_BURST_LIMIT: u64 = 200;
const PUBLIC_RESERVED_CONCURRENCY: u64 = 10;
/// The longest REST integration timeout fastgen generates by default, and HTTP's hard limit.
const REST_INTEGRATION_TIMEOUT_MS: u64 = 29_000;
const HTTP_INTEGRATION_TIMEOUT_MS: u64 = 30_000;

/// The logical id a `{"Ref": id}` or `{"Fn::GetAtt": [id, …]}` points at.
fn ref_target(value: &Value) -> Option<&str> {
    value
        .get("Ref")
        .and_then(Value::as_str)
        .or_else(|| value.get("Fn::GetAtt").and_then(|a| a.get(0)).and_then(Value::as_str))
}

/// Every logical id referenced anywhere inside `value`.
fn refs_in(value: &Value, out: &mut BTreeSet<String>) {
    match value {
        Value::Object(map) => {
            if let Some(target) = ref_target(value) {
                out.insert(target.to_owned());
            }
            map.values().for_each(|v| refs_in(v, out));
        }
        Value::Array(items) => items.iter().for_each(|v| refs_in(v, out)),
        _ => {}
    }
}

/// The Lambda function (logical id) behind an integration URI: URI → published version → function.
fn integration_function<'a>(template: &'a Value, uri: &Value) -> (&'a str, &'a Value) {
    let all = template["Resources"].as_object().unwrap();
    let mut targets = BTreeSet::new();
    refs_in(uri, &mut targets);
    let version = targets
        .iter()
        .find(|id| all.get(id.as_str()).is_some_and(|r| r["Type"] == "AWS::Lambda::Version"))
        .unwrap_or_else(|| panic!("no published version in the integration URI {uri}"));
    let function = ref_target(&all[version.as_str()]["Properties"]["FunctionName"]).unwrap();
    let (id, resource) = all.get_key_value(function).unwrap();
    (id.as_str(), resource)
}

/// The metrics (namespace, name, dimensions' referenced logical ids or values) an alarm reads,
/// whether it reads one metric or a metric math expression.
fn alarm_metrics(alarm: &Value) -> Vec<(String, String, Value)> {
    let props = &alarm["Properties"];
    if let Some(queries) = props["Metrics"].as_array() {
        queries
            .iter()
            .filter_map(|q| {
                let metric = q.get("MetricStat")?.get("Metric")?;
                Some((
                    metric["Namespace"].as_str()?.to_owned(),
                    metric["MetricName"].as_str()?.to_owned(),
                    metric["Dimensions"].clone(),
                ))
            })
            .collect()
    } else {
        vec![(
            props["Namespace"].as_str().unwrap_or("").to_owned(),
            props["MetricName"].as_str().unwrap_or("").to_owned(),
            props["Dimensions"].clone(),
        )]
    }
}

fn as_f64(value: &Value) -> f64 {
    value.as_f64().unwrap_or_else(|| value.as_str().and_then(|s| s.parse().ok()).unwrap_or(f64::NAN))
}

/// One API's safe defaults: stage throttling, alarms over the API and every one of its
/// functions, integration timeouts above the function timeouts, reserved concurrency (auth
/// None) and the `CKV_AWS_115` suppression only where nothing is reserved.
fn check_safe_defaults(template: &Value, api: &Api) {
    let class = api.class.as_str();
    // Throttling on the stage, for every method / route.
    if api.rest {
        let stages = resources(template, class, "AWS::ApiGateway::Stage");
        assert_eq!(stages.len(), 1, "{class}: one REST stage");
        let settings = stages[0].1["Properties"]["MethodSettings"].as_array().unwrap();
        let all = settings
            .iter()
            .find(|s| s["ResourcePath"] == "/*" && s["HttpMethod"] == "*")
            .unwrap_or_else(|| panic!("{class}: no stage-wide method settings in {settings:?}"));
        assert_eq!(all["ThrottlingRateLimit"], THROTTLE_RATE_LIMIT, "{class}: stage rate limit");
        assert_eq!(all["ThrottlingBurstLimit"], THROTTLE_BURST_LIMIT, "{class}: stage burst limit");
    } else {
        let stages = resources(template, class, "AWS::ApiGatewayV2::Stage");
        assert_eq!(stages.len(), 1, "{class}: one HTTP stage");
        let route = &stages[0].1["Properties"]["DefaultRouteSettings"];
        assert_eq!(route["ThrottlingRateLimit"], THROTTLE_RATE_LIMIT, "{class}: route rate limit");
        assert_eq!(route["ThrottlingBurstLimit"], THROTTLE_BURST_LIMIT, "{class}: route burst limit");
    }

    // Every Lambda integration waits longer than its function may run, within API Gateway's limit.
    let mut integrations: Vec<(String, Value, u64)> = Vec::new();
    if api.rest {
        for (method, path, integration) in rest_methods(template, class) {
            if integration["Type"] == "AWS_PROXY" {
                let timeout = integration["TimeoutInMillis"].as_u64();
                let timeout =
                    timeout.unwrap_or_else(|| panic!("{class}: {method} {path} has no integration timeout"));
                integrations.push((format!("{method} {path}"), integration["Uri"].clone(), timeout));
            }
        }
    } else {
        for (id, integration) in resources(template, class, "AWS::ApiGatewayV2::Integration") {
            let props = &integration["Properties"];
            let timeout = props["TimeoutInMillis"].as_u64();
            let timeout = timeout.unwrap_or_else(|| panic!("{class}: {id} has no integration timeout"));
            integrations.push((id.clone(), props["IntegrationUri"].clone(), timeout));
        }
    }
    assert!(!integrations.is_empty(), "{class}: no Lambda integrations");
    let limit = if api.rest { REST_INTEGRATION_TIMEOUT_MS } else { HTTP_INTEGRATION_TIMEOUT_MS };
    for (name, uri, timeout) in &integrations {
        let (function, resource) = integration_function(template, uri);
        let function_timeout = resource["Properties"]["Timeout"].as_u64().unwrap() * 1000;
        assert!(*timeout <= limit, "{class}: {name} waits {timeout} ms, more than {limit} ms");
        assert!(
            function_timeout < *timeout,
            "{class}: {name}: {function} may run {function_timeout} ms, the integration waits {timeout} ms"
        );
    }

    // Reserved concurrency caps a public API's functions; CKV_AWS_115 is skipped only where
    // nothing is reserved (the reason the skip gives).
    let functions = resources(template, class, "AWS::Lambda::Function");
    for (id, function) in &functions {
        let reserved = function["Properties"]["ReservedConcurrentExecutions"].as_u64();
        let is_api_function = function["Properties"]["Handler"] == "run.sh";
        if api.auth == "None" && is_api_function {
            assert_eq!(reserved, Some(PUBLIC_RESERVED_CONCURRENCY), "{class}: {id} reserved concurrency");
        } else {
            assert_eq!(reserved, None, "{class}: {id} reserves concurrency without auth None");
        }
        let skips: Vec<&str> = function["Metadata"]["checkov"]["skip"]
            .as_array()
            .map(|s| s.iter().filter_map(|s| s["id"].as_str()).collect())
            .unwrap_or_default();
        assert_eq!(
            skips.contains(&"CKV_AWS_115"),
            reserved.is_none(),
            "{class}: {id}: CKV_AWS_115 skipped {skips:?} with reserved concurrency {reserved:?}"
        );
    }

    // Alarms: the API's 5xx rate and p99 latency, and errors and throttles of every function.
    let api_resource = if api.rest { "AWS::ApiGateway::RestApi" } else { "AWS::ApiGatewayV2::Api" };
    let api_ids: Vec<String> =
        resources(template, class, api_resource).into_iter().map(|(id, _)| id.clone()).collect();
    assert_eq!(api_ids.len(), 1, "{class}: one API");
    let alarms = resources(template, class, "AWS::CloudWatch::Alarm");
    let server_errors = if api.rest { "5XXError" } else { "5xx" };
    let on_this_api = |dimensions: &Value| {
        let mut targets = BTreeSet::new();
        refs_in(dimensions, &mut targets);
        let by_name = dimensions
            .as_array()
            .is_some_and(|d| d.iter().any(|d| d["Name"] == "ApiName" && d["Value"] == class));
        targets.contains(&api_ids[0]) || by_name
    };
    let rate = alarms.iter().find(|(_, a)| {
        let metrics = alarm_metrics(a);
        metrics
            .iter()
            .any(|(ns, name, dims)| ns == "AWS/ApiGateway" && name == server_errors && on_this_api(dims))
            && metrics.iter().any(|(_, name, _)| name == "Count")
    });
    let (rate_id, rate) = rate.unwrap_or_else(|| panic!("{class}: no 5xx rate alarm"));
    assert!(as_f64(&rate["Properties"]["Threshold"]) > 0.0, "{class}: {rate_id} threshold");
    let latency = alarms.iter().find(|(_, a)| {
        alarm_metrics(a)
            .iter()
            .any(|(ns, name, dims)| ns == "AWS/ApiGateway" && name == "Latency" && on_this_api(dims))
    });
    let (latency_id, latency) = latency.unwrap_or_else(|| panic!("{class}: no latency alarm"));
    assert_eq!(latency["Properties"]["ExtendedStatistic"], "p99", "{class}: {latency_id}");
    let function_ids: BTreeSet<String> = functions.iter().map(|(id, _)| (*id).clone()).collect();
    for metric in ["Errors", "Throttles"] {
        let mut watched = BTreeSet::new();
        for (_, alarm) in &alarms {
            for (ns, name, dims) in alarm_metrics(alarm) {
                if ns == "AWS/Lambda" && name == metric {
                    refs_in(&dims, &mut watched);
                }
            }
        }
        assert_eq!(watched, function_ids, "{class}: functions whose {metric} an alarm watches");
    }
    for (id, alarm) in &alarms {
        // A metric math alarm may read at most 10 metrics.
        let metrics = alarm_metrics(alarm).len();
        assert!(metrics <= 10, "{class}: {id} reads {metrics} metrics");
    }
}

/// The stack-wide safe defaults: every log group survives the stack, the Cognito user pool
/// asks for a second factor (TOTP) and its client has no implicit grant.
fn check_stack_safe_defaults(template: &Value) {
    let all = template["Resources"].as_object().unwrap();
    let log_groups: Vec<_> = all.iter().filter(|(_, r)| r["Type"] == "AWS::Logs::LogGroup").collect();
    assert!(!log_groups.is_empty(), "no log groups");
    for (id, log_group) in log_groups {
        assert_eq!(log_group["DeletionPolicy"], "Retain", "{id}: DeletionPolicy");
        assert_eq!(log_group["UpdateReplacePolicy"], "Retain", "{id}: UpdateReplacePolicy");
    }
    let pools: Vec<_> = all.iter().filter(|(_, r)| r["Type"] == "AWS::Cognito::UserPool").collect();
    let clients: Vec<_> = all.iter().filter(|(_, r)| r["Type"] == "AWS::Cognito::UserPoolClient").collect();
    // Every workspace here has IAM and Cognito APIs, so one user pool with one client.
    assert_eq!((pools.len(), clients.len()), (1, 1), "the Cognito user pool and its client");
    let pool = &pools[0].1["Properties"];
    assert!(["ON", "OPTIONAL"].contains(&pool["MfaConfiguration"].as_str().unwrap_or("OFF")), "MFA: {pool}");
    let factors = pool["EnabledMfas"].as_array().cloned().unwrap_or_default();
    assert!(factors.contains(&Value::from("SOFTWARE_TOKEN_MFA")), "TOTP is not a second factor: {factors:?}");
    let client = &clients[0].1["Properties"];
    assert_eq!(client["AllowedOAuthFlows"], serde_json::json!(["code"]), "OAuth flows of the client");
    assert_eq!(client["AllowedOAuthFlowsUserPoolClient"], true, "the client's OAuth flows are on");
    assert_ne!(client["GenerateSecret"], true, "a public (PKCE) client has no secret");
}
