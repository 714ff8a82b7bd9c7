"""begin_attempt: the PENDING record copies the form and the profile, never a secret."""

from __future__ import annotations

from dataclasses import fields

from app.core.attempts import begin_attempt
from app.core.outcome import Attempt, Status
from app.core.profile import Profile
from app.core.request import ResendInput

PROFILE = Profile("QA pool", "eu-west-1", endpoint_url="http://127.0.0.1:9229", has_secret=True)


def test_pending_attempt_copies_fields() -> None:
    raw = ResendInput(
        client_id="form-id",
        username="  alice\n",
        client_metadata=[("b", "2"), ("", ""), ("a", "1"), ("", "orphan")],
        analytics_endpoint_id="ep-1",
        ip_address="203.0.113.7",
        encoded_data="fp==",
    )
    a = begin_attempt(PROFILE, raw, client_id=" keyring-id ", batch_id="batch-1")
    assert a.status is Status.PENDING
    assert (a.delivery, a.failure, a.finished_at, a.latency_ms) == (None, None, None, None)
    assert a.profile == "QA pool"
    assert a.region == "eu-west-1"
    assert a.endpoint_url == "http://127.0.0.1:9229"
    assert a.username == "alice"
    assert a.client_id == "keyring-id"
    # A tuple of pairs in form order; only rows with neither key nor value are dropped.
    assert a.client_metadata == (("b", "2"), ("a", "1"), ("", "orphan"))
    assert isinstance(a.client_metadata, tuple)
    assert (a.analytics_endpoint_id, a.ip_address, a.encoded_data) == ("ep-1", "203.0.113.7",
                                                                      "fp==")  # fmt: skip
    assert a.batch_id == "batch-1"
    assert a.used_secret_hash is True
    assert a.outcome_label == "Pending…"


def test_client_id_falls_back_to_the_form() -> None:
    a = begin_attempt(Profile("p", "us-east-1"), ResendInput(" abc ", "bob"))
    assert a.client_id == "abc"
    assert a.endpoint_url is None and a.batch_id is None and a.used_secret_hash is False


def test_each_attempt_is_new() -> None:
    raw = ResendInput("abc", "bob")
    first, second = begin_attempt(PROFILE, raw), begin_attempt(PROFILE, raw)
    assert first.attempt_id != second.attempt_id


def test_attempt_has_no_secret_fields() -> None:
    names = {f.name for f in fields(Attempt)}
    assert not {n for n in names if "secret" in n and n != "used_secret_hash"}
    assert "secret_hash" not in names and "client_secret" not in names
