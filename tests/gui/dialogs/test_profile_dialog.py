"""The profile dialog: pool ID first, the region from it, each error under its field."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QFormLayout, QLabel
from pytestqt.qtbot import QtBot

from app.core.profile import Profile
from app.ui.dialogs.profile_dialog import ProfileDialog

REGIONS = ["eu-west-1", "us-east-1", "eu-central-1"]


def _dialog(qtbot: QtBot, **kwargs: object) -> ProfileDialog:
    dialog = ProfileDialog(REGIONS, **kwargs)  # type: ignore[arg-type]
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def _shown_error(dialog: ProfileDialog, field: str) -> str:
    label = dialog.field_errors[field]
    return label.text() if label.isVisible() else ""


def test_the_pool_id_comes_first_and_fills_in_the_region(qtbot: QtBot) -> None:
    dialog = _dialog(qtbot)
    form = dialog.findChild(QFormLayout)
    assert form is not None
    item = form.itemAt(0, QFormLayout.ItemRole.LabelRole)
    assert item is not None
    first = item.widget()
    assert isinstance(first, QLabel) and first.text() == "User pool ID"
    assert dialog.focusWidget() is dialog.pool_edit or not dialog.isActiveWindow()
    dialog.pool_edit.setText("eu-central-1_AbC123xyz")
    assert dialog.region_combo.currentText() == "eu-central-1"
    assert dialog.ok_button.text() == "Save profile"


def test_a_region_that_does_not_match_the_pool_is_refused_next_to_the_region(
    qtbot: QtBot,
) -> None:
    dialog = _dialog(qtbot)
    dialog.pool_edit.setText("eu-west-1_AbC123xyz")
    dialog.name_edit.setText("staging")
    dialog.client_id_edit.setText("abc123")
    assert dialog.ok_button.isEnabled()
    dialog.region_combo.setCurrentText("us-east-1")
    error = _shown_error(dialog, "region")
    assert error.startswith("Region is 'us-east-1' but the user pool ID is in 'eu-west-1'"), error
    assert "border" in dialog.region_combo.styleSheet()
    assert not dialog.ok_button.isEnabled()


def test_each_error_sits_under_its_field_in_the_labels_words(qtbot: QtBot) -> None:
    dialog = _dialog(qtbot)
    dialog.pool_edit.setText("not a pool")
    dialog.endpoint_edit.setText("ftp://nowhere")
    dialog.client_id_edit.setText("bad id!")
    dialog.name_edit.setText("x")
    dialog.name_edit.setText("")  # cleared again: required
    QTest.keyClick(dialog.name_edit, Qt.Key.Key_Tab)  # left with Tab: now "reached"
    assert _shown_error(dialog, "user_pool_id").startswith("User pool ID must look like")
    assert _shown_error(dialog, "endpoint_url").startswith("Endpoint URL must be an http")
    assert _shown_error(dialog, "client_id").startswith("Client ID ")
    assert _shown_error(dialog, "name") == "Name is required"
    every = " ".join(dialog.problems())
    for internal in ("endpoint_url", "user_pool_id", "client_id", "name:"):
        assert internal not in every, every
    for field in ("user_pool_id", "endpoint_url", "client_id", "name"):
        assert "border" in dialog._fields[field].styleSheet(), field
    assert not dialog.ok_button.isEnabled()

    # Fixed: the messages and outlines go, Save is offered.
    dialog.pool_edit.setText("us-east-1_AbC123xyz")
    dialog.endpoint_edit.setText("")
    dialog.client_id_edit.setText("abc123")
    dialog.name_edit.setText("staging")
    assert dialog.problems() == []
    assert not any(label.isVisible() for label in dialog.field_errors.values())
    assert dialog.name_edit.styleSheet() == ""
    assert dialog.ok_button.isEnabled()
    edit = dialog.result_edit()
    assert edit.profile.region == "us-east-1" and edit.profile.user_pool_id == "us-east-1_AbC123xyz"


def test_a_fresh_dialog_shouts_at_nothing(qtbot: QtBot) -> None:
    dialog = _dialog(qtbot)
    assert not any(label.isVisible() for label in dialog.field_errors.values())
    assert not dialog.ok_button.isEnabled()


def test_a_name_already_taken_is_said_under_the_name(qtbot: QtBot) -> None:
    existing = Profile("prod", "eu-west-1", user_pool_id="eu-west-1_AbC123xyz")
    dialog = _dialog(qtbot, existing=existing, client_id="abc", taken_names=["prod", "staging"])
    assert dialog.region_combo.currentText() == "eu-west-1"
    assert dialog.ok_button.isEnabled()
    dialog.name_edit.setText("Staging")
    assert "already used by another profile" in _shown_error(dialog, "name")
