"""Through the real flow, neither the client secret nor the SecretHash reaches any output."""

from __future__ import annotations

import json
from dataclasses import replace

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from app.core.attempts import begin_attempt
from app.core.cli_command import aws_cli_command
from app.core.describe import describe_attempt
from app.core.errors import decode
from app.core.outcome import Attempt, DeliveryDetails, DeliveryMedium
from app.core.profile import ClientCredentials, Profile
from app.core.request import ResendInput, validate
from app.core.secrets import Secret, compute_secret_hash
from app.core.serialize import attempt_from_dict, attempt_to_dict

PROFILE = Profile("QA", "eu-west-1", endpoint_url="http://127.0.0.1:9229", has_secret=True)


def _run_flow(raw: ResendInput, creds: ClientCredentials) -> tuple[list[Attempt], str]:
    """What the resend service does, minus the network; returns the attempts and the hash."""
    attempt = begin_attempt(PROFILE, raw, client_id=creds.client_id)
    result = validate(replace(raw, client_id=creds.client_id))
    assert result.request is not None, result.errors
    assert creds.client_secret is not None
    secret_hash = compute_secret_hash(result.request.username, creds.client_id,
                                      creds.client_secret)  # fmt: skip
    request = result.request.with_secret_hash(secret_hash)
    assert request.to_api_params()["SecretHash"] == secret_hash.reveal()
    attempt = replace(attempt, used_secret_hash=True)
    finished = [
        attempt,
        attempt.delivered(DeliveryDetails("a***@e***", DeliveryMedium.EMAIL, "email"),
                          request_id="r", http_status=200),  # fmt: skip
        attempt.failed(decode("NotAuthorizedException",
                              "Unable to verify secret hash for client " + creds.client_id)),
    ]  # fmt: skip
    return finished, secret_hash.reveal()


def _outputs(a: Attempt) -> list[str]:
    d = attempt_to_dict(a)
    return [
        json.dumps(d, ensure_ascii=False),
        json.dumps(d),
        describe_attempt(a),
        aws_cli_command(a),
        repr(a),
        str(attempt_from_dict(d)),
    ]


def test_fixed_secret_never_appears() -> None:
    secret = "Zm9vYmFyLXNlY3JldC12YWx1ZS0xMjM0NTY3ODkw"
    raw = ResendInput("", "alice@example.com", (("k", "v"),), "ep", "203.0.113.7", "fp")
    attempts, digest = _run_flow(raw, ClientCredentials("client123", Secret(secret)))
    for a in attempts:
        for text in _outputs(a):
            assert secret not in text
            assert digest not in text
        assert "<SECRET_HASH>" in aws_cli_command(a)


_secret_chars = st.characters(min_codepoint=0x21, max_codepoint=0x7E)


@settings(max_examples=60, deadline=None)
@given(
    st.text(st.characters(categories=["L", "N", "P", "S"]), min_size=1, max_size=30),
    st.text(_secret_chars, min_size=24, max_size=64),
)
def test_random_secrets_never_appear(username: str, secret: str) -> None:
    # A secret that is part of the username would be "found" in the username itself.
    assume(secret not in username)
    raw = ResendInput("", username, (("trigger", "on"),))
    attempts, digest = _run_flow(raw, ClientCredentials("client123", Secret(secret)))
    for a in attempts:
        for text in _outputs(a):
            assert secret not in text
            assert digest not in text
