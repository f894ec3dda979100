#!/usr/bin/env python3
"""Benchmark `fastgen generate fast-api` into a fresh workspace, whole process.

Prints the median wall time and the peak resident memory over N runs (default 30). Each run
gets its own fresh workspace made by `fastgen new` (not timed). Budget (spec/quality.md):
under 50 ms and 30 MB.

With `--update`, times `fastgen update` over a workspace with 10 APIs (mixed REST/HTTP,
auth modes and architectures, a CDK app) in which a user edited files: each run first makes
every API's `main.py` and construct differ from their baselines, so every file takes the 3-way path.

With `--client`, times `fastgen codegen client` on the 136-operation AWBotNest document of
the shared corpus (`../shared/corpus/openapi`, read in place; budget under 50 ms), then
bundles a one-operation import of the generated client with esbuild (minified, ESM, from
`.cache/tools/client`, which `scripts/install-tools.sh` installs) and prints its gzip size
(budget 3 KB), beside the size of importing the whole client class.

With `--mcp`, times the start-up of the MCP server: from spawning `fastgen mcp` to the
arrival of its answer to `initialize` on stdout (budget under 20 ms).

Usage: scripts/bench.py [--runs N] [--bin PATH] [--dry-run | --update | --metadata | --client | --mcp]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def run_measured(argv: list[str], cwd: Path) -> tuple[float, int]:
    """Run argv; return (wall seconds, peak RSS in KiB) of that one process."""
    start = time.perf_counter()
    pid = os.fork()
    if pid == 0:  # child
        try:
            os.chdir(cwd)
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, 1)
            os.dup2(devnull, 2)
            os.execv(argv[0], argv)
        finally:
            os._exit(127)
    _, status, usage = os.wait4(pid, 0)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"bench: `{' '.join(argv)}` failed in {cwd}")
    return wall, usage.ru_maxrss


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--bin", type=Path, default=REPO / "target" / "release" / "fastgen")
    parser.add_argument("--dry-run", action="store_true", help="time `--dry-run` instead of a real run")
    parser.add_argument(
        "--metadata",
        action="store_true",
        help="time `fastgen codegen metadata` on a generated 500-operation OpenAPI document instead",
    )
    parser.add_argument(
        "--client",
        action="store_true",
        help="time `fastgen codegen client` on AWBotNest (136 operations) and measure a one-operation bundle",
    )
    parser.add_argument(
        "--update",
        action="store_true",
        help="time `fastgen update` over a workspace with 10 APIs, with user edits to merge",
    )
    parser.add_argument(
        "--mcp",
        action="store_true",
        help="time `fastgen mcp` from spawn to its answer to `initialize`",
    )
    args = parser.parse_args()
    if args.bin == REPO / "target" / "release" / "fastgen":
        subprocess.run(["cargo", "build", "--release", "--locked", "-p", "fastgen"], cwd=REPO, check=True)
    binary = str(args.bin.resolve())

    if args.metadata:
        bench_metadata(binary, args.runs)
        return
    if args.client:
        bench_client(binary, args.runs)
        return
    if args.update:
        bench_update(binary, args.runs)
        return
    if args.mcp:
        bench_mcp(binary, args.runs)
        return

    walls: list[float] = []
    peaks: list[int] = []
    with tempfile.TemporaryDirectory(prefix="fastgen-bench-") as temp:
        base = Path(temp)
        for i in range(args.runs):
            ws = base / f"ws{i}"
            subprocess.run([binary, "new", ws.name], cwd=base, check=True, capture_output=True)
            argv = [binary, "generate", "fast-api", "my-api", "--no-interactive"]
            if args.dry_run:
                argv.append("--dry-run")
            wall, peak = run_measured(argv, ws)
            walls.append(wall)
            peaks.append(peak)
            shutil.rmtree(ws)

    mode = "dry run" if args.dry_run else "real run"
    median_ms = statistics.median(walls) * 1000
    print(f"fastgen generate fast-api ({mode}, {args.runs} runs, fresh workspace each)")
    print(f"  wall time: median {median_ms:.1f} ms, min {min(walls) * 1000:.1f} ms, max {max(walls) * 1000:.1f} ms")
    print(f"  peak memory: {max(peaks) / 1024:.1f} MB (max over runs), median {statistics.median(peaks) / 1024:.1f} MB")
    print(f"  budget: < 50 ms and < 30 MB -> {'within' if median_ms < 50 and max(peaks) / 1024 < 30 else 'OVER'} budget")


def bench_mcp(binary: str, runs: int) -> None:
    """`fastgen mcp`: spawn, send `initialize`, wait for its answer; then close stdin."""
    import json

    initialize = json.dumps(
        {
            "jsonrpc": "2.0",
            "id": 1,
            "method": "initialize",
            "params": {
                "protocolVersion": "2025-06-18",
                "capabilities": {},
                "clientInfo": {"name": "bench", "version": "1"},
            },
        }
    )
    walls: list[float] = []
    with tempfile.TemporaryDirectory(prefix="fastgen-bench-") as temp:
        for _ in range(runs):
            start = time.perf_counter()
            server = subprocess.Popen(
                [binary, "mcp"],
                cwd=temp,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                text=True,
            )
            assert server.stdin is not None and server.stdout is not None
            server.stdin.write(initialize + "\n")
            server.stdin.flush()
            answer = json.loads(server.stdout.readline())
            walls.append(time.perf_counter() - start)
            if answer.get("result", {}).get("serverInfo", {}).get("name") != "fastgen":
                sys.exit(f"bench: unexpected answer to initialize: {answer}")
            server.stdin.close()
            if server.wait(timeout=10) != 0:
                sys.exit("bench: `fastgen mcp` did not end cleanly when stdin closed")
    median_ms = statistics.median(walls) * 1000
    print(f"fastgen mcp start-up: spawn to the answer to initialize ({runs} runs)")
    print(f"  wall time: median {median_ms:.1f} ms, min {min(walls) * 1000:.1f} ms, max {max(walls) * 1000:.1f} ms")
    print(f"  budget: < 20 ms -> {'within' if median_ms < 20 else 'OVER'} budget")


def bench_update(binary: str, runs: int) -> None:
    """`fastgen update` over 10 APIs, each with an edited `main.py` and construct."""
    shapes = [
        ["--computeType", "rest", "--auth", "IAM"],
        ["--computeType", "http", "--auth", "Cognito"],
        ["--computeType", "rest", "--integrationPattern", "shared", "--auth", "None"],
        ["--computeType", "http", "--auth", "Custom", "--architecture", "arm64"],
        ["--computeType", "rest", "--auth", "Cognito", "--architecture", "arm64"],
    ]
    walls: list[float] = []
    peaks: list[int] = []
    with tempfile.TemporaryDirectory(prefix="fastgen-bench-") as temp:
        base = Path(temp)
        subprocess.run([binary, "new", "ws"], cwd=base, check=True, capture_output=True)
        ws = base / "ws"
        for i in range(10):
            argv = [binary, "generate", "fast-api", f"api-{i}", "--no-interactive", *shapes[i % len(shapes)]]
            subprocess.run(argv, cwd=ws, check=True, capture_output=True)
        subprocess.run([binary, "generate", "infra"], cwd=ws, check=True, capture_output=True)
        for run in range(runs):
            for i in range(10):
                for path in [
                    ws / f"packages/api_{i}/ws_api_{i}/main.py",
                    ws / f"packages/common/constructs/src/app/apis/api-{i}.ts",
                ]:
                    with path.open("a") as file:
                        file.write(f"\n# edit {run}\n" if path.suffix == ".py" else f"\n// edit {run}\n")
            wall, peak = run_measured([binary, "update", "--no-interactive"], ws)
            walls.append(wall)
            peaks.append(peak)
    median_ms = statistics.median(walls) * 1000
    print(f"fastgen update (10 APIs with a CDK app, 20 edited files each run, {runs} runs)")
    print(f"  wall time: median {median_ms:.1f} ms, min {min(walls) * 1000:.1f} ms, max {max(walls) * 1000:.1f} ms")
    print(f"  peak memory: {max(peaks) / 1024:.1f} MB (max over runs)")


def openapi_document(operations: int) -> dict[str, object]:
    """A FastAPI-shaped OpenAPI 3.1 document with `operations` operations."""
    paths: dict[str, object] = {}
    for i in range(operations):
        method = ("get", "post", "put", "delete")[i % 4]
        path = f"/resources{i // 4}/{{item_id}}"
        paths.setdefault(path, {})[method] = {
            "operationId": f"{method}_resource_{i}",
            "tags": [f"tag{i % 7}"],
            "parameters": [{"name": "item_id", "in": "path", "required": True, "schema": {"type": "integer"}}],
            "responses": {
                "200": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Item"}}}},
                "422": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
            },
        }
    return {
        "openapi": "3.1.0",
        "info": {"title": "Bench", "version": "0.1.0"},
        "paths": paths,
        "components": {
            "schemas": {
                "Item": {"type": "object", "properties": {"name": {"type": "string"}}},
                "Error": {"type": "object", "properties": {"detail": {"type": "string"}}},
            }
        },
    }


def bench_metadata(binary: str, runs: int) -> None:
    import json

    walls: list[float] = []
    peaks: list[int] = []
    with tempfile.TemporaryDirectory(prefix="fastgen-bench-") as temp:
        base = Path(temp)
        spec = base / "openapi.json"
        spec.write_text(json.dumps(openapi_document(500)))
        for i in range(runs):
            out = base / f"out{i}"
            wall, peak = run_measured([binary, "codegen", "metadata", "--spec", str(spec), "--out", str(out)], base)
            walls.append(wall)
            peaks.append(peak)
    median_ms = statistics.median(walls) * 1000
    print(f"fastgen codegen metadata (500 operations, {runs} runs, fresh output each)")
    print(f"  wall time: median {median_ms:.1f} ms, min {min(walls) * 1000:.1f} ms, max {max(walls) * 1000:.1f} ms")
    print(f"  peak memory: {max(peaks) / 1024:.1f} MB")
    print(f"  budget: < 100 ms -> {'within' if median_ms < 100 else 'OVER'} budget")


def bench_client(binary: str, runs: int) -> None:
    import gzip
    import json

    corpus = REPO.parent / "shared" / "corpus" / "openapi" / "AWdress__AWBotNest.json"
    if not corpus.is_file():
        sys.exit(f"bench: {corpus} is missing (the shared corpus sits beside the checkout in CI)")
    esbuild = REPO / ".cache" / "tools" / "client" / "node_modules" / ".bin" / "esbuild"
    if not esbuild.exists():
        sys.exit(f"bench: {esbuild} is missing; run scripts/install-tools.sh first")
    walls: list[float] = []
    peaks: list[int] = []
    with tempfile.TemporaryDirectory(prefix="fastgen-bench-") as temp:
        base = Path(temp)
        (base / "nx.json").write_text("{}\n")
        spec = base / "openapi.json"
        shutil.copyfile(corpus, spec)
        operations = sum(
            1 for item in json.loads(spec.read_text())["paths"].values() for key in item if key != "parameters"
        )
        for i in range(runs):
            out = base / f"out{i}"
            wall, peak = run_measured([binary, "codegen", "client", "--spec", str(spec), "--out", str(out)], base)
            walls.append(wall)
            peaks.append(peak)
        median_ms = statistics.median(walls) * 1000
        print(f"fastgen codegen client (AWBotNest, {operations} operations, {runs} runs, fresh output each)")
        print(f"  wall time: median {median_ms:.1f} ms, min {min(walls) * 1000:.1f} ms, max {max(walls) * 1000:.1f} ms")
        print(f"  peak memory: {max(peaks) / 1024:.1f} MB")
        print(f"  budget: < 50 ms -> {'within' if median_ms < 50 else 'OVER'} budget")

        out = base / "out0"
        client = (out / "client.gen.ts").read_text()
        class_name = next(
            line.split()[2]
            for line in client.splitlines()
            if line.startswith("export class ") and line.endswith(" {") and "<" not in line and "extends" not in line
        )
        first = next(
            line.split()[2]
            for line in client.splitlines()
            if line.startswith("export const ") and "=> call(" not in line and "(config: ClientConfig" in line
        )
        sizes = {}
        for label, entry in [
            (f"one operation (`{first}`)", f"import {{ {first} }} from './client.gen';\nconsole.log({first});\n"),
            (f"the class `{class_name}`", f"import {{ {class_name} }} from './client.gen';\nconsole.log({class_name});\n"),
        ]:
            (out / "entry.ts").write_text(entry)
            bundle = out / "bundle.js"
            subprocess.run(
                [str(esbuild), "entry.ts", "--bundle", "--minify", "--format=esm", "--platform=browser",
                 f"--outfile={bundle}", "--log-level=error"],
                cwd=out,
                check=True,
            )
            raw = bundle.read_bytes()
            sizes[label] = (len(raw), len(gzip.compress(raw, 9)))
        for label, (raw_size, gz_size) in sizes.items():
            print(f"  bundle of {label}: {raw_size / 1024:.1f} KB minified, {gz_size / 1024:.2f} KB gzip")
        one = next(iter(sizes.values()))[1] / 1024
        print(f"  budget: one operation <= 3 KB gzip -> {'within' if one <= 3 else 'OVER'} budget")


if __name__ == "__main__":
    main()
