//! Generating twice changes nothing; user edits survive a re-run; changed options update
//! only what they must; fastgen adopts a workspace it did not create.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{Fixture, dir_state, fastgen};
use serde_json::Value;

fn actions(stdout: &str) -> Vec<(String, String)> {
    common::reported_files(stdout)
        .iter()
        .map(|f| (f["action"].as_str().unwrap().to_owned(), f["path"].as_str().unwrap().to_owned()))
        .collect()
}

#[test]
fn a_second_run_changes_nothing() {
    let fixture = Fixture::new(&["--api", "my-api"]);
    let before = dir_state(&fixture.root);
    let run = fixture.run(&["generate", "fast-api", "my-api", "--json"]);
    assert_eq!(run.code, 0, "{run:?}");
    for (action, path) in actions(&run.stdout) {
        assert_eq!(action, "UNCHANGED", "{path}");
    }
    assert_eq!(dir_state(&fixture.root), before);
}

#[test]
fn user_edits_survive_a_rerun() {
    let fixture = Fixture::new(&["--api", "my-api"]);
    let main = "packages/my_api/demo_my_api/main.py";
    let init = "packages/my_api/demo_my_api/init.py";
    let pyproject = "packages/my_api/pyproject.toml";
    for path in [main, init, pyproject] {
        let mut text = fixture.read(path);
        text.push_str("\n# my edit\n");
        fixture.write(path, &text);
    }
    let mut project: Value = serde_json::from_str(&fixture.read("packages/my_api/project.json")).unwrap();
    project["targets"]["test"]["options"]["command"] = Value::from("uv run pytest -x");
    project["tags"] = Value::from(vec!["team:payments"]);
    fixture.write("packages/my_api/project.json", &serde_json::to_string_pretty(&project).unwrap());
    let before = dir_state(&fixture.root);
    let run = fixture.run(&["generate", "fast-api", "my-api", "--json"]);
    assert_eq!(run.code, 0, "{run:?}");
    let actions = actions(&run.stdout);
    for path in [main, init, pyproject] {
        assert!(actions.contains(&("KEEP".into(), path.into())), "{path}: {actions:?}");
    }
    assert_eq!(dir_state(&fixture.root), before, "a re-run destroyed an edit");
}

#[test]
fn changed_options_update_metadata_and_add_missing_files() {
    let fixture = Fixture::new(&["--api", "my-api"]);
    let run = fixture.run(&[
        "generate",
        "fast-api",
        "my-api",
        "--auth",
        "Custom",
        "--architecture",
        "arm64",
        "--json",
    ]);
    assert_eq!(run.code, 0, "{run:?}");
    let actions = actions(&run.stdout);
    let changed: Vec<_> = actions.iter().filter(|(a, _)| a != "UNCHANGED").collect();
    assert_eq!(
        changed,
        vec![
            // The construct and the README mention the auth mode; they are the user's but
            // unedited since fastgen wrote them (their baselines say so), so they follow.
            &("UPDATE".to_owned(), "packages/common/constructs/src/app/apis/my-api.ts".to_owned()),
            &("UPDATE".to_owned(), "packages/my_api/README.md".to_owned()),
            &("CREATE".to_owned(), "packages/my_api/demo_my_api/authorizer.py".to_owned()),
            &("UPDATE".to_owned(), "packages/my_api/project.json".to_owned()),
            &("CREATE".to_owned(), "packages/my_api/tests/test_authorizer.py".to_owned()),
        ]
    );
    let project: Value = serde_json::from_str(&fixture.read("packages/my_api/project.json")).unwrap();
    assert_eq!(project["metadata"]["auth"], "Custom");
    assert_eq!(project["metadata"]["architecture"], "arm64");
    assert_eq!(project["metadata"]["ports"], serde_json::json!([8000]), "the recorded port is reused");
}

#[test]
fn ports_are_allocated_per_project() {
    let fixture = Fixture::new(&["--api", "first", "--api", "second"]);
    fixture.run(&["generate", "fast-api", "third"]);
    let port = |dir: &str| -> Value {
        let project: Value =
            serde_json::from_str(&fixture.read(&format!("packages/{dir}/project.json"))).unwrap();
        project["metadata"]["ports"].clone()
    };
    assert_eq!(
        (port("first"), port("second"), port("third")),
        (serde_json::json!([8000]), serde_json::json!([8001]), serde_json::json!([8002]))
    );
}

#[test]
fn dry_run_writes_nothing_and_shows_diffs() {
    let fixture = Fixture::new(&["--api", "my-api"]);
    let before = dir_state(&fixture.root);
    let run = fixture.run(&["generate", "fast-api", "my-api", "--auth", "None", "--dry-run"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(run.stdout.contains("UPDATE    packages/my_api/project.json"), "{run:?}");
    assert!(run.stdout.contains("-    \"auth\": \"IAM\",\n+    \"auth\": \"None\","), "{run:?}");
    assert!(run.stderr.contains("warning: `--auth None`: the API `my-api` will be public"), "{run:?}");
    assert_eq!(dir_state(&fixture.root), before);
}

#[test]
fn adopts_an_nx_workspace_it_did_not_create() {
    let temp = tempfile::tempdir().unwrap();
    let root = temp.path();
    std::fs::write(root.join("nx.json"), "{\n  \"npmScope\": \"acme\"\n}\n").unwrap();
    std::fs::write(root.join("package.json"), "{\n  \"name\": \"@acme/source\",\n  \"private\": true\n}\n")
        .unwrap();
    std::fs::write(root.join(".gitignore"), "# mine\nnode_modules\n").unwrap();
    std::fs::write(
        root.join("aws-nx-plugin.config.mts"),
        "export default {\n  iac: {\n    provider: 'Terraform',\n  },\n} satisfies AwsNxPluginConfig;\n",
    )
    .unwrap();
    std::fs::create_dir_all(root.join("apps/web")).unwrap();
    std::fs::write(root.join("apps/web/project.json"), "{ \"name\": \"web\" }\n").unwrap();
    let nested = root.join("apps/web");
    let run = fastgen(&nested, &["generate", "fast-api", "orders"]);
    assert_eq!(run.code, 0, "{run:?}");
    let project: Value =
        serde_json::from_str(&std::fs::read_to_string(root.join("packages/orders/project.json")).unwrap())
            .unwrap();
    assert_eq!(project["name"], "acme.orders");
    assert_eq!(project["metadata"]["iacProvider"], "Terraform");
    assert!(root.join("packages/orders/acme_orders/init.py").is_file());
    let pyproject = std::fs::read_to_string(root.join("pyproject.toml")).unwrap();
    assert!(
        pyproject.contains("members = [\"packages/common/runtime\", \"packages/orders\"]"),
        "{pyproject}"
    );
    assert!(pyproject.contains("fastgen-runtime = { workspace = true }"), "{pyproject}");
    assert!(pyproject.contains("acme-orders = { workspace = true }"), "{pyproject}");
    let gitignore = std::fs::read_to_string(root.join(".gitignore")).unwrap();
    assert!(gitignore.starts_with("# mine\nnode_modules\n.venv\n"), "{gitignore}");
    assert_eq!(
        std::fs::read_to_string(root.join("apps/web/project.json")).unwrap(),
        "{ \"name\": \"web\" }\n"
    );
}

#[test]
fn schema_is_json_schema_from_the_option_table() {
    let temp = tempfile::tempdir().unwrap();
    let run = fastgen(temp.path(), &["schema", "py#fast-api"]);
    assert_eq!(run.code, 0, "{run:?}");
    let schema: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(schema["$schema"], "https://json-schema.org/draft/2020-12/schema");
    assert_eq!(schema["required"], serde_json::json!(["name"]));
    let props = &schema["properties"];
    assert_eq!(props["computeType"]["default"], "ServerlessApiGatewayRestApi");
    assert_eq!(
        props["computeType"]["x-aliases"]["ServerlessApiGatewayHttpApi"],
        serde_json::json!(["http", "http-lambda"])
    );
    assert_eq!(props["auth"]["enum"], serde_json::json!(["IAM", "Cognito", "None", "Custom"]));
    assert_eq!(props["architecture"]["enum"], serde_json::json!(["x86_64", "arm64"]));
    assert_eq!(props["directory"]["default"], "packages");
    assert!(props["moduleName"]["x-prompt"].is_string());
    assert_eq!(props.as_object().unwrap().len(), 8);
}

#[test]
fn aliases_and_spellings_are_accepted() {
    let fixture = Fixture::new(&[]);
    let run = fixture.run(&[
        "g",
        "fastapi",
        "--name",
        "Orders",
        "--compute-type",
        "HTTP",
        "--integration-pattern",
        "SHARED",
        "--auth",
        "cognito",
        "--iac-provider",
        "terraform",
        "--module-name",
        "orders_svc",
        "--architecture",
        "aarch64",
        "--directory",
        "./apps/",
    ]);
    assert_eq!(run.code, 0, "{run:?}");
    let project: Value = serde_json::from_str(&fixture.read("apps/orders/project.json")).unwrap();
    let meta = &project["metadata"];
    assert_eq!(meta["computeType"], "ServerlessApiGatewayHttpApi");
    assert_eq!(meta["integrationPattern"], "shared");
    assert_eq!(meta["auth"], "Cognito");
    assert_eq!(meta["iacProvider"], "Terraform");
    assert_eq!(meta["architecture"], "arm64");
    assert_eq!(meta["apiName"], "Orders");
    assert!(fixture.root.join("apps/orders/orders_svc/main.py").is_file());
}

#[test]
fn adding_infrastructure_later_adds_only_the_missing_pieces() {
    let fixture = Fixture::new(&["--iac-provider", "Terraform", "--api", "my-api"]);
    let run = fixture.run(&["generate", "fast-api", "my-api", "--iacProvider", "CDK", "--json"]);
    assert_eq!(run.code, 0, "{run:?}");
    for (action, path) in actions(&run.stdout) {
        match action.as_str() {
            "CREATE" => assert!(path.starts_with("packages/common/constructs/"), "{path}"),
            "UPDATE" => assert_eq!(path, "packages/my_api/project.json"),
            "UNCHANGED" => assert!(
                path.starts_with("packages/my_api/")
                    || path.starts_with("packages/common/terraform/")
                    || path.starts_with("packages/common/runtime/")
                    || !path.starts_with("packages/"),
                "{path}"
            ),
            other => panic!("{other} {path}"),
        }
    }
    let project: Value = serde_json::from_str(&fixture.read("packages/my_api/project.json")).unwrap();
    assert_eq!(project["metadata"]["iacProvider"], "CDK");
    assert!(fixture.root.join("packages/common/constructs/src/app/apis/my-api.ts").is_file());
    assert!(fixture.root.join("packages/common/terraform/src/app/apis/my-api/main.tf").is_file(), "kept");
}
