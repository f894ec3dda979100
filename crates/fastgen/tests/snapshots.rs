//! One snapshot per generated file for every combination of computeType ×
//! integrationPattern × auth (and the default options under Terraform). A template change
//! shows up here as a snapshot diff to review (`cargo insta review`).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{Fixture, dir_state};

const COMPUTE: &[(&str, &str)] =
    &[("rest", "ServerlessApiGatewayRestApi"), ("http", "ServerlessApiGatewayHttpApi")];
const PATTERNS: &[&str] = &["isolated", "shared"];
const AUTH: &[&str] = &["IAM", "Cognito", "None", "Custom"];

fn snapshot_workspace(combo: &str, new_args: &[&str], args: &[&str]) {
    let fixture = Fixture::new(new_args);
    let before = dir_state(&fixture.root);
    let mut full = vec!["generate", "fast-api", "my-api"];
    full.extend_from_slice(args);
    let run = fixture.run(&full);
    assert_eq!(run.code, 0, "{run:?}");
    let after = dir_state(&fixture.root);
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(format!("snapshots/{combo}"));
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    settings.bind(|| {
        for (path, (content, mode)) in &after {
            // `.fastgen/` holds fastgen's baselines: copies of the files snapshotted here. The
            // runtime package is the same for every option set: `runtime_package_files` has it.
            if path.ends_with('/')
                || path.starts_with(".fastgen/")
                || path.starts_with(RUNTIME_DIR)
                || before.get(path).is_some_and(|(old, _)| old == content)
            {
                continue;
            }
            let name = path.replace(['/', '.'], "_");
            let executable = mode & 0o111 != 0;
            let header = if executable { format!("# {path} (executable)\n") } else { format!("# {path}\n") };
            insta::assert_snapshot!(name, format!("{header}{}", String::from_utf8_lossy(content)));
        }
    });
}

/// Where the workspace's runtime package lives (the same for every API and option set).
const RUNTIME_DIR: &str = "packages/common/runtime/";

#[test]
fn runtime_package_files() {
    let fixture = Fixture::new(&[]);
    let run = fixture.run(&["generate", "fast-api", "my-api"]);
    assert_eq!(run.code, 0, "{run:?}");
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path("snapshots/runtime");
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    let mut files = 0;
    settings.bind(|| {
        for (path, (content, _)) in dir_state(&fixture.root) {
            if path.starts_with(RUNTIME_DIR) && !path.ends_with('/') {
                insta::assert_snapshot!(
                    path.replace(['/', '.'], "_"),
                    format!("# {path}\n{}", String::from_utf8_lossy(&content))
                );
                files += 1;
            }
        }
    });
    assert_eq!(files, 15, "runtime package files");
    // The same bytes whatever the API: a second API with other options changes none of them.
    let before = dir_state(&fixture.root);
    let run = fixture.run(&["generate", "fast-api", "other", "--computeType", "http", "--auth", "Custom"]);
    assert_eq!(run.code, 0, "{run:?}");
    let after = dir_state(&fixture.root);
    for (path, state) in before.iter().filter(|(path, _)| path.starts_with(RUNTIME_DIR)) {
        assert_eq!(after.get(path), Some(state), "{path} changed for another API");
    }
}

#[test]
fn every_option_combination() {
    for (compute_key, compute) in COMPUTE {
        for pattern in PATTERNS {
            for auth in AUTH {
                let combo = format!("{compute_key}-{pattern}-{}", auth.to_ascii_lowercase());
                snapshot_workspace(
                    &combo,
                    &[],
                    &["--computeType", compute, "--integrationPattern", pattern, "--auth", auth],
                );
            }
        }
    }
}

#[test]
fn terraform_workspace_defaults() {
    snapshot_workspace("terraform-defaults", &["--iac-provider", "Terraform"], &[]);
}

#[test]
fn new_workspace_files() {
    let temp = tempfile::tempdir().unwrap();
    for provider in ["CDK", "Terraform"] {
        let dir = format!("ws-{}", provider.to_ascii_lowercase());
        let run = common::fastgen(temp.path(), &["new", &dir, "--scope", "acme", "--iac-provider", provider]);
        assert_eq!(run.code, 0, "{run:?}");
        let mut settings = insta::Settings::clone_current();
        settings.set_snapshot_path(format!("snapshots/new-{}", provider.to_ascii_lowercase()));
        settings.set_prepend_module_to_snapshot(false);
        settings.set_omit_expression(true);
        settings.bind(|| {
            for (path, (content, _)) in dir_state(&temp.path().join(&dir)) {
                if !path.ends_with('/') && !path.starts_with(".fastgen/") {
                    insta::assert_snapshot!(path.replace(['/', '.'], "_"), String::from_utf8_lossy(&content));
                }
            }
        });
    }
}

#[test]
fn infra_app_with_two_apis() {
    let fixture = Fixture::new(&["--api", "first"]);
    let run = fixture.run(&["generate", "fast-api", "second", "--computeType", "http", "--auth", "Cognito"]);
    assert_eq!(run.code, 0, "{run:?}");
    let before = dir_state(&fixture.root);
    let run = fixture.run(&["generate", "infra"]);
    assert_eq!(run.code, 0, "{run:?}");
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path("snapshots/infra-two-apis");
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    settings.bind(|| {
        for (path, (content, _)) in dir_state(&fixture.root) {
            if path.ends_with('/')
                || path.starts_with(".fastgen/")
                || before.get(&path).is_some_and(|(old, _)| *old == content)
            {
                continue;
            }
            insta::assert_snapshot!(path.replace(['/', '.'], "_"), String::from_utf8_lossy(&content));
        }
    });
    // A third API lands in the app's list of APIs.
    let run = fixture.run(&["generate", "fast-api", "third", "--auth", "None", "--json"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(
        run.stdout.contains("\"path\": \"packages/infra/src/stacks/apis.ts\",\n      \"action\": \"UPDATE\""),
        "{}",
        run.stdout
    );
    assert!(fixture.read("packages/infra/src/stacks/apis.ts").contains("Third"));
}
