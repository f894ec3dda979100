//! `fastgen mcp`: a Model Context Protocol server on stdin and stdout (the `rmcp` SDK), so
//! that AI agents can run fastgen's generators as tools.
//!
//! This module owns the protocol only: the tool list, argument shapes and how results and
//! refusals are returned. Every tool resolves, validates, plans and commits through the
//! same functions as the CLI (`commands::generate::plan`, `commands::codegen::plan`,
//! `commands::write`, `commands::lock_workspace`); nothing here writes to the disk, and
//! nothing here prints to stdout, which carries the protocol.

mod args;
mod tools;

use std::sync::Arc;

use rmcp::model::{
    CallToolRequestParams, CallToolResponse, CallToolResult, ContentBlock, Implementation, ListToolsResult,
    PaginatedRequestParams, ServerCapabilities, ServerConfig,
};
use rmcp::service::RequestContext;
use rmcp::{ErrorData, RoleServer, ServerHandler, ServiceExt};

use crate::commands;

/// Run the server until the client closes stdin.
pub fn serve() -> anyhow::Result<()> {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    runtime.block_on(async {
        let service = Server.serve(rmcp::transport::stdio()).await?;
        service.waiting().await?;
        anyhow::Ok(())
    })
}

/// The server: stateless; each call names its workspace.
#[derive(Debug, Clone, Copy)]
struct Server;

impl ServerHandler for Server {
    fn get_info(&self) -> ServerConfig {
        ServerConfig::new(ServerCapabilities::builder().enable_tools().build())
            .with_server_info(Implementation::new("fastgen", env!("CARGO_PKG_VERSION")))
            .with_instructions(
                "fastgen generates FastAPI services on AWS Lambda (with CDK or Terraform) into Nx \
                 workspaces. Call `plan` to see a generator's change set (per file: CREATE, UPDATE, \
                 UNCHANGED, KEEP, MERGE or CONFLICT, with diffs), then `generate` with the same \
                 arguments to write it. `workspace` is a directory of an Nx workspace (with \
                 `nx.json` in it or above it). `fastgen new <dir>` on the command line makes one.",
            )
    }

    async fn list_tools(
        &self,
        _request: Option<PaginatedRequestParams>,
        _context: RequestContext<RoleServer>,
    ) -> Result<ListToolsResult, ErrorData> {
        Ok(ListToolsResult::with_all_items(tools::definitions()))
    }

    async fn call_tool(
        &self,
        request: CallToolRequestParams,
        _context: RequestContext<RoleServer>,
    ) -> Result<CallToolResponse, ErrorData> {
        let name = request.name.to_string();
        if !tools::NAMES.contains(&name.as_str()) {
            return Err(ErrorData::invalid_params(format!("there is no tool `{name}`"), None));
        }
        let arguments = request.arguments.unwrap_or_default();
        // Tools read and write files and may wait for the workspace lock: off the protocol's
        // thread, so that the server keeps answering meanwhile.
        let outcome = tokio::task::spawn_blocking(move || tools::call(&name, &arguments)).await;
        if commands::ending() {
            // Ctrl-C or SIGTERM arrived during a commit, which rolled back: end as the CLI does.
            anstream::eprintln!("interrupted; every file already written was restored");
            std::process::exit(130);
        }
        let result = match outcome {
            Ok(Ok(value)) => CallToolResult::structured(value),
            Ok(Err(failure)) => failure.into_result(),
            Err(err) => {
                let text = format!("error: the tool failed unexpectedly: {err}");
                CallToolResult::error(vec![ContentBlock::text(text)])
            }
        };
        Ok(CallToolResponse::Complete(result))
    }
}

/// A tool call that did not succeed: the refusal as the CLI shows it, and the change set
/// when there is one (a conflict, or files written with conflict markers).
#[derive(Debug)]
pub struct Failure {
    refusal: Box<crate::error::Refusal>,
    changes: Option<serde_json::Value>,
}

impl Failure {
    fn into_result(self) -> CallToolResult {
        let mut text = self.refusal.text();
        let mut structured = self.refusal.json();
        if let Some(changes) = self.changes {
            text.push_str("\n\n");
            text.push_str(&serde_json::to_string_pretty(&changes).unwrap_or_default());
            structured["changes"] = changes;
        }
        let mut result = CallToolResult::error(vec![ContentBlock::text(text)]);
        result.structured_content = Some(structured);
        result
    }
}

impl From<crate::UsageError> for Failure {
    fn from(err: crate::UsageError) -> Self {
        anyhow::Error::from(err).into()
    }
}

impl From<anyhow::Error> for Failure {
    fn from(err: anyhow::Error) -> Self {
        Self { refusal: Box::new(crate::error::Refusal::of(&err)), changes: None }
    }
}

/// For `Arc<JsonObject>` input schemas.
fn schema(value: serde_json::Value) -> Arc<serde_json::Map<String, serde_json::Value>> {
    match value {
        serde_json::Value::Object(map) => Arc::new(map),
        _ => Arc::default(),
    }
}
