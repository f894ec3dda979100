//! The naming rules of spec/cli.md: one API name gives every other name.

const KEYWORDS: &[&str] = &[
    "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue", "def",
    "del", "elif", "else", "except", "finally", "for", "from", "global", "if", "import", "in", "is",
    "lambda", "nonlocal", "not", "or", "pass", "raise", "return", "try", "while", "with", "yield", "match",
    "case", "type", "_",
];

/// Modules the generated service imports (or its tooling needs) that a module of the same
/// name would shadow.
const SHADOWED: &[&str] = &[
    "fastapi",
    "pydantic",
    "pydantic_core",
    "starlette",
    "uvicorn",
    "aws_lambda_powertools",
    "aws_xray_sdk",
    "boto3",
    "botocore",
    "httpx",
    "anyio",
    "pytest",
    "typing_extensions",
    "jmespath",
    "wrapt",
    "tests",
    "scripts",
    "test",
];

/// Python's standard-library top-level modules (3.11 to 3.14).
const STDLIB: &[&str] = &[
    "abc",
    "aifc",
    "annotationlib",
    "antigravity",
    "argparse",
    "array",
    "ast",
    "asynchat",
    "asyncio",
    "asyncore",
    "atexit",
    "audioop",
    "base64",
    "bdb",
    "binascii",
    "bisect",
    "builtins",
    "bz2",
    "cProfile",
    "calendar",
    "cgi",
    "cgitb",
    "chunk",
    "cmath",
    "cmd",
    "code",
    "codecs",
    "codeop",
    "collections",
    "colorsys",
    "compileall",
    "compression",
    "concurrent",
    "configparser",
    "contextlib",
    "contextvars",
    "copy",
    "copyreg",
    "crypt",
    "csv",
    "ctypes",
    "curses",
    "dataclasses",
    "datetime",
    "dbm",
    "decimal",
    "difflib",
    "dis",
    "distutils",
    "doctest",
    "email",
    "encodings",
    "ensurepip",
    "enum",
    "errno",
    "faulthandler",
    "fcntl",
    "filecmp",
    "fileinput",
    "fnmatch",
    "fractions",
    "ftplib",
    "functools",
    "gc",
    "genericpath",
    "getopt",
    "getpass",
    "gettext",
    "glob",
    "graphlib",
    "grp",
    "gzip",
    "hashlib",
    "heapq",
    "hmac",
    "html",
    "http",
    "idlelib",
    "imaplib",
    "imghdr",
    "imp",
    "importlib",
    "inspect",
    "io",
    "ipaddress",
    "itertools",
    "json",
    "keyword",
    "lib2to3",
    "linecache",
    "locale",
    "logging",
    "lzma",
    "mailbox",
    "mailcap",
    "marshal",
    "math",
    "mimetypes",
    "mmap",
    "modulefinder",
    "msilib",
    "msvcrt",
    "multiprocessing",
    "netrc",
    "nis",
    "nntplib",
    "nt",
    "ntpath",
    "nturl2path",
    "numbers",
    "opcode",
    "operator",
    "optparse",
    "os",
    "ossaudiodev",
    "pathlib",
    "pdb",
    "pickle",
    "pickletools",
    "pipes",
    "pkgutil",
    "platform",
    "plistlib",
    "poplib",
    "posix",
    "posixpath",
    "pprint",
    "profile",
    "pstats",
    "pty",
    "pwd",
    "py_compile",
    "pyclbr",
    "pydoc",
    "pydoc_data",
    "pyexpat",
    "queue",
    "quopri",
    "random",
    "re",
    "readline",
    "reprlib",
    "resource",
    "rlcompleter",
    "runpy",
    "sched",
    "secrets",
    "select",
    "selectors",
    "shelve",
    "shlex",
    "shutil",
    "signal",
    "site",
    "smtpd",
    "smtplib",
    "sndhdr",
    "socket",
    "socketserver",
    "spwd",
    "sqlite3",
    "sre_compile",
    "sre_constants",
    "sre_parse",
    "ssl",
    "stat",
    "statistics",
    "string",
    "stringprep",
    "struct",
    "subprocess",
    "sunau",
    "symtable",
    "sys",
    "sysconfig",
    "syslog",
    "tabnanny",
    "tarfile",
    "telnetlib",
    "tempfile",
    "termios",
    "textwrap",
    "this",
    "threading",
    "time",
    "timeit",
    "tkinter",
    "token",
    "tokenize",
    "tomllib",
    "trace",
    "traceback",
    "tracemalloc",
    "tty",
    "turtle",
    "turtledemo",
    "types",
    "typing",
    "unicodedata",
    "unittest",
    "urllib",
    "uu",
    "uuid",
    "venv",
    "warnings",
    "wave",
    "weakref",
    "webbrowser",
    "winreg",
    "winsound",
    "wsgiref",
    "xdrlib",
    "xml",
    "xmlrpc",
    "zipapp",
    "zipfile",
    "zipimport",
    "zlib",
    "zoneinfo",
];

/// A name fastgen refuses, with the rule it breaks and how to fix it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NameError {
    #[error("the API name `{0}` is empty or has no letter or digit")]
    NoWords(String),
    #[error("the API name `{0}` contains `{1}`, which is not an ASCII character")]
    NonAscii(String, char),
    #[error("the API name `{name}` gives the class name `{class}`, which starts with a digit")]
    LeadingDigit { name: String, class: String },
    #[error("the module name `{0}` is not a Python identifier")]
    NotIdentifier(String),
    #[error("the module name `{0}` is a Python keyword")]
    Keyword(String),
    #[error("the module name `{0}` would shadow the `{0}` module the service imports")]
    Shadows(String),
    #[error("the {what} `{value}` is {length} characters long; the limit is {MAX_NAME_LENGTH}")]
    TooLong { what: &'static str, value: String, length: usize },
}

/// The longest module or class name fastgen accepts: generated lines stay within the
/// formatter's width, and names derived for AWS resources stay within their limits.
pub const MAX_NAME_LENGTH: usize = 60;

impl NameError {
    /// The fix to print under the error.
    pub fn hint(&self) -> String {
        match self {
            Self::NoWords(_) => "pass a name made of letters and digits, e.g. `my-api`".to_owned(),
            Self::NonAscii(..) => "use ASCII letters, digits and separators (`-`, `_`, space)".to_owned(),
            Self::LeadingDigit { name, .. } => {
                format!("start the name with a letter, e.g. `api-{name}`")
            }
            Self::TooLong { what: "class name", .. } => "choose a shorter API name".to_owned(),
            Self::TooLong { .. } => "choose a shorter API name, or pass a shorter `--moduleName`".to_owned(),
            Self::NotIdentifier(_) | Self::Keyword(_) | Self::Shadows(_) => {
                "pass `--moduleName` with another name: lower-case letters, digits and `_`, not starting with a digit, e.g. `my_api`".to_owned()
            }
        }
    }
}

/// Split a name into words at non-alphanumerics and lower→upper humps.
pub fn words(name: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut current = String::new();
    let mut previous_lower = false;
    for ch in name.chars() {
        if !ch.is_ascii_alphanumeric() {
            if !current.is_empty() {
                words.push(std::mem::take(&mut current));
            }
            previous_lower = false;
            continue;
        }
        if ch.is_ascii_uppercase() && previous_lower && !current.is_empty() {
            words.push(std::mem::take(&mut current));
        }
        previous_lower = ch.is_ascii_lowercase() || ch.is_ascii_digit();
        current.push(ch);
    }
    if !current.is_empty() {
        words.push(current);
    }
    words
}

fn snake(words: &[String]) -> String {
    words.iter().map(|w| w.to_ascii_lowercase()).collect::<Vec<_>>().join("_")
}

/// Whether `name` is an ASCII Python identifier.
pub fn is_python_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// Every name derived from one API name (spec/cli.md "Naming rules").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Names {
    /// The name as the user typed it.
    pub raw: String,
    pub snake: String,
    pub kebab: String,
    pub class: String,
    /// `<scope>.<snake>`.
    pub project: String,
    /// PEP 503 normalisation of `project`.
    pub distribution: String,
    pub module: String,
}

impl Names {
    /// Derive and check every name. `scope` is the workspace's npm scope without `@`.
    pub fn new(raw: &str, scope: &str, module_override: Option<&str>) -> Result<Self, NameError> {
        if let Some(ch) = raw.chars().find(|c| !c.is_ascii()) {
            return Err(NameError::NonAscii(raw.to_owned(), ch));
        }
        let parts = words(raw);
        if parts.is_empty() {
            return Err(NameError::NoWords(raw.to_owned()));
        }
        let class: String = parts
            .iter()
            .map(|w| {
                let mut chars = w.chars();
                chars.next().map(|c| c.to_ascii_uppercase().to_string() + chars.as_str()).unwrap_or_default()
            })
            .collect();
        if class.starts_with(|c: char| c.is_ascii_digit()) {
            return Err(NameError::LeadingDigit { name: raw.to_owned(), class });
        }
        let snake_name = snake(&parts);
        let kebab = parts.iter().map(|w| w.to_ascii_lowercase()).collect::<Vec<_>>().join("-");
        let scope_snake = snake(&words(scope));
        let project =
            if scope_snake.is_empty() { snake_name.clone() } else { format!("{scope}.{snake_name}") };
        let distribution = pep503(&project);
        let module = match module_override {
            Some(module) => module.to_owned(),
            None if scope_snake.is_empty() => snake_name.clone(),
            None => format!("{scope_snake}_{snake_name}"),
        };
        check_module(&module)?;
        for (what, value) in [("module name", &module), ("class name", &class)] {
            if value.len() > MAX_NAME_LENGTH {
                return Err(NameError::TooLong { what, value: value.clone(), length: value.len() });
            }
        }
        Ok(Self { raw: raw.to_owned(), snake: snake_name, kebab, class, project, distribution, module })
    }
}

fn check_module(module: &str) -> Result<(), NameError> {
    if !is_python_identifier(module) {
        return Err(NameError::NotIdentifier(module.to_owned()));
    }
    if KEYWORDS.contains(&module) {
        return Err(NameError::Keyword(module.to_owned()));
    }
    if SHADOWED.contains(&module) || STDLIB.contains(&module) {
        return Err(NameError::Shadows(module.to_owned()));
    }
    Ok(())
}

/// PEP 503: lower-case, runs of `-`, `_` and `.` become one `-`.
fn pep503(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut in_run = false;
    for ch in name.chars() {
        if matches!(ch, '-' | '_' | '.') {
            if !in_run {
                out.push('-');
            }
            in_run = true;
        } else {
            out.push(ch.to_ascii_lowercase());
            in_run = false;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_spec_example() {
        let names = Names::new("My-API", "acme", None);
        assert_eq!(
            names,
            Ok(Names {
                raw: "My-API".into(),
                snake: "my_api".into(),
                kebab: "my-api".into(),
                class: "MyAPI".into(),
                project: "acme.my_api".into(),
                distribution: "acme-my-api".into(),
                module: "acme_my_api".into(),
            })
        );
    }

    #[test]
    fn humps_and_separators() {
        assert_eq!(words("myApi"), ["my", "Api"]);
        assert_eq!(words("  order service_v2 "), ["order", "service", "v2"]);
        assert_eq!(words("HTTPServer"), ["HTTPServer"]);
        assert_eq!(words("v2Api"), ["v2", "Api"]);
        let names = Names::new("myApi", "my-org", None);
        assert_eq!(names.as_ref().map(|n| n.class.as_str()), Ok("MyApi"));
        assert_eq!(names.as_ref().map(|n| n.module.as_str()), Ok("my_org_my_api"));
        assert_eq!(names.as_ref().map(|n| n.distribution.as_str()), Ok("my-org-my-api"));
    }

    #[test]
    fn refusals() {
        assert_eq!(Names::new("--", "acme", None), Err(NameError::NoWords("--".into())));
        assert!(matches!(Names::new("2fast", "acme", None), Err(NameError::LeadingDigit { .. })));
        assert!(matches!(Names::new("café", "acme", None), Err(NameError::NonAscii(..))));
        assert_eq!(Names::new("api", "acme", Some("json")), Err(NameError::Shadows("json".into())));
        assert_eq!(Names::new("api", "acme", Some("class")), Err(NameError::Keyword("class".into())));
        assert_eq!(Names::new("api", "acme", Some("my-api")), Err(NameError::NotIdentifier("my-api".into())));
        assert_eq!(Names::new("api", "acme", Some("fastapi")), Err(NameError::Shadows("fastapi".into())));
        let long = "a".repeat(55);
        assert!(Names::new(&long, "acme", None).is_ok(), "acme_ + 55 characters is at the limit");
        assert!(matches!(
            Names::new(&format!("{long}a"), "acme", None),
            Err(NameError::TooLong { what: "module name", length: 61, .. })
        ));
    }
}
