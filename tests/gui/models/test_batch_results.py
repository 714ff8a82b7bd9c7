"""The batch results model without a widget: rows, plain outcomes, counts, the failed users."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from app.core.errors import decode
from app.core.outcome import Attempt, DeliveryDetails, DeliveryMedium
from app.ui.models.batch_results import BatchResultsModel, outcome_words


def _attempt(username: str, **kw: Any) -> Attempt:
    return Attempt(profile="p", username=username, client_id="c", region="us-east-1", **kw)


def _delivered(username: str, medium: DeliveryMedium = DeliveryMedium.EMAIL) -> Attempt:
    details = DeliveryDetails("a***@e***", medium, "email")
    return _attempt(username).delivered(details, request_id="r", http_status=200)


def _failed(username: str, code: str, retries: int = 0) -> Attempt:
    return _attempt(username, client_metadata=(("k", "v"),)).failed(
        decode(code, "AWS words"), retries=retries
    )


def test_rows_show_user_outcome_in_words_and_destination_failed_first(qapp: Any) -> None:
    model = BatchResultsModel()
    model.add([_delivered("ann"), _failed("bo", "UserNotFoundException")])
    model.add([_delivered("cy", DeliveryMedium.SMS)])
    assert (model.rowCount(), model.columnCount()) == (3, 3)
    cells = [[model.index(r, c).data() for c in range(3)] for r in range(3)]
    # The failed users first (what a reader looks for), then the delivered ones, in order.
    assert cells == [
        ["bo", "User not found", ""],
        ["ann", "Code sent by email", "a***@e***"],
        ["cy", "Code sent by SMS", "a***@e***"],
    ]
    tip = model.index(0, 1).data(Qt.ItemDataRole.ToolTipRole)
    assert "UserNotFoundException" in tip  # the AWS name only in the tooltip
    assert model.headerData(0, Qt.Orientation.Horizontal) == "User"


def test_outcome_words_count_the_retries_with_real_plurals() -> None:
    assert outcome_words(_failed("x", "TooManyRequestsException", retries=1)).endswith(
        "(sent again once)"
    )
    assert outcome_words(_failed("x", "LimitExceededException", retries=3)) == (
        "Attempt limit exceeded (sent again 3 times)"
    )


def test_counts_failed_usernames_and_retry_rows(qapp: Any) -> None:
    model = BatchResultsModel()
    model.add(
        [
            _failed("bo", "UserNotFoundException"),
            _delivered("ann"),
            _failed("cy", "LimitExceededException"),
        ]
    )
    counts = model.counts()
    assert (counts.users, counts.delivered, counts.failed) == (3, 1, 2)
    assert counts.describe() == "3 users: 1 delivered, 2 failed."
    assert model.failed_usernames() == ["bo", "cy"]
    rows = model.retry_rows()
    assert [(r.line, r.username, r.metadata) for r in rows] == [
        (1, "bo", (("k", "v"),)),
        (2, "cy", (("k", "v"),)),
    ]
    model.forget_failed()
    assert model.rowCount() == 1 and model.failed_usernames() == []
    model.clear()
    assert model.rowCount() == 0 and model.counts().describe() == ""


def test_the_model_passes_qt_model_checks_while_rows_come_and_go(qtmodeltester: Any) -> None:
    model = BatchResultsModel()
    qtmodeltester.check(model, force_py=True)
    model.add([_delivered("ann"), _failed("bo", "UserNotFoundException"), _delivered("cy")])
    model.add([_failed("dee", "LimitExceededException")])
    assert [model.index(r, 0).data() for r in range(4)] == ["bo", "dee", "ann", "cy"]
    model.forget_failed()
    assert [model.index(r, 0).data() for r in range(2)] == ["ann", "cy"]
    model.clear()
    assert model.rowCount() == 0


def test_a_large_batch_is_added_in_one_go(qapp: Any) -> None:
    model = BatchResultsModel()
    inserted: list[tuple[int, int]] = []
    model.rowsInserted.connect(lambda _parent, first, last: inserted.append((first, last)))
    batch = [
        _failed(f"u{i}", "UserNotFoundException") if i % 10 == 0 else _delivered(f"u{i}")
        for i in range(5000)
    ]
    model.add(batch)
    assert model.counts().describe() == "5,000 users: 4,500 delivered, 500 failed."
    assert inserted == [(0, 499), (500, 4999)]  # one insert per group, not one per row
