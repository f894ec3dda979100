//! Terraform: for every combination of computeType × integrationPattern × auth, the
//! generated modules parse, every variable, local, module, module output, resource and data
//! reference resolves, every module call passes exactly the variables its module declares
//! (all required ones included), `terraform fmt -check -recursive` passes, and (with
//! `FASTGEN_E2E=1`) `checkov` finds nothing beyond the inline suppressions. `terraform
//! validate` needs providers from the registry: the test tries, and says plainly when it
//! cannot.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

use common::Fixture;
use hcl::expr::{Expression, ObjectKey, TemplateExpr, TraversalOperator};
use hcl::template::{Directive, Element, Template};
use hcl::{Block, Body, Structure};

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

fn parse_module(dir: &Path) -> Module {
    let mut module = Module::default();
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "tf"))
        .collect();
    files.sort();
    for file in files {
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
fn every_combination_passes_checkov_and_validate_where_possible() {
    if !e2e() {
        eprintln!(
            "skipped every_combination_passes_checkov_and_validate_where_possible: needs FASTGEN_E2E=1 and checkov (scripts/test.sh)"
        );
        return;
    }
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
