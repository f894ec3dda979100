"""Finish an API's Lambda bundle: cut what the function never reads, and precompile the
bytecode of what a cold start imports, with the Lambda runtime's own Python version.

Each API's ``bundle`` target runs it after installing the dependencies::

    python finish_bundle.py BUNDLE --app MODULE:ATTRIBUTE --python X.Y

Why: Lambda runs a function from a read-only directory, so Python cannot cache bytecode
there, and every new execution environment compiles again each module it imports (about
300 ms of a FastAPI service's cold start). Bytecode is only used by the interpreter version
that wrote it, so it is compiled by Python X.Y (the function's runtime), found as:
``FASTGEN_LAMBDA_PYTHON`` (a path), ``uv python find X.Y``, pyenv's versions, ``pythonX.Y``
on PATH. Without one the bundle is finished without bytecode and this says so; with
``FASTGEN_REQUIRE_BYTECODE=1`` (a release pipeline) that is an error instead.

The modules compiled are those that loading the app the way ``run.sh`` serves it imports
(uvicorn, the app and everything they import, tracing on as in Lambda) and the first
request's worker thread imports (anyio's backend), recorded by name from the bundle under
Python X.Y (or, for a bundle of the other architecture, from the project's own environment),
and every module of the API's own package, of ``fastgen_runtime`` and of uvicorn's protocols; other modules stay source only (a module imported later is
compiled in memory when first imported, as before). The ``.pyc`` files are unchecked-hash
based: the bundle never changes once built, and a zip keeps timestamps too coarsely for
timestamp-based ones to validate.

fastgen owns this file and refreshes it (``fastgen generate fast-api``, ``fastgen update``).
Standard library only; it runs under the project's Python and under Python X.Y.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import json
import os
import py_compile
import re
import shutil
import subprocess
import sys
from pathlib import Path

# What the function never reads, relative to the bundle (see the README, "Lambda bundle").
DIST_INFO_KEEP = (
    "METADATA",
    "entry_points.txt",
    "top_level.txt",
    "licenses",
    "LICENSE",
    "COPYING",
    "NOTICE",
    "AUTHORS",
)
SOURCE_SUFFIXES = (".pyi", ".c", ".h", ".cpp", ".pyx", ".pxd")
# Package data only Powertools' own event handler serves (`enable_swagger`); FastAPI serves its docs page itself.
UNSERVED_ASSETS = ("aws_lambda_powertools/event_handler/openapi/swagger_ui",)
UNSERVED_ASSET_SUFFIXES = (".js", ".css")

REQUIRE_BYTECODE = "FASTGEN_REQUIRE_BYTECODE"
LAMBDA_PYTHON = "FASTGEN_LAMBDA_PYTHON"


def prune(bundle: Path) -> tuple[int, int]:
    """Remove what the function never reads; returns (files removed, bytes removed)."""
    doomed: list[Path] = []
    if (bundle / "bin").is_dir():
        doomed.append(bundle / "bin")  # console scripts, their shebang the build machine's Python
    for entry in bundle.iterdir():
        if entry.is_dir() and entry.name.endswith("-stubs"):
            doomed.append(entry)  # type stubs
        elif entry.is_dir() and entry.name.endswith(".dist-info"):
            doomed.extend(p for p in entry.iterdir() if not p.name.startswith(DIST_INFO_KEEP))
    for path in bundle.rglob("*"):
        relative = path.relative_to(bundle).as_posix()
        if path.is_dir() and path.name == ".agents":
            doomed.append(path)  # guides for coding agents shipped inside a package
        elif path.is_file() and path.suffix in SOURCE_SUFFIXES:
            doomed.append(path)  # type stubs and the sources of compiled extensions
        elif path.is_file() and path.suffix in UNSERVED_ASSET_SUFFIXES and relative.startswith(UNSERVED_ASSETS):
            doomed.append(path)
    files = size = 0
    for metadata in bundle.glob("*.dist-info/METADATA"):
        # The long description (the project's README) after the headers, which are all
        # importlib.metadata reads for versions, requirements and entry points.
        text = metadata.read_bytes()
        headers, blank, _ = text.partition(b"\n\n")
        if blank:
            # A new file renamed over it: uv links installed files to its cache, so writing in
            # place would change the cache and every environment linked to it.
            rewritten = metadata.with_name("METADATA.fastgen-tmp")
            rewritten.write_bytes(headers + b"\n")
            os.replace(rewritten, metadata)
            size += len(text) - len(headers) - 1
    for path in doomed:
        if not path.exists():
            continue  # inside a directory removed before it
        for file in [path] if path.is_file() else [p for p in path.rglob("*") if p.is_file()]:
            files += 1
            size += file.stat().st_size
        if path.is_dir():
            shutil.rmtree(path)
        else:
            path.unlink()
    return files, size


def version_of(python: str) -> str | None:
    try:
        done = subprocess.run(
            [python, "-I", "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
            capture_output=True,
            text=True,
            timeout=30,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.strip() if done.returncode == 0 else None


def candidates(version: str) -> list[str]:
    """Interpreters that may be Python `version`, the likeliest first."""
    found: list[str] = []
    uv = shutil.which("uv")
    if uv is not None:
        done = subprocess.run([uv, "python", "find", "--no-project", version], capture_output=True, text=True)
        if done.returncode == 0 and done.stdout.strip():
            found.append(done.stdout.strip())
    # pyenv installs each version in its own directory; its shims only answer for the selected ones.
    pyenv_root = Path(os.environ.get("PYENV_ROOT") or Path.home() / ".pyenv")
    pattern = re.compile(rf"^{re.escape(version)}\.(\d+)$")
    versions = pyenv_root / "versions"
    if versions.is_dir():
        matches = [(int(m.group(1)), d) for d in versions.iterdir() if (m := pattern.match(d.name))]
        found.extend(str(d / "bin" / f"python{version}") for _, d in sorted(matches, reverse=True))
    on_path = shutil.which(f"python{version}")
    if on_path is not None:
        found.append(on_path)
    return found


def find_python(version: str) -> tuple[str | None, str]:
    """The interpreter for `version`, or None and why."""
    explicit = os.environ.get(LAMBDA_PYTHON)
    if explicit:
        actual = version_of(explicit)
        if actual != version:
            return (
                None,
                f"{LAMBDA_PYTHON}={explicit} is {'not a Python' if actual is None else f'Python {actual}'}, not {version}",
            )
        return explicit, ""
    for python in candidates(version):
        if version_of(python) == version:
            return python, ""
    return None, f"no Python {version} found (uv python find, pyenv, python{version} on PATH)"


def startup_modules(app: str, bundle: Path, python: str) -> list[str] | None:
    """The modules serving `app` loads before its first response, by name, recorded in a child
    with the Lambda environment's tracing on: under the runtime's Python from the bundle itself
    (exact), else, when the bundle cannot load here (built for the other architecture), under
    this interpreter from the project's environment, where the API and its locked dependencies
    are installed for this machine (names, so they map onto the bundle's files all the same).
    None (and a warning) when neither can import the app."""
    env = {
        **os.environ,
        "AWS_LAMBDA_FUNCTION_NAME": os.environ.get("AWS_LAMBDA_FUNCTION_NAME", "bundle"),
        "LAMBDA_TASK_ROOT": str(bundle),
    }
    reasons = []
    for interpreter, path in ((python, [str(bundle)]), (sys.executable, [])):
        done = subprocess.run(
            [interpreter, "-I", __file__, "--startup-modules", "--app", app, *(f"--path={p}" for p in path)],
            capture_output=True,
            text=True,
            env=env,
            cwd=bundle,
        )
        if done.returncode == 0:
            names: list[str] = json.loads(done.stdout.splitlines()[-1])
            return names
        reasons.append((done.stderr.strip().splitlines() or ["(no output)"])[-1])
    print(
        f"finish_bundle: warning: importing {app} to see what a cold start loads failed: {'; '.join(reasons)}",
        file=sys.stderr,
    )
    return None


def record_startup_modules(app: str, path: list[str]) -> list[str]:
    """In the child: load the app as run.sh serves it, and what the first request loads."""
    sys.dont_write_bytecode = True
    sys.path[:0] = path
    uvicorn = importlib.import_module("uvicorn")
    uvicorn.Config(app).load()  # imports the app, the protocol, the lifespan: what start-up imports
    # The first request runs the sync dependencies and routes in anyio's worker threads, whose
    # backend anyio imports only then.
    anyio = importlib.import_module("anyio")
    anyio.run(importlib.import_module("anyio.to_thread").run_sync, lambda: None)
    return sorted(sys.modules)


def files_to_compile(bundle: Path, app: str, names: list[str] | None) -> list[Path]:
    """The bundle's source files of `names`, and every module of the API's own package, of
    fastgen_runtime and of uvicorn's protocols; every module of the bundle when `names` is
    None."""
    if names is None:
        return sorted(bundle.rglob("*.py"))
    files: set[Path] = set()
    # The choices uvicorn makes by what is installed (HTTP protocol, loop), which the project's
    # environment may make otherwise than the bundle.
    choices = ("h11", "uvicorn/protocols/http", "uvicorn/loops", "uvicorn/lifespan")
    for package in (app.partition(":")[0].split(".")[0], "fastgen_runtime", *choices):
        files.update((bundle / package).rglob("*.py"))
    for name in names:
        base = bundle.joinpath(*name.split("."))
        for file in (base.with_name(base.name + ".py"), base / "__init__.py"):
            if file.is_file():
                files.add(file)
    return sorted(files)


def compile_with(python: str, files: list[Path]) -> tuple[int, int]:
    """Compile `files` with `python` (a child running `write_bytecode`): (modules, bytes)."""
    done = subprocess.run(
        [python, "-I", __file__, "--write-bytecode"],
        input="\n".join(str(f) for f in files),
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        raise SystemExit(f"finish_bundle: compiling the bundle with {python} failed:\n{done.stderr}")
    result = json.loads(done.stdout.splitlines()[-1])
    return int(result["modules"]), int(result["bytes"])


def write_bytecode(files: list[Path]) -> dict[str, int]:
    """In the child: compile `files` with this interpreter, unchecked-hash based."""
    size = 0
    for file in files:
        target = importlib.util.cache_from_source(str(file))
        mode = py_compile.PycInvalidationMode.UNCHECKED_HASH
        py_compile.compile(str(file), cfile=target, doraise=True, invalidation_mode=mode)
        size += os.path.getsize(target)
    return {"modules": len(files), "bytes": size}


def main() -> None:
    parser = argparse.ArgumentParser(description="Finish an API's Lambda bundle (see this file's docstring).")
    parser.add_argument("bundle", type=Path, nargs="?")
    parser.add_argument("--app", help="MODULE:ATTRIBUTE, as run.sh serves it")
    parser.add_argument("--python", help="the Lambda runtime's Python version, X.Y")
    parser.add_argument("--startup-modules", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--path", action="append", default=[], help=argparse.SUPPRESS)
    parser.add_argument("--write-bytecode", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.startup_modules:
        print(json.dumps(record_startup_modules(args.app, args.path)))
        return
    if args.write_bytecode:
        print(json.dumps(write_bytecode([Path(line) for line in sys.stdin.read().splitlines() if line])))
        return
    if args.bundle is None or not (args.bundle / "run.sh").is_file() or not args.app or not args.python:
        raise SystemExit("finish_bundle: usage: finish_bundle.py BUNDLE --app MODULE:ATTRIBUTE --python X.Y")
    bundle: Path = args.bundle.resolve()
    files, size = prune(bundle)
    print(f"finish_bundle: removed {files} files ({size / 1e6:.1f} MB) the function never reads")
    python, why = find_python(args.python)
    if python is None:
        message = (
            f"{why}: the bundle has no bytecode, so each cold start compiles what it imports "
            f"(about 300 ms). Install Python {args.python} (`uv python install {args.python}`, pyenv, "
            f"or your system's packages) or set {LAMBDA_PYTHON} to its path."
        )
        if os.environ.get(REQUIRE_BYTECODE) == "1":
            raise SystemExit(f"finish_bundle: {message} ({REQUIRE_BYTECODE}=1)")
        print(f"finish_bundle: warning: {message}", file=sys.stderr)
        return
    names = startup_modules(args.app, bundle, python)
    if names is None:
        print("finish_bundle: compiling every module of the bundle instead", file=sys.stderr)
    modules, size = compile_with(python, files_to_compile(bundle, args.app, names))
    print(f"finish_bundle: compiled {modules} modules with {python} ({size / 1e6:.1f} MB of bytecode)")


if __name__ == "__main__":
    main()
