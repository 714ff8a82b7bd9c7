"""Batch progress: counts by code, the recent rate, ETA, and the end summary."""

from __future__ import annotations

from app.core.batch_progress import BatchState, ProgressTracker, format_duration
from app.core.errors import decode
from app.core.outcome import Attempt, DeliveryDetails, DeliveryMedium, FailureKind


def _attempt(username: str = "u") -> Attempt:
    return Attempt(profile="p", username=username, client_id="c", region="us-east-1")


DELIVERED = _attempt().delivered(
    DeliveryDetails("a***@x", DeliveryMedium.EMAIL, "email"), request_id="r", http_status=200
)
LIMIT = _attempt().failed(decode("LimitExceededException", "Attempt limit exceeded"))
DROPPED = _attempt().failed(decode("ConnectionDropped", "gone"))


def test_counts_by_outcome_and_code_most_frequent_first() -> None:
    t = ProgressTracker("b1", total=10, started_at=0.0)
    for now, a in enumerate([DELIVERED, LIMIT, DELIVERED, LIMIT, DROPPED], start=1):
        t.record(a, float(now))
    p = t.snapshot(5.0)
    assert (p.done, p.delivered, p.failed_count) == (5, 2, 3)
    assert p.failed == (("LimitExceededException", 2), ("ConnectionDropped", 1))
    assert p.fraction == 0.5
    assert p.rate_per_s == 1.0
    assert p.eta_s == 5.0
    assert p.state is BatchState.RUNNING


def test_rate_follows_recent_completions_only() -> None:
    t = ProgressTracker("b", total=None, started_at=0.0)
    for i in range(100):
        t.record(DELIVERED, i * 0.1)  # 10/s for 10 s
    assert round(t.rate(10.0), 1) == 10.0
    # Nothing for 20 s: the old burst has left the window.
    assert t.rate(30.0) == 0.0
    p = t.snapshot(30.0)
    assert p.eta_s is None and p.fraction is None


def test_eta_is_zero_when_done_and_unknown_before_any_completion() -> None:
    t = ProgressTracker("b", total=2, started_at=0.0)
    assert t.snapshot(1.0).eta_s is None
    t.record(DELIVERED, 1.0)
    t.record(DELIVERED, 2.0)
    assert t.snapshot(100.0).eta_s == 0.0


def test_summary_kinds_worst_first_and_description() -> None:
    t = ProgressTracker("b", total=6, started_at=0.0)
    for a in (DELIVERED, LIMIT, DROPPED):
        t.record(a, 1.0)
    t.state = BatchState.CANCELLED
    s = t.summary(75.0, sent=3, not_sent=3)
    assert s.worst_kind is FailureKind.NETWORK
    assert dict(s.failed_kinds) == {FailureKind.SERVICE: 1, FailureKind.NETWORK: 1}
    text = s.describe()
    assert "cancelled after 1 min 15 s" in text
    assert "1 delivered" in text and "LimitExceededException" not in text
    assert "2 failed: 1 attempt limit exceeded, 1 " in text
    assert "3 users sent to" in text and "3 users not sent (cancelled)" in text


def test_all_delivered_has_no_worst_kind() -> None:
    t = ProgressTracker("b", total=1, started_at=0.0)
    t.record(DELIVERED, 0.5)
    assert t.summary(1.0, sent=1, not_sent=0).worst_kind is None


def test_format_duration() -> None:
    assert format_duration(1.25) == "1.2 s"
    assert format_duration(42.4) == "42 s"
    assert format_duration(185) == "3 min 05 s"
    assert format_duration(3720) == "1 h 02 min"


def test_summary_words_use_real_plurals_and_plain_titles() -> None:
    from app.core.batch_progress import plain_title
    from app.core.words import counted

    t = ProgressTracker("b", total=8, started_at=0.0)
    not_found = _attempt().failed(decode("UserNotFoundException", "User does not exist."))
    for a in [DELIVERED] + [not_found] * 4 + [LIMIT] * 3:
        t.record(a, 1.0)
    t.retries = 1
    text = t.summary(2.0, sent=8, not_sent=0).describe()
    assert text.startswith("Batch finished after 2.0 s: 8 users sent to; 1 delivered; ")
    assert "7 failed: 4 user not found, 3 attempt limit exceeded." in text
    assert "slow down 1 time;" in text
    assert (counted(1, "user"), counted(2, "user"), counted(1000, "row")) == (
        "1 user",
        "2 users",
        "1,000 rows",
    )
    assert plain_title("SMS role lacks permission") == "SMS role lacks permission"
