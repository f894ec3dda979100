#!/usr/bin/env bash
# Checks the client runtime (src/emit/client_runtime.ts): type-checks it with TypeScript 5.9
# and 6.0 under strict flags (module esnext/bundler and nodenext), alone and as the top of a
# generated-like client.gen.ts; compiles it; runs the node tests; checks the bundle size of
# one operation. Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")"

runtime=../../src/emit/client_runtime.ts
budget=3072 # bytes, minified + gzip, for one imported operation

# TypeScript 5.9 and 6.0 and esbuild come from the tools scripts/install-tools.sh installs.
tools="$(cd ../../../.. && pwd)/.cache/tools/client/node_modules"
if [ ! -d "$tools/typescript6" ] || [ ! -x "$tools/.bin/esbuild" ]; then
  echo "error: $tools is missing TypeScript or esbuild; run scripts/install-tools.sh first" >&2
  exit 1
fi
ln -sfn "$tools" node_modules

rm -rf .build
mkdir -p .build/src
cp "$runtime" .build/src/client_runtime.ts
cat "$runtime" sample-client-tail.ts > .build/src/client.gen.ts

for ts in typescript typescript6; do
  version=$(node "node_modules/$ts/bin/tsc" --version)
  for config in tsconfig.json tsconfig.nodenext.json; do
    echo "tsc --noEmit ($version, $config)"
    node "node_modules/$ts/bin/tsc" -p "$config"
  done
done

node node_modules/typescript/bin/tsc -p tsconfig.build.json
node --test runtime.test.mjs

node_modules/.bin/esbuild size-entry.ts --bundle --minify --format=esm --log-level=warning --outfile=.build/size.js
node_modules/.bin/esbuild .build/src/client_runtime.ts --minify --format=esm --log-level=warning --outfile=.build/runtime.min.js
one=$(gzip -9c .build/size.js | wc -c)
all=$(gzip -9c .build/runtime.min.js | wc -c)
echo "size: one operation (call + one OpSpec) $(wc -c < .build/size.js) B minified, $one B gzip; whole runtime $(wc -c < .build/runtime.min.js) B minified, $all B gzip"
if [ "$one" -gt "$budget" ]; then
  echo "error: $one B gzip is over the budget of $budget B" >&2
  exit 1
fi
echo "check.sh: ok"
