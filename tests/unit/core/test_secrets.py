"""SecretHash values computed another way, and Secret's refusal to show itself."""

from __future__ import annotations

import base64
import copy
import hashlib
import hmac
import pickle
import shutil
import subprocess
from types import MappingProxyType

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.core.request import ResendInput, ResendRequest, UserContextData, validate
from app.core.secrets import Secret, compute_secret_hash

# Computed once with: printf '%s' "$USERNAME$CLIENT_ID" | openssl dgst -sha256 -hmac "$SECRET"
#                      -binary | base64
FIXED_VECTORS = [
    ("alice", "1example23456789", "secretkey", "r3qLzOPGSiaIjWKSOfvstiUyIAwDCFuZSsTS8wCcqXQ="),
    (
        "ünïcødé@example.com",
        "abc123_+XYZ",
        "s3cr3t/with+chars=",
        "XXdifuQGo6OVRSaKatWbJd1w2C45Qn5LJA+2w9dXTKQ=",
    ),
    ("用户名", "7d9fk2l3", "🔑 emoji secret", "j8RTUFMREuLfBdhtLoOizvn+YIVd1OJo/PWACaIaBlc="),
]


@pytest.mark.parametrize(("username", "client_id", "secret", "expected"), FIXED_VECTORS)
def test_fixed_vectors(username: str, client_id: str, secret: str, expected: str) -> None:
    assert compute_secret_hash(username, client_id, Secret(secret)).reveal() == expected


def _cryptography_hash(username: str, client_id: str, secret: str) -> str:
    hmac_mod = pytest.importorskip("cryptography.hazmat.primitives.hmac")
    hashes = pytest.importorskip("cryptography.hazmat.primitives.hashes")
    h = hmac_mod.HMAC(secret.encode(), hashes.SHA256())
    h.update((username + client_id).encode())
    return base64.b64encode(h.finalize()).decode()


@pytest.mark.parametrize(("username", "client_id", "secret", "expected"), FIXED_VECTORS)
def test_fixed_vectors_with_cryptography(
    username: str, client_id: str, secret: str, expected: str
) -> None:
    assert _cryptography_hash(username, client_id, secret) == expected


@pytest.mark.skipif(shutil.which("openssl") is None, reason="openssl is not installed")
@pytest.mark.parametrize(
    ("username", "client_id", "secret"),
    [("bob", "clientid", "k"), ("x+y@z.io", "A_b+1", "p4ss=/+"), ("ñ", "c", "sécret")],
)
def test_against_openssl(username: str, client_id: str, secret: str) -> None:
    digest = subprocess.run(
        ["openssl", "dgst", "-sha256", "-hmac", secret, "-binary"],
        input=(username + client_id).encode(),
        capture_output=True,
        check=True,
    ).stdout
    expected = base64.b64encode(digest).decode()
    assert compute_secret_hash(username, client_id, Secret(secret)).reveal() == expected


_text = st.text(st.characters(exclude_categories=["Cs"]), max_size=80)


@settings(max_examples=200, deadline=None)
@given(_text, _text, _text)
def test_hash_matches_hmac_reference(username: str, client_id: str, secret: str) -> None:
    ref = hmac.new(secret.encode("utf-8"), f"{username}{client_id}".encode(), hashlib.sha256)
    got = compute_secret_hash(username, client_id, Secret(secret)).reveal()
    assert got == base64.b64encode(ref.digest()).decode()
    assert len(got) == 44  # within SecretHashType's 128


SECRET_VALUE = "pL9-topsecret-value-Zq"


def test_secret_never_shows_its_value() -> None:
    s = Secret(SECRET_VALUE)
    shown = [repr(s), str(s), f"{s}", f"{s!r}", f"{s:>40}", repr([s]), repr({"k": s}), str((s,))]
    # The old spellings on purpose: each goes through a different special method.
    shown += ["%s" % s, "%r" % (s,), "{}".format(s)]  # noqa: UP031, UP032
    for text in shown:
        assert SECRET_VALUE not in text, text
    assert s.reveal() == SECRET_VALUE


def test_secret_cannot_be_pickled_or_copied_into_a_pickle() -> None:
    with pytest.raises(TypeError) as info:
        pickle.dumps(Secret(SECRET_VALUE))
    assert SECRET_VALUE not in str(info.value)
    with pytest.raises(TypeError):
        pickle.dumps({"nested": [Secret(SECRET_VALUE)]})
    with pytest.raises(TypeError):
        copy.deepcopy(Secret(SECRET_VALUE))


def test_secret_equality_and_truth() -> None:
    assert Secret("a") == Secret("a")
    assert Secret("a") != Secret("b")
    assert not Secret("")
    assert Secret("x")
    assert hash(Secret("a")) == hash(Secret("a"))


def test_request_repr_hides_hash() -> None:
    result = validate(ResendInput("clientid", "alice"))
    assert result.request is not None
    hashed = result.request.with_secret_hash(
        compute_secret_hash("alice", "clientid", Secret(SECRET_VALUE))
    )
    assert hashed.secret_hash is not None
    digest = hashed.secret_hash.reveal()
    for text in (repr(hashed), str(hashed), f"{hashed}", repr(result)):
        assert digest not in text
        assert SECRET_VALUE not in text
    assert hashed.to_api_params()["SecretHash"] == digest


def test_to_api_params_omits_empty_optionals() -> None:
    bare = ResendRequest(client_id="c", username="u")
    assert bare.to_api_params() == {"ClientId": "c", "Username": "u"}
    empty = ResendRequest(
        client_id="c",
        username="u",
        client_metadata=MappingProxyType({}),
        analytics_endpoint_id="",
        user_context=UserContextData("", ""),
    )
    assert empty.to_api_params() == {"ClientId": "c", "Username": "u"}
    # The same through validate, as the form produces it.
    result = validate(ResendInput(" c ", " u ", (("", ""),), "", "", ""))
    assert result.request is not None
    assert result.request.to_api_params() == {"ClientId": "c", "Username": "u"}


def test_to_api_params_includes_set_optionals() -> None:
    result = validate(ResendInput("c", "u", (("a", "1"), ("b", "")), "ep-1", "203.0.113.7", ""))
    assert result.request is not None
    req = result.request.with_secret_hash(Secret("aGFzaA=="))
    assert req.to_api_params() == {
        "ClientId": "c",
        "Username": "u",
        "SecretHash": "aGFzaA==",
        "ClientMetadata": {"a": "1", "b": ""},
        "AnalyticsMetadata": {"AnalyticsEndpointId": "ep-1"},
        "UserContextData": {"IpAddress": "203.0.113.7"},
    }
    only_encoded = ResendRequest("c", "u", user_context=UserContextData("", "fp"))
    assert only_encoded.to_api_params()["UserContextData"] == {"EncodedData": "fp"}
