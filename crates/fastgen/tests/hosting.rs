//! Hosting the websites: with a CDK app, the generic `core/static-website.ts`, one construct
//! per website (`app/static-websites/<kebab>.ts`) and the app's `websites.ts`; with the
//! Terraform modules, the generic `src/core/static-website` module, one module per website and
//! an example root module deploying it with the APIs it is connected to. One snapshot per
//! file fastgen writes for them, and what triggers them: `generate infra`, `generate website`,
//! `generate fast-api` and `generate connection` each bring them up to date, a re-run changes
//! nothing, and a workspace without infrastructure gets none. (The deployed resources are
//! checked in `e2e_hosting.rs`; the Terraform modules' references, formatting and scan in
//! `terraform.rs`.)
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::collections::BTreeMap;

use common::{Fixture, dir_state, reported_files};

/// Snapshot every file of `after` that is not in `before` (or changed), under `dir`, whose path
/// starts with one of `prefixes`.
fn snapshot_changes(
    dir: &str,
    before: &BTreeMap<String, (Vec<u8>, u32)>,
    after: &BTreeMap<String, (Vec<u8>, u32)>,
    prefixes: &[&str],
) -> usize {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(format!("snapshots/{dir}"));
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    let mut count = 0;
    settings.bind(|| {
        for (path, (content, _)) in after {
            if path.ends_with('/')
                || !prefixes.iter().any(|p| path.starts_with(p))
                || before.get(path).is_some_and(|(old, _)| old == content)
            {
                continue;
            }
            insta::assert_snapshot!(
                path.replace(['/', '.'], "_"),
                format!("# {path}\n{}", String::from_utf8_lossy(content))
            );
            count += 1;
        }
    });
    count
}

fn ok(fixture: &Fixture, args: &[&str]) -> String {
    let run = fixture.run(args);
    assert_eq!(run.code, 0, "{args:?}: {run:?}");
    run.stdout
}

/// The actions a `--json` run reports, by path.
fn actions(stdout: &str) -> BTreeMap<String, String> {
    reported_files(stdout)
        .iter()
        .map(|f| (f["path"].as_str().unwrap().to_owned(), f["action"].as_str().unwrap().to_owned()))
        .collect()
}

/// A CDK workspace with a REST API (IAM), an HTTP API (Cognito) and a website connected to both.
fn cdk_workspace() -> Fixture {
    let fixture = Fixture::new(&["--api", "my-api"]);
    ok(&fixture, &["generate", "fast-api", "second", "--computeType", "http", "--auth", "Cognito"]);
    ok(&fixture, &["generate", "website", "web"]);
    ok(&fixture, &["generate", "connection", "--source", "web", "--target", "demo.my_api"]);
    ok(&fixture, &["generate", "connection", "--source", "web", "--target", "demo.second"]);
    fixture
}

#[test]
fn cdk_app_with_a_connected_website() {
    let fixture = cdk_workspace();
    // No CDK app yet: no hosting.
    assert!(!fixture.root.join("packages/common/constructs/src/core/static-website.ts").exists());
    let before = dir_state(&fixture.root);
    ok(&fixture, &["generate", "infra"]);
    let after = dir_state(&fixture.root);
    let files = snapshot_changes(
        "hosting-cdk",
        &before,
        &after,
        &[
            "packages/common/constructs/",
            "packages/infra/src/stacks/websites.ts",
            "packages/infra/project.json",
        ],
    );
    assert_eq!(
        files, 7,
        "constructs (core, index, app index, website, its index), websites.ts, project.json"
    );

    // A re-run, and a re-run of an API, change nothing.
    for args in [&["generate", "infra", "--json"][..], &["generate", "fast-api", "my-api", "--json"]] {
        let stdout = ok(&fixture, args);
        for (path, action) in actions(&stdout) {
            assert_eq!(action, "UNCHANGED", "{args:?}: {path}");
        }
    }
}

#[test]
fn a_website_without_connections_is_deployed_with_no_api() {
    let fixture = Fixture::new(&["--api", "my-api"]);
    ok(&fixture, &["generate", "infra"]);
    let before = dir_state(&fixture.root);
    // `generate website` in a workspace with a CDK app adds the website to the app.
    let stdout = ok(&fixture, &["generate", "website", "web", "--json"]);
    let actions = actions(&stdout);
    for (path, action) in [
        ("packages/common/constructs/src/core/static-website.ts", "CREATE"),
        ("packages/common/constructs/src/app/static-websites/web.ts", "CREATE"),
        ("packages/infra/src/stacks/websites.ts", "UPDATE"),
        ("packages/infra/project.json", "UPDATE"),
    ] {
        assert_eq!(actions.get(path).map(String::as_str), Some(action), "{path}: {actions:?}");
    }
    let after = dir_state(&fixture.root);
    snapshot_changes("hosting-cdk-unconnected", &before, &after, &["packages/infra/src/stacks/websites.ts"]);
    let websites = fixture.read("packages/infra/src/stacks/websites.ts");
    assert!(!websites.contains("restrictCorsTo"), "no API is connected:\n{websites}");

    // Connecting it brings the app up to date.
    ok(&fixture, &["generate", "connection", "--source", "web", "--target", "demo.my_api"]);
    let websites = fixture.read("packages/infra/src/stacks/websites.ts");
    assert!(websites.contains("MyApi: apis.myApi.url"), "{websites}");
    assert!(websites.contains("apis.myApi.restrictCorsTo(web.url"), "{websites}");
}

#[test]
fn a_workspace_without_infrastructure_gets_no_hosting() {
    let fixture = Fixture::new(&[]);
    ok(&fixture, &["generate", "website", "web"]);
    for path in ["packages/common/constructs", "packages/common/terraform", "packages/infra"] {
        assert!(!fixture.root.join(path).exists(), "{path} was created");
    }
}

#[test]
fn edits_of_the_website_construct_are_kept() {
    let fixture = cdk_workspace();
    ok(&fixture, &["generate", "infra"]);
    let path = "packages/common/constructs/src/app/static-websites/web.ts";
    let edited = fixture
        .read(path)
        .replace("props: WebWebsiteProps = {}", "props: WebWebsiteProps = { versioned: false }");
    fixture.write(path, &edited);
    let stdout = ok(&fixture, &["generate", "fast-api", "third", "--auth", "None", "--json"]);
    assert_eq!(actions(&stdout).get(path).map(String::as_str), Some("KEEP"), "{stdout}");
    assert_eq!(fixture.read(path), edited);
}

#[test]
fn terraform_modules_of_a_connected_website() {
    let fixture = Fixture::new(&["--iac-provider", "Terraform", "--api", "my-api"]);
    ok(
        &fixture,
        &[
            "generate",
            "fast-api",
            "second",
            "--computeType",
            "http",
            "--auth",
            "Cognito",
            "--integrationPattern",
            "shared",
        ],
    );
    let before = dir_state(&fixture.root);
    ok(&fixture, &["generate", "website", "web"]);
    ok(&fixture, &["generate", "connection", "--source", "web", "--target", "demo.my_api"]);
    ok(&fixture, &["generate", "connection", "--source", "web", "--target", "demo.second"]);
    let after = dir_state(&fixture.root);
    let files = snapshot_changes("hosting-terraform", &before, &after, &["packages/common/terraform/"]);
    assert_eq!(files, 13, "core module (4), website module (4), example (4), project.json");
    let stdout = ok(&fixture, &["generate", "fast-api", "my-api", "--json"]);
    for (path, action) in actions(&stdout) {
        assert_eq!(action, "UNCHANGED", "{path}");
    }
}

#[test]
fn construct_class_names_of_apis_and_websites_never_clash() {
    // The website `web` exports `WebWebsite` from the constructs package: an API whose class
    // would be that (or its `Props`) is refused, and so is the website in the other order.
    let fixture = Fixture::new(&["--api", "web-website"]);
    let before = dir_state(&fixture.root);
    let run = fixture.run(&["generate", "website", "web"]);
    assert_eq!(run.code, 1, "{run:?}");
    assert_eq!(
        run.error_line(),
        "error: the website's construct class name `WebWebsite` is already used by the project in `packages/web_website`"
    );
    assert_eq!(run.hint_line(), "hint: choose another website name");
    assert_eq!(dir_state(&fixture.root), before, "the workspace changed");

    ok(&fixture, &["generate", "website", "site"]);
    let before = dir_state(&fixture.root);
    for (name, class) in [("site-website", "SiteWebsite"), ("site website props", "SiteWebsiteProps")] {
        let run = fixture.run(&["generate", "fast-api", name]);
        assert_eq!(run.code, 1, "{run:?}");
        assert_eq!(
            run.error_line(),
            format!(
                "error: the construct class name `{class}` is already used by the project in `packages/site`"
            )
        );
        assert_eq!(run.hint_line(), "hint: choose another API name");
        assert_eq!(dir_state(&fixture.root), before, "{name}: the workspace changed");
    }
}
