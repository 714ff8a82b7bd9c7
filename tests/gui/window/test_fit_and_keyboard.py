"""The developer view on a laptop screen and from the keyboard (issue 14 items 4 and 5)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractItemView, QApplication, QWidget

from app.core.outcome import Status
from app.ui.dialogs.trigger_event_dialog import TriggerEventDialog
from app.ui.models.history_columns import COL_LATENCY, COL_REQUEST_ID, HEADERS
from app.ui.widgets.history_view import build_column_menu
from app.ui.window.main_window import MainWindow
from app.ui.window.text_field_shortcuts import TextFieldShortcuts
from tests.gui.conftest import WAIT_MS, WindowHarness


def _settle(h: WindowHarness) -> None:
    QApplication.processEvents()
    h.qtbot.wait(50)


@pytest.mark.parametrize(("width", "height"), [(1366, 768), (1024, 640)])
def test_window_fits_the_screen_with_the_drawer_open(
    harness: WindowHarness, window: MainWindow, width: int, height: int
) -> None:
    assert window.sandbox_dock.isVisible()
    frame = 16  # a window manager's border, generously
    hint = window.minimumSizeHint()
    assert hint.width() <= width - frame, hint
    assert hint.height() <= height - 60, hint  # the title bar and a panel
    window.resize(width - frame, height - 60)
    _settle(harness)
    assert window.width() <= width - frame
    # The profile bar's labels shorten instead of setting a minimum.
    bar = window.profile_bar
    assert bar.minimumSizeHint().width() <= width - frame - window.sandbox_dock.width()
    assert window.profile_bar.keyring_status_label.toolTip()


def test_the_drawer_never_widens_the_window(window: MainWindow) -> None:
    with_drawer = window.minimumSizeHint().width()
    window.sandbox_dock.hide()
    without = window.minimumSizeHint().width()
    assert with_drawer - without <= 240, (with_drawer, without)


def test_history_at_1366_has_no_horizontal_scrollbar_and_columns_on_demand(
    harness: WindowHarness, window: MainWindow
) -> None:
    window.resize(1350, 700)
    harness.send(window, "alice")
    harness.send(window, "nobody-here")
    _settle(harness)
    view = window.history_pane.view
    header = view.horizontalHeader()
    shown = [HEADERS[c] for c in range(len(HEADERS)) if not header.isSectionHidden(c)]
    assert shown == ["Time", "Username", "Outcome", "Destination"]
    assert header.length() <= view.viewport().width()
    assert not view.horizontalScrollBar().isVisible()
    assert view.model().data(view.model().index(1, 0)) == "just now"
    # Other columns on demand, from the header's menu; remembered across a restart.
    menu = build_column_menu(view)
    [latency] = [a for a in menu.actions() if a.text() == "Latency"]
    latency.trigger()
    assert not header.isSectionHidden(COL_LATENCY)
    assert header.isSectionHidden(COL_REQUEST_ID)
    harness.close(window)
    again = harness.open()
    assert not again.history_pane.view.horizontalHeader().isSectionHidden(COL_LATENCY)


def _focused() -> QWidget | None:
    return QApplication.focusWidget()


def _tab(h: WindowHarness) -> QWidget | None:
    widget = _focused()
    assert widget is not None
    QTest.keyClick(widget, Qt.Key.Key_Tab)
    return _focused()


def test_tab_goes_from_username_to_send_and_enter_sends(
    harness: WindowHarness, window: MainWindow
) -> None:
    form = window.form
    window.activateWindow()
    form.username_edit.setFocus()
    harness.qtbot.waitUntil(lambda: _focused() is form.username_edit, timeout=WAIT_MS)
    form.username_edit.setText("alice")
    harness.qtbot.waitUntil(form.send_button.isEnabled, timeout=WAIT_MS)
    assert _tab(harness) is form.send_button
    assert _tab(harness) is form.metadata_section.toggle
    # Backwards and Enter in the username field sends.
    form.username_edit.setFocus()
    with harness.qtbot.waitSignal(
        window.controllers.sending.attempt_finished, timeout=WAIT_MS
    ) as blocker:
        QTest.keyClick(form.username_edit, Qt.Key.Key_Return)
    assert blocker.args[0].status is Status.DELIVERED


def test_send_sits_right_under_username_with_optional_sections_collapsed(
    window: MainWindow,
) -> None:
    form = window.form
    for section in (form.metadata_section, form.analytics_section, form.advanced_section):
        assert not section.expanded()
        assert section.content.isHidden()
    gap = form.send_button.mapTo(form, form.send_button.rect().topLeft()).y() - (
        form.username_edit.mapTo(form, form.username_edit.rect().bottomLeft()).y()
    )
    assert gap < 80, gap


def test_tables_release_tab(harness: WindowHarness, window: MainWindow) -> None:
    tables: list[QAbstractItemView] = [
        window.history_pane.view,
        window.form.metadata.table,
        window.sandbox_panel.users_table,
        window.sandbox_panel.inbox_table,
    ]
    for table in tables:
        assert not table.tabKeyNavigation(), table.objectName()
    harness.send(window, "alice")
    window.activateWindow()
    view = window.history_pane.view
    view.setFocus()
    harness.qtbot.waitUntil(lambda: _focused() is view, timeout=WAIT_MS)
    assert _tab(harness) is not view


def _event_dialog(window: MainWindow) -> TriggerEventDialog | None:
    return window.event_dialog


def test_menu_shortcuts_work_while_typing_in_the_username(
    harness: WindowHarness, window: MainWindow
) -> None:
    window.activateWindow()
    edit = window.form.username_edit
    edit.setFocus()
    harness.qtbot.waitUntil(lambda: _focused() is edit, timeout=WAIT_MS)
    QTest.keyClicks(edit, "alice")
    window.event_dialog = None
    QTest.keyClick(edit, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    harness.qtbot.waitUntil(lambda: _event_dialog(window) is not None, timeout=WAIT_MS)
    assert edit.text() == "alice"  # the key went to the menu, not into the field
    dialog = _event_dialog(window)
    assert dialog is not None
    dialog.close()
    window.activateWindow()
    harness.qtbot.waitUntil(window.isActiveWindow, timeout=WAIT_MS)
    edit.setFocus()
    QTest.keyClick(edit, Qt.Key.Key_B, Qt.KeyboardModifier.ControlModifier)
    harness.qtbot.waitUntil(lambda: window.batch_dialog is not None, timeout=WAIT_MS)


def test_focus_ring_follows_the_palette(window: MainWindow) -> None:
    sheet = window.styleSheet()
    assert "QLineEdit:focus" in sheet and "QTableView:focus" in sheet
    assert "border: 2px solid" in sheet


def test_text_fields_do_not_claim_the_menus_keys(window: MainWindow) -> None:
    # On X11 a QLineEdit claims Ctrl+E (end of line) through ShortcutOverride; the guard
    # refuses that claim for the menu's keys only (Ctrl+C stays the field's copy).
    guard = TextFieldShortcuts([a.shortcut() for a in window.window_actions.all()])
    edit = window.form.username_edit
    ctrl = Qt.KeyboardModifier.ControlModifier
    claim = QKeyEvent(QEvent.Type.ShortcutOverride, Qt.Key.Key_E, ctrl)
    claim.accept()
    assert guard.eventFilter(edit, claim) and not claim.isAccepted()
    copy = QKeyEvent(QEvent.Type.ShortcutOverride, Qt.Key.Key_C, ctrl)
    assert not guard.eventFilter(edit, copy)
    plain = QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_E, ctrl)
    assert not guard.eventFilter(edit, plain)
