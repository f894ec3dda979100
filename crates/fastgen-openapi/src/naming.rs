use std::collections::BTreeMap;

use crate::error::OpenApiError;
use crate::model::Operation;

/// Lower camel case of an operation id: words split at non-alphanumerics and at lower→upper
/// humps; the first word lower-cased, the others with an upper-case first letter. A result
/// that would start with a digit gets the prefix `op`. Non-ASCII characters separate words.
pub fn lower_camel(id: &str) -> String {
    let mut words: Vec<String> = Vec::new();
    let mut current = String::new();
    let mut previous_lower = false;
    for ch in id.chars() {
        if !ch.is_ascii_alphanumeric() {
            if !current.is_empty() {
                words.push(std::mem::take(&mut current));
            }
            previous_lower = false;
            continue;
        }
        if ch.is_ascii_uppercase() && previous_lower {
            words.push(std::mem::take(&mut current));
        }
        previous_lower = ch.is_ascii_lowercase() || ch.is_ascii_digit();
        current.push(ch);
    }
    if !current.is_empty() {
        words.push(current);
    }
    let mut out = String::new();
    for (i, word) in words.iter().enumerate() {
        if i == 0 {
            out.push_str(&word.to_ascii_lowercase());
        } else {
            let mut chars = word.chars();
            if let Some(first) = chars.next() {
                out.push(first.to_ascii_uppercase());
                out.push_str(chars.as_str());
            }
        }
    }
    if out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert_str(0, "op");
    }
    out
}

/// Name every operation (its [`Operation::name`]):
///
/// 1. The lower camel case of its operationId; without one (or when the id has no ASCII letter
///    or digit), of its method and path (`GET /items/{id}` → `getItemsId`); else `root`.
/// 2. Operations that share a name are qualified by their first tag, when they have one:
///    `users.list` and `orders.list`. An untagged one keeps the bare name.
/// 3. Operations that still share a name but were named from different operationIds (`get_item`
///    and `getItem`), or from their method and path, are told apart by a suffix. In this
///    order: an operationId that is its own lower camel case (`getItem`), the other
///    operationIds byte by byte, the operations without one by path and method; the first
///    keeps the name, the next get `_2`, `_3`, …: `getItem`, `getItem_2`. Lower camel case
///    never writes `_`, so a suffixed name cannot meet another name.
/// 4. Operations that share a name *and* their operationId (the same id twice, with the same
///    tag or none) are refused as ambiguous: no name would say which is which.
///
/// Names depend on the operations only, never on the order of the document's paths.
pub(crate) fn name_operations(operations: &mut [Operation]) -> Result<(), OpenApiError> {
    let bases: Vec<String> = operations.iter().map(base_name).collect();
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for base in &bases {
        *counts.entry(base).or_default() += 1;
    }
    let mut groups: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, (op, base)) in operations.iter().zip(&bases).enumerate() {
        let shared = counts.get(base.as_str()).copied().unwrap_or(0) > 1;
        let name = match op.tags.first().map(|t| lower_camel(t)).filter(|t| !t.is_empty()) {
            Some(tag) if shared => format!("{tag}.{base}"),
            _ => base.clone(),
        };
        groups.entry(name).or_default().push(i);
    }
    for (name, mut members) in groups {
        let mut ids: BTreeMap<&str, usize> = BTreeMap::new();
        for &i in &members {
            let op = &operations[i];
            if op.operation_id.is_empty() {
                continue;
            }
            if let Some(&first) = ids.get(op.operation_id.as_str()) {
                return Err(OpenApiError::Ambiguous {
                    name,
                    first: operations[first].pointer.clone(),
                    second: op.pointer.clone(),
                });
            }
            ids.insert(&op.operation_id, i);
        }
        members.sort_by_key(|&i| {
            let op = &operations[i];
            (op.operation_id != bases[i], op.operation_id.is_empty(), &op.operation_id, &op.path, &op.method)
        });
        for (n, &i) in members.iter().enumerate() {
            operations[i].name = if n == 0 { name.clone() } else { format!("{name}_{}", n + 1) };
        }
    }
    Ok(())
}

/// Step 1 of [`name_operations`].
fn base_name(op: &Operation) -> String {
    let mut name = lower_camel(&op.operation_id);
    if name.is_empty() {
        name = lower_camel(&format!("{}-{}", op.method.to_ascii_lowercase(), op.path));
    }
    if name.is_empty() {
        "root".clone_into(&mut name);
    }
    name
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn camel_cases_every_id_style() {
        assert_eq!(lower_camel("get_item"), "getItem");
        assert_eq!(lower_camel("createRun"), "createRun");
        assert_eq!(lower_camel("flashcards-read_collections"), "flashcardsReadCollections");
        assert_eq!(lower_camel("Search drugs"), "searchDrugs");
        assert_eq!(lower_camel("DUR list by type"), "durListByType");
        assert_eq!(lower_camel("_user_api_v1_users__post"), "userApiV1UsersPost");
        assert_eq!(lower_camel("2fa_verify"), "op2faVerify");
        assert_eq!(lower_camel("系统"), "");
    }

    fn op(operation_id: &str, method: &str, path: &str, tags: &[&str]) -> Operation {
        Operation {
            name: String::new(),
            operation_id: operation_id.to_owned(),
            path: path.to_owned(),
            method: method.to_owned(),
            tags: tags.iter().map(|&t| t.to_owned()).collect(),
            parameters: Vec::new(),
            request_body: None,
            responses: Vec::new(),
            streaming: false,
            pointer: format!("/paths/{}/{}", path.replace('/', "~1"), method.to_ascii_lowercase()),
        }
    }

    fn names(mut operations: Vec<Operation>) -> Result<Vec<String>, OpenApiError> {
        name_operations(&mut operations)?;
        Ok(operations.into_iter().map(|o| o.name).collect())
    }

    #[test]
    fn distinct_ids_that_camel_case_alike_get_suffixes_not_a_refusal() -> Result<(), OpenApiError> {
        // In document order; the id already in lower camel case keeps the name, the others
        // follow by id.
        let ops = vec![
            op("get_item", "GET", "/a", &[]),
            op("getItem", "GET", "/b", &[]),
            op("GetItem", "GET", "/c", &[]),
        ];
        assert_eq!(names(ops)?, ["getItem_3", "getItem", "getItem_2"]);
        // The same, when tags qualify them alike.
        let ops = vec![op("get_item", "GET", "/a", &["items"]), op("getItem", "POST", "/a", &["items"])];
        assert_eq!(names(ops)?, ["items.getItem_2", "items.getItem"]);
        // Without operationIds, from method and path: by path.
        let ops = vec![op("", "GET", "/items/{id}", &[]), op("", "GET", "/items/id", &[])];
        assert_eq!(names(ops)?, ["getItemsId_2", "getItemsId"]);
        // An operationId and a method + path: the id first.
        let ops = vec![op("", "GET", "/items", &[]), op("get-items", "POST", "/x", &[])];
        assert_eq!(names(ops)?, ["getItems_2", "getItems"]);
        Ok(())
    }

    #[test]
    fn identical_ids_are_qualified_by_tag_and_refused_without_one() {
        let ops = vec![op("list", "GET", "/users", &["users"]), op("list", "GET", "/orders", &["orders"])];
        assert_eq!(names(ops).ok(), Some(vec!["users.list".to_owned(), "orders.list".to_owned()]));
        let ops = vec![
            op("list", "GET", "/users", &["users"]),
            op("List", "GET", "/all", &["users"]),
            op("list", "GET", "/orders", &["users"]),
        ];
        assert_eq!(
            names(ops).err().map(|e| e.to_string()).as_deref(),
            Some(
                "operations at `/paths/~1users/get` and `/paths/~1orders/get` are both named `users.list`, even qualified by their tags"
            )
        );
    }
}
