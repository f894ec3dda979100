use std::collections::BTreeMap;

use serde_json::{Map, Value};

use crate::error::{OpenApiError, pointer_segment};
use crate::model::{Body, Location, Media, Model, Operation, Parameter, Response};
use crate::naming::lower_camel;

const METHODS: &[&str] = &["get", "put", "post", "delete", "options", "head", "patch", "trace"];
const STREAM_MEDIA: &[&str] = &["application/jsonl", "application/x-ndjson", "application/json-seq"];
/// How many `$ref` hops a chain may take before it is called a cycle.
const MAX_REF_DEPTH: usize = 32;

/// Parse an OpenAPI 3.x document into the operation model.
pub fn parse(text: &str) -> Result<Model, OpenApiError> {
    let doc: Value = serde_json::from_str(text).map_err(|err| {
        let message = err.to_string();
        let message = message.find(" at line ").map_or(message.clone(), |i| message[..i].to_owned());
        OpenApiError::Json { message, line: err.line(), column: err.column() }
    })?;
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
    check_refs(&doc, &doc, &mut String::new())?;
    let title =
        root.get("info").and_then(|i| i.get("title")).and_then(Value::as_str).unwrap_or("").to_owned();
    let paths = match root.get("paths") {
        None => return Ok(Model { title, operations: Vec::new(), document: doc }),
        Some(Value::Object(paths)) => paths,
        Some(_) => return Err(OpenApiError::at("/paths", "must be an object")),
    };
    let mut operations = Vec::new();
    for (path, item) in paths {
        let item_pointer = format!("/paths/{}", pointer_segment(path));
        let (item, item_pointer) = resolve(&doc, item, &item_pointer)?;
        let Some(item) = item.as_object() else {
            return Err(OpenApiError::at(&item_pointer, "a path item must be an object"));
        };
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
                media: media(body.get("content"), &format!("{body_pointer}/content"))?,
            })
        }
    };
    let mut responses = Vec::new();
    if let Some(all) = op.get("responses") {
        let all = all
            .as_object()
            .ok_or_else(|| OpenApiError::at(&format!("{pointer}/responses"), "must be an object"))?;
        for (status, response) in all {
            let response_pointer = format!("{pointer}/responses/{}", pointer_segment(status));
            let (response, response_pointer) = resolve(doc, response, &response_pointer)?;
            let content = response.get("content");
            responses.push(Response {
                status: status.clone(),
                media: media(content, &format!("{response_pointer}/content"))?,
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

fn media(content: Option<&Value>, pointer: &str) -> Result<Vec<Media>, OpenApiError> {
    let Some(content) = content else { return Ok(Vec::new()) };
    let content = content.as_object().ok_or_else(|| OpenApiError::at(pointer, "must be an object"))?;
    let mut out = Vec::with_capacity(content.len());
    for (media_type, entry) in content {
        let entry_pointer = format!("{pointer}/{}", pointer_segment(media_type));
        let entry = entry.as_object().ok_or_else(|| OpenApiError::at(&entry_pointer, "must be an object"))?;
        out.push(Media {
            media_type: media_type.clone(),
            schema: entry.get("schema").cloned(),
            item_schema: entry.get("itemSchema").cloned(),
        });
    }
    Ok(out)
}

/// Follow `$ref` (within the document) until a non-reference value.
fn resolve<'a>(doc: &'a Value, value: &'a Value, pointer: &str) -> Result<(&'a Value, String), OpenApiError> {
    let mut current = value;
    let mut at = pointer.to_owned();
    for _ in 0..MAX_REF_DEPTH {
        let Some(reference) = current.get("$ref").and_then(Value::as_str) else {
            return Ok((current, at));
        };
        let target = lookup(doc, reference).ok_or_else(|| {
            OpenApiError::at(
                &format!("{at}/$ref"),
                format!("`{reference}` does not resolve in this document"),
            )
        })?;
        reference.trim_start_matches('#').clone_into(&mut at);
        current = target;
    }
    Err(OpenApiError::at(pointer, "a `$ref` chain loops"))
}

fn lookup<'a>(doc: &'a Value, reference: &str) -> Option<&'a Value> {
    let pointer = reference.strip_prefix('#')?;
    doc.pointer(pointer)
}

/// Every `$ref` in the document must point inside it.
fn check_refs(doc: &Value, value: &Value, at: &mut String) -> Result<(), OpenApiError> {
    match value {
        Value::Object(map) => {
            if let Some(Value::String(reference)) = map.get("$ref")
                && lookup(doc, reference).is_none()
            {
                return Err(OpenApiError::at(
                    &format!("{at}/$ref"),
                    format!("`{reference}` does not resolve in this document"),
                ));
            }
            for (key, child) in map {
                let len = at.len();
                at.push('/');
                at.push_str(&pointer_segment(key));
                check_refs(doc, child, at)?;
                at.truncate(len);
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                let len = at.len();
                at.push_str(&format!("/{i}"));
                check_refs(doc, child, at)?;
                at.truncate(len);
            }
        }
        _ => {}
    }
    Ok(())
}

/// Name every operation; qualify duplicates by tag; refuse what stays ambiguous.
fn name_operations(operations: &mut [Operation]) -> Result<(), OpenApiError> {
    for op in operations.iter_mut() {
        let mut name = lower_camel(&op.operation_id);
        if name.is_empty() {
            name = lower_camel(&format!("{}-{}", op.method.to_ascii_lowercase(), op.path));
        }
        if name.is_empty() {
            "root".clone_into(&mut name);
        }
        op.name = name;
    }
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for op in operations.iter() {
        *counts.entry(op.name.clone()).or_default() += 1;
    }
    for op in operations.iter_mut() {
        if counts.get(&op.name).copied().unwrap_or(0) > 1
            && let Some(tag) = op.tags.first().map(|t| lower_camel(t)).filter(|t| !t.is_empty())
        {
            op.name = format!("{tag}.{}", op.name);
        }
    }
    let mut seen: BTreeMap<&str, &str> = BTreeMap::new();
    for op in operations.iter() {
        if let Some(first) = seen.insert(&op.name, &op.pointer) {
            return Err(OpenApiError::Ambiguous {
                name: op.name.clone(),
                first: first.to_owned(),
                second: op.pointer.clone(),
            });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
