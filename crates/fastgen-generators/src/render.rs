//! Embedded templates, the one minijinja environment that renders them, and
//! [`render_set`], which plans a whole template set: generic rendering, used by every
//! generator.
//!
//! Every file under `templates/<set>/` is a template; the path segment `__module__` is
//! replaced by the Python module name.
//!
//! Values embedded in a string literal or a shell command go through the escaping filters of
//! [`crate::escape`]: `{{ x | sh }}` (one POSIX shell word), `'{{ x | ts_string }}'`,
//! `"{{ x | py_string }}"` and `"{{ x | hcl_string }}"` (the inside of a literal).

use include_dir::{Dir, include_dir};
use minijinja::syntax::SyntaxConfig;
use minijinja::value::Serde;
use minijinja::{Environment, UndefinedBehavior, Value};
use serde::Serialize;

use fastgen_tree::{Mode, Ownership, Tree};

use crate::error::GenerateError;

static TEMPLATES: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/templates");

/// One template file of a set.
#[derive(Debug, Clone, Copy)]
pub struct TemplateFile {
    /// Path inside the set, `/`-separated, with placeholders (`__module__/init.py`).
    pub path: &'static str,
    pub source: &'static str,
}

/// Every file of the template set `set` (e.g. `fast-api`), in path order.
pub fn template_set(set: &str) -> Vec<TemplateFile> {
    let mut files = Vec::new();
    if let Some(dir) = TEMPLATES.get_dir(set) {
        collect(dir, set.len() + 1, &mut files);
    }
    files.sort_by_key(|f| f.path);
    files
}

fn collect(dir: &'static Dir<'static>, strip: usize, out: &mut Vec<TemplateFile>) {
    for file in dir.files() {
        let full = file.path().to_str().unwrap_or_default();
        let Some(source) = file.contents_utf8() else { continue };
        if let Some(path) = full.get(strip..) {
            out.push(TemplateFile { path, source });
        }
    }
    for sub in dir.dirs() {
        collect(sub, strip, out);
    }
}

/// The shared rendering environment: strict about undefined values, trims block lines,
/// keeps the final newline.
pub struct Renderer {
    env: Environment<'static>,
}

impl Default for Renderer {
    fn default() -> Self {
        let mut env = Environment::new();
        if let Ok(syntax) =
            SyntaxConfig::builder().trim_blocks(true).lstrip_blocks(true).keep_trailing_newline(true).build()
        {
            env.set_syntax(syntax);
        }
        env.set_undefined_behavior(UndefinedBehavior::Strict);
        env.add_filter("sh", |value: &str| {
            crate::escape::shell_word(value)
                .map(std::borrow::Cow::into_owned)
                .map_err(|err| minijinja::Error::new(minijinja::ErrorKind::InvalidOperation, err.to_string()))
        });
        env.add_filter("ts_string", |value: &str| crate::escape::ts_string_body(value));
        env.add_filter("py_string", |value: &str| crate::escape::py_string_body(value));
        env.add_filter("hcl_string", |value: &str| crate::escape::hcl_string_body(value));
        Self { env }
    }
}

impl Renderer {
    /// Render one template source with `context`.
    pub fn render(
        &self,
        name: &str,
        source: &str,
        context: &impl Serialize,
    ) -> Result<String, GenerateError> {
        self.env
            .render_str(source, Value::from(Serde(context)))
            .map_err(|err| GenerateError::Template { name: name.to_owned(), message: format!("{err:#}") })
    }
}

/// Render every file of a template set under `dest`. The generic core (`src/core/…`, the
/// same in every workspace) is fastgen's and refreshed; everything else is the user's once
/// it exists. Either way an edit is merged, never overwritten (ARCHITECTURE.md, "Who owns a
/// file").
pub fn render_set(
    tree: &mut Tree,
    set: &str,
    dest: &str,
    context: &impl Serialize,
    rename: &dyn Fn(&str) -> String,
) -> Result<(), GenerateError> {
    let renderer = Renderer::default();
    for file in template_set(set) {
        let content = renderer.render(file.path, file.source, context)?;
        let path = format!("{dest}/{}", rename(file.path));
        let ownership = if file.path.starts_with("src/core/") { Ownership::Fastgen } else { Ownership::User };
        tree.plan(&path, content.into_bytes(), Mode::Regular, ownership)?;
    }
    Ok(())
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::panic)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn the_escaping_filters_apply_the_escape_helpers() {
        let source = "sh {{ v | sh }}\nts '{{ v | ts_string }}'\npy \"{{ v | py_string }}\"\nhcl \"{{ v | hcl_string }}\"\n";
        let out = Renderer::default().render("t", source, &json!({ "v": "a'b ${c}" })).unwrap();
        assert_eq!(out, "sh \"a'b \"'${c}'\nts 'a\\'b \\${c}'\npy \"a\\'b ${c}\"\nhcl \"a'b $${c}\"\n");
        let plain = Renderer::default().render("t", source, &json!({ "v": "packages/my_api" })).unwrap();
        assert_eq!(
            plain,
            "sh packages/my_api\nts 'packages/my_api'\npy \"packages/my_api\"\nhcl \"packages/my_api\"\n"
        );
        let err = Renderer::default().render("t", "{{ v | sh }}", &json!({ "v": "a\0" }));
        assert!(matches!(err, Err(GenerateError::Template { .. })), "{err:?}");
    }
}
