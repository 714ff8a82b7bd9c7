"""HistoryTableModel over a real HistoryStore on a tmp path — no widget at all."""

from __future__ import annotations

import re
import uuid
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex, Qt

from app.core.attempts import begin_attempt
from app.core.errors import decode
from app.core.outcome import Attempt, DeliveryDetails, DeliveryMedium, Status
from app.core.profile import Profile
from app.core.request import ResendInput, validate
from app.core.secrets import Secret, compute_secret_hash
from app.services.history_store import HistoryFilter, HistoryStore
from app.ui.models.history_columns import (
    COL_ATTRIBUTE,
    COL_DESTINATION,
    COL_LATENCY,
    COL_MEDIUM,
    COL_OUTCOME,
    COL_PROFILE,
    COL_REQUEST_ID,
    COL_TIME,
    COL_USERNAME,
    relative_time,
)
from app.ui.models.history_model import AttemptRole, HistoryTableModel

# ----------------------------------------------------------------------------- builders
CLIENT_SECRET = Secret("q1w2e3r4t5y6u7i8o9p0-client-secret-never-shown")
CLIENT_ID = "4kq7x2examplec1ient1d"
QA = Profile(name="QA pool", region="eu-west-1", has_secret=True)
DEV = Profile(name="Dev pool", region="us-east-1", endpoint_url="http://127.0.0.1:4566")
BASE = datetime(2026, 3, 1, 12, 0, 0, tzinfo=UTC)
# Every SecretHash computed by the builders: none may ever show up in the UI.
SEEN_HASHES: set[str] = set()


def start(
    username: str,
    *,
    profile: Profile = QA,
    seconds: float = 0.0,
    metadata: tuple[tuple[str, str], ...] = (),
) -> Attempt:
    """A pending attempt made the way the app makes one: validate → hash → begin_attempt."""
    raw = ResendInput(client_id=CLIENT_ID, username=username, client_metadata=metadata)
    result = validate(raw)
    assert result.ok and result.request is not None, result.errors
    request = result.request
    used_hash = False
    if profile.has_secret:
        secret_hash = compute_secret_hash(request.username, request.client_id, CLIENT_SECRET)
        SEEN_HASHES.add(secret_hash.reveal())
        request = request.with_secret_hash(secret_hash)
        used_hash = True
    a = begin_attempt(profile, raw, client_id=request.client_id)
    return replace(a, used_secret_hash=used_hash, started_at=BASE + timedelta(seconds=seconds))


def deliver(a: Attempt, *, medium: DeliveryMedium = DeliveryMedium.EMAIL) -> Attempt:
    dest = "a***@e***" if medium is DeliveryMedium.EMAIL else "+*******0123"
    attr = "email" if medium is DeliveryMedium.EMAIL else "phone_number"
    return a.delivered(
        DeliveryDetails(dest, medium, attr),
        request_id=f"req-{a.attempt_id[:8]}",
        http_status=200,
        finished_at=a.started_at + timedelta(milliseconds=123),
    )


def fail(a: Attempt, code: str, message: str, *, http_status: int = 400) -> Attempt:
    failure = decode(code, message, request_id=f"req-{a.attempt_id[:8]}", http_status=http_status)
    return a.failed(failure, retries=1, finished_at=a.started_at + timedelta(milliseconds=2500))


LIMIT_MESSAGE = "Attempt limit exceeded, please try after some time."
HASH_MESSAGE = f"Unable to verify secret hash for client {CLIENT_ID}"


def fill(store: HistoryStore, n: int, *, start_s: float = 0.0) -> list[Attempt]:
    """n finished attempts, alternating users and outcomes, one second apart.

    Eight attempts are made through the real flow; the rest are copies of them with
    their own id and time (the flow costs ~150 µs an attempt, too slow for 100,000).
    """
    users = ("alice", "bob", "carol", "qa-user-001")
    templates = {}
    for i in range(min(n, 12)):
        a = start(users[i % 4], profile=QA if i % 2 else DEV)
        key = (i % 4, i % 2, bool(i % 3))
        templates[key] = deliver(a) if i % 3 else fail(a, "LimitExceededException", LIMIT_MESSAGE)
    out = []
    for i in range(n):
        t = templates[(i % 4, i % 2, bool(i % 3))]
        started = BASE + timedelta(seconds=start_s + i)
        a = replace(
            t,
            attempt_id=uuid.uuid4().hex,
            started_at=started,
            finished_at=started + (t.finished_at - t.started_at),  # type: ignore[operator]
        )
        out.append(a)
    if n <= 10:
        for a in out:
            store.append(a)  # the path ResendService takes
    else:
        store.append_many(out)
    return out


def all_role_values(model: HistoryTableModel) -> list[object]:
    roles = (
        Qt.ItemDataRole.DisplayRole,
        Qt.ItemDataRole.ToolTipRole,
        Qt.ItemDataRole.ForegroundRole,
        Qt.ItemDataRole.DecorationRole,
        Qt.ItemDataRole.TextAlignmentRole,
    )
    return [
        model.data(model.index(r, c), role)
        for r in range(model.rowCount())
        for c in range(model.columnCount())
        for role in roles
    ]


def assert_no_secret(text: str) -> None:
    assert CLIENT_SECRET.reveal() not in text
    for h in SEEN_HASHES:
        assert h not in text


@pytest.fixture
def store(tmp_path: Path):
    s = HistoryStore(tmp_path / "history.sqlite3")
    yield s
    s.close()


def drain(model: HistoryTableModel) -> int:
    """fetchMore until the model says there is no more; returns the number of calls."""
    calls = 0
    while model.canFetchMore(QModelIndex()):
        model.fetchMore(QModelIndex())
        calls += 1
        assert calls < 10_000, "fetchMore never ends"
    return calls


# ----------------------------------------------------------------------------- tests
def test_columns_rows_and_display(qapp, store: HistoryStore) -> None:
    ok = deliver(start("alice", seconds=1))
    bad = fail(start("bob", profile=DEV, seconds=2), "NotAuthorizedException", HASH_MESSAGE)
    store.append(ok)
    store.append(bad)
    model = HistoryTableModel(store)

    assert model.columnCount() == 9
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(9)]
    assert headers == [
        "Time", "Profile", "Username", "Outcome", "Destination",
        "Medium", "Attribute", "Latency", "Request ID",
    ]
    assert model.rowCount() == 2
    # Newest first.
    assert model.attempt_at(0) == bad and model.attempt_at(1) == ok
    assert model.attempt_at(2) is None and model.attempt_at(-1) is None

    def show(row: int, col: int) -> object:
        return model.data(model.index(row, col))

    assert show(1, COL_PROFILE) == "QA pool"
    assert show(1, COL_USERNAME) == "alice"
    assert show(1, COL_OUTCOME) == "Delivered"
    assert show(1, COL_DESTINATION) == "a***@e***"
    assert show(1, COL_MEDIUM) == "EMAIL"
    assert show(1, COL_ATTRIBUTE) == "email"
    assert show(1, COL_LATENCY) == "123 ms"
    assert show(1, COL_REQUEST_ID) == ok.request_id
    assert bad.failure is not None
    assert show(0, COL_OUTCOME) == bad.failure.title == "Wrong client secret"
    assert show(0, COL_DESTINATION) == "" and show(0, COL_MEDIUM) == ""
    assert show(0, COL_LATENCY) == "2,500 ms"


def test_time_is_relative_with_the_exact_local_time_in_the_tooltip(
    qapp, store: HistoryStore
) -> None:
    # Issue 14: the cell says "2 min ago"; the exact local time is one hover away.
    a = deliver(start("alice"))
    store.append(a)
    model = HistoryTableModel(store)
    text = model.data(model.index(0, COL_TIME))
    tip = model.data(model.index(0, COL_TIME), Qt.ItemDataRole.ToolTipRole)
    assert isinstance(text, str) and isinstance(tip, str)
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d", tip)
    assert tip == a.started_at.astimezone().strftime("%Y-%m-%d %H:%M:%S")
    assert text == relative_time(a.started_at)


def test_relative_time_words() -> None:
    now = datetime(2026, 6, 15, 12, 0, tzinfo=UTC)
    assert relative_time(now - timedelta(seconds=10), now) == "just now"
    assert relative_time(now - timedelta(minutes=1), now) == "1 min ago"
    assert relative_time(now - timedelta(minutes=2, seconds=5), now) == "2 min ago"
    assert relative_time(now - timedelta(hours=3), now) == "3 h ago"
    assert relative_time(now - timedelta(days=400), now) == (
        (now - timedelta(days=400)).astimezone().strftime("%Y-%m-%d")
    )
    assert relative_time(None, now) == ""


def test_roles(qapp, store: HistoryStore) -> None:
    ok = deliver(start("alice", seconds=1))
    bad = fail(start("bob", seconds=2), "NotAuthorizedException", HASH_MESSAGE)
    store.append(ok)
    store.append(bad)
    model = HistoryTableModel(store)
    model.add_pending(start("carol", seconds=3))
    pending_row, bad_row, ok_row = 0, 1, 2

    assert model.data(model.index(ok_row, 0), AttemptRole) == ok
    assert model.data(model.index(bad_row, COL_LATENCY), AttemptRole) == bad
    # The outcome's tooltip carries the code and AWS's own words.
    tip = model.data(model.index(bad_row, COL_OUTCOME), Qt.ItemDataRole.ToolTipRole)
    assert isinstance(tip, str) and "NotAuthorizedException" in tip and HASH_MESSAGE in tip
    # Colours tell the three states apart; only the outcome column is coloured.
    colors = {
        row: model.data(model.index(row, COL_OUTCOME), Qt.ItemDataRole.ForegroundRole)
        for row in (pending_row, bad_row, ok_row)
    }
    names = {c.name() for c in colors.values()}  # type: ignore[attr-defined]
    assert len(names) == 3
    assert model.data(model.index(ok_row, COL_OUTCOME), Qt.ItemDataRole.DecorationRole)
    assert model.data(model.index(ok_row, COL_USERNAME), Qt.ItemDataRole.ForegroundRole) is None
    right = model.data(model.index(ok_row, COL_LATENCY), Qt.ItemDataRole.TextAlignmentRole)
    assert int(right) & int(Qt.AlignmentFlag.AlignRight)  # type: ignore[call-overload]
    assert model.data(model.index(pending_row, COL_OUTCOME)) == "Pending…"
    assert model.data(QModelIndex()) is None
    # Whatever any role gives, it never holds the secret or the SecretHash.
    assert_no_secret(repr(all_role_values(model)))
    assert_no_secret(repr([model.attempt_at(r) for r in range(model.rowCount())]))


def test_lazy_fetch_in_pages(qapp, store: HistoryStore) -> None:
    made = fill(store, 10_000)
    model = HistoryTableModel(store)
    # Opening loads one page only.
    assert model.rowCount() == model.page_size == 100
    assert model.canFetchMore(QModelIndex())
    assert model.total_count() == 10_000

    calls = drain(model)
    assert calls == 10_000 // model.page_size - 1
    assert not model.canFetchMore(QModelIndex())
    assert model.rowCount() == 10_000
    ids = [model.attempt_at(r).attempt_id for r in range(model.rowCount())]  # type: ignore[union-attr]
    assert len(set(ids)) == 10_000
    assert ids == [a.attempt_id for a in reversed(made)]
    # A further fetchMore at the end is harmless.
    model.fetchMore(QModelIndex())
    assert model.rowCount() == 10_000


def test_sort_order_is_newest_first(qapp, store: HistoryStore) -> None:
    # Appended out of time order on purpose.
    for s in (5, 1, 9, 3, 7):
        store.append(deliver(start(f"user{s}", seconds=s)))
    model = HistoryTableModel(store, page_size=2)
    drain(model)
    names = [model.data(model.index(r, COL_USERNAME)) for r in range(model.rowCount())]
    assert names == ["user9", "user7", "user5", "user3", "user1"]


def test_filter_runs_in_the_store(qapp, store: HistoryStore) -> None:
    fill(store, 400)
    model = HistoryTableModel(store)
    model.set_filter(HistoryFilter(text="ALICE"))
    assert model.total_count() == 100
    drain(model)
    assert model.rowCount() == 100
    assert {model.attempt_at(r).username for r in range(100)} == {"alice"}  # type: ignore[union-attr]

    model.set_filter(HistoryFilter(text="dev pool"))  # matches the profile
    drain(model)
    assert {model.attempt_at(r).profile for r in range(model.rowCount())} == {"Dev pool"}  # type: ignore[union-attr]

    model.set_filter(HistoryFilter(text="limit exceeded"))  # matches the outcome title
    drain(model)
    assert model.rowCount() == len(range(0, 400, 3))
    assert {model.attempt_at(r).status for r in range(model.rowCount())} == {Status.FAILED}  # type: ignore[union-attr]

    model.set_filter(HistoryFilter(status=Status.DELIVERED))
    drain(model)
    assert model.rowCount() == 400 - len(range(0, 400, 3))

    model.set_filter(HistoryFilter(text="nobody-has-this-name"))
    assert model.rowCount() == 0 and not model.canFetchMore(QModelIndex())
    assert model.total_count() == 0


def test_pending_then_final_updates_in_place(qapp, store: HistoryStore) -> None:
    fill(store, 3)
    model = HistoryTableModel(store)
    changed: list[tuple[int, int]] = []
    model.dataChanged.connect(lambda tl, br, *_: changed.append((tl.row(), br.row())))

    pending = start("alice", seconds=1000)
    model.add_pending(pending)
    assert model.rowCount() == 4
    assert model.attempt_at(0) == pending
    assert model.data(model.index(0, COL_OUTCOME)) == "Pending…"
    assert model.total_count() == 4

    final = fail(pending, "LimitExceededException", LIMIT_MESSAGE)
    store.append(final)  # what ResendService does before the UI hears of it
    model.update_attempt(final)
    assert model.rowCount() == 4
    assert model.attempt_at(0) == final
    assert model.data(model.index(0, COL_OUTCOME)) == "Attempt limit exceeded"
    assert changed == [(0, 0)]
    assert model.total_count() == 4
    # An update for an attempt the model never saw goes on top.
    other = deliver(start("bob", seconds=1001))
    model.update_attempt(other)
    assert model.attempt_at(0) == other and model.rowCount() == 5


@pytest.mark.parametrize(("stored", "page_size", "finished"), [(450, 200, 2), (10, 2, 3)])
def test_rows_added_on_top_do_not_shift_pages(
    qapp, store: HistoryStore, stored: int, page_size: int, finished: int
) -> None:
    fill(store, stored)
    model = HistoryTableModel(store, page_size=page_size)
    assert model.rowCount() == page_size
    # Attempts finish (and are stored) after the user fetched one page: the store's
    # offsets move by that many; the model must neither repeat nor skip a row, even
    # when more rows than a page arrived on top.
    for i in range(finished):
        p = start(f"late{i}", seconds=5000 + i)
        model.add_pending(p)
        final = deliver(p)
        store.append(final)
        model.update_attempt(final)
    # One more that is still pending (not in the store).
    model.add_pending(start("carol", seconds=6000))
    drain(model)
    ids = [model.attempt_at(r).attempt_id for r in range(model.rowCount())]  # type: ignore[union-attr]
    assert len(ids) == len(set(ids)) == stored + finished + 1
    assert model.total_count() == stored + finished + 1


def test_local_rows_obey_the_filter(qapp, store: HistoryStore) -> None:
    fill(store, 8)
    model = HistoryTableModel(store)
    model.set_filter(HistoryFilter(text="alice"))
    before = model.rowCount()
    model.add_pending(start("bob", seconds=100))
    assert model.rowCount() == before  # bob is not what the user asked to see

    model.set_filter(HistoryFilter(status=Status.PENDING))
    p = start("alice", seconds=101)
    model.add_pending(p)
    assert model.rowCount() == 1 and model.attempt_at(0) == p
    model.update_attempt(deliver(p))  # no longer pending: leaves this filter
    assert model.rowCount() == 0


def test_pending_rows_survive_a_reload(qapp, store: HistoryStore) -> None:
    model = HistoryTableModel(None)
    assert model.rowCount() == 0 and not model.canFetchMore(QModelIndex())
    p = start("alice", seconds=50)
    model.add_pending(p)  # the store is still opening in the background
    assert model.rowCount() == 1
    fill(store, 5)
    model.set_store(store)
    assert model.rowCount() == 6
    assert model.attempt_at(0) == p
    model.reload()
    assert model.attempt_at(0) == p and model.rowCount() == 6


def test_history_survives_a_restart(qapp, tmp_path: Path) -> None:
    path = tmp_path / "data" / "history.sqlite3"
    path.parent.mkdir()
    first = HistoryStore(path)
    made = fill(first, 5)
    first.close()

    second = HistoryStore(path)
    try:
        model = HistoryTableModel(second)
        assert model.rowCount() == 5
        assert [model.attempt_at(r) for r in range(5)] == list(reversed(made))
        assert_no_secret(repr(all_role_values(model)))
    finally:
        second.close()
