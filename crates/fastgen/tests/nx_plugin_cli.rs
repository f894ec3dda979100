//! What the Nx plugin asks of the binary: its schemas and collection from the option table
//! (whole transcripts), and a dry run that carries every file's content so the plugin can
//! apply the change set to Nx's tree while fastgen writes nothing.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{Fixture, dir_state, fastgen};
use serde_json::Value;

#[test]
fn the_nx_schemas_and_collection_come_from_the_option_table() {
    let temp = tempfile::tempdir().unwrap();
    for generator in ["fast-api", "infra", "website", "connection"] {
        let run = fastgen(temp.path(), &["schema", generator, "--nx"]);
        assert_eq!(run.code, 0, "{run:?}");
        insta::assert_snapshot!(format!("nx_schema_{generator}"), run.stdout);
    }
    let run = fastgen(temp.path(), &["schema", "--nx-collection"]);
    assert_eq!(run.code, 0, "{run:?}");
    insta::assert_snapshot!("nx_collection", run.stdout.replace(env!("CARGO_PKG_VERSION"), "<version>"));
    let run = fastgen(temp.path(), &["schema"]);
    assert_eq!(run.code, 2, "{run:?}");
}

#[test]
fn a_dry_run_with_contents_carries_every_file_and_writes_nothing() {
    let fixture = Fixture::new(&[]);
    let before = dir_state(&fixture.root);
    let run = fixture.run(&["generate", "fast-api", "my-api", "--dry-run", "--json", "--with-contents"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(dir_state(&fixture.root), before, "a dry run wrote");
    let document: Value = serde_json::from_str(&run.stdout).unwrap();
    let files = document["files"].as_array().unwrap();
    let find = |path: &str| files.iter().find(|f| f["path"] == path).unwrap_or_else(|| panic!("no {path}"));
    let run_sh = find("packages/my_api/run.sh");
    assert_eq!((run_sh["action"].as_str(), run_sh["mode"].as_str()), (Some("CREATE"), Some("755")));
    assert!(run_sh["content"].as_str().unwrap().starts_with("#!"));
    let main_py = find("packages/my_api/demo_my_api/main.py");
    assert_eq!(main_py["mode"], "644");
    // The baselines a later re-run merges from travel too, marked as fastgen's own.
    let baseline = files.iter().find(|f| f["internal"] == true).expect("no baseline in the change set");
    assert!(baseline["path"].as_str().unwrap().starts_with(".fastgen/"), "{baseline}");
    assert!(baseline["content"].is_string());
    // An unchanged file has no content to apply.
    let gitignore = find(".gitignore");
    assert_eq!(gitignore["action"], "UNCHANGED");
    assert!(gitignore.get("content").is_none());
    // Without `--json` the flag is refused.
    let run = fixture.run(&["generate", "fast-api", "my-api", "--dry-run", "--with-contents"]);
    assert_eq!(run.code, 2, "{run:?}");
}
