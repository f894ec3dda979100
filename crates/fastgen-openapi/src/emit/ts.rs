//! TypeScript spelling: string literals, property keys, identifiers and comments. Every name
//! that reaches a generated `.ts` file goes through one of these.

/// A single-quoted TypeScript string literal.
pub(crate) fn string(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('\'');
    for ch in value.chars() {
        match ch {
            '\\' => out.push_str("\\\\"),
            '\'' => out.push_str("\\'"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c if c.is_control() => out.push_str(&format!("\\u{{{:x}}}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('\'');
    out
}

/// Whether `name` can be written as a bare TypeScript identifier or property name.
pub(crate) fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_' || c == '$')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$')
}

/// A property key: bare when it is an identifier, quoted otherwise.
pub(crate) fn key(name: &str) -> String {
    if is_identifier(name) { name.to_owned() } else { string(name) }
}

/// Text that goes inside a `//` comment: one line, no control characters, and nothing that
/// could end a block comment.
pub(crate) fn comment(text: &str) -> String {
    text.chars().map(|c| if c.is_control() { ' ' } else { c }).collect::<String>().replace("*/", "*\\/")
}

/// `PascalCase` of any name: words split at characters that are not ASCII letters or digits,
/// each word's first letter upper-cased, the rest kept. A result starting with a digit gets a
/// leading `_`; an empty one is `_`.
pub(crate) fn pascal(name: &str) -> String {
    let mut out = String::new();
    for word in name.split(|c: char| !c.is_ascii_alphanumeric()).filter(|w| !w.is_empty()) {
        let mut chars = word.chars();
        if let Some(first) = chars.next() {
            out.push(first.to_ascii_uppercase());
            out.push_str(chars.as_str());
        }
    }
    if out.is_empty() || out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert(0, '_');
    }
    out
}

/// Words TypeScript reserves, which cannot name a function or a value.
pub(crate) const RESERVED: &[&str] = &[
    "break",
    "case",
    "catch",
    "class",
    "const",
    "continue",
    "debugger",
    "default",
    "delete",
    "do",
    "else",
    "enum",
    "export",
    "extends",
    "false",
    "finally",
    "for",
    "function",
    "if",
    "import",
    "in",
    "instanceof",
    "new",
    "null",
    "return",
    "super",
    "switch",
    "this",
    "throw",
    "true",
    "try",
    "typeof",
    "var",
    "void",
    "while",
    "with",
    "as",
    "implements",
    "interface",
    "let",
    "package",
    "private",
    "protected",
    "public",
    "static",
    "yield",
    "await",
    "arguments",
    "eval",
    "constructor",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spellings() {
        assert_eq!(string("it's\n\u{0}"), "'it\\'s\\n\\u{0}'");
        assert_eq!(key("accept-language"), "'accept-language'");
        assert_eq!(key("item_id"), "item_id");
        assert_eq!(pascal("Recipe-Input"), "RecipeInput");
        assert_eq!(pascal("docs_src__body__Item"), "DocsSrcBodyItem");
        assert_eq!(pascal("2fa"), "_2fa");
        assert_eq!(pascal("系统"), "_");
        assert_eq!(comment("a\nb */ c"), "a b *\\/ c");
    }
}
