"""The release workflow (Windows, macOS and Linux installers) passes actionlint."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
WORKFLOW = ROOT / ".github" / "workflows" / "release.yml"


def _actionlint() -> str:
    # The wheel puts the binary beside the interpreter (the venv's bin/ or Scripts/).
    here = Path(sys.executable).with_name("actionlint")
    found = str(here) if here.exists() else shutil.which("actionlint")
    if found is None:
        pytest.fail("actionlint is not installed: it comes with the test extra (pyproject.toml)")
    return found


def _lint(path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [_actionlint(), "-no-color", str(path)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_release_workflow_passes_actionlint() -> None:
    result = _lint(WORKFLOW)
    assert result.returncode == 0, result.stdout + result.stderr


def test_release_workflow_builds_every_installer() -> None:
    text = WORKFLOW.read_text(encoding="utf-8")
    for runner in ("windows-latest", "macos-latest", "ubuntu-"):
        assert f"runs-on: {runner}" in text
    # Each platform's frozen app runs its own self-test, and the artefacts are the
    # installers staff use.
    assert text.count("--self-test") >= 4
    for artefact in ("setup.exe", ".dmg", ".deb", "cognito-resend.iss"):
        assert artefact in text


def test_actionlint_catches_a_broken_workflow(tmp_path: Path) -> None:
    """A negative control: the linter in use does reject a bad workflow."""
    broken = tmp_path / ".github" / "workflows" / "broken.yml"
    broken.parent.mkdir(parents=True)
    broken.write_text(
        WORKFLOW.read_text(encoding="utf-8").replace(
            "runs-on: windows-latest", "runs-on: windows-latest\n    timeout-minutes: soon"
        ),
        encoding="utf-8",
    )
    result = _lint(broken)
    assert result.returncode != 0
    assert "timeout-minutes" in result.stdout
