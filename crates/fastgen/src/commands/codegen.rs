//! `fastgen codegen …`: code generated from an API's OpenAPI document at build time.

use anyhow::Context;
use fastgen_openapi::emit::{metadata_ts, operations_json};
use fastgen_tree::Tree;

use crate::UsageError;
use crate::cli::{CodegenCommand, GlobalArgs};
use crate::output::Printer;

pub fn run(global: &GlobalArgs, command: &CodegenCommand) -> anyhow::Result<()> {
    let printer = Printer::new(global);
    match command {
        CodegenCommand::Metadata { spec, out } => {
            let cwd = std::env::current_dir()?;
            let spec_path = cwd.join(spec);
            if !spec_path.is_file() {
                anyhow::bail!(UsageError::new(
                    format!("the OpenAPI document `{}` does not exist", spec.display()),
                    "run the API's `openapi` target first (e.g. `pnpm nx run <project>:openapi`)",
                ));
            }
            let text = fs_err::read_to_string(&spec_path)?;
            let model = fastgen_openapi::parse(&text)
                .with_context(|| format!("cannot read the OpenAPI document `{}`", spec.display()))?;
            let source = spec.display().to_string().replace('\\', "/");
            let mut tree = Tree::new(cwd.join(out));
            tree.write("metadata.gen.ts", metadata_ts(&model, &source))?;
            tree.write("operations.json", operations_json(&model))?;
            printer.detail(&format!("{} operations", model.operations.len()));
            // Files whose content is unchanged are not rewritten (build caches stay warm).
            super::finish(&tree, global.dry_run, printer, &[])
        }
    }
}
