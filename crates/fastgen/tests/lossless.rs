//! Issue #7, item 3 ("Lossless edits"): files fastgen edits keep every byte it does not mean
//! to change. Each case in `tests/fixtures/lossless/<case>/` is a workspace (`in/`) and, for
//! every file of `in/`, the bytes expected after one run of the real binary (`out/`), compared
//! byte for byte (and executable bit); a second run must change nothing. Refusals leave `in/`
//! as it was. Files the run creates are the snapshot tests' business, not these fixtures'.
//!
//! After a deliberate change to what fastgen generates, rewrite the expected trees with
//! `FASTGEN_BLESS=1 cargo test -p fastgen --test lossless` and review `git diff`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use common::{Run, dir_state, fastgen};

/// fastgen's own lock and journal directory: machinery of a run, not part of the workspace.
const PRIVATE: &str = ".fastgen";

fn case_dir(case: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/lossless").join(case)
}

/// A fresh copy of `<case>/in` in a temporary directory.
fn workspace(case: &str) -> (tempfile::TempDir, PathBuf) {
    let temp = tempfile::tempdir().unwrap();
    let root = temp.path().join("ws");
    copy_tree(&case_dir(case).join("in"), &root);
    (temp, root)
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap().flatten() {
        let (source, dest) = (entry.path(), to.join(entry.file_name()));
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&source, &dest);
        } else {
            std::fs::copy(&source, &dest).unwrap();
        }
    }
}

/// Every file under `root` (but fastgen's private directory) with its bytes and whether it
/// is executable: what a checkout of the fixture can reproduce exactly.
fn files(root: &Path) -> BTreeMap<String, (Vec<u8>, bool)> {
    dir_state(root)
        .into_iter()
        .filter(|(path, _)| !path.ends_with('/') && path.split('/').next() != Some(PRIVATE))
        .map(|(path, (bytes, mode))| (path, (bytes, mode & 0o111 != 0)))
        .collect()
}

fn write_tree(root: &Path, files: &BTreeMap<String, (Vec<u8>, bool)>) {
    if root.exists() {
        std::fs::remove_dir_all(root).unwrap();
    }
    for (path, (bytes, executable)) in files {
        let dest = root.join(path);
        std::fs::create_dir_all(dest.parent().unwrap()).unwrap();
        std::fs::write(&dest, bytes).unwrap();
        #[cfg(unix)]
        if *executable {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&dest, std::fs::Permissions::from_mode(0o755)).unwrap();
        }
    }
}

/// Run `args` on `<case>/in` and compare every file that was in `in/` with `<case>/out`; run
/// again and check that nothing changes.
fn check(case: &str, args: &[&str]) {
    let (_temp, root) = workspace(case);
    let run = fastgen(&root, args);
    assert_eq!(run.code, 0, "{case}: {run:?}");
    let existing = files(&case_dir(case).join("in"));
    let mut actual = files(&root);
    actual.retain(|path, _| existing.contains_key(path));
    let expected_dir = case_dir(case).join("out");
    if std::env::var_os("FASTGEN_BLESS").is_some_and(|v| v == "1") {
        write_tree(&expected_dir, &actual);
    }
    let expected = files(&expected_dir);
    let paths = |m: &BTreeMap<String, (Vec<u8>, bool)>| m.keys().cloned().collect::<Vec<_>>();
    assert_eq!(paths(&actual), paths(&expected), "{case}: the files differ (FASTGEN_BLESS=1 rewrites out/)");
    for (path, (bytes, executable)) in &expected {
        let (actual_bytes, actual_executable) = &actual[path];
        assert!(
            actual_bytes == bytes,
            "{case}: `{path}` differs\n--- expected\n{}\n--- actual\n{}",
            String::from_utf8_lossy(bytes).escape_debug(),
            String::from_utf8_lossy(actual_bytes).escape_debug(),
        );
        assert_eq!(actual_executable, executable, "{case}: `{path}` executable bit");
    }
    let before = dir_state(&root);
    let again = fastgen(&root, args);
    assert_eq!(again.code, 0, "{case}, second run: {again:?}");
    assert_eq!(dir_state(&root), before, "{case}: the second run changed the workspace: {again:?}");
}

/// The bytes of `<case>/in/<path>` and of the same file in `<case>/out`, for the checks below
/// that say in plain terms what the whole-tree comparison proves.
fn in_and_out(case: &str, path: &str) -> (Vec<u8>, Vec<u8>) {
    let dir = case_dir(case);
    (std::fs::read(dir.join("in").join(path)).unwrap(), std::fs::read(dir.join("out").join(path)).unwrap())
}

fn lines(bytes: &[u8]) -> Vec<&[u8]> {
    bytes.split_inclusive(|&b| b == b'\n').collect()
}

#[test]
fn issue_7_an_adopted_workspace_keeps_latin_1_crlf_bom_and_jsonc() {
    check("adopted-cdk", &["generate", "fast-api", "orders"]);
    let case = "adopted-cdk";
    // `.gitignore`: the Latin-1 secrets pattern is still there byte for byte (it used to turn
    // into U+FFFD and stop matching); old and new lines all end with CRLF.
    let (before, after) = in_and_out(case, ".gitignore");
    assert!(after.starts_with(&before));
    assert!(lines(&after).contains(&&b"geheim-schl\xFCssel.env\r\n"[..]));
    assert!(lines(&after).len() > lines(&before).len());
    assert!(lines(&after).iter().all(|line| line.ends_with(b"\r\n")));
    // Root `pyproject.toml`: BOM, comments and CRLF kept, the new member and source on CRLF lines.
    let (_, after) = in_and_out(case, "pyproject.toml");
    assert!(after.starts_with(b"\xEF\xBB\xBF# uv workspace root."));
    assert!(lines(&after).contains(&&b"    \"packages/legacy\", # the old service\r\n"[..]));
    assert!(lines(&after).contains(&&b"    \"packages/orders\",\r\n"[..]));
    assert!(lines(&after).iter().all(|line| line.ends_with(b"\r\n")));
    // Export lines: appended after the BOM file's Latin-1 comment, with CRLF.
    let (before, after) = in_and_out(case, "packages/common/constructs/src/app/apis/index.ts");
    assert_eq!(after, [before, b"export * from './orders.js';\r\n".to_vec()].concat());
    // The constructs' JSONC `project.json`: every line of the original is still there, in
    // order; only the API's target and `dependsOn` entries are new.
    let (before, after) = in_and_out(case, "packages/common/constructs/project.json");
    let mut rest = lines(&after).into_iter();
    for line in lines(&before) {
        let normalised =
            |l: &[u8]| l.strip_suffix(b",\n").map_or_else(|| l.to_vec(), |s| [s, b"\n"].concat());
        assert!(rest.any(|l| normalised(l) == normalised(line)), "lost: {}", String::from_utf8_lossy(line));
    }
}

#[test]
fn issue_7_a_jsonc_project_json_with_crlf_and_a_bom_is_merged_in_place() {
    check("jsonc-rerun-terraform", &["generate", "fast-api", "orders", "--auth", "Cognito"]);
    let (before, after) = in_and_out("jsonc-rerun-terraform", "packages/orders/project.json");
    let after_text = String::from_utf8(after.clone()).unwrap();
    assert!(after.starts_with(b"\xEF\xBB\xBF{\r\n  // The orders API."));
    assert!(after_text.contains("\"auth\": \"Cognito\", // switched to Cognito later\r\n"));
    assert!(lines(&after).iter().all(|line| line.ends_with(b"\r\n")));
    // The user's `docs` target stays first; the `format` target they deleted comes back last.
    let value = fastgen_workspace::parse_jsonc("project.json", &after_text).unwrap();
    let targets: Vec<&str> = value["targets"].as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(targets.first(), Some(&"docs"), "{targets:?}");
    assert_eq!(targets.last(), Some(&"format"), "{targets:?}");
    // Everything else is the user's text, byte for byte: take the added target and the
    // added `implicitDependencies` (on the runtime package) out and undo the changed value,
    // and the file is what it was.
    let added = ",\r\n  \"implicitDependencies\": [\r\n    \"common-runtime\",\r\n  ]\r\n}\r\n";
    assert!(after_text.ends_with(added), "{after_text}");
    let body = &after_text[..after_text.len() - added.len()];
    let start = body.find(",\r\n    \"format\": {").unwrap();
    let end = body.rfind("\r\n  }").unwrap();
    let without = format!("{}{}\r\n}}\r\n", &body[..start], &body[end..]);
    let before_text = String::from_utf8(before).unwrap();
    assert_eq!(without, before_text.replace("\"auth\": \"IAM\"", "\"auth\": \"Cognito\""));
}

fn refused(case: &str, args: &[&str], error: &str) -> Run {
    let (_temp, root) = workspace(case);
    let before = dir_state(&root);
    let run = fastgen(&root, args);
    assert_eq!(run.code, 1, "{run:?}");
    assert_eq!(run.error_line(), error, "{run:?}");
    assert_eq!(dir_state(&root), before, "the workspace changed: {run:?}");
    run
}

#[test]
fn issue_7_a_non_utf8_pyproject_is_refused_with_file_line_and_column() {
    let run = refused(
        "non-utf8-pyproject",
        &["generate", "fast-api", "orders"],
        "error: `pyproject.toml` is not UTF-8 (line 3, column 11); fastgen edits it only as UTF-8 text",
    );
    assert_eq!(
        run.hint_line(),
        "hint: save `pyproject.toml` as UTF-8 (e.g. `iconv -f latin1 -t utf-8`), then run fastgen again; nothing was written"
    );
}

#[test]
fn issue_7_files_that_cannot_be_edited_safely_are_refused_with_line_and_reason() {
    let cases: [(&str, &[u8], &str); 3] = [
        (
            "pyproject.toml",
            b"[tool.uv.workspace]\r\nmembers = []\n",
            "error: `pyproject.toml` cannot be edited safely (line 2): the file mixes line endings (line 1 ends with CRLF, line 2 with LF); fastgen's TOML editor would rewrite them all to one",
        ),
        (
            "packages/orders/project.json",
            b"{\n  \"name\": \"acme.orders\",\n  \"metadata\": {},\n  \"metadata\": {}\n}\n",
            "error: `packages/orders/project.json` cannot be edited safely (line 4): `metadata` is written twice (lines 3 and 4); fastgen cannot tell which one to edit",
        ),
        (
            "packages/common/constructs/project.json",
            b"// not an object\n[\"common-constructs\"]\n",
            "error: `packages/common/constructs/project.json` cannot be edited safely (line 2): the top level is an array, not an object; fastgen adds its keys to an object",
        ),
    ];
    for (path, content, error) in cases {
        let (_temp, root) = workspace("non-utf8-pyproject");
        std::fs::write(root.join("pyproject.toml"), "[tool.uv.workspace]\nmembers = []\n").unwrap();
        std::fs::create_dir_all(root.join(path).parent().unwrap()).unwrap();
        std::fs::write(root.join(path), content).unwrap();
        let before = dir_state(&root);
        let run = fastgen(&root, &["generate", "fast-api", "orders"]);
        assert_eq!((run.code, run.error_line()), (1, error), "{path}: {run:?}");
        assert_eq!(
            run.hint_line(),
            format!("hint: change `{path}` as the message says, then run fastgen again; nothing was written")
        );
        assert_eq!(dir_state(&root), before, "{path}: the workspace changed");
    }
}
