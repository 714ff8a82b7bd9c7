"""The resend form: inline validation, Send enablement, metadata editing, Ctrl+Return."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from pytestqt.qtbot import QtBot

from app.core.outcome import Status
from app.core.profile import Profile
from app.core.request import Field
from app.ui.widgets.resend_form import ResendForm
from app.ui.window.main_window import MainWindow
from tests.gui.conftest import WAIT_MS, WindowHarness

SANDBOX = Profile(name="Sandbox", region="us-east-1", builtin=True)
SECRET_PROFILE = Profile(name="s", region="eu-west-1", has_secret=True)


@pytest.fixture
def form(qtbot: QtBot) -> ResendForm:
    f = ResendForm()
    qtbot.addWidget(f)
    f.set_profile(SANDBOX, keyring_usable=True)
    f.set_ready(True)
    f.show()
    return f


def test_send_stays_disabled_until_username_and_ready(qtbot: QtBot) -> None:
    f = ResendForm()
    qtbot.addWidget(f)
    f.username_edit.setText("alice")
    assert not f.send_button.isEnabled()  # no profile, not ready
    f.set_profile(SANDBOX, keyring_usable=True)
    assert not f.send_button.isEnabled()
    f.set_ready(True)
    assert f.send_button.isEnabled()
    f.set_busy(True)
    assert not f.send_button.isEnabled()


def test_empty_username_disables_send_without_shouting(form: ResendForm) -> None:
    assert not form.send_button.isEnabled()
    assert form.username_error.isHidden()  # pristine: a hint, not an error
    assert "Type a username" in form.send_hint.text()


def test_overlong_username_is_marked_inline(form: ResendForm) -> None:
    form.username_edit.setText("a" * 129)
    assert not form.send_button.isEnabled()
    assert form.username_error.isVisible()
    assert "129 characters" in form.username_error.text()
    assert "at most 128" in form.username_error.text()
    form.username_edit.setText("a" * 128)
    assert form.send_button.isEnabled() and form.username_error.isHidden()


def test_username_with_space_is_refused(form: ResendForm) -> None:
    form.username_edit.setText("al ice")
    assert not form.send_button.isEnabled()
    assert "Username" in form.username_error.text()


def test_duplicate_and_empty_metadata_keys_are_flagged_by_row(form: ResendForm) -> None:
    form.username_edit.setText("alice")
    form.metadata.add_row("source", "qa")
    form.metadata.add_row("source", "again")
    assert not form.send_button.isEnabled()
    assert "row 2" in form.metadata_error.text() and "unique" in form.metadata_error.text()
    assert form.metadata.table.item(1, 0).toolTip()
    assert not form.metadata.table.item(0, 0).toolTip()
    form.metadata.table.item(1, 0).setText("locale")
    assert form.send_button.isEnabled()
    form.metadata.add_row("", "orphan value")
    assert "key is empty" in form.metadata_error.text()
    assert not form.send_button.isEnabled()
    table = form.metadata.table
    # Through the selection model: selectRow() follows the keyboard modifiers Qt thinks
    # are held, which earlier key-click tests in the process may have left behind.
    flags = table.selectionModel().SelectionFlag
    table.selectionModel().select(table.model().index(2, 0), flags.ClearAndSelect | flags.Rows)
    form.metadata.remove_button.click()
    assert form.send_button.isEnabled()
    assert form.values().client_metadata == (("source", "qa"), ("locale", "again"))


def test_metadata_json_view_and_invalid_json(form: ResendForm) -> None:
    form.username_edit.setText("alice")
    form.metadata.set_json_text('{"a": 1}')
    assert not form.send_button.isEnabled()
    assert "every value must be a string" in form.metadata_error.text()
    form.metadata.json_edit.setPlainText('{"a": "1", "b": "x"}')
    assert form.send_button.isEnabled()
    assert form.values().client_metadata == (("a", "1"), ("b", "x"))
    form.metadata.mode_button.setChecked(False)  # back to the table, rows filled
    assert form.metadata.pairs() == [("a", "1"), ("b", "x")]


def test_paste_json_fills_rows_or_shows_the_problem(form: ResendForm) -> None:
    form.username_edit.setText("alice")
    QGuiApplication.clipboard().setText('{"locale": "de", "source": "qa"}')
    form.metadata.paste_button.click()
    assert form.metadata.pairs() == [("locale", "de"), ("source", "qa")]
    QGuiApplication.clipboard().setText("{not json")
    form.metadata.paste_button.click()
    assert form.metadata.in_json_mode()
    assert "not valid JSON" in form.metadata_error.text()
    assert not form.send_button.isEnabled()


def test_ip_address_error_opens_the_advanced_section(form: ResendForm) -> None:
    form.username_edit.setText("alice")
    assert form.advanced_box.isHidden()
    form.ip_edit.setText("999.1.1.1")
    assert form.advanced_box.isVisible()
    assert "IPv4 or IPv6" in form.ip_error.text()
    assert not form.send_button.isEnabled()
    form.ip_edit.setText("203.0.113.7")
    assert form.send_button.isEnabled()


def test_secret_hash_note_never_shows_a_hash(form: ResendForm) -> None:
    assert "no SecretHash" in form.secret_hash_note.text()
    form.set_profile(SECRET_PROFILE, keyring_usable=True)
    assert "SecretHash will be computed" in form.secret_hash_note.text()


def test_session_fields_appear_when_the_keyring_cannot_help(form: ResendForm) -> None:
    form.set_profile(SECRET_PROFILE, keyring_usable=False)
    assert form.session_box.isVisible()
    form.username_edit.setText("alice")
    assert not form.send_button.isEnabled()
    form.session_client_id_edit.setText("abc123")
    assert form.send_button.isEnabled()
    creds = form.session_credentials()
    assert creds is not None and creds.client_id == "abc123" and creds.client_secret is None
    form.session_secret_edit.setText("s3cret")
    assert form.session_secret_edit.echoMode() == form.session_secret_edit.EchoMode.Password
    assert "s3cret" not in form.secret_hash_note.text()
    form.set_profile(SANDBOX, keyring_usable=False)  # the sandbox needs no typed secret
    assert form.session_box.isHidden() and form.session_credentials() is None


def test_every_field_has_a_tooltip(form: ResendForm) -> None:
    for w in (
        form.username_edit,
        form.metadata.table,
        form.analytics_edit,
        form.ip_edit,
        form.encoded_edit,
        form.send_button,
    ):
        assert len(w.toolTip()) > 20, w.objectName()


def test_ctrl_return_sends(qtbot: QtBot, form: ResendForm) -> None:
    form.username_edit.setText("alice")
    form.username_edit.setFocus()
    with qtbot.waitSignal(form.send_requested, timeout=2000):
        qtbot.keyClick(form.username_edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)


def test_ctrl_return_does_nothing_while_invalid(qtbot: QtBot, form: ResendForm) -> None:
    form.username_edit.setText("a b")
    with qtbot.assertNotEmitted(form.send_requested, wait=100):
        qtbot.keyClick(form.username_edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)


# ---------------------------------------------------------------- in the window, no call made


def test_invalid_metadata_json_makes_no_call(harness: WindowHarness, window: MainWindow) -> None:
    form = window.form
    form.username_edit.setText("alice")
    harness.qtbot.waitUntil(form.send_button.isEnabled, timeout=WAIT_MS)
    form.metadata.set_json_text('{"source": "qa",}')
    assert not form.send_button.isEnabled()
    assert form.metadata_error.isVisible()
    form.send_requested.emit()  # even a forced request is refused by the slot
    harness.qtbot.keyClick(
        form.username_edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier
    )
    harness.qtbot.wait(300)
    assert window.history_model.rowCount() == 0
    assert harness.sandbox.inbox() == []


def test_overlong_username_makes_no_call(harness: WindowHarness, window: MainWindow) -> None:
    form = window.form
    form.username_edit.setText("u" * 200)
    assert not form.send_button.isEnabled()
    assert [e.field for e in form.errors()] == [Field.USERNAME]
    form.send_button.click()
    harness.qtbot.wait(300)
    assert window.history_model.rowCount() == 0
    assert harness.sandbox.inbox() == []


def test_metadata_reaches_the_trigger(harness: WindowHarness, window: MainWindow) -> None:
    window.form.metadata.add_row("source", "qa")
    final = harness.send(window, "alice")
    assert final.status is Status.DELIVERED
    assert final.client_metadata == (("source", "qa"),)
    assert harness.sandbox.inbox("alice")[0].client_metadata == {"source": "qa"}


def test_restoring_an_empty_last_username_does_not_shout(form: ResendForm) -> None:
    form.set_username("")  # what the window does on a first start
    form.revalidate()
    assert form.username_error.isHidden()
    form.set_username("alice")
    form.username_edit.setText("")  # now the user has cleared a real value
    form.revalidate()
    assert form.username_error.isVisible()
    assert "required" in form.username_error.text()
