"""Shared by the benchmarks: result schema, statistics, child environments, a sandbox process."""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
# A line starting with this, then one JSON object, is a result the runner collects.
RESULT_PREFIX = "BENCH_RESULT "
TINY_ENV = "BENCH_TINY"
REQUIRED_KEYS = (
    "median", "min", "max", "baseline_median", "ratio", "target", "unit", "runs",
)


def tiny() -> bool:
    """BENCH_TINY=1: the smallest sizes that still exercise every code path (smoke test)."""
    return os.environ.get(TINY_ENV, "") not in ("", "0")


def load_average() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def figure(
    name: str,
    samples: Sequence[float],
    baseline: Sequence[float],
    *,
    unit: str,
    target: float,
    target_on: str = "ratio",
    description: str,
    **extra: Any,
) -> dict[str, Any]:
    """One benchmark in the common schema: medians over runs, ratio against the baseline.

    `target_on` says which figure the target bounds (all are "at most"): "ratio"
    (median / baseline_median), "median" (the figure itself, in `unit`) or "extra"
    (median - baseline_median, in `unit`).
    """
    if not samples or not baseline:
        raise ValueError(f"{name}: no samples")
    med, base = statistics.median(samples), statistics.median(baseline)
    ratio = med / base if base else float("inf")
    checked = {"ratio": ratio, "median": med, "extra": med - base}[target_on]
    return {
        "name": name,
        "description": description,
        "median": round(med, 4),
        "min": round(min(samples), 4),
        "max": round(max(samples), 4),
        "baseline_median": round(base, 4),
        "baseline_min": round(min(baseline), 4),
        "baseline_max": round(max(baseline), 4),
        "ratio": round(ratio, 3),
        "target": target,
        "target_on": target_on,
        "met": checked <= target,
        "unit": unit,
        "runs": len(samples),
        "baseline_runs": len(baseline),
        "load_average": load_average(),
        **extra,
    }


def emit(result: dict[str, Any]) -> None:
    """Hand one result to the runner (stdout, one line)."""
    print(RESULT_PREFIX + json.dumps(result), flush=True)


def parse_results(stdout: str) -> list[dict[str, Any]]:
    return [
        json.loads(line[len(RESULT_PREFIX):])
        for line in stdout.splitlines()
        if line.startswith(RESULT_PREFIX)
    ]


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0-100), nearest-rank: never smaller than a real sample."""
    ordered = sorted(values)
    if not ordered:
        raise ValueError("no values")
    rank = max(1, -(-len(ordered) * q // 100))  # ceil without floats drifting
    return ordered[int(rank) - 1]


def child_env(home: Path, **overrides: str) -> dict[str, str]:
    """An environment for an app process: offscreen Qt, its own HOME/XDG, no AWS config."""
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    for var in ("AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        env.pop(var, None)
    env.update(
        QT_QPA_PLATFORM="offscreen",
        QT_API="pyside6",
        HOME=str(home),
        XDG_CONFIG_HOME=str(home / "config"),
        XDG_DATA_HOME=str(home / "data"),
        XDG_STATE_HOME=str(home / "state"),
        XDG_CACHE_HOME=str(home / "cache"),
        AWS_CONFIG_FILE=os.devnull,
        AWS_SHARED_CREDENTIALS_FILE=os.devnull,
        AWS_EC2_METADATA_DISABLED="true",
    )
    env.update(overrides)
    return env


def use_home(home: Path) -> None:
    """Point this process's HOME/XDG folders at `home` (window benchmarks)."""
    for key, value in child_env(home).items():
        if key in ("HOME", "AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE") or key.startswith(
            ("XDG_", "QT_", "AWS_EC2")
        ):
            os.environ[key] = value
    os.environ.pop("DISPLAY", None)
    os.environ.pop("WAYLAND_DISPLAY", None)


def time_process(cmd: Sequence[str], env: dict[str, str], timeout: float = 120) -> float:
    """Wall seconds of one whole process (spawn to exit); raises if it fails."""
    t0 = time.perf_counter()
    proc = subprocess.run(
        list(cmd), env=env, cwd=ROOT, capture_output=True, text=True, timeout=timeout
    )
    elapsed = time.perf_counter() - t0
    if proc.returncode != 0:
        raise RuntimeError(
            f"{cmd[0]} exited {proc.returncode}: {(proc.stderr or proc.stdout)[-800:]}"
        )
    return elapsed


def time_to_line(
    cmd: Sequence[str], env: dict[str, str], marker: str, timeout: float = 120
) -> float:
    """Seconds from spawn to the first stdout line containing `marker`; the process is killed."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        list(cmd), cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
    )
    try:
        assert proc.stdout is not None
        for line in proc.stdout:  # ends at EOF: a dead child cannot hang this loop
            if marker in line:
                return time.perf_counter() - t0
            if time.perf_counter() - t0 > timeout:
                break
        raise RuntimeError(f"{cmd[-1]} never printed {marker!r} (exit {proc.poll()})")
    finally:
        # What happens after the marker (shutdown) is not measured; do not wait for it.
        proc.kill()
        proc.wait()


@contextmanager
def sandbox_process(resend_limit: int = 10_000) -> Iterator[dict[str, Any]]:
    """A sandbox in its own process (so its CPU is not counted in the app's), on 127.0.0.1.

    Yields its `sandbox --json` description (endpoint_url, region, clients, users).
    """
    with tempfile.TemporaryDirectory(prefix="bench-sandbox-") as home:
        proc = subprocess.Popen(
            [sys.executable, str(ROOT / "main.py"), "sandbox", "--json", "--host", "127.0.0.1",
             "--resend-limit", str(resend_limit)],
            cwd=ROOT,
            env=child_env(Path(home)),
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        try:
            assert proc.stdout is not None
            line = proc.stdout.readline()
            if not line:
                raise RuntimeError(f"the sandbox did not start (exit {proc.wait(5)})")
            yield json.loads(line)
        finally:
            proc.terminate()
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def resendable_users(info: dict[str, Any]) -> list[str]:
    """Seeded users a resend through the `public` client delivers to: unconfirmed, enabled,
    in the main pool (the others exist to show refusals, not to be timed)."""
    main_pool = info["user_pool_id"]
    return [
        u["username"]
        for u in info["users"]
        if u["status"] == "UNCONFIRMED"
        and u.get("enabled", True)
        and u.get("user_pool_id", main_pool) == main_pool
    ]


def client_id(info: dict[str, Any], name: str = "public") -> str:
    return str(next(c["client_id"] for c in info["clients"] if c["name"] == name))


def rss_mb(pid: int | None = None) -> float:
    """Resident set size (VmRSS) in MB, from /proc."""
    status = Path(f"/proc/{pid or 'self'}/status").read_text()
    for line in status.splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise KeyError("VmRSS")
