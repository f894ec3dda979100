//! One API as every layer sees it, with no string keys:
//!
//! - [`ApiMetadata`]: the `metadata` object of the API's `project.json`, one serde struct.
//!   The Python generator writes it; re-runs, `fastgen update` and the CDK app read it back.
//! - [`ApiModel`]: every name and value the generators need, typed and provider-neutral. Its
//!   `Serialize` is the template context (so a template can only use what is here), and the
//!   infrastructure generators take `&ApiModel`, never the Python settings.

use fastgen_workspace::{IacProvider, Names, ProjectInfo};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::options::{Architecture, Auth, ComputeType, IntegrationPattern};

/// `metadata.generator` of a fast-api project.
pub const API_GENERATOR: &str = "py#fast-api";
/// `metadata.apiType` of a fast-api project.
pub const API_TYPE: &str = "fast-api";
/// The Lambda Python runtime version the bundle targets.
pub const LAMBDA_PYTHON: &str = "3.13";

/// The `metadata` of an API's `project.json`. Fields an older fastgen did not record read as
/// the option's default.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ApiMetadata {
    pub generator: String,
    pub api_name: String,
    #[serde(default = "api_type")]
    pub api_type: String,
    #[serde(default)]
    pub compute_type: ComputeType,
    #[serde(default)]
    pub integration_pattern: IntegrationPattern,
    #[serde(default)]
    pub auth: Auth,
    #[serde(default, with = "provider", skip_serializing_if = "Option::is_none")]
    pub iac_provider: Option<IacProvider>,
    #[serde(default)]
    pub architecture: Architecture,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub module_name: Option<String>,
    #[serde(default)]
    pub ports: Vec<u16>,
}

fn api_type() -> String {
    API_TYPE.to_owned()
}

impl ApiMetadata {
    /// The metadata of `project` when it is a fast-api project fastgen can read.
    pub fn of(project: &ProjectInfo) -> Option<Self> {
        if project.metadata.get("generator").and_then(Value::as_str) != Some(API_GENERATOR) {
            return None;
        }
        serde_json::from_value(project.metadata.clone()).ok()
    }

    /// As the JSON object `project.json` holds.
    pub fn to_value(&self) -> Value {
        serde_json::to_value(self).unwrap_or(Value::Null)
    }
}

/// `IacProvider` as metadata spells it (`CDK`, `Terraform`).
mod provider {
    use fastgen_workspace::IacProvider;
    use serde::{Deserialize, Deserializer, Serializer};

    #[allow(clippy::ref_option)]
    pub fn serialize<S: Serializer>(value: &Option<IacProvider>, serializer: S) -> Result<S::Ok, S::Error> {
        match value {
            Some(provider) => serializer.serialize_str(provider.as_str()),
            None => serializer.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<IacProvider>, D::Error> {
        Ok(match Option::<String>::deserialize(deserializer)?.as_deref() {
            Some("CDK") => Some(IacProvider::Cdk),
            Some("Terraform") => Some(IacProvider::Terraform),
            _ => None,
        })
    }
}

/// One API, resolved: what the Python, CDK and Terraform generators render from.
#[derive(Debug, Clone, Serialize)]
pub struct ApiModel {
    /// The workspace's npm scope, without `@`.
    pub scope: String,
    /// The Python module (`demo_my_api`).
    pub module: String,
    /// The construct / class name (`MyApi`).
    pub class_name: String,
    pub snake_name: String,
    pub kebab_name: String,
    /// The name as given (`my-api`).
    pub api_name: String,
    /// The Nx project name.
    pub project_name: String,
    /// The Python distribution name.
    pub dist_name: String,
    pub compute_type: ComputeType,
    pub is_rest: bool,
    pub auth: Auth,
    pub integration_pattern: IntegrationPattern,
    pub architecture: Architecture,
    #[serde(skip)]
    pub iac_provider: IacProvider,
    pub port: u16,
    /// Workspace-relative project directory (`packages/my_api`).
    pub project_dir: String,
    /// `dist/<project dir>`.
    pub dist_dir: String,
    /// `dist/<project dir>/bundle-<arch>`: the Lambda bundle, workspace-relative.
    pub bundle_dir: String,
    pub lambda_python: &'static str,
    /// Every pinned version, for the templates.
    pub versions: Value,
}

impl ApiModel {
    /// The model of the API named by `names` with these values.
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        scope: &str,
        names: &Names,
        compute_type: ComputeType,
        integration_pattern: IntegrationPattern,
        auth: Auth,
        architecture: Architecture,
        iac_provider: IacProvider,
        project_dir: &str,
        port: u16,
    ) -> Self {
        let dist_dir = format!("dist/{project_dir}");
        let bundle_dir = format!("{dist_dir}/bundle-{}", architecture.as_str());
        Self {
            scope: scope.to_owned(),
            module: names.module.clone(),
            class_name: names.class.clone(),
            snake_name: names.snake.clone(),
            kebab_name: names.kebab.clone(),
            api_name: names.raw.clone(),
            project_name: names.project.clone(),
            dist_name: names.distribution.clone(),
            compute_type,
            is_rest: compute_type == ComputeType::RestApi,
            auth,
            integration_pattern,
            architecture,
            iac_provider,
            port,
            project_dir: project_dir.to_owned(),
            dist_dir,
            bundle_dir,
            lambda_python: LAMBDA_PYTHON,
            versions: crate::versions::versions(),
        }
    }

    /// The model of an API already in the workspace, from its recorded metadata (`None` when
    /// its names no longer follow the naming rules, or it has no infrastructure).
    pub fn recorded(project: &ProjectInfo, scope: &str) -> Option<Self> {
        let metadata = ApiMetadata::of(project)?;
        let names = Names::new(&metadata.api_name, scope, project.module.as_deref()).ok()?;
        Some(Self::new(
            scope,
            &names,
            metadata.compute_type,
            metadata.integration_pattern,
            metadata.auth,
            metadata.architecture,
            metadata.iac_provider?,
            &project.dir,
            metadata.ports.first().copied().unwrap_or(8000),
        ))
    }

    /// The metadata the API's `project.json` records.
    pub fn metadata(&self) -> ApiMetadata {
        ApiMetadata {
            generator: API_GENERATOR.to_owned(),
            api_name: self.api_name.clone(),
            api_type: API_TYPE.to_owned(),
            compute_type: self.compute_type,
            integration_pattern: self.integration_pattern,
            auth: self.auth,
            iac_provider: Some(self.iac_provider),
            architecture: self.architecture,
            module_name: Some(self.module.clone()),
            ports: vec![self.port],
        }
    }

    /// The relative path from the project directory up to the workspace root (`../..`).
    pub fn root_from_project(&self) -> String {
        vec![".."; self.project_dir.split('/').count()].join("/")
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn metadata_round_trips_in_project_json_order_and_old_records_read_as_defaults() {
        let names = Names::new("my-api", "demo", None).unwrap();
        let model = ApiModel::new(
            "demo",
            &names,
            ComputeType::HttpApi,
            IntegrationPattern::Shared,
            Auth::Cognito,
            Architecture::Arm64,
            IacProvider::Terraform,
            "packages/my_api",
            8001,
        );
        let value = model.metadata().to_value();
        assert_eq!(
            serde_json::to_string(&value).unwrap(),
            r#"{"generator":"py#fast-api","apiName":"my-api","apiType":"fast-api","computeType":"ServerlessApiGatewayHttpApi","integrationPattern":"shared","auth":"Cognito","iacProvider":"Terraform","architecture":"arm64","moduleName":"demo_my_api","ports":[8001]}"#
        );
        let old: ApiMetadata =
            serde_json::from_value(json!({ "generator": "py#fast-api", "apiName": "x" })).unwrap();
        assert_eq!(
            (old.compute_type, old.auth, old.architecture, old.iac_provider),
            (ComputeType::RestApi, Auth::Iam, Architecture::X86_64, None)
        );
    }

    #[test]
    fn the_template_context_spells_values_as_metadata_does() {
        let names = Names::new("my-api", "demo", None).unwrap();
        let model = ApiModel::new(
            "demo",
            &names,
            ComputeType::RestApi,
            IntegrationPattern::Isolated,
            Auth::Iam,
            Architecture::X86_64,
            IacProvider::Cdk,
            "packages/my_api",
            8000,
        );
        let context = serde_json::to_value(&model).unwrap();
        assert_eq!(context["compute_type"], "ServerlessApiGatewayRestApi");
        assert_eq!(context["auth"], "IAM");
        assert_eq!(context["integration_pattern"], "isolated");
        assert_eq!(context["bundle_dir"], "dist/packages/my_api/bundle-x86_64");
        assert_eq!(context["is_rest"], true);
    }
}
