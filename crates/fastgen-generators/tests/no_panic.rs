//! Property tests: arbitrary names, options and workspace files never make fastgen panic;
//! every accepted name yields a project whose paths stay inside the workspace.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use fastgen_generators::options::RawOptions;
use fastgen_generators::plan;
use fastgen_generators::python::FastApiSettings;
use fastgen_tree::Tree;
use fastgen_workspace::Workspace;
use proptest::prelude::*;

fn workspace() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("nx.json"), "{}\n").unwrap();
    std::fs::write(dir.path().join("fastgen.toml"), "iac-provider = \"CDK\"\nscope = \"acme\"\n").unwrap();
    dir
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_options_never_panic(
        name in "\\PC{0,24}",
        module in proptest::option::of("\\PC{0,16}"),
        directory in proptest::option::of("[a-z./\\\\:]{0,12}"),
        auth in proptest::option::of("\\PC{0,8}|IAM|Custom|none"),
    ) {
        let dir = workspace();
        let mut options = RawOptions::new();
        options.insert("name", name);
        if let Some(module) = module { options.insert("moduleName", module); }
        if let Some(directory) = directory { options.insert("directory", directory); }
        if let Some(auth) = auth { options.insert("auth", auth); }
        let mut tree = Tree::new(dir.path());
        if let Ok(settings) = FastApiSettings::resolve(&options, &tree) {
            plan::api(&mut tree, &settings).unwrap();
            for path in tree.planned_paths() {
                prop_assert!(!path.contains(".."), "{path}");
                prop_assert!(tree.resolve(path).unwrap().starts_with(tree.real_root()));
            }
            prop_assert!(tree.changes().is_ok());
        }
    }

    #[test]
    fn arbitrary_workspace_files_never_panic(
        package_json in "\\PC{0,80}",
        project_json in "\\PC{0,80}",
        pyproject in "\\PC{0,80}",
        config in "\\PC{0,60}",
    ) {
        let dir = workspace();
        std::fs::write(dir.path().join("package.json"), package_json).unwrap();
        std::fs::write(dir.path().join("pyproject.toml"), pyproject).unwrap();
        std::fs::write(dir.path().join("fastgen.toml"), config).unwrap();
        std::fs::create_dir_all(dir.path().join("packages/x")).unwrap();
        std::fs::write(dir.path().join("packages/x/project.json"), project_json).unwrap();
        let mut tree = Tree::new(dir.path());
        let _ = Workspace::load(&tree);
        let mut options = RawOptions::new();
        options.insert("name", "api".to_owned());
        options.insert("iacProvider", "CDK".to_owned());
        if let Ok(settings) = FastApiSettings::resolve(&options, &tree) {
            let _ = plan::api(&mut tree, &settings);
        }
    }
}
