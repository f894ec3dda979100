#!/usr/bin/env python3
"""Benchmark a generated fast-api service against a bare FastAPI app, side by side.

Usage: scripts/bench_runtime.py WORKSPACE [--project DIR] [--runs N] [--duration S] [--rounds N]

WORKSPACE is a generated workspace that has been `uv sync`ed (its `.venv` is used for
both apps, so FastAPI/uvicorn versions and extras are the same; the generated service's
runtime, the workspace member `fastgen-runtime` in packages/common/runtime, is installed
there too). A bare FastAPI app with
the same `GET /echo` route is written to a temp dir. Both run as in Lambda's `run.sh`:
`python -m uvicorn <module>.main:app --no-access-log`, one worker, logging ON (stdout goes
to /dev/null). Tracing is off: outside Lambda there is no LAMBDA_TASK_ROOT /
AWS_LAMBDA_FUNCTION_NAME, exactly as when the service runs locally.

Measures (spec/runtime.md "Performance budgets"):
- start-up: process launch -> first answered GET /echo, median of --runs (default 10);
- throughput: `wrk -t2 -c16 -d<duration>s` on /echo?message=hi (default 10 s), --rounds
  (default 4) alternated bare/generated/generated/bare/..., mean req/s; the verdict uses the
  median of the per-round ratios (robust to load bursts from other processes).
Budgets: start-up <= 1.15x bare, throughput >= 0.70x bare. Exit code 1 if a budget is missed.
Stdlib only.
"""

from __future__ import annotations

import argparse
import os
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

STARTUP_BUDGET = 1.15
THROUGHPUT_BUDGET = 0.70
QUERY = "/echo?message=hi"
VERSIONS = "import fastapi, uvicorn, sys; print(fastapi.__version__, uvicorn.__version__, sys.version.split()[0])"

BARE_APP = """\
from fastapi import FastAPI
from pydantic import BaseModel

app = FastAPI()


class EchoOutput(BaseModel):
    message: str


@app.get("/echo")
def echo(message: str) -> EchoOutput:
    return EchoOutput(message=message)
"""


class Service:
    """How to launch one app: its module, working directory and PYTHONPATH."""

    def __init__(self, name: str, python: Path, module: str, cwd: Path) -> None:
        self.name, self.python, self.module, self.cwd = name, python, module, cwd

    def start(self, port: int, stdout: int | object = subprocess.DEVNULL) -> subprocess.Popen[bytes]:
        env = dict(os.environ)
        # What a local approximation of the Lambda environment has: no Lambda variables, so
        # no tracing; PYTHONPATH = the bundle root, as run.sh sets it.
        for key in list(env):
            if key.startswith(("AWS_LAMBDA_", "LAMBDA_", "_X_AMZN", "POWERTOOLS_", "AWS_XRAY")):
                del env[key]
        env.pop("ALLOWED_ORIGINS", None)
        env.pop("LOCAL_DEV", None)
        env["PYTHONPATH"] = str(self.cwd)
        argv = [str(self.python), "-m", "uvicorn", f"{self.module}:app", "--host", "127.0.0.1"]
        argv += ["--port", str(port), "--no-access-log", "--workers", "1"]
        return subprocess.Popen(
            argv, cwd=self.cwd, env=env, stdout=stdout, stderr=subprocess.DEVNULL, start_new_session=True
        )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def get(port: int, headers: str = "") -> tuple[int, str] | None:
    """One GET /echo; (status, raw response head) or None when nothing answers yet."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=2) as sock:
            sock.sendall(f"GET {QUERY} HTTP/1.1\r\nHost: localhost\r\n{headers}Connection: close\r\n\r\n".encode())
            data = b""
            while chunk := sock.recv(65536):
                data += chunk
    except OSError:
        return None
    if not data.startswith(b"HTTP/1.1 "):
        return None
    head = data.split(b"\r\n\r\n", 1)[0].decode("latin-1")
    return int(head.split()[1]), head


def stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def startup_once(service: Service, stdout: int | object = subprocess.DEVNULL) -> float:
    port = free_port()
    started = time.perf_counter()
    proc = service.start(port, stdout)
    try:
        while True:
            answer = get(port)
            if answer is not None:
                elapsed = time.perf_counter() - started
                if answer[0] != 200:
                    sys.exit(f"{service.name}: GET {QUERY} answered {answer[0]}")
                return elapsed
            if proc.poll() is not None:
                sys.exit(f"{service.name}: the server exited with {proc.returncode} before answering")
            if time.perf_counter() - started > 60:
                sys.exit(f"{service.name}: no answer within 60 s")
            time.sleep(0.005)
    finally:
        stop(proc)


def wrk(port: int, seconds: int) -> float:
    out = subprocess.run(
        ["wrk", "-t2", "-c16", f"-d{seconds}s", f"http://127.0.0.1:{port}{QUERY}"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    if "Non-2xx" in out or "Socket errors" in out:
        sys.exit(f"wrk reported errors:\n{out}")
    found = re.search(r"Requests/sec:\s+([\d.]+)", out)
    if not found:
        sys.exit(f"cannot read wrk's output:\n{out}")
    return float(found.group(1))


def throughput_once(service: Service, seconds: int) -> float:
    port = free_port()
    proc = service.start(port)
    try:
        deadline = time.perf_counter() + 60
        while get(port) is None:
            if proc.poll() is not None or time.perf_counter() > deadline:
                sys.exit(f"{service.name}: the server did not start")
            time.sleep(0.01)
        wrk(port, 2)  # warm-up
        return wrk(port, seconds)
    finally:
        stop(proc)


def find_project(workspace: Path, project: str | None) -> tuple[Path, str]:
    """The generated project directory and its Python module (the one with init.py + main.py)."""
    candidates = [workspace / project] if project else sorted(workspace.glob("packages/**/pyproject.toml"))
    for path in candidates:
        directory = path if path.is_dir() else path.parent
        if ".venv" in directory.parts:
            continue
        for init in sorted(directory.glob("*/init.py")):
            if (init.parent / "main.py").is_file():
                return directory, init.parent.name
    sys.exit(f"no generated fast-api project (<module>/init.py + main.py) found in {workspace}")


def check_generated(service: Service) -> None:
    """Fail unless the generated service has its per-request features on (log line, EMF, headers)."""
    with tempfile.TemporaryFile() as out:
        port = free_port()
        proc = service.start(port, out)
        try:
            deadline = time.perf_counter() + 60
            while (answer := get(port, "Origin: http://localhost:3000\r\n")) is None:
                if proc.poll() is not None or time.perf_counter() > deadline:
                    sys.exit(f"{service.name}: the server did not start")
                time.sleep(0.01)
        finally:
            stop(proc)
        out.seek(0)
        written = out.read().decode(errors="replace")
    head = answer[1].lower()
    missing = [name for name in ("x-correlation-id:", "access-control-allow-origin:") if name not in head]
    missing += [what for what in ('"request received"', '"_aws"', '"route":"GET /echo"') if what not in written]
    if missing:
        sys.exit(f"{service.name}: per-request features missing: {', '.join(missing)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("workspace", type=Path, help="a generated workspace, `uv sync`ed")
    parser.add_argument("--project", help="project dir inside the workspace (default: found under packages/)")
    parser.add_argument("--runs", type=int, default=10, help="start-up runs per app (default 10)")
    parser.add_argument("--duration", type=int, default=10, help="wrk seconds per measurement (default 10)")
    parser.add_argument("--rounds", type=int, default=4, help="throughput measurements per app (default 4)")
    args = parser.parse_args()

    workspace = args.workspace.resolve()
    python = workspace / ".venv" / "bin" / "python"
    if not python.exists():
        sys.exit(f"{python} not found: run `uv sync` in {workspace} first")
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed: apt-get install -y wrk")
    project_dir, module = find_project(workspace, args.project)

    with tempfile.TemporaryDirectory(prefix="bench-bare-") as tmp:
        (Path(tmp) / "bare_echo.py").write_text(BARE_APP)
        bare = Service("bare", python, "bare_echo", Path(tmp))
        generated = Service("generated", python, f"{module}.main", project_dir)
        versions = subprocess.run(
            [str(python), "-c", VERSIONS], capture_output=True, text=True, check=True
        ).stdout.split()
        print(f"generated: {project_dir} ({module}); bare: same venv, same GET /echo route")
        print(
            f"fastapi {versions[0]}, uvicorn {versions[1]}, python {versions[2]}; 1 worker, --no-access-log, "
            "logging ON (stdout -> /dev/null), tracing OFF (no LAMBDA_TASK_ROOT/AWS_LAMBDA_FUNCTION_NAME)"
        )
        check_generated(generated)

        # Warm-up launch of each (bytecode caches, page cache), then alternate the measured runs.
        startup_once(bare), startup_once(generated)
        times: dict[str, list[float]] = {"bare": [], "generated": []}
        for _ in range(args.runs):
            for service in (bare, generated):
                times[service.name].append(startup_once(service))
        start_bare, start_gen = statistics.median(times["bare"]), statistics.median(times["generated"])

        rps: dict[str, list[float]] = {"bare": [], "generated": []}
        for i in range(args.rounds):
            for service in (bare, generated) if i % 2 == 0 else (generated, bare):
                rps[service.name].append(throughput_once(service, args.duration))
        rps_bare, rps_gen = statistics.mean(rps["bare"]), statistics.mean(rps["generated"])

    # Each round runs both apps back to back: the median of the per-round ratios resists a burst
    # of load from other processes better than the ratio of the means (both are printed).
    pair_ratios = [gen / bare_rps for gen, bare_rps in zip(rps["generated"], rps["bare"], strict=True)]
    startup_ratio, throughput_ratio = start_gen / start_bare, statistics.median(pair_ratios)
    ok_startup, ok_throughput = startup_ratio <= STARTUP_BUDGET, throughput_ratio >= THROUGHPUT_BUDGET
    print(
        f"start-up   (median of {args.runs}): bare {start_bare * 1000:6.0f} ms   generated {start_gen * 1000:6.0f} ms"
        f"   ratio {startup_ratio:.2f}x   budget <= {STARTUP_BUDGET:.2f}x   {'OK' if ok_startup else 'OVER'}"
    )
    print(
        f"throughput (wrk -t2 -c16 -d{args.duration}s, mean of {args.rounds}): bare {rps_bare:7.0f} req/s   "
        f"generated {rps_gen:7.0f} req/s   ratio {throughput_ratio:.2f}x (median per round; of the means "
        f"{rps_gen / rps_bare:.2f}x)   budget >= {THROUGHPUT_BUDGET:.2f}x   {'OK' if ok_throughput else 'UNDER'}"
    )
    if len(rps["bare"]) > 1:
        print(
            "  runs: bare "
            + ", ".join(f"{v:.0f}" for v in rps["bare"])
            + "; generated "
            + ", ".join(f"{v:.0f}" for v in rps["generated"])
            + "; ratios "
            + ", ".join(f"{v:.2f}" for v in pair_ratios)
        )
    sys.exit(0 if ok_startup and ok_throughput else 1)


if __name__ == "__main__":
    main()
