"""1, in the window: a session with a real-keyring secret leaves no secret and no
SecretHash in any file, clipboard text, dialog or log -- not even after an unhandled
exception whose message carries them.

One test drives the real window (the GUI harness: real services over HTTP to the sandbox,
SQLite history and profiles file under this test's XDG folders) with the app's own log
set-up and error reporting installed, and the real Secret Service as the keyring:

* two profiles saved through the controller into the real keyring -- `Leaky` with the
  sandbox `secret` client's secret, `Wrong` with a wrong one;
* sends from the form: deliveries, simulated deliveries, Cognito errors, wire faults,
  and NotAuthorized from the wrong secret; after each, "Copy as AWS CLI" and "Copy
  details" into the real clipboard, read back after each copy;
* export CSV and JSON from the history pane (its path chooser injected);
* an unhandled exception in a slot (and one in a loop callback) whose message holds the
  secret and a SecretHash: the error dialog appears, the window keeps working (a send
  after it delivers);
* then every file under the XDG folders and the export folder, every clipboard text,
  every dialog text and the raw log records are scanned for both secrets and every
  SecretHash the session computed (recomputed here with compute_secret_hash): 0 hits.

A negative control in the same session proves the scan finds a planted value in the
history file, the log, an export and the clipboard.
"""

from __future__ import annotations

import asyncio
import logging
import sys
import uuid
from pathlib import Path

import pytest
from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QMessageBox

from app.core.outcome import Attempt, Status
from app.core.profile import Profile
from app.core.secrets import Secret, compute_secret_hash
from app.services.logging_setup import configure_logging
from app.services.secret_store import SecretStore
from app.ui.application import install_error_reporter
from app.ui.controllers.types import ProfileEdit
from app.ui.window.main_window import MainWindow
from tests.conftest import RealKeyring
from tests.gui.conftest import WAIT_MS, WindowHarness
from tests.reliability.support import files_under, scan, xdg_roots

pytestmark = pytest.mark.timeout(300)

WRONG_SECRET = "wrong-secret-" + uuid.uuid4().hex

# (profile, username, expected code or "Delivered")
PLAN: tuple[tuple[str, str, str], ...] = (
    ("Leaky", "alice", "Delivered"),
    ("Leaky", "bob", "Delivered"),
    ("Leaky", "ghost-gui-1", "Delivered"),  # unknown user: a simulated delivery
    ("Leaky", "carol", "InvalidParameterException"),  # already confirmed
    ("Leaky", "fault-internal", "InternalErrorException"),
    ("Leaky", "fault-http-503", "HttpError"),
    ("Leaky", "fault-drop", "ConnectionDropped"),
    ("Leaky", "fault-malformed", "MalformedResponse"),
    ("Wrong", "alice", "NotAuthorizedException"),
    ("Wrong", "ghost-gui-2", "NotAuthorizedException"),
)


class _Thrower(QObject):
    """A throwaway signal whose slot raises: an unhandled exception inside a slot."""

    fired = Signal(str)


def _send(harness: WindowHarness, window: MainWindow, profile: str, username: str) -> Attempt:
    assert window.select_profile(profile), profile
    window.form.username_edit.setText(username)
    harness.qtbot.waitUntil(window.form.send_button.isEnabled, timeout=WAIT_MS)
    with harness.qtbot.waitSignal(
        window.controllers.sending.attempt_finished, timeout=WAIT_MS
    ) as got:
        window.form.send_button.click()
    final: Attempt = got.args[0]
    return final


def _copy_both(harness: WindowHarness, window: MainWindow, attempt: Attempt) -> list[str]:
    """Select the attempt's row, copy it both ways, and read the clipboard after each."""
    pane = window.history_pane
    harness.qtbot.waitUntil(lambda: pane.select_attempt(attempt.attempt_id), timeout=WAIT_MS)
    harness.qtbot.waitUntil(
        lambda: (a := pane.current_attempt()) is not None and a.status is not Status.PENDING,
        timeout=WAIT_MS,
    )
    clipboard = QGuiApplication.clipboard()
    texts = []
    assert pane.copy_cli_command()
    texts.append(clipboard.text())
    assert texts[-1].startswith("aws cognito-idp resend-confirmation-code"), texts[-1]
    assert pane.copy_details()
    texts.append(clipboard.text())
    assert attempt.username in texts[-1]
    return texts


def _export(harness: WindowHarness, window: MainWindow, fmt: str, path: Path) -> None:
    window.history_pane.choose_export_path = lambda _fmt, _suggested: str(path)
    with harness.qtbot.waitSignal(
        window.controllers.export.export_finished, timeout=WAIT_MS
    ) as got:
        assert window.history_pane.export(fmt)
    assert got.args[0] == str(path) and got.args[1] > 0


def _error_dialogs(window: MainWindow) -> list[QMessageBox]:
    return [b for b in window.findChildren(QMessageBox) if b.objectName() == "errorDialog"]


def _lines_with(texts: dict[str, str], needles: list[str]) -> list[str]:
    """The lines of `texts` that hold a needle (to say where a leak came from), masked."""
    return [
        f"{name}: {line.replace(n, '<NEEDLE>')[:300]}"
        for name, text in texts.items()
        for line in text.splitlines()
        for n in needles
        if n in line
    ]


def _flush_logs() -> None:
    for h in logging.getLogger().handlers:
        h.flush()


@pytest.mark.keyring
@pytest.mark.qt_no_exception_capture  # the app's own excepthook is under test here
def test_a_window_session_leaves_no_secret_anywhere(
    harness: WindowHarness,
    real_keyring: RealKeyring,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    info = harness.sandbox.info
    client = info.client("secret")
    secret = client.client_secret
    assert secret
    assert secret not in repr(info)  # SandboxInfo reprs reach debug logs (qasync's results)
    configure_logging(harness.paths.log_file)  # what run_gui does at start-up
    caplog.set_level(logging.DEBUG)  # the raw records, before the file's redaction

    recorded: set[str] = set()
    real_hash = compute_secret_hash

    def recording_hash(username: str, client_id: str, s: Secret) -> Secret:
        h = real_hash(username, client_id, s)
        recorded.add(h.reveal())
        return h

    monkeypatch.setattr("app.services.pipeline.compute_secret_hash", recording_hash)
    # Restored after the test: install_error_reporter replaces sys.excepthook.
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)

    window = harness.open(
        harness.factories(secret_store=lambda: SecretStore(real_keyring.service))
    )
    assert harness.keyring_checked(window).usable
    assert "Secret Service" in window.profile_bar.keyring_status_label.text()
    reporter = install_error_reporter(asyncio.get_event_loop(), lambda: window)

    # -- profiles, their credentials in the real keyring ------------------------------------
    for name, typed in (("Leaky", secret), ("Wrong", WRONG_SECRET)):
        profile = Profile(name=name, region=info.region, endpoint_url=info.endpoint_url,
                          has_secret=True)
        task = window.controllers.profiles.save_profile(ProfileEdit(profile, client.client_id,
                                                          Secret(typed)))
        harness.qtbot.waitUntil(task.done, timeout=WAIT_MS)
        assert task.result() is True
        stored = real_keyring.backend.get_password(real_keyring.service,
                                                   f"{name}/client_secret")
        assert stored == typed  # really in the Secret Service

    # -- sends, each copied both ways ---------------------------------------------------------
    clipboard_texts: list[str] = []
    secrets_of = {"Leaky": secret, "Wrong": WRONG_SECRET}
    computed: set[str] = set()
    finals: list[Attempt] = []
    for profile_name, username, expected in PLAN:
        final = _send(harness, window, profile_name, username)
        code = final.failure.code if final.failure else "Delivered"
        assert code == expected, (username, final.failure)
        assert final.used_secret_hash
        computed.add(compute_secret_hash(username, client.client_id,
                                         Secret(secrets_of[profile_name])).reveal())
        clipboard_texts += _copy_both(harness, window, final)
        finals.append(final)
    assert any("<SECRET_HASH>" in t for t in clipboard_texts)

    # -- exports from the pane -------------------------------------------------------------------
    exports = tmp_path / "exports"
    exports.mkdir()
    for fmt in ("csv", "json"):
        _export(harness, window, fmt, exports / f"history.{fmt}")

    # -- unhandled exceptions carrying the secret and a SecretHash ----------------------------
    leaked_hash = next(iter(computed))
    raised: list[BaseException] = []

    def careless_slot(value: str) -> None:
        exc = RuntimeError(f"backend echoed client_secret {value} and hash {leaked_hash}")
        raised.append(exc)
        raise exc

    thrower = _Thrower()
    thrower.fired.connect(careless_slot)
    thrower.fired.emit(secret)
    assert raised and secret in str(raised[0])  # the needle really was in the exception
    assert len(reporter.shown) == 1 and reporter.shown[0].startswith("RuntimeError")
    harness.qtbot.waitUntil(lambda: len(_error_dialogs(window)) == 1, timeout=WAIT_MS)
    dialog = _error_dialogs(window)[0]
    assert dialog.isVisible()

    def careless_callback(value: str) -> None:
        raise ValueError(f"callback got {value}")

    # asyncio names a failing callback *with its arguments* in the handler's message.
    asyncio.get_event_loop().call_soon(careless_callback, secret)
    harness.qtbot.waitUntil(lambda: len(reporter.shown) == 2, timeout=WAIT_MS)
    assert reporter.shown[1].startswith("ValueError")
    dialog_texts = {
        f"error dialog {i}": f"{b.text()}\n{b.informativeText()}\n{b.detailedText()}"
        for i, b in enumerate(_error_dialogs(window))
    }
    for b in _error_dialogs(window):
        b.close()

    # The window lives on: a send after the crashes delivers.
    after = _send(harness, window, "Leaky", "ghost-gui-after")
    assert after.status is Status.DELIVERED
    computed.add(compute_secret_hash("ghost-gui-after", client.client_id,
                                     Secret(secret)).reveal())
    clipboard_texts += _copy_both(harness, window, after)

    # -- the scan ------------------------------------------------------------------------------
    assert recorded and recorded <= computed, "a SecretHash this test did not recompute"
    _flush_logs()
    log_text = harness.paths.log_file.read_text(encoding="utf-8")
    assert "unhandled exception: RuntimeError in careless_slot" in log_text
    assert "unhandled exception in a task: ValueError in careless_callback" in log_text
    texts = {
        **{f"clipboard {i}": t for i, t in enumerate(clipboard_texts)},
        **dialog_texts,
        "reporter": "\n".join(reporter.shown),
        "details panel": window.history_pane.details.displayed_text(),
        "status bar": window.status_label.text(),
        "log records (raw)": caplog.text,
    }
    needles = [secret, WRONG_SECRET, *computed]
    roots = [*xdg_roots(), exports]
    wal = harness.paths.history_db.with_name(harness.paths.history_db.name + "-wal")
    assert wal.exists(), "expected the WAL next to the open history"
    hits = scan(roots, needles, texts)
    assert hits == [], (hits, _lines_with(texts, needles))
    n_files = len(files_under(roots))

    # -- negative control: the same scan finds a value planted in the same places -----------
    planted = "planted-" + uuid.uuid4().hex[:12]
    marked = _send(harness, window, "Leaky", planted)  # into the history (and its WAL)
    clip = _copy_both(harness, window, marked)
    logging.getLogger("app.ui.test").warning("planted %s", planted)
    _flush_logs()
    _export(harness, window, "json", exports / "planted.json")
    found = scan(roots, [planted], {"clipboard": clip[1]})
    where = {h.rsplit(": ", 1)[0] for h in found}
    assert any(Path(w).name.startswith("history.sqlite3") for w in where), found
    assert any(w.endswith(".log") for w in where), found
    assert any(w.endswith("planted.json") for w in where), found
    assert "clipboard" in where, found

    # Closed (settings written, history checkpointed): the files once more.
    harness.close(window)
    assert (harness.paths.config_dir / "window.ini").is_file()
    closed_hits = scan(roots, needles)
    assert closed_hits == [], closed_hits

    print(f"\n{len(finals) + 1} sends from the window; 2 unhandled exceptions reported; "
          f"{len(computed)} SecretHashes + 2 secrets searched in {n_files} files and "
          f"{len(texts)} texts ({len(clipboard_texts)} clipboard reads): 0 hits; "
          f"control found the planted value in {len(where)} places")
