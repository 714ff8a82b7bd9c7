"""Trigger debugging in the window: attach a local handler, see its run in the details, preview
the event (equal to what the handler received), save it; over the real sandbox and HTTP.

Ordinary handlers run on the session sandbox with Cognito's 5 s limit; the two that must be
killed (slow, infinite loop) on a module sandbox with a 1.5 s limit, as in
tests/integration/test_sandbox_trigger.py.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from app.core.outcome import Status
from app.core.profile import Profile
from app.sandbox.server import Sandbox
from app.services.paths import AppPaths
from app.services.trigger_notes import STREAM_MAX_CHARS, trigger_run_notes
from app.ui.controllers.types import ProfileEdit
from app.ui.dialogs.trigger_event_dialog import TriggerEventDialog
from app.ui.window.main_window import MainWindow
from tests.gui.conftest import WAIT_MS, WindowHarness

TRIGGERS = Path(__file__).resolve().parents[2] / "data" / "triggers"
HANDLERS = TRIGGERS / "handlers.py"

TRIGGER_NAMES = (
    "triggerHandlerEdit",
    "triggerAttachButton",
    "triggerDetachButton",
    "triggerStatusLabel",
    "presetSelector",
)


def spec(function: str) -> str:
    return f"{HANDLERS}:{function}"


@pytest.fixture
def detached(harness: WindowHarness) -> Iterator[WindowHarness]:
    """The harness; the session sandbox's trigger is detached afterwards (it is shared)."""
    yield harness
    harness.sandbox.set_custom_message_trigger(None)


@pytest.fixture(scope="module")
def quick_sandbox() -> Iterator[Sandbox]:
    # The sandbox tries a trigger that does not answer three times, as Cognito does: 3 x 0.8 s.
    box = Sandbox(trigger_timeout_s=0.8)
    box.start()
    yield box
    box.stop()


@pytest.fixture
def quick(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop, quick_sandbox: Sandbox
) -> Iterator[WindowHarness]:
    """A window harness over the 0.8 s sandbox, for the handlers that must be killed."""
    quick_sandbox.reset()
    h = WindowHarness(qtbot, quick_sandbox, AppPaths.from_platform().ensure(), [])
    yield h
    for window in list(h.windows):
        h.close(window)


def attach(h: WindowHarness, window: MainWindow, handler: str) -> None:
    row = window.sandbox_panel.trigger_row
    row.handler_edit.setText(handler)
    row.attach_button.click()
    h.qtbot.waitUntil(lambda: row.attached() == handler, timeout=WAIT_MS)
    assert h.sandbox.custom_message_trigger == handler


def send_with(
    h: WindowHarness, window: MainWindow, username: str, **metadata: str
) -> Any:
    window.form.metadata.set_pairs(list(metadata.items()))
    return h.send(window, username)


def test_trigger_widgets_are_named(detached: WindowHarness) -> None:
    window = detached.open()
    for name in (*TRIGGER_NAMES, "presetSaveButton", "presetManageButton"):
        widget = window.findChild(QWidget, name)
        assert widget is not None, name
        assert widget.accessibleName() == name


def test_attach_from_the_file_chooser_then_detach(detached: WindowHarness) -> None:
    h = detached
    window = h.open()
    row = window.sandbox_panel.trigger_row
    h.qtbot.waitUntil(lambda: row.status_label.text() == "no trigger attached", timeout=WAIT_MS)
    assert not row.detach_button.isEnabled()
    row.choose_file = lambda _parent: str(HANDLERS)
    row.browse_button.click()
    assert row.handler_edit.text() == f"{HANDLERS}:handler"
    row.handler_edit.setText(spec("ok"))
    row.attach_button.click()
    h.qtbot.waitUntil(lambda: row.attached() == spec("ok"), timeout=WAIT_MS)
    assert row.status_label.text() == "attached: handlers.py:ok"
    assert h.sandbox.custom_message_trigger == spec("ok")
    # A function already typed survives choosing the file again.
    row.browse_button.click()
    assert row.handler_edit.text() == spec("ok")
    row.detach_button.click()
    h.qtbot.waitUntil(lambda: row.attached() is None, timeout=WAIT_MS)
    assert row.status_label.text() == "no trigger attached"
    assert h.sandbox.custom_message_trigger is None


def test_unusable_handler_is_refused_with_the_reason(detached: WindowHarness) -> None:
    h = detached
    window = h.open()
    row = window.sandbox_panel.trigger_row
    row.handler_edit.setText(f"{TRIGGERS}/missing.py:h")
    row.attach_button.click()
    h.qtbot.waitUntil(lambda: row.status_label.text().startswith("not changed:"), timeout=WAIT_MS)
    assert "missing.py" in row.status_label.text()
    assert h.sandbox.custom_message_trigger is None


def test_a_bad_handler_path_or_function_is_said_plainly(detached: WindowHarness) -> None:
    # Issue 14: the file/function problem in plain words, never the sandbox's "HTTP 400".
    h = detached
    window = h.open()
    row = window.sandbox_panel.trigger_row
    row.handler_edit.setText(f"{HANDLERS}:no_such_function")
    row.attach_button.click()
    h.qtbot.waitUntil(lambda: row.status_label.text().startswith("not changed:"), timeout=WAIT_MS)
    text = row.status_label.text()
    assert "handlers.py has no function “no_such_function”" in text
    assert "HTTP" not in text
    row.handler_edit.setText(f"{TRIGGERS}/missing.py:h")
    row.attach_button.click()
    h.qtbot.waitUntil(lambda: "missing.py" in row.status_label.text(), timeout=WAIT_MS)
    assert "HTTP" not in row.status_label.text()
    assert h.sandbox.custom_message_trigger is None


def test_a_trigger_attached_elsewhere_shows_when_the_window_opens(
    detached: WindowHarness,
) -> None:
    detached.sandbox.set_custom_message_trigger(spec("unchanged"))
    window = detached.open()
    row = window.sandbox_panel.trigger_row
    detached.qtbot.waitUntil(lambda: row.attached() == spec("unchanged"), timeout=WAIT_MS)
    assert row.handler_edit.text() == spec("unchanged")


@pytest.mark.parametrize(
    ("function", "username", "metadata", "code", "expected"),
    [
        (
            "ok",
            "alice",
            {"flow": "gui"},
            None,
            [
                "Exit status: 0",
                "Subject: Your code (gui)",
                "stdout:\nok handler for alice",
                "stderr:\na warning on stderr",
            ],
        ),
        (
            "ok",
            "bob",
            {},
            None,
            ["SMS message: SMS {####} (none)", "stdout:\nok handler for bob"],
        ),
        (
            "raises",
            "alice",
            {},
            "UserLambdaValidationException",
            [
                "stdout:\nabout to refuse",
                "ValueError: Sign-ups from this domain are closed",
                # Issue 14: it says that it raised, not "Exit status: 0" above the traceback.
                "Result: the handler raised an exception: Sign-ups from this domain are closed",
            ],
        ),
        (
            "no_code",
            "alice",
            {},
            "InvalidLambdaResponseException",
            ["emailMessage must contain the code parameter", "Exit status: 0"],
        ),
        (
            "not_dict",
            "alice",
            {},
            "InvalidLambdaResponseException",
            ["Invalid JSON", "stdout: (empty)"],
        ),
        ("exits", "alice", {}, "UnexpectedLambdaException", ["Exit status: 3", "exiting hard"]),
        (
            "slow",
            "alice",
            {"sleep": "0.3"},
            None,
            ["Email message: slow but fine: {####}", "sleeping 0.3s"],
        ),
    ],
    ids=["ok-email", "ok-sms", "raise", "bad-answer", "not-object", "exit", "slow-in-time"],
)
def test_each_outcome_shows_decoded_with_the_handler_output(
    detached: WindowHarness,
    function: str,
    username: str,
    metadata: dict[str, str],
    code: str | None,
    expected: list[str],
) -> None:
    h = detached
    window = h.open()
    attach(h, window, spec(function))
    final = send_with(h, window, username, **metadata)
    if code is None:
        assert final.status is Status.DELIVERED, final.failure
    else:
        assert final.failure is not None and final.failure.code == code
    assert final.notes.startswith(f"Local CustomMessage trigger: {spec(function)}")
    for fragment in expected:
        assert fragment in final.notes, (fragment, final.notes)
    details = window.history_pane.details
    assert details.field_values()["Notes"] == final.notes
    assert window.history_model.attempt_at(0).notes == final.notes
    if code is not None:
        assert code in details.displayed_text()
    else:
        [message] = h.sandbox.inbox(username)
        assert message.trigger is not None
        assert message.request_id == final.request_id


def test_trigger_output_is_kept_in_the_history_across_a_restart(
    detached: WindowHarness,
) -> None:
    h = detached
    first = h.open()
    attach(h, first, spec("raises"))
    final = h.send(first, "alice")
    h.close(first)
    second = h.open()
    model = second.history_model
    h.qtbot.waitUntil(lambda: model.rowCount() == 1, timeout=WAIT_MS)
    again = model.attempt_at(0)
    assert again is not None and again.notes == final.notes
    assert "about to refuse" in again.notes
    duration_ms = float(again.notes.split("Duration: ")[1].split(" ms")[0])
    assert 0 < duration_ms < 5000


def test_without_a_trigger_attempts_have_no_notes(detached: WindowHarness) -> None:
    window = detached.open()
    final = detached.send(window, "alice")
    assert final.status is Status.DELIVERED and final.notes == ""
    assert "Notes" not in window.history_pane.details.field_values()


@pytest.mark.parametrize(
    ("function", "metadata", "fragment"),
    [("slow", {"sleep": "4"}, "sleeping 4.0s"), ("loop", {}, "spinning")],
    ids=["slow-over-limit", "infinite-loop"],
)
def test_killed_handlers_are_unexpected_lambda_and_the_window_goes_on(
    quick: WindowHarness, function: str, metadata: dict[str, str], fragment: str
) -> None:
    window = quick.open()
    attach(quick, window, spec(function))
    final = send_with(quick, window, "alice", **metadata)
    assert final.failure is not None and final.failure.code == "UnexpectedLambdaException"
    assert "Exit status: none (killed at the time limit)" in final.notes
    assert fragment in final.notes
    assert final.latency_ms is not None and final.latency_ms < 4000
    # Detach from the window and the next resend is delivered with no trigger.
    window.sandbox_panel.trigger_row.detach_button.click()
    quick.qtbot.waitUntil(
        lambda: window.sandbox_panel.trigger_row.attached() is None, timeout=WAIT_MS
    )
    again = send_with(quick, window, "alice")
    assert again.status is Status.DELIVERED and again.notes == ""


def test_notes_are_capped_whatever_the_handler_prints(
    detached: WindowHarness, tmp_path: Path
) -> None:
    handler = tmp_path / "noisy.py"
    handler.write_text(
        "import sys\n"
        "def h(event, context):\n"
        "    print('x' * 50_000)\n"
        "    print('the end', file=sys.stderr)\n"
        "    return event\n"
    )
    h = detached
    window = h.open()
    attach(h, window, f"{handler}:h")
    final = h.send(window, "alice")
    assert final.status is Status.DELIVERED
    assert len(final.notes) < 2 * STREAM_MAX_CHARS + 1000
    assert "earlier characters cut" in final.notes and "the end" in final.notes


# ---------------------------------------------------------------------- event preview
def open_preview(h: WindowHarness, window: MainWindow) -> TriggerEventDialog:
    window.event_dialog = None
    window.window_actions.preview_event.trigger()
    h.qtbot.waitUntil(lambda: window.event_dialog is not None, timeout=WAIT_MS)
    dialog = window.event_dialog
    assert dialog is not None and dialog.objectName() == "triggerEventDialog"
    return dialog


def assert_same_event(preview: dict[str, Any], delivered: dict[str, Any]) -> None:
    assert set(preview) == set(delivered)
    for key, value in preview.items():
        if isinstance(value, dict):
            assert set(value) == set(delivered[key]), key
            for inner, inner_value in value.items():
                assert inner_value == delivered[key][inner], f"{key}.{inner}"
        else:
            assert value == delivered[key], key


@pytest.mark.parametrize("client", ["public", "secret"])
def test_preview_equals_the_event_the_handler_received(
    detached: WindowHarness, tmp_path: Path, client: str
) -> None:
    h = detached
    window = h.open()
    window.sandbox_panel.set_client(client)
    attach(h, window, spec("dump"))
    dump_to = tmp_path / "delivered.json"
    metadata = [("dump_to", str(dump_to)), ("flow", "A=B"), ("empty", ""), ("ünï", "✓ {####}")]
    window.form.username_edit.setText("alice")
    window.form.metadata.set_pairs(metadata)
    dialog = open_preview(h, window)
    shown = json.loads(dialog.findChild(QWidget, "triggerEventText").toPlainText())
    # The sandbox knows alice's attributes: nothing is a placeholder.
    assert dialog.note_label.isHidden()
    assert shown["request"]["userAttributes"]["email"] == "alice@example.com"
    final = h.send(window, "alice")
    assert final.status is Status.DELIVERED
    delivered = json.loads(dump_to.read_text(encoding="utf-8"))
    assert_same_event(shown, delivered)
    assert shown["callerContext"]["clientId"] == h.sandbox.info.client(client).client_id


def test_preview_copy_and_save_as_test_event(detached: WindowHarness, tmp_path: Path) -> None:
    h = detached
    window = h.open()
    window.form.username_edit.setText("bob")
    window.form.metadata.set_pairs([("brand", "A")])
    target = tmp_path / "events" / "bob.json"
    target.parent.mkdir()
    suggested: list[str] = []

    def chooser(_parent: QWidget, name: str) -> str:
        suggested.append(name)
        return str(target)

    window.choose_event_path = chooser
    dialog = open_preview(h, window)
    dialog.findChild(QWidget, "triggerEventCopyButton").click()
    assert QGuiApplication.clipboard().text() == dialog.json_text()
    dialog.findChild(QWidget, "triggerEventSaveButton").click()
    assert suggested == ["custom-message-bob.json"]
    saved = json.loads(target.read_text(encoding="utf-8"))
    assert saved == dialog.preview.event
    assert saved["request"]["clientMetadata"] == {"brand": "A"}
    assert saved["triggerSource"] == "CustomMessage_ResendCode"
    assert f"Saved {target}" in dialog.status_label.text()
    # A place that cannot be written is said, not raised.
    window.choose_event_path = lambda _p, _n: str(tmp_path / "no" / "such" / "dir.json")
    dialog = open_preview(h, window)
    dialog.save_button.click()
    assert dialog.status_label.text().startswith("Could not save")


def test_preview_for_a_real_pool_says_what_is_a_placeholder(detached: WindowHarness) -> None:
    h = detached
    window = h.open()
    profile = Profile(name="staging", region="eu-west-1", user_pool_id="eu-west-1_AbC123xyz")
    task = window.controllers.profiles.save_profile(
        ProfileEdit(profile, "client-from-keyring", None)
    )
    h.qtbot.waitUntil(task.done, timeout=WAIT_MS)
    assert window.select_profile("staging")
    window.form.username_edit.setText("someone@example.com")
    dialog = open_preview(h, window)
    event = dialog.preview.event
    assert event["userPoolId"] == "eu-west-1_AbC123xyz"
    assert event["callerContext"]["clientId"] == "client-from-keyring"
    assert event["request"]["userAttributes"]["sub"] == "<the user's sub>"
    assert not dialog.note_label.isHidden()
    assert "request.userAttributes" in dialog.note_label.text()
    assert "userPoolId" not in dialog.note_label.text()


def test_unknown_sandbox_user_gets_placeholders(detached: WindowHarness) -> None:
    h = detached
    window = h.open()
    window.form.username_edit.setText("nobody-here")
    dialog = open_preview(h, window)
    assert "request.userAttributes" in dialog.note_label.text()


def test_trigger_notes_format() -> None:
    from app.sandbox.model import TriggerRun

    run = TriggerRun(
        handler="/x/h.py:f",
        username="alice",
        request_id="r1",
        started_at="2024-01-01T00:00:00Z",
        event={},
        answer=None,
        error_type="UnexpectedLambdaException",
        error_message="boom",
        stdout="",
        stderr="e" * (STREAM_MAX_CHARS + 10),
        duration_ms=1500.4,
        exit_code=None,
    )
    notes = trigger_run_notes(run)
    assert "Duration: 1500 ms" in notes
    assert "Exit status: none (killed at the time limit)" in notes
    assert "Cognito answered: UnexpectedLambdaException: boom" in notes
    assert "stdout: (empty)" in notes
    assert "(10 earlier characters cut)" in notes
