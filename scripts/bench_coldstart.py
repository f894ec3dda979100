#!/usr/bin/env python3
"""Cold start of a generated API's Lambda bundle against a bare FastAPI app bundled the same way.

Usage: scripts/bench_coldstart.py WORKSPACE [--api DIR] [--runs N] [--python PATH] [--reuse]

WORKSPACE is a generated workspace after `uv sync` (uv on PATH). What Lambda runs, as closely
as one machine allows:
- the API's bundle, built with the API's own `bundle` target commands (project.json
  `targets.bundle`, run from its `cwd`; --reuse keeps an existing bundle), for the host's
  architecture: `dist/<dir>/bundle-<arch>` with its `run.sh`;
- a bare bundle: the same fastapi, uvicorn and pydantic pins (from the API's pyproject.toml)
  installed with `uv pip install --target` for the same platform and Python, a `main.py` with
  `GET /__health` and `GET /echo`, the API's `run.sh` with only the app module changed, and
  finished as the bundle target finishes the API's (the workspace's
  packages/common/runtime/scripts/finish_bundle.py: pruned, the bytecode of what start-up
  imports compiled by the bundle's Python);
- each bundle copied to a temp dir made read-only (chmod -R a-w; note that root ignores it,
  PYTHONDONTWRITEBYTECODE=1 is what keeps `__pycache__` from being written, as on Lambda's
  read-only /var/task), started as the Web Adapter starts it: `run.sh` executed with cwd = the
  bundle, in a clean environment holding the variables a function gets (Lambda's own, the
  construct's PORT/AWS_LWA_*/POWERTOOLS_*, tracing active, no `_X_AMZN_TRACE_ID`; the X-Ray
  daemon address points at an unused local port), the target Python first on PATH (as
  /var/lang/bin) and, on PYTHONPATH (as /var/runtime), the botocore version of uv.lock standing
  in for the one the Lambda runtime provides (installed with its bytecode, as the runtime has it).

Each run (the two apps alternate, a fresh process every time): poll the readiness path every
10 ms until 200 (launch -> ready), then GET /echo?message=hi with an X-Amzn-Trace-Id header as
the adapter forwards it (ready -> first response); peak RSS (VmHWM) of the server's process tree
after the first response; the server's process group is then killed. Import time:
`python -c 'import time; t=time.perf_counter(); import <module>.main; print(...)'` with the same
environment and cwd. Prints medians (min-max) and the API/bare ratios; budgets (issue 12):
launch -> first response <= 1.15x bare, and <= 0.6x the figure this script measured before the
work (BEFORE_TOTAL_MS, at commit 8d5bb1e on the machine of the README's figures). Exit code 1
if over either. Stdlib only.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BARE_BUDGET = 1.15
BEFORE_BUDGET = 0.6
BEFORE_TOTAL_MS = 1320  # launch -> first response of the API before issue 12's work (README, Benchmarks)
FIRST_REQUEST = "/echo?message=hi"
READINESS_PATH = "/__health"
TRACE_HEADER = "X-Amzn-Trace-Id: Root=1-6790a1b2-0123456789abcdef01234567;Parent=53995c3f42cd8ad8;Sampled=1\r\n"

BARE_APP = """\
from fastapi import FastAPI
from pydantic import BaseModel

app = FastAPI()


class EchoOutput(BaseModel):
    message: str


@app.get("/__health")
def health() -> dict[str, str]:
    return {"status": "ok"}


@app.get("/echo")
def echo(message: str) -> EchoOutput:
    return EchoOutput(message=message)
"""


def sh(command: str, cwd: Path, env: dict[str, str] | None = None) -> None:
    done = subprocess.run(command, shell=True, cwd=cwd, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        sys.exit(f"`{command}` failed in {cwd}:\n{done.stdout}{done.stderr}")


def find_api(workspace: Path, api: str | None) -> Path:
    """The API's project directory: --api, or the first project with a `bundle` target."""
    candidates = [workspace / api] if api else sorted(workspace.glob("packages/**/project.json"))
    for path in candidates:
        directory = path if path.is_dir() else path.parent
        if "node_modules" in directory.parts or not (directory / "project.json").is_file():
            continue
        if "bundle" in json.loads((directory / "project.json").read_text()).get("targets", {}):
            return directory
    sys.exit(f"no project with a `bundle` target found in {workspace}")


def build_api_bundle(workspace: Path, project: Path, reuse: bool) -> tuple[Path, str, str]:
    """Run the `bundle` target's commands (as nx would); the bundle dir, target Python and platform."""
    options = json.loads((project / "project.json").read_text())["targets"]["bundle"]["options"]
    commands = [options["command"]] if "command" in options else list(options["commands"])
    arch = "arm64" if platform.machine() in ("aarch64", "arm64") else "x86_64"
    dirs = {m.group(1) for c in commands for m in re.finditer(r"(\S*/bundle-" + arch + r")(?=[/\s]|$)", c)}
    if len(dirs) != 1:
        sys.exit(f"cannot tell the {arch} bundle directory from the bundle target: {sorted(dirs)}")
    cwd = workspace / options.get("cwd", ".")
    bundle = (cwd / dirs.pop()).resolve()
    ours = [c for c in commands if f"bundle-{arch}" in c]
    version = re.search(r"--python-version (\S+)", " ".join(ours))
    tag = re.search(r"--python-platform (\S+)", " ".join(ours))
    if not (reuse and (bundle / "run.sh").is_file()):
        env = dict(os.environ, **options.get("env", {}))
        for command in commands:
            # A bundle target may build both architectures; build the host's only.
            if "bundle-" in command and f"bundle-{arch}" not in command:
                continue
            sh(command, cwd, env)
    if not (version and tag):
        sys.exit("the bundle target has no --python-version/--python-platform")
    return bundle, version.group(1), tag.group(1)


def pin(pyproject: str, name: str) -> str:
    found = re.search(rf'"{name}(\[[^\]]*\])?==([^";\s]+)', pyproject)
    if not found:
        sys.exit(f"{name} is not pinned (==) in the API's pyproject.toml")
    return f"{name}=={found.group(2)}"


def build_bare_bundle(
    project: Path, api_bundle: Path, module: str, target: Path, python_version: str, platform_tag: str
) -> None:
    """fastapi + uvicorn + pydantic at the API's pins, for the bundle's platform; the API's run.sh."""
    pyproject = (project / "pyproject.toml").read_text()
    pins = [pin(pyproject, name) for name in ("fastapi", "uvicorn", "pydantic")]
    sh(
        f"uv pip install --quiet --target {target} --python-platform {platform_tag} "
        f"--python-version {python_version} --only-binary :all: " + " ".join(pins),
        target.parent,
    )
    (target / "main.py").write_text(BARE_APP)
    run_sh = (api_bundle / "run.sh").read_text()
    if f"{module}.main:app" not in run_sh:
        sys.exit(f"the API's run.sh does not start {module}.main:app")
    (target / "run.sh").write_text(run_sh.replace(f"{module}.main:app", "main:app"))
    (target / "run.sh").chmod(0o755)


def find_python(workspace: Path, version: str, given: str | None) -> Path:
    """An interpreter of the bundle's Python version (Lambda's runtime), found as the bundle
    target finds it: the workspace's finish_bundle.py (FASTGEN_LAMBDA_PYTHON = --python)."""
    script = workspace / "packages/common/runtime/scripts/finish_bundle.py"
    spec = importlib.util.spec_from_file_location("finish_bundle", script)
    if spec is None or spec.loader is None:
        sys.exit(f"cannot load {script}")
    finish_bundle = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(finish_bundle)
    if given:
        os.environ[finish_bundle.LAMBDA_PYTHON] = given
    python, why = finish_bundle.find_python(version)
    if python is None:
        sys.exit(f"{why} (the bundle's wheels are for it): pass --python")
    return Path(python)


def lambda_env(bundle: Path, bin_dir: Path, runtime_dir: Path, port: int, service: str) -> dict[str, str]:
    """The environment of a Lambda function as the generated CDK construct configures it."""
    return {
        "PATH": f"{bin_dir}:/usr/local/bin:/usr/bin:/bin",
        "LANG": "en_US.UTF-8",
        "TZ": ":UTC",
        "PYTHONPATH": str(runtime_dir),
        "PYTHONDONTWRITEBYTECODE": "1",
        "LAMBDA_TASK_ROOT": str(bundle),
        "LAMBDA_RUNTIME_DIR": str(runtime_dir),
        "AWS_EXECUTION_ENV": "AWS_Lambda_python3.13",
        "AWS_LAMBDA_FUNCTION_NAME": f"bench-{service}-Handler",
        "AWS_LAMBDA_FUNCTION_VERSION": "1",
        "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "512",
        "AWS_LAMBDA_LOG_GROUP_NAME": f"/aws/lambda/bench-{service}-Handler",
        "AWS_LAMBDA_LOG_STREAM_NAME": "2025/01/01/[1]0123456789abcdef0123456789abcdef",
        "AWS_LAMBDA_INITIALIZATION_TYPE": "on-demand",
        "AWS_REGION": "us-east-1",
        "AWS_DEFAULT_REGION": "us-east-1",
        # Tracing.ACTIVE: the daemon address Lambda gives, here an unused local port.
        "AWS_XRAY_DAEMON_ADDRESS": "127.0.0.1:2000",
        "_AWS_XRAY_DAEMON_ADDRESS": "127.0.0.1",
        "_AWS_XRAY_DAEMON_PORT": "2000",
        "AWS_XRAY_CONTEXT_MISSING": "LOG_ERROR",
        # createWebAdapterFunction (constructs/src/core/api/utils.ts), but our own free port.
        "AWS_LAMBDA_EXEC_WRAPPER": "/opt/bootstrap",
        "PORT": str(port),
        "AWS_LWA_PORT": str(port),
        "AWS_LWA_READINESS_CHECK_PATH": READINESS_PATH,
        "AWS_LWA_SNAPSTART_AFTER_RESTORE_PATH": "/__after_restore",
        "AWS_LWA_INVOKE_MODE": "buffered",
        "POWERTOOLS_SERVICE_NAME": service,
        "POWERTOOLS_METRICS_NAMESPACE": service,
    }


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def get(port: int, path: str, headers: str = "") -> int | None:
    """One GET; the status, or None when nothing answers yet."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
            sock.sendall(f"GET {path} HTTP/1.1\r\nHost: localhost\r\n{headers}Connection: close\r\n\r\n".encode())
            data = b""
            while chunk := sock.recv(65536):
                data += chunk
    except OSError:
        return None
    return int(data.split()[1]) if data.startswith(b"HTTP/1.1 ") else None


def tree_hwm_kb(pid: int) -> int:
    """Sum of VmHWM over the process and its descendants."""
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        try:
            status = Path(f"/proc/{current}/status").read_text()
            total += int(re.search(r"VmHWM:\s+(\d+)", status).group(1))  # type: ignore[union-attr]
            for task in Path(f"/proc/{current}/task").iterdir():
                todo += [int(c) for c in (task / "children").read_text().split()]
        except (OSError, AttributeError):
            pass
    return total


class App:
    def __init__(self, name: str, bundle: Path, module: str, bin_dir: Path, runtime_dir: Path, service: str) -> None:
        self.name, self.bundle, self.module = name, bundle, module
        self.bin_dir, self.runtime_dir, self.service = bin_dir, runtime_dir, service
        self.results: dict[str, list[float]] = {"ready": [], "first": [], "total": [], "import": [], "rss": []}

    def env(self, port: int) -> dict[str, str]:
        return lambda_env(self.bundle, self.bin_dir, self.runtime_dir, port, self.service)

    def cold_start(self) -> None:
        port = free_port()
        launched = time.perf_counter()
        proc = subprocess.Popen(
            [str(self.bundle / "run.sh")],
            cwd=self.bundle,
            env=self.env(port),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        try:
            while get(port, READINESS_PATH) != 200:
                if proc.poll() is not None:
                    sys.exit(f"{self.name}: run.sh exited with {proc.returncode} before it was ready")
                if time.perf_counter() - launched > 60:
                    sys.exit(f"{self.name}: not ready within 60 s")
                time.sleep(0.01)
            ready = time.perf_counter()
            status = get(port, FIRST_REQUEST, TRACE_HEADER)
            first = time.perf_counter()
            if status != 200:
                sys.exit(f"{self.name}: GET {FIRST_REQUEST} answered {status}")
            self.results["rss"].append(tree_hwm_kb(proc.pid) / 1024)
        finally:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        self.results["ready"].append(ready - launched)
        self.results["first"].append(first - ready)
        self.results["total"].append(first - launched)

    def import_time(self) -> None:
        env = self.env(free_port())
        env["PYTHONPATH"] = f"{self.bundle}:{env['PYTHONPATH']}"  # what run.sh exports
        code = f"import time; t=time.perf_counter(); import {self.module}; print(time.perf_counter()-t)"
        done = subprocess.run(
            [str(self.bin_dir / "python3"), "-c", code],
            cwd=self.bundle,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0:
            sys.exit(f"{self.name}: import {self.module} failed:\n{done.stderr}")
        self.results["import"].append(float(done.stdout.split()[-1]))


def read_only_copy(source: Path, target: Path) -> Path:
    shutil.copytree(source, target, symlinks=True)
    subprocess.run(["chmod", "-R", "a-w", str(target)], check=True)
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("workspace", type=Path, help="a generated workspace, `uv sync`ed")
    parser.add_argument("--api", help="the API's project dir inside the workspace (default: the first API)")
    parser.add_argument("--runs", type=int, default=8, help="cold starts per app (default 8)")
    parser.add_argument("--python", help="interpreter of the bundle's Python version (default: found)")
    parser.add_argument("--reuse", action="store_true", help="keep an existing API bundle")
    args = parser.parse_args()
    if shutil.which("uv") is None:
        sys.exit("uv is not on PATH (scripts/install-tools.sh --print-path)")

    workspace = args.workspace.resolve()
    project = find_api(workspace, args.api)
    modules = [p.parent.name for p in sorted(project.glob("*/init.py")) if (p.parent / "main.py").is_file()]
    if not modules:
        sys.exit(f"no <module>/init.py + main.py in {project}")
    module = modules[0]
    service = "".join(part.capitalize() for part in re.split(r"[-_]", project.name))
    api_bundle, python_version, platform_tag = build_api_bundle(workspace, project, args.reuse)
    python = find_python(workspace, python_version, args.python)

    lock = (workspace / "uv.lock").read_text() if (workspace / "uv.lock").is_file() else ""
    botocore = re.search(r'name = "botocore"\nversion = "([^"]+)"', lock)

    tmp = Path(tempfile.mkdtemp(prefix="bench-coldstart-"))
    try:
        bin_dir = tmp / "lang-bin"  # Lambda's /var/lang/bin: python3 is the runtime's
        bin_dir.mkdir()
        (bin_dir / "python3").symlink_to(python)
        runtime_dir = tmp / "runtime"  # Lambda's /var/runtime: the runtime's botocore
        runtime_dir.mkdir()
        if botocore:
            sh(
                f"uv pip install --quiet --compile-bytecode --target {runtime_dir} --python {python} "
                f"botocore=={botocore.group(1)}",
                tmp,
            )
        bare_build = tmp / "bare-build"
        bare_build.mkdir()
        build_bare_bundle(project, api_bundle, module, bare_build, python_version, platform_tag)
        finish = workspace / "packages/common/runtime/scripts/finish_bundle.py"
        sh(
            f"{sys.executable} {finish} {bare_build} --app main:app --python {python_version}",
            tmp,
            dict(os.environ, FASTGEN_LAMBDA_PYTHON=str(python), FASTGEN_REQUIRE_BYTECODE="1"),
        )
        api = App(
            "api",
            read_only_copy(api_bundle, tmp / "api" / "task"),
            f"{module}.main",
            bin_dir,
            runtime_dir,
            service,
        )
        bare = App(
            "bare", read_only_copy(bare_build, tmp / "bare" / "task"), "main", bin_dir, runtime_dir, service
        )
        probe = "import fastapi, uvicorn, pydantic, sys; print(fastapi.__version__, uvicorn.__version__, "
        probe += "pydantic.__version__, sys.version.split()[0])"
        versions = subprocess.run(
            [str(python), "-c", probe],
            cwd=api.bundle,
            env=dict(api.env(0), PYTHONPATH=str(api.bundle)),
            capture_output=True,
            text=True,
            check=True,
        ).stdout.split()
        print(f"api: {project.relative_to(workspace)} ({module}), bundle {api_bundle.relative_to(workspace)}")
        print(f"fastapi {versions[0]}, uvicorn {versions[1]}, pydantic {versions[2]}, python {versions[3]} ({python})")
        print(
            f"botocore {botocore.group(1) if botocore else '(none in uv.lock)'} on PYTHONPATH as /var/runtime; "
            f"read-only copies, PYTHONDONTWRITEBYTECODE=1, Lambda environment with tracing active; {os.cpu_count()} CPUs"
            f"\nbytecode as the bundles ship it: {sum(1 for _ in api_bundle.rglob('*.pyc'))} .pyc files in the API's, "
            f"{sum(1 for _ in bare_build.rglob('*.pyc'))} in the bare one"
        )
        # One unmeasured start of each first (page cache), then alternate, a fresh process each time.
        api.cold_start(), bare.cold_start()
        for i in range(args.runs):
            for app in (api, bare) if i % 2 == 0 else (bare, api):
                app.cold_start()
                app.import_time()
    finally:
        subprocess.run(["chmod", "-R", "u+w", str(tmp)], check=False)
        shutil.rmtree(tmp, ignore_errors=True)

    def cell(values: list[float], scale: float, unit: str) -> str:
        med = statistics.median(values) * scale
        return f"{med:7.0f} {unit} ({min(values) * scale:.0f}-{max(values) * scale:.0f})"

    rows = [
        ("launch -> ready", "ready", 1000, "ms"),
        ("ready -> first response", "first", 1000, "ms"),
        ("launch -> first response", "total", 1000, "ms"),
        ("import <module>.main", "import", 1000, "ms"),
        ("peak RSS (VmHWM)", "rss", 1, "MB"),
    ]
    print(f"\nmedian (min-max) of {args.runs} cold starts each")
    print(f"{'':26} {'api':>24} {'bare':>24}   ratio")
    for label, key, scale, unit in rows:
        a, b = api.results[key], bare.results[key]
        ratio = statistics.median(a) / statistics.median(b)
        print(f"{label:26} {cell(a, scale, unit):>24} {cell(b, scale, unit):>24}   {ratio:.2f}x")
    total_ratio = statistics.median(api.results["total"]) / statistics.median(bare.results["total"])
    total_api = statistics.median(api.results["total"]) * 1000
    before_ratio = total_api / BEFORE_TOTAL_MS
    ok_bare, ok_before = total_ratio <= BARE_BUDGET, before_ratio <= BEFORE_BUDGET
    print(
        f"\nbudget: launch -> first response <= {BARE_BUDGET:.2f}x bare: {total_ratio:.2f}x  "
        f"{'OK' if ok_bare else 'OVER'}"
    )
    print(
        f"budget: launch -> first response <= {BEFORE_BUDGET:.1f}x before ({BEFORE_TOTAL_MS} ms): "
        f"{total_api:.0f} ms = {before_ratio:.2f}x  {'OK' if ok_before else 'OVER'}"
    )
    sys.exit(0 if ok_bare and ok_before else 1)


if __name__ == "__main__":
    main()
