"""Benchmark: bundle size and time to first window, frozen vs from source, in one run.

    python bench/bench_bundle.py [--dist DIR] [--build | --no-build] [--runs N]

Builds the onedir bundle with packaging/build.sh (no .tar.gz/.deb) into bench/out/dist
first, unless --no-build, or BENCH_TINY (the smoke test), where it reuses a bundle already
built there or in dist/ and says so in the rows (`build`), and emits nothing (a skip)
when there is none. First-window time: spawn to the line the app prints once its main
window is shown (COGNITO_RESEND_EXIT_AFTER_SHOWN=1), offscreen, frozen and source runs
interleaved so that machine load hits both alike; medians.
Targets: bundle <= 120 MB; frozen first window <= 1.3 x source.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
APP_ID = "cognito-resend"
MARKER = "cognito-resend: main window shown"  # app/ui/application.py
SIZE_TARGET_MB = 120
RATIO_TARGET = 1.3
SKIP_PREFIX = "BENCH_SKIPPED "  # bench/run_all.py: this benchmark did not run, and why


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
    sys.path.insert(0, str(ROOT))
    from bench.common import emit, figure, tiny

    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--dist", type=Path, default=None)
    parser.add_argument("--build", action="store_true", default=None,
                        help="run packaging/build.sh first (the default unless BENCH_TINY)")
    parser.add_argument("--no-build", dest="build", action="store_false")
    parser.add_argument("--runs", type=int, default=None)
    args = parser.parse_args()
    small = tiny()
    build = (not small) if args.build is None else args.build
    runs = args.runs or (2 if small else 7)
    out_dist = ROOT / "bench" / "out" / "dist"
    if args.dist is not None:
        dist: Path = args.dist.resolve()
    elif build or (out_dist / APP_ID / APP_ID).exists():
        dist = out_dist
    else:
        dist = ROOT / "dist"
    build_s = None
    if build:
        t0 = time.perf_counter()
        subprocess.run(
            ["bash", str(ROOT / "packaging" / "build.sh"), "--out", str(dist), "--no-tar",
             "--no-deb"],
            cwd=ROOT,
            env={**os.environ, "PYTHON": sys.executable},
            check=True,
            stdout=subprocess.DEVNULL,
        )
        build_s = round(time.perf_counter() - t0, 1)
    bundle = dist / APP_ID
    exe = bundle / APP_ID
    if not exe.exists():
        why = f"no bundle at {bundle} and BENCH_TINY does not build one (make bench does)"
        print(SKIP_PREFIX + json.dumps({"bundle": why}), flush=True)
        return 0
    how = f"built now in {build_s} s" if build_s is not None else f"reused {bundle} (not rebuilt)"
    frozen_cmd = [str(exe)]
    source_cmd = [sys.executable, str(ROOT / "main.py")]
    # One unmeasured start each: the first reads everything from disk into the page cache.
    first_window_s(frozen_cmd)
    first_window_s(source_cmd)
    frozen, source = [], []
    for _ in range(runs):
        frozen.append(first_window_s(frozen_cmd) * 1000)
        source.append(first_window_s(source_cmd) * 1000)
    size = tree_mb(bundle)
    emit(figure(
        "bundle_size", [size], [size], unit="MB", target=SIZE_TARGET_MB, target_on="median",
        description=f"size of the onedir bundle ({how}); target: at most {SIZE_TARGET_MB} MB",
        build=how, build_s=build_s, largest_files_mb=largest(bundle),
    ))
    emit(figure(
        "bundle_start", frozen, source, unit="ms", target=RATIO_TARGET,
        description="spawn to main window shown, the frozen bundle vs `python main.py` from "
        f"source, interleaved, offscreen ({how})",
        build=how,
    ))
    return 0


def largest(bundle: Path, n: int = 8) -> dict[str, float]:
    files = [p for p in bundle.rglob("*") if p.is_file() and not p.is_symlink()]
    files.sort(key=lambda p: p.stat().st_size, reverse=True)
    return {str(p.relative_to(bundle)): round(p.stat().st_size / 1e6, 1) for p in files[:n]}


if __name__ == "__main__":
    sys.exit(main())
