"""The batch window end to end: the real window and services, the sandbox over HTTP."""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtWidgets import QWidget

from app.core.batch_progress import BatchState
from app.core.outcome import Attempt, Status
from app.services.history_store import HistoryFilter
from app.ui.dialogs.batch_dialog import BatchDialog
from app.ui.window.main_window import MainWindow
from tests.gui.conftest import WAIT_MS, WindowHarness

QA_USERS = [f"qa-user-{n:03d}" for n in range(1, 11)]
REQUIRED_NAMES = (
    "batchDialog",
    "batchInputEdit",
    "batchImportButton",
    "batchProblemsTable",
    "batchConcurrencySpin",
    "batchRateSpin",
    "batchStartButton",
    "batchPauseButton",
    "batchCancelButton",
    "batchProgressBar",
    "batchSummaryLabel",
    "batchExportButton",
    "batchShowInHistoryButton",
    "batchFormMetadataCheck",
    "batchSendDuplicatesCheck",
    "batchResultsTable",
    "batchResultsCountLabel",
    "batchRetryFailedButton",
    "batchCopyFailedButton",
)


def _dialog(window: MainWindow, *, rate: float = 200.0, concurrency: int = 4) -> BatchDialog:
    dialog = window.open_batch_dialog()
    dialog.rate_spin.setValue(rate)
    dialog.concurrency_spin.setValue(concurrency)
    return dialog


def _paste(h: WindowHarness, dialog: BatchDialog, text: str) -> None:
    dialog.input_box.input_edit.setPlainText(text)
    h.qtbot.waitUntil(lambda: dialog.input_check is not None, timeout=WAIT_MS)


def _start(h: WindowHarness, dialog: BatchDialog) -> None:
    h.qtbot.waitUntil(dialog.start_button.isEnabled, timeout=WAIT_MS)
    dialog.start_button.click()
    h.qtbot.waitUntil(lambda: dialog.batch_id is not None, timeout=WAIT_MS)


def _finish(h: WindowHarness, dialog: BatchDialog) -> None:
    h.qtbot.waitUntil(lambda: dialog.last_summary is not None, timeout=WAIT_MS)


def _run(h: WindowHarness, window: MainWindow, users: str) -> BatchDialog:
    """Paste `users`, send them one at a time, and wait for the batch to end."""
    dialog = _dialog(window, concurrency=1)
    _paste(h, dialog, users)
    _start(h, dialog)
    _finish(h, dialog)
    return dialog


def _history(window: MainWindow, batch_id: str) -> list[Attempt]:
    store = window.controllers.session.history
    assert store is not None
    return list(store.iter_filtered(HistoryFilter(batch_id=batch_id)))


def _started_calls(dialog: BatchDialog) -> int:
    snap = dialog.batch.snapshot()
    assert snap is not None
    return snap.done + snap.in_flight


def test_widgets_have_matching_object_and_accessible_names(window: MainWindow) -> None:
    dialog = window.open_batch_dialog()
    assert not dialog.isModal()
    for name in REQUIRED_NAMES:
        widget = dialog if name == "batchDialog" else dialog.findChild(QWidget, name)
        assert widget is not None, name
        assert widget.accessibleName() == name, name
    assert window.findChild(QWidget, "batchButton") is not None
    assert "Sandbox" in dialog.input_box.profile_label.text()


def test_bad_rows_listed_valid_rows_sent_and_shown_in_history(
    harness: WindowHarness, window: MainWindow, tmp_path: Path
) -> None:
    dialog = _dialog(window)
    lines = [*QA_USERS[:5], "bad user", *QA_USERS[5:], "QA-USER-003"]
    _paste(harness, dialog, "\n".join(lines))
    table = dialog.input_box.problems_table
    problems = {
        table.item(r, 0).text(): (table.item(r, 1).text(), table.item(r, 2).text())
        for r in range(table.rowCount())
    }
    assert set(problems) == {"6", "12"}
    assert problems["6"][0] == "bad user" and "space" in problems["6"][1]
    assert problems["12"][0] == "QA-USER-003" and "duplicate of line 3" in problems["12"][1]
    assert dialog.start_button.text() == "Send 10 valid rows"

    _start(harness, dialog)
    _finish(harness, dialog)
    summary = dialog.last_summary
    assert summary is not None and summary.state is BatchState.FINISHED
    assert (summary.delivered, summary.failed_count, summary.sent) == (10, 0, 10)
    assert "10 delivered" in dialog.progress_box.summary_label.text()
    bar = dialog.progress_box.progress_bar
    assert bar.value() == bar.maximum() == 10
    rows = _history(window, summary.batch_id)
    assert sorted(a.username for a in rows) == QA_USERS
    assert all(a.status is Status.DELIVERED and a.batch_id == summary.batch_id for a in rows)
    assert sorted(m.username for m in harness.sandbox.inbox()) == QA_USERS
    model = window.history_model
    harness.qtbot.waitUntil(lambda: model.rowCount() == 10, timeout=WAIT_MS)
    # The sandbox panel's inbox shows the codes the batch issued without a manual refresh.
    inbox = window.sandbox_panel.inbox_table
    harness.qtbot.waitUntil(lambda: inbox.rowCount() == 10, timeout=WAIT_MS)

    dialog.progress_box.show_history_button.click()
    assert window.history_pane.current_filter().batch_id == summary.batch_id
    assert model.total_count() == 10

    out = tmp_path / "batch.json"
    dialog.choose_export_path = lambda _suggested: str(out)
    with harness.qtbot.waitSignal(
        window.controllers.export.export_finished, timeout=WAIT_MS
    ) as got:
        dialog.progress_box.export_button.click()
    assert got.args == [str(out), 10]
    exported = json.loads(out.read_text(encoding="utf-8"))
    assert sorted(e["username"] for e in exported) == QA_USERS


def test_throttled_rows_are_retried_and_delivered(
    harness: WindowHarness, window: MainWindow
) -> None:
    harness.sandbox.inject("throttle", "throttle")
    dialog = _dialog(window, concurrency=1)
    _paste(harness, dialog, "\n".join(QA_USERS[:3]))
    _start(harness, dialog)
    _finish(harness, dialog)
    summary = dialog.last_summary
    assert summary is not None
    assert (summary.delivered, summary.failed_count, summary.retries) == (3, 0, 2)
    rows = _history(window, summary.batch_id)
    # One history row per user (it was 5: each throttled call had a row of its own).
    assert sorted(a.username for a in rows) == QA_USERS[:3]
    assert all(a.status is Status.DELIVERED for a in rows)
    assert sum(a.retries for a in rows) == 2
    assert len(harness.sandbox.inbox()) == 3


def test_limit_exceeded_row_is_marked_not_retried_and_the_batch_goes_on(
    harness: WindowHarness, window: MainWindow
) -> None:
    dialog = _run(harness, window, "qa-user-001\nfault-limit\nqa-user-002")
    summary = dialog.last_summary
    assert summary is not None
    assert summary.delivered == 2
    assert summary.failed == (("LimitExceededException", 1),) and summary.retries == 0
    limited = [a for a in _history(window, summary.batch_id) if a.username == "fault-limit"]
    assert len(limited) == 1  # one call: never retried
    assert dialog.progress_box.progress_label.isHidden()  # the summary says it once
    text = dialog.progress_box.summary_label.text()
    assert "1 failed: 1 attempt limit exceeded" in text and "Exception" not in text


def test_pause_then_resume(harness: WindowHarness, window: MainWindow) -> None:
    dialog = _dialog(window, rate=4.0, concurrency=1)
    _paste(harness, dialog, "\n".join(QA_USERS[:6]))
    _start(harness, dialog)
    harness.qtbot.waitUntil(
        lambda: (s := dialog.batch.snapshot()) is not None and s.done >= 1, timeout=WAIT_MS
    )
    dialog.pause_button.click()
    harness.qtbot.waitUntil(lambda: dialog.pause_button.text() == "Resume", timeout=WAIT_MS)
    harness.qtbot.waitUntil(
        lambda: (s := dialog.batch.snapshot()) is not None and s.in_flight == 0, timeout=WAIT_MS
    )
    held = _started_calls(dialog)
    assert held < 6
    harness.qtbot.wait(600)  # at 4/s, two or three calls would have started by now
    assert _started_calls(dialog) == held
    assert "Paused" in dialog.progress_box.progress_label.text()
    dialog.pause_button.click()
    _finish(harness, dialog)
    summary = dialog.last_summary
    assert summary is not None and summary.delivered == 6


def test_cancel_stops_new_calls_and_records_the_ones_in_flight(
    harness: WindowHarness, window: MainWindow
) -> None:
    dialog = _dialog(window, concurrency=2)
    dialog.input_box.duplicates_check.setChecked(True)
    _paste(harness, dialog, "\n".join(["fault-slow-1"] * 8))
    assert dialog.start_button.text() == "Send 8 valid rows"
    _start(harness, dialog)
    harness.qtbot.waitUntil(
        lambda: (s := dialog.batch.snapshot()) is not None and s.in_flight == 2, timeout=WAIT_MS
    )
    started = _started_calls(dialog)  # read and cancel with no loop turn in between
    dialog.cancel_button.click()
    assert not dialog.cancel_button.isEnabled()
    _finish(harness, dialog)
    summary = dialog.last_summary
    assert summary is not None and summary.state is BatchState.CANCELLED
    assert summary.sent == started and summary.not_sent == 8 - started
    assert len(_history(window, summary.batch_id)) == started
    assert "not sent (cancelled)" in dialog.progress_box.summary_label.text()


def test_import_csv_with_bom_and_metadata_columns(
    harness: WindowHarness, window: MainWindow, tmp_path: Path
) -> None:
    path = tmp_path / "users.csv"
    text = (
        "username,metadata.source,note\r\n"
        "qa-user-001,import,first\r\n"
        "qa-user-002,,no metadata of its own\r\n"
        'qa-user-003,"x,y\r\n'  # an unclosed quote: bad CSV, the rest is checked too
    )
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    window.form.metadata.set_pairs([("campaign", "spring")])
    dialog = _dialog(window)
    dialog.choose_import_path = lambda: str(path)
    dialog.input_box.metadata_check.setChecked(True)
    dialog.input_box.import_button.click()
    harness.qtbot.waitUntil(lambda: dialog.input_check is not None, timeout=WAIT_MS)
    check = dialog.input_check
    assert check is not None and (check.valid, check.bad) == (2, 1)
    assert dialog.input_box.problems_table.item(0, 0).text() == "4"
    assert dialog.input_box.input_edit.toPlainText() == ""  # streamed from the file, not loaded
    _start(harness, dialog)
    _finish(harness, dialog)
    assert dialog.last_summary is not None and dialog.last_summary.delivered == 2
    assert harness.sandbox.inbox("qa-user-001")[0].client_metadata == {"source": "import"}
    assert harness.sandbox.inbox("qa-user-002")[0].client_metadata == {"campaign": "spring"}


def test_closing_the_dialog_while_running_asks_then_cancels(
    harness: WindowHarness, window: MainWindow
) -> None:
    dialog = _dialog(window, concurrency=2)
    dialog.input_box.duplicates_check.setChecked(True)
    _paste(harness, dialog, "\n".join(["fault-slow-1"] * 6))
    _start(harness, dialog)
    harness.qtbot.waitUntil(
        lambda: (s := dialog.batch.snapshot()) is not None and s.in_flight == 2, timeout=WAIT_MS
    )
    dialog.confirm = lambda _title, _text: False
    dialog.close()
    assert dialog.isVisible() and dialog.batch.running
    dialog.confirm = lambda _title, _text: True
    dialog.close()
    assert not dialog.isVisible()
    _finish(harness, dialog)
    assert dialog.last_summary is not None
    assert dialog.last_summary.state is BatchState.CANCELLED


def test_closing_the_window_while_running_neither_hangs_nor_loses_calls(
    harness: WindowHarness, window: MainWindow
) -> None:
    dialog = _dialog(window, concurrency=2)
    dialog.input_box.duplicates_check.setChecked(True)
    _paste(harness, dialog, "\n".join(["fault-slow-1"] * 6))
    _start(harness, dialog)
    harness.qtbot.waitUntil(
        lambda: (s := dialog.batch.snapshot()) is not None and s.in_flight == 2, timeout=WAIT_MS
    )
    batch_id = dialog.batch_id
    assert batch_id is not None
    window.confirm = lambda _title, _text: True
    harness.close(window)  # waits for the controller's aclose(), which waits for the batch
    assert not dialog.batch.running
    summary = dialog.last_summary
    assert summary is not None and summary.state is BatchState.CANCELLED
    reopened = harness.open()
    assert len(_history(reopened, batch_id)) == summary.sent >= 2


# -- results: counts that agree, one row per user, retry and copy the failed users ---------

MIXED = [
    *QA_USERS[:6],
    "qa-user-001",  # a duplicate: flagged, counted apart, skipped
    "fault-throttle",  # throttled to the end: one failed row with its retries
    "nobody-here",
    "ghost-user",
    "fault-limit",
]


def _results(dialog: BatchDialog) -> dict[str, tuple[str, str]]:
    model = dialog.results
    return {
        model.index(r, 0).data(): (model.index(r, 1).data(), model.index(r, 2).data())
        for r in range(model.rowCount())
    }


def test_counts_agree_and_each_user_is_one_result_and_one_history_row(
    harness: WindowHarness, window: MainWindow
) -> None:
    harness.sandbox.inject("throttle")  # the first call is throttled, then sent again
    dialog = _dialog(window, concurrency=1)
    _paste(harness, dialog, "\n".join(MIXED))
    label = dialog.input_box.check_label.text()
    assert label.startswith("10 valid rows will be sent. 1 duplicate is skipped.")
    assert dialog.start_button.text() == "Send 10 valid rows"
    dialog.input_box.duplicates_check.setChecked(True)
    assert dialog.input_box.check_label.text().startswith(
        "11 valid rows will be sent, 1 duplicate included."
    )
    assert dialog.start_button.text() == "Send 11 valid rows"
    dialog.input_box.duplicates_check.setChecked(False)

    _start(harness, dialog)
    _finish(harness, dialog)
    summary = dialog.last_summary
    assert summary is not None
    assert (summary.sent, summary.delivered, summary.failed_count) == (10, 6, 4)
    text = dialog.progress_box.summary_label.text()
    assert "10 users sent to; 6 delivered; 4 failed: 2 user not found, " in text
    assert "1 attempt limit exceeded" in text and "Exception" not in text

    results = _results(dialog)
    assert len(results) == 10 and set(results) == set(MIXED)
    assert results["qa-user-002"][1].endswith("@example.com") or "*" in results["qa-user-002"][1]
    assert results["nobody-here"] == ("User not found", "")
    assert results["fault-limit"][0] == "Attempt limit exceeded"
    assert results["fault-throttle"][0].startswith("Too many requests")
    assert "sent again 4 times" in results["fault-throttle"][0]
    counts = dialog.results_box.counts_label.text()
    assert counts == "10 users: 6 delivered, 4 failed."

    rows = _history(window, summary.batch_id)
    assert sorted(a.username for a in rows) == sorted(MIXED[:6] + MIXED[7:])
    throttled = [a for a in rows if a.username == "fault-throttle"]
    assert len(throttled) == 1 and throttled[0].retries == 4
    assert "TooManyRequestsException" in throttled[0].notes
    assert sum(a.retries for a in rows) == 5  # the injected throttle is inside a row too


def test_retry_failed_sends_again_to_the_failed_users_only(
    harness: WindowHarness, window: MainWindow
) -> None:
    harness.sandbox.inject("delivery", "internal")  # the first two calls fail
    dialog = _run(harness, window, "\n".join(QA_USERS[:4]))
    first = dialog.last_summary
    assert first is not None and (first.delivered, first.failed_count) == (2, 2)
    failed = dialog.results.failed_usernames()
    assert failed == QA_USERS[:2]
    assert dialog.results_box.retry_button.isEnabled()

    dialog.results_box.retry_button.click()
    harness.qtbot.waitUntil(lambda: dialog.batch_id is not None, timeout=WAIT_MS)
    _finish(harness, dialog)
    again = dialog.last_summary
    assert again is not None and again.batch_id != first.batch_id
    assert (again.sent, again.delivered, again.failed_count) == (2, 2, 0)
    retried = _history(window, again.batch_id)
    assert sorted(a.username for a in retried) == failed  # only the failed users, recorded
    results = _results(dialog)
    assert len(results) == 4 and all(o.startswith("Code sent") for o, _ in results.values())
    assert dialog.results_box.counts_label.text() == "4 users: 4 delivered, 0 failed."
    assert not dialog.results_box.retry_button.isEnabled()
    assert len(harness.sandbox.inbox()) == 4
    # Once the batch's task is done, the same input can be sent again.
    harness.qtbot.waitUntil(dialog.start_button.isEnabled, timeout=WAIT_MS)


def test_copy_failed_usernames_puts_one_per_line_on_the_clipboard(
    harness: WindowHarness, window: MainWindow
) -> None:
    from PySide6.QtGui import QGuiApplication

    dialog = _run(harness, window, "qa-user-001\nnobody-here\nfault-limit\nqa-user-002")
    QGuiApplication.clipboard().clear()
    dialog.results_box.copy_button.click()
    copied = QGuiApplication.clipboard().text()
    assert copied == "nobody-here\nfault-limit"
    assert "2 failed usernames copied." in dialog.results_box.counts_label.text()


def test_new_input_clears_the_old_results(harness: WindowHarness, window: MainWindow) -> None:
    dialog = _run(harness, window, "qa-user-001\nnobody-here")
    assert dialog.results.rowCount() == 2 and dialog.progress_box.summary_label.text()
    _paste(harness, dialog, "qa-user-003")
    assert dialog.results.rowCount() == 0
    assert dialog.progress_box.summary_label.text() == ""
    assert dialog.progress_box.progress_label.text() == ""
    assert dialog.results_box.counts_label.text() == "No results yet."
    assert not dialog.results_box.retry_button.isEnabled()
    assert not dialog.results_box.copy_button.isEnabled()
    assert dialog.batch_id is None and not dialog.progress_box.export_button.isEnabled()


def test_tab_leaves_the_paste_box(harness: WindowHarness, window: MainWindow) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    dialog = _dialog(window)
    dialog.activateWindow()
    edit = dialog.input_box.input_edit
    edit.setFocus()
    harness.qtbot.waitUntil(edit.hasFocus, timeout=WAIT_MS)
    QTest.keyClick(edit, Qt.Key.Key_Tab)
    assert "\t" not in edit.toPlainText()
    assert not edit.hasFocus()
