"""The same input through the CLI (`main.py resend --json`) and through the window gives the
same attempt, field by field (ids, times and latency aside): both go through one pipeline."""

from __future__ import annotations

import json
from typing import Any

import pytest

from app.core.serialize import attempt_to_dict
from tests.gui.conftest import WindowHarness
from tests.integration.cli.test_cli import resend

# Different by nature on two runs of the same input.
PER_RUN = {"attempt_id", "started_at", "finished_at", "latency_ms", "request_id"}

CASES = [
    # username, sandbox client, metadata
    pytest.param("bob", "public", [("a", "1"), ("b", "x=y")], id="delivered-sms-metadata"),
    pytest.param("alice", "secret", [], id="delivered-with-secret-hash"),
    pytest.param("carol", "public", [], id="already-confirmed"),
    pytest.param("no-such-user", "protected", [("flow", "qa")], id="unknown-user"),
]


def _comparable(data: dict[str, Any]) -> dict[str, Any]:
    out = {k: v for k, v in data.items() if k not in PER_RUN}
    if isinstance(out.get("failure"), dict):
        out["failure"] = {k: v for k, v in out["failure"].items() if k != "request_id"}
    return out


@pytest.mark.parametrize(("username", "client", "metadata"), CASES)
def test_cli_and_window_record_the_same_attempt(
    harness: WindowHarness, username: str, client: str, metadata: list[tuple[str, str]]
) -> None:
    args = ["--username", username, "--sandbox-client", client, "--json"]
    if metadata:
        args += ["--metadata-json", json.dumps(dict(metadata))]
    out = resend(harness.sandbox, *args)
    assert "Traceback" not in out.stderr, out.stderr
    cli = json.loads(out.stdout)

    window = harness.open()
    window.sandbox_panel.set_client(client)
    window.form.metadata.set_pairs(metadata)
    final = harness.send(window, username)
    shown = attempt_to_dict(final)

    # The two attempts the pipeline recorded (same history file: same XDG folders).
    store = window.controllers.session.history
    assert store is not None
    by_cli = store.get(str(cli["attempt_id"]))
    by_window = store.get(final.attempt_id)
    assert by_cli is not None and by_window is not None
    assert attempt_to_dict(by_window) == shown  # the window shows what it recorded
    assert _comparable(attempt_to_dict(by_cli)) == _comparable(shown)
    # What the CLI printed is its recorded attempt. A failure's fields are repeated at the
    # top level as well (its kind as "failure_kind": "kind" stays the attempt's).
    printed = {k: cli[k] for k in shown}
    if by_cli.failure is not None:
        assert cli["failure_kind"] == by_cli.failure.kind.value
    assert _comparable(printed) == _comparable(
        {k: v for k, v in attempt_to_dict(by_cli).items() if k in printed}
    )
