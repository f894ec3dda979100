use fastgen_tree::Tree;
use fastgen_workspace::{IacProvider, NameError, Names, ProjectInfo, Workspace};

use crate::api::{ApiMetadata, ApiModel};
use crate::directory::{check_free, normalize_directory, project_dir};
use crate::error::{GenerateError, Takeover};
use crate::options::RawOptions;
use crate::options::{Architecture, Auth, ComputeType, IntegrationPattern};
use crate::python::DEFINITION;
use crate::python::runtime::{RUNTIME_DIR, RUNTIME_DISTRIBUTION, RUNTIME_MODULE};
use crate::static_website::{self, StaticWebsiteModel};

/// Every value the `fast-api` generator needs, validated. Generators receive this, never
/// strings to re-validate.
#[derive(Debug, Clone)]
pub struct FastApiSettings {
    /// The workspace's npm scope, without `@`.
    pub scope: String,
    pub names: Names,
    pub compute_type: ComputeType,
    pub integration_pattern: IntegrationPattern,
    pub auth: Auth,
    pub architecture: Architecture,
    pub iac_provider: IacProvider,
    /// Workspace-relative project directory (`packages/my_api`).
    pub project_dir: String,
    pub port: u16,
}

impl FastApiSettings {
    /// Resolve raw options against the workspace behind `tree`. For an API that exists, an
    /// option not given takes its recorded value ([`recorded_options`]), not the default.
    pub fn resolve(raw: &RawOptions, tree: &Tree) -> Result<Self, GenerateError> {
        let mut merged = recorded_options(raw, tree)?;
        merged.extend(raw.iter().map(|(k, v)| (*k, v.clone())));
        let raw = &merged;
        let get = |name: &'static str| -> Result<String, GenerateError> {
            let def = DEFINITION.options.iter().find(|o| o.name == name);
            let value = raw.get(name).cloned().or_else(|| def.and_then(|d| d.default).map(str::to_owned));
            let value = value.ok_or(GenerateError::Missing(name))?;
            match def {
                Some(def) => Ok(def.normalize(&value)?),
                None => Ok(value),
            }
        };
        let workspace = Workspace::load(tree)?;
        let name = get("name")?;
        let module = raw.get("moduleName").filter(|m| !m.is_empty()).map(String::as_str);
        let mut names = Names::new(&name, &workspace.scope, module)?;
        let project_dir = project_dir(&get("directory")?, &names.snake)?;
        // A re-run without `--moduleName` keeps the module the project was generated with.
        if module.is_none()
            && let Some(recorded) =
                workspace.projects.iter().find(|p| p.dir == project_dir).and_then(|p| p.module.as_deref())
            && recorded != names.module
            && let Ok(kept) = Names::new(&name, &workspace.scope, Some(recorded))
        {
            names = kept;
        }
        // The workspace's runtime package is imported by every API: a module or distribution
        // of the same name would shadow it.
        if names.module.eq_ignore_ascii_case(RUNTIME_MODULE) {
            return Err(NameError::ShadowsDependency {
                module: names.module.clone(),
                import: RUNTIME_MODULE.to_owned(),
                distribution: RUNTIME_DISTRIBUTION.to_owned(),
            }
            .into());
        }
        if names.distribution == RUNTIME_DISTRIBUTION {
            return Err(GenerateError::Duplicate {
                what: "Python distribution name",
                value: names.distribution.clone(),
                other: RUNTIME_DIR.to_owned(),
            });
        }
        if let Some((import, distribution)) = crate::versions::installed_import(&names.module) {
            return Err(
                NameError::ShadowsDependency { module: names.module.clone(), import, distribution }.into()
            );
        }
        check_collisions(tree, &workspace, &names, &project_dir)?;
        let iac_provider = match get("iacProvider")?.as_str() {
            "CDK" => IacProvider::Cdk,
            "Terraform" => IacProvider::Terraform,
            _ => workspace.recorded_provider.ok_or(GenerateError::NoProvider)?,
        };
        if iac_provider == IacProvider::Cdk
            && let Some(place) = crate::ts_names::class_name_taken(&names.class)
        {
            return Err(GenerateError::ClassNameTaken {
                name: names.raw.clone(),
                class: names.class.clone(),
                place,
            });
        }
        let port = workspace
            .projects
            .iter()
            .find(|p| p.dir == project_dir)
            .and_then(|p| p.ports.first().copied())
            .unwrap_or_else(|| workspace.free_port());
        Ok(Self {
            scope: workspace.scope.clone(),
            names,
            compute_type: if get("computeType")? == "ServerlessApiGatewayHttpApi" {
                ComputeType::HttpApi
            } else {
                ComputeType::RestApi
            },
            integration_pattern: if get("integrationPattern")? == "shared" {
                IntegrationPattern::Shared
            } else {
                IntegrationPattern::Isolated
            },
            auth: match get("auth")?.as_str() {
                "Cognito" => Auth::Cognito,
                "None" => Auth::None,
                "Custom" => Auth::Custom,
                _ => Auth::Iam,
            },
            architecture: if get("architecture")? == "arm64" {
                Architecture::Arm64
            } else {
                Architecture::X86_64
            },
            iac_provider,
            project_dir,
            port,
        })
    }

    /// The model every generator renders this API from.
    pub fn model(&self) -> ApiModel {
        ApiModel::new(
            &self.scope,
            &self.names,
            self.compute_type,
            self.integration_pattern,
            self.auth,
            self.architecture,
            self.iac_provider,
            &self.project_dir,
            self.port,
        )
    }
}

/// The options recorded by the fast-api project that `raw` names (its `name`, and its
/// `directory` when given), when it exists: what a re-run without those flags keeps, and what
/// the interactive form offers as defaults. Without `--directory`, an API of the same name
/// anywhere in the workspace is found, and its directory is returned too.
pub fn recorded_options(raw: &RawOptions, tree: &Tree) -> Result<RawOptions, GenerateError> {
    let mut recorded = RawOptions::new();
    let Some(name) = raw.get("name") else { return Ok(recorded) };
    let workspace = Workspace::load(tree)?;
    let Ok(names) = Names::new(name, &workspace.scope, None) else { return Ok(recorded) };
    let fast_apis = || workspace.projects.iter().filter_map(|p| ApiMetadata::of(p).map(|m| (p, m)));
    let project = match raw.get("directory") {
        Some(directory) => {
            let directory = normalize_directory(directory)?;
            let dir = if directory.is_empty() {
                names.snake.clone()
            } else {
                format!("{directory}/{}", names.snake)
            };
            fast_apis().find(|(p, _)| p.dir == dir)
        }
        None => fast_apis().find(|(p, _)| p.kebab.as_deref() == Some(names.kebab.as_str())),
    };
    let Some((project, metadata)) = project else { return Ok(recorded) };
    recorded.insert("computeType", metadata.compute_type.as_str().to_owned());
    recorded.insert("integrationPattern", metadata.integration_pattern.as_str().to_owned());
    recorded.insert("auth", metadata.auth.as_str().to_owned());
    recorded.insert("architecture", metadata.architecture.as_str().to_owned());
    if let Some(provider) = metadata.iac_provider {
        recorded.insert("iacProvider", provider.as_str().to_owned());
    }
    if !raw.contains_key("directory") {
        let parent = project.dir.rsplit_once('/').map_or("", |(parent, _)| parent);
        recorded.insert("directory", parent.to_owned());
    }
    Ok(recorded)
}

/// The names an existing fastgen API derives from its recorded `apiName` and module, or
/// `None` for projects fastgen did not generate (or whose metadata breaks the naming rules).
fn derived_names(project: &ProjectInfo, scope: &str) -> Option<Names> {
    let api_name = project.metadata.get("apiName")?.as_str()?;
    Names::new(api_name, scope, project.module.as_deref()).ok()
}

fn check_collisions(
    tree: &Tree,
    workspace: &Workspace,
    names: &Names,
    project_dir: &str,
) -> Result<(), GenerateError> {
    let own = workspace.projects.iter().find(|p| p.dir == project_dir);
    match own {
        Some(project) if project.name.as_deref() != Some(names.project.as_str()) => {
            return Err(GenerateError::DirectoryOccupied {
                dir: project_dir.to_owned(),
                what: format!("the project `{}`", project.name.as_deref().unwrap_or("(unnamed)")),
                project: names.project.clone(),
            });
        }
        Some(project) => {
            // Same directory and Nx project name: a re-run, unless the names derived from the
            // recorded API name differ (`My API` next to `my-api`: class `MyAPI`, not `MyApi`).
            if let Some(theirs) = derived_names(project, &workspace.scope) {
                let differs = [
                    ("class name", &names.class, &theirs.class),
                    ("module name", &names.module, &theirs.module),
                ]
                .into_iter()
                .find(|(_, ours, theirs)| ours != theirs);
                if let Some((what, ours, recorded)) = differs {
                    return Err(GenerateError::Takeover(Box::new(Takeover {
                        dir: project_dir.to_owned(),
                        existing: theirs.raw.clone(),
                        project: theirs.project.clone(),
                        name: names.raw.clone(),
                        what,
                        ours: ours.clone(),
                        theirs: recorded.clone(),
                    })));
                }
            }
        }
        // Before anything else is looked at: a directory linked out of the workspace is
        // refused here, naming the link.
        None => check_free(tree, project_dir, &names.project)?,
    }
    for other in workspace.projects.iter().filter(|p| p.dir != project_dir) {
        let theirs = derived_names(other, &workspace.scope);
        // Compare what the names become, not what was typed: each derived name is a key
        // somewhere (Nx, uv, Python imports, the constructs' exports, file names).
        let props = |class: &str| format!("{class}Props");
        let clash = if other.name.as_deref() == Some(names.project.as_str()) {
            Some(("Nx project name", names.project.clone()))
        } else if other.module.as_deref() == Some(names.module.as_str()) {
            Some(("module name", names.module.clone()))
        } else if let Some(theirs) = &theirs {
            if theirs.kebab == names.kebab {
                Some(("API kebab name", names.kebab.clone()))
            } else if theirs.distribution == names.distribution {
                Some(("Python distribution name", names.distribution.clone()))
            } else if theirs.class == names.class
                || props(&theirs.class) == names.class
                || theirs.class == props(&names.class)
            {
                Some(("construct class name", names.class.clone()))
            } else {
                None
            }
        } else if other.kebab.as_deref() == Some(names.kebab.as_str()) {
            Some(("API kebab name", names.kebab.clone()))
        } else if StaticWebsiteModel::recorded(other, &workspace.scope)
            .is_some_and(|website| static_website::clashes_with(&names.class, &website.class_name))
        {
            // The website's construct is exported next to the API's (CDK hosting).
            Some(("construct class name", names.class.clone()))
        } else {
            None
        };
        if let Some((what, value)) = clash {
            return Err(GenerateError::Duplicate { what, value, other: other.dir.clone() });
        }
    }
    Ok(())
}
