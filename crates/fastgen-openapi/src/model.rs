use serde_json::Value;

/// Every operation of a document, named and ordered by name.
#[derive(Debug, Clone, PartialEq)]
pub struct Model {
    pub title: String,
    pub operations: Vec<Operation>,
    /// The parsed document itself, for emitters that need more than the operations (the
    /// client's types read `components/schemas` and follow `$ref`s through it). Every `$ref`
    /// in it is known to resolve.
    pub document: Value,
}

/// One path + method.
#[derive(Debug, Clone, PartialEq)]
pub struct Operation {
    /// The name emitters use: lower camel case of the operationId, qualified by tag when two
    /// operations would share it (`users.list`); distinct operationIds that still camel-case
    /// alike get `_2`, `_3`, … (`getItem`, `getItem_2`), see `naming::name_operations`.
    pub name: String,
    /// The operationId as written (empty when missing).
    pub operation_id: String,
    /// The path with OpenAPI templating kept (`/items/{item_id}`).
    pub path: String,
    /// Upper case (`GET`).
    pub method: String,
    pub tags: Vec<String>,
    pub parameters: Vec<Parameter>,
    pub request_body: Option<Body>,
    pub responses: Vec<Response>,
    /// A response streams JSON lines (`application/jsonl` / `application/x-ndjson` with an
    /// `itemSchema`).
    pub streaming: bool,
    /// The JSON pointer of the operation in the document.
    pub pointer: String,
}

/// Where a parameter travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Location {
    Path,
    Query,
    Header,
    Cookie,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Parameter {
    pub name: String,
    pub location: Location,
    pub required: bool,
    pub schema: Value,
}

/// A request body: its media types and whether it is required.
#[derive(Debug, Clone, PartialEq)]
pub struct Body {
    pub required: bool,
    pub media: Vec<Media>,
}

/// One media type of a body or response.
#[derive(Debug, Clone, PartialEq)]
pub struct Media {
    pub media_type: String,
    pub schema: Option<Value>,
    /// The schema of each item of a stream (OpenAPI 3.2 `itemSchema`).
    pub item_schema: Option<Value>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Response {
    /// `200`, `4XX`, `default`, …
    pub status: String,
    pub media: Vec<Media>,
}
