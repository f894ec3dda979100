//! Terraform: for every combination of computeType × integrationPattern × auth, the
//! generated modules parse, every variable, local, module, module output, resource and data
//! reference resolves, every module call passes exactly the variables its module declares
//! (all required ones included), `terraform fmt -check -recursive` passes, and (with
//! `FASTGEN_E2E=1`) `checkov` finds nothing beyond the inline suppressions. `terraform
//! validate` needs providers from the registry: the test tries, and says plainly when it
//! cannot. A small evaluator deploys each example with its defaults, down through every
//! module it calls, and checks the safe defaults the deployment gets: stage throttling,
//! alarms, integration timeouts above the function timeouts, retained log groups and (auth
//! None) reserved concurrency.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

use common::Fixture;
use hcl::eval::{Context, Evaluate, FuncArgs, FuncDef, ParamType};
use hcl::expr::{Expression, FuncCall, ObjectKey, TemplateExpr, TraversalOperator};
use hcl::format::Format;
use hcl::template::{Directive, Element, Template};
use hcl::{Block, Body, Structure, Value};

const COMPUTE: &[(&str, &str)] =
    &[("rest", "ServerlessApiGatewayRestApi"), ("http", "ServerlessApiGatewayHttpApi")];
const PATTERNS: &[&str] = &["isolated", "shared"];
const AUTH: &[&str] = &["IAM", "Cognito", "None", "Custom"];
/// Roots that are not declarations of the module.
const BUILTIN_ROOTS: &[&str] = &["each", "count", "path", "self", "terraform"];

fn e2e() -> bool {
    std::env::var_os("FASTGEN_E2E").is_some_and(|v| v == "1")
}

/// What one module directory declares, and what it references.
#[derive(Debug, Default)]
struct Module {
    variables: BTreeMap<String, bool>,
    locals: BTreeSet<String>,
    outputs: BTreeSet<String>,
    resources: BTreeSet<String>,
    data: BTreeSet<String>,
    /// name → (source, attributes passed)
    calls: BTreeMap<String, (String, BTreeSet<String>)>,
    /// Names bound by `for` expressions, directives and `dynamic` blocks.
    bound: BTreeSet<String>,
    /// (root, first attribute, second attribute)
    references: Vec<(String, String, Option<String>)>,
}

/// The `.tf` files of the module at `dir`, in name order.
fn tf_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "tf"))
        .collect();
    files.sort();
    files
}

fn parse_module(dir: &Path) -> Module {
    let mut module = Module::default();
    for file in tf_files(dir) {
        let text = std::fs::read_to_string(&file).unwrap();
        let body: Body =
            hcl::parse(&text).unwrap_or_else(|err| panic!("{} does not parse: {err}", file.display()));
        for block in body.blocks() {
            declare(&mut module, block);
        }
        walk_body(&mut module, &body);
    }
    module
}

fn labels(block: &Block) -> Vec<String> {
    block.labels().iter().map(|l| l.as_str().to_owned()).collect()
}

fn declare(module: &mut Module, block: &Block) {
    let labels = labels(block);
    match (block.identifier(), labels.as_slice()) {
        ("variable", [name]) => {
            let required = !block.body().attributes().any(|a| a.key() == "default");
            module.variables.insert(name.clone(), required);
        }
        ("locals", []) => module.locals.extend(block.body().attributes().map(|a| a.key().to_owned())),
        ("output", [name]) => {
            module.outputs.insert(name.clone());
        }
        ("resource", [kind, name]) => {
            module.resources.insert(format!("{kind}.{name}"));
        }
        ("data", [kind, name]) => {
            module.data.insert(format!("{kind}.{name}"));
        }
        ("module", [name]) => {
            let mut source = String::new();
            let mut passed = BTreeSet::new();
            for attr in block.body().attributes() {
                match attr.key() {
                    "source" => source = expr_string(attr.expr()),
                    "version" | "providers" | "depends_on" | "count" | "for_each" => {}
                    key => {
                        passed.insert(key.to_owned());
                    }
                }
            }
            module.calls.insert(name.clone(), (source, passed));
        }
        _ => {}
    }
}

fn expr_string(expr: &Expression) -> String {
    match expr {
        Expression::String(s) => s.clone(),
        other => panic!("expected a literal string, found {other:?}"),
    }
}

fn walk_body(module: &mut Module, body: &Body) {
    for structure in body {
        match structure {
            Structure::Attribute(attr) => walk_expr(module, attr.expr()),
            Structure::Block(block) => {
                if block.identifier() == "dynamic" {
                    let name = labels(block).first().cloned().unwrap_or_default();
                    module.bound.insert(name);
                    for attr in block.body().attributes().filter(|a| a.key() == "iterator") {
                        if let Expression::Variable(v) = attr.expr() {
                            module.bound.insert(v.as_str().to_owned());
                        }
                    }
                }
                if block.identifier() == "variable" {
                    // `type = list(string)` is a type constraint, not a reference.
                    for attr in block.body().attributes().filter(|a| a.key() != "type") {
                        walk_expr(module, attr.expr());
                    }
                    for inner in block.body().blocks() {
                        walk_body(module, inner.body());
                    }
                } else {
                    walk_body(module, block.body());
                }
            }
        }
    }
}

fn walk_expr(module: &mut Module, expr: &Expression) {
    match expr {
        Expression::Array(items) => items.iter().for_each(|e| walk_expr(module, e)),
        Expression::Object(object) => {
            for (key, value) in object {
                if let ObjectKey::Expression(key) = key {
                    walk_expr(module, key);
                }
                walk_expr(module, value);
            }
        }
        Expression::TemplateExpr(template) => walk_template_expr(module, template),
        Expression::Variable(v) => module.references.push((v.as_str().to_owned(), String::new(), None)),
        Expression::Traversal(traversal) => {
            let attrs: Vec<String> = traversal
                .operators
                .iter()
                .map_while(|op| match op {
                    TraversalOperator::GetAttr(id) => Some(id.as_str().to_owned()),
                    _ => None,
                })
                .collect();
            for op in &traversal.operators {
                if let TraversalOperator::Index(index) = op {
                    walk_expr(module, index);
                }
            }
            if let Expression::Variable(root) = &traversal.expr {
                module.references.push((
                    root.as_str().to_owned(),
                    attrs.first().cloned().unwrap_or_default(),
                    attrs.get(1).cloned(),
                ));
            } else {
                walk_expr(module, &traversal.expr);
            }
        }
        Expression::FuncCall(call) => call.args.iter().for_each(|e| walk_expr(module, e)),
        Expression::Parenthesis(inner) => walk_expr(module, inner),
        Expression::Conditional(c) => {
            walk_expr(module, &c.cond_expr);
            walk_expr(module, &c.true_expr);
            walk_expr(module, &c.false_expr);
        }
        Expression::Operation(op) => match op.as_ref() {
            hcl::expr::Operation::Unary(u) => walk_expr(module, &u.expr),
            hcl::expr::Operation::Binary(b) => {
                walk_expr(module, &b.lhs_expr);
                walk_expr(module, &b.rhs_expr);
            }
        },
        Expression::ForExpr(f) => {
            if let Some(key) = &f.key_var {
                module.bound.insert(key.as_str().to_owned());
            }
            module.bound.insert(f.value_var.as_str().to_owned());
            walk_expr(module, &f.collection_expr);
            if let Some(key) = &f.key_expr {
                walk_expr(module, key);
            }
            walk_expr(module, &f.value_expr);
            if let Some(cond) = &f.cond_expr {
                walk_expr(module, cond);
            }
        }
        _ => {}
    }
}

fn walk_template_expr(module: &mut Module, template: &TemplateExpr) {
    let template =
        Template::from_expr(template).unwrap_or_else(|err| panic!("bad template {template:?}: {err}"));
    walk_template(module, &template);
}

fn walk_template(module: &mut Module, template: &Template) {
    for element in template.elements() {
        match element {
            Element::Literal(_) => {}
            Element::Interpolation(i) => walk_expr(module, &i.expr),
            Element::Directive(directive) => match directive.as_ref() {
                Directive::If(d) => {
                    walk_expr(module, &d.cond_expr);
                    walk_template(module, &d.true_template);
                    if let Some(f) = &d.false_template {
                        walk_template(module, f);
                    }
                }
                Directive::For(d) => {
                    if let Some(key) = &d.key_var {
                        module.bound.insert(key.as_str().to_owned());
                    }
                    module.bound.insert(d.value_var.as_str().to_owned());
                    walk_expr(module, &d.collection_expr);
                    walk_template(module, &d.template);
                }
            },
        }
    }
}

/// Every module directory under `root` (a directory with `.tf` files).
fn module_dirs(root: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let mut has_tf = false;
        for entry in std::fs::read_dir(&dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() && !path.ends_with(".terraform") {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "tf") {
                has_tf = true;
            }
        }
        if has_tf {
            out.push(dir);
        }
    }
    out.sort();
    out
}

/// Check every reference of every module under `root`; return the problems found.
fn check_references(root: &Path) -> Vec<String> {
    let mut problems = Vec::new();
    for dir in module_dirs(root) {
        let module = parse_module(&dir);
        let name = dir.strip_prefix(root).unwrap().display().to_string();
        for (root_name, first, second) in &module.references {
            let ok = match root_name.as_str() {
                "var" => module.variables.contains_key(first),
                "local" => module.locals.contains(first),
                "module" => match module.calls.get(first) {
                    None => false,
                    Some((source, _)) => match second {
                        Some(output) if source.starts_with('.') => {
                            parse_module(&dir.join(source)).outputs.contains(output)
                        }
                        _ => true,
                    },
                },
                "data" => second.as_ref().is_some_and(|s| module.data.contains(&format!("{first}.{s}"))),
                r if BUILTIN_ROOTS.contains(&r) || module.bound.contains(r) => true,
                r if first.is_empty() => module.bound.contains(r),
                r => module.resources.contains(&format!("{r}.{first}")),
            };
            if !ok {
                let second = second.as_deref().map(|s| format!(".{s}")).unwrap_or_default();
                problems.push(format!("{name}: `{root_name}.{first}{second}` does not resolve"));
            }
        }
        for (call, (source, passed)) in &module.calls {
            if !source.starts_with('.') {
                continue;
            }
            let target = dir.join(source);
            if !target.is_dir() {
                problems.push(format!("{name}: module `{call}` has a missing source `{source}`"));
                continue;
            }
            let called = parse_module(&target);
            for (variable, required) in &called.variables {
                if *required && !passed.contains(variable) {
                    problems.push(format!("{name}: module `{call}` does not pass the required `{variable}`"));
                }
            }
            for key in passed {
                if !called.variables.contains_key(key) {
                    problems.push(format!(
                        "{name}: module `{call}` passes `{key}`, which `{source}` does not declare"
                    ));
                }
            }
        }
    }
    problems
}

fn generated_workspace(compute: &str, pattern: &str, auth: &str) -> Fixture {
    let fixture = Fixture::new(&["--iac-provider", "Terraform"]);
    let run = fixture.run(&[
        "generate",
        "fast-api",
        "my-api",
        "--computeType",
        compute,
        "--integrationPattern",
        pattern,
        "--auth",
        auth,
    ]);
    assert_eq!(run.code, 0, "{run:?}");
    // What the `generate:my-api-metadata` target writes at build time.
    let operations =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/terraform/operations.json");
    fixture.write(
        "packages/common/terraform/src/generated/my-api/operations.json",
        &std::fs::read_to_string(operations).unwrap(),
    );
    fixture
}

fn tool(name: &str) -> bool {
    Command::new(name).arg("--version").output().is_ok_and(|o| o.status.success())
}

fn run_in(dir: &Path, program: &str, args: &[&str]) -> (bool, String) {
    let output = Command::new(program).args(args).current_dir(dir).output().unwrap();
    let text =
        format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    (output.status.success(), text)
}

#[test]
fn every_combination_parses_resolves_and_is_formatted() {
    let terraform = tool("terraform");
    if !terraform {
        assert!(!e2e(), "terraform is not on PATH");
        eprintln!("terraform is not on PATH: `terraform fmt -check` skipped (scripts/test.sh requires it)");
    }
    for (compute_key, compute) in COMPUTE {
        for pattern in PATTERNS {
            for auth in AUTH {
                let combo = format!("{compute_key}/{pattern}/{auth}");
                let fixture = generated_workspace(compute, pattern, auth);
                let root = fixture.root.join("packages/common/terraform");
                assert!(module_dirs(&root).len() >= 3, "{combo}: too few modules under {}", root.display());
                let problems = check_references(&root);
                assert!(problems.is_empty(), "{combo}:\n{}", problems.join("\n"));
                // The API module finds the workspace root (and so the bundle) from its own path.
                let api_module = root.join("src/app/apis/my-api");
                let main = std::fs::read_to_string(api_module.join("main.tf")).unwrap();
                let ups = main
                    .split("\"${path.module}/")
                    .nth(1)
                    .and_then(|rest| rest.split('"').next())
                    .map(|up| up.matches("..").count())
                    .unwrap();
                let found = api_module.ancestors().nth(ups).unwrap();
                assert_eq!(found, fixture.root, "{combo}: the default workspace_root is {ups} levels up");
                if terraform {
                    let (ok, out) = run_in(&root, "terraform", &["fmt", "-check", "-recursive", "-diff"]);
                    assert!(ok, "{combo}: terraform fmt -check failed:\n{out}");
                }
            }
        }
    }
}

#[test]
#[cfg_attr(
    not(fastgen_e2e),
    ignore = "end-to-end: needs FASTGEN_E2E=1 and the tools scripts/install-tools.sh installs (scripts/test.sh sets both)"
)]
fn every_combination_passes_checkov_and_validate_where_possible() {
    let mut validate_reported = false;
    for (compute_key, compute) in COMPUTE {
        for pattern in PATTERNS {
            for auth in AUTH {
                let combo = format!("{compute_key}/{pattern}/{auth}");
                let fixture = generated_workspace(compute, pattern, auth);
                let root = fixture.root.join("packages/common/terraform");
                let (ok, out) = run_in(
                    &root,
                    "checkov",
                    &[
                        "--directory",
                        ".",
                        "--framework",
                        "terraform",
                        "--quiet",
                        "--compact",
                        "--download-external-modules",
                        "false",
                    ],
                );
                assert!(ok, "{combo}: checkov failed:\n{out}");
                let example = root.join("examples/my-api");
                let (init_ok, init_out) =
                    run_in(&example, "terraform", &["init", "-backend=false", "-input=false", "-no-color"]);
                if init_ok {
                    let (ok, out) = run_in(&example, "terraform", &["validate", "-no-color"]);
                    assert!(ok, "{combo}: terraform validate failed:\n{out}");
                } else if !validate_reported {
                    validate_reported = true;
                    let reason =
                        init_out.lines().find(|l| l.contains("Error")).unwrap_or("terraform init failed");
                    eprintln!(
                        "terraform validate NOT RUN: the providers cannot be installed on this machine (no access to the Terraform registry): {reason}"
                    );
                }
            }
        }
    }
}

/// A Terraform workspace with three APIs (REST isolated IAM, HTTP shared Cognito, REST shared
/// None), a website connected to all of them (`web`), one connected to none (`docs`), one to
/// the IAM API only (`admin`) and one to the None API only (`blog`).
fn website_workspace() -> Fixture {
    let fixture = generated_workspace("ServerlessApiGatewayRestApi", "isolated", "IAM");
    for args in [
        &[
            "generate",
            "fast-api",
            "second",
            "--computeType",
            "http",
            "--integrationPattern",
            "shared",
            "--auth",
            "Cognito",
        ][..],
        &["generate", "fast-api", "third", "--integrationPattern", "shared", "--auth", "None"],
        &["generate", "website", "web"],
        &["generate", "website", "docs"],
        &["generate", "connection", "--source", "web", "--target", "demo.my_api"],
        &["generate", "connection", "--source", "web", "--target", "demo.second"],
        &["generate", "connection", "--source", "web", "--target", "demo.third"],
        &["generate", "website", "admin"],
        &["generate", "connection", "--source", "admin", "--target", "demo.my_api"],
        &["generate", "website", "blog"],
        &["generate", "connection", "--source", "blog", "--target", "demo.third"],
    ] {
        let run = fixture.run(args);
        assert_eq!(run.code, 0, "{args:?}: {run:?}");
    }
    fixture
}

#[test]
fn websites_parse_resolve_and_are_formatted() {
    let fixture = website_workspace();
    let root = fixture.root.join("packages/common/terraform");
    for dir in [
        "src/core/static-website",
        "src/app/static-websites/web",
        "examples/website-web",
        "examples/website-docs",
        "examples/website-admin",
        "examples/website-blog",
    ] {
        assert!(root.join(dir).join("main.tf").is_file(), "{dir}/main.tf is missing");
    }
    let problems = check_references(&root);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    // The website module finds the workspace root (and so the build) from its own path.
    let module = root.join("src/app/static-websites/web");
    let main = std::fs::read_to_string(module.join("main.tf")).unwrap();
    let ups = main
        .split("\"${path.module}/")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .map(|up| up.matches("..").count())
        .unwrap();
    assert_eq!(
        module.ancestors().nth(ups).unwrap(),
        fixture.root,
        "the default workspace_root is {ups} levels up"
    );
    // The connected website's example deploys every API and narrows their CORS to the site.
    let example = std::fs::read_to_string(root.join("examples/website-web/main.tf")).unwrap();
    for api in ["my_api", "second", "third"] {
        assert!(example.contains(&format!("module \"api_{api}\"")), "{api} is not deployed:\n{example}");
    }
    assert_eq!(
        example.matches("cors_allowed_origins = concat([module.website.url], var.allowed_origins)").count(),
        3,
        "{example}"
    );
    let unconnected = std::fs::read_to_string(root.join("examples/website-docs/main.tf")).unwrap();
    assert!(!unconnected.contains("module \"api_"), "{unconnected}");
    if tool("terraform") {
        let (ok, out) = run_in(&root, "terraform", &["fmt", "-check", "-recursive", "-diff"]);
        assert!(ok, "terraform fmt -check failed:\n{out}");
    } else {
        assert!(!e2e(), "terraform is not on PATH");
    }
}

/// The `resource`, `data` and `module` blocks of a root module's `main.tf`, by address
/// (`aws_iam_role.authenticated`, `data.aws_iam_policy_document.trust`, `module.website`).
fn main_tf_blocks(dir: &Path) -> BTreeMap<String, Block> {
    let text = std::fs::read_to_string(dir.join("main.tf")).unwrap();
    let body: Body = hcl::parse(&text).unwrap();
    body.into_blocks()
        .filter_map(|block| {
            let address = match (block.identifier(), labels(&block).as_slice()) {
                ("resource", [kind, name]) => format!("{kind}.{name}"),
                ("data", [kind, name]) => format!("data.{kind}.{name}"),
                ("module", [name]) => format!("module.{name}"),
                _ => return None,
            };
            Some((address, block))
        })
        .collect()
}

/// The expression at `path` in a block (nested blocks, then an attribute, then object keys),
/// printed as compact HCL (`aws_iam_role.authenticated.arn`, `["authenticated"]`).
fn hcl_at(block: &Block, path: &str) -> Option<String> {
    let mut parts = path.split('.');
    let mut body = block.body();
    let mut expr = loop {
        let part = parts.next()?;
        if let Some(attr) = body.attributes().find(|a| a.key() == part) {
            break attr.expr().clone();
        }
        body = body.blocks().find(|b| b.identifier() == part)?.body();
    };
    for key in parts {
        let Expression::Object(object) = expr else { return None };
        expr = object.into_iter().find_map(|(k, v)| {
            let name = match k {
                ObjectKey::Identifier(id) => id.to_string(),
                ObjectKey::Expression(Expression::String(s)) => s,
                _ => return None,
            };
            (name == key).then_some(v)
        })?;
    }
    let mut formatter = hcl::format::Formatter::builder().compact(true).build_vec();
    Some(String::from_utf8(expr.format_vec(&mut formatter).unwrap()).unwrap())
}

#[test]
fn iam_connections_get_an_identity_pool_that_may_invoke_those_apis_only() {
    let fixture = website_workspace();
    let root = fixture.root.join("packages/common/terraform");
    // web: IAM (my_api), Cognito and None APIs; admin: the IAM API only.
    for example in ["website-web", "website-admin"] {
        let blocks = main_tf_blocks(&root.join("examples").join(example));
        let at = |address: &str, path: &str| {
            let block = blocks.get(address).unwrap_or_else(|| panic!("{example}: no {address}"));
            hcl_at(block, path).unwrap_or_else(|| panic!("{example}: {address} has no {path}"))
        };
        // The user pool signs the users in (with IAM auth alone too) and is the pool's only provider.
        for address in [
            "aws_cognito_user_pool.users",
            "aws_cognito_user_pool_client.web",
            "aws_cognito_user_pool_domain.sign_in",
        ] {
            assert!(blocks.contains_key(address), "{example}: no {address}");
        }
        let pool = "aws_cognito_identity_pool.users";
        assert_eq!(at(pool, "allow_unauthenticated_identities"), "false", "{example}");
        assert_eq!(at(pool, "allow_classic_flow"), "false", "{example}");
        assert_eq!(at(pool, "cognito_identity_providers.client_id"), "aws_cognito_user_pool_client.web.id");
        assert_eq!(
            at(pool, "cognito_identity_providers.provider_name"),
            "aws_cognito_user_pool.users.endpoint"
        );
        // The role: assumed by this pool's signed-in identities only.
        let trust = &blocks["data.aws_iam_policy_document.authenticated_trust"];
        let statement = trust.body().blocks().find(|b| b.identifier() == "statement").unwrap();
        assert_eq!(hcl_at(statement, "actions").unwrap(), r#"["sts:AssumeRoleWithWebIdentity"]"#);
        assert_eq!(hcl_at(statement, "principals.type").unwrap(), r#""Federated""#);
        assert_eq!(
            hcl_at(statement, "principals.identifiers").unwrap(),
            r#"["cognito-identity.amazonaws.com"]"#
        );
        let conditions: BTreeSet<(String, String, String)> = statement
            .body()
            .blocks()
            .filter(|b| b.identifier() == "condition")
            .map(|c| {
                (hcl_at(c, "test").unwrap(), hcl_at(c, "variable").unwrap(), hcl_at(c, "values").unwrap())
            })
            .collect();
        assert_eq!(
            conditions,
            BTreeSet::from([
                (
                    r#""StringEquals""#.to_owned(),
                    r#""cognito-identity.amazonaws.com:aud""#.to_owned(),
                    "[aws_cognito_identity_pool.users.id]".to_owned()
                ),
                (
                    r#""ForAnyValue:StringLike""#.to_owned(),
                    r#""cognito-identity.amazonaws.com:amr""#.to_owned(),
                    r#"["authenticated"]"#.to_owned()
                ),
            ]),
            "{example}"
        );
        assert_eq!(
            at("aws_iam_role.authenticated", "assume_role_policy"),
            "data.aws_iam_policy_document.authenticated_trust.json"
        );
        // Its only permissions: the invoke policy of the IAM API (not of the Cognito or None ones).
        let policies: Vec<(String, String)> = blocks
            .iter()
            .filter(|(address, _)| address.starts_with("aws_iam_role_policy."))
            .map(|(_, block)| (hcl_at(block, "role").unwrap(), hcl_at(block, "policy").unwrap()))
            .collect();
        assert_eq!(
            policies,
            vec![(
                "aws_iam_role.authenticated.id".to_owned(),
                "module.api_my_api.invoke_policy_json".to_owned()
            )],
            "{example}"
        );
        assert!(
            !blocks.keys().any(|a| a.starts_with("aws_iam_role_policy_attachment.") || a.starts_with("aws_iam_policy.")),
            "{example}: other policies"
        );
        let attachment = "aws_cognito_identity_pool_roles_attachment.users";
        assert_eq!(at(attachment, "identity_pool_id"), "aws_cognito_identity_pool.users.id");
        assert_eq!(at(attachment, "roles.authenticated"), "aws_iam_role.authenticated.arn");
        // The site reads the pool from its runtime configuration and may call Cognito Identity.
        assert_eq!(
            at("module.website", "runtime_config.cognito.identityPoolId"),
            "aws_cognito_identity_pool.users.id"
        );
        assert!(
            at("module.website", "connect_sources")
                .contains("\"https://cognito-identity.${var.region}.amazonaws.com\""),
            "{example}"
        );
    }
    // That invoke policy is execute-api:Invoke on the REST API's own stage.
    let rest = main_tf_blocks(&root.join("src/core/api/rest-api"));
    let statement = rest["data.aws_iam_policy_document.invoke"]
        .body()
        .blocks()
        .find(|b| b.identifier() == "statement")
        .unwrap();
    assert_eq!(hcl_at(statement, "actions").unwrap(), r#"["execute-api:Invoke"]"#);
    assert_eq!(
        hcl_at(statement, "resources").unwrap(),
        r#"["${aws_api_gateway_rest_api.this.execution_arn}/${var.stage_name}/*/*"]"#
    );

    // blog: the None API only; docs: no API. No identity pool, role or identityPoolId (nor a
    // user pool: nothing to sign in to).
    for example in ["website-blog", "website-docs"] {
        let blocks = main_tf_blocks(&root.join("examples").join(example));
        let cognito_or_iam: Vec<&String> =
            blocks.keys().filter(|a| a.starts_with("aws_cognito_") || a.contains("aws_iam_")).collect();
        assert!(cognito_or_iam.is_empty(), "{example}: {cognito_or_iam:?}");
        assert_eq!(hcl_at(&blocks["module.website"], "runtime_config.cognito"), None, "{example}");
        let text = std::fs::read_to_string(root.join("examples").join(example).join("main.tf")).unwrap();
        assert!(!text.contains("identityPoolId") && !text.contains("cognito-identity"), "{example}:\n{text}");
    }
}

#[test]
#[cfg_attr(
    not(fastgen_e2e),
    ignore = "end-to-end: needs FASTGEN_E2E=1 and the tools scripts/install-tools.sh installs (scripts/test.sh sets both)"
)]
fn websites_pass_checkov() {
    let fixture = website_workspace();
    let root = fixture.root.join("packages/common/terraform");
    let (ok, out) = run_in(
        &root,
        "checkov",
        &[
            "--directory",
            ".",
            "--framework",
            "terraform",
            "--quiet",
            "--compact",
            "--download-external-modules",
            "false",
        ],
    );
    assert!(ok, "checkov failed:\n{out}");
    // The website's resources were scanned (and not skipped wholesale).
    let (_, listed) = run_in(
        &root,
        "checkov",
        &[
            "--directory",
            ".",
            "--framework",
            "terraform",
            "--compact",
            "--download-external-modules",
            "false",
            "--check",
            "CKV2_AWS_32,CKV_AWS_86,CKV_AWS_305",
        ],
    );
    for check in ["CKV2_AWS_32", "CKV_AWS_86", "CKV_AWS_305"] {
        assert!(listed.contains(&format!("Check: {check}")), "{check} did not run:\n{listed}");
    }
    assert!(!listed.contains("FAILED"), "{listed}");
}

#[test]
fn the_reference_checker_catches_broken_references() {
    let temp = tempfile::tempdir().unwrap();
    let root = temp.path();
    std::fs::create_dir_all(root.join("child")).unwrap();
    std::fs::create_dir_all(root.join("parent")).unwrap();
    std::fs::write(
        root.join("child/main.tf"),
        "variable \"needed\" {\n  type = string\n}\noutput \"id\" {\n  value = var.needed\n}\n",
    )
    .unwrap();
    std::fs::write(
        root.join("parent/main.tf"),
        concat!(
            "variable \"known\" {\n  type = string\n}\n",
            "locals {\n  a = var.known\n}\n",
            "module \"child\" {\n  source = \"../child\"\n  unknown = local.a\n}\n",
            "resource \"aws_s3_bucket\" \"b\" {\n  bucket = \"${var.missing}-${local.nope}\"\n}\n",
            "output \"x\" {\n  value = [module.child.nope, aws_s3_bucket.c.id, aws_s3_bucket.b.id, [for k in var.known : k]]\n}\n",
        ),
    )
    .unwrap();
    let problems = check_references(root);
    assert_eq!(
        problems,
        vec![
            "parent: `var.missing` does not resolve",
            "parent: `local.nope` does not resolve",
            "parent: `module.child.nope` does not resolve",
            "parent: `aws_s3_bucket.c.id` does not resolve",
            "parent: module `child` does not pass the required `needed`",
            "parent: module `child` passes `unknown`, which `../child` does not declare",
        ]
    );
}

// ---------------------------------------------------------------------------------------------
// What a default deployment gets: the example root module evaluated with its defaults, down
// through every module it calls. Resources, data sources and module outputs are known only
// after apply; they evaluate to a placeholder naming them.
// ---------------------------------------------------------------------------------------------

const UNKNOWN: &str = "(known after apply)";
/// Functions the evaluator computes; any other function call is unknown.
const FUNCTIONS: &[&str] = &[
    "coalesce",
    "concat",
    "contains",
    "distinct",
    "file",
    "flatten",
    "jsondecode",
    "keys",
    "length",
    "lookup",
    "max",
    "merge",
    "min",
    "toset",
    "tostring",
    "upper",
    "values",
];

fn unknown(what: &str) -> Value {
    Value::from(format!("{UNKNOWN}: {what}"))
}

fn is_unknown(value: &Value) -> bool {
    value.as_str().is_some_and(|s| s.starts_with(UNKNOWN))
}

fn integers(args: &[Value]) -> Result<Vec<i64>, String> {
    args.iter().map(|a| a.as_i64().ok_or_else(|| format!("{a} is not an integer"))).collect()
}

fn func(name: &str) -> FuncDef {
    let f: fn(FuncArgs) -> Result<Value, String> = match name {
        "coalesce" => |args| Ok(args.iter().find(|a| !a.is_null()).cloned().unwrap_or(Value::Null)),
        "concat" => |args| {
            Ok(Value::Array(args.iter().flat_map(|a| a.as_array().cloned().unwrap_or_default()).collect()))
        },
        "distinct" | "toset" => |args| {
            let mut out: Vec<Value> = Vec::new();
            for item in args[0].as_array().cloned().unwrap_or_default() {
                if !out.contains(&item) {
                    out.push(item);
                }
            }
            Ok(Value::Array(out))
        },
        "flatten" => |args| {
            fn flat(value: &Value, out: &mut Vec<Value>) {
                match value {
                    Value::Array(items) => items.iter().for_each(|v| flat(v, out)),
                    other => out.push(other.clone()),
                }
            }
            let mut out = Vec::new();
            flat(&args[0], &mut out);
            Ok(Value::Array(out))
        },
        "contains" => {
            |args| Ok(Value::Bool(args[0].as_array().is_some_and(|items| items.contains(&args[1]))))
        }
        "file" => |args| {
            std::fs::read_to_string(args[0].as_str().unwrap_or(""))
                .map(Value::from)
                .map_err(|e| e.to_string())
        },
        "jsondecode" => |args| {
            let json: serde_json::Value =
                serde_json::from_str(args[0].as_str().unwrap_or("")).map_err(|e| e.to_string())?;
            hcl::to_value(json).map_err(|e| e.to_string())
        },
        "keys" => |args| {
            Ok(Value::Array(
                args[0].as_object().map(|o| o.keys().cloned().map(Value::from).collect()).unwrap_or_default(),
            ))
        },
        "length" => |args| {
            Ok(Value::from(
                args[0].as_array().map(Vec::len).or(args[0].as_object().map(hcl::Map::len)).unwrap_or(0)
                    as u64,
            ))
        },
        "lookup" => |args| {
            Ok(args[0]
                .as_object()
                .and_then(|o| o.get(args[1].as_str().unwrap_or("")))
                .cloned()
                .unwrap_or_else(|| args.get(2).cloned().unwrap_or(Value::Null)))
        },
        "max" => |args| Ok(Value::from(integers(&args)?.into_iter().max().unwrap_or_default())),
        "merge" => |args| {
            let mut out = hcl::Map::new();
            for arg in args.iter() {
                out.extend(arg.as_object().cloned().unwrap_or_default());
            }
            Ok(Value::Object(out))
        },
        "min" => |args| Ok(Value::from(integers(&args)?.into_iter().min().unwrap_or_default())),
        "tostring" => |args| Ok(Value::from(args[0].to_string().trim_matches('"').to_owned())),
        "upper" => |args| Ok(Value::from(args[0].as_str().unwrap_or("").to_uppercase())),
        "values" => |args| {
            Ok(Value::Array(args[0].as_object().map(|o| o.values().cloned().collect()).unwrap_or_default()))
        },
        other => panic!("no function {other}"),
    };
    FuncDef::builder().variadic_param(ParamType::Any).build(f)
}

/// Variables in scope: `var`, `local`, `path`, `each`, `count` and names bound by `for`.
#[derive(Clone)]
struct Scope {
    ctx: Context<'static>,
    names: BTreeSet<String>,
}

impl Scope {
    fn new() -> Scope {
        let mut ctx = Context::new();
        for name in FUNCTIONS {
            ctx.declare_func(*name, func(name));
        }
        Scope { ctx, names: BTreeSet::new() }
    }

    fn with(&self, name: &str, value: Value) -> Scope {
        let mut scope = self.clone();
        scope.ctx.declare_var(name, value);
        scope.names.insert(name.to_owned());
        scope
    }
}

fn object(entries: &[(&str, Value)]) -> Value {
    Value::Object(entries.iter().map(|(k, v)| ((*k).to_owned(), v.clone())).collect())
}

fn literal(value: Value) -> Expression {
    Expression::from(value)
}

fn hcl_eval(expr: &Expression, scope: &Scope) -> Result<Value, String> {
    expr.evaluate(&scope.ctx).map_err(|e| e.to_string())
}

/// The value of `expr`, or an error where Terraform would fail (a missing key, say).
fn eval(expr: &Expression, scope: &Scope) -> Result<Value, String> {
    match expr {
        Expression::FuncCall(call) => eval_call(call, scope),
        Expression::ForExpr(f) => eval_for(f, scope),
        Expression::Conditional(c) => match eval(&c.cond_expr, scope)? {
            Value::Bool(true) => eval(&c.true_expr, scope),
            Value::Bool(false) => eval(&c.false_expr, scope),
            other if is_unknown(&other) => Ok(other),
            other => Err(format!("condition is {other:?}")),
        },
        Expression::Operation(op) => {
            let rebuilt = match op.as_ref() {
                hcl::expr::Operation::Unary(u) => {
                    let value = eval(&u.expr, scope)?;
                    if is_unknown(&value) {
                        return Ok(value);
                    }
                    Expression::from(hcl::expr::UnaryOp::new(u.operator, literal(value)))
                }
                hcl::expr::Operation::Binary(b) => {
                    let (lhs, rhs) = (eval(&b.lhs_expr, scope)?, eval(&b.rhs_expr, scope)?);
                    if is_unknown(&lhs) || is_unknown(&rhs) {
                        return Ok(unknown("operation"));
                    }
                    Expression::from(hcl::expr::BinaryOp::new(literal(lhs), b.operator, literal(rhs)))
                }
            };
            hcl_eval(&rebuilt, scope)
        }
        Expression::Traversal(traversal) => eval_traversal(traversal, scope),
        Expression::Variable(v) if !scope.names.contains(v.as_str()) => Ok(unknown(v.as_str())),
        Expression::Array(items) => {
            Ok(Value::Array(items.iter().map(|e| eval(e, scope)).collect::<Result<_, _>>()?))
        }
        Expression::Object(object) => {
            let mut out = hcl::Map::new();
            for (key, value) in object {
                let key = match key {
                    ObjectKey::Identifier(id) => id.as_str().to_owned(),
                    ObjectKey::Expression(e) => {
                        let key = eval(e, scope)?;
                        key.as_str().map_or_else(|| key.to_string(), str::to_owned)
                    }
                    other => return Err(format!("object key {other:?}")),
                };
                out.insert(key, eval(value, scope)?);
            }
            Ok(Value::Object(out))
        }
        Expression::Parenthesis(inner) => eval(inner, scope),
        Expression::TemplateExpr(template) => eval_template(template, scope),
        other => hcl_eval(other, scope),
    }
}

/// `can` and `try` evaluate lazily; the other functions are computed when `FUNCTIONS` has them.
fn eval_call(call: &FuncCall, scope: &Scope) -> Result<Value, String> {
    let name = call.name.to_string();
    if name == "can" {
        return match eval(&call.args[0], scope) {
            Ok(value) if is_unknown(&value) => Ok(value),
            Ok(_) => Ok(Value::Bool(true)),
            Err(_) => Ok(Value::Bool(false)),
        };
    }
    if name == "try" {
        return call
            .args
            .iter()
            .find_map(|arg| eval(arg, scope).ok())
            .ok_or_else(|| "no argument of try evaluates".to_owned());
    }
    let mut args = call.args.iter().map(|a| eval(a, scope)).collect::<Result<Vec<_>, _>>()?;
    if call.expand_final
        && let Some(Value::Array(items)) = args.pop()
    {
        args.extend(items);
    }
    if !FUNCTIONS.contains(&name.as_str()) || args.iter().any(is_unknown) {
        return Ok(unknown(&name));
    }
    let mut rebuilt = FuncCall::new(call.name.clone());
    rebuilt.args = args.into_iter().map(literal).collect();
    hcl_eval(&Expression::from(rebuilt), scope)
}

fn eval_for(f: &hcl::expr::ForExpr, scope: &Scope) -> Result<Value, String> {
    let collection = eval(&f.collection_expr, scope)?;
    let entries: Vec<(Value, Value)> = match collection {
        Value::Object(map) => map.into_iter().map(|(k, v)| (Value::from(k), v)).collect(),
        Value::Array(items) => {
            items.into_iter().enumerate().map(|(i, v)| (Value::from(i as u64), v)).collect()
        }
        other if is_unknown(&other) => return Ok(other),
        other => return Err(format!("cannot iterate over {other:?}")),
    };
    let mut object = hcl::Map::new();
    let mut array = Vec::new();
    for (key, value) in entries {
        let mut inner = scope.with(f.value_var.as_str(), value);
        if let Some(key_var) = &f.key_var {
            inner = inner.with(key_var.as_str(), key);
        }
        if let Some(cond) = &f.cond_expr
            && eval(cond, &inner)? != Value::Bool(true)
        {
            continue;
        }
        let value = eval(&f.value_expr, &inner)?;
        match &f.key_expr {
            Some(key) => {
                let key = eval(key, &inner)?;
                object.insert(key.as_str().map_or_else(|| key.to_string(), str::to_owned), value);
            }
            None => array.push(value),
        }
    }
    Ok(if f.key_expr.is_some() { Value::Object(object) } else { Value::Array(array) })
}

/// A traversal of a resource, data source or module output is unknown.
fn eval_traversal(traversal: &hcl::expr::Traversal, scope: &Scope) -> Result<Value, String> {
    let base = match &traversal.expr {
        Expression::Variable(root) if !scope.names.contains(root.as_str()) => {
            return Ok(unknown(&describe(root.as_str(), &traversal.operators, scope)));
        }
        other => eval(other, scope)?,
    };
    if is_unknown(&base) {
        return Ok(base);
    }
    let mut operators = Vec::new();
    for op in &traversal.operators {
        operators.push(match op {
            TraversalOperator::Index(index) => TraversalOperator::Index(literal(eval(index, scope)?)),
            other => other.clone(),
        });
    }
    hcl_eval(&Expression::from(hcl::expr::Traversal::new(literal(base), operators)), scope)
}

fn eval_template(template: &TemplateExpr, scope: &Scope) -> Result<Value, String> {
    let template = Template::from_expr(template).map_err(|e| e.to_string())?;
    let mut out = String::new();
    for element in template.elements() {
        match element {
            Element::Literal(text) => out.push_str(text),
            Element::Interpolation(i) => match eval(&i.expr, scope)? {
                // A template naming a resource (an id in a name, say) is known after apply.
                value if is_unknown(&value) => return Ok(value),
                Value::String(text) => out.push_str(&text),
                value => out.push_str(&value.to_string()),
            },
            Element::Directive(_) => return Err("template directives are not evaluated".to_owned()),
        }
    }
    Ok(Value::from(out))
}

/// `module.operation["echo"].function_name`: what an unknown traversal refers to.
fn describe(root: &str, operators: &[TraversalOperator], scope: &Scope) -> String {
    let mut out = root.to_owned();
    for op in operators {
        match op {
            TraversalOperator::GetAttr(id) => out.push_str(&format!(".{}", id.as_str())),
            TraversalOperator::Index(index) => match eval(index, scope) {
                Ok(Value::String(s)) => out.push_str(&format!("[{s:?}]")),
                Ok(other) => out.push_str(&format!("[{other}]")),
                Err(_) => out.push_str("[?]"),
            },
            TraversalOperator::LegacyIndex(i) => out.push_str(&format!(".{i}")),
            TraversalOperator::AttrSplat | TraversalOperator::FullSplat => out.push_str("[*]"),
        }
    }
    out
}

/// `value` with the defaults of the `optional(type, default)` attributes of `type_expr` filled in.
fn with_type_defaults(type_expr: &Expression, value: Value) -> Value {
    let Expression::FuncCall(call) = type_expr else { return value };
    match (call.name.to_string().as_str(), call.args.first(), value) {
        ("object", Some(Expression::Object(attrs)), Value::Object(mut object)) => {
            for (key, attr_type) in attrs {
                let ObjectKey::Identifier(key) = key else { continue };
                let (inner_type, default) = match attr_type {
                    Expression::FuncCall(optional) if optional.name.to_string() == "optional" => {
                        (&optional.args[0], optional.args.get(1).map(|d| eval(d, &Scope::new()).unwrap()))
                    }
                    other => (other, None),
                };
                let current = object.get(key.as_str()).cloned().unwrap_or(Value::Null);
                let filled = if current.is_null() { default.unwrap_or(Value::Null) } else { current };
                object.insert(key.as_str().to_owned(), with_type_defaults(inner_type, filled));
            }
            Value::Object(object)
        }
        ("map", Some(inner), Value::Object(object)) => {
            Value::Object(object.into_iter().map(|(k, v)| (k, with_type_defaults(inner, v))).collect())
        }
        ("list" | "set", Some(inner), Value::Array(items)) => {
            Value::Array(items.into_iter().map(|v| with_type_defaults(inner, v)).collect())
        }
        (_, _, value) => value,
    }
}

/// One module instance: where it is called from, its evaluated variables and locals.
struct Instance {
    address: String,
    dir: PathBuf,
    body: Vec<Structure>,
    scope: Scope,
}

impl Instance {
    fn blocks<'a>(&'a self, identifier: &'a str) -> impl Iterator<Item = &'a Block> + 'a {
        self.body.iter().filter_map(Structure::as_block).filter(move |b| b.identifier() == identifier)
    }

    /// Every instance of the resources of one type: its name, key and the scope of its body.
    fn resources(&self, kind: &str) -> Vec<(String, Scope, &Block)> {
        let mut out = Vec::new();
        for block in self.blocks("resource").filter(|b| labels(b)[0] == kind) {
            let name = labels(block)[1].clone();
            let attr =
                |key: &str| block.body().attributes().find(|a| a.key() == key).map(|a| a.expr().clone());
            if let Some(count) = attr("count") {
                let count = eval(&count, &self.scope).unwrap().as_u64().unwrap();
                for index in 0..count {
                    let scope = self.scope.with("count", object(&[("index", Value::from(index))]));
                    out.push((format!("{name}[{index}]"), scope, block));
                }
            } else if let Some(for_each) = attr("for_each") {
                let entries = match eval(&for_each, &self.scope).unwrap() {
                    Value::Object(map) => map.into_iter().collect::<Vec<_>>(),
                    Value::Array(items) => {
                        items.into_iter().map(|v| (v.as_str().unwrap().to_owned(), v)).collect()
                    }
                    other => panic!("{}: for_each of {kind}.{name} is {other:?}", self.address),
                };
                for (key, value) in entries {
                    let each = object(&[("key", Value::from(key.clone())), ("value", value)]);
                    out.push((format!("{name}[{key:?}]"), self.scope.with("each", each), block));
                }
            } else {
                out.push((name, self.scope.clone(), block));
            }
        }
        out
    }
}

/// The value of `path` (`settings.throttling_rate_limit`: nested blocks, then an attribute) in a block.
fn attr_value(block: &Block, path: &str, scope: &Scope) -> Option<Value> {
    let mut body = block.body();
    let mut parts: Vec<&str> = path.split('.').collect();
    let last = parts.pop()?;
    for part in parts {
        body = body.blocks().find(|b| b.identifier() == part)?.body();
    }
    let expr = body.attributes().find(|a| a.key() == last)?.expr();
    Some(eval(expr, scope).unwrap_or_else(|err| panic!("`{path}` does not evaluate: {err}")))
}

/// The module at `dir` called with `passed` (every module it calls, recursively, into `out`).
fn instantiate(dir: &Path, address: &str, passed: &BTreeMap<String, Value>, out: &mut Vec<Instance>) {
    let mut body = Vec::new();
    for file in tf_files(dir) {
        let parsed: Body = hcl::parse(&std::fs::read_to_string(&file).unwrap()).unwrap();
        body.extend(parsed);
    }
    let dir = dir.canonicalize().unwrap();
    let mut scope = Scope::new().with("path", object(&[("module", Value::from(dir.display().to_string()))]));
    let mut vars = hcl::Map::new();
    for block in body.iter().filter_map(Structure::as_block).filter(|b| b.identifier() == "variable") {
        let name = labels(block)[0].clone();
        let attr = |key: &str| block.body().attributes().find(|a| a.key() == key).map(|a| a.expr().clone());
        let value = match passed.get(&name) {
            Some(value) => value.clone(),
            None => attr("default").map_or_else(
                || panic!("{address}: the required variable `{name}` is not passed"),
                |d| eval(&d, &Scope::new()).unwrap(),
            ),
        };
        let value = match attr("type") {
            Some(type_expr) => with_type_defaults(&type_expr, value),
            None => value,
        };
        vars.insert(name, value);
    }
    scope = scope.with("var", Value::Object(vars));
    // Locals may use each other: evaluate until nothing more resolves.
    let mut pending: Vec<(String, Expression)> = body
        .iter()
        .filter_map(Structure::as_block)
        .filter(|b| b.identifier() == "locals")
        .flat_map(|b| {
            b.body().attributes().map(|a| (a.key().to_owned(), a.expr().clone())).collect::<Vec<_>>()
        })
        .collect();
    let mut locals = hcl::Map::new();
    while !pending.is_empty() {
        let before = pending.len();
        let in_scope = scope.with("local", Value::Object(locals.clone()));
        pending.retain(|(name, expr)| match eval(expr, &in_scope) {
            Ok(value) => {
                locals.insert(name.clone(), value);
                false
            }
            Err(_) => true,
        });
        assert!(pending.len() < before, "{address}: locals that never evaluate: {pending:?}");
    }
    scope = scope.with("local", Value::Object(locals));
    let instance = Instance { address: address.to_owned(), dir: dir.clone(), body, scope };
    let mut calls = Vec::new();
    for block in instance.blocks("module") {
        let name = labels(block)[0].clone();
        let mut source = String::new();
        let mut for_each = None;
        let mut args = Vec::new();
        for attr in block.body().attributes() {
            match attr.key() {
                "source" => source = expr_string(attr.expr()),
                "for_each" => for_each = Some(attr.expr().clone()),
                "depends_on" | "providers" | "version" | "count" => {}
                key => args.push((key.to_owned(), attr.expr().clone())),
            }
        }
        let instances: Vec<(String, Scope)> = match for_each {
            Some(expr) => match eval(&expr, &instance.scope).unwrap() {
                Value::Object(map) => map
                    .into_iter()
                    .map(|(key, value)| {
                        let each = object(&[("key", Value::from(key.clone())), ("value", value)]);
                        (format!("{address}module.{name}[{key:?}]."), instance.scope.with("each", each))
                    })
                    .collect(),
                other => panic!("{address}: for_each of module {name} is {other:?}"),
            },
            None => vec![(format!("{address}module.{name}."), instance.scope.clone())],
        };
        for (child, scope) in instances {
            let passed: BTreeMap<String, Value> = args
                .iter()
                .map(|(key, expr)| {
                    let value = eval(expr, &scope)
                        .unwrap_or_else(|e| panic!("{child}: `{key}` does not evaluate: {e}"));
                    (key.clone(), value)
                })
                .collect();
            calls.push((dir.join(&source), child, passed));
        }
    }
    out.push(instance);
    for (target, child, passed) in calls {
        instantiate(&target, &child, &passed, out);
    }
}

/// The metric names a `aws_cloudwatch_metric_alarm` reads (one metric, or its metric queries).
fn alarm_metric_names(block: &Block, scope: &Scope) -> Vec<String> {
    let mut names: Vec<String> = attr_value(block, "metric_name", scope)
        .and_then(|v| v.as_str().map(str::to_owned))
        .into_iter()
        .collect();
    for query in block.body().blocks().filter(|b| b.identifier() == "metric_query") {
        for metric in query.body().blocks().filter(|b| b.identifier() == "metric") {
            if let Some(name) = attr_value(metric, "metric_name", scope) {
                names.push(name.as_str().unwrap().to_owned());
            }
        }
    }
    names
}

fn integer(value: Option<Value>, what: &str) -> i64 {
    value.and_then(|v| v.as_i64()).unwrap_or_else(|| panic!("{what} is not an integer"))
}

/// Throttling, alarms, timeouts, retained logs and (auth None) reserved concurrency in the
/// module instances of one deployment of the example.
fn check_terraform_safe_defaults(
    combo: &str,
    rest: bool,
    isolated: bool,
    auth: &str,
    operations: usize,
    instances: &[Instance],
) {
    // Every variable validation that can be evaluated here (regex needs an engine) holds for
    // the defaults; the function timeout's (below the integration's limit) always can.
    let mut timeout_validated = false;
    for instance in instances {
        for variable in instance.blocks("variable") {
            let name = &labels(variable)[0];
            for validation in variable.body().blocks().filter(|b| b.identifier() == "validation") {
                let holds = attr_value(validation, "condition", &instance.scope).unwrap();
                let at = format!("{combo}: {}var.{name}", instance.address);
                assert!(
                    holds == Value::Bool(true) || is_unknown(&holds),
                    "{at} fails its validation: {holds:?}"
                );
                if name == "timeout" && instance.address == "module.api." {
                    assert_eq!(holds, Value::Bool(true), "{at}: validation");
                    timeout_validated = true;
                }
            }
        }
    }
    assert!(timeout_validated, "{combo}: the API module validates its function timeout");

    // Log groups: kept on destroy, with retention.
    let log_groups: Vec<_> = instances
        .iter()
        .flat_map(|i| i.resources("aws_cloudwatch_log_group").into_iter().map(move |r| (i, r)))
        .collect();
    let functions: Vec<&Instance> =
        instances.iter().filter(|i| i.dir.ends_with("src/core/function")).collect();
    let expected_functions = if isolated { operations } else { 1 } + usize::from(auth == "Custom");
    assert_eq!(functions.len(), expected_functions, "{combo}: function module instances");
    assert_eq!(log_groups.len(), expected_functions + if rest { 2 } else { 1 }, "{combo}: log groups");
    for (instance, (name, scope, block)) in &log_groups {
        let at = format!("{combo}: {}aws_cloudwatch_log_group.{name}", instance.address);
        assert_eq!(attr_value(block, "skip_destroy", scope), Some(Value::Bool(true)), "{at}: skip_destroy");
        assert!(integer(attr_value(block, "retention_in_days", scope), &at) >= 365, "{at}: retention");
    }

    // Functions: timeout, reserved concurrency, alarms on their errors and throttles.
    let mut function_timeouts = BTreeMap::new();
    for function in &functions {
        let at = format!("{combo}: {}", function.address);
        let lambda = function.resources("aws_lambda_function");
        assert_eq!(lambda.len(), 1, "{at}: one function");
        let (_, scope, block) = &lambda[0];
        function_timeouts.insert(function.address.clone(), integer(attr_value(block, "timeout", scope), &at));
        let reserved = integer(attr_value(block, "reserved_concurrent_executions", scope), &at);
        assert_eq!(reserved, if auth == "None" { 10 } else { -1 }, "{at}: reserved concurrency");
        let alarms = function.resources("aws_cloudwatch_metric_alarm");
        for metric in ["Errors", "Throttles"] {
            let watching: Vec<_> = alarms
                .iter()
                .filter(|(_, scope, block)| alarm_metric_names(block, scope) == [metric])
                .filter(|(_, scope, block)| {
                    let dimension = attr_value(block, "dimensions", scope).unwrap();
                    dimension
                        .as_object()
                        .and_then(|d| d.get("FunctionName"))
                        .and_then(Value::as_str)
                        .is_some_and(|f| f.contains("aws_lambda_function.this.function_name"))
                })
                .collect();
            assert_eq!(watching.len(), 1, "{at}: one alarm on the function's {metric}");
        }
    }

    // The API: stage throttling, 5xx rate and p99 latency alarms, integration timeouts.
    let core = if rest { "src/core/api/rest-api" } else { "src/core/api/http-api" };
    let apis: Vec<&Instance> = instances.iter().filter(|i| i.dir.ends_with(core)).collect();
    assert_eq!(apis.len(), 1, "{combo}: one API module instance");
    let api = apis[0];
    let (kind, path) = if rest {
        ("aws_api_gateway_method_settings", "settings")
    } else {
        ("aws_apigatewayv2_stage", "default_route_settings")
    };
    let settings = api.resources(kind);
    assert_eq!(settings.len(), 1, "{combo}: {kind}");
    let (_, scope, block) = &settings[0];
    if rest {
        assert_eq!(
            attr_value(block, "method_path", scope),
            Some(Value::from("*/*")),
            "{combo}: throttled methods"
        );
    }
    assert_eq!(
        integer(attr_value(block, &format!("{path}.throttling_rate_limit"), scope), combo),
        100,
        "{combo}: rate limit"
    );
    assert_eq!(
        integer(attr_value(block, &format!("{path}.throttling_burst_limit"), scope), combo),
        200,
        "{combo}: burst limit"
    );

    let alarms: Vec<Vec<String>> = api
        .resources("aws_cloudwatch_metric_alarm")
        .iter()
        .map(|(_, scope, block)| alarm_metric_names(block, scope))
        .collect();
    let server_errors = if rest { "5XXError" } else { "5xx" };
    assert!(
        alarms.iter().any(|m| m.contains(&server_errors.to_owned()) && m.contains(&"Count".to_owned())),
        "{combo}: a 5xx rate alarm in {alarms:?}"
    );
    let latency = api
        .resources("aws_cloudwatch_metric_alarm")
        .into_iter()
        .find(|(_, scope, block)| alarm_metric_names(block, scope) == ["Latency"]);
    let (_, scope, block) = latency.unwrap_or_else(|| panic!("{combo}: no latency alarm in {alarms:?}"));
    assert_eq!(
        attr_value(block, "extended_statistic", &scope),
        Some(Value::from("p99")),
        "{combo}: latency statistic"
    );

    let integration = if rest { "aws_api_gateway_integration" } else { "aws_apigatewayv2_integration" };
    let limit = if rest { 29_000 } else { 30_000 };
    let integrations: Vec<_> =
        api.resources(integration).into_iter().filter(|(name, _, _)| name.starts_with("lambda[")).collect();
    assert_eq!(integrations.len(), if isolated { operations } else { 2 }, "{combo}: Lambda integrations");
    // The caller of the API module, where the functions' module instances are.
    let caller = api.address.strip_suffix("module.api.").unwrap();
    for (name, scope, block) in &integrations {
        let timeout = integer(attr_value(block, "timeout_milliseconds", scope), name);
        let function =
            attr_value(block, "uri", scope).or_else(|| attr_value(block, "integration_uri", scope)).unwrap();
        // "(known after apply): module.operation[\"echo\"].streaming_invoke_arn" → that instance.
        let function = function.as_str().unwrap();
        let reference = function.split(": ").nth(1).unwrap();
        let module = reference.rsplit_once('.').unwrap().0;
        let address = format!("{caller}{module}.");
        let function_timeout = function_timeouts
            .get(&address)
            .unwrap_or_else(|| panic!("{combo}: {name} calls {address}, not a function"))
            * 1000;
        assert!(timeout <= limit, "{combo}: {name} waits {timeout} ms, beyond {limit} ms");
        assert!(
            function_timeout < timeout,
            "{combo}: {name} waits {timeout} ms for a function that may run {function_timeout} ms"
        );
    }
}

#[test]
fn every_combination_deploys_the_safe_defaults() {
    let operations: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/terraform/operations.json"),
        )
        .unwrap(),
    )
    .unwrap();
    let operations = operations.as_object().unwrap().len();
    for (compute_key, compute) in COMPUTE {
        for pattern in PATTERNS {
            for auth in AUTH {
                let combo = format!("{compute_key}/{pattern}/{auth}");
                let fixture = generated_workspace(compute, pattern, auth);
                let example = fixture.root.join("packages/common/terraform/examples/my-api");
                let mut instances = Vec::new();
                instantiate(&example, "", &BTreeMap::new(), &mut instances);
                check_terraform_safe_defaults(
                    &combo,
                    *compute_key == "rest",
                    *pattern == "isolated",
                    auth,
                    operations,
                    &instances,
                );
            }
        }
    }
}
