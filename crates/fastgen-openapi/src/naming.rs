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

/// Whether `name` can be written as a bare TypeScript property name.
pub(crate) fn is_ts_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_' || c == '$')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$')
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
}
