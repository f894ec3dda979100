#!/usr/bin/env bash
# Install the tool chain the end-to-end tests need into <repo>/.cache/tools:
#
#   .cache/tools/venv          python3 -m venv with uv (version from versions/python.toml)
#   .cache/tools/npm           npm prefix with pnpm, nx and typescript (versions/npm.toml)
#   .cache/tools/pnpm-12       npm prefix with the newest pnpm 12.x (versions/npm.toml
#                              `pnpm_12`), not on PATH: the issue #8 test runs it by path.
#                              npm installs pnpm as a package; pnpm's own version switch
#                              and corepack fail here (the registry serves no signatures)
#   .cache/tools/client     npm prefix for the generated TypeScript client's tests:
#                           typescript (5.9), typescript6, typescript7, @tanstack/react-query
#                           (oldest supported) and react-query-newest, react, esbuild
#   .cache/tools/browser    npm prefix with playwright-core (drives Debian's chromium, which
#                           this script installs with apt-get when /usr/bin/chromium is missing)
#   .cache/tools/pnpm-store    pnpm content-addressable store shared by every test workspace
#   .cache/tools/pnpm-cache    pnpm metadata cache
#   .cache/tools/cfn-lint      venv with cfn-lint (version from versions/tools.toml)
#   .cache/tools/checkov       venv with checkov (versions/tools.toml); its own venv because
#                              checkov pins libraries (python-hcl2, …) other tools conflict with
#   .cache/tools/maturin       venv with maturin (versions/tools.toml), not on PATH:
#                              scripts/package-wheel.sh runs it by path to build the wheel
#
# Idempotent: a stamp file records the versions installed; when they are unchanged
# (and the binaries are still there) a second run does nothing.
#
# Usage:
#   scripts/install-tools.sh               install / check; prints nothing on stdout
#   scripts/install-tools.sh --print-path  same, then prints the PATH entries to
#                                          prepend (venv/bin:npm/node_modules/.bin:
#                                          cfn-lint/bin:checkov/bin)
#
# Progress and errors go to stderr. Needs python3 (with venv) and node/npm on PATH.
set -euo pipefail

print_path=false
for arg in "$@"; do
    case "$arg" in
        --print-path) print_path=true ;;
        -h | --help)
            sed -n '2,/^[^#]/{/^#/p}' "$0" | sed 's/^# \{0,1\}//' >&2
            exit 0
            ;;
        *)
            echo "install-tools.sh: unknown argument '$arg' (expected --print-path)" >&2
            exit 2
            ;;
    esac
done

log() { echo "install-tools: $*" >&2; }
die() {
    echo "install-tools: error: $*" >&2
    exit 1
}

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
versions_dir="$repo/crates/fastgen-generators/versions"
npm_toml="$versions_dir/npm.toml"
python_toml="$versions_dir/python.toml"
tools_toml="$versions_dir/tools.toml"

cache="$repo/.cache"
tools="$cache/tools"
venv="$tools/venv"
cfn_lint_venv="$tools/cfn-lint"
checkov_venv="$tools/checkov"
npm_prefix="$tools/npm"
pnpm12_prefix="$tools/pnpm-12"
client_prefix="$tools/client"
store="$tools/pnpm-store"
pnpm_cache="$tools/pnpm-cache"
stamp="$tools/.stamp"

# toml_get FILE KEY: the string value of the first `KEY = "value"` line in FILE
# (flat tables only; good enough for versions/*.toml, which hold exact versions).
toml_get() {
    local file="$1" key="$2"
    [ -f "$file" ] || return 0
    sed -n -E "s/^[[:space:]]*${key}[[:space:]]*=[[:space:]]*[\"']([^\"']+)[\"'].*/\1/p" "$file" | head -n 1
}

[ -f "$npm_toml" ] || die "missing $npm_toml"
pnpm_version="$(toml_get "$npm_toml" pnpm)"
pnpm12_version="$(toml_get "$npm_toml" pnpm_12)"
nx_version="$(toml_get "$npm_toml" nx)"
ts_version="$(toml_get "$npm_toml" typescript)"
ts6_version="$(toml_get "$npm_toml" typescript_6)"
ts7_version="$(toml_get "$npm_toml" typescript_7)"
rq_version="$(toml_get "$npm_toml" tanstack_react_query)"
rq_newest_version="$(toml_get "$npm_toml" tanstack_react_query_newest)"
react_version="$(toml_get "$npm_toml" react)"
types_react_version="$(toml_get "$npm_toml" types_react)"
esbuild_version="$(toml_get "$npm_toml" esbuild)"
uv_version="$(toml_get "$python_toml" uv)"
uv_version="${uv_version:-0.13.9}"
for pair in "pnpm:$pnpm_version" "pnpm_12:$pnpm12_version" "nx:$nx_version" "typescript:$ts_version" \
    "typescript_6:$ts6_version" "typescript_7:$ts7_version" "tanstack_react_query:$rq_version" \
    "tanstack_react_query_newest:$rq_newest_version" "react:$react_version" \
    "types_react:$types_react_version" "esbuild:$esbuild_version"; do
    [ -n "${pair#*:}" ] || die "no '${pair%%:*}' version in $npm_toml"
done
[ -f "$tools_toml" ] || die "missing $tools_toml"
cfn_lint_version="$(toml_get "$tools_toml" cfn_lint)"
checkov_version="$(toml_get "$tools_toml" checkov)"
for pair in "cfn_lint:$cfn_lint_version" "checkov:$checkov_version"; do
    [ -n "${pair#*:}" ] || die "no '${pair%%:*}' version in $tools_toml"
done
# >>> maturin (Python wheel builder for scripts/package-wheel.sh): own venv, not on PATH.
maturin_venv="$tools/maturin"
maturin_version="$(toml_get "$tools_toml" maturin)"
[ -n "$maturin_version" ] || die "no 'maturin' version in $tools_toml"
# <<< maturin

command -v python3 >/dev/null || die "python3 not found on PATH"
command -v node >/dev/null || die "node not found on PATH"
command -v npm >/dev/null || die "npm not found on PATH"

node_version="$(node --version)"
python_version="$(python3 -c 'import sys; print("%d.%d.%d" % sys.version_info[:3])')"
wanted="uv=$uv_version pnpm=$pnpm_version pnpm-12=$pnpm12_version nx=$nx_version typescript=$ts_version client=$ts6_version,$ts7_version,$rq_version,$rq_newest_version,$react_version,$types_react_version,$esbuild_version cfn-lint=$cfn_lint_version checkov=$checkov_version maturin=$maturin_version node=$node_version python=$python_version"

up_to_date() {
    [ -f "$stamp" ] &&
        [ "$(cat "$stamp")" = "$wanted" ] &&
        [ -x "$venv/bin/uv" ] &&
        [ -x "$npm_prefix/node_modules/.bin/pnpm" ] &&
        [ -x "$pnpm12_prefix/node_modules/.bin/pnpm" ] &&
        [ -x "$client_prefix/node_modules/.bin/esbuild" ] &&
        [ -x "$npm_prefix/node_modules/.bin/nx" ] &&
        [ -x "$npm_prefix/node_modules/.bin/tsc" ] &&
        [ -x "$cfn_lint_venv/bin/cfn-lint" ] &&
        [ -x "$checkov_venv/bin/checkov" ] &&
        [ -x "$maturin_venv/bin/maturin" ] # maturin
}

# venv_python_version VENV: the Python version of VENV, empty when it has none.
venv_python_version() {
    "$1/bin/python" -c 'import sys; print("%d.%d.%d" % sys.version_info[:3])' 2>/dev/null || true
}

# pip_tool VENV DIST VERSION: DIST==VERSION installed alone in VENV (created or
# recreated when missing or built on another Python); nothing when already there.
pip_tool() {
    local tool_venv="$1" dist="$2" version="$3"
    if [ ! -x "$tool_venv/bin/python" ] || [ "$(venv_python_version "$tool_venv")" != "$python_version" ]; then
        rm -rf "$tool_venv"
        python3 -m venv "$tool_venv" >&2
    fi
    if [ "$("$tool_venv/bin/python" -m pip show "$dist" 2>/dev/null | sed -n 's/^Version: //p')" != "$version" ]; then
        log "installing $dist==$version into $tool_venv"
        "$tool_venv/bin/python" -m pip install --quiet --disable-pip-version-check \
            "$dist==$version" >&2
    fi
}

if ! up_to_date; then
    mkdir -p "$tools" "$store" "$pnpm_cache"
    # Serialise concurrent runs (parallel test processes), then check again.
    if command -v flock >/dev/null; then
        exec 9>"$tools/.lock"
        flock 9
    fi
fi
if ! up_to_date; then
    log "installing $wanted into $tools"
    # Keep the whole cache folder out of git without touching the repo's .gitignore.
    [ -f "$cache/.gitignore" ] || printf '*\n' >"$cache/.gitignore"
    rm -f "$stamp"

    # uv, from PyPI, in its own venv.
    if [ ! -x "$venv/bin/python" ] || [ "$(venv_python_version "$venv")" != "$python_version" ]; then
        rm -rf "$venv"
        python3 -m venv "$venv" >&2
    fi
    if [ "$("$venv/bin/uv" --version 2>/dev/null | awk '{print $2}')" != "$uv_version" ]; then
        "$venv/bin/python" -m pip install --quiet --disable-pip-version-check \
            "uv==$uv_version" >&2
    fi

    # pnpm, nx and typescript, exact versions, in a private npm prefix.
    mkdir -p "$npm_prefix"
    cat >"$npm_prefix/package.json" <<EOF
{
  "name": "fastgen-test-tools",
  "private": true,
  "devDependencies": {
    "nx": "$nx_version",
    "pnpm": "$pnpm_version",
    "typescript": "$ts_version"
  }
}
EOF
    (cd "$npm_prefix" && npm install --prefix "$npm_prefix" --no-audit --no-fund \
        --save-exact --loglevel=error >&2)

    # The newest pnpm 12.x, alone in its own prefix (one prefix holds one pnpm).
    mkdir -p "$pnpm12_prefix"
    cat >"$pnpm12_prefix/package.json" <<EOF
{
  "name": "fastgen-test-pnpm-12",
  "private": true,
  "devDependencies": {
    "pnpm": "$pnpm12_version"
  }
}
EOF
    (cd "$pnpm12_prefix" && npm install --prefix "$pnpm12_prefix" --no-audit --no-fund \
        --save-exact --loglevel=error >&2)

    # What the generated TypeScript client is checked with: three TypeScript majors and the
    # oldest and newest TanStack Query 5.x side by side (npm aliases), React's types, esbuild.
    mkdir -p "$client_prefix"
    cat >"$client_prefix/package.json" <<EOF
{
  "name": "fastgen-test-client",
  "private": true,
  "devDependencies": {
    "@tanstack/react-query": "$rq_version",
    "@types/react": "$types_react_version",
    "esbuild": "$esbuild_version",
    "react": "$react_version",
    "react-query-newest": "npm:@tanstack/react-query@$rq_newest_version",
    "typescript": "$ts_version",
    "typescript6": "npm:typescript@$ts6_version",
    "typescript7": "npm:typescript@$ts7_version"
  }
}
EOF
    (cd "$client_prefix" && npm install --prefix "$client_prefix" --no-audit --no-fund \
        --loglevel=error >&2)

    # cfn-lint and checkov, each in its own venv (checkov's pins break other tools).
    pip_tool "$cfn_lint_venv" cfn-lint "$cfn_lint_version"
    pip_tool "$checkov_venv" checkov "$checkov_version"
    # >>> maturin
    pip_tool "$maturin_venv" maturin "$maturin_version"
    log "maturin $("$maturin_venv/bin/maturin" --version | awk '{print $NF}') (in $maturin_venv, not on PATH)"
    # <<< maturin

    "$venv/bin/uv" --version >&2
    log "cfn-lint $("$cfn_lint_venv/bin/cfn-lint" --version 2>&1 | awk '{print $NF}')"
    log "checkov $("$checkov_venv/bin/checkov" --version 2>&1 | tail -n 1)"
    log "pnpm $("$npm_prefix/node_modules/.bin/pnpm" --version)"
    log "pnpm $("$pnpm12_prefix/node_modules/.bin/pnpm" --version) (in $pnpm12_prefix, not on PATH)"
    log "tsc $("$npm_prefix/node_modules/.bin/tsc" --version)"
    printf '%s' "$wanted" >"$stamp"
    up_to_date || die "tools still missing after install (see messages above)"
fi

# >>> browser (crates/fastgen/tests/e2e_browser.rs): Debian's `chromium` package, driven
# headless by playwright-core (exact pin below) from its own npm prefix, .cache/tools/browser,
# not on PATH: the test runs it by path. No browser is downloaded (playwright-core has no
# install script, and the test launches /usr/bin/chromium). When /usr/bin/chromium is missing
# it is installed here as root with `apt-get update && apt-get install -y chromium` (Debian 12:
# about 25 s and 155 MB of packages); without root or apt-get this fails with what to do.
# Its own stamp, so a change here reinstalls nothing else.
browser_prefix="$tools/browser"
browser_stamp="$browser_prefix/.stamp"
playwright_core_version="1.65.2"
chromium_bin="/usr/bin/chromium"
browser_wanted="playwright-core=$playwright_core_version node=$node_version"
browser_up_to_date() {
    [ -x "$chromium_bin" ] &&
        [ -f "$browser_stamp" ] &&
        [ "$(cat "$browser_stamp")" = "$browser_wanted" ] &&
        [ -f "$browser_prefix/node_modules/playwright-core/package.json" ]
}
if ! browser_up_to_date; then
    mkdir -p "$browser_prefix"
    if command -v flock >/dev/null; then
        exec 9>"$tools/.lock"
        flock 9
    fi
fi
if ! browser_up_to_date; then
    if [ ! -x "$chromium_bin" ]; then
        command -v apt-get >/dev/null ||
            die "$chromium_bin is missing and there is no apt-get to install it: install Chromium at $chromium_bin (Debian's 'chromium' package), which the browser test drives"
        [ "$(id -u)" = 0 ] ||
            die "$chromium_bin is missing: install it as root with 'apt-get update && apt-get install -y chromium' (the browser test drives it)"
        log "installing chromium with apt-get (Debian's package, about 155 MB)"
        started_apt=$SECONDS
        { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; } >&2 ||
            die "apt-get could not install chromium (see above)"
        [ -x "$chromium_bin" ] || die "apt-get installed chromium, but $chromium_bin is missing"
        log "chromium installed in $((SECONDS - started_apt)) s"
    fi
    rm -f "$browser_stamp"
    cat >"$browser_prefix/package.json" <<EOF
{
  "name": "fastgen-test-browser",
  "private": true,
  "devDependencies": {
    "playwright-core": "$playwright_core_version"
  }
}
EOF
    (cd "$browser_prefix" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm install --prefix "$browser_prefix" \
        --no-audit --no-fund --loglevel=error >&2)
    log "playwright-core $(sed -n -E 's/^[[:space:]]*"version":[[:space:]]*"([^"]+)".*/\1/p' \
        "$browser_prefix/node_modules/playwright-core/package.json" | head -n 1) (in $browser_prefix, not on PATH)"
    log "$("$chromium_bin" --version 2>/dev/null)"
    printf '%s' "$browser_wanted" >"$browser_stamp"
    browser_up_to_date || die "the browser tools are still missing after install (see messages above)"
fi
# <<< browser

if $print_path; then
    printf '%s:%s:%s:%s\n' "$venv/bin" "$npm_prefix/node_modules/.bin" \
        "$cfn_lint_venv/bin" "$checkov_venv/bin"
fi
