//! The TypeScript names an API's construct class may not take: every name the CDK templates
//! bind at module level (imports and exports of the constructs package, the per-API construct
//! and the CDK app's `apis.ts`), read from the embedded templates themselves so the list
//! follows them, plus the JavaScript built-ins a module could shadow. An API named `rest api`
//! would otherwise declare `class RestApi` next to `import { RestApi }` and break `tsc`.

use std::collections::BTreeSet;

use crate::render::template_set;

/// Where an API's class shares a scope with other names: the constructs package's exports
/// (`src/index.ts` re-exports them all, next to every API class), the per-API construct's own
/// imports and exports, and the CDK app's `apis.ts`, which imports every API class.
const EXPORTING_SETS: &[&str] =
    &["constructs", "constructs-rest", "constructs-http", "constructs-static-website"];
const API_CONSTRUCT_SET: &str = "constructs-api";
const APIS_TS: (&str, &str) = ("infra", "src/stacks/apis.ts");

/// ECMAScript and TypeScript built-ins a module-level class of the same name would shadow.
const BUILT_INS: &[&str] = &[
    "Array",
    "ArrayBuffer",
    "Awaited",
    "BigInt",
    "Boolean",
    "DataView",
    "Date",
    "Error",
    "EvalError",
    "Exclude",
    "Extract",
    "Function",
    "InstanceType",
    "Intl",
    "JSON",
    "Map",
    "Math",
    "NonNullable",
    "Number",
    "Object",
    "Omit",
    "Parameters",
    "Partial",
    "Pick",
    "Promise",
    "Proxy",
    "RangeError",
    "Readonly",
    "Record",
    "ReferenceError",
    "Reflect",
    "RegExp",
    "Required",
    "ReturnType",
    "Set",
    "String",
    "Symbol",
    "SyntaxError",
    "TypeError",
    "URIError",
    "WeakMap",
    "WeakSet",
];

fn is_identifier(word: &str) -> bool {
    let mut chars = word.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_' || c == '$')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$')
}

/// The names bound by `import { a, type B, c as d } from …`, `import * as x from …` and
/// `import x from …` in `source`. Names built from template values (`{{ class_name }}Props`)
/// are not names of their own.
pub fn imported_names(source: &str) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    let mut lines = source.lines();
    while let Some(line) = lines.next() {
        let Some(import) = line.strip_prefix("import ") else { continue };
        let mut clause = import.to_owned();
        // A multi-line `import {` … `} from '…';`: gather the lines up to the closing brace.
        if !clause.contains(" from ") {
            for next in lines.by_ref() {
                clause.push('\n');
                clause.push_str(next);
                if next.trim_start().starts_with('}') {
                    break;
                }
            }
        }
        let Some(from) = clause.find(" from ") else { continue };
        let bindings = clause[..from].trim().trim_start_matches("type ").trim();
        for part in bindings.trim_matches(|c| c == '{' || c == '}').split([',', '\n']) {
            let part = part.trim().trim_start_matches("type ").trim();
            let bound = part.rsplit(" as ").next().unwrap_or(part).trim();
            if is_identifier(bound) {
                names.insert(bound.to_owned());
            }
        }
    }
    names
}

/// The names `export const|let|class|interface|type|function|enum X` binds in `source`.
pub fn exported_names(source: &str) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    for line in source.lines() {
        let mut words = line.split_whitespace();
        if words.next() != Some("export") {
            continue;
        }
        let mut word = words.next();
        while matches!(word, Some("declare" | "abstract" | "default" | "async")) {
            word = words.next();
        }
        if matches!(word, Some("const" | "let" | "class" | "interface" | "type" | "function" | "enum"))
            && let Some(name) = words.next()
        {
            let name: String =
                name.chars().take_while(|&c| c.is_ascii_alphanumeric() || c == '_' || c == '$').collect();
            if is_identifier(&name) {
                names.insert(name);
            }
        }
    }
    names
}

/// The local names `apis.ts` declares in the function that also declares one `const` per API
/// (named after the class, lower camel case): `userPool`, `identityPool`, …
fn local_names(source: &str) -> BTreeSet<String> {
    source
        .lines()
        .filter_map(|line| line.trim_start().strip_prefix("const "))
        .filter_map(|rest| rest.split([' ', '=', ':']).next())
        .filter(|name| is_identifier(name))
        .map(str::to_owned)
        .collect()
}

/// Every name a construct class may not take, with the template that binds it.
pub fn taken_names() -> Vec<(String, String)> {
    let mut taken = Vec::new();
    let mut add = |names: BTreeSet<String>, place: String| {
        taken.extend(names.into_iter().map(|name| (name, place.clone())));
    };
    for set in EXPORTING_SETS {
        for file in template_set(set)
            .into_iter()
            .filter(|f| std::path::Path::new(f.path).extension().is_some_and(|e| e == "ts"))
        {
            add(exported_names(file.source), format!("exported by `{set}/{}`", file.path));
        }
    }
    let shared_scopes = template_set(API_CONSTRUCT_SET)
        .into_iter()
        .map(|f| (API_CONSTRUCT_SET, f))
        .chain(template_set(APIS_TS.0).into_iter().filter(|f| f.path == APIS_TS.1).map(|f| (APIS_TS.0, f)));
    for (set, file) in shared_scopes {
        let mut names = imported_names(file.source);
        names.extend(exported_names(file.source));
        add(names, format!("bound in `{set}/{}`", file.path));
    }
    taken.extend(BUILT_INS.iter().map(|name| ((*name).to_owned(), "a JavaScript built-in".to_owned())));
    taken
}

/// Where the class name `class` (or its lower-camel variable in `apis.ts`) is already bound.
pub fn class_name_taken(class: &str) -> Option<String> {
    if let Some((_, place)) = taken_names().into_iter().find(|(name, _)| name == class) {
        return Some(place);
    }
    let mut chars = class.chars();
    let variable: String = chars.next().map(|c| c.to_ascii_lowercase().to_string() + chars.as_str())?;
    template_set(APIS_TS.0)
        .into_iter()
        .filter(|f| f.path == APIS_TS.1)
        .find(|f| local_names(f.source).contains(&variable))
        .map(|f| format!("`{variable}` is a local name in `{}/{}`", APIS_TS.0, f.path))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_bound_by_imports_and_exports() {
        let source = "import { Architecture, Runtime } from 'aws-cdk-lib/aws-lambda';\n\
            import type { Construct } from 'constructs';\n\
            import {\n  IntegrationBuilder,\n{% if auth == 'None' %}\n  PUBLIC,\n{% endif %}\n  type Operations,\n  a as Renamed,\n} from './x.js';\n\
            import * as path from 'node:path';\n\
            export interface {{ class_name }}Props {}\n\
            export const addApis = () => {};\n\
            export abstract class Base<T> {}\n";
        let mut names = imported_names(source);
        names.extend(exported_names(source));
        let names: Vec<String> = names.into_iter().collect();
        assert_eq!(
            names,
            [
                "Architecture",
                "Base",
                "Construct",
                "IntegrationBuilder",
                "Operations",
                "PUBLIC",
                "Renamed",
                "Runtime",
                "addApis",
                "path"
            ]
        );
    }

    #[test]
    fn the_templates_names_are_taken() {
        for class in [
            "RestApi",
            "HttpApi",
            "Construct",
            "IntegrationBuilder",
            "CfnOutput",
            "Object",
            "Map",
            "StaticWebsite",
        ] {
            assert!(class_name_taken(class).is_some(), "{class} is free");
        }
        assert!(class_name_taken("UserPool").is_some());
        assert_eq!(class_name_taken("MyApi"), None);
        // `App` is imported by the app's `main.ts`, which never sees an API class.
        assert_eq!(class_name_taken("App"), None);
    }
}
