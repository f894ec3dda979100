//! `options.gen.ts`: `TanStack` Query v5 options for every operation, through the library's
//! public API only (`queryOptions`, the `UseMutationOptions` type), so it type-checks on
//! @tanstack/react-query 5.60 and the newest 5.x alike.
//!
//! - GET and HEAD operations are queries: `queryKey(args)` (a typed `readonly` tuple
//!   `['<Class>', '<method>', args]`) and `queryOptions(args)`; the query's `signal` reaches
//!   `fetch`, so `cancelQueries` aborts the request.
//! - Other operations are mutations: `mutationKey()` and `mutationOptions()`.
//! - Streaming operations (whatever their method) are streamed queries: the data is the array
//!   of items received so far, written to the cache as each item arrives (the
//!   `streamedQuery` idea, built on `setQueryData`, which 5.60 has); cancelling the query
//!   aborts the stream, which ends the server's generator.

use super::shape::{Shape, names_schema};

pub(super) fn options_file(header: &str, class: &str, shapes: &[Shape<'_>]) -> String {
    let streams = shapes.iter().any(Shape::streams);
    let queries = shapes.iter().any(|s| s.streams() || is_query(s));
    let mutations = shapes.iter().any(|s| !s.streams() && !is_query(s));
    let mut body = String::new();
    let client_param = if streams { "client: {class}, queryClient: QueryClient" } else { "client: {class}" };
    body.push_str(&format!(
        "/** TanStack Query options for every operation of `{class}`. */\nexport const create{class}Options = ({}) => ({{\n",
        client_param.replace("{class}", class)
    ));
    let mut imports: Vec<String> = vec![class.to_owned()];
    for shape in shapes {
        let key = format!("['{class}', '{}'", shape.method);
        let (param, arg) = match shape.args() {
            None => (String::new(), ""),
            Some(false) => (format!("args: {}Request", shape.stem), "args, "),
            Some(true) => (format!("args: {}Request = {{}}", shape.stem), "args, "),
        };
        if shape.args().is_some() {
            imports.push(format!("{}Request", shape.stem));
        }
        let full_key = if shape.args().is_some() {
            format!("{key}, args] as const")
        } else {
            format!("{key}] as const")
        };
        body.push_str(&format!("  {}: {{\n", shape.method));
        if shape.streams() {
            let item = shape.success.clone();
            body.push_str(&format!("    queryKey: ({param}) => {full_key},\n"));
            body.push_str(&format!(
                "    queryOptions: ({param}) =>\n      queryOptions({{\n        queryKey: {full_key},\n        \
                 queryFn: async ({{ signal, queryKey }}) => {{\n          const items: {item}[] = [];\n          \
                 for await (const item of client.{}({arg}{{ signal }})) {{\n            items.push(item);\n            \
                 queryClient.setQueryData(queryKey, [...items]);\n          }}\n          return items;\n        }},\n      }}),\n",
                shape.method
            ));
        } else if is_query(shape) {
            body.push_str(&format!("    queryKey: ({param}) => {full_key},\n"));
            body.push_str(&format!(
                "    queryOptions: ({param}) =>\n      queryOptions({{\n        queryKey: {full_key},\n        \
                 queryFn: ({{ signal }}) => client.{}({arg}{{ signal }}),\n      }}),\n",
                shape.method
            ));
        } else {
            let variables =
                if shape.args().is_some() { format!("{}Request", shape.stem) } else { "void".to_owned() };
            let (fn_param, fn_arg) = if shape.args().is_some() { ("args", "args") } else { ("", "") };
            body.push_str(&format!("    mutationKey: () => {key}] as const,\n"));
            body.push_str(&format!(
                "    mutationOptions: (): UseMutationOptions<{}, Error, {variables}> => ({{\n      mutationKey: {key}],\n      \
                 mutationFn: ({fn_param}) => client.{}({fn_arg}),\n    }}),\n",
                shape.success, shape.method
            ));
        }
        body.push_str("  },\n");
    }
    body.push_str("});\n");

    let mut out = String::from(header);
    if queries {
        out.push_str("import { queryOptions } from '@tanstack/react-query';\n");
    }
    let mut library_types = Vec::new();
    if streams {
        library_types.push("QueryClient");
    }
    if mutations {
        library_types.push("UseMutationOptions");
    }
    if !library_types.is_empty() {
        out.push_str(&format!(
            "import type {{ {} }} from '@tanstack/react-query';\n",
            library_types.join(", ")
        ));
    }
    if body.contains("SseEvent<") {
        imports.push("SseEvent".to_owned());
    }
    imports.sort();
    imports.dedup();
    out.push_str(&format!("import type {{ {} }} from './client.gen.js';\n", imports.join(", ")));
    let typed = |s: &&Shape<'_>| s.streams() || !is_query(s);
    if shapes.iter().filter(typed).any(|s| names_schema(&s.success)) {
        out.push_str("import type * as T from './types.gen.js';\n");
    }
    out.push('\n');
    out.push_str(&body);
    out
}

fn is_query(shape: &Shape<'_>) -> bool {
    matches!(shape.op.method.as_str(), "GET" | "HEAD")
}
