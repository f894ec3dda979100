//! Issue 8, item 5: re-runs and upgrades keep every file consistent. fastgen records what it
//! rendered for each file (`.fastgen/baseline/`); a re-run without options keeps the recorded
//! ones; changed options update every file that depends on them; a file the user edited gets
//! a 3-way merge, and a conflict is written with markers, named with its reason, and fails
//! the run. `--dry-run --json` shows exactly this and writes nothing.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{Fixture, dir_state};
use serde_json::Value;

const CONSTRUCT: &str = "packages/common/constructs/src/app/apis/my-api.ts";
const PROJECT: &str = "packages/my_api/project.json";

fn files(stdout: &str) -> Vec<Value> {
    common::reported_files(stdout)
}

/// Every reported file that is not UNCHANGED: (action, path, reason).
fn changed(stdout: &str) -> Vec<(String, String, String)> {
    files(stdout)
        .iter()
        .filter(|f| f["action"] != "UNCHANGED")
        .map(|f| {
            (
                f["action"].as_str().unwrap().to_owned(),
                f["path"].as_str().unwrap().to_owned(),
                f["reason"].as_str().unwrap_or("").to_owned(),
            )
        })
        .collect()
}

fn metadata(fixture: &Fixture) -> Value {
    let project: Value = serde_json::from_str(&fixture.read(PROJECT)).unwrap();
    project["metadata"].clone()
}

#[test]
fn issue_8_a_rerun_without_options_keeps_the_recorded_ones() {
    let fixture = Fixture::new(&[]);
    let created = fixture.run(&[
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
    ]);
    assert_eq!(created.code, 0, "{created:?}");
    let recorded = metadata(&fixture);
    let before = dir_state(&fixture.root);
    let run = fixture.run(&["generate", "fast-api", "my-api", "--json"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(changed(&run.stdout), Vec::<(String, String, String)>::new());
    assert_eq!(dir_state(&fixture.root), before, "a re-run with no options wrote something");
    assert_eq!(metadata(&fixture), recorded);
    // `fastgen update` is the same re-run for every API.
    let update = fixture.run(&["update", "--json"]);
    assert_eq!(update.code, 0, "{update:?}");
    assert_eq!(changed(&update.stdout), Vec::<(String, String, String)>::new());
    assert_eq!(dir_state(&fixture.root), before);
}

#[test]
fn issue_8_changed_options_update_every_file_that_depends_on_them() {
    let fixture = Fixture::new(&["--api", "my-api"]);
    assert_eq!(fixture.run(&["generate", "infra"]).code, 0);
    let run =
        fixture.run(&["generate", "fast-api", "my-api", "--architecture", "arm64", "--auth", "Cognito"]);
    assert_eq!(run.code, 0, "{run:?}");
    let project: Value = serde_json::from_str(&fixture.read(PROJECT)).unwrap();
    let bundle = project["targets"]["bundle"].to_string();
    assert!(bundle.contains("aarch64-manylinux_2_28") && bundle.contains("bundle-arm64"), "{bundle}");
    assert!(!bundle.contains("x86_64"), "{bundle}");
    let construct = fixture.read(CONSTRUCT);
    assert!(construct.contains("Architecture.ARM_64"), "{construct}");
    assert!(!construct.contains("Architecture.X86_64"), "{construct}");
    assert!(construct.contains("userPool"), "the construct follows --auth Cognito:\n{construct}");
    assert!(!construct.contains("grantInvokeAccess"), "no IAM leftovers:\n{construct}");
    let apis = fixture.read("packages/infra/src/stacks/apis.ts");
    assert!(apis.contains("userPool"), "{apis}");
}

#[test]
fn issue_8_an_edited_file_gets_fastgen_s_changes_merged_in() {
    let fixture = Fixture::new(&["--api", "my-api"]);
    let mut construct = fixture.read(CONSTRUCT);
    construct.push_str("\n// Ours: tagged by the platform team.\n");
    fixture.write(CONSTRUCT, &construct);
    let run = fixture.run(&["generate", "fast-api", "my-api", "--architecture", "arm64", "--json"]);
    assert_eq!(run.code, 0, "{run:?}");
    let entry = files(&run.stdout).into_iter().find(|f| f["path"] == CONSTRUCT).unwrap();
    assert_eq!(entry["action"], "MERGE", "{entry}");
    assert_eq!(entry["reason"], "your edits are kept and fastgen's changes are merged in");
    let merged = fixture.read(CONSTRUCT);
    assert!(merged.contains("Architecture.ARM_64"), "{merged}");
    assert!(merged.ends_with("\n// Ours: tagged by the platform team.\n"), "{merged}");
    // The next run has nothing left to merge.
    let again = fixture.run(&["generate", "fast-api", "my-api", "--json"]);
    let entry = files(&again.stdout).into_iter().find(|f| f["path"] == CONSTRUCT).unwrap();
    assert_eq!(entry["action"], "KEEP", "{entry}");
}

#[test]
fn issue_8_a_conflict_is_written_with_markers_named_and_fails_the_run() {
    let fixture = Fixture::new(&["--api", "my-api"]);
    let original = fixture.read(CONSTRUCT);
    let line = "const ARCHITECTURE = Architecture.X86_64;";
    assert!(original.contains(line), "{original}");
    let ours = "const ARCHITECTURE = Architecture.X86_64; // pinned: our layer is x86 only";
    fixture.write(CONSTRUCT, &original.replace(line, ours));
    let edited = dir_state(&fixture.root);

    // The dry run says so, with the file, the reason and the diff, and writes nothing.
    let dry =
        fixture.run(&["generate", "fast-api", "my-api", "--architecture", "arm64", "--dry-run", "--json"]);
    assert_eq!(dry.code, 0, "{dry:?}");
    assert_eq!(dir_state(&fixture.root), edited);
    let entry = files(&dry.stdout).into_iter().find(|f| f["path"] == CONSTRUCT).unwrap();
    assert_eq!(entry["action"], "CONFLICT", "{entry}");
    assert_eq!(entry["written"], true);
    assert!(entry["reason"].as_str().unwrap().contains("touch the same lines (1 conflict(s))"), "{entry}");
    assert!(entry["diff"].as_str().unwrap().contains("+<<<<<<< yours"), "{entry}");

    let run = fixture.run(&["generate", "fast-api", "my-api", "--architecture", "arm64", "--json"]);
    assert_eq!(run.code, 1, "{run:?}");
    assert_eq!(
        run.error_line(),
        format!(
            "error: 1 file(s) were written with conflict markers, where your edits and fastgen's changes touch the same lines: {CONSTRUCT}"
        )
    );
    let _: Value = serde_json::from_str(&run.stdout).expect("stdout stays one JSON document");
    let text = fixture.read(CONSTRUCT);
    // The bundle path on the line above changes too, so both lines are one conflict.
    let bundle = "const BUNDLE = 'dist/packages/my_api/bundle";
    let expected = format!(
        "<<<<<<< yours\n{bundle}-x86_64';\n{ours}\n||||||| fastgen before\n{bundle}-x86_64';\n{line}\n=======\n{bundle}-arm64';\nconst ARCHITECTURE = Architecture.ARM_64;\n>>>>>>> fastgen now\n"
    );
    assert!(text.contains(&expected), "{text}");
    // Everything else of the run landed: the bundle target follows the new architecture.
    assert!(fixture.read(PROJECT).contains("bundle-arm64"));

    // Resolved by the user, the next run merges nothing and reports the file kept.
    let resolved = format!("{bundle}-arm64';\nconst ARCHITECTURE = Architecture.ARM_64; // ours\n");
    fixture.write(CONSTRUCT, &text.replace(&expected, &resolved));
    let after = fixture.run(&["generate", "fast-api", "my-api", "--json"]);
    assert_eq!(after.code, 0, "{after:?}");
    let entry = files(&after.stdout).into_iter().find(|f| f["path"] == CONSTRUCT).unwrap();
    assert_eq!(entry["action"], "KEEP", "{entry}");
}

#[test]
fn issue_8_a_target_the_user_changed_is_kept_and_named() {
    let fixture = Fixture::new(&["--api", "my-api"]);
    let text = fixture.read(PROJECT);
    let edited = text.replace("\"command\": \"uv run mypy\"", "\"command\": \"uv run mypy --strict\"");
    let edited = edited.replace("--python-version 3.13", "--python-version 3.12");
    assert_ne!(edited, text);
    fixture.write(PROJECT, &edited);
    // The user's typecheck target is theirs (fastgen's version did not change: no word);
    // their bundle target is kept and named, since fastgen's version changes with arm64.
    let run = fixture.run(&["generate", "fast-api", "my-api", "--architecture", "arm64", "--json"]);
    assert_eq!(run.code, 0, "{run:?}");
    let entry = files(&run.stdout).into_iter().find(|f| f["path"] == PROJECT).unwrap();
    assert_eq!(entry["action"], "UPDATE", "{entry}");
    assert_eq!(
        entry["reason"],
        "your changes to the target(s) `bundle` are kept; fastgen's version of them differs (see `fastgen generate fast-api --dry-run`)"
    );
    let project: Value = serde_json::from_str(&fixture.read(PROJECT)).unwrap();
    assert_eq!(project["targets"]["typecheck"]["options"]["command"], "uv run mypy --strict");
    assert!(project["targets"]["bundle"].to_string().contains("--python-version 3.12"));
    assert_eq!(project["metadata"]["architecture"], "arm64");
}

#[test]
fn issue_8_baselines_are_committed_with_the_workspace_and_the_journal_is_not() {
    let fixture = Fixture::new(&["--api", "my-api"]);
    assert_eq!(
        fixture.read(".fastgen/.gitignore"),
        "# fastgen's commit journal, present only while a commit runs; never committed.\n# baseline/ is committed: it is how fastgen tells your edits from its own output.\njournal/\n"
    );
    assert_eq!(fixture.read(&format!(".fastgen/baseline/{CONSTRUCT}.base")), fixture.read(CONSTRUCT));
    let baseline: Value =
        serde_json::from_str(&fixture.read(&format!(".fastgen/baseline/{PROJECT}.base"))).unwrap();
    // Nothing under `.fastgen/` is named like a file tools discover (Nx reads every
    // `project.json` git does not ignore).
    let names = common::dir_state(&fixture.root.join(".fastgen"));
    assert!(
        names.keys().all(|p| p.ends_with('/')
            || std::path::Path::new(p).extension().is_some_and(|e| e == "base")
            || p == ".gitignore"),
        "{names:?}"
    );
    assert_eq!(baseline["metadata"]["apiName"], "my-api");
    assert!(!fixture.root.join(".fastgen/journal").exists());
}
