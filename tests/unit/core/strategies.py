"""Hypothesis strategies for core values shared by the core unit tests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import strategies as st

from app.core.outcome import (
    Attempt,
    AttemptKind,
    DecodedFailure,
    DeliveryDetails,
    DeliveryMedium,
    FailureKind,
    Severity,
    Status,
)

# Any text a person could paste, minus lone surrogates (no UI or file can carry them).
any_text = st.text(st.characters(exclude_categories=["Cs"]), max_size=60)
opt_text = st.none() | any_text
times = st.datetimes(
    min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.just(UTC)
)
http_statuses = st.none() | st.integers(100, 599)

deliveries = st.builds(
    DeliveryDetails,
    destination=any_text,
    medium=st.none() | st.sampled_from(DeliveryMedium),
    attribute_name=any_text,
)
failures = st.builds(
    DecodedFailure,
    code=any_text,
    title=any_text,
    cause=any_text,
    remedy=any_text,
    kind=st.sampled_from(FailureKind),
    aws_message=any_text,
    request_id=opt_text,
    http_status=http_statuses,
    retryable=st.booleans(),
    severity=st.sampled_from(Severity),
)


@st.composite
def attempts(draw: st.DrawFn, status: Status | None = None) -> Attempt:
    """A pending, delivered, succeeded or failed Attempt, of any kind, built the way the app
    builds them."""
    base = Attempt(
        profile=draw(any_text),
        username=draw(any_text),
        client_id=draw(any_text),
        region=draw(any_text),
        endpoint_url=draw(opt_text),
        client_metadata=tuple(draw(st.lists(st.tuples(any_text, any_text), max_size=4))),
        analytics_endpoint_id=draw(any_text),
        ip_address=draw(any_text),
        encoded_data=draw(any_text),
        used_secret_hash=draw(st.booleans()),
        started_at=draw(times),
        batch_id=draw(opt_text),
        notes=draw(any_text),
        kind=draw(st.sampled_from(AttemptKind)),
        user_attributes=tuple(draw(st.lists(st.tuples(any_text, any_text), max_size=3))),
        confirmation_code=draw(any_text),
    )
    which = status or draw(st.sampled_from(Status))
    end = base.started_at + timedelta(milliseconds=draw(st.integers(0, 10**8)))
    if which is Status.DELIVERED:
        return base.delivered(
            draw(deliveries),
            request_id=draw(opt_text),
            http_status=draw(http_statuses),
            retries=draw(st.integers(0, 5)),
            finished_at=end,
        )
    if which is Status.FAILED:
        return base.failed(draw(failures), retries=draw(st.integers(0, 5)), finished_at=end)
    if which is Status.SUCCEEDED:
        return base.succeeded(
            request_id=draw(opt_text), http_status=draw(http_statuses), finished_at=end
        )
    return base
