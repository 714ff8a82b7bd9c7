"""Runs every benchmark, each in its own process; writes bench/out/results.json and a table.

    python bench/run_all.py [--only NAME ...] [--out FILE]     (make bench)

BENCH_TINY=1 shrinks every size (the smoke test uses it). Each figure is a median over
repeated runs with its min and max, and a ratio against a baseline measured in the same
run; see bench/common.py for the schema.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import REQUIRED_KEYS, ROOT, load_average, parse_results, tiny

BENCH = ROOT / "bench"
# (group, command): each command prints one or more results (bench.common.emit).
SUITES: dict[str, list[str]] = {
    "startup": ["bench_startup.py"],
    "overhead": ["bench_overhead.py"],
    "cli": ["bench_cli.py"],
    "responsiveness": ["bench_window.py", "responsiveness"],
    "history": ["bench_window.py", "history"],
    "memory": ["bench_window.py", "memory"],
    "diagnosis": ["bench_diagnosis.py"],
    "batch": ["bench_batch.py"],
    "sandbox": ["bench_sandbox.py"],
    "bundle": ["bench_bundle.py"],
}
# Printed (then one JSON object: {name: why}) by a benchmark that cannot run here; the
# runner records it under meta.skipped instead of failing (bench_bundle under BENCH_TINY
# when no bundle has been built).
SKIP_PREFIX = "BENCH_SKIPPED "
TIMEOUT_S = 1800


def skipped_in(stdout: str) -> dict[str, str]:
    found: dict[str, str] = {}
    for line in stdout.splitlines():
        if line.startswith(SKIP_PREFIX):
            found.update(json.loads(line[len(SKIP_PREFIX):]))
    return found


def run_suite(
    name: str, argv: list[str], skipped: dict[str, str]
) -> tuple[list[dict[str, Any]], str | None]:
    cmd = [sys.executable, str(BENCH / argv[0]), *argv[1:]]
    if not (BENCH / argv[0]).exists():  # bench_diagnosis.py comes with the diagnosis branch
        skipped[name] = f"bench/{argv[0]} is not on this branch"
        return [], None
    print(f"[bench] {name}: {' '.join(argv)} ...", file=sys.stderr, flush=True)
    t0 = time.perf_counter()
    try:
        proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=TIMEOUT_S)
    except subprocess.TimeoutExpired:
        return [], f"timed out after {TIMEOUT_S} s"
    took = time.perf_counter() - t0
    results = parse_results(proc.stdout)
    skips = skipped_in(proc.stdout)
    skipped.update(skips)
    print(f"[bench] {name}: {len(results)} result(s) in {took:.1f} s", file=sys.stderr)
    if proc.returncode == 0 and not results and skips:
        return results, None
    if proc.returncode != 0 or not results:
        tail = (proc.stderr or proc.stdout).strip().splitlines()[-8:]
        return results, f"exit {proc.returncode}: " + " | ".join(tail)
    return results, None


def _fmt(x: float) -> str:
    return f"{x:.1f}" if abs(x) >= 10 else f"{x:.2f}"


def table(benchmarks: dict[str, dict[str, Any]]) -> str:
    head = ("benchmark", "median", "min", "max", "baseline", "ratio", "target", "met", "runs")
    rows = [head]
    for name, r in benchmarks.items():
        on = r["target_on"]
        target = {"ratio": f"<= {r['target']}x", "median": f"<= {r['target']} {r['unit']}",
                  "extra": f"+<= {r['target']} {r['unit']}"}[on]
        rows.append((
            name, f"{_fmt(r['median'])} {r['unit']}", _fmt(r["min"]), _fmt(r["max"]),
            _fmt(r["baseline_median"]), f"{r['ratio']:.2f}x", target,
            "yes" if r["met"] else "NO", str(r["runs"]),
        ))
    widths = [max(len(row[i]) for row in rows) for i in range(len(head))]
    lines = ("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) for row in rows)
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--only", action="append", choices=sorted(SUITES), default=[],
                        help="run only this group (repeatable)")
    parser.add_argument("--out", type=Path, default=BENCH / "out" / "results.json")
    args = parser.parse_args(argv)
    chosen = args.only or list(SUITES)
    started = datetime.now(UTC).isoformat(timespec="seconds")
    load_before = load_average()
    benchmarks: dict[str, dict[str, Any]] = {}
    errors: dict[str, str] = {}
    skipped: dict[str, str] = {}
    for name in chosen:
        results, error = run_suite(name, SUITES[name], skipped)
        for r in results:
            missing = [k for k in REQUIRED_KEYS if k not in r]
            if missing:
                errors[r.get("name", name)] = f"result lacks {missing}"
            benchmarks[r["name"]] = r
        if error:
            errors[name] = error
    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT,
                                capture_output=True, text=True).stdout.strip()
    except OSError:
        commit = ""
    doc: dict[str, Any] = {
        "meta": {
            "started": started,
            "commit": commit,
            "tiny": tiny(),
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
            "load_average_before": load_before,
            "load_average_after": load_average(),
            "errors": errors,
            "skipped": skipped,
        },
        "benchmarks": benchmarks,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(doc, indent=2) + "\n")
    print(table(benchmarks))
    print(f"load average before {load_before}, after {doc['meta']['load_average_after']}; "
          f"{os.cpu_count()} CPUs; written to {args.out}")
    for name, why in skipped.items():
        print(f"SKIPPED {name}: {why}")
    for name, why in errors.items():
        print(f"ERROR {name}: {why}")
    return 1 if errors else 0


if __name__ == "__main__":
    raise SystemExit(main())
