use std::collections::HashSet;

use serde_json::{Map, Value};

use crate::error::{OpenApiError, pointer_segment};
use crate::model::{Body, Location, Media, Model, Operation, Parameter, Response};
use crate::naming::name_operations;

/// The methods of a path item; `query` is OpenAPI 3.2's.
const METHODS: &[&str] = &["get", "put", "post", "delete", "options", "head", "patch", "trace", "query"];
const STREAM_MEDIA: &[&str] = &["application/jsonl", "application/x-ndjson", "application/json-seq"];

/// Parse an OpenAPI 3.x document into the operation model.
///
/// A UTF-8 byte order mark before the document is skipped. OpenAPI 3.2 is read as far as the
/// model goes (the `query` method, media types in `components/mediaTypes`); what the model has
/// no place for (`additionalOperations`, parameters `in: querystring`) is refused at its
/// pointer rather than half read.
pub fn parse(text: &str) -> Result<Model, OpenApiError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let doc: Value = serde_json::from_str(text).map_err(|err| OpenApiError::json(text, &err))?;
    let root = doc.as_object().ok_or_else(|| OpenApiError::at("", "the document is not a JSON object"))?;
    match root.get("openapi").and_then(Value::as_str) {
        Some(version) if version.starts_with("3.") => {}
        Some(version) => {
            return Err(OpenApiError::at("/openapi", format!("version `{version}` is not OpenAPI 3.x")));
        }
        None if root.contains_key("swagger") => {
            return Err(OpenApiError::at(
                "/swagger",
                "Swagger 2.0 is not supported; FastAPI writes OpenAPI 3.x",
            ));
        }
        None => return Err(OpenApiError::at("/openapi", "missing: this is not an OpenAPI 3.x document")),
    }
    RefCheck { doc: &doc, resolved: HashSet::new() }.check(&doc, Place::Keywords, &mut String::new())?;
    let title =
        root.get("info").and_then(|i| i.get("title")).and_then(Value::as_str).unwrap_or("").to_owned();
    let paths = match root.get("paths") {
        None => return Ok(Model { title, operations: Vec::new(), document: doc }),
        Some(Value::Object(paths)) => paths,
        Some(_) => return Err(OpenApiError::at("/paths", "must be an object")),
    };
    let mut operations = Vec::new();
    for (path, item) in paths {
        if path.starts_with("x-") {
            continue; // an extension (`x-tagGroups`, …), not a path
        }
        let item_pointer = format!("/paths/{}", pointer_segment(path));
        let (item, item_pointer) = resolve(&doc, item, &item_pointer)?;
        let Some(item) = item.as_object() else {
            return Err(OpenApiError::at(&item_pointer, "a path item must be an object"));
        };
        match item.get("additionalOperations") {
            None => {}
            Some(Value::Object(extra)) if extra.is_empty() => {}
            Some(_) => {
                return Err(OpenApiError::at(
                    &format!("{item_pointer}/additionalOperations"),
                    format!(
                        "OpenAPI 3.2 `additionalOperations` is not supported yet: fastgen reads the methods {} \
                         only; serve these operations under one of them",
                        METHODS.join(", ")
                    ),
                ));
            }
        }
        let shared = parameters(&doc, item.get("parameters"), &format!("{item_pointer}/parameters"))?;
        for method in METHODS {
            let Some(op) = item.get(*method) else { continue };
            let pointer = format!("{item_pointer}/{method}");
            operations.push(operation(&doc, path, method, op, &pointer, &shared)?);
        }
    }
    name_operations(&mut operations)?;
    operations.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(Model { title, operations, document: doc })
}

fn operation(
    doc: &Value,
    path: &str,
    method: &str,
    op: &Value,
    pointer: &str,
    shared: &[Parameter],
) -> Result<Operation, OpenApiError> {
    let op = op.as_object().ok_or_else(|| OpenApiError::at(pointer, "an operation must be an object"))?;
    let operation_id = match op.get("operationId") {
        None => String::new(),
        Some(Value::String(id)) => id.clone(),
        Some(_) => return Err(OpenApiError::at(&format!("{pointer}/operationId"), "must be a string")),
    };
    let tags = match op.get("tags") {
        None => Vec::new(),
        Some(Value::Array(tags)) => tags.iter().filter_map(Value::as_str).map(str::to_owned).collect(),
        Some(_) => return Err(OpenApiError::at(&format!("{pointer}/tags"), "must be an array of strings")),
    };
    let mut params = shared.to_vec();
    for param in parameters(doc, op.get("parameters"), &format!("{pointer}/parameters"))? {
        params.retain(|p| !(p.name == param.name && p.location == param.location));
        params.push(param);
    }
    let request_body = match op.get("requestBody") {
        None => None,
        Some(body) => {
            let (body, body_pointer) = resolve(doc, body, &format!("{pointer}/requestBody"))?;
            let body =
                body.as_object().ok_or_else(|| OpenApiError::at(&body_pointer, "must be an object"))?;
            Some(Body {
                required: body.get("required").and_then(Value::as_bool).unwrap_or(false),
                media: media(doc, body.get("content"), &format!("{body_pointer}/content"))?,
            })
        }
    };
    let mut responses = Vec::new();
    if let Some(all) = op.get("responses") {
        let all = all
            .as_object()
            .ok_or_else(|| OpenApiError::at(&format!("{pointer}/responses"), "must be an object"))?;
        for (status, response) in all {
            if status.starts_with("x-") {
                continue; // an extension, not a status
            }
            let response_pointer = format!("{pointer}/responses/{}", pointer_segment(status));
            let (response, response_pointer) = resolve(doc, response, &response_pointer)?;
            let content = response.get("content");
            responses.push(Response {
                status: status.clone(),
                media: media(doc, content, &format!("{response_pointer}/content"))?,
            });
        }
    }
    let streaming = responses.iter().any(|r| {
        r.status.starts_with('2')
            && r.media
                .iter()
                .any(|m| STREAM_MEDIA.contains(&m.media_type.as_str()) && m.item_schema.is_some())
    });
    Ok(Operation {
        name: String::new(),
        operation_id,
        path: path.to_owned(),
        method: method.to_ascii_uppercase(),
        tags,
        parameters: params,
        request_body,
        responses,
        streaming,
        pointer: pointer.to_owned(),
    })
}

fn parameters(doc: &Value, list: Option<&Value>, pointer: &str) -> Result<Vec<Parameter>, OpenApiError> {
    let Some(list) = list else { return Ok(Vec::new()) };
    let list = list.as_array().ok_or_else(|| OpenApiError::at(pointer, "must be an array"))?;
    let mut out = Vec::with_capacity(list.len());
    for (i, param) in list.iter().enumerate() {
        let (param, param_pointer) = resolve(doc, param, &format!("{pointer}/{i}"))?;
        let name = param.get("name").and_then(Value::as_str).ok_or_else(|| {
            OpenApiError::at(&format!("{param_pointer}/name"), "a parameter needs a string `name`")
        })?;
        let location = match param.get("in").and_then(Value::as_str) {
            Some("path") => Location::Path,
            Some("query") => Location::Query,
            Some("header") => Location::Header,
            Some("cookie") => Location::Cookie,
            Some("querystring") => {
                return Err(OpenApiError::at(
                    &format!("{param_pointer}/in"),
                    "OpenAPI 3.2 `in: querystring` is not supported yet: the operation model has no \
                     location for a whole query string; declare its fields one by one with `in: query`",
                ));
            }
            other => {
                return Err(OpenApiError::at(
                    &format!("{param_pointer}/in"),
                    format!(
                        "`{}` is not a parameter location (path, query, header, cookie)",
                        other.unwrap_or("")
                    ),
                ));
            }
        };
        out.push(Parameter {
            name: name.to_owned(),
            location,
            required: location == Location::Path
                || param.get("required").and_then(Value::as_bool).unwrap_or(false),
            schema: param.get("schema").cloned().unwrap_or(Value::Object(Map::new())),
        });
    }
    Ok(out)
}

fn media(doc: &Value, content: Option<&Value>, pointer: &str) -> Result<Vec<Media>, OpenApiError> {
    let Some(content) = content else { return Ok(Vec::new()) };
    let content = content.as_object().ok_or_else(|| OpenApiError::at(pointer, "must be an object"))?;
    let mut out = Vec::with_capacity(content.len());
    for (media_type, entry) in content {
        // OpenAPI 3.2: an entry may be a `$ref` to `components/mediaTypes`.
        let (entry, entry_pointer) =
            resolve(doc, entry, &format!("{pointer}/{}", pointer_segment(media_type)))?;
        let entry = entry.as_object().ok_or_else(|| OpenApiError::at(&entry_pointer, "must be an object"))?;
        out.push(Media {
            media_type: media_type.clone(),
            schema: entry.get("schema").cloned(),
            item_schema: entry.get("itemSchema").cloned(),
        });
    }
    Ok(out)
}

/// Follow `$ref` (within the document) from `value`, found at `pointer`, to a value that is
/// not a reference; return it and its pointer.
fn resolve<'a>(doc: &'a Value, value: &'a Value, pointer: &str) -> Result<(&'a Value, String), OpenApiError> {
    let (value, mut chain) = follow(doc, value, pointer, &HashSet::new())?;
    Ok((value, chain.pop().map(|(_, at)| at).unwrap_or_default()))
}

/// A value and its JSON pointer.
type Hop = (*const Value, String);

/// Follow `$ref`s from `value`, found at `pointer`, until a value that is not a reference or is
/// in `known` (known to end well); return it and every value passed, with their pointers. A
/// chain may be as long as the document allows; one that comes back to a value it passed is
/// refused.
fn follow<'a>(
    doc: &'a Value,
    value: &'a Value,
    pointer: &str,
    known: &HashSet<*const Value>,
) -> Result<(&'a Value, Vec<Hop>), OpenApiError> {
    let mut chain = vec![(std::ptr::from_ref(value), pointer.to_owned())];
    let mut passed = HashSet::from([std::ptr::from_ref(value)]);
    let mut current = value;
    while !known.contains(&std::ptr::from_ref(current))
        && let Some(reference) = current.get("$ref").and_then(Value::as_str)
    {
        let at = chain.last().map(|(_, at)| at.as_str()).unwrap_or_default();
        let (target, target_pointer) = lookup(doc, reference).ok_or_else(|| dangling(at, reference))?;
        if !passed.insert(std::ptr::from_ref(target)) {
            return Err(cycle(&chain, target, &target_pointer));
        }
        chain.push((std::ptr::from_ref(target), target_pointer));
        current = target;
    }
    Ok((current, chain))
}

/// The value a local `$ref` names, and its JSON pointer. The part after `#` is a URI fragment
/// (RFC 3986): it is percent-decoded first, then read as a JSON pointer (RFC 6901: `~1` is `/`,
/// `~0` is `~`), so `#/components/schemas/My%20Schema` names `My Schema` and
/// `#/paths/~1items~1%7Bid%7D` the path `/items/{id}`. A `%` without two hex digits stays as
/// written, and when the decoded pointer names nothing, the fragment as written is tried (a
/// schema literally named `a%20b`, referenced without escaping its `%`).
pub(crate) fn lookup<'a>(doc: &'a Value, reference: &str) -> Option<(&'a Value, String)> {
    let fragment = reference.strip_prefix('#')?;
    if let Some(decoded) = percent_decode(fragment)
        && let Some(value) = doc.pointer(&decoded)
    {
        return Some((value, decoded));
    }
    doc.pointer(fragment).map(|value| (value, fragment.to_owned()))
}

fn percent_decode(text: &str) -> Option<String> {
    if !text.contains('%') {
        return Some(text.to_owned());
    }
    let hex = |b: Option<&u8>| b.and_then(|b| char::from(*b).to_digit(16)).and_then(|d| u8::try_from(d).ok());
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&byte) = bytes.get(i) {
        if byte == b'%'
            && let (Some(high), Some(low)) = (hex(bytes.get(i + 1)), hex(bytes.get(i + 2)))
        {
            out.push(high << 4 | low);
            i += 3;
        } else {
            out.push(byte);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

fn dangling(at: &str, reference: &str) -> OpenApiError {
    OpenApiError::at(&format!("{at}/$ref"), format!("`{reference}` does not resolve in this document"))
}

/// The error for a chain of `$ref`s (`chain`: each value and its pointer) whose next hop,
/// `target`, is a value it passed; at the chain's first `$ref`, naming the loop.
fn cycle(chain: &[Hop], target: *const Value, target_pointer: &str) -> OpenApiError {
    let start = chain.iter().position(|(value, _)| *value == target).unwrap_or(0);
    let mut hops: Vec<String> = chain[start..].iter().map(|(_, at)| format!("`{at}`")).collect();
    hops.push(format!("`{target_pointer}`"));
    if hops.len() > 7 {
        let skipped = hops.len() - 6;
        hops.splice(3..hops.len() - 3, [format!("({skipped} more)")]);
    }
    let origin = chain.first().map(|(_, at)| at.as_str()).unwrap_or_default();
    OpenApiError::at(&format!("{origin}/$ref"), format!("the `$ref` chain loops: {}", hops.join(" → ")))
}

/// What the keys of an object are, which decides whether a `$ref` in it is a reference.
#[derive(Clone, Copy)]
enum Place {
    /// An OpenAPI object or a schema: its keys are keywords, its `$ref` a reference. The values
    /// of `example`, `examples` (an array), `default`, `const`, `enum` and `x-…` keys are data.
    Keywords,
    /// `components`: keywords, each a map of names.
    Components,
    /// A map from names to keyword objects (`properties`, `content`, `components/schemas`, …);
    /// a key `$ref` is a name. With `extensions`, `x-` keys are extensions (data): `paths`,
    /// `responses`, a callback.
    Names { extensions: bool },
    /// `callbacks`: names to callbacks, each a reference or a map from expressions to path items.
    Callbacks,
    /// `examples` (an object) or `links`: names to Example or Link objects, each a reference or
    /// data only (`value`, `parameters`, …).
    Leaves,
}

/// Checks that every reference of the document resolves, without a loop.
struct RefCheck<'a> {
    doc: &'a Value,
    /// Values whose chain of `$ref`s is known to end in a value.
    resolved: HashSet<*const Value>,
}

impl RefCheck<'_> {
    fn check(&mut self, value: &Value, place: Place, at: &mut String) -> Result<(), OpenApiError> {
        let map = match value {
            Value::Object(map) => map,
            Value::Array(items) => {
                for (i, child) in items.iter().enumerate() {
                    self.child(&i.to_string(), child, Place::Keywords, at)?;
                }
                return Ok(());
            }
            _ => return Ok(()),
        };
        match place {
            Place::Keywords => {
                self.reference(value, at)?;
                for (key, child) in map {
                    if let Some(place) = keyword_place(key, child) {
                        self.child(&pointer_segment(key), child, place, at)?;
                    }
                }
            }
            Place::Components => {
                for (key, child) in map {
                    let place = match key.as_str() {
                        _ if key.starts_with("x-") => continue,
                        "examples" | "links" => Place::Leaves,
                        "callbacks" => Place::Callbacks,
                        _ => Place::Names { extensions: false },
                    };
                    self.child(&pointer_segment(key), child, place, at)?;
                }
            }
            Place::Names { extensions } => {
                for (key, child) in map {
                    if !(extensions && key.starts_with("x-")) {
                        self.child(&pointer_segment(key), child, Place::Keywords, at)?;
                    }
                }
            }
            Place::Callbacks => {
                for (key, callback) in map {
                    let len = at.len();
                    at.push('/');
                    at.push_str(&pointer_segment(key));
                    if callback.get("$ref").is_some_and(Value::is_string) {
                        self.reference(callback, at)?;
                    } else {
                        self.check(callback, Place::Names { extensions: true }, at)?;
                    }
                    at.truncate(len);
                }
            }
            Place::Leaves => {
                for (key, leaf) in map {
                    let len = at.len();
                    at.push('/');
                    at.push_str(&pointer_segment(key));
                    self.reference(leaf, at)?;
                    at.truncate(len);
                }
            }
        }
        Ok(())
    }

    fn child(
        &mut self,
        segment: &str,
        child: &Value,
        place: Place,
        at: &mut String,
    ) -> Result<(), OpenApiError> {
        let len = at.len();
        at.push('/');
        at.push_str(segment);
        self.check(child, place, at)?;
        at.truncate(len);
        Ok(())
    }

    /// When `value` (at `at`) is a reference: its chain must end in a value.
    fn reference(&mut self, value: &Value, at: &str) -> Result<(), OpenApiError> {
        if !value.get("$ref").is_some_and(Value::is_string) {
            return Ok(());
        }
        let (_, chain) = follow(self.doc, value, at, &self.resolved)?;
        self.resolved.extend(chain.into_iter().map(|(value, _)| value));
        Ok(())
    }
}

/// Where the value of keyword `key` sits; `None` when it is data.
fn keyword_place(key: &str, value: &Value) -> Option<Place> {
    Some(match key {
        "example" | "default" | "const" | "enum" => return None,
        _ if key.starts_with("x-") => return None,
        "examples" if value.is_object() => Place::Leaves,
        "examples" => return None,
        "links" => Place::Leaves,
        "callbacks" => Place::Callbacks,
        "components" => Place::Components,
        "paths" | "responses" => Place::Names { extensions: true },
        "webhooks"
        | "properties"
        | "patternProperties"
        | "$defs"
        | "definitions"
        | "dependentSchemas"
        | "headers"
        | "content"
        | "encoding"
        | "additionalOperations" => Place::Names { extensions: false },
        _ => Place::Keywords,
    })
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn error(doc: &Value) -> Option<String> {
        parse(&doc.to_string()).err().map(|e| e.to_string())
    }

    fn doc(paths: &str) -> String {
        format!(
            r#"{{"openapi": "3.1.0", "info": {{"title": "T", "version": "1"}}, "paths": {paths}, "components": {{"schemas": {{"Item": {{"type": "object"}}}}}}}}"#
        )
    }

    #[test]
    fn names_orders_and_detects_streams() -> Result<(), OpenApiError> {
        let text = doc(r##"{
            "/items/{item_id}": {"get": {"operationId": "get_item", "parameters": [{"name": "item_id", "in": "path", "schema": {"type": "integer"}}], "responses": {"200": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Item"}}}}}}},
            "/stream": {"post": {"operationId": "my_stream", "responses": {"200": {"content": {"application/jsonl": {"itemSchema": {"$ref": "#/components/schemas/Item"}}}}}}},
            "/": {"get": {"responses": {}}}
        }"##);
        let model = parse(&text)?;
        let names: Vec<_> =
            model.operations.iter().map(|o| (o.name.as_str(), o.method.as_str(), o.streaming)).collect();
        assert_eq!(names, vec![("get", "GET", false), ("getItem", "GET", false), ("myStream", "POST", true)]);
        assert_eq!(model.operations[1].parameters[0].location, Location::Path);
        assert!(model.operations[1].parameters[0].required);
        Ok(())
    }

    #[test]
    fn duplicates_are_qualified_by_tag_or_refused() {
        let tagged = doc(r#"{"/users": {"get": {"operationId": "list", "tags": ["users"], "responses": {}}},
                "/orders": {"get": {"operationId": "list", "tags": ["orders"], "responses": {}}}}"#);
        let names: Vec<_> =
            parse(&tagged).map(|m| m.operations.into_iter().map(|o| o.name).collect()).unwrap_or_default();
        assert_eq!(names, vec!["orders.list", "users.list"]);
        let untagged = doc(
            r#"{"/a": {"get": {"operationId": "list", "responses": {}}}, "/b": {"get": {"operationId": "list", "responses": {}}}}"#,
        );
        assert_eq!(
            parse(&untagged).err().map(|e| e.to_string()).as_deref(),
            Some(
                "operations at `/paths/~1a/get` and `/paths/~1b/get` are both named `list`, even qualified by their tags"
            )
        );
    }

    #[test]
    fn malformed_documents_name_the_pointer() {
        let cases = [
            ("[1]", "at ``: the document is not a JSON object"),
            (
                r#"{"swagger": "2.0"}"#,
                "at `/swagger`: Swagger 2.0 is not supported; FastAPI writes OpenAPI 3.x",
            ),
            (r#"{"openapi": "2.0"}"#, "at `/openapi`: version `2.0` is not OpenAPI 3.x"),
            (r#"{"openapi": "3.1.0", "paths": []}"#, "at `/paths`: must be an object"),
            ("{\"openapi\": ", "not valid JSON: EOF while parsing a value (line 1, column 12)"),
        ];
        for (text, message) in cases {
            assert_eq!(parse(text).err().map(|e| e.to_string()).as_deref(), Some(message), "{text}");
        }
        let dangling =
            doc(r##"{"/a": {"get": {"responses": {"200": {"$ref": "#/components/responses/Nope"}}}}}"##);
        assert_eq!(
            parse(&dangling).err().map(|e| e.to_string()).as_deref(),
            Some(
                "at `/paths/~1a/get/responses/200/$ref`: `#/components/responses/Nope` does not resolve in this document"
            )
        );
    }
    #[test]
    fn refs_inside_data_are_data_not_references() -> Result<(), OpenApiError> {
        let nope = json!({"$ref": "#/nope"});
        let media = json!({
            "schema": {"type": "object", "properties": {"default": {"$ref": "#/components/schemas/Item"}},
                "examples": [nope], "default": nope, "const": nope, "enum": [nope], "x-extra": nope},
            "example": nope,
            "examples": {"one": {"summary": "s", "value": nope}, "two": {"$ref": "#/components/examples/Two"}},
        });
        let doc = json!({
            "openapi": "3.1.0",
            "x-root": nope,
            "paths": {"/a": {"x-internal": nope, "get": {
                "x-codeSamples": [nope],
                "parameters": [{"name": "q", "in": "query", "example": nope, "examples": {"one": {"value": nope}}}],
                "responses": {"200": {"content": {"application/json": media}}},
            }}},
            "components": {"schemas": {"Item": {"x-ok": nope}}, "examples": {"Two": {"value": nope}}},
        });
        assert_eq!(parse(&doc.to_string())?.operations.len(), 1);
        // Names and references in the same places are still checked.
        let checked = [
            (
                "/paths/~1a/get/responses/200/content/application~1json/schema/properties/default",
                nope.clone(),
            ),
            ("/paths/~1a/get/responses/200/content/application~1json/examples/two", nope.clone()),
            ("/paths/~1a/get/responses/default", nope.clone()),
            ("/components/schemas/x-named", nope.clone()),
        ];
        for (pointer, value) in checked {
            let mut doc = doc.clone();
            let (parent, key) = pointer.rsplit_once('/').unwrap_or_default();
            if let Some(Value::Object(map)) = doc.pointer_mut(parent) {
                map.insert(key.replace("~1", "/"), value);
            }
            assert_eq!(
                error(&doc),
                Some(format!("at `{pointer}/$ref`: `#/nope` does not resolve in this document")),
                "{pointer}"
            );
        }
        Ok(())
    }

    #[test]
    fn extensions_under_paths_and_responses_are_not_paths_methods_or_statuses() -> Result<(), OpenApiError> {
        let doc = json!({
            "openapi": "3.0.3",
            "paths": {
                "x-tagGroups": [{"name": "all"}],
                "x-flag": true,
                "/a": {"x-get": {"operationId": "hidden"}, "get": {"responses": {"200": {}, "x-note": true}}},
            },
        });
        let model = parse(&doc.to_string())?;
        let ops: Vec<_> = model.operations.iter().map(|o| (o.method.as_str(), o.path.as_str())).collect();
        assert_eq!(ops, [("GET", "/a")]);
        let statuses: Vec<_> = model.operations[0].responses.iter().map(|r| r.status.as_str()).collect();
        assert_eq!(statuses, ["200"]);
        Ok(())
    }

    #[test]
    fn percent_encoded_refs_are_decoded_before_the_pointer() -> Result<(), OpenApiError> {
        let doc = json!({
            "openapi": "3.1.0",
            "paths": {
                "/items/{id}": {"get": {
                    "parameters": [
                        {"$ref": "#/components/parameters/My%20Param"},
                        {"$ref": "#/components/parameters/a%7E1b~0c"},
                        {"$ref": "#/components/parameters/Caf%C3%A9"},
                        {"$ref": "#/components/parameters/100%"},
                    ],
                    "responses": {"404": {"$ref": "#/components/responses/Not%20Found"}},
                }},
                "/other": {"$ref": "#/paths/~1items~1%7Bid%7D"},
            },
            "components": {
                "parameters": {
                    "My Param": {"name": "a", "in": "query"},
                    "a/b~c": {"name": "b", "in": "query"},
                    "Café": {"name": "c", "in": "query"},
                    "100%": {"name": "d", "in": "query"},
                },
                "responses": {"Not Found": {"content": {"text/plain": {}}}},
            },
        });
        let model = parse(&doc.to_string())?;
        assert_eq!(model.operations.len(), 2);
        let params: Vec<_> = model.operations[0].parameters.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(params, ["a", "b", "c", "d"]);
        assert_eq!(model.operations[0].responses[0].media[0].media_type, "text/plain");
        let mut gone = doc.clone();
        gone["components"]["responses"]["Gone Away"] = nope();
        gone["paths"]["/items/{id}"]["get"]["responses"]["410"] =
            json!({"$ref": "#/components/responses/Gone%20Away"});
        assert_eq!(
            error(&gone).as_deref(),
            Some("at `/components/responses/Gone Away/$ref`: `#/nope` does not resolve in this document")
        );
        Ok(())
    }

    fn nope() -> Value {
        json!({"$ref": "#/nope"})
    }

    fn chain(prefix: &str, hops: usize, last: &Value) -> Map<String, Value> {
        let mut map: Map<String, Value> = (0..hops)
            .map(|i| {
                (format!("{prefix}{i}"), json!({"$ref": format!("#/components/responses/{prefix}{}", i + 1)}))
            })
            .collect();
        map.insert(format!("{prefix}{hops}"), last.clone());
        map
    }

    #[test]
    fn long_ref_chains_resolve_and_only_real_cycles_are_refused() -> Result<(), OpenApiError> {
        let mut doc = json!({
            "openapi": "3.1.0",
            "paths": {"/a": {"get": {"responses": {"200": {"$ref": "#/components/responses/R0"}}}}},
            "components": {"responses": chain("R", 100, &json!({"content": {"application/json": {}}}))},
        });
        let model = parse(&doc.to_string())?;
        assert_eq!(model.operations[0].responses[0].media[0].media_type, "application/json");
        doc["components"]["responses"]["R100"] = json!({"$ref": "#/components/responses/R98"});
        assert_eq!(
            error(&doc).as_deref(),
            Some(
                "at `/paths/~1a/get/responses/200/$ref`: the `$ref` chain loops: `/components/responses/R98` → `/components/responses/R99` → `/components/responses/R100` → `/components/responses/R98`"
            )
        );
        // Unused by any operation, and long: still found, the middle elided.
        let doc = json!({"openapi": "3.1.0", "components": {"responses": chain("C", 9, &json!({"$ref": "#/components/responses/C0"}))}});
        assert_eq!(
            error(&doc).as_deref(),
            Some(
                "at `/components/responses/C0/$ref`: the `$ref` chain loops: `/components/responses/C0` → `/components/responses/C1` → `/components/responses/C2` → (5 more) → `/components/responses/C8` → `/components/responses/C9` → `/components/responses/C0`"
            )
        );
        Ok(())
    }

    #[test]
    fn openapi_3_2_query_and_media_type_refs_are_read() -> Result<(), OpenApiError> {
        let doc = json!({
            "openapi": "3.2.0",
            "paths": {"/search": {"query": {
                "operationId": "search",
                "requestBody": {"content": {"application/json": {"$ref": "#/components/mediaTypes/Query"}}},
                "responses": {"200": {"content": {"application/jsonl": {"$ref": "#/components/mediaTypes/Hits"}}}},
            }}},
            "components": {"mediaTypes": {
                "Query": {"schema": {"type": "object"}},
                "Hits": {"itemSchema": {"type": "string"}},
            }},
        });
        let model = parse(&doc.to_string())?;
        let op = &model.operations[0];
        assert_eq!((op.name.as_str(), op.method.as_str(), op.streaming), ("search", "QUERY", true));
        let body = op.request_body.as_ref().map(|b| b.media[0].schema.clone());
        assert_eq!(body, Some(Some(json!({"type": "object"}))));
        Ok(())
    }

    #[test]
    fn openapi_3_2_what_the_model_cannot_hold_is_refused_at_its_pointer() {
        let querystring = json!({"openapi": "3.2.0", "paths": {"/a": {"get": {
            "parameters": [{"name": "filter", "in": "querystring", "content": {"application/json": {}}}],
            "responses": {},
        }}}});
        assert_eq!(
            error(&querystring).as_deref(),
            Some(
                "at `/paths/~1a/get/parameters/0/in`: OpenAPI 3.2 `in: querystring` is not supported yet: the operation model has no location for a whole query string; declare its fields one by one with `in: query`"
            )
        );
        let additional = json!({"openapi": "3.2.0", "paths": {"/a": {
            "get": {"responses": {}},
            "additionalOperations": {"COPY": {"responses": {}}},
        }}});
        assert_eq!(
            error(&additional).as_deref(),
            Some(
                "at `/paths/~1a/additionalOperations`: OpenAPI 3.2 `additionalOperations` is not supported yet: fastgen reads the methods get, put, post, delete, options, head, patch, trace, query only; serve these operations under one of them"
            )
        );
    }

    #[test]
    fn a_byte_order_mark_is_skipped() -> Result<(), OpenApiError> {
        let text = format!("\u{feff}{}", doc(r#"{"/a": {"get": {"responses": {}}}}"#));
        assert_eq!(parse(&text)?.operations.len(), 1);
        Ok(())
    }
}
