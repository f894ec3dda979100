//! One website as the infrastructure generators see it: [`StaticWebsiteModel`], typed and
//! provider-neutral, read back from the website's recorded `metadata` (a `ts#react-website`
//! project, see [`crate::website::WebsiteMetadata`]). Its `Serialize` is the template context
//! of the hosting templates (the CDK construct, the Terraform module and example), as
//! [`crate::api::ApiModel`]'s is for an API's.

use fastgen_workspace::{ProjectInfo, WebsiteNames};
use serde::Serialize;
use serde_json::Value;

use crate::connection::CONNECTIONS_KEY;
use crate::website::WebsiteMetadata;

/// One website of the workspace, resolved: every name the hosting templates print.
#[derive(Debug, Clone, Serialize)]
pub struct StaticWebsiteModel {
    /// The workspace's npm scope, without `@`.
    pub scope: String,
    /// The name it was generated with, as typed (`My Site`).
    pub website_name: String,
    /// `my-site`: the file names of its construct and modules.
    pub kebab_name: String,
    /// `My Site`, for comments.
    pub title: String,
    /// The CDK construct class (`MySiteWebsite`; `Site3dWebsite` for `3d`).
    pub class_name: String,
    /// A TypeScript identifier (`mySite`; `site3d` for `3d`): its key in `addWebsites`.
    pub var_name: String,
    /// An HCL identifier (`my_site`; `site_3d` for `3d`): its module name in Terraform.
    pub hcl_name: String,
    /// The Nx project that builds it.
    pub project_name: String,
    /// Workspace-relative project directory (`packages/my-site`).
    pub project_dir: String,
    /// Where its `build` target writes the site, workspace-relative (`dist/packages/my-site`).
    pub dist_dir: String,
    /// The Nx project names of the APIs it is connected to (`metadata.connections`, which
    /// `generate connection` records): the APIs whose URLs its deployment configures and
    /// whose CORS allows its origin.
    pub connections: Vec<String>,
    /// Every pinned version, for the templates.
    pub versions: Value,
}

impl StaticWebsiteModel {
    /// Whether the website is connected to the API whose Nx project is `api_project`.
    pub fn is_connected_to(&self, api_project: &str) -> bool {
        self.connections.iter().any(|c| c == api_project)
    }

    /// The model of the website `project` holds, from its recorded metadata (`None` when it
    /// is not a website fastgen generated, or its name no longer follows the naming rules).
    pub fn recorded(project: &ProjectInfo, scope: &str) -> Option<Self> {
        let metadata = WebsiteMetadata::of(project)?;
        let names = WebsiteNames::new(&metadata.website_name).ok()?;
        let words: Vec<&str> = names.kebab.split('-').filter(|w| !w.is_empty()).collect();
        let digit_first = names.kebab.starts_with(|c: char| c.is_ascii_digit());
        let pascal: String = words.iter().map(|w| capitalise(w)).collect();
        let class_name = class_name(&names.kebab);
        let var_name = if digit_first {
            format!("site{pascal}")
        } else {
            let mut chars = pascal.chars();
            chars.next().map(|c| c.to_ascii_lowercase().to_string() + chars.as_str()).unwrap_or_default()
        };
        let snake = words.join("_");
        let hcl_name = if digit_first { format!("site_{snake}") } else { snake };
        Some(Self {
            scope: scope.to_owned(),
            website_name: names.raw.clone(),
            kebab_name: names.kebab.clone(),
            title: names.title.clone(),
            class_name,
            var_name,
            hcl_name,
            project_name: project.name.clone().unwrap_or_else(|| names.kebab.clone()),
            project_dir: project.dir.clone(),
            dist_dir: format!("dist/{}", project.dir),
            connections: project
                .metadata
                .get(CONNECTIONS_KEY)
                .and_then(Value::as_array)
                .map(|items| items.iter().filter_map(Value::as_str).map(str::to_owned).collect())
                .unwrap_or_default(),
            versions: crate::versions::versions(),
        })
    }
}

/// The construct class of the website whose kebab name is `kebab` (`WebWebsite`; `Site3dWebsite`
/// for `3d`): exported by the constructs package next to every API's class.
pub fn class_name(kebab: &str) -> String {
    let pascal: String = kebab.split('-').filter(|w| !w.is_empty()).map(capitalise).collect();
    if kebab.starts_with(|c: char| c.is_ascii_digit()) {
        format!("Site{pascal}Website")
    } else {
        format!("{pascal}Website")
    }
}

/// Whether a construct class named `class` would clash with the website construct `website`
/// (the class itself, or its `Props` interface, exported from the same package).
pub fn clashes_with(class: &str, website: &str) -> bool {
    class == website || class == format!("{website}Props") || website == format!("{class}Props")
}

fn capitalise(word: &str) -> String {
    let mut chars = word.chars();
    chars.next().map(|c| c.to_ascii_uppercase().to_string() + chars.as_str()).unwrap_or_default()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use serde_json::json;

    use super::*;

    fn website(name: &str, dir: &str) -> ProjectInfo {
        ProjectInfo {
            dir: dir.to_owned(),
            name: Some(WebsiteNames::new(name).unwrap().kebab),
            ports: vec![8001],
            module: None,
            kebab: None,
            metadata: json!({ "generator": "ts#react-website", "websiteName": name, "ports": [8001] }),
        }
    }

    #[test]
    fn names_are_identifiers_in_typescript_and_hcl() {
        let model = StaticWebsiteModel::recorded(&website("My Site", "apps/my-site"), "demo").unwrap();
        assert_eq!(
            (model.class_name.as_str(), model.var_name.as_str(), model.hcl_name.as_str()),
            ("MySiteWebsite", "mySite", "my_site")
        );
        assert_eq!((model.project_name.as_str(), model.dist_dir.as_str()), ("my-site", "dist/apps/my-site"));
        assert!(model.connections.is_empty());
        let digits = StaticWebsiteModel::recorded(&website("3d shop", "packages/3d-shop"), "demo").unwrap();
        assert_eq!(
            (digits.class_name.as_str(), digits.var_name.as_str(), digits.hcl_name.as_str()),
            ("Site3dShopWebsite", "site3dShop", "site_3d_shop")
        );
    }

    #[test]
    fn connections_are_read_from_the_metadata() {
        let mut project = website("web", "packages/web");
        project.metadata["connections"] = json!(["demo.my_api", 7]);
        let model = StaticWebsiteModel::recorded(&project, "demo").unwrap();
        assert_eq!(model.connections, vec!["demo.my_api".to_owned()]);
        assert!(model.is_connected_to("demo.my_api") && !model.is_connected_to("demo.other"));
    }

    #[test]
    fn other_projects_are_not_websites() {
        let mut api = website("web", "packages/web");
        api.metadata = json!({ "generator": "py#fast-api", "apiName": "web" });
        assert!(StaticWebsiteModel::recorded(&api, "demo").is_none());
    }
}
