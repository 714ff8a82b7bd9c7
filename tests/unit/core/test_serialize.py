"""attempt_to_dict / attempt_from_dict: JSON-safe, lossless, and strict about bad rows."""

from __future__ import annotations

import json
import math
from dataclasses import replace
from datetime import UTC, datetime

import pytest
from hypothesis import given, settings

from app.core.errors import decode
from app.core.outcome import (
    Attempt,
    AttemptKind,
    DeliveryDetails,
    DeliveryMedium,
    Severity,
    Status,
)
from app.core.serialize import AttemptFormatError, attempt_from_dict, attempt_to_dict

from .strategies import attempts


@settings(max_examples=120, deadline=None)
@given(attempts())
def test_round_trip_through_json(a: Attempt) -> None:
    d = attempt_to_dict(a)
    text = json.dumps(d, allow_nan=False)  # strict JSON: no NaN, no custom types
    back = attempt_from_dict(json.loads(text))
    assert back == a
    assert back.started_at.tzinfo is not None


def _sample() -> Attempt:
    return Attempt(
        profile="QA", username="alice", client_id="abc", region="us-east-1",
        client_metadata=(("b", "2"), ("a", "1")),
        started_at=datetime(2025, 1, 2, 3, 4, 5, 678901, tzinfo=UTC),
    )  # fmt: skip


def test_times_are_iso_8601_and_metadata_keeps_order() -> None:
    a = _sample().delivered(
        DeliveryDetails("a***@e***", DeliveryMedium.EMAIL, "email"),
        request_id="r-1",
        http_status=200,
        finished_at=datetime(2025, 1, 2, 3, 4, 6, tzinfo=UTC),
    )
    d = attempt_to_dict(a)
    assert d["started_at"] == "2025-01-02T03:04:05.678901+00:00"
    assert d["finished_at"] == "2025-01-02T03:04:06+00:00"
    assert d["client_metadata"] == [["b", "2"], ["a", "1"]]
    assert d["status"] == "delivered"
    assert d["delivery"] == {"destination": "a***@e***", "medium": "EMAIL",
                             "attribute_name": "email"}  # fmt: skip


def test_non_finite_latency_is_dropped() -> None:
    d = attempt_to_dict(replace(_sample(), latency_ms=math.nan))
    assert d["latency_ms"] is None
    json.dumps(d, allow_nan=False)


def test_older_rows_without_optional_keys_load() -> None:
    d = attempt_to_dict(_sample())
    minimal = {k: d[k] for k in ("profile", "username", "client_id", "region", "status",
                                 "started_at", "attempt_id")}  # fmt: skip
    back = attempt_from_dict(minimal)
    assert back == replace(_sample(), client_metadata=(), attempt_id=back.attempt_id)
    assert back.attempt_id == d["attempt_id"]


@pytest.mark.parametrize(
    ("change", "mentions"),
    [({"status": "lost"}, "status"), ({"started_at": "yesterday"}, "started_at"),
     ({"started_at": None}, "started_at"), ({"retries": "3"}, "retries"),
     ({"retries": True}, "retries"), ({"client_metadata": [["a"]]}, "client_metadata"),
     ({"client_metadata": {"a": "b"}}, "client_metadata"), ({"username": 7}, "username"),
     ({"format": 99}, "format"), ({"delivery": "EMAIL"}, "delivery"),
     ({"delivery": {"medium": "PIGEON"}}, "medium"),
     ({"failure": {"code": "X", "title": "t", "kind": "cosmic"}}, "kind"),
     ({"http_status": 200.5}, "http_status"), ({"profile": None}, "profile")],
)  # fmt: skip
def test_bad_rows_raise_format_error_naming_the_key(
    change: dict[str, object], mentions: str
) -> None:
    d = {**attempt_to_dict(_sample()), **change}
    with pytest.raises(AttemptFormatError) as info:
        attempt_from_dict(d)
    assert mentions in str(info.value) or "format" in str(info.value)


def test_not_a_mapping() -> None:
    with pytest.raises(AttemptFormatError):
        attempt_from_dict([1, 2])  # type: ignore[arg-type]


def test_failure_round_trip_keeps_aws_words() -> None:
    failure = decode("NotAuthorizedException", "Unable to verify secret hash for client abc",
                     request_id="req-9", http_status=400)  # fmt: skip
    a = _sample().failed(failure, retries=1)
    d = attempt_to_dict(a)
    assert d["failure"] == {
        "code": "NotAuthorizedException", "title": "Wrong client secret",
        "cause": failure.cause, "remedy": failure.remedy, "kind": "service",
        "aws_message": "Unable to verify secret hash for client abc", "request_id": "req-9",
        "http_status": 400, "retryable": False, "severity": "error",
    }  # fmt: skip
    assert attempt_from_dict(d) == a


def test_severity_round_trips_and_older_rows_read_as_error() -> None:
    info = decode("InvalidParameterException", "User is already confirmed.")
    a = _sample().failed(info)
    d = attempt_to_dict(a)
    assert isinstance(d["failure"], dict) and d["failure"]["severity"] == "info"
    assert attempt_from_dict(d).failure == info
    stored = d["failure"]
    assert isinstance(stored, dict)
    older = {**d, "failure": {k: v for k, v in stored.items() if k != "severity"}}
    back = attempt_from_dict(older).failure
    assert back is not None and back.severity is Severity.ERROR


def test_succeeded_round_trips_with_its_label() -> None:
    a = replace(_sample(), kind=AttemptKind.CONFIRM).succeeded(request_id="r", http_status=200)
    d = attempt_to_dict(a)
    assert d["status"] == "succeeded"
    back = attempt_from_dict(d)
    assert back == a and back.outcome_label == "Confirmed"


def test_pending_has_no_outcome() -> None:
    d = attempt_to_dict(_sample())
    assert d["status"] == Status.PENDING.value
    assert d["delivery"] is None and d["failure"] is None and d["finished_at"] is None
