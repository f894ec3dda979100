//! How a workspace finds fastgen: the npm package `fastgen`, exact-pinned as a devDependency
//! of the workspace root, and the shell prelude of every target that runs fastgen.
//!
//! Only a distribution build pins itself (`FASTGEN_DISTRIBUTION=1` at compile time, which
//! `scripts/package.sh` and the release workflow set): its version is on the npm registry.
//! A build from source may carry a version that was never published, and pinning it would
//! make `pnpm install` fail; its workspaces run the `fastgen` on `PATH` instead. Targets take
//! the workspace's own `node_modules/.bin/fastgen` first either way.

use fastgen_tree::Tree;
use fastgen_workspace::JsoncMut;
use serde_json::json;

use crate::error::GenerateError;

/// The npm package every distribution of fastgen (npm, the Python wheel, `cargo install`)
/// shares the version of.
pub const NPM_PACKAGE: &str = "fastgen";

/// The version a workspace pins, when this build is a distribution.
pub fn pinned_version() -> Option<&'static str> {
    option_env!("FASTGEN_DISTRIBUTION").filter(|value| *value == "1").map(|_| env!("CARGO_PKG_VERSION"))
}

/// The command that adds this fastgen to a workspace.
pub fn add_command() -> String {
    format!("pnpm add -D --save-exact {NPM_PACKAGE}@{}", env!("CARGO_PKG_VERSION"))
}

/// Pin `fastgen` in the root `package.json`'s devDependencies (a distribution build only;
/// a workspace without `package.json` is left alone). An older exact pin is moved to this
/// version: the workspace then runs the fastgen that wrote its files. Any other way the
/// workspace gets fastgen (`file:`, `link:`, `workspace:`, a range, a catalog, a git URL, or
/// `dependencies`) is the user's choice and stays as it is.
pub fn pin(tree: &mut Tree) -> Result<(), GenerateError> {
    match pinned_version() {
        Some(version) => pin_to(tree, version),
        None => Ok(()),
    }
}

fn pin_to(tree: &mut Tree, version: &str) -> Result<(), GenerateError> {
    let Some(text) = tree.read_string("package.json")? else { return Ok(()) };
    let mut package = JsoncMut::parse("package.json", &text)?;
    let declared = |section: &str| package.value().get(section).and_then(|s| s.get(NPM_PACKAGE)).cloned();
    if declared("dependencies").is_some() {
        return Ok(());
    }
    if let Some(spec) = declared("devDependencies")
        && !spec.as_str().is_some_and(is_exact_version)
    {
        return Ok(());
    }
    if !package.value().get("devDependencies").is_some_and(serde_json::Value::is_object) {
        package.insert(&[], "devDependencies", &json!({}))?;
    }
    package.set(&["devDependencies"], NPM_PACKAGE, &json!(version))?;
    tree.write("package.json", package.to_string())?;
    Ok(())
}

/// `1.2.3` or `1.2.3-rc.1`: a version npm would install as is.
fn is_exact_version(spec: &str) -> bool {
    let core = spec.split(['-', '+']).next().unwrap_or_default();
    let parts: Vec<&str> = core.split('.').collect();
    parts.len() == 3 && parts.iter().all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
}

/// `command` (which starts with the word `fastgen`, run from the workspace root) behind a
/// prelude that runs the workspace's own fastgen, else the one on `PATH`, else fails saying
/// how to add it.
pub fn run_fastgen(command: &str) -> String {
    let rest = command.strip_prefix("fastgen").unwrap_or(command);
    format!(
        "f=node_modules/.bin/fastgen; [ -x \"$f\" ] || f=\"$(command -v fastgen)\" || {{ echo 'error: this target runs fastgen, which this workspace does not have: add it with `{}` (or put fastgen on PATH) and run again' >&2; exit 127; }}; \"$f\"{rest}",
        add_command()
    )
}

/// The Nx `runtime` input that hashes the fastgen a target runs (its version).
pub fn version_input() -> String {
    "node_modules/.bin/fastgen --version 2>/dev/null || fastgen --version".to_owned()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use std::process::Command;

    use super::*;

    fn pinned(package_json: Option<&str>) -> Option<String> {
        let temp = tempfile::tempdir().unwrap();
        if let Some(text) = package_json {
            std::fs::write(temp.path().join("package.json"), text).unwrap();
        }
        let mut tree = Tree::new(temp.path());
        pin_to(&mut tree, "1.2.3").unwrap();
        tree.read_string("package.json").unwrap()
    }

    #[test]
    fn a_distribution_pins_itself_exactly() {
        assert_eq!(
            pinned(Some("{\n  \"devDependencies\": {\n    \"nx\": \"24.0.6\"\n  }\n}\n")).as_deref(),
            Some(
                "{\n  \"devDependencies\": {\n    \"nx\": \"24.0.6\",\n    \"fastgen\": \"1.2.3\"\n  }\n}\n"
            )
        );
        let moved = pinned(Some(r#"{"devDependencies": {"fastgen": "0.9.0"}}"#)).unwrap();
        assert_eq!(moved, r#"{"devDependencies": {"fastgen": "1.2.3"}}"#);
        let created = pinned(Some(r#"{"name": "x"}"#)).unwrap();
        let value: serde_json::Value = serde_json::from_str(&created).unwrap();
        assert_eq!(value["devDependencies"]["fastgen"], "1.2.3");
        assert_eq!(pinned(None), None);
        // How the user gets fastgen otherwise is theirs.
        for kept in [
            r#"{"devDependencies": {"fastgen": "file:../fastgen-0.1.0.tgz"}}"#,
            r#"{"devDependencies": {"fastgen": "^0.1.0"}}"#,
            r#"{"devDependencies": {"fastgen": "workspace:*"}}"#,
            r#"{"dependencies": {"fastgen": "0.0.9"}}"#,
        ] {
            assert_eq!(pinned(Some(kept)).as_deref(), Some(kept));
        }
    }

    fn run(dir: &std::path::Path, path: &str) -> std::process::Output {
        Command::new("/bin/sh")
            .arg("-c")
            .arg(run_fastgen("fastgen --version"))
            .current_dir(dir)
            .env("PATH", path)
            .output()
            .unwrap()
    }

    #[test]
    fn targets_run_the_workspace_s_fastgen_then_path_then_say_how_to_add_it() {
        use std::os::unix::fs::PermissionsExt;
        let temp = tempfile::tempdir().unwrap();
        let system = std::env::var("PATH").unwrap_or_default();
        // Neither: exit 127 with the command that adds it.
        let bare = tempfile::tempdir().unwrap();
        let output = run(temp.path(), bare.path().to_str().unwrap());
        assert_eq!(output.status.code(), Some(127));
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains(&add_command()), "{stderr}");
        // The workspace's own, with nothing on PATH but the shell's tools.
        let bin = temp.path().join("node_modules/.bin");
        std::fs::create_dir_all(&bin).unwrap();
        std::fs::write(bin.join("fastgen"), "#!/bin/sh\necho workspace \"$@\"\n").unwrap();
        std::fs::set_permissions(bin.join("fastgen"), std::fs::Permissions::from_mode(0o755)).unwrap();
        let output = run(temp.path(), &system);
        assert_eq!(String::from_utf8_lossy(&output.stdout), "workspace --version\n");
        // Without it, the one on PATH.
        std::fs::remove_file(bin.join("fastgen")).unwrap();
        std::fs::write(bare.path().join("fastgen"), "#!/bin/sh\necho path \"$@\"\n").unwrap();
        std::fs::set_permissions(bare.path().join("fastgen"), std::fs::Permissions::from_mode(0o755))
            .unwrap();
        let output = run(temp.path(), &format!("{}:{system}", bare.path().display()));
        assert_eq!(String::from_utf8_lossy(&output.stdout), "path --version\n");
    }
}
