"""The exact delivery verdict and the hedge that is shown only where it can apply."""

from __future__ import annotations

from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st

from app.core.describe import describe_attempt
from app.core.diagnosis import diagnose
from app.core.outcome import (
    SIMULATED_DELIVERY_CAUTION,
    Attempt,
    DeliveryDetails,
    DeliveryMedium,
    DeliveryVerdict,
)
from app.core.serialize import attempt_from_dict, attempt_to_dict
from app.core.verdict import SIMULATED_NOTE, delivery_note, delivery_verdict, judge

from .diagnosis_cases import ALICE, ENABLED, ERIN, LEGACY, NOW, by_email, given_input

_D = DeliveryDetails("a***@e***", DeliveryMedium.EMAIL, "email")


def _delivered(username: str = "alice") -> Attempt:
    return Attempt("Sandbox", username, "cid", "us-east-1", started_at=NOW).delivered(
        _D, request_id="r", http_status=200
    )


def test_a_legacy_client_cannot_simulate_so_a_delivery_is_delivered() -> None:
    a = judge(_delivered("nobody"), diagnose(given_input(identifier="nobody", client=LEGACY)))
    assert a.verdict is DeliveryVerdict.DELIVERED
    assert delivery_note(a) is None
    text = describe_attempt(a)
    assert SIMULATED_DELIVERY_CAUTION not in text and "Outcome: Delivered" in text


def test_unknown_disabled_or_unverified_alias_on_a_protecting_client_is_simulated() -> None:
    for d in (
        diagnose(given_input(identifier="nobody", client=ENABLED)),
        diagnose(given_input(ERIN, client=ENABLED)),
        diagnose(given_input(by_email(ALICE), identifier="alice@example.com", client=ENABLED)),
    ):
        a = judge(_delivered(d.identifier), d)
        assert a.verdict is DeliveryVerdict.SIMULATED, d
        assert a.outcome_label == "Simulated"
        assert delivery_note(a) == SIMULATED_NOTE
        assert a.diagnosis is not None and "SIMULATED_DELIVERY" in a.diagnosis.findings


def test_a_real_user_on_a_protecting_client_is_delivered() -> None:
    a = judge(_delivered(), diagnose(given_input(ALICE, client=ENABLED)))
    assert a.verdict is DeliveryVerdict.DELIVERED and a.outcome_label == "Delivered"


def test_may_be_simulated_only_when_it_could_not_be_ruled_out() -> None:
    unknown = diagnose(given_input(pool=None, client=None, lookup=False))
    a = judge(_delivered(), unknown)
    assert a.verdict is DeliveryVerdict.MAYBE_SIMULATED
    assert delivery_note(a) == SIMULATED_DELIVERY_CAUTION
    # No diagnosis, but the caller knows the client (the sandbox knows its clients).
    assert judge(_delivered(), client_can_simulate=False).verdict is DeliveryVerdict.DELIVERED
    assert judge(_delivered(), client_can_simulate=True).verdict is DeliveryVerdict.MAYBE_SIMULATED


def test_a_failed_attempt_has_no_verdict() -> None:
    from app.core.errors import decode

    failed = Attempt("p", "u", "c", "r").failed(decode("UserNotFoundException"))
    assert judge(failed, diagnose(given_input(ALICE))).verdict is None


def test_the_snapshot_and_verdict_survive_the_history() -> None:
    a = judge(_delivered(), diagnose(given_input(ALICE, client=ENABLED)))
    back = attempt_from_dict(attempt_to_dict(a))
    assert back == a
    assert "Diagnosis when sent: alice UNCONFIRMED, enabled" in describe_attempt(back)
    # Rows written before snapshots existed still load.
    old = attempt_to_dict(_delivered())
    del old["diagnosis"], old["verdict"]
    assert attempt_from_dict(old).diagnosis is None


@settings(derandomize=True, deadline=None)
@given(st.sampled_from([None, True, False]), st.sampled_from([None, True, False]))
def test_verdict_table(can_simulate: bool | None, addressable: bool | None) -> None:
    v = delivery_verdict(can_simulate, addressable)
    if can_simulate is False or addressable is True:
        assert v is DeliveryVerdict.DELIVERED
    elif addressable is False:
        assert v is DeliveryVerdict.SIMULATED
    else:
        assert v is DeliveryVerdict.MAYBE_SIMULATED
    a = replace(_delivered(), verdict=v)
    assert (delivery_note(a) == SIMULATED_DELIVERY_CAUTION) == (
        v is DeliveryVerdict.MAYBE_SIMULATED
    )
