"""The main window end to end: real services, the sandbox over HTTP, the history on disk."""

from __future__ import annotations

import asyncio
import json

import pytest
from PySide6.QtWidgets import QWidget

from app.core.outcome import Status
from app.core.profile import Profile
from app.core.secrets import Secret
from app.services.secret_store import SecretStore
from app.ui.application import ErrorReporter, app_icon
from app.ui.controllers.types import ProfileEdit
from app.ui.dialogs.about import about_text
from app.ui.window.main_window import MainWindow
from tests.gui.conftest import WAIT_MS, LockedKeyring, WindowHarness

REQUIRED_NAMES = (
    "profileSelector",
    "usernameEdit",
    "clientMetadataTable",
    "analyticsEndpointEdit",
    "ipAddressEdit",
    "encodedDataEdit",
    "sendButton",
    "keyringStatusLabel",
    "historyView",
    "historyFilterEdit",
    "detailsPanel",
)


def _save_profile(h: WindowHarness, window: MainWindow, edit: ProfileEdit) -> None:
    task = window.controllers.profiles.save_profile(edit)
    h.qtbot.waitUntil(task.done, timeout=WAIT_MS)
    assert task.result() is True


def _sandbox_profile(h: WindowHarness, name: str, *, endpoint: str | None = None) -> Profile:
    info = h.sandbox.info
    return Profile(name=name, region=info.region, endpoint_url=endpoint or info.endpoint_url)


def test_window_is_interactive_before_services_are_ready(harness: WindowHarness) -> None:
    window = harness.open(wait=False)
    # Shown at once; Send waits for the services, which load in the background.
    assert window.isVisible()
    assert not window.form.send_button.isEnabled()
    assert not window.controllers.session.ready
    window.form.username_edit.setText("alice")
    assert window.form.username_edit.text() == "alice"
    harness.qtbot.waitUntil(lambda: window.controllers.session.ready, timeout=WAIT_MS)
    harness.qtbot.waitUntil(window.form.send_button.isEnabled, timeout=WAIT_MS)
    assert window.current_profile_name() == "Sandbox"


def test_widgets_have_matching_object_and_accessible_names(window: MainWindow) -> None:
    for name in REQUIRED_NAMES:
        widget = window.findChild(QWidget, name)
        assert widget is not None, name
        assert widget.accessibleName() == name, name


def test_sandbox_delivery_shows_in_history_details_and_inbox(
    harness: WindowHarness, window: MainWindow
) -> None:
    final = harness.send(window, "alice")
    assert final.status is Status.DELIVERED
    assert window.history_model.rowCount() == 1
    assert window.history_model.attempt_at(0).status is Status.DELIVERED
    text = window.history_pane.details.displayed_text()
    assert "Delivered" in text and "alice" in text
    assert [m.username for m in harness.sandbox.inbox()] == ["alice"]
    inbox = window.sandbox_panel.inbox_table
    harness.qtbot.waitUntil(lambda: inbox.rowCount() == 1, timeout=WAIT_MS)
    assert inbox.item(0, 1).text() == "alice"


def test_unknown_user_is_explained(harness: WindowHarness, window: MainWindow) -> None:
    final = harness.send(window, "nobody-here")
    assert final.failure is not None and final.failure.code == "UserNotFoundException"
    assert "User not found" in window.history_pane.details.displayed_text()
    assert harness.sandbox.inbox() == []


def test_already_confirmed_user_is_explained(harness: WindowHarness, window: MainWindow) -> None:
    final = harness.send(window, "carol")
    assert final.failure is not None and final.failure.title == "Already confirmed"
    assert "Already confirmed" in window.history_pane.details.displayed_text()


def test_limit_exceeded_is_explained(harness: WindowHarness, window: MainWindow) -> None:
    harness.sandbox.inject("limit")
    final = harness.send(window, "alice")
    assert final.failure is not None and final.failure.code == "LimitExceededException"
    text = window.history_pane.details.displayed_text()
    assert "Attempt limit exceeded" in text and "Do not retry now" in text


def test_wrong_client_secret_is_explained(harness: WindowHarness, window: MainWindow) -> None:
    client = harness.sandbox.info.client("secret")
    profile = _sandbox_profile(harness, "wrong secret")
    edit = ProfileEdit(profile, client.client_id, Secret("not-the-secret"))
    _save_profile(harness, window, edit)
    final = harness.send(window, "alice", profile="wrong secret")
    assert final.used_secret_hash
    assert final.failure is not None and final.failure.title == "Wrong client secret"
    assert "Wrong client secret" in window.history_pane.details.displayed_text()
    assert harness.sandbox.inbox() == []


def test_right_client_secret_delivers(harness: WindowHarness, window: MainWindow) -> None:
    window.sandbox_panel.set_client("secret")
    assert window.form.secret_hash_note.text().startswith("This app client has a secret")
    final = harness.send(window, "bob")
    assert final.status is Status.DELIVERED and final.used_secret_hash


def test_unreachable_endpoint_is_explained(harness: WindowHarness, window: MainWindow) -> None:
    profile = _sandbox_profile(harness, "nowhere", endpoint="http://127.0.0.1:9")
    _save_profile(harness, window, ProfileEdit(profile, "someclient", None))
    final = harness.send(window, "alice", profile="nowhere")
    assert final.failure is not None and final.failure.title == "Endpoint unreachable"
    assert "Endpoint unreachable" in window.history_pane.details.displayed_text()


def test_history_survives_a_restart(harness: WindowHarness) -> None:
    first = harness.open()
    sent = harness.send(first, "alice")
    harness.close(first)
    second = harness.open()
    model = second.history_model
    harness.qtbot.waitUntil(lambda: model.rowCount() == 1, timeout=WAIT_MS)
    again = model.attempt_at(0)
    assert again is not None and again.attempt_id == sent.attempt_id
    assert again.status is Status.DELIVERED


def test_window_remembers_geometry_profile_and_username(harness: WindowHarness) -> None:
    first = harness.open()
    # Within the (small) offscreen screen, so Qt does not clamp the restored geometry.
    room = first.screen().availableGeometry()
    first.resize(max(first.minimumWidth(), room.width() - 40), room.height() - 60)
    harness.qtbot.wait(50)
    first.form.username_edit.setText("bob")
    total = sum(first.splitter.sizes())
    first.splitter.setSizes([380, total - 380])
    sizes = first.splitter.sizes()
    geometry = first.saveGeometry()
    harness.close(first)
    ini = harness.paths.config_dir / "window.ini"
    assert ini.is_file()
    assert harness.settings().value("window/geometry") == geometry
    second = harness.open()
    assert second.form.username_edit.text() == "bob"
    assert second.current_profile_name() == "Sandbox"
    assert second.size() == first.size()
    assert second.splitter.sizes() == sizes


def test_several_sends_in_flight_are_pending_then_final(
    harness: WindowHarness, window: MainWindow
) -> None:
    harness.sandbox.inject("slow-1", "slow-1")
    window.form.username_edit.setText("alice")
    harness.qtbot.waitUntil(window.form.send_button.isEnabled, timeout=WAIT_MS)
    window.form.send_button.click()
    harness.qtbot.waitUntil(lambda: window.history_model.rowCount() == 1, timeout=WAIT_MS)
    # The button is free again while the first call is still in flight.
    harness.qtbot.waitUntil(window.form.send_button.isEnabled, timeout=WAIT_MS)
    window.form.username_edit.setText("bob")
    window.form.send_button.click()
    harness.qtbot.waitUntil(lambda: window.history_model.rowCount() == 2, timeout=WAIT_MS)
    statuses = {window.history_model.attempt_at(r).status for r in range(2)}
    assert statuses == {Status.PENDING}
    assert window.in_flight_label.text() == "2 in flight"
    harness.qtbot.waitUntil(
        lambda: all(
            window.history_model.attempt_at(r).status is Status.DELIVERED for r in range(2)
        ),
        timeout=WAIT_MS,
    )
    assert window.in_flight_label.text() == ""


def test_closing_with_calls_in_flight_neither_hangs_nor_crashes(
    harness: WindowHarness,
) -> None:
    window = harness.open()
    harness.sandbox.inject("slow-2", "slow-2")
    model = window.history_model
    for n, user in enumerate(("alice", "bob"), start=1):
        window.form.username_edit.setText(user)
        harness.qtbot.waitUntil(window.form.send_button.isEnabled, timeout=WAIT_MS)
        window.form.send_button.click()
        harness.qtbot.waitUntil(lambda n=n: model.rowCount() == n, timeout=WAIT_MS)
    assert window.controllers.sending.in_flight == 2
    harness.close(window)  # waits for the controller's aclose()
    assert window.controllers.sending.in_flight == 0
    # The calls finished in their threads and were recorded.
    reopened = harness.open()
    harness.qtbot.waitUntil(lambda: reopened.history_model.rowCount() == 2, timeout=WAIT_MS)


def test_missing_keyring_shows_banner_and_sandbox_and_session_credentials_work(
    harness: WindowHarness,
) -> None:
    from keyring.backends import fail

    f = harness.factories(secret_store=lambda: SecretStore("cognito-resend-test", fail.Keyring()))
    window = harness.open(f)
    # The Sandbox needs no keyring: it is not even asked until a stored profile needs it.
    assert window.controllers.session.keyring_status is None
    assert not window.keyring_banner.isVisible()
    assert harness.send(window, "alice").status is Status.DELIVERED

    # A user profile: its file is written, its credentials cannot be; type them for now.
    profile = _sandbox_profile(harness, "typed")
    task = window.controllers.profiles.save_profile(ProfileEdit(profile, "ignored", None))
    harness.qtbot.waitUntil(task.done, timeout=WAIT_MS)
    assert window.select_profile("typed")
    harness.qtbot.waitUntil(window.keyring_banner.isVisible, timeout=WAIT_MS)
    assert "No usable keyring" in window.keyring_banner.text()
    assert "⚠" in window.profile_bar.keyring_status_label.text()
    assert window.form.session_box.isVisible()
    window.form.username_edit.setText("bob")
    assert not window.form.send_button.isEnabled()  # needs a client id first
    client = harness.sandbox.info.client("secret")
    window.form.session_client_id_edit.setText(client.client_id)
    window.form.session_secret_edit.setText(client.client_secret or "")
    with harness.qtbot.waitSignal(
        window.controllers.sending.attempt_finished, timeout=WAIT_MS
    ) as got:
        window.form.send_button.click()
    assert got.args[0].status is Status.DELIVERED and got.args[0].used_secret_hash
    stored = (harness.paths.profiles_file).read_text(encoding="utf-8")
    assert client.client_id not in stored and (client.client_secret or "x") not in stored


def test_locked_keyring_shows_banner(harness: WindowHarness) -> None:
    f = harness.factories(secret_store=lambda: SecretStore("cognito-resend-test", LockedKeyring()))
    window = harness.open(f)
    task = window.controllers.session.check_keyring()
    assert task is not None
    harness.qtbot.waitUntil(task.done, timeout=WAIT_MS)
    assert window.keyring_banner.isVisible()
    assert "Keyring locked" in window.keyring_banner.text()
    assert window.keyring_banner.button("keyringRetryButton") is not None
    assert harness.send(window, "alice").status is Status.DELIVERED


def test_profile_add_edit_delete_through_the_dialog(
    harness: WindowHarness, window: MainWindow
) -> None:
    from app.ui.dialogs.profile_dialog import ProfileDialog

    info = harness.sandbox.info
    client = info.client("secret")
    window.profile_bar.add_profile_button.click()
    harness.qtbot.waitUntil(lambda: window.findChild(ProfileDialog) is not None, timeout=WAIT_MS)
    dialog = window.findChild(ProfileDialog)
    assert dialog is not None and not dialog.ok_button.isEnabled()
    dialog.name_edit.setText("staging")
    dialog.region_combo.setCurrentText(info.region)
    dialog.endpoint_edit.setText(info.endpoint_url)
    dialog.client_id_edit.setText(client.client_id)
    dialog.secret_edit.setText(client.client_secret or "")
    assert dialog.ok_button.isEnabled()
    dialog.ok_button.click()
    harness.qtbot.waitUntil(lambda: window.current_profile_name() == "staging", timeout=WAIT_MS)
    stored = harness.paths.profiles_file.read_text(encoding="utf-8")
    assert "staging" in stored
    assert client.client_id not in stored and (client.client_secret or "x") not in stored
    assert harness.send(window, "alice", profile="staging").status is Status.DELIVERED

    # Edit: rename; the secret is kept (left empty) and moves with the profile.
    window.profile_bar.edit_profile_button.click()
    harness.qtbot.waitUntil(
        lambda: (d := window.findChild(ProfileDialog)) is not None and d.isVisible(),
        timeout=WAIT_MS,
    )
    dialog = window.findChild(ProfileDialog)
    assert dialog is not None
    assert dialog.client_id_edit.text() == client.client_id
    assert dialog.secret_edit.text() == ""
    dialog.name_edit.setText("staging-2")
    dialog.ok_button.click()
    harness.qtbot.waitUntil(lambda: window.current_profile_name() == "staging-2", timeout=WAIT_MS)
    assert harness.send(window, "bob", profile="staging-2").status is Status.DELIVERED

    window.confirm = lambda _title, _text: True
    window.profile_bar.delete_profile_button.click()
    harness.qtbot.waitUntil(
        lambda: window.controllers.profiles.profile("staging-2") is None, timeout=WAIT_MS
    )
    assert "staging" not in harness.paths.profiles_file.read_text(encoding="utf-8")
    assert window.current_profile_name() == "Sandbox"


@pytest.mark.keyring
def test_profile_credentials_go_to_the_real_keyring(harness: WindowHarness, real_keyring) -> None:  # type: ignore[no-untyped-def]
    f = harness.factories(secret_store=lambda: SecretStore(real_keyring.service))
    window = harness.open(f)
    assert harness.keyring_checked(window).usable
    assert "Secret Service" in window.profile_bar.keyring_status_label.text()
    client = harness.sandbox.info.client("secret")
    secret = client.client_secret or ""
    _save_profile(
        harness,
        window,
        ProfileEdit(_sandbox_profile(harness, "real"), client.client_id, Secret(secret)),
    )
    backend = real_keyring.backend
    assert backend.get_password(real_keyring.service, "real/client_id") == client.client_id
    assert backend.get_password(real_keyring.service, "real/client_secret") == secret
    stored = harness.paths.profiles_file.read_text(encoding="utf-8")
    assert client.client_id not in stored and secret not in stored
    assert harness.send(window, "alice", profile="real").status is Status.DELIVERED
    task = window.controllers.profiles.delete_profile("real")
    harness.qtbot.waitUntil(task.done, timeout=WAIT_MS)
    assert backend.get_password(real_keyring.service, "real/client_id") is None
    assert backend.get_password(real_keyring.service, "real/client_secret") is None


def test_rerun_from_history_sends_again(harness: WindowHarness, window: MainWindow) -> None:
    first = harness.send(window, "alice")
    window.form.username_edit.setText("")
    with harness.qtbot.waitSignal(
        window.controllers.sending.attempt_finished, timeout=WAIT_MS
    ) as got:
        window.history_pane.rerun_requested.emit(first)
    assert got.args[0].username == "alice" and got.args[0].attempt_id != first.attempt_id
    assert len(harness.sandbox.inbox("alice")) == 2


def test_export_runs_off_thread_and_writes_the_file(
    harness: WindowHarness, window: MainWindow, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    harness.send(window, "alice")
    out = tmp_path / "history.json"
    with harness.qtbot.waitSignal(
        window.controllers.export.export_finished, timeout=WAIT_MS
    ) as got:
        window.history_pane.export_requested.emit(
            "json", str(out), window.history_pane.current_filter()
        )
    assert got.args == [str(out), 1]
    data = json.loads(out.read_text(encoding="utf-8"))
    assert "alice" in json.dumps(data)


def test_sandbox_user_double_click_fills_the_username(window: MainWindow) -> None:
    users = window.sandbox_panel.users_table
    assert users.rowCount() >= 3
    row = next(r for r in range(users.rowCount()) if users.item(r, 0).text() == "bob")
    users.cellDoubleClicked.emit(row, 0)
    assert window.form.username_edit.text() == "bob"


def test_unhandled_exception_shows_a_dialog_and_the_window_lives(
    window: MainWindow, qloop: asyncio.AbstractEventLoop
) -> None:
    reporter = ErrorReporter(lambda: window)
    try:
        raise RuntimeError("boom with SecretHash=abc123")
    except RuntimeError as exc:
        reporter.excepthook(type(exc), exc, exc.__traceback__)
    reporter.loop_exception_handler(qloop, {"message": "x", "exception": ValueError("bad")})
    # Type and place only: an unexpected message may hold anything, a secret included.
    assert reporter.shown[0].startswith("RuntimeError in test_unhandled_exception")
    assert "abc123" not in reporter.shown[0] and "boom" not in reporter.shown[0]
    assert reporter.shown[1] == "ValueError" and "bad" not in reporter.shown[1]
    assert window.isVisible()


def test_about_box_and_icon(window: MainWindow) -> None:
    text = about_text("Secret Service", "/tmp/x.log")
    assert "Cognito Resend" in text and "Secret Service" in text and "/tmp/x.log" in text
    assert not app_icon().isNull()
