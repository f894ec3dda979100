#!/usr/bin/env bash
# Checks templates/connection-iam/sigv4.ts, the SigV4 signer for fetch:
#   1. botocore (the independent signer) in .cache/tools/botocore (setup.sh; pinned, idempotent)
#   2. the template is plain TypeScript (nothing a template engine would touch)
#   3. tsc 5.9 and 6.0, strict flags, module esnext/bundler and nodenext: the signer with
#      usage.ts (compile-time tests, the generated client's ClientConfig from fastgen-openapi)
#   4. compiles it; dump.mjs signs every case of cases.json and sends it to a local server
#      (.build/wire.json); reference.py has botocore sign the same requests (.build/expected.json)
#   5. node --test sigv4.test.mjs: the comparison, the AWS test suite vectors, bodies, the
#      Request/init handling, aborts, no retries, cachedCredentials
# Exits non-zero on any failure. Needs node, python3 (with venv) and the TypeScript that
# scripts/install-tools.sh puts in .cache/tools/client.
set -euo pipefail
cd "$(dirname "$0")"

repo="$(cd ../../../.. && pwd)"
src=../../templates/connection-iam/sigv4.ts
runtime=../../../fastgen-openapi/src/emit/client_runtime.ts
tools="$repo/.cache/tools/client/node_modules"
python="$repo/.cache/tools/botocore/bin/python"

step() {
    local name="$1" start
    shift
    start=$(date +%s%N)
    "$@"
    echo "step: $name $(((($(date +%s%N) - start) / 1000000))) ms"
}

command -v node >/dev/null || { echo "error: node is not on PATH" >&2; exit 1; }
if [ ! -d "$tools/typescript" ] || [ ! -d "$tools/typescript6" ]; then
    echo "error: $tools is missing typescript or typescript6; run scripts/install-tools.sh first" >&2
    exit 1
fi
step botocore bash setup.sh

# Websites get the file as it is: no `{{`, `{%` or `{#` for a template engine to act on.
if grep -nE '\{\{|\{%|\{#' "$src"; then
    echo "error: $src holds template syntax" >&2
    exit 1
fi

ln -sfn "$tools" node_modules
rm -rf .build
mkdir -p .build/src
cp "$src" .build/src/sigv4.ts
cp "$runtime" .build/src/client_runtime.ts

typecheck() {
    local ts config
    for ts in typescript typescript6; do
        for config in tsconfig.json tsconfig.nodenext.json; do
            echo "tsc --noEmit ($(node "node_modules/$ts/bin/tsc" --version), $config)"
            node "node_modules/$ts/bin/tsc" -p "$config"
        done
    done
}
step typecheck typecheck
step compile node node_modules/typescript/bin/tsc -p tsconfig.build.json
step dump node dump.mjs
step reference sh -c "\"$python\" reference.py cases.json .build/wire.json > .build/expected.json"
step node-test node --test sigv4.test.mjs
echo "check.sh: ok"
