use std::fmt;

use toml_edit::DocumentMut;

use crate::error::WorkspaceError;
use crate::pyproject::toml_error;

/// The infrastructure-as-code provider of a workspace.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IacProvider {
    Cdk,
    Terraform,
}

impl IacProvider {
    /// Parse `CDK` / `Terraform`, case-insensitively.
    pub fn parse(value: &str) -> Option<Self> {
        match value.to_ascii_lowercase().as_str() {
            "cdk" => Some(Self::Cdk),
            "terraform" => Some(Self::Terraform),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Cdk => "CDK",
            Self::Terraform => "Terraform",
        }
    }
}

impl fmt::Display for IacProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The workspace's recorded choices (`fastgen.toml`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WorkspaceConfig {
    pub iac_provider: Option<IacProvider>,
    pub scope: Option<String>,
}

pub(crate) const CONFIG_FILE: &str = "fastgen.toml";
pub(crate) const NX_PLUGIN_CONFIG: &str = "aws-nx-plugin.config.mts";

impl WorkspaceConfig {
    /// Parse `fastgen.toml`.
    pub fn parse(text: &str) -> Result<Self, WorkspaceError> {
        let doc: DocumentMut = text.parse().map_err(|err| toml_error(CONFIG_FILE, text, &err))?;
        let iac_provider = match doc.get("iac-provider") {
            None => None,
            Some(item) => {
                let value = item.as_str().unwrap_or_default();
                Some(IacProvider::parse(value).ok_or_else(|| WorkspaceError::Invalid {
                    path: CONFIG_FILE.to_owned(),
                    message: format!("`iac-provider` is `{value}`; it must be \"CDK\" or \"Terraform\""),
                })?)
            }
        };
        let scope = match doc.get("scope") {
            None => None,
            Some(item) => Some(item.as_str().map(str::to_owned).ok_or_else(|| WorkspaceError::Invalid {
                path: CONFIG_FILE.to_owned(),
                message: "`scope` must be a string, e.g. `scope = \"acme\"`".to_owned(),
            })?),
        };
        Ok(Self { iac_provider, scope })
    }

    /// Render a fresh `fastgen.toml`.
    pub fn render(&self) -> String {
        let mut out = String::from(
            "# fastgen workspace settings. `fastgen generate … --iacProvider Inherit` reads them.\n",
        );
        if let Some(provider) = self.iac_provider {
            out.push_str(&format!("iac-provider = \"{provider}\"\n"));
        }
        if let Some(scope) = &self.scope {
            out.push_str(&format!("scope = \"{scope}\"\n"));
        }
        out
    }
}

/// Read `iac.provider` from the reference plugin's `aws-nx-plugin.config.mts`
/// (`export default { iac: { provider: 'CDK' } } …`).
pub fn provider_from_nx_plugin_config(text: &str) -> Option<IacProvider> {
    let iac = text.find("iac")?;
    let rest = &text[iac..];
    let provider = rest.find("provider")?;
    let after = rest[provider + "provider".len()..].trim_start();
    let after = after.strip_prefix(':')?.trim_start();
    let quote = after.chars().next().filter(|c| matches!(c, '\'' | '"' | '`'))?;
    let value = &after[1..];
    let end = value.find(quote)?;
    IacProvider::parse(&value[..end])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_fastgen_toml() {
        let config = WorkspaceConfig::parse("iac-provider = \"Terraform\"\nscope = \"acme\"\n");
        assert_eq!(
            config.ok(),
            Some(WorkspaceConfig { iac_provider: Some(IacProvider::Terraform), scope: Some("acme".into()) })
        );
        let err = WorkspaceConfig::parse("iac-provider = \"Pulumi\"\n").err().map(|e| e.to_string());
        assert_eq!(
            err.as_deref(),
            Some("`fastgen.toml`: `iac-provider` is `Pulumi`; it must be \"CDK\" or \"Terraform\"")
        );
        let err = WorkspaceConfig::parse("scope = 5\n").err().map(|e| e.to_string());
        assert_eq!(err.as_deref(), Some("`fastgen.toml`: `scope` must be a string, e.g. `scope = \"acme\"`"));
    }

    #[test]
    fn issue_7_a_bom_and_crlf_do_not_break_the_config_files() {
        let config =
            WorkspaceConfig::parse("\u{feff}# settings\r\niac-provider = \"CDK\"\r\nscope = \"acme\"\r\n");
        assert_eq!(
            config.ok(),
            Some(WorkspaceConfig { iac_provider: Some(IacProvider::Cdk), scope: Some("acme".into()) })
        );
        let text = "\u{feff}export default {\r\n  iac: {\r\n    provider: 'Terraform',\r\n  },\r\n};\r\n";
        assert_eq!(provider_from_nx_plugin_config(text), Some(IacProvider::Terraform));
    }

    #[test]
    fn reads_the_reference_plugin_config() {
        let text =
            "export default {\n  iac: {\n    provider: 'Terraform',\n  },\n} satisfies AwsNxPluginConfig;\n";
        assert_eq!(provider_from_nx_plugin_config(text), Some(IacProvider::Terraform));
        assert_eq!(
            provider_from_nx_plugin_config("export default { iac: { provider: \"CDK\" } };"),
            Some(IacProvider::Cdk)
        );
        assert_eq!(provider_from_nx_plugin_config("export default {};"), None);
    }
}
