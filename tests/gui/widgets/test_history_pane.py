"""HistoryPane offscreen with pytest-qt: filter, details, row actions, export, 100k rows."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QLineEdit, QTableView, QWidget

from app.core.describe import describe_attempt
from app.core.outcome import SIMULATED_DELIVERY_CAUTION, Attempt, DeliveryMedium, Status
from app.services.history_store import HistoryFilter, HistoryStore
from app.ui.models.history_columns import COL_LATENCY
from app.ui.models.history_model import HistoryTableModel
from app.ui.widgets.details_panel import EMPTY_TEXT, DetailsPanel
from app.ui.widgets.history_pane import HistoryPane
from tests.gui.models.test_history_model import (
    CLIENT_SECRET,
    DEV,
    HASH_MESSAGE,
    LIMIT_MESSAGE,
    SEEN_HASHES,
    assert_no_secret,
    deliver,
    fail,
    fill,
    start,
)


@pytest.fixture
def store(tmp_path: Path):
    s = HistoryStore(tmp_path / "history.sqlite3")
    yield s
    s.close()


@pytest.fixture
def attempts(store: HistoryStore) -> dict[str, Attempt]:
    made = {
        "alice": deliver(start("alice", seconds=1)),
        "bob": fail(start("bob", seconds=2), "LimitExceededException", LIMIT_MESSAGE),
        "carol": fail(
            start("carol", profile=DEV, seconds=3, metadata=(("lang", "fr"), ("flow", "qa"))),
            "NotAuthorizedException",
            HASH_MESSAGE,
        ),
        "dave": deliver(start("dave", profile=DEV, seconds=4), medium=DeliveryMedium.SMS),
    }
    for a in made.values():
        store.append(a)
    return made


@pytest.fixture
def pane(qtbot, store: HistoryStore, attempts: dict[str, Attempt]) -> HistoryPane:
    model = HistoryTableModel(store)
    widget = HistoryPane(model)
    qtbot.addWidget(widget)
    widget.resize(1000, 700)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def select(pane: HistoryPane, a: Attempt) -> None:
    assert pane.select_attempt(a.attempt_id)
    assert pane.current_attempt() == a


def clipboard() -> str:
    return QGuiApplication.clipboard().text()


def test_widgets_are_named_and_shaped(pane: HistoryPane) -> None:
    for name, kind in (
        ("historyFilterEdit", QLineEdit),
        ("historyView", QTableView),
        ("detailsPanel", DetailsPanel),
        ("historySplitter", QWidget),
    ):
        w = pane.findChild(kind, name)
        assert w is not None, name
        assert w.accessibleName() == name
    assert pane.filter_edit.placeholderText() == "Filter by username, profile or outcome"
    assert pane.filter_edit.isClearButtonEnabled()
    view = pane.view
    assert view.verticalHeader().isHidden()
    assert view.horizontalHeader().stretchLastSection()
    assert view.alternatingRowColors()
    assert view.selectionBehavior() is QTableView.SelectionBehavior.SelectRows
    assert view.selectionMode() is QTableView.SelectionMode.SingleSelection
    assert [pane.status_combo.itemText(i) for i in range(pane.status_combo.count())] == [
        "All", "Delivered", "Failed", "Pending",
    ]
    names = {a.objectName() for a in pane.actions()}
    assert {
        "rerunAction", "copyCliAction", "copyDetailsAction", "exportCsvAction", "exportJsonAction",
    } <= names
    menu_names = {a.objectName() for a in pane.build_context_menu().actions()}
    assert {"rerunAction", "copyCliAction", "copyDetailsAction", "exportCsvAction"} <= menu_names
    assert pane.count_label.text() == "4 attempts"
    # Nothing selected yet: the empty state, and row actions are off.
    assert pane.details.displayed_text() == EMPTY_TEXT
    assert not pane.rerun_action.isEnabled()
    assert not pane.copy_cli_action.isEnabled()


def test_filter_box_narrows_rows_after_the_debounce(qtbot, pane: HistoryPane) -> None:
    assert pane.model.rowCount() == 4
    qtbot.keyClicks(pane.filter_edit, "CAR")
    # Debounced: typing alone does not refilter at once.
    assert pane.model.rowCount() == 4
    qtbot.waitUntil(lambda: pane.model.rowCount() == 1)
    assert pane.model.attempt_at(0).username == "carol"  # type: ignore[union-attr]
    assert pane.count_label.text() == "1 attempt"
    assert pane.current_filter() == HistoryFilter(text="CAR")

    pane.filter_edit.clear()
    qtbot.waitUntil(lambda: pane.model.rowCount() == 4)
    pane.status_combo.setCurrentIndex(pane.status_combo.findText("Failed"))
    assert pane.model.rowCount() == 2  # the status combo applies at once
    assert pane.current_filter() == HistoryFilter(status=Status.FAILED)
    assert {pane.model.attempt_at(r).status for r in range(2)} == {Status.FAILED}  # type: ignore[union-attr]


def test_selection_survives_refiltering(qtbot, pane: HistoryPane, attempts) -> None:
    select(pane, attempts["bob"])
    qtbot.keyClicks(pane.filter_edit, "bo")
    qtbot.waitUntil(lambda: pane.model.rowCount() == 1)
    assert pane.current_attempt() == attempts["bob"]
    pane.filter_edit.setText("alice")
    qtbot.waitUntil(lambda: pane.model.rowCount() == 1 and pane.current_attempt() is None)
    assert pane.details.displayed_text() == EMPTY_TEXT


def test_details_for_a_delivery(qtbot, pane: HistoryPane, attempts) -> None:
    a = attempts["dave"]
    with qtbot.waitSignal(pane.selection_changed) as sig:
        select(pane, a)
    assert sig.args == [a]
    text = pane.details.displayed_text()
    assert SIMULATED_DELIVERY_CAUTION in text
    fields = pane.details.field_values()
    assert fields["Destination"] == "+*******0123"
    assert fields["Medium"] == "SMS"
    assert fields["Attribute"] == "phone_number"
    assert fields["Request ID"] == a.request_id
    assert fields["HTTP status"] == "200"
    assert fields["Latency"] == "123 ms"
    assert "Error code" not in fields
    assert_no_secret(text)


def test_details_for_a_failure(qtbot, pane: HistoryPane, attempts) -> None:
    a = attempts["carol"]
    f = a.failure
    assert f is not None
    select(pane, a)
    text = pane.details.displayed_text()
    for expected in (f.title, f.cause, f.remedy, HASH_MESSAGE):
        assert expected in text
    assert SIMULATED_DELIVERY_CAUTION not in text
    fields = pane.details.field_values()
    assert fields["Error code"] == "NotAuthorizedException"
    assert fields["HTTP status"] == "400"
    assert fields["Request ID"] == f.request_id == a.request_id
    assert fields["Retries"] == "1"
    assert fields["Latency"] == "2,500 ms"
    assert fields["Client metadata"] == "lang = fr\nflow = qa"
    assert fields["SecretHash sent"] == "no"  # DEV has no secret
    assert fields["Started"]
    assert_no_secret(text)
    # With a secret the panel says a hash was sent, never what it was.
    select(pane, attempts["bob"])
    assert pane.details.field_values()["SecretHash sent"] == "yes"
    assert_no_secret(pane.details.displayed_text())


def test_copy_as_cli_uses_the_placeholder(qtbot, pane: HistoryPane, attempts) -> None:
    a = attempts["bob"]  # QA profile: a SecretHash was sent
    select(pane, a)
    QGuiApplication.clipboard().clear()
    pane.copy_cli_action.trigger()
    text = clipboard()
    assert text.startswith("aws cognito-idp resend-confirmation-code")
    assert "--secret-hash '<SECRET_HASH>'" in text or "--secret-hash <SECRET_HASH>" in text
    assert "--username bob" in text
    assert SEEN_HASHES and all(h not in text for h in SEEN_HASHES)
    assert CLIENT_SECRET.reveal() not in text


def test_copy_details_by_action_and_ctrl_c(qtbot, pane: HistoryPane, attempts) -> None:
    a = attempts["carol"]
    select(pane, a)
    QGuiApplication.clipboard().clear()
    pane.copy_details_action.trigger()
    assert clipboard() == describe_attempt(a)
    assert_no_secret(clipboard())

    select(pane, attempts["alice"])
    QGuiApplication.clipboard().clear()
    pane.view.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is pane.view)
    qtbot.keyClick(pane.view, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: clipboard() == describe_attempt(attempts["alice"]))
    assert SIMULATED_DELIVERY_CAUTION in clipboard()


def test_rerun_signal_carries_the_attempt(qtbot, pane: HistoryPane, attempts) -> None:
    a = attempts["bob"]
    select(pane, a)
    with qtbot.waitSignal(pane.rerun_requested) as sig:
        pane.rerun_action.trigger()
    assert sig.args == [a]
    # And by keyboard.
    pane.view.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is pane.view)
    with qtbot.waitSignal(pane.rerun_requested) as sig:
        qtbot.keyClick(pane.view, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    assert sig.args == [a]


def test_pending_row_cannot_be_rerun_and_updates_details(qtbot, pane: HistoryPane) -> None:
    p = start("erin", seconds=100)
    pane.model.add_pending(p)
    assert pane.count_label.text() == "5 attempts"
    select(pane, p)
    assert not pane.rerun_action.isEnabled()
    assert "Pending" in pane.details.displayed_text()
    final = fail(p, "LimitExceededException", LIMIT_MESSAGE)
    with qtbot.waitSignal(pane.selection_changed) as sig:
        pane.model.update_attempt(final)
    assert sig.args == [final]
    assert pane.current_attempt() == final
    assert "Attempt limit exceeded" in pane.details.displayed_text()
    assert pane.rerun_action.isEnabled()


def test_export_signal_carries_the_filter(qtbot, pane: HistoryPane, tmp_path: Path) -> None:
    asked: list[tuple[str, str]] = []

    def choose(fmt: str, suggested: str) -> str | None:
        asked.append((fmt, suggested))
        return str(tmp_path / "out")

    pane.choose_export_path = choose
    pane.status_combo.setCurrentIndex(pane.status_combo.findText("Failed"))
    # Typed but not yet applied: export uses what is typed, not a stale filter.
    pane.filter_edit.setText("bob")
    with qtbot.waitSignal(pane.export_requested) as sig:
        pane.export_csv_action.trigger()
    assert sig.args == [
        "csv", str(tmp_path / "out.csv"), HistoryFilter(text="bob", status=Status.FAILED),
    ]
    assert asked == [("csv", "cognito-resend-history.csv")]

    with qtbot.waitSignal(pane.export_requested) as sig:
        pane.export_json_action.trigger()
    assert sig.args[0] == "json" and sig.args[1].endswith("out.json")

    # Cancelling the dialog sends nothing.
    pane.choose_export_path = lambda fmt, suggested: None
    with qtbot.assertNotEmitted(pane.export_requested):
        pane.export_json_action.trigger()


def test_layout_state_round_trips(qtbot, pane: HistoryPane, store: HistoryStore) -> None:
    # Column 0 (Time) is resizable; Username and the other default columns stretch (issue 14).
    pane.view.horizontalHeader().resizeSection(0, 133)
    pane.view.horizontalHeader().setSectionHidden(COL_LATENCY, False)  # shown on demand
    state = pane.saveState()
    other = HistoryPane(HistoryTableModel(store))
    qtbot.addWidget(other)
    assert other.view.horizontalHeader().isSectionHidden(COL_LATENCY)
    assert other.restoreState(state)
    assert other.view.horizontalHeader().sectionSize(0) == 133
    assert not other.view.horizontalHeader().isSectionHidden(COL_LATENCY)
    assert not other.restoreState(b"not a saved state")


def test_model_without_store_says_loading(qtbot, store: HistoryStore, attempts) -> None:
    model = HistoryTableModel(None)
    widget = HistoryPane(model)
    qtbot.addWidget(widget)
    assert widget.count_label.text() == "Loading history…"
    model.set_store(store)
    assert widget.count_label.text() == "4 attempts"


def test_unreadable_history_is_said_not_raised(qtbot, tmp_path: Path) -> None:
    broken = HistoryStore(tmp_path / "h.sqlite3")
    fill(broken, 3)
    model = HistoryTableModel(broken)
    widget = HistoryPane(model)
    qtbot.addWidget(widget)
    broken.close()  # every read now raises HistoryStoreError
    with qtbot.waitSignal(model.load_failed) as sig:
        model.reload()
    assert "closed" in sig.args[0]
    assert model.rowCount() == 0 and not model.canFetchMore(QModelIndex())
    assert widget.count_label.text() == "History unavailable"
    assert "closed" in widget.count_label.toolTip()


# Decoding 100,000 stored attempts takes tens of seconds on a loaded 2-core machine.
@pytest.mark.slow
@pytest.mark.timeout(900)
def test_100k_rows_open_and_scroll_to_the_bottom(qtbot, tmp_path: Path) -> None:
    big = HistoryStore(tmp_path / "big.sqlite3")
    try:
        fill(big, 100_000)
        model = HistoryTableModel(big)
        pane = HistoryPane(model)
        qtbot.addWidget(pane)
        pane.resize(1000, 700)
        pane.show()
        qtbot.waitExposed(pane)
        # Opening fetched one page, not the history.
        assert model.rowCount() == model.page_size
        # The count follows on the next loop turn (the first page paints first).
        qtbot.waitUntil(lambda: pane.count_label.text() == "100,000 attempts")
        view = pane.view
        rounds = 0
        # Scrolling to the bottom is what makes the view ask the model for more.
        while model.canFetchMore(QModelIndex()):
            before = model.rowCount()
            view.scrollToBottom()
            qtbot.waitUntil(lambda b=before: model.rowCount() > b)
            rounds += 1
            assert rounds <= 100_000 // model.page_size
        assert model.rowCount() == 100_000
        view.scrollToBottom()
        last = model.attempt_at(model.rowCount() - 1)
        assert last is not None and last.username == "alice"  # the oldest one, fill()'s first
        pane.select_attempt(last.attempt_id)
        assert pane.current_attempt() == last
    finally:
        big.close()
