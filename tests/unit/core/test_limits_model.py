"""app/core/limits.py and ResendRequest agree with botocore's model of ResendConfirmationCode."""

from __future__ import annotations

from types import MappingProxyType
from typing import Any

import pytest

from app.core import limits
from app.core.request import ResendRequest, UserContextData
from app.core.secrets import Secret

botocore_session = pytest.importorskip("botocore.session")


@pytest.fixture(scope="module")
def op() -> Any:
    model = botocore_session.get_session().get_service_model("cognito-idp")
    return model.operation_model("ResendConfirmationCode")


def _shape(op: Any, *path: str) -> Any:
    shape = op.input_shape
    for name in path:
        if name == "<key>":
            shape = shape.key
        elif name == "<value>":
            shape = shape.value
        else:
            shape = shape.members[name]
    return shape


def _assert_limit(shape: Any, limit: limits.StringLimit) -> None:
    meta = shape.metadata
    assert shape.type_name == "string"
    assert meta.get("min", 0) == limit.min_len, shape.name
    assert meta.get("max") == limit.max_len, shape.name
    assert meta.get("pattern") == limit.pattern, shape.name


@pytest.mark.parametrize(
    ("path", "limit"),
    [
        (("ClientId",), limits.CLIENT_ID),
        (("Username",), limits.USERNAME),
        (("SecretHash",), limits.SECRET_HASH),
        (("UserContextData", "IpAddress"), limits.STRING),
        (("UserContextData", "EncodedData"), limits.STRING),
        (("AnalyticsMetadata", "AnalyticsEndpointId"), limits.STRING),
        (("ClientMetadata", "<key>"), limits.STRING),
        (("ClientMetadata", "<value>"), limits.STRING),
    ],
    ids=lambda p: ".".join(p) if isinstance(p, tuple) else "",
)
def test_limits_match_model(op: Any, path: tuple[str, ...], limit: limits.StringLimit) -> None:
    _assert_limit(_shape(op, *path), limit)


def test_required_members(op: Any) -> None:
    assert set(op.input_shape.required_members) == {"ClientId", "Username"}


def _full_request() -> ResendRequest:
    return ResendRequest(
        client_id="abc",
        username="alice",
        client_metadata=MappingProxyType({"k": "v"}),
        analytics_endpoint_id="ep",
        user_context=UserContextData("203.0.113.7", "blob"),
        secret_hash=Secret("aGFzaA=="),
    )


def _members(shape: Any, prefix: str = "") -> set[str]:
    """Every member path of a structure, nested structures expanded (maps are leaves)."""
    out: set[str] = set()
    for name, member in shape.members.items():
        out.add(prefix + name)
        if member.type_name == "structure":
            out |= _members(member, f"{prefix}{name}.")
    return out


def _params_paths(params: dict[str, object], prefix: str = "") -> set[str]:
    out: set[str] = set()
    for name, value in params.items():
        out.add(prefix + name)
        if isinstance(value, dict) and name != "ClientMetadata":
            out |= _params_paths(value, f"{prefix}{name}.")
    return out


def test_to_api_params_covers_every_model_member(op: Any) -> None:
    # A member AWS adds to the request (or renames) fails here until the app handles it.
    assert _params_paths(_full_request().to_api_params()) == _members(op.input_shape)


def test_full_params_pass_botocore_validation(op: Any) -> None:
    from botocore.validate import ParamValidator

    report = ParamValidator().validate(_full_request().to_api_params(), op.input_shape)
    assert not report.has_errors(), report.generate_report()
