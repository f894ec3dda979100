//! `project.json` as Nx reads it: JSON with comments and trailing commas (Nx's `parseJson`
//! allows both), after an optional UTF-8 byte-order mark.
//!
//! [`JsoncMut`] edits such a file by splicing text into the original, so every byte outside
//! an edit stays as it was: comments, commas, key order, indentation, line endings, the BOM.
//! What it adds copies the file's style: its indentation unit, its line ending, its trailing
//! commas, one member per line in an object written that way and inline in an inline one. On
//! a file fastgen wrote itself (two spaces, `\n`), an edit gives exactly the text that
//! serialising the merged value with [`crate::to_pretty_json`] would.

use jsonc_parser::ast::{Object, ObjectProp, Value as Node};
use jsonc_parser::common::Ranged;
use jsonc_parser::errors::ParseError;
use jsonc_parser::tokens::{Token, TokenAndRange};
use jsonc_parser::{CollectOptions, CommentCollectionStrategy, ParseOptions, parse_to_ast};
use serde_json::{Map, Value};

use crate::edit::Edit;
use crate::error::WorkspaceError;
use crate::text::{line_column, line_ending, split_bom_str};

/// JSONC as Nx accepts it, and nothing of JSON5 beyond it.
const OPTIONS: ParseOptions = ParseOptions {
    allow_comments: true,
    allow_trailing_commas: true,
    allow_loose_object_property_names: false,
    allow_missing_commas: false,
    allow_single_quoted_strings: false,
    allow_hexadecimal_numbers: false,
    allow_unary_plus_numbers: false,
    allow_bare_decimal_point_numbers: false,
    allow_non_finite_numbers: false,
    allow_extended_string_escapes: false,
};

/// Parse a JSONC workspace file (`project.json`) into a value, locating any syntax error.
pub fn parse_jsonc(path: &str, text: &str) -> Result<Value, WorkspaceError> {
    let (body, _) = split_bom_str(text);
    let parsed = parse_to_ast(body, &CollectOptions::default(), &OPTIONS).map_err(|e| syntax(path, &e))?;
    let root = parsed.value.ok_or_else(|| no_value(path, body))?;
    to_value(path, body, &root)
}

/// A JSONC file whose top level is an object, edited in place. Each method says what it did.
#[derive(Debug, Clone)]
pub struct JsoncMut {
    path: String,
    bom: bool,
    /// The text after the BOM.
    text: String,
    value: Value,
}

impl JsoncMut {
    /// Parse `text` read from `path`: a syntax error is located; a top level that is not an
    /// object is refused (fastgen only ever adds keys to one).
    pub fn parse(path: &str, text: &str) -> Result<Self, WorkspaceError> {
        let (body, bom) = split_bom_str(text);
        let mut doc = Self { path: path.to_owned(), bom, text: body.to_owned(), value: Value::Null };
        doc.value = doc.reparse()?;
        Ok(doc)
    }

    /// The document as a value (comments dropped; a repeated key keeps its last value).
    pub fn value(&self) -> &Value {
        &self.value
    }

    /// Set `key` of the object at `object` (keys from the top) to `value`: replaced where it
    /// is when different, appended when missing.
    pub fn set(&mut self, object: &[&str], key: &str, value: &Value) -> Result<Edit, WorkspaceError> {
        self.edit(|doc| {
            let (node, found) = doc.object(object)?;
            match doc.property(found, object, key)? {
                Some(prop) if doc.value_of(&prop.value)? == *value => Ok(None),
                Some(prop) => Ok(Some((Edit::Changed, vec![doc.replace(&node, prop, value)]))),
                None => Ok(Some((Edit::Added, doc.append_property(&node, key, value)))),
            }
        })
    }

    /// Add `key` to the object at `object` when it is missing; an existing value is kept.
    pub fn insert(&mut self, object: &[&str], key: &str, value: &Value) -> Result<Edit, WorkspaceError> {
        self.edit(|doc| {
            let (node, found) = doc.object(object)?;
            match doc.property(found, object, key)? {
                Some(_) => Ok(None),
                None => Ok(Some((Edit::Added, doc.append_property(&node, key, value)))),
            }
        })
    }

    /// Append `item` to the array at `array` unless an equal element is there.
    pub fn push_unique(&mut self, array: &[&str], item: &Value) -> Result<Edit, WorkspaceError> {
        self.edit(|doc| {
            let node = doc.locate(array)?;
            let Node::Array(found) = node.node else { return Err(doc.not_a(node.node, array, "an array")) };
            for element in &found.elements {
                if doc.value_of(element)? == *item {
                    return Ok(None);
                }
            }
            let splices =
                doc.append(&node, "", &|indent: &str, multiline| render(item, indent, multiline, &doc.style));
            Ok(Some((Edit::Added, splices)))
        })
    }

    /// Plan splices on the current text with `plan`, apply them, and check that the result
    /// still parses (an edit that would not is refused, never written).
    fn edit(
        &mut self,
        plan: impl FnOnce(&Doc<'_, '_>) -> Result<Option<(Edit, Vec<Splice>)>, WorkspaceError>,
    ) -> Result<Edit, WorkspaceError> {
        let (edit, splices) = {
            let collect = CollectOptions { comments: CommentCollectionStrategy::AsTokens, tokens: true };
            let parsed = parse_to_ast(&self.text, &collect, &OPTIONS).map_err(|e| syntax(&self.path, &e))?;
            let root = parsed.value.ok_or_else(|| no_value(&self.path, &self.text))?;
            let tokens = parsed.tokens.unwrap_or_default();
            let style = Style::of(&self.text, &root, &tokens);
            let doc = Doc { path: &self.path, text: &self.text, root: &root, tokens: &tokens, style };
            match plan(&doc)? {
                Some(planned) => planned,
                None => return Ok(Edit::Unchanged),
            }
        };
        let edited = splice(&self.text, splices).ok_or_else(|| self.bug())?;
        let previous = std::mem::replace(&mut self.text, edited);
        if let Ok(value) = self.reparse() {
            self.value = value;
            Ok(edit)
        } else {
            self.text = previous;
            Err(self.bug())
        }
    }

    fn reparse(&self) -> Result<Value, WorkspaceError> {
        let parsed = parse_to_ast(&self.text, &CollectOptions::default(), &OPTIONS)
            .map_err(|e| syntax(&self.path, &e))?;
        match parsed.value {
            Some(root @ Node::Object(_)) => to_value(&self.path, &self.text, &root),
            Some(other) => Err(uneditable(
                &self.path,
                &self.text,
                other.start(),
                format!(
                    "the top level is {}, not an object; fastgen adds its keys to an object",
                    kind(&other)
                ),
            )),
            None => Err(no_value(&self.path, &self.text)),
        }
    }

    fn bug(&self) -> WorkspaceError {
        uneditable(
            &self.path,
            &self.text,
            0,
            "fastgen's edit would not parse; this is a bug in fastgen, please report it".to_owned(),
        )
    }
}

impl std::fmt::Display for JsoncMut {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.bom {
            f.write_str("\u{feff}")?;
        }
        f.write_str(&self.text)
    }
}

/// Replace `start..end` with `text`; an empty range inserts.
#[derive(Debug)]
struct Splice {
    start: usize,
    end: usize,
    text: String,
}

impl Splice {
    fn insert(at: usize, text: String) -> Self {
        Self { start: at, end: at, text }
    }
}

/// `text` with `splices` applied (in offset order; insertions at one offset in the order
/// given), or `None` if two overlap.
fn splice(text: &str, mut splices: Vec<Splice>) -> Option<String> {
    splices.sort_by_key(|s| s.start);
    let mut out = String::with_capacity(text.len() + splices.iter().map(|s| s.text.len()).sum::<usize>());
    let mut at = 0;
    for s in splices {
        out.push_str(text.get(at..s.start)?);
        out.push_str(&s.text);
        at = s.end;
    }
    out.push_str(text.get(at..)?);
    Some(out)
}

/// How the file writes what fastgen adds.
struct Style {
    newline: &'static str,
    /// One level of indentation: that of the top object's first key, else two spaces.
    unit: String,
    /// Whether any object or array of the file ends with a comma.
    trailing_commas: bool,
}

impl Style {
    fn of(text: &str, root: &Node<'_>, tokens: &[TokenAndRange<'_>]) -> Self {
        let first = match root {
            Node::Object(object) => object.properties.first().map(Ranged::start),
            Node::Array(array) => array.elements.first().map(Ranged::start),
            _ => None,
        };
        let unit = first
            .filter(|&start| starts_line(text, start))
            .map(|start| line_indent(text, start))
            .filter(|indent| !indent.is_empty())
            .unwrap_or("  ")
            .to_owned();
        let mut previous = None;
        let mut trailing_commas = false;
        for token in tokens {
            match token.token {
                Token::CommentLine(_) | Token::CommentBlock(_) => continue,
                Token::CloseBrace | Token::CloseBracket if previous == Some(true) => trailing_commas = true,
                _ => {}
            }
            previous = Some(token.token == Token::Comma);
        }
        Self { newline: line_ending(text.as_bytes()), unit, trailing_commas }
    }
}

/// A container found in the document, and whether the container holding it spans lines.
struct Located<'n, 'a> {
    node: &'n Node<'a>,
    parent_multiline: bool,
}

/// One parse of the current text, for planning an edit.
struct Doc<'t, 'a> {
    path: &'t str,
    text: &'a str,
    root: &'t Node<'a>,
    tokens: &'t [TokenAndRange<'a>],
    style: Style,
}

impl<'t, 'a> Doc<'t, 'a> {
    /// The node at `path` (keys from the top).
    fn locate(&self, path: &[&str]) -> Result<Located<'t, 'a>, WorkspaceError> {
        let mut located = Located { node: self.root, parent_multiline: self.text.contains('\n') };
        for (depth, key) in path.iter().enumerate() {
            let at = &path[..depth];
            let Node::Object(object) = located.node else {
                return Err(self.not_a(located.node, at, "an object"));
            };
            let multiline = self.multiline(&located);
            let Some(prop) = self.property(object, at, key)? else {
                return Err(WorkspaceError::Invalid {
                    path: self.path.to_owned(),
                    message: format!("`{}` is missing", dotted(&path[..=depth])),
                });
            };
            located = Located { node: &prop.value, parent_multiline: multiline };
        }
        Ok(located)
    }

    fn object(&self, path: &[&str]) -> Result<(Located<'t, 'a>, &'t Object<'a>), WorkspaceError> {
        let located = self.locate(path)?;
        match located.node {
            Node::Object(object) => Ok((located, object)),
            other => Err(self.not_a(other, path, "an object")),
        }
    }

    /// The property `key` of `object`; a key written twice is refused, since an edit of one
    /// would leave the other.
    fn property(
        &self,
        object: &'t Object<'a>,
        at: &[&str],
        key: &str,
    ) -> Result<Option<&'t ObjectProp<'a>>, WorkspaceError> {
        let mut found = object.properties.iter().filter(|prop| prop.name.as_str() == key);
        let first = found.next();
        if let (Some(first), Some(second)) = (first, found.next()) {
            let mut path = at.to_vec();
            path.push(key);
            let reason = format!(
                "`{}` is written twice (lines {} and {}); fastgen cannot tell which one to edit",
                dotted(&path),
                self.line(first.start()),
                self.line(second.start()),
            );
            return Err(uneditable(self.path, self.text, second.start(), reason));
        }
        Ok(first)
    }

    fn value_of(&self, node: &Node<'_>) -> Result<Value, WorkspaceError> {
        to_value(self.path, self.text, node)
    }

    /// Whether the container spans lines: a member on a later line than its opening bracket,
    /// or, when empty, a container that holds it spanning lines.
    fn multiline(&self, located: &Located<'_, '_>) -> bool {
        let range = located.node.range();
        match members(located.node).last() {
            Some(&(start, _)) => self.text[range.start..start].contains('\n'),
            None => located.parent_multiline,
        }
    }

    /// The splice that replaces `prop`'s value in `object` with `value`, written on several
    /// lines if the old value was, inline if it was an inline object or array, else as the
    /// object holding it is written.
    fn replace(&self, object: &Located<'_, '_>, prop: &ObjectProp<'_>, value: &Value) -> Splice {
        let old = prop.value.range();
        let inline_container = !members(&prop.value).is_empty();
        let multiline =
            self.text[old.start..old.end].contains('\n') || (!inline_container && self.multiline(object));
        let indent = line_indent(self.text, prop.start());
        Splice { start: old.start, end: old.end, text: render(value, indent, multiline, &self.style) }
    }

    fn append_property(&self, object: &Located<'_, '_>, key: &str, value: &Value) -> Vec<Splice> {
        let key = Value::from(key).to_string();
        self.append(object, " ", &|indent: &str, multiline| {
            format!("{key}: {}", render(value, indent, multiline, &self.style))
        })
    }

    /// Splices that add one member, written by `member` (given its indentation and whether it
    /// gets a line of its own), after the last member of the container at `at`. `pad` goes
    /// inside the brackets of an empty container written inline (`{ "a": 1 }`, `["a"]`).
    fn append(&self, at: &Located<'_, '_>, pad: &str, member: &dyn Fn(&str, bool) -> String) -> Vec<Splice> {
        let text = self.text;
        let newline = self.style.newline;
        let range = at.node.range();
        let (open, close) = (range.start, range.end - 1);
        let own = line_indent(text, open);
        let multiline = self.multiline(at);
        let Some(&(last_start, last_end)) = members(at.node).last() else {
            let child = format!("{own}{}", self.style.unit);
            let comma = if self.style.trailing_commas { "," } else { "" };
            let last_comment = self.tokens_between(open + 1, close).map(|t| t.range.end).last();
            return vec![match (last_comment, multiline) {
                (None, true) => Splice {
                    start: open + 1,
                    end: close,
                    text: format!("{newline}{child}{}{comma}{newline}{own}", member(&child, true)),
                },
                (None, false) => {
                    Splice { start: open + 1, end: close, text: format!("{pad}{}{pad}", member(own, false)) }
                }
                (Some(end), true) => {
                    let new = format!("{newline}{child}{}{comma}", member(&child, true));
                    if text[end..close].contains('\n') {
                        Splice::insert(end, new)
                    } else {
                        // The bracket was on the comment's line: it gets a line of its own.
                        Splice { start: end, end: close, text: format!("{new}{newline}{own}") }
                    }
                }
                (Some(end), false) => Splice::insert(end, format!(" {}", member(own, false))),
            }];
        };
        // After the last member: its comma, wherever it is, and the comments on its line.
        let mut after = last_end;
        let mut comma = None;
        for token in self.tokens_between(last_end, close) {
            match token.token {
                Token::Comma => comma = Some(token.range.end),
                _ if !text[last_end..token.range.start].contains('\n') => after = token.range.end,
                _ => {}
            }
        }
        let trailing = comma.is_some();
        after = after.max(comma.unwrap_or(0));
        let comma = if trailing { "," } else { "" };
        let new = if multiline {
            let child = if starts_line(text, last_start) {
                line_indent(text, last_start).to_owned()
            } else {
                format!("{own}{}", self.style.unit)
            };
            format!("{newline}{child}{}{comma}", member(&child, true))
        } else {
            format!(" {}{comma}", member(own, false))
        };
        let mut splices = Vec::with_capacity(2);
        if !trailing {
            splices.push(Splice::insert(last_end, ",".to_owned()));
        }
        splices.push(Splice::insert(after, new));
        splices
    }

    /// Commas and comments from `start` up to `end` (tokens between the members of one container).
    fn tokens_between(&self, start: usize, end: usize) -> impl Iterator<Item = &TokenAndRange<'a>> {
        self.tokens.iter().filter(move |t| t.range.start >= start && t.range.start < end)
    }

    fn not_a(&self, node: &Node<'_>, path: &[&str], expected: &str) -> WorkspaceError {
        let what = if path.is_empty() { "the top level".to_owned() } else { format!("`{}`", dotted(path)) };
        let reason =
            format!("{what} is {}, not {expected}; fastgen cannot add its entries to it", kind(node));
        uneditable(self.path, self.text, node.start(), reason)
    }

    fn line(&self, offset: usize) -> usize {
        line_column(self.text, offset).0
    }
}

/// The byte ranges of a container's members (properties or elements); none for a scalar.
fn members(node: &Node<'_>) -> Vec<(usize, usize)> {
    match node {
        Node::Object(object) => object.properties.iter().map(|p| (p.start(), p.end())).collect(),
        Node::Array(array) => array.elements.iter().map(|e| (e.start(), e.end())).collect(),
        _ => Vec::new(),
    }
}

/// `value` as JSON: on several lines at `indent` in the file's style, or inline.
fn render(value: &Value, indent: &str, multiline: bool, style: &Style) -> String {
    let (open, close, pad, items): (char, char, &str, Vec<(String, &Value)>) = match value {
        Value::Object(map) if !map.is_empty() => {
            ('{', '}', " ", map.iter().map(|(k, v)| (format!("{}: ", Value::from(k.as_str())), v)).collect())
        }
        Value::Array(items) if !items.is_empty() => {
            ('[', ']', "", items.iter().map(|v| (String::new(), v)).collect())
        }
        other => return other.to_string(),
    };
    if !multiline {
        let inner: Vec<String> =
            items.iter().map(|(prefix, v)| format!("{prefix}{}", render(v, indent, false, style))).collect();
        return format!("{open}{pad}{}{pad}{close}", inner.join(", "));
    }
    let child = format!("{indent}{}", style.unit);
    let mut out = String::from(open);
    for (index, (prefix, v)) in items.iter().enumerate() {
        if index > 0 {
            out.push(',');
        }
        out.push_str(style.newline);
        out.push_str(&child);
        out.push_str(prefix);
        out.push_str(&render(v, &child, true, style));
    }
    if style.trailing_commas {
        out.push(',');
    }
    out.push_str(style.newline);
    out.push_str(indent);
    out.push(close);
    out
}

/// The whitespace that starts the line holding `offset` (up to `offset` at most).
fn line_indent(text: &str, offset: usize) -> &str {
    let start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let line = &text[start..offset];
    &line[..line.len() - line.trim_start_matches([' ', '\t']).len()]
}

/// Whether only whitespace precedes `offset` on its line.
fn starts_line(text: &str, offset: usize) -> bool {
    let start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    text[start..offset].chars().all(|c| c == ' ' || c == '\t')
}

fn dotted(path: &[&str]) -> String {
    path.join(".")
}

fn kind(node: &Node<'_>) -> &'static str {
    match node {
        Node::StringLit(_) => "a string",
        Node::NumberLit(_) => "a number",
        Node::BooleanLit(_) => "a boolean",
        Node::Object(_) => "an object",
        Node::Array(_) => "an array",
        Node::NullKeyword(_) => "null",
    }
}

fn to_value(path: &str, text: &str, node: &Node<'_>) -> Result<Value, WorkspaceError> {
    Ok(match node {
        Node::StringLit(s) => Value::String(s.value.to_string()),
        Node::NumberLit(n) => Value::Number(
            n.value
                .parse()
                .map_err(|_| malformed(path, text, n.start(), "number out of range".to_owned()))?,
        ),
        Node::BooleanLit(b) => Value::Bool(b.value),
        Node::NullKeyword(_) => Value::Null,
        Node::Array(array) => {
            Value::Array(array.elements.iter().map(|e| to_value(path, text, e)).collect::<Result<_, _>>()?)
        }
        Node::Object(object) => {
            let mut map = Map::new();
            for prop in &object.properties {
                map.insert(prop.name.as_str().to_owned(), to_value(path, text, &prop.value)?);
            }
            Value::Object(map)
        }
    })
}

fn syntax(path: &str, err: &ParseError) -> WorkspaceError {
    let kind = err.kind().to_string();
    let mut chars = kind.chars();
    let message = chars.next().map(|c| c.to_lowercase().chain(chars).collect()).unwrap_or(kind);
    WorkspaceError::Malformed {
        path: path.to_owned(),
        format: "JSON",
        message,
        line: err.line_display(),
        column: err.column_display(),
    }
}

fn no_value(path: &str, text: &str) -> WorkspaceError {
    malformed(path, text, text.len(), "expected a value".to_owned())
}

fn malformed(path: &str, text: &str, offset: usize, message: String) -> WorkspaceError {
    let (line, column) = line_column(text, offset);
    WorkspaceError::Malformed { path: path.to_owned(), format: "JSON", message, line, column }
}

fn uneditable(path: &str, text: &str, offset: usize, reason: String) -> WorkspaceError {
    WorkspaceError::Uneditable { path: path.to_owned(), line: line_column(text, offset).0, reason }
}

#[cfg(test)]
#[path = "jsonc_tests.rs"]
mod tests;
