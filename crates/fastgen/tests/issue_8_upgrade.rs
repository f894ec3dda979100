//! Issue 8, item 5, with the real tools: changed options leave a consistent workspace
//! (`infra:synth`, `tsc`, `terraform fmt`), and a newer fastgen upgrades a workspace an older
//! one generated. The older one is this repository at `FASTGEN_UPGRADE_BASE` (the first commit
//! that records baselines, see `build.rs`), built from `git archive` into its own target
//! directory; a user edits the workspace; the current build runs `fastgen update`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use common::{fastgen, sh, sh_with};

/// (action, path) of every reported file that is not UNCHANGED.
fn changed(stdout: &str) -> Vec<(String, String)> {
    common::reported_files(stdout)
        .iter()
        .filter(|f| f["action"] != "UNCHANGED")
        .map(|f| (f["action"].as_str().unwrap().to_owned(), f["path"].as_str().unwrap().to_owned()))
        .collect()
}

fn append(path: &Path, text: &str) {
    let mut content = std::fs::read_to_string(path).unwrap();
    content.push_str(text);
    std::fs::write(path, content).unwrap();
}

#[test]
#[cfg_attr(
    not(fastgen_e2e),
    ignore = "end-to-end: needs FASTGEN_E2E=1 and the tools scripts/install-tools.sh installs (scripts/test.sh sets both)"
)]
fn issue_8_changed_options_keep_synth_tsc_and_terraform_fmt_passing() {
    let temp = tempfile::tempdir().unwrap();
    let run = fastgen(temp.path(), &["new", "demo", "--api", "my-api"]);
    assert_eq!(run.code, 0, "{run:?}");
    let root = temp.path().join("demo");
    assert_eq!(fastgen(&root, &["generate", "infra"]).code, 0);
    sh(&root, "uv sync");
    sh(&root, common::PNPM_INSTALL);
    sh(&root, "pnpm nx run infra:synth --outputStyle=static");
    // Every option that shapes files changes at once.
    let run = fastgen(
        &root,
        &[
            "generate",
            "fast-api",
            "my-api",
            "--computeType",
            "http",
            "--integrationPattern",
            "shared",
            "--auth",
            "Cognito",
            "--architecture",
            "arm64",
        ],
    );
    assert_eq!(run.code, 0, "{run:?}");
    sh(&root, "pnpm nx run infra:synth --outputStyle=static");
    let template = templates(&root);
    assert!(template.contains("AWS::ApiGatewayV2::Api"), "the app deploys an HTTP API now");
    assert!(template.contains("\"arm64\""), "the functions are arm64 now");
    assert!(template.contains("AWS::Cognito::UserPool"), "Cognito auth needs a user pool");
    // The API moves to Terraform: its modules are added, formatted, and the CDK side compiles.
    let run = fastgen(&root, &["generate", "fast-api", "my-api", "--iacProvider", "Terraform"]);
    assert_eq!(run.code, 0, "{run:?}");
    sh(&root.join("packages/common/terraform"), "terraform fmt -check -recursive");
    sh(&root, "pnpm nx run common-constructs:compile --outputStyle=static");
}

/// Every synthesised `CloudFormation` template of the app, concatenated.
fn templates(root: &Path) -> String {
    let out = root.join("dist/packages/infra/cdk.out");
    let mut all = String::new();
    for entry in std::fs::read_dir(&out).unwrap().flatten() {
        if entry.path().to_string_lossy().ends_with(".template.json") {
            all.push_str(&std::fs::read_to_string(entry.path()).unwrap());
        }
    }
    assert!(!all.is_empty(), "no template in {}", out.display());
    all
}

/// Build fastgen at the upgrade base commit; the path of its binary.
fn build_base() -> PathBuf {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).ancestors().nth(2).unwrap().to_path_buf();
    let commit = env!("FASTGEN_UPGRADE_BASE");
    let source = repo.join("target/upgrade-base/src");
    let _ = std::fs::remove_dir_all(&source);
    std::fs::create_dir_all(&source).unwrap();
    sh(&repo, &format!("git archive --format=tar {commit} | tar -x -C {}", source.display()));
    let target = repo.join("target/upgrade-base/target");
    let started = Instant::now();
    let status = Command::new("cargo")
        .args(["build", "--locked", "-p", "fastgen", "--manifest-path"])
        .arg(source.join("Cargo.toml"))
        .env("CARGO_TARGET_DIR", &target)
        .env_remove("FASTGEN_E2E")
        .status()
        .unwrap();
    assert!(status.success(), "building fastgen at {commit} failed");
    eprintln!("built fastgen at {commit} in {:.0}s", started.elapsed().as_secs_f64());
    target.join("debug/fastgen")
}

#[test]
#[cfg_attr(
    not(fastgen_e2e),
    ignore = "end-to-end: needs FASTGEN_E2E=1 and the tools scripts/install-tools.sh installs (scripts/test.sh sets both)"
)]
#[cfg_attr(
    not(fastgen_upgrade_base),
    ignore = "needs the upgrade base commit (FASTGEN_UPGRADE_BASE in build.rs) in this clone's history; a shallow clone lacks it"
)]
fn issue_8_a_newer_fastgen_updates_a_workspace_an_older_one_generated() {
    let old = build_base();
    let temp = tempfile::tempdir().unwrap();
    sh_with(temp.path(), &old, "fastgen new demo --api my-api");
    let root = temp.path().join("demo");
    sh_with(&root, &old, "fastgen generate fast-api second --computeType http --auth None");
    sh_with(&root, &old, "fastgen generate infra");

    // Edits as a user makes them: a route, a tag on a construct, a note in a README.
    let main_py = root.join("packages/my_api/demo_my_api/main.py");
    append(
        &main_py,
        "\n\n@app.get(\"/orders/{order_id}\")\ndef get_order(order_id: int) -> dict[str, int]:\n    return {\"order_id\": order_id}\n",
    );
    let construct = root.join("packages/common/constructs/src/app/apis/my-api.ts");
    append(&construct, "\n// Ours: reviewed by the platform team.\n");
    let readme = root.join("packages/second/README.md");
    append(&readme, "\nOur notes: the second API answers the mobile app.\n");

    let started = Instant::now();
    let run = fastgen(&root, &["update", "--json"]);
    eprintln!("fastgen update took {:.2}s", started.elapsed().as_secs_f64());
    assert_eq!(run.code, 0, "{run:?}");
    let changes = changed(&run.stdout);
    eprintln!("{changes:#?}");
    assert!(changes.iter().all(|(action, _)| action != "CONFLICT"), "{changes:#?}");
    // Nothing of the user's is lost.
    assert!(std::fs::read_to_string(&main_py).unwrap().contains("def get_order(order_id: int)"));
    assert!(std::fs::read_to_string(&construct).unwrap().contains("// Ours: reviewed by the platform team."));
    assert!(std::fs::read_to_string(&readme).unwrap().contains("Our notes: the second API answers"));
    // A second update has nothing left to do.
    let again = fastgen(&root, &["update", "--json"]);
    assert_eq!(again.code, 0, "{again:?}");
    let rewritten: Vec<_> =
        changed(&again.stdout).into_iter().filter(|(action, _)| action != "KEEP").collect();
    assert_eq!(rewritten, Vec::<(String, String)>::new());

    // The upgraded workspace works with the real tools, the user's route included.
    sh(&root, "uv sync");
    sh(&root, common::PNPM_INSTALL);
    sh(&root, "pnpm nx run demo.my_api:lint --outputStyle=static");
    sh(&root, "pnpm nx run demo.my_api:typecheck --outputStyle=static");
    sh(&root, "pnpm nx run demo.my_api:test --outputStyle=static");
    sh(&root, "pnpm nx run infra:synth --outputStyle=static");
    let metadata =
        std::fs::read_to_string(root.join("packages/common/constructs/src/generated/my-api/metadata.gen.ts"))
            .unwrap();
    assert!(
        metadata.contains("getOrder: { path: '/orders/{order_id}', method: 'GET' }"),
        "the user's route reaches the infrastructure:\n{metadata}"
    );
}
