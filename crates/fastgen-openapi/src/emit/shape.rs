//! How each operation is called from TypeScript: the names, argument keys, body and
//! response kinds and the TypeScript types of everything, computed once from the model so
//! that the client and the query-options emitters only print.

use std::collections::BTreeSet;

use serde_json::Value;

use super::schema::Schemas;
use super::ts;
use crate::model::{Location, Media, Model, Operation};

/// One operation, ready to print.
pub(crate) struct Shape<'m> {
    pub op: &'m Operation,
    /// The class method (lower camel case, unique).
    pub method: String,
    /// The standalone exported function (the method's name unless that is taken).
    pub function: String,
    /// `PascalCase` stem of the operation's type names (`<Stem>Request`, `<Stem>Error`).
    pub stem: String,
    /// Argument properties: (key, wire name, location digit, TypeScript type, required).
    pub params: Vec<(String, String, u8, String, bool)>,
    /// The body: (key, kind, media type, TypeScript type, required).
    pub body: Option<(String, &'static str, String, String, bool)>,
    /// Response kind for the runtime (`json`, `text`, `blob`, `none`, `jsonl`, `seq`, `sse`, `ssej`).
    pub response: &'static str,
    /// The success type (or the stream item type).
    pub success: String,
    /// Documented error statuses: (status as written, TypeScript status type, body type).
    pub errors: Vec<(String, String, String)>,
}

impl Shape<'_> {
    pub(crate) fn streams(&self) -> bool {
        matches!(self.response, "jsonl" | "seq" | "sse" | "ssej")
    }

    /// Whether any of the operation's types names a schema type (`T.<Name>`).
    pub(crate) fn uses_schema_types(&self) -> bool {
        self.params.iter().any(|p| names_schema(&p.3))
            || self.body.as_ref().is_some_and(|b| names_schema(&b.3))
            || names_schema(&self.success)
            || self.errors.iter().any(|e| names_schema(&e.2))
    }

    /// Whether the method takes an argument object, and whether it may be left out.
    pub(crate) fn args(&self) -> Option<bool> {
        let any = !self.params.is_empty() || self.body.is_some();
        let required = self.params.iter().any(|p| p.4) || self.body.as_ref().is_some_and(|b| b.4);
        any.then_some(!required)
    }
}

/// Whether a type expression refers to the `T` namespace outside its string literals.
pub(crate) fn names_schema(ty: &str) -> bool {
    let mut quoted = false;
    let mut escaped = false;
    let mut previous = ' ';
    let mut chars = ty.chars().peekable();
    while let Some(ch) = chars.next() {
        if quoted {
            if escaped {
                escaped = false;
            } else if ch == '\\' {
                escaped = true;
            } else if ch == '\'' {
                quoted = false;
            }
        } else if ch == '\'' {
            quoted = true;
        } else if ch == 'T'
            && chars.peek() == Some(&'.')
            && !(previous.is_ascii_alphanumeric() || previous == '_' || previous == '$')
        {
            return true;
        }
        previous = ch;
    }
    false
}

/// The shapes of every operation, in the model's order.
///
/// `taken` lists the top-level names the client file defines itself (its embedded runtime
/// and helpers): a standalone function that would take one of them gets the suffix `Op`.
pub(crate) fn shapes<'m>(model: &'m Model, schemas: &Schemas<'_>, taken: &[String]) -> Vec<Shape<'m>> {
    let mut methods: BTreeSet<String> = BTreeSet::new();
    let mut stems: BTreeSet<String> = BTreeSet::new();
    let mut functions: BTreeSet<String> = BTreeSet::new();
    let mut out = Vec::with_capacity(model.operations.len());
    for op in &model.operations {
        let mut method = camel(&op.name);
        if ts::RESERVED.contains(&method.as_str()) || method.is_empty() {
            method.push_str("Op");
        }
        let method = unique(&mut methods, &method);
        let mut function = method.clone();
        while taken.contains(&function) {
            function.push_str("Op");
        }
        let function = unique(&mut functions, &function);
        let stem = unique(&mut stems, &ts::pascal(&method));
        let (params, body) = arguments(op, schemas);
        let (response, success) = success(op, schemas);
        out.push(Shape {
            op,
            method,
            function,
            stem,
            params,
            body,
            response,
            success,
            errors: errors(op, schemas),
        });
    }
    out
}

/// Lower camel case of a (possibly tag-qualified, `users.list`) operation name.
fn camel(name: &str) -> String {
    let mut out = String::new();
    for (i, part) in name.split('.').enumerate() {
        let mut chars = part.chars();
        if let Some(first) = chars.next() {
            out.push(if i == 0 { first } else { first.to_ascii_uppercase() });
            out.push_str(chars.as_str());
        }
    }
    out
}

fn unique(used: &mut BTreeSet<String>, name: &str) -> String {
    let mut candidate = name.to_owned();
    let mut n = 2;
    while !used.insert(candidate.clone()) {
        candidate = format!("{name}{n}");
        n += 1;
    }
    candidate
}

type Params = Vec<(String, String, u8, String, bool)>;
type BodyShape = Option<(String, &'static str, String, String, bool)>;

fn arguments(op: &Operation, schemas: &Schemas<'_>) -> (Params, BodyShape) {
    let mut keys: BTreeSet<String> = BTreeSet::new();
    let mut params = Vec::new();
    for param in &op.parameters {
        let (digit, prefix) = match param.location {
            Location::Path => (0, "path"),
            Location::Query => (1, "query"),
            Location::Header => (2, "header"),
            Location::Cookie => (3, "cookie"),
        };
        let key = if keys.contains(&param.name) {
            unique(&mut keys, &format!("{prefix}_{}", param.name))
        } else {
            unique(&mut keys, &param.name)
        };
        let ty = schemas.type_of(&param.schema, "T.");
        params.push((key, param.name.clone(), digit, ty, param.required));
    }
    let body = op.request_body.as_ref().and_then(|body| {
        let media = preferred(&body.media, &[is_json, is_form, is_multipart, |_| true])?;
        let kind = if is_json(&media.media_type) {
            "json"
        } else if is_form(&media.media_type) {
            "form"
        } else if is_multipart(&media.media_type) {
            "multipart"
        } else {
            "raw"
        };
        let ty = match (kind, &media.schema) {
            ("raw", _) => "BodyInit".to_owned(),
            (_, Some(schema)) => schemas.type_of(schema, "T."),
            (_, None) => "unknown".to_owned(),
        };
        let wanted = if keys.contains("body") { "requestBody" } else { "body" };
        let key = unique(&mut keys, wanted);
        Some((key, kind, media.media_type.clone(), ty, body.required))
    });
    (params, body)
}

/// The first media type that a test accepts, trying the tests in order.
fn preferred<'a>(media: &'a [Media], tests: &[fn(&str) -> bool]) -> Option<&'a Media> {
    tests.iter().find_map(|test| media.iter().find(|m| test(&base(&m.media_type))))
}

/// The media type without parameters, lower case.
fn base(media_type: &str) -> String {
    media_type.split(';').next().unwrap_or_default().trim().to_ascii_lowercase()
}

fn is_json(media_type: &str) -> bool {
    let m = base(media_type);
    m == "application/json" || m.ends_with("+json") || m == "*/*"
}

fn is_form(media_type: &str) -> bool {
    base(media_type) == "application/x-www-form-urlencoded"
}

fn is_multipart(media_type: &str) -> bool {
    base(media_type).starts_with("multipart/")
}

fn stream_kind(media_type: &str) -> Option<&'static str> {
    match base(media_type).as_str() {
        "application/jsonl"
        | "application/x-ndjson"
        | "application/x-jsonlines"
        | "application/jsonlines" => Some("jsonl"),
        "application/json-seq" => Some("seq"),
        "text/event-stream" => Some("sse"),
        _ => None,
    }
}

/// The success response's kind and type. JSON is preferred when a response offers both JSON
/// and a stream (the method then asks for JSON).
fn success(op: &Operation, schemas: &Schemas<'_>) -> (&'static str, String) {
    let mut ok: Vec<_> = op.responses.iter().filter(|r| r.status.starts_with('2')).collect();
    ok.sort_by_key(
        |r| if r.status.eq_ignore_ascii_case("2XX") { "299".to_owned() } else { r.status.clone() },
    );
    let Some(response) = ok.first() else { return ("json", "unknown".to_owned()) };
    if response.status == "204" || response.status == "205" || response.media.is_empty() {
        return ("none", "void".to_owned());
    }
    if let Some(json) = preferred(&response.media, &[is_json]) {
        let ty = json.schema.as_ref().map_or_else(|| "unknown".to_owned(), |s| schemas.type_of(s, "T."));
        return ("json", ty);
    }
    if let Some(media) = response.media.iter().find(|m| stream_kind(&m.media_type).is_some()) {
        return stream_item(media, schemas);
    }
    let media = &response.media[0];
    if base(&media.media_type).starts_with("text/") {
        ("text", "string".to_owned())
    } else {
        ("blob", "Blob".to_owned())
    }
}

/// A stream's kind and item type, from every shape documents use: `itemSchema` (FastAPI's
/// JSON lines, the runtime's helper), SSE `itemSchema` with the item in `data.contentSchema`
/// (FastAPI), SSE with a plain `schema` or none, and JSON lines described by a `schema` (an
/// array of items, or anything else: items of unknown type).
fn stream_item(media: &Media, schemas: &Schemas<'_>) -> (&'static str, String) {
    let kind = stream_kind(&media.media_type).unwrap_or("jsonl");
    if kind != "sse" {
        let ty = match (&media.item_schema, &media.schema) {
            (Some(item), _) => schemas.type_of(item, "T."),
            (None, Some(schema)) => match schemas.resolve(schema) {
                Some(array) if array.get("type").and_then(Value::as_str) == Some("array") => {
                    array.get("items").map_or_else(|| "unknown".to_owned(), |i| schemas.type_of(i, "T."))
                }
                _ => "unknown".to_owned(),
            },
            (None, None) => "unknown".to_owned(),
        };
        return (kind, ty);
    }
    if let Some(item) = &media.item_schema {
        let item = schemas.resolve(item).unwrap_or(item);
        return match item.pointer("/properties/data") {
            Some(data) => match data.get("contentSchema") {
                Some(content) => ("ssej", format!("SseEvent<{}>", schemas.type_of(content, "T."))),
                None if data.get("type").and_then(Value::as_str).is_none_or(|t| t == "string") => {
                    ("sse", "SseEvent<string>".to_owned())
                }
                None => ("ssej", format!("SseEvent<{}>", schemas.type_of(data, "T."))),
            },
            None => ("ssej", format!("SseEvent<{}>", schemas.type_of(item, "T."))),
        };
    }
    // A plain `schema` describes each event's data; a string (or nothing) stays text.
    let json_data = media.schema.as_ref().filter(|schema| {
        schemas.resolve(schema).is_some_and(|s| {
            s.as_object().is_some_and(|m| !m.is_empty())
                && s.get("type").and_then(Value::as_str) != Some("string")
        })
    });
    match json_data {
        Some(schema) => ("ssej", format!("SseEvent<{}>", schemas.type_of(schema, "T."))),
        None => ("sse", "SseEvent<string>".to_owned()),
    }
}

fn errors(op: &Operation, schemas: &Schemas<'_>) -> Vec<(String, String, String)> {
    let mut out = Vec::new();
    for response in &op.responses {
        if response.status.starts_with('2') {
            continue;
        }
        let status = if response.status.len() == 3 && response.status.bytes().all(|b| b.is_ascii_digit()) {
            response.status.clone()
        } else {
            "number".to_owned()
        };
        let body = preferred(&response.media, &[is_json])
            .and_then(|m| m.schema.as_ref())
            .map_or_else(|| "unknown".to_owned(), |s| schemas.type_of(s, "T."));
        out.push((response.status.clone(), status, body));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn qualified_names_become_methods() {
        assert_eq!(camel("users.list"), "usersList");
        assert_eq!(camel("getItem"), "getItem");
    }
}
