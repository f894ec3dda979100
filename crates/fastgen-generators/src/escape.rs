//! Quoting and escaping for every language a generated file embeds a value in: one helper per
//! target, used by the Rust code that builds commands and, as minijinja filters, by the
//! templates (`templates.rs` registers them).
//!
//! | target | helper | filter | what it returns |
//! |---|---|---|---|
//! | POSIX `sh` (Nx `command`s, `run.sh`) | [`shell_word`], [`shell_command`] | `sh` | one shell word, single-quoted when it needs quoting (the `shlex` crate) |
//! | TypeScript / JavaScript | [`ts_string_body`] | `ts_string` | the inside of a string literal, right between `'…'`, `"…"` and `` `…` `` |
//! | Python | [`py_string_body`] | `py_string` | the inside of a (non-raw, non-f) string literal, right between `'…'`, `"…"` and `"""…"""` |
//! | HCL (Terraform) | [`hcl_string_body`] | `hcl_string` | the inside of a quoted template string: `${` and `%{` cannot start an interpolation |
//!
//! Values fastgen derives (names, directories, scopes) are validated against a narrow
//! grammar before they get here, so most of these calls return their input unchanged; the
//! escaping is what keeps a generated file correct if a rule is ever widened.

use std::borrow::Cow;
use std::fmt::Write as _;

/// A value that cannot be written in the target language.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{value:?} cannot be written as a shell word: it contains a NUL character")]
pub struct EscapeError {
    pub value: String,
}

/// One POSIX shell word that expands to exactly `value`: unchanged when it has no character
/// a shell treats specially, otherwise quoted (no expansion, globbing or word splitting).
pub fn shell_word(value: &str) -> Result<Cow<'_, str>, EscapeError> {
    shlex::try_quote(value).map_err(|_| EscapeError { value: value.to_owned() })
}

/// A command line from `words`, each quoted with [`shell_word`].
pub fn shell_command<'a>(words: impl IntoIterator<Item = &'a str>) -> Result<String, EscapeError> {
    let mut line = String::new();
    for word in words {
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(&shell_word(word)?);
    }
    Ok(line)
}

/// The inside of a TypeScript string literal whose value is `value`. Every quote kind, the
/// backslash and `$` are escaped, so the result is right in `'…'`, `"…"` and template
/// literals alike; control characters and the JavaScript line terminators become `\uXXXX`.
pub fn ts_string_body(value: &str) -> String {
    string_body(value, &['\\', '\'', '"', '`', '$'], |code| format!("\\u{{{code:x}}}"))
}

/// The inside of a Python string literal whose value is `value`: right between `'…'`, `"…"`,
/// `'''…'''` and `"""…"""` (not raw strings, not f-strings).
pub fn py_string_body(value: &str) -> String {
    string_body(value, &['\\', '\'', '"'], |code| format!("\\U{code:08x}"))
}

/// `value` with each of `escaped` behind a backslash, `\n`, `\r`, `\t` as such, and other
/// control characters and the JavaScript line terminators as `control(code point)`.
fn string_body(value: &str, escaped: &[char], control: fn(u32) -> String) -> String {
    let mut out = String::with_capacity(value.len());
    for ch in value.chars() {
        match ch {
            c if escaped.contains(&c) => {
                out.push('\\');
                out.push(c);
            }
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() || matches!(c, '\u{2028}' | '\u{2029}') => {
                out.push_str(&control(u32::from(c)));
            }
            c => out.push(c),
        }
    }
    out
}

/// The inside of an HCL quoted string (`"…"`) whose value is `value`: `\` and `"` escaped,
/// control characters as `\uNNNN`, and `${` / `%{` doubled to `$${` / `%%{` so they stay text.
pub fn hcl_string_body(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut chars = value.chars().peekable();
    while let Some(ch) = chars.next() {
        match ch {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '$' | '%' if chars.peek() == Some(&'{') => {
                out.push(ch);
                out.push(ch);
            }
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::panic)]
mod tests {
    use std::process::Command;

    use super::*;

    /// Hostile values: every character class a shell, a string literal or a template
    /// language treats specially.
    const HOSTILE: &[&str] = &[
        "",
        "plain",
        "packages/my_api",
        "my apps",
        "a ~ b",
        "~",
        "~root/x",
        "a /* b",
        "x$(touch PWNED)",
        "x`touch PWNED`",
        "it's",
        "say \"hi\"",
        "a;touch PWNED",
        "a && b || c | d",
        "$HOME ${HOME} $1 $$",
        "back\\slash\\",
        "line\nbreak\r\n\ttab",
        "glob * ? [a-z] {a,b}",
        "#comment",
        "-rf",
        "!event ^caret",
        "%{ if true }x%{ endif } ${var.x} $${x}",
        "é ünïcode ✓",
        "\u{7}bell \u{1b}[31mred\u{2028}\u{2029}",
        "<>&=%,:@+",
    ];

    fn tool(name: &str) -> bool {
        let found = Command::new(name).arg("--version").output().is_ok_and(|o| o.status.success());
        if !found {
            eprintln!("SKIPPED: `{name}` is not on PATH, so this round trip did not run");
        }
        found
    }

    #[test]
    fn shell_words_round_trip_through_a_real_shell() {
        let dir = tempfile::tempdir().unwrap();
        for value in HOSTILE {
            let word = shell_word(value).unwrap();
            let output = Command::new("sh")
                .arg("-c")
                .arg(format!("printf %s {word}"))
                .current_dir(dir.path())
                .env("HOME", dir.path().join("home"))
                .output()
                .unwrap();
            assert!(output.status.success(), "{value:?} as {word}: {output:?}");
            assert_eq!(String::from_utf8_lossy(&output.stdout), *value, "quoted as {word}");
        }
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0, "a value ran a command");
    }

    #[test]
    fn shell_words_need_no_quotes_for_plain_paths() {
        for plain in
            ["packages/my_api", "../../dist/packages/my_api/bundle-x86_64", ":all:", "acme-my-api", "-r"]
        {
            assert_eq!(shell_word(plain).unwrap(), plain);
        }
        assert_eq!(shell_word("my apps").unwrap(), "'my apps'");
        assert_eq!(shell_word("").unwrap(), "''");
        assert_eq!(shell_word("a\0b"), Err(EscapeError { value: "a\0b".to_owned() }));
        assert_eq!(shell_command(["rm", "-rf", "dist/a /* b"]).unwrap(), "rm -rf 'dist/a /* b'");
    }

    #[test]
    fn ts_strings_round_trip_through_node_in_every_quote_kind() {
        assert_eq!(ts_string_body("it's `${x}`"), "it\\'s \\`\\${x}\\`");
        if !tool("node") {
            return;
        }
        for value in HOSTILE {
            let body = ts_string_body(value);
            let expected = serde_json::to_string(&vec![*value; 3]).unwrap();
            let script = format!("process.stdout.write(JSON.stringify(['{body}', \"{body}\", `{body}`]))");
            let output = Command::new("node").arg("-e").arg(&script).output().unwrap();
            assert!(output.status.success(), "{value:?}: {script}: {output:?}");
            assert_eq!(String::from_utf8_lossy(&output.stdout), expected, "{script}");
        }
    }

    #[test]
    fn py_strings_round_trip_through_python_in_every_quote_kind() {
        assert_eq!(py_string_body("it's \"x\""), "it\\'s \\\"x\\\"");
        if !tool("python3") {
            return;
        }
        for value in HOSTILE {
            let body = py_string_body(value);
            let script = format!(
                "import json, sys\nsys.stdout.write(json.dumps(['{body}', \"{body}\", '''{body}''', \"\"\"{body}\"\"\"]))"
            );
            let output = Command::new("python3").arg("-c").arg(&script).output().unwrap();
            assert!(output.status.success(), "{value:?}: {script}: {output:?}");
            let values: Vec<String> = serde_json::from_slice(&output.stdout).unwrap();
            assert_eq!(values, vec![(*value).to_owned(); 4], "{script}");
        }
    }

    #[test]
    fn hcl_strings_round_trip_through_an_hcl_evaluator() {
        assert_eq!(hcl_string_body("${var.x} %{ if } $x"), "$${var.x} %%{ if } $x");
        for value in HOSTILE {
            let body = hcl_string_body(value);
            let text = format!("value = \"{body}\"\n");
            let parsed: serde_json::Value = hcl::eval::from_str(&text, &hcl::eval::Context::new())
                .unwrap_or_else(|err| panic!("{value:?} as {text}: {err}"));
            assert_eq!(parsed["value"], *value, "{text}");
        }
    }
}
