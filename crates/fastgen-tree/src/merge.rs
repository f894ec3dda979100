//! Re-runs and upgrades of rendered files: the recorded baseline (what fastgen last rendered
//! for a file) tells a user's edit from fastgen's own output, and a 3-way merge brings
//! fastgen's changes into a file the user edited.
//!
//! Baselines live in `.fastgen/baseline/<path>.base` — one plain copy per rendered file,
//! committed with the workspace, written in the same all-or-nothing commit as the files
//! themselves. The `.base` suffix keeps tools that discover files by name (Nx finds every
//! `project.json` and `package.json` that git does not ignore) from taking a copy for the
//! real thing.

use crate::change::ChangeKind;
use crate::tree::Ownership;

/// Where baselines are kept, workspace-relative.
pub const BASELINE_DIR: &str = ".fastgen/baseline";

/// The baseline of the workspace-relative file `rel`.
pub fn baseline_path(rel: &str) -> String {
    format!("{BASELINE_DIR}/{rel}.base")
}

/// Conflict markers as fastgen writes them (git's diff3 style, with labels that say whose
/// side is whose).
pub const MARK_YOURS: &str = "<<<<<<< yours";
pub const MARK_BASE: &str = "||||||| fastgen before";
pub const MARK_SPLIT: &str = "=======";
pub const MARK_FASTGEN: &str = ">>>>>>> fastgen now";

/// What a rendered file becomes on this run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    pub kind: ChangeKind,
    /// What to write (the render itself, or a merge).
    pub content: Vec<u8>,
    /// Why, in words, for KEEP / UPDATE / MERGE / CONFLICT.
    pub reason: Option<String>,
    /// The baseline to record for the file, when it changes.
    pub record: Option<Vec<u8>>,
}

/// Decide a rendered file: `render` is fastgen's output now, `disk` the file as it is,
/// `base` the recorded baseline. `mode_ok` says whether the disk's mode is the planned one.
pub fn decide(
    ownership: Ownership,
    render: &[u8],
    disk: Option<&[u8]>,
    base: Option<&[u8]>,
    mode_ok: bool,
) -> Outcome {
    let outcome = |kind, content: &[u8], reason: Option<&str>| Outcome {
        kind,
        content: content.to_vec(),
        reason: reason.map(str::to_owned),
        record: Some(render.to_vec()),
    };
    let Some(disk) = disk else { return outcome(ChangeKind::Create, render, None) };
    if disk == render {
        return if mode_ok {
            outcome(ChangeKind::Unchanged, render, None)
        } else {
            outcome(ChangeKind::Update, render, Some("its mode changes"))
        };
    }
    match base {
        Some(base) if base == disk => outcome(
            ChangeKind::Update,
            render,
            Some("fastgen's version changed and the file has no edits of yours"),
        ),
        Some(base) if base == render => outcome(
            ChangeKind::Keep,
            disk,
            Some("your edits are kept; fastgen's version has not changed since it was written"),
        ),
        Some(base) => merge(base, disk, render),
        // Without a baseline an edit cannot be told from an older fastgen's output: nothing
        // of the user's is risked, fastgen-owned or not.
        None => Outcome {
            kind: ChangeKind::Keep,
            content: disk.to_vec(),
            reason: Some(format!(
                "it exists but fastgen has no baseline of it (written by hand, or by a fastgen that did not record baselines), so it cannot tell your edits from its own: left as it is{}",
                if ownership == Ownership::Fastgen {
                    "; fastgen owns it: delete it and run again to take fastgen's current version"
                } else {
                    ""
                }
            )),
            record: None,
        },
    }
}

/// Bring the change `base` → `render` into `disk`.
fn merge(base: &[u8], disk: &[u8], render: &[u8]) -> Outcome {
    let mut options = diffy::MergeOptions::new();
    options.set_conflict_style(diffy::ConflictStyle::Diff3);
    let record = Some(render.to_vec());
    match options.merge_bytes(base, disk, render) {
        Ok(merged) if merged == disk => Outcome {
            kind: ChangeKind::Keep,
            content: merged,
            reason: Some("your version already has fastgen's changes".to_owned()),
            record,
        },
        Ok(merged) => Outcome {
            kind: ChangeKind::Merge,
            content: merged,
            reason: Some("your edits are kept and fastgen's changes are merged in".to_owned()),
            record,
        },
        Err(conflicted) => {
            let (content, hunks) = relabel(&conflicted, disk.windows(2).any(|w| w == b"\r\n"));
            Outcome {
                kind: ChangeKind::MergeConflict,
                content,
                reason: Some(format!(
                    "your edits and fastgen's changes touch the same lines ({hunks} conflict(s)); written with conflict markers (`{MARK_YOURS}` … `{MARK_FASTGEN}`): keep what you want and delete the markers"
                )),
                record,
            }
        }
    }
}

/// diffy labels the sides `ours`, `original` and `theirs`; fastgen says whose side is whose,
/// and ends each marker line as the user's file ends its lines (`crlf`). Returns the
/// relabelled text and the number of conflicts.
fn relabel(conflicted: &[u8], crlf: bool) -> (Vec<u8>, usize) {
    let mut out = Vec::with_capacity(conflicted.len() + 64);
    let mut hunks = 0;
    for line in conflicted.split_inclusive(|&b| b == b'\n') {
        let body = line.strip_suffix(b"\n").unwrap_or(line);
        let body = body.strip_suffix(b"\r").unwrap_or(body);
        let marker = match body {
            b"<<<<<<< ours" => {
                hunks += 1;
                MARK_YOURS
            }
            b"||||||| original" => MARK_BASE,
            b"=======" => MARK_SPLIT,
            b">>>>>>> theirs" => MARK_FASTGEN,
            _ => {
                out.extend_from_slice(line);
                continue;
            }
        };
        out.extend_from_slice(marker.as_bytes());
        if line.ends_with(b"\n") {
            out.extend_from_slice(if crlf { b"\r\n" } else { b"\n" });
        }
    }
    (out, hunks)
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: &[u8] = b"one\ntwo\nthree\nfour\nfive\n";

    #[test]
    fn an_unedited_file_takes_fastgen_s_new_version() {
        let out = decide(Ownership::User, b"one\nTWO\nthree\nfour\nfive\n", Some(BASE), Some(BASE), true);
        assert_eq!(out.kind, ChangeKind::Update);
        assert_eq!(out.content, b"one\nTWO\nthree\nfour\nfive\n");
    }

    #[test]
    fn an_edit_and_a_template_change_elsewhere_merge_cleanly() {
        let yours = b"one\ntwo\nthree\nfour\nfive\nmy line\n";
        let out = decide(Ownership::User, b"ONE\ntwo\nthree\nfour\nfive\n", Some(yours), Some(BASE), true);
        assert_eq!(out.kind, ChangeKind::Merge);
        assert_eq!(out.content, b"ONE\ntwo\nthree\nfour\nfive\nmy line\n");
        assert_eq!(out.record.as_deref(), Some(&b"ONE\ntwo\nthree\nfour\nfive\n"[..]));
    }

    #[test]
    fn edits_of_the_same_line_conflict_with_markers_and_lose_nothing() {
        let yours = b"one\nmine\nthree\nfour\nfive\n";
        let out =
            decide(Ownership::User, b"one\nfastgen's\nthree\nfour\nfive\n", Some(yours), Some(BASE), true);
        assert_eq!(out.kind, ChangeKind::MergeConflict);
        let text = String::from_utf8(out.content).unwrap_or_default();
        assert_eq!(
            text,
            "one\n<<<<<<< yours\nmine\n||||||| fastgen before\ntwo\n=======\nfastgen's\n>>>>>>> fastgen now\nthree\nfour\nfive\n"
        );
        assert!(out.reason.unwrap_or_default().contains("1 conflict(s)"));
    }

    #[test]
    fn an_edit_is_kept_when_fastgen_s_version_did_not_change() {
        let yours = b"one\nmine\n";
        let out = decide(Ownership::User, BASE, Some(yours), Some(BASE), true);
        assert_eq!((out.kind, out.content.as_slice()), (ChangeKind::Keep, &yours[..]));
    }

    #[test]
    fn without_a_baseline_an_existing_file_is_kept_whoever_owns_it() {
        for ownership in [Ownership::User, Ownership::Fastgen] {
            let out = decide(ownership, BASE, Some(b"mine\n"), None, true);
            assert_eq!(
                (out.kind, out.content.as_slice(), out.record),
                (ChangeKind::Keep, &b"mine\n"[..], None)
            );
        }
    }

    #[test]
    fn crlf_conflicts_keep_their_line_endings() {
        let base = b"a\r\nb\r\nc\r\n";
        let out = decide(Ownership::User, b"a\r\nB2\r\nc\r\n", Some(b"a\r\nB1\r\nc\r\n"), Some(base), true);
        assert_eq!(out.kind, ChangeKind::MergeConflict);
        let text = String::from_utf8(out.content).unwrap_or_default();
        assert!(text.contains("<<<<<<< yours\r\nB1\r\n"), "{text:?}");
        assert!(text.contains(">>>>>>> fastgen now\r\n"), "{text:?}");
    }
}
