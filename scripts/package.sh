#!/usr/bin/env bash
# Build fastgen's npm packages (packaging/npm/README.md) and, when scripts/package-wheel.sh
# is there, its Python wheel, for this machine's platform, into OUT.
#
# Usage:
#   scripts/package.sh [--no-wheel] OUT
#       One release build (cargo build --release --locked -p fastgen), then in OUT:
#         fastgen-<version>.tgz                 the main package: the `fastgen` launcher, the
#                                               Nx plugin (generators.json and nx/schemas/
#                                               written by this build of the binary)
#         fastgen-<os>-<cpu>[-<libc>]-<version>.tgz   this platform's package: the binary
#         layout/@fastgen/<platform>/package.json     every platform package's package.json,
#                                               as CI writes them (no binaries), to inspect
#         the wheel of scripts/package-wheel.sh (same release binary), unless --no-wheel
#   scripts/package.sh --target TRIPLE [--binary FILE] [--no-main] OUT
#       The platform package of a Rust target (.github/workflows/release.yml's matrix): FILE
#       is a binary built for TRIPLE elsewhere (cross-compiled); without it, cargo builds with
#       --target. The main package is made too when TRIPLE is this machine's host (it runs
#       the binary to write the Nx schemas), unless --no-main. No wheel.
#
# stdout: the path of every tarball (and wheel) made, one per line.
# stderr: progress, sizes, errors.
#
# Every version must be the crate's ([workspace.package] version in Cargo.toml): the main
# package.json, its optionalDependencies, the generated generators.json, `fastgen --version`;
# the platform package.json files are written with it. Offline apart from crates.io
# (cargo --locked); `npm pack` of these dependency-free packages needs no registry.
# Needs cargo, node and npm on PATH.
set -euo pipefail

die() {
    echo "package: error: $*" >&2
    exit 1
}
log() { echo "package: $*" >&2; }

usage() { die "usage: scripts/package.sh [--no-wheel] [--no-main] [--target TRIPLE [--binary FILE]] OUT"; }

wheel=true
with_main=true
target=""
binary=""
out_arg=""
while [ $# -gt 0 ]; do
    case "$1" in
        --no-wheel) wheel=false ;;
        --no-main) with_main=false ;;
        --target)
            [ $# -ge 2 ] || usage
            target="$2"
            shift
            ;;
        --binary)
            [ $# -ge 2 ] || usage
            binary="$2"
            shift
            ;;
        -h | --help)
            sed -n '2,/^[^#]/{/^#/p}' "$0" | sed 's/^# \{0,1\}//' >&2
            exit 0
            ;;
        -*) usage ;;
        *)
            [ -z "$out_arg" ] || usage
            out_arg="$1"
            ;;
    esac
    shift
done
[ -n "$out_arg" ] || usage
[ -z "$binary" ] || [ -n "$target" ] || die "--binary needs --target (the Rust target it was built for)"

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
npm_dir="$repo/packaging/npm"
main_src="$npm_dir/fastgen"
manifest() { node "$npm_dir/manifest.cjs" "$@"; }

for tool in cargo rustc node npm; do
    command -v "$tool" >/dev/null || die "$tool not found on PATH"
done
mkdir -p "$out_arg" || die "cannot create '$out_arg'"
out="$(cd "$out_arg" && pwd)"
started=$SECONDS

# The environment of a plain `cargo build`, so this build and package-wheel.sh's maturin
# share one set of release artifacts: CARGO_BUILD_TARGET would move them under
# target/<triple>/, and FASTGEN_E2E (set by the test command) re-runs crates/fastgen/build.rs
# and recompiles the crate. FASTGEN_DISTRIBUTION=1 makes it a distribution build: the
# workspaces it generates pin `fastgen@<version>` (crates/fastgen-generators/src/distribution.rs).
plain_cargo() { (cd "$repo" && env -u CARGO_BUILD_TARGET -u FASTGEN_E2E FASTGEN_DISTRIBUTION=1 cargo "$@"); }

metadata="$(plain_cargo metadata --format-version 1 --no-deps --locked)" || die "cargo metadata failed"
crate="$(manifest cargo-version <<<"$metadata")" || exit 1
read -r version target_dir <<<"$crate"
[ -n "$version" ] && [ -n "$target_dir" ] || die "no fastgen version from cargo metadata"
# One package.sh at a time per target directory: two at once (parallel tests) would each
# relink target/release/fastgen under the other, and the wheel and the npm package could
# then hold different builds. The second waits, then finds the build up to date.
mkdir -p "$target_dir"
exec 8>"$target_dir/.fastgen-package.lock"
flock 8 || die "cannot lock $target_dir/.fastgen-package.lock"
host="$(rustc -vV | sed -n 's/^host: //p')"
[ -n "$host" ] || die "cannot read the host target from rustc -vV"
target="${target:-$host}"
manifest check "$version"
platform_info="$(manifest platform "$target")" || exit 1
read -r platform_package binary_name <<<"$platform_info"

# --- the binary: built once --------------------------------------------------------------
if [ -z "$binary" ]; then
    if [ "$target" = "$host" ]; then
        log "building fastgen $version (cargo build --release --locked -p fastgen)"
        plain_cargo build --release --locked -p fastgen >&2 || die "cargo build failed"
        binary="$target_dir/release/$binary_name"
    else
        log "building fastgen $version for $target (cargo build --release --locked -p fastgen --target $target)"
        plain_cargo build --release --locked -p fastgen --target "$target" >&2 || die "cargo build failed"
        binary="$target_dir/$target/release/$binary_name"
    fi
    wheel_binary="$binary"
else
    wheel=false
    wheel_binary=""
fi
[ -f "$binary" ] || die "no binary at $binary"
binary="$(cd "$(dirname "$binary")" && pwd)/$(basename "$binary")"
[ "$target" = "$host" ] || wheel=false
log "binary: $binary ($(wc -c <"$binary" | tr -d ' ') bytes, for $target)"

staging="$(mktemp -d "$out/.package.XXXXXX")"
trap 'rm -rf "$staging"' EXIT

# pack DIR: npm pack DIR into OUT; prints the tarball's path, logs its size.
pack() {
    local dir="$1" json result tarball size
    json="$(cd "$dir" && npm pack --json --ignore-scripts --pack-destination "$out" 2>"$staging/npm-pack.log")" ||
        { cat "$staging/npm-pack.log" >&2; die "npm pack failed in $dir"; }
    result="$(manifest packed <<<"$json")" || die "unexpected npm pack output in $dir: $json"
    read -r tarball size _ <<<"$result"
    log "packed $out/$tarball ($(wc -c <"$out/$tarball" | tr -d ' ') bytes, $size bytes unpacked): ${result#* * }"
    printf '%s\n' "$out/$tarball"
}

# --- the main package: launcher, Nx plugin, platforms.json ------------------------------
if [ "$target" = "$host" ] && $with_main; then
    printed="$("$binary" --version)" || die "$binary --version failed"
    [ "$printed" = "fastgen $version" ] || die "$binary --version prints '$printed', not 'fastgen $version'"
    main="$staging/fastgen"
    mkdir -p "$main/bin" "$main/lib" "$main/nx/schemas"
    cp "$main_src/package.json" "$main_src/platforms.json" "$main_src/README.md" "$main/"
    cp "$main_src/bin/fastgen.js" "$main/bin/"
    cp "$main_src/lib/binary.js" "$main/lib/"
    cp "$main_src/nx/generator.cjs" "$main/nx/"
    chmod 755 "$main/bin/fastgen.js"
    # The Nx collection and schemas come from the binary's option table.
    "$binary" schema --nx-collection >"$main/generators.json" || die "fastgen schema --nx-collection failed"
    generator_list="$(manifest generators "$main/generators.json" "$version")" || die "bad generators.json"
    [ -n "$generator_list" ] || die "no generators in the generated generators.json"
    while read -r generator schema; do
        "$binary" schema "$generator" --nx >"$main/$schema" || die "fastgen schema $generator --nx failed"
    done <<<"$generator_list"
    main_tarball="$(pack "$main")"
    # Everything the package refers to must have been packed.
    packed_files="$(tar -tzf "$main_tarball")"
    for file in bin/fastgen.js lib/binary.js nx/generator.cjs generators.json platforms.json README.md \
        $(cd "$main" && find nx/schemas -type f); do
        grep -qx "package/$file" <<<"$packed_files" || die "$file is missing from $main_tarball"
    done
    printf '%s\n' "$main_tarball"
elif $with_main; then
    log "no main package: $target is not this machine's host ($host), so its binary cannot write the Nx schemas here"
fi

# --- this platform's package: the binary -------------------------------------------------
platform_dir="$staging/platform"
mkdir -p "$platform_dir/bin"
manifest platform-package "$target" "$version" "$platform_dir"
cp "$binary" "$platform_dir/bin/$binary_name"
chmod 755 "$platform_dir/bin/$binary_name"
platform_tarball="$(pack "$platform_dir")"
case "$binary_name" in
    *.exe) ;;
    *)
        tar -tvzf "$platform_tarball" "package/bin/$binary_name" | grep -q '^-rwx' ||
            die "package/bin/$binary_name is not executable in $platform_tarball"
        ;;
esac
printf '%s\n' "$platform_tarball"
log "$platform_package: $target"

# --- every platform's package.json, to inspect -------------------------------------------
rm -rf "$out/layout"
manifest layout "$version" "$out/layout"
log "layout: $out/layout/@fastgen/*/package.json"

# --- the Python wheel (scripts/package-wheel.sh), from the same release build ------------
if [ -x "$repo/scripts/package-wheel.sh" ] && $wheel; then
    # The binary's inode and modification time (to the nanosecond on Linux), before and after.
    stamp() { stat -c '%i %y' "$1" 2>/dev/null || stat -f '%i %Fm' "$1"; }
    before="$(stamp "$wheel_binary")"
    "$repo/scripts/package-wheel.sh" "$out" || die "scripts/package-wheel.sh failed"
    after="$(stamp "$wheel_binary")"
    wheel_holds="$(cat "$out/fastgen-binary-path.txt")"
    [ "$wheel_holds" = "$wheel_binary" ] ||
        die "the wheel holds $wheel_holds, not the binary of the npm package ($wheel_binary)"
    [ "$before" = "$after" ] ||
        die "the wheel build rebuilt $wheel_binary: the npm package and the wheel would hold different builds"
    cmp -s "$wheel_binary" "$platform_dir/bin/$binary_name" ||
        die "the wheel's binary differs from the npm package's"
elif $wheel; then
    log "no scripts/package-wheel.sh: no wheel"
fi

log "done in $((SECONDS - started))s"
