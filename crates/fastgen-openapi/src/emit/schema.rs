//! JSON Schema (OpenAPI 3.0 and 3.1 dialects) → TypeScript types.
//!
//! Every schema of `components/schemas` becomes a named type; a `$ref` to one becomes its
//! name, so recursive schemas need no special case. Any other `$ref` is inlined, with a depth
//! cap that turns a cycle outside `components/schemas` into `unknown`. Choices:
//! - `format: date-time` (and `date`) stay `string`: the wire carries ISO 8601 text, and
//!   reviving `Date` objects would need a schema walk over every response and stream item at
//!   run time — code in every bundle for a conversion the caller can do where it needs it.
//! - `format: binary` is `Blob` (uploads and downloads).
//! - nullable in every spelling (`nullable: true`, a `type` array with `null`, anyOf/oneOf
//!   with a `null` member) adds `| null`.
//! - a discriminated `oneOf`/`anyOf` intersects each member with its tag literal, so a
//!   `switch` on the property narrows the union (with or without `mapping`).

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value};

use super::ts;

/// How deep non-component `$ref`s are inlined before the type becomes `unknown`.
const INLINE_DEPTH: usize = 12;

/// Global type names the generated files use; a schema of the same name is renamed.
const TAKEN: &[&str] = &["Blob", "Record", "Array", "Promise", "AsyncGenerator", "Date", "File"];

/// The named types of a document and how to spell any schema of it.
pub(crate) struct Schemas<'a> {
    doc: &'a Value,
    /// `#/components/schemas/<name>` pointer → TypeScript type name.
    names: BTreeMap<String, String>,
}

impl<'a> Schemas<'a> {
    pub(crate) fn new(doc: &'a Value) -> Self {
        let mut names = BTreeMap::new();
        let mut used: BTreeSet<String> = TAKEN.iter().map(|s| (*s).to_owned()).collect();
        if let Some(schemas) = doc.pointer("/components/schemas").and_then(Value::as_object) {
            for name in schemas.keys() {
                let base = ts::pascal(name);
                let mut candidate = base.clone();
                let mut n = 2;
                while used.contains(&candidate) {
                    candidate = format!("{base}{n}");
                    n += 1;
                }
                used.insert(candidate.clone());
                names.insert(format!("#/components/schemas/{}", pointer_segment(name)), candidate);
            }
        }
        Self { doc, names }
    }

    /// `types.gen.ts`: one exported type per component schema, in document order.
    pub(crate) fn file(&self, header: &str) -> String {
        let mut out = String::from(header);
        let Some(schemas) = self.doc.pointer("/components/schemas").and_then(Value::as_object) else {
            out.push_str("export {};\n");
            return out;
        };
        if schemas.is_empty() {
            out.push_str("export {};\n");
        }
        for (name, schema) in schemas {
            let pointer = format!("#/components/schemas/{}", pointer_segment(name));
            let Some(ts_name) = self.names.get(&pointer) else { continue };
            if let Some(text) = description(schema) {
                out.push_str(&format!("/** {text} */\n"));
            }
            let ty = Writer { schemas: self, prefix: "", depth: 0, indent: Some(0) }.write(schema);
            out.push_str(&format!("export type {ts_name} = {ty};\n"));
        }
        out
    }

    /// The TypeScript type of `schema`; named types are prefixed with `prefix` (`T.` outside
    /// `types.gen.ts`).
    pub(crate) fn type_of(&self, schema: &Value, prefix: &str) -> String {
        Writer { schemas: self, prefix, depth: 0, indent: None }.write(schema)
    }

    /// `schema` with `$ref`s followed (for looking inside it), or `None` when they loop.
    pub(crate) fn resolve<'b>(&'b self, schema: &'b Value) -> Option<&'b Value> {
        let mut current = schema;
        for _ in 0..INLINE_DEPTH {
            match current.get("$ref").and_then(Value::as_str) {
                Some(reference) => current = lookup(self.doc, reference)?,
                None => return Some(current),
            }
        }
        None
    }
}

struct Writer<'s, 'a> {
    schemas: &'s Schemas<'a>,
    prefix: &'s str,
    depth: usize,
    /// Object types one property per line at this nesting level (`types.gen.ts`), or on
    /// one line (`None`: types inside signatures).
    indent: Option<usize>,
}

impl Writer<'_, '_> {
    fn write(&mut self, schema: &Value) -> String {
        let map = match schema {
            Value::Bool(false) => return "never".to_owned(),
            Value::Object(map) => map,
            _ => return "unknown".to_owned(),
        };
        let mut ty = self.body(map);
        if map.get("nullable").and_then(Value::as_bool) == Some(true)
            && !ty.ends_with("| null")
            && ty != "null"
        {
            ty = format!("{} | null", group(&ty));
        }
        ty
    }

    fn body(&mut self, map: &Map<String, Value>) -> String {
        if let Some(reference) = map.get("$ref").and_then(Value::as_str) {
            return self.reference(reference);
        }
        if let Some(value) = map.get("const") {
            return literal(value);
        }
        if let Some(Value::Array(values)) = map.get("enum") {
            let mut members: Vec<String> = values.iter().map(literal).collect();
            dedup(&mut members);
            return if members.is_empty() { "never".to_owned() } else { members.join(" | ") };
        }
        let mut parts = Vec::new();
        for keyword in ["oneOf", "anyOf"] {
            if let Some(Value::Array(members)) = map.get(keyword) {
                parts.push(self.union(members, map.get("discriminator")));
            }
        }
        if let Some(Value::Array(members)) = map.get("allOf") {
            let members: Vec<String> = members.iter().map(|m| group(&self.write(m))).collect();
            if !members.is_empty() {
                parts.push(members.join(" & "));
            }
        }
        let own = self.own_type(map);
        match (own, parts.is_empty()) {
            (Some(own), true) => own,
            (Some(own), false) if own != "unknown" => {
                parts.insert(0, group(&own));
                parts.iter().map(|p| group(p)).collect::<Vec<_>>().join(" & ")
            }
            _ if parts.len() == 1 => parts.remove(0),
            _ if parts.is_empty() => "unknown".to_owned(),
            _ => parts.iter().map(|p| group(p)).collect::<Vec<_>>().join(" & "),
        }
    }

    fn reference(&mut self, reference: &str) -> String {
        if let Some(name) = self.schemas.names.get(&canonical(self.schemas.doc, reference)) {
            return format!("{}{name}", self.prefix);
        }
        if self.depth >= INLINE_DEPTH {
            return "unknown".to_owned();
        }
        let Some(target) = lookup(self.schemas.doc, reference) else { return "unknown".to_owned() };
        self.depth += 1;
        let ty = self.write(target);
        self.depth -= 1;
        ty
    }

    fn union(&mut self, members: &[Value], discriminator: Option<&Value>) -> String {
        let tags = discriminator.and_then(|d| self.tags(d, members));
        let mut out: Vec<String> = Vec::new();
        for member in members {
            let ty = self.write(member);
            let reference =
                member.get("$ref").and_then(Value::as_str).map(|r| canonical(self.schemas.doc, r));
            match (&tags, reference) {
                (Some((property, by_ref)), Some(reference)) if by_ref.contains_key(&reference) => {
                    let values = &by_ref[&reference];
                    let tag = values.iter().map(|v| ts::string(v)).collect::<Vec<_>>().join(" | ");
                    out.push(format!("({} & {{ {}: {tag} }})", group(&ty), ts::key(property)));
                }
                _ => out.push(ty),
            }
        }
        dedup(&mut out);
        if out.is_empty() { "never".to_owned() } else { out.join(" | ") }
    }

    /// The discriminator's property and, per member `$ref`, its tag values (from `mapping`,
    /// or the component name when there is none).
    fn tags(
        &self,
        discriminator: &Value,
        members: &[Value],
    ) -> Option<(String, BTreeMap<String, Vec<String>>)> {
        let property = discriminator.get("propertyName")?.as_str()?.to_owned();
        let mut by_ref: BTreeMap<String, Vec<String>> = BTreeMap::new();
        if let Some(mapping) = discriminator.get("mapping").and_then(Value::as_object) {
            for (value, target) in mapping {
                let Some(target) = target.as_str() else { continue };
                let reference = if target.starts_with('#') {
                    canonical(self.schemas.doc, target)
                } else {
                    format!("#/components/schemas/{}", pointer_segment(target))
                };
                by_ref.entry(reference).or_default().push(value.clone());
            }
        }
        for member in members {
            let Some(reference) = member.get("$ref").and_then(Value::as_str) else { continue };
            let reference = canonical(self.schemas.doc, reference);
            if by_ref.contains_key(&reference) {
                continue;
            }
            if let Some(name) = reference.strip_prefix("#/components/schemas/") {
                by_ref.insert(reference.clone(), vec![unescape_segment(name)]);
            }
        }
        Some((property, by_ref))
    }

    /// The type the schema's own keywords (`type`, `properties`, `items`, …) describe, or
    /// `None` when it has none of them.
    fn own_type(&mut self, map: &Map<String, Value>) -> Option<String> {
        let types: Vec<&str> = match map.get("type") {
            Some(Value::String(t)) => vec![t.as_str()],
            Some(Value::Array(list)) => list.iter().filter_map(Value::as_str).collect(),
            _ => {
                let implied = if map.contains_key("properties")
                    || map.contains_key("additionalProperties")
                    || map.contains_key("patternProperties")
                {
                    "object"
                } else if map.contains_key("items") || map.contains_key("prefixItems") {
                    "array"
                } else {
                    return None;
                };
                vec![implied]
            }
        };
        let mut out: Vec<String> = types.iter().map(|t| self.single(t, map)).collect();
        dedup(&mut out);
        Some(if out.is_empty() { "unknown".to_owned() } else { out.join(" | ") })
    }

    fn single(&mut self, ty: &str, map: &Map<String, Value>) -> String {
        match ty {
            "string" if is_binary(map) => "Blob".to_owned(),
            "string" => "string".to_owned(),
            "integer" | "number" => "number".to_owned(),
            "boolean" => "boolean".to_owned(),
            "null" => "null".to_owned(),
            "array" => self.array(map),
            "object" => self.object(map),
            _ => "unknown".to_owned(),
        }
    }

    fn array(&mut self, map: &Map<String, Value>) -> String {
        let prefix_items = match map.get("prefixItems") {
            Some(Value::Array(items)) => Some(items.as_slice()),
            _ => match map.get("items") {
                Some(Value::Array(items)) => Some(items.as_slice()),
                _ => None,
            },
        };
        let rest = match map.get("items") {
            Some(Value::Array(_)) => map.get("additionalItems"),
            other => other,
        };
        if let Some(items) = prefix_items {
            let mut elements: Vec<String> = items.iter().map(|i| self.write(i)).collect();
            match rest {
                Some(Value::Bool(false)) => {}
                Some(rest) => elements.push(format!("...{}[]", group(&self.write(rest)))),
                None => elements.push("...unknown[]".to_owned()),
            }
            format!("[{}]", elements.join(", "))
        } else {
            let item = rest.map_or_else(|| "unknown".to_owned(), |i| self.write(i));
            format!("{}[]", group(&item))
        }
    }

    fn object(&mut self, map: &Map<String, Value>) -> String {
        let required: BTreeSet<&str> = map
            .get("required")
            .and_then(Value::as_array)
            .map(|r| r.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        let properties = map.get("properties").and_then(Value::as_object);
        let mut fields = Vec::new();
        let outer = self.indent;
        self.indent = outer.map(|level| level + 1);
        for (name, schema) in properties.into_iter().flatten() {
            let optional = if required.contains(name.as_str()) { "" } else { "?" };
            let doc = description(schema).map(|d| format!("/** {d} */ ")).unwrap_or_default();
            fields.push(format!("{doc}{}{optional}: {}", ts::key(name), self.write(schema)));
        }
        let mut extra: Vec<String> = Vec::new();
        match map.get("additionalProperties") {
            Some(Value::Bool(false)) | None => {}
            Some(Value::Bool(true)) => extra.push("unknown".to_owned()),
            Some(schema) => extra.push(self.write(schema)),
        }
        if let Some(patterns) = map.get("patternProperties").and_then(Value::as_object) {
            extra.extend(patterns.values().map(|schema| self.write(schema)));
        }
        let index = if extra.is_empty() {
            (fields.is_empty() && map.get("additionalProperties").is_none()).then(|| "unknown".to_owned())
        } else if !fields.is_empty() {
            // Properties must fit the index signature; the named ones are typed precisely.
            Some("unknown".to_owned())
        } else {
            dedup(&mut extra);
            Some(extra.join(" | "))
        };
        self.indent = outer;
        if let Some(index) = index {
            fields.push(format!("[key: string]: {index}"));
        }
        match outer {
            _ if fields.is_empty() => "Record<string, never>".to_owned(),
            None => format!("{{ {}; }}", fields.join("; ")),
            Some(level) => {
                let pad = "  ".repeat(level + 1);
                let mut out = String::from("{\n");
                for field in fields {
                    out.push_str(&format!("{pad}{field};\n"));
                }
                out.push_str(&"  ".repeat(level));
                out.push('}');
                out
            }
        }
    }
}

/// Whether a string schema holds bytes: `format: binary` (OpenAPI 3.0), or a
/// `contentMediaType` that is neither text nor JSON without a `contentEncoding` (OpenAPI 3.1,
/// as FastAPI documents an `UploadFile`). Base64 text (`contentEncoding`) stays a string.
fn is_binary(map: &Map<String, Value>) -> bool {
    if map.get("format").and_then(Value::as_str) == Some("binary") {
        return true;
    }
    let Some(media) = map.get("contentMediaType").and_then(Value::as_str) else { return false };
    let media = media.to_ascii_lowercase();
    !map.contains_key("contentEncoding")
        && !media.starts_with("text/")
        && !media.contains("json")
        && !media.contains("xml")
}

/// A JSON value as a TypeScript literal type.
fn literal(value: &Value) -> String {
    match value {
        Value::String(s) => ts::string(s),
        Value::Number(n) if n.as_f64().is_some_and(f64::is_finite) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Null => "null".to_owned(),
        _ => "unknown".to_owned(),
    }
}

/// Parenthesise a union or intersection before it is combined or suffixed.
fn group(ty: &str) -> String {
    let mut depth = 0i32;
    let mut quoted: Option<char> = None;
    let mut escaped = false;
    for ch in ty.chars() {
        if let Some(q) = quoted {
            if escaped {
                escaped = false;
            } else if ch == '\\' {
                escaped = true;
            } else if ch == q {
                quoted = None;
            }
            continue;
        }
        match ch {
            '\'' | '"' => quoted = Some(ch),
            '(' | '[' | '{' | '<' => depth += 1,
            ')' | ']' | '}' | '>' => depth -= 1,
            '|' | '&' if depth == 0 => return format!("({ty})"),
            _ => {}
        }
    }
    ty.to_owned()
}

fn dedup(items: &mut Vec<String>) {
    let mut seen = BTreeSet::new();
    items.retain(|item| seen.insert(item.clone()));
}

/// The schema's `description` (or `title`), made safe for a `/** */` comment on one line.
fn description(schema: &Value) -> Option<String> {
    let text = schema.get("description").and_then(Value::as_str)?;
    let line = ts::comment(text.lines().next().unwrap_or_default().trim());
    (!line.is_empty()).then_some(line)
}

fn lookup<'a>(doc: &'a Value, reference: &str) -> Option<&'a Value> {
    crate::parse::lookup(doc, reference).map(|(value, _)| value)
}

/// A `$ref` as the pointer it names (percent-encoding decoded), so that every spelling of
/// a reference to a component finds its type name.
fn canonical(doc: &Value, reference: &str) -> String {
    crate::parse::lookup(doc, reference)
        .map_or_else(|| reference.to_owned(), |(_, pointer)| format!("#{pointer}"))
}

fn pointer_segment(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

fn unescape_segment(segment: &str) -> String {
    segment.replace("~1", "/").replace("~0", "~")
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn ty(schema: &Value) -> String {
        let doc = json!({"components": {"schemas": {"Cat": {"type": "object"}, "Dog": {}, "Tree": {}}}});
        Schemas::new(&doc).type_of(schema, "T.")
    }

    #[test]
    fn every_shape() {
        let cases = [
            (json!({"type": "string", "format": "date-time"}), "string"),
            (json!({"type": "string", "format": "binary"}), "Blob"),
            (json!({"type": "string", "contentMediaType": "application/octet-stream"}), "Blob"),
            (
                json!({"type": "string", "contentMediaType": "image/png", "contentEncoding": "base64"}),
                "string",
            ),
            (json!({"type": "string", "contentMediaType": "application/json"}), "string"),
            (json!({"type": ["string", "null"]}), "string | null"),
            (json!({"type": "integer", "nullable": true}), "number | null"),
            (json!({"anyOf": [{"type": "string"}, {"type": "null"}]}), "string | null"),
            (json!({"enum": ["a", "b", null]}), "'a' | 'b' | null"),
            (json!({"const": 3}), "3"),
            (
                json!({"type": "array", "items": {"anyOf": [{"type": "string"}, {"type": "integer"}]}}),
                "(string | number)[]",
            ),
            (
                json!({"type": "array", "prefixItems": [{"type": "string"}, {"type": "integer"}], "items": false}),
                "[string, number]",
            ),
            (
                json!({"type": "object", "additionalProperties": {"type": "integer"}}),
                "{ [key: string]: number; }",
            ),
            (
                json!({"type": "object", "required": ["a"], "properties": {"a": {"type": "string"}, "b-c": {"$ref": "#/components/schemas/Tree"}}}),
                "{ a: string; 'b-c'?: T.Tree; }",
            ),
            (json!({"type": "object", "additionalProperties": false}), "Record<string, never>"),
            (json!({}), "unknown"),
            (
                json!({"oneOf": [{"$ref": "#/components/schemas/Cat"}, {"$ref": "#/components/schemas/Dog"}], "discriminator": {"propertyName": "kind", "mapping": {"cat": "#/components/schemas/Cat"}}}),
                "(T.Cat & { kind: 'cat' }) | (T.Dog & { kind: 'Dog' })",
            ),
            (
                json!({"allOf": [{"$ref": "#/components/schemas/Cat"}, {"type": "object", "properties": {"x": {"type": "boolean"}}}]}),
                "T.Cat & { x?: boolean; }",
            ),
        ];
        for (schema, expected) in cases {
            assert_eq!(ty(&schema), expected, "{schema}");
        }
    }

    #[test]
    fn names_are_identifiers_and_distinct() {
        let doc = json!({"components": {"schemas": {"Recipe-Input": {}, "Recipe_Input": {}, "Blob": {}, "1x": {}}}});
        let schemas = Schemas::new(&doc);
        let names: Vec<&str> = schemas.names.values().map(String::as_str).collect();
        assert_eq!(names, vec!["_1x", "Blob2", "RecipeInput", "RecipeInput2"]);
    }
}
