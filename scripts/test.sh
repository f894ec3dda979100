#!/usr/bin/env bash
# The test command (see README.md): installs what the tests need into .cache/ (uv from
# PyPI, pnpm/nx/typescript from npm), builds once, and runs every test — unit, snapshot,
# CLI and end-to-end — with cargo-nextest (or cargo test where nextest is missing).
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"

# terraform comes with the machine (its releases are not on a registry this machine reaches).
command -v terraform >/dev/null || {
    echo "error: terraform is not on PATH; the Terraform tests need it (terraform fmt, init)" >&2
    exit 1
}
tools_path="$(scripts/install-tools.sh --print-path)"
export PATH="$tools_path:$PATH"
export FASTGEN_E2E=1
export UV_PYTHON_DOWNLOADS=never
export pnpm_config_store_dir="$repo/.cache/tools/pnpm-store"
export pnpm_config_cache_dir="$repo/.cache/tools/pnpm-cache"
export NX_DAEMON=false NX_NO_CLOUD=true NX_TUI=false NX_INTERACTIVE=false
export INSTA_UPDATE=no

echo "== format and lints" >&2
cargo fmt --all --check
cargo clippy --workspace --all-targets --locked -- -D warnings

echo "== tests (unit, snapshot, CLI, end-to-end)" >&2
if cargo nextest --version >/dev/null 2>&1; then
    cargo nextest run --workspace --locked --no-fail-fast --success-output never --failure-output final
else
    cargo test --workspace --locked --no-fail-fast
fi
