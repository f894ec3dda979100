#!/usr/bin/env bash
# Build the Python wheel of fastgen (distribution `fastgen-cli`, command `fastgen`; see
# crates/fastgen/pyproject.toml) for this machine's platform into OUT.
#
# Usage:
#   scripts/package-wheel.sh OUT
#
# stdout: one line, the wheel's path (OUT/fastgen_cli-<version>-py3-none-<platform>.whl).
# stderr: progress, the origin of the binary in the wheel, errors.
# OUT/fastgen-binary-path.txt: the absolute path of the release binary that the wheel holds
# (checked byte for byte against the wheel), normally <repo>/target/release/fastgen, for
# other packaging scripts (npm) to reuse instead of building again.
#
# Uses the maturin that scripts/install-tools.sh installs into .cache/tools/maturin (run that
# first). Needs only crates.io (Cargo, --locked) and python3.
#
# One release build, shared with `cargo build --release --locked`: maturin runs cargo with
# the workspace's target directory and, given no --target, without `--target`, so the
# artifacts are target/release/... and an up-to-date release build is reused as is (and a
# build made here serves a later `cargo build --release`). For that the environment must
# look like a plain cargo run's: CARGO_BUILD_TARGET would add `--target` (output under
# target/<triple>/release, a second full build), and FASTGEN_E2E (set by the test command)
# changes the output of the build scripts that read it (crates/fastgen, fastgen-openapi), so
# those crates would be compiled again; both are cleared for maturin, and
# FASTGEN_DISTRIBUTION=1 is set exactly as package.sh sets it (a distribution build, which
# pins itself in the workspaces it generates). Measured on a still
# tree: after `cargo build --release --locked`, this script takes about a second and the
# next `cargo build --release` is fresh.
#
# Platform tag: `--compatibility pypi` gives the lowest manylinux tag the binary meets,
# found from the glibc symbol versions it links (manylinux_2_34 on Debian 12, glibc 2.36:
# Rust's std links __libc_start_main@GLIBC_2.34), and fails instead of falling back to the
# plain `linux` tag, which PyPI refuses. `--auditwheel check` fails the build if the binary
# needs a shared library outside the manylinux set (today: libc, libm, libgcc_s only)
# rather than copying one into the wheel. The wheel installs with pip on any x86_64 glibc
# >= 2.34 system, this one included. An older baseline (manylinux2014, glibc 2.17) needs a
# manylinux container or `--zig` (a different linker: a second release build), not done here.
set -euo pipefail

die() {
    echo "package-wheel: error: $*" >&2
    exit 1
}
log() { echo "package-wheel: $*" >&2; }

[ $# -eq 1 ] && [ -n "$1" ] || die "usage: scripts/package-wheel.sh OUT"
case "$1" in -h | --help)
    sed -n '2,/^[^#]/{/^#/p}' "$0" | sed 's/^# \{0,1\}//' >&2
    exit 0
    ;;
esac

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
mkdir -p "$1" || die "cannot create '$1'"
out="$(cd "$1" && pwd)"
maturin="$repo/.cache/tools/maturin/bin/maturin"
manifest="$repo/crates/fastgen/Cargo.toml"

[ -x "$maturin" ] || die "$maturin not found: run scripts/install-tools.sh first"
command -v cargo >/dev/null || die "cargo not found on PATH"
command -v python3 >/dev/null || die "python3 not found on PATH"

# The crate's version and the target directory, as Cargo sees them (CARGO_TARGET_DIR and
# .cargo/config.toml included).
metadata="$(cd "$repo" && env -u CARGO_BUILD_TARGET cargo metadata --format-version 1 \
    --no-deps --locked --manifest-path "$manifest")" || die "cargo metadata failed"
read -r version target_dir < <(printf '%s' "$metadata" | python3 -c '
import json, sys
m = json.load(sys.stdin)
[v] = [p["version"] for p in m["packages"] if p["name"] == "fastgen"]
print(v, m["target_directory"])
') || die "cannot read the fastgen version from cargo metadata"
binary="$target_dir/release/fastgen"

# A fresh staging directory, so the wheel found is the one built now, whatever OUT held.
staging="$(mktemp -d "$out/.package-wheel.XXXXXX")"
trap 'rm -rf "$staging"' EXIT

started=$SECONDS
log "building fastgen-cli $version with $("$maturin" --version)"
(cd "$repo" && env -u CARGO_BUILD_TARGET -u FASTGEN_E2E FASTGEN_DISTRIBUTION=1 "$maturin" build \
    --manifest-path "$manifest" --release --locked \
    --compatibility pypi --auditwheel check \
    --out "$staging" >&2) || die "maturin build failed"

shopt -s nullglob
wheels=("$staging"/fastgen_cli-"$version"-py3-none-*.whl)
shopt -u nullglob
[ ${#wheels[@]} -eq 1 ] || die "expected one fastgen_cli-$version-py3-none-*.whl from maturin, found ${#wheels[@]}"
wheel="$out/$(basename "${wheels[0]}")"
mv -f "${wheels[0]}" "$wheel"

# The binary in the wheel must be Cargo's release binary, byte for byte: then the path below
# is one another script can package without building again.
[ -x "$binary" ] || die "no release binary at $binary after the build"
python3 - "$wheel" "$binary" "$version" <<'EOF' || die "the binary in the wheel is not $binary"
import sys, zipfile
wheel, binary, version = sys.argv[1:]
with zipfile.ZipFile(wheel) as z:
    inside = z.read(f"fastgen_cli-{version}.data/scripts/fastgen")
with open(binary, "rb") as f:
    sys.exit(0 if f.read() == inside else 1)
EOF
printf '%s\n' "$binary" >"$out/fastgen-binary-path.txt"

log "wheel: $wheel ($(wc -c <"$wheel") bytes) in $((SECONDS - started))s"
log "binary in the wheel: $binary (Cargo's release build, identical bytes; path also in $out/fastgen-binary-path.txt)"
printf '%s\n' "$wheel"
