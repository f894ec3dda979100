//! Everything fastgen prints: change summaries, diffs, JSON results, errors. Data goes to
//! stdout, logs and progress to stderr.

use std::io::Write;
use std::sync::{Arc, Mutex};

use anstream::eprintln;
use anstyle::{AnsiColor, Style};
use fastgen_tree::{ChangeKind, ChangeSet};
use serde_json::{Value, json};

use crate::cli::GlobalArgs;
use crate::error::Refusal;

const BOLD: Style = Style::new().bold();
const RED: Style = AnsiColor::Red.on_default().bold();
const YELLOW: Style = AnsiColor::Yellow.on_default().bold();
const GREEN: Style = AnsiColor::Green.on_default();
const CYAN: Style = AnsiColor::Cyan.on_default();
const DIM: Style = Style::new().dimmed();

/// How much to print, and where.
#[derive(Debug, Clone)]
pub struct Printer {
    pub json: bool,
    /// `--with-contents`: the JSON change set carries every written file's bytes.
    pub contents: bool,
    pub quiet: bool,
    pub verbose: bool,
    /// Where warnings and notes go instead of stderr (the MCP server returns them with the
    /// tool's result); `None` on the terminal.
    notes: Option<Arc<Mutex<Vec<String>>>>,
}

impl Printer {
    pub fn new(global: &GlobalArgs) -> Self {
        Self {
            json: global.json,
            contents: global.with_contents,
            quiet: global.quiet,
            verbose: global.verbose,
            notes: None,
        }
    }

    /// A printer that prints nothing and keeps the warnings and notes, for [`Self::notes`].
    pub fn collecting() -> Self {
        Self { json: true, contents: false, quiet: false, verbose: false, notes: Some(Arc::default()) }
    }

    /// What a collecting printer kept, in order.
    pub fn notes(&self) -> Vec<String> {
        self.notes.as_ref().and_then(|notes| notes.lock().ok().map(|n| n.clone())).unwrap_or_default()
    }

    /// Keep `message` when collecting; whether it was kept.
    fn keep(&self, message: String) -> bool {
        let Some(notes) = &self.notes else { return false };
        if let Ok(mut notes) = notes.lock() {
            notes.push(message);
        }
        true
    }

    /// A warning on stderr (kept even in `--json` mode; stdout stays pure data).
    pub fn warn(&self, message: &str) {
        if self.keep(format!("warning: {message}")) {
            return;
        }
        if !self.quiet {
            eprintln!("{YELLOW}warning{YELLOW:#}: {message}");
        }
    }

    /// A progress or detail line on stderr.
    pub fn info(&self, message: &str) {
        if self.keep(message.to_owned()) {
            return;
        }
        if !self.quiet && !self.json {
            eprintln!("{message}");
        }
    }

    /// A line only shown with `--verbose`.
    pub fn detail(&self, message: &str) {
        if self.verbose && !self.json {
            eprintln!("{DIM}{message}{DIM:#}");
        }
    }

    /// Show a change set: one line per file (and diffs for a dry run), or the JSON document.
    pub fn changes(&self, changes: &ChangeSet, dry_run: bool, next_steps: &[String]) {
        if self.notes.is_some() {
            return;
        }
        if self.json {
            let document = json_document(changes, dry_run, next_steps, self.contents);
            data(&serde_json::to_string_pretty(&document).unwrap_or_default());
            return;
        }
        if self.quiet && !dry_run {
            return;
        }
        for file in changes.reported() {
            let style = match file.kind {
                ChangeKind::Create => GREEN,
                ChangeKind::Update | ChangeKind::Merge => CYAN,
                ChangeKind::Conflict(_) | ChangeKind::MergeConflict => RED,
                ChangeKind::Unchanged | ChangeKind::Keep => DIM,
            };
            let label = format!("{style}{:<9}{style:#}", file.kind.label());
            let line = match reason(file) {
                Some(reason) => format!("{label} {} ({reason})", file.path),
                None => format!("{label} {}", file.path),
            };
            let shown = file.kind.writes() || matches!(file.kind, ChangeKind::Keep | ChangeKind::Conflict(_));
            if dry_run {
                data(&line);
            } else if self.verbose || shown {
                eprintln!("{line}");
            }
        }
        if dry_run {
            for file in changes.reported() {
                print_diff(&file.unified_diff());
            }
        }
        let summary = format!(
            "{} created, {} updated, {} merged, {} unchanged, {} kept, {} conflicts",
            changes.count("CREATE"),
            changes.count("UPDATE"),
            changes.count("MERGE"),
            changes.count("UNCHANGED"),
            changes.count("KEEP"),
            changes.count("CONFLICT"),
        );
        if dry_run {
            eprintln!("{BOLD}dry run{BOLD:#}: {summary}; nothing was written");
        } else {
            eprintln!("{BOLD}done{BOLD:#}: {summary}");
            if !next_steps.is_empty() {
                eprintln!("\nNext:");
                for step in next_steps {
                    eprintln!("  {step}");
                }
            }
        }
    }
}

/// Why a file gets what it gets, when there is something to say.
fn reason(file: &fastgen_tree::FileChange) -> Option<&str> {
    match &file.kind {
        ChangeKind::Conflict(reason) => Some(reason),
        _ => file.reason.as_deref(),
    }
}

/// Write one line of data to stdout. A reader that went away (`fastgen schema … | head`)
/// is not an error worth a panic or a message: the rest of the output is dropped.
pub fn data(line: &str) {
    let _ = writeln!(anstream::stdout().lock(), "{line}");
}

fn print_diff(diff: &str) {
    let mut out = anstream::stdout().lock();
    for line in diff.lines() {
        let style = if line.starts_with("+++") || line.starts_with("---") {
            BOLD
        } else if line.starts_with('+') {
            GREEN
        } else if line.starts_with('-') {
            AnsiColor::Red.on_default()
        } else if line.starts_with("@@") {
            CYAN
        } else {
            Style::new()
        };
        let _ = writeln!(out, "{style}{line}{style:#}");
    }
}

/// The bytes, mode and bookkeeping flag of a file that is written (`--with-contents`).
fn add_content(entry: &mut Value, file: &fastgen_tree::FileChange) {
    use base64::Engine as _;
    if file.internal {
        entry["internal"] = json!(true);
    }
    if !file.kind.writes() {
        return;
    }
    match std::str::from_utf8(&file.new) {
        Ok(text) => entry["content"] = json!(text),
        Err(_) => entry["contentBase64"] = json!(base64::engine::general_purpose::STANDARD.encode(&file.new)),
    }
    let mode = match file.mode {
        fastgen_tree::Mode::Executable => "755",
        fastgen_tree::Mode::Regular => "644",
    };
    entry["mode"] = json!(mode);
}

/// The `--json` change set document: every file with its action, reason and diff (and, with
/// `contents`, its bytes and mode), the summary and the next steps.
pub fn json_document(changes: &ChangeSet, dry_run: bool, next_steps: &[String], contents: bool) -> Value {
    let files: Vec<Value> = changes
        .files
        .iter()
        .filter(|file| contents || !file.internal)
        .map(|file| {
            let mut entry = json!({ "path": file.path, "action": file.kind.label() });
            if contents {
                add_content(&mut entry, file);
            }
            if let Some(reason) = reason(file) {
                entry["reason"] = json!(reason);
            }
            match file.kind {
                ChangeKind::MergeConflict => entry["written"] = json!(true),
                ChangeKind::Conflict(_) => entry["written"] = json!(false),
                _ => {}
            }
            let diff = file.unified_diff();
            if !diff.is_empty() {
                entry["diff"] = json!(diff);
            }
            entry
        })
        .collect();
    json!({
        "workspace": changes.root.display().to_string(),
        "dryRun": dry_run,
        "files": files,
        "summary": {
            "create": changes.count("CREATE"),
            "update": changes.count("UPDATE"),
            "merge": changes.count("MERGE"),
            "unchanged": changes.count("UNCHANGED"),
            "keep": changes.count("KEEP"),
            "conflict": changes.count("CONFLICT"),
        },
        "nextSteps": next_steps,
    })
}

/// Print an error (and its causes and hint) on stderr; as JSON on stdout too with `--json`.
pub fn error(json_mode: bool, refusal: &Refusal) {
    eprintln!("{RED}error{RED:#}: {}", refusal.message);
    for cause in &refusal.causes {
        eprintln!("  {BOLD}Caused by{BOLD:#}: {cause}");
    }
    if let Some(hint) = &refusal.hint {
        eprintln!("{CYAN}hint{CYAN:#}: {hint}");
    }
    if json_mode {
        data(&serde_json::to_string_pretty(&refusal.json()).unwrap_or_default());
    }
}
