"""The layers contract covers the whole CLI package: an upward import planted in a copy fails it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.timeout(120)


def _lint_imports() -> str:
    beside = Path(sys.executable).with_name("lint-imports")
    found = str(beside) if beside.exists() else shutil.which("lint-imports")
    if found is None:
        pytest.skip("lint-imports is not installed")
    return found


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """The app package and its import-linter config, copied (caches left out)."""
    copy = tmp_path / "tree"
    shutil.copytree(
        ROOT / "app", copy / "app", ignore=shutil.ignore_patterns("__pycache__", "*.pyc")
    )
    shutil.copy2(ROOT / "pyproject.toml", copy / "pyproject.toml")
    return copy


def _run(tree: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(tree)}
    return subprocess.run(
        [_lint_imports(), "--no-cache"],
        cwd=tree,
        env=env,
        capture_output=True,
        text=True,
        timeout=110,
        check=False,
    )


def test_the_copied_tree_keeps_every_contract(tree: Path) -> None:
    proc = _run(tree)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "broken" in proc.stdout and "0 broken" in proc.stdout


def test_a_service_importing_a_cli_module_breaks_the_layers(tree: Path) -> None:
    (tree / "app" / "services" / "x.py").write_text(
        '"""Planted by the test: an upward import."""\n\nimport app.cli.common  # noqa: F401\n',
        encoding="utf-8",
    )
    proc = _run(tree)
    assert proc.returncode != 0, proc.stdout
    assert "Layers point one way" in proc.stdout and "BROKEN" in proc.stdout
    assert "app.services.x -> app.cli.common" in proc.stdout
