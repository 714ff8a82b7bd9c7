"""Benchmark: bundle size and time to first window, frozen vs from source, in one run (JSON).

    python bench/bench_bundle.py [--dist DIR] [--build] [--runs N]

--dist   where packaging/build.sh put its output (default dist/); --build builds there first
         (and reports the build time). First-window time: spawn to the line the app prints
         once its main window is shown (COGNITO_RESEND_EXIT_AFTER_SHOWN=1), offscreen, with
         frozen and source runs interleaved so that machine load hits both alike; medians.
Targets: bundle <= 150 MB; frozen first window <= 1.5 x source.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
APP_ID = "cognito-resend"
MARKER = "cognito-resend: main window shown"  # app/ui/application.py
SIZE_TARGET_MB = 150
RATIO_TARGET = 1.5


def tree_mb(path: Path) -> float:
    files = (p for p in path.rglob("*") if p.is_file() and not p.is_symlink())
    return round(sum(p.stat().st_size for p in files) / 1e6, 1)


def first_window_s(cmd: list[str], timeout: float = 120) -> float:
    """Seconds from spawn until the app reports its window shown; the app is then stopped."""
    with tempfile.TemporaryDirectory(prefix="bench-bundle-") as home:
        env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
        env.update(
            QT_QPA_PLATFORM="offscreen",
            COGNITO_RESEND_EXIT_AFTER_SHOWN="1",
            HOME=home,
            XDG_CONFIG_HOME=f"{home}/config",
            XDG_DATA_HOME=f"{home}/data",
            XDG_STATE_HOME=f"{home}/state",
            XDG_CACHE_HOME=f"{home}/cache",
        )
        t0 = time.perf_counter()
        proc = subprocess.Popen(
            cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
        )
        try:
            assert proc.stdout is not None
            for line in proc.stdout:
                if MARKER in line:
                    return time.perf_counter() - t0
                if time.perf_counter() - t0 > timeout:
                    break
            raise RuntimeError(f"{cmd[0]} never reported its window (exit {proc.poll()})")
        finally:
            # The shutdown after the marker is not what is measured; do not wait for it.
            proc.kill()
            proc.wait()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--dist", type=Path, default=ROOT / "dist")
    parser.add_argument("--build", action="store_true", help="run packaging/build.sh first")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    dist: Path = args.dist.resolve()
    build_s = None
    if args.build:
        t0 = time.perf_counter()
        subprocess.run(
            ["bash", str(ROOT / "packaging" / "build.sh"), "--out", str(dist)],
            cwd=ROOT,
            env={**os.environ, "PYTHON": sys.executable},
            check=True,
        )
        build_s = round(time.perf_counter() - t0, 1)
    bundle = dist / APP_ID
    exe = bundle / APP_ID
    if not exe.exists():
        print(f"no bundle at {bundle}: run packaging/build.sh (or pass --build)", file=sys.stderr)
        return 2
    frozen_cmd = [str(exe)]
    source_cmd = [sys.executable, str(ROOT / "main.py")]
    # One unmeasured start each: the first reads everything from disk into the page cache.
    first_window_s(frozen_cmd)
    first_window_s(source_cmd)
    frozen, source = [], []
    for _ in range(args.runs):
        frozen.append(first_window_s(frozen_cmd))
        source.append(first_window_s(source_cmd))
    size = tree_mb(bundle)
    frozen_med, source_med = statistics.median(frozen), statistics.median(source)
    ratio = frozen_med / source_med
    artefacts = {
        p.name: round(p.stat().st_size / 1e6, 1)
        for p in sorted(dist.glob(f"{APP_ID}*"))
        if p.suffix in (".gz", ".deb")
    }
    result = {
        "name": "bundle",
        "bundle_mb": size,
        "bundle_target_mb": SIZE_TARGET_MB,
        "bundle_ok": size <= SIZE_TARGET_MB,
        "artefacts_mb": artefacts,
        "build_s": build_s,
        "runs": args.runs,
        "first_window_frozen_s": round(frozen_med, 3),
        "first_window_source_s": round(source_med, 3),
        "first_window_frozen_all_s": [round(x, 3) for x in frozen],
        "first_window_source_all_s": [round(x, 3) for x in source],
        "frozen_over_source": round(ratio, 2),
        "ratio_target": RATIO_TARGET,
        "ratio_ok": ratio <= RATIO_TARGET,
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }
    print(json.dumps(result))
    return 0 if result["bundle_ok"] and result["ratio_ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
