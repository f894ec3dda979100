//! Every refusal of spec/cli.md: the exact message, the exit code, and a workspace that is
//! byte-for-byte as it was.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{Fixture, Run, dir_state, fastgen, fastgen_env};

/// Run `args` in the fixture and check that it failed with `code` and `error`, writing nothing.
fn refused(fixture: &Fixture, args: &[&str], code: i32, error: &str) -> Run {
    let before = dir_state(&fixture.root);
    let run = fixture.run(args);
    assert_eq!(run.code, code, "{run:?}");
    assert_eq!(run.error_line(), error, "{run:?}");
    assert!(!run.hint_line().is_empty() || code == 2, "no hint: {run:?}");
    assert_eq!(dir_state(&fixture.root), before, "the workspace changed: {run:?}");
    run
}

#[test]
fn a_name_without_letters_or_digits() {
    let fixture = Fixture::new(&[]);
    let run = refused(
        &fixture,
        &["generate", "fast-api", "--name=--__"],
        2,
        "error: the API name `--__` is empty or has no letter or digit",
    );
    assert_eq!(run.hint_line(), "hint: pass a name made of letters and digits, e.g. `my-api`");
}

#[test]
fn a_class_name_starting_with_a_digit() {
    let fixture = Fixture::new(&[]);
    let run = refused(
        &fixture,
        &["generate", "fast-api", "2fast"],
        2,
        "error: the API name `2fast` gives the class name `2fast`, which starts with a digit",
    );
    assert_eq!(run.hint_line(), "hint: start the name with a letter, e.g. `api-2fast`");
}

#[test]
fn bad_module_names() {
    let fixture = Fixture::new(&[]);
    for (module, error) in [
        ("my-api", "error: the module name `my-api` is not a Python identifier"),
        ("class", "error: the module name `class` is a Python keyword"),
        ("json", "error: the module name `json` would shadow the `json` module the service imports"),
        (
            "fastapi",
            "error: the module name `fastapi` would shadow `fastapi`, which the generated project installs",
        ),
        ("typing", "error: the module name `typing` would shadow the `typing` module the service imports"),
        ("tests", "error: the module name `tests` would shadow the `tests` module the service imports"),
    ] {
        refused(&fixture, &["generate", "fast-api", "api", "--moduleName", module], 2, error);
    }
}

#[test]
fn directories_outside_the_workspace() {
    let fixture = Fixture::new(&[]);
    refused(
        &fixture,
        &["generate", "fast-api", "api", "--directory", "../elsewhere"],
        2,
        "error: the directory `../elsewhere` is outside the workspace",
    );
    refused(
        &fixture,
        &["generate", "fast-api", "api", "--directory", "/tmp"],
        2,
        "error: the directory `/tmp` is outside the workspace",
    );
}

#[test]
fn an_occupied_project_directory() {
    let fixture = Fixture::new(&[]);
    fixture.write("packages/my_api/notes.txt", "mine");
    refused(
        &fixture,
        &["generate", "fast-api", "my-api"],
        1,
        "error: `packages/my_api` already exists and holds other files, not the project `demo.my_api`",
    );
}

#[test]
fn duplicate_project_names_and_modules() {
    let fixture = Fixture::new(&["--api", "my-api"]);
    refused(
        &fixture,
        &["generate", "fast-api", "MyApi", "--directory", "apps"],
        1,
        "error: the Nx project name `demo.my_api` is already used by the project in `packages/my_api`",
    );
    refused(
        &fixture,
        &["generate", "fast-api", "other", "--module-name", "demo_my_api"],
        1,
        "error: the module name `demo_my_api` is already used by the project in `packages/my_api`",
    );
}

#[test]
fn a_missing_name_without_a_terminal() {
    let fixture = Fixture::new(&[]);
    let run = refused(&fixture, &["generate", "fast-api"], 2, "error: `--name` is required");
    assert_eq!(run.hint_line(), "hint: pass `--name`, or run in a terminal to be asked");
}

#[test]
fn invalid_option_values() {
    let fixture = Fixture::new(&[]);
    let before = dir_state(&fixture.root);
    let run = fixture.run(&["generate", "fast-api", "api", "--auth", "Basic"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains(
            "`Basic` is not a valid value for `--auth`; expected one of: IAM, Cognito, None, Custom"
        ),
        "{run:?}"
    );
    assert_eq!(dir_state(&fixture.root), before);
}

#[test]
fn inherit_without_a_recorded_provider() {
    let temp = tempfile::tempdir().unwrap();
    std::fs::write(temp.path().join("nx.json"), "{}\n").unwrap();
    std::fs::write(temp.path().join("package.json"), "{\"name\": \"@acme/source\"}\n").unwrap();
    let before = dir_state(temp.path());
    let run = fastgen(temp.path(), &["generate", "fast-api", "api"]);
    assert_eq!(run.code, 1, "{run:?}");
    assert_eq!(
        run.error_line(),
        "error: `--iacProvider Inherit` found no provider recorded for this workspace"
    );
    assert!(run.hint_line().contains("--iacProvider CDK"), "{run:?}");
    assert!(run.hint_line().contains("fastgen.toml"), "{run:?}");
    assert!(run.hint_line().contains("aws-nx-plugin.config.mts"), "{run:?}");
    assert_eq!(dir_state(temp.path()), before);
}

#[test]
fn malformed_workspace_files_are_located() {
    let fixture = Fixture::new(&["--api", "my-api"]);
    let cases = [
        (
            "package.json",
            "{\n  \"name\": \"@demo/source\",\n}\n",
            "error: `package.json` is not valid JSON: trailing comma (line 3, column 1)",
        ),
        (
            "packages/my_api/project.json",
            "{\n  \"name\": \"demo.my_api\"\n  \"targets\": {}\n}\n",
            "error: `packages/my_api/project.json` is not valid JSON: expected comma (line 2, column 24)",
        ),
        (
            "pyproject.toml",
            "[tool.uv.workspace]\nmembers = [\n",
            "error: `pyproject.toml` is not valid TOML: unclosed array, expected `]` (line 2, column 12)",
        ),
    ];
    for (path, content, error) in cases {
        let original = fixture.read(path);
        fixture.write(path, content);
        let before = dir_state(&fixture.root);
        let run = fixture.run(&["generate", "fast-api", "other"]);
        assert_eq!(run.code, 1, "{run:?}");
        assert_eq!(run.error_line(), error, "{path}: {run:?}");
        assert!(run.hint_line().contains(path), "{run:?}");
        assert_eq!(dir_state(&fixture.root), before, "{path}");
        fixture.write(path, &original);
    }
}

#[test]
fn a_failure_mid_write_leaves_the_workspace_unchanged() {
    let fixture = Fixture::new(&["--api", "first"]);
    let before = dir_state(&fixture.root);
    for fail_at in ["0", "5", "14"] {
        let run = fastgen_env(
            &fixture.root,
            &["generate", "fast-api", "second", "--auth", "Custom"],
            &[("FASTGEN_TEST_FAIL_BEFORE_WRITE", fail_at)],
        );
        assert_eq!(run.code, 1, "{run:?}");
        assert!(run.error_line().contains("failed; every file already written was restored"), "{run:?}");
        assert_eq!(dir_state(&fixture.root), before, "failure before write {fail_at} left changes");
    }
}

#[test]
fn a_file_where_a_directory_is_needed_is_a_conflict() {
    let temp = tempfile::tempdir().unwrap();
    let run = fastgen(temp.path(), &["new", "demo"]);
    assert_eq!(run.code, 0);
    let root = temp.path().join("demo");
    std::fs::write(root.join("packages"), "not a directory").unwrap();
    let before = dir_state(&root);
    let run = fastgen(&root, &["generate", "fast-api", "api"]);
    assert_eq!(run.code, 1, "{run:?}");
    assert!(run.stdout.contains("CONFLICT  packages/api/project.json (`packages` is a file"), "{run:?}");
    assert!(run.error_line().starts_with("error: "), "{run:?}");
    assert!(
        run.error_line().ends_with(
            " file(s) cannot be written safely: `packages` is a file, but a directory is needed there"
        ),
        "{run:?}"
    );
    assert_eq!(dir_state(&root), before);
}

#[test]
fn new_refuses_a_non_empty_directory_and_a_bad_scope() {
    let temp = tempfile::tempdir().unwrap();
    std::fs::create_dir(temp.path().join("full")).unwrap();
    std::fs::write(temp.path().join("full/keep.txt"), "x").unwrap();
    let before = dir_state(temp.path());
    let run = fastgen(temp.path(), &["new", "full"]);
    assert_eq!((run.code, run.error_line()), (1, "error: `full` already exists and is not empty"));
    let run = fastgen(temp.path(), &["new", "fresh", "--scope", "Bad Scope"]);
    assert_eq!(
        (run.code, run.error_line()),
        (2, "error: `Bad Scope` is not a valid npm scope: it contains the upper-case letter `B`")
    );
    assert_eq!(dir_state(temp.path()), before);
}

#[test]
fn an_unknown_schema_generator() {
    let temp = tempfile::tempdir().unwrap();
    let run = fastgen(temp.path(), &["schema", "django"]);
    assert_eq!((run.code, run.error_line()), (2, "error: there is no generator `django`"));
}

#[test]
fn a_name_too_long_for_the_module_limit() {
    let fixture = Fixture::new(&[]);
    let name = "a".repeat(56);
    let run = refused(
        &fixture,
        &["generate", "fast-api", &name],
        2,
        &format!("error: the module name `demo_{name}` is 61 characters long; the limit is 60"),
    );
    assert_eq!(run.hint_line(), "hint: choose a shorter API name, or pass a shorter `--moduleName`");
}

#[test]
fn a_cdk_app_in_a_terraform_workspace() {
    let fixture = Fixture::new(&["--iac-provider", "Terraform"]);
    let run = refused(
        &fixture,
        &["generate", "infra"],
        1,
        "error: `generate infra` makes a CDK application, but this workspace deploys with Terraform",
    );
    assert!(run.hint_line().contains("packages/common/terraform"), "{run:?}");
}

#[test]
fn a_reader_that_goes_away_is_not_a_panic() {
    // `fastgen schema fast-api | head -1`: the pipe closes before everything is written.
    for args in [&["schema", "fast-api"][..], &["completions", "zsh"][..]] {
        let mut child = std::process::Command::new(common::bin())
            .args(args)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        drop(child.stdout.take());
        let output = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
        assert_eq!(output.status.code(), Some(0), "{args:?}: {stderr}");
    }
}
