#!/usr/bin/env bash
# The independent SigV4 implementation the tests compare against: botocore (AWS's own Python
# signer, botocore.auth.SigV4Auth), pinned, in its own venv <repo>/.cache/tools/botocore.
# Idempotent: does nothing when that version is already there. Prints nothing on stdout.
set -euo pipefail

version=1.44.5
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../../.." && pwd)"
venv="$repo/.cache/tools/botocore"

installed() {
    [ -x "$venv/bin/python" ] &&
        [ "$("$venv/bin/python" -c 'import botocore; print(botocore.__version__)' 2>/dev/null)" = "$version" ]
}

installed && exit 0
mkdir -p "$repo/.cache/tools"
# Keep the cache folder out of git (install-tools.sh writes the same file).
[ -f "$repo/.cache/.gitignore" ] || printf '*\n' >"$repo/.cache/.gitignore"
# Serialise concurrent runs, then look again.
if command -v flock >/dev/null; then
    exec 9>"$repo/.cache/tools/.botocore.lock"
    flock 9
    installed && exit 0
fi
echo "sigv4 setup: installing botocore==$version into $venv" >&2
rm -rf "$venv"
python3 -m venv "$venv" >&2
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check "botocore==$version" >&2
installed || { echo "sigv4 setup: botocore $version still missing in $venv" >&2; exit 1; }
