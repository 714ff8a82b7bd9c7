"""Helpers shared by the reliability tests: subprocess CLI runs, an out-of-process sandbox,
and a scanner that looks for secret values in every file under a set of folders."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.support.sandbox import no_credentials_env

REPO = Path(__file__).resolve().parents[2]
MAIN = REPO / "main.py"


def cli_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    """This process's environment (with the test's XDG folders), no AWS credentials."""
    env = no_credentials_env()
    env.pop("COGNITO_RESEND_SANDBOX_URL", None)
    env.update(extra or {})
    return env


def run_cli(
    *args: str, env: dict[str, str] | None = None, stdin: str | None = None, timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(MAIN), *args],
        cwd=REPO,
        env=cli_env(env),
        input=stdin,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


@dataclass(frozen=True)
class ExternalSandbox:
    """`python main.py sandbox --json` running in its own process."""

    proc: subprocess.Popen[str]
    info: dict[str, Any]

    @property
    def url(self) -> str:
        return str(self.info["endpoint_url"])

    def client(self, name: str) -> dict[str, Any]:
        return next(c for c in self.info["clients"] if c["name"] == name)


@contextmanager
def external_sandbox(resend_limit: int = 10_000) -> Iterator[ExternalSandbox]:
    proc = subprocess.Popen(
        [sys.executable, str(MAIN), "sandbox", "--json", "--resend-limit", str(resend_limit)],
        cwd=REPO,
        env=cli_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        assert line, "the sandbox process printed nothing"
        yield ExternalSandbox(proc, json.loads(line))
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


def files_under(roots: Iterable[Path]) -> list[Path]:
    found: list[Path] = []
    for root in roots:
        if root.is_dir():
            found.extend(p for p in sorted(root.rglob("*")) if p.is_file())
    return found


def scan(
    roots: Iterable[Path], needles: Iterable[str], texts: dict[str, str] | None = None
) -> list[str]:
    """Where any needle occurs: "path: needle[:8]..." for files under `roots` (raw bytes,
    plus UTF-16 and JSON-escaped forms) and for the named `texts`."""
    forms: list[tuple[str, bytes]] = []
    for needle in needles:
        if not needle:
            continue
        label = needle[:8] + "..."
        escaped = json.dumps(needle)[1:-1]
        for variant in {needle, escaped, needle.replace("/", "\\/")}:
            forms.append((label, variant.encode()))
        forms.append((label, needle.encode("utf-16-le")))
    hits: list[str] = []
    for path in files_under(roots):
        data = path.read_bytes()
        hits.extend(f"{path}: {label}" for label, form in forms if form in data)
    for name, text in (texts or {}).items():
        data = text.encode()
        hits.extend(f"{name}: {label}" for label, form in forms if form in data)
    return sorted(set(hits))


def xdg_roots() -> list[Path]:
    """The XDG folders of this test (conftest points them at tmp_path), plus a throw-away
    HOME (the keyring harness makes one; a real home is never scanned)."""
    roots = [
        Path(os.environ[v])
        for v in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME")
    ]
    home = Path(os.environ.get("HOME", "/nonexistent"))
    if home.is_dir() and "cognito-resend-keyring" in str(home):
        roots.append(home)
    return roots
