//! The naming rules of spec/cli.md: one API name gives every other name, one website name its
//! own; the npm scope rule.

use std::fmt;

const KEYWORDS: &[&str] = &[
    "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue", "def",
    "del", "elif", "else", "except", "finally", "for", "from", "global", "if", "import", "in", "is",
    "lambda", "nonlocal", "not", "or", "pass", "raise", "return", "try", "while", "with", "yield", "match",
    "case", "type", "_",
];

/// Names a module must not take that are not in the pinned dependency set: the project's
/// own `tests` and `scripts` directories, and what the Lambda Python runtime puts on the path.
/// The import names of every distribution the generated project installs are refused too, from
/// a table derived from a real resolution (`fastgen-generators/versions/python-imports.toml`).
const SHADOWED: &[&str] = &["tests", "scripts", "boto3", "botocore", "s3transfer", "awslambdaric"];

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
    #[error("the {0} name `{1}` is empty or has no letter or digit")]
    NoWords(Subject, String),
    #[error("the {0} name `{1}` contains `{2}`, which is not an ASCII character")]
    NonAscii(Subject, String, char),
    #[error("the API name `{name}` gives the class name `{class}`, which starts with a digit")]
    LeadingDigit { name: String, class: String },
    #[error("the module name `{0}` is not a Python identifier")]
    NotIdentifier(String),
    #[error("the module name `{0}` is a Python keyword")]
    Keyword(String),
    #[error("the module name `{0}` would shadow the `{0}` module the service imports")]
    Shadows(String),
    #[error(
        "the module name `{module}` would shadow {}, which the generated project installs",
        installed(import, distribution)
    )]
    ShadowsDependency { module: String, import: String, distribution: String },
    #[error("the {what} `{value}` is {length} characters long; the limit is {MAX_NAME_LENGTH}")]
    TooLong { what: &'static str, value: String, length: usize },
}

/// What a name names, in the errors about it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Subject {
    Api,
    Website,
}

impl Subject {
    /// A name that follows the rules, for hints.
    fn example(self) -> &'static str {
        match self {
            Self::Api => "my-api",
            Self::Website => "my-website",
        }
    }
}

impl fmt::Display for Subject {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Api => "API",
            Self::Website => "website",
        })
    }
}

/// "the `yaml` module of `pyyaml`", or "`uvloop`" when the import is the distribution's name.
fn installed(import: &str, distribution: &str) -> String {
    if import.replace('_', "-") == distribution {
        format!("`{import}`")
    } else {
        format!("the `{import}` module of `{distribution}`")
    }
}

/// The longest module or class name fastgen accepts: generated lines stay within the
/// formatter's width, and names derived for AWS resources stay within their limits.
pub const MAX_NAME_LENGTH: usize = 60;

impl NameError {
    /// The fix to print under the error.
    pub fn hint(&self) -> String {
        match self {
            Self::NoWords(subject, _) => {
                format!("pass a name made of letters and digits, e.g. `{}`", subject.example())
            }
            Self::NonAscii(..) => "use ASCII letters, digits and separators (`-`, `_`, space)".to_owned(),
            Self::LeadingDigit { name, .. } => {
                format!("start the name with a letter, e.g. `api-{name}`")
            }
            Self::TooLong { what: "class name", .. } => "choose a shorter API name".to_owned(),
            Self::TooLong { what: "website name", .. } => "choose a shorter website name".to_owned(),
            Self::TooLong { .. } => "choose a shorter API name, or pass a shorter `--moduleName`".to_owned(),
            Self::NotIdentifier(_) | Self::Keyword(_) | Self::Shadows(_) | Self::ShadowsDependency { .. } => {
                "pass `--moduleName` with another name: lower-case letters, digits and `_`, not starting with a digit, e.g. `my_api`".to_owned()
            }
        }
    }
}

/// Where a workspace's npm scope was read from: named in the error when it breaks the rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ScopeOrigin {
    /// `fastgen new --scope`.
    Flag,
    /// `fastgen new`'s default: the new directory's name, lower-cased.
    NewDirectory(String),
    /// `scope` in `fastgen.toml`.
    ConfigFile,
    /// The root `package.json` `name` (`@<scope>/…`).
    PackageJson(String),
    /// The workspace directory's name, lower-cased: the last fallback.
    WorkspaceDirectory(String),
}

/// How a scope breaks the rule of [`check_scope`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ScopeProblem {
    Empty,
    Character(char),
    Start(char),
    End(char),
    TooLong(usize),
}

impl fmt::Display for ScopeProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Empty => f.write_str("is empty"),
            Self::Character(' ') => f.write_str("contains a space"),
            Self::Character('`') => f.write_str("contains a backtick"),
            Self::Character(c) if c.is_ascii_uppercase() => write!(f, "contains the upper-case letter `{c}`"),
            Self::Character(c) if c.is_control() => write!(f, "contains the control character {c:?}"),
            Self::Character(c) => write!(f, "contains `{c}`"),
            Self::Start(c) => write!(f, "starts with `{c}`"),
            Self::End(c) => write!(f, "ends with `{c}`"),
            Self::TooLong(length) => {
                write!(f, "is {length} characters long (the limit is {MAX_SCOPE_LENGTH})")
            }
        }
    }
}

/// An npm scope that breaks the rule, with where it came from.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct ScopeError {
    pub scope: String,
    pub origin: ScopeOrigin,
    pub problem: ScopeProblem,
}

impl fmt::Display for ScopeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Self { scope, problem, .. } = self;
        match &self.origin {
            ScopeOrigin::Flag => write!(f, "`{scope}` is not a valid npm scope: it {problem}"),
            ScopeOrigin::NewDirectory(dir) => {
                write!(
                    f,
                    "the npm scope `{scope}` (from the directory name `{dir}`) is not valid: it {problem}"
                )
            }
            ScopeOrigin::ConfigFile => {
                write!(f, "the npm scope `{scope}` in `fastgen.toml` is not valid: it {problem}")
            }
            ScopeOrigin::PackageJson(name) => write!(
                f,
                "the npm scope `{scope}` of the root `package.json` name `{name}` is not valid: it {problem}"
            ),
            ScopeOrigin::WorkspaceDirectory(dir) => write!(
                f,
                "the npm scope `{scope}` (from the workspace directory name `{dir}`) is not valid: it {problem}"
            ),
        }
    }
}

const SCOPE_RULE: &str =
    "lower-case letters, digits, `-`, `.` and `_`, starting and ending with a letter or digit";

impl ScopeError {
    /// The fix to print under the error.
    pub fn hint(&self) -> String {
        match &self.origin {
            ScopeOrigin::Flag | ScopeOrigin::NewDirectory(_) => {
                format!("pass `--scope` with {SCOPE_RULE}, e.g. `--scope acme`")
            }
            ScopeOrigin::ConfigFile => {
                format!("set `scope` in `fastgen.toml` to {SCOPE_RULE}, e.g. `scope = \"acme\"`")
            }
            ScopeOrigin::PackageJson(_) => format!(
                "rename the root package in `package.json` to `@<scope>/source` with a scope of {SCOPE_RULE}, or set `scope = \"acme\"` in `fastgen.toml`, which takes precedence"
            ),
            ScopeOrigin::WorkspaceDirectory(_) => format!(
                "set `scope = \"acme\"` in `fastgen.toml` ({SCOPE_RULE}), or name the root package in `package.json` `@acme/source`"
            ),
        }
    }
}

/// The longest npm scope fastgen accepts (npm's limit for a whole package name).
pub const MAX_SCOPE_LENGTH: usize = 214;

/// The npm scope rule, for `--scope` and for every scope read from a workspace: lower-case
/// ASCII letters, digits, `-`, `.` and `_`, starting and ending with a letter or digit. It is
/// npm's rule narrowed so that `<scope>.<snake name>` is also a valid Python distribution
/// name (PEP 508), and every derived name is a plain word in a shell command.
pub fn check_scope(scope: &str) -> Result<(), ScopeProblem> {
    let alphanumeric = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit();
    if scope.is_empty() {
        return Err(ScopeProblem::Empty);
    }
    if let Some(c) = scope.chars().find(|&c| !alphanumeric(c) && !matches!(c, '-' | '.' | '_')) {
        return Err(ScopeProblem::Character(c));
    }
    if let Some(c) = scope.chars().next().filter(|&c| !alphanumeric(c)) {
        return Err(ScopeProblem::Start(c));
    }
    if let Some(c) = scope.chars().last().filter(|&c| !alphanumeric(c)) {
        return Err(ScopeProblem::End(c));
    }
    if scope.len() > MAX_SCOPE_LENGTH {
        return Err(ScopeProblem::TooLong(scope.len()));
    }
    Ok(())
}

/// The default scope for a workspace directory named `name` (`fastgen new`'s default and the
/// last fallback of an existing workspace): the name, lower-cased.
pub fn scope_from_directory_name(name: &str) -> String {
    name.to_ascii_lowercase()
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
        let parts = checked_words(raw, Subject::Api)?;
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

/// The words of `raw` (see [`words`]), refused when it has a character that is not ASCII or
/// no word at all: every derived name must be a plain ASCII word.
fn checked_words(raw: &str, subject: Subject) -> Result<Vec<String>, NameError> {
    if let Some(ch) = raw.chars().find(|c| !c.is_ascii()) {
        return Err(NameError::NonAscii(subject, raw.to_owned(), ch));
    }
    let parts = words(raw);
    if parts.is_empty() {
        return Err(NameError::NoWords(subject, raw.to_owned()));
    }
    Ok(parts)
}

/// The names of a website project, from one name by the rules of [`Names`]: `My Site` gives
/// the kebab name `my-site` (its directory, Nx project and npm package name) and the title
/// `My Site` (every word capitalised; letters, digits and spaces only, so it is safe in HTML
/// and TypeScript as it is).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebsiteNames {
    /// The name as the user typed it.
    pub raw: String,
    pub kebab: String,
    pub title: String,
}

impl WebsiteNames {
    pub fn new(raw: &str) -> Result<Self, NameError> {
        let parts = checked_words(raw, Subject::Website)?;
        let kebab = parts.iter().map(|w| w.to_ascii_lowercase()).collect::<Vec<_>>().join("-");
        if kebab.len() > MAX_NAME_LENGTH {
            return Err(NameError::TooLong {
                what: "website name",
                value: kebab.clone(),
                length: kebab.len(),
            });
        }
        let title = parts
            .iter()
            .map(|w| {
                let mut chars = w.chars();
                chars.next().map(|c| c.to_ascii_uppercase().to_string() + chars.as_str()).unwrap_or_default()
            })
            .collect::<Vec<_>>()
            .join(" ");
        Ok(Self { raw: raw.to_owned(), kebab, title })
    }
}

fn check_module(module: &str) -> Result<(), NameError> {
    if !is_python_identifier(module) {
        return Err(NameError::NotIdentifier(module.to_owned()));
    }
    if KEYWORDS.contains(&module) {
        return Err(NameError::Keyword(module.to_owned()));
    }
    // Case-insensitive: on macOS and Windows `Json/` and `json/` are the same directory.
    if SHADOWED.iter().chain(STDLIB).any(|name| name.eq_ignore_ascii_case(module)) {
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
    fn scopes() {
        for good in ["acme", "my-org", "a.b_c", "x", "0day"] {
            assert_eq!(check_scope(good), Ok(()), "{good}");
        }
        for (bad, problem) in [
            ("", ScopeProblem::Empty),
            ("my repo", ScopeProblem::Character(' ')),
            ("Acme", ScopeProblem::Character('A')),
            ("x'y", ScopeProblem::Character('\'')),
            ("$(id)", ScopeProblem::Character('$')),
            ("a~b", ScopeProblem::Character('~')),
            ("-acme", ScopeProblem::Start('-')),
            (".acme", ScopeProblem::Start('.')),
            ("acme_", ScopeProblem::End('_')),
        ] {
            assert_eq!(check_scope(bad), Err(problem), "{bad:?}");
        }
        assert_eq!(check_scope(&"a".repeat(215)), Err(ScopeProblem::TooLong(215)));
        let err = ScopeError {
            scope: "x'y".into(),
            origin: ScopeOrigin::PackageJson("@x'y/source".into()),
            problem: ScopeProblem::Character('\''),
        };
        assert_eq!(
            err.to_string(),
            "the npm scope `x'y` of the root `package.json` name `@x'y/source` is not valid: it contains `'`"
        );
        assert_eq!(scope_from_directory_name("My Repo"), "my repo");
    }

    #[test]
    fn refusals() {
        assert_eq!(Names::new("--", "acme", None), Err(NameError::NoWords(Subject::Api, "--".into())));
        assert!(matches!(Names::new("2fast", "acme", None), Err(NameError::LeadingDigit { .. })));
        assert!(matches!(Names::new("café", "acme", None), Err(NameError::NonAscii(..))));
        assert_eq!(Names::new("api", "acme", Some("json")), Err(NameError::Shadows("json".into())));
        assert_eq!(Names::new("api", "acme", Some("class")), Err(NameError::Keyword("class".into())));
        assert_eq!(Names::new("api", "acme", Some("my-api")), Err(NameError::NotIdentifier("my-api".into())));
        assert_eq!(Names::new("api", "acme", Some("Json")), Err(NameError::Shadows("Json".into())));
        assert_eq!(Names::new("api", "acme", Some("tests")), Err(NameError::Shadows("tests".into())));
        let long = "a".repeat(55);
        assert!(Names::new(&long, "acme", None).is_ok(), "acme_ + 55 characters is at the limit");
        assert!(matches!(
            Names::new(&format!("{long}a"), "acme", None),
            Err(NameError::TooLong { what: "module name", length: 61, .. })
        ));
    }

    #[test]
    fn website_names() {
        let names = WebsiteNames::new("My Site_v2");
        assert_eq!(
            names,
            Ok(WebsiteNames {
                raw: "My Site_v2".into(),
                kebab: "my-site-v2".into(),
                title: "My Site V2".into()
            })
        );
        assert_eq!(WebsiteNames::new("2fast").map(|n| n.kebab), Ok("2fast".into()));
        let err = WebsiteNames::new("--");
        assert_eq!(err, Err(NameError::NoWords(Subject::Website, "--".into())));
        assert_eq!(
            err.map_err(|e| (e.to_string(), e.hint())),
            Err((
                "the website name `--` is empty or has no letter or digit".to_owned(),
                "pass a name made of letters and digits, e.g. `my-website`".to_owned()
            ))
        );
        assert_eq!(WebsiteNames::new("café"), Err(NameError::NonAscii(Subject::Website, "café".into(), 'é')));
        assert!(WebsiteNames::new(&"a".repeat(60)).is_ok());
        assert!(matches!(
            WebsiteNames::new(&"a".repeat(61)),
            Err(NameError::TooLong { what: "website name", length: 61, .. })
        ));
    }
}
