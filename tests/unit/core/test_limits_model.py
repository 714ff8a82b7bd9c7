"""app/core/limits.py and the requests agree with botocore's model of ResendConfirmationCode,
SignUp and ConfirmSignUp."""

from __future__ import annotations

from types import MappingProxyType
from typing import Any

import pytest

from app.core import limits
from app.core.request import ResendRequest, UserContextData
from app.core.secrets import Secret
from app.core.signup import ConfirmRequest, SignUpRequest, UserAttribute

botocore_session = pytest.importorskip("botocore.session")


@pytest.fixture(scope="module")
def model() -> Any:
    return botocore_session.get_session().get_service_model("cognito-idp")


@pytest.fixture(scope="module")
def op(model: Any) -> Any:
    return model.operation_model("ResendConfirmationCode")


def _shape(op: Any, *path: str) -> Any:
    shape = op.input_shape
    for name in path:
        if name == "<key>":
            shape = shape.key
        elif name == "<value>":
            shape = shape.value
        elif name == "<member>":
            shape = shape.member
        else:
            shape = shape.members[name]
    return shape


def _assert_limit(shape: Any, limit: limits.StringLimit) -> None:
    meta = shape.metadata
    assert shape.type_name == "string"
    assert meta.get("min", 0) == limit.min_len, shape.name
    assert meta.get("max") == limit.max_len, shape.name
    assert meta.get("pattern") == limit.pattern, shape.name


# The fields every one of the three operations has.
_SHARED = [
    (("ClientId",), limits.CLIENT_ID),
    (("Username",), limits.USERNAME),
    (("SecretHash",), limits.SECRET_HASH),
    (("UserContextData", "IpAddress"), limits.STRING),
    (("UserContextData", "EncodedData"), limits.STRING),
    (("AnalyticsMetadata", "AnalyticsEndpointId"), limits.STRING),
    (("ClientMetadata", "<key>"), limits.STRING),
    (("ClientMetadata", "<value>"), limits.STRING),
]
_OPERATIONS = ("ResendConfirmationCode", "SignUp", "ConfirmSignUp")
_CASES = [
    *((o, p, lim) for o in _OPERATIONS for p, lim in _SHARED),
    ("SignUp", ("Password",), limits.PASSWORD),
    ("SignUp", ("UserAttributes", "<member>", "Name"), limits.ATTRIBUTE_NAME),
    ("SignUp", ("UserAttributes", "<member>", "Value"), limits.ATTRIBUTE_VALUE),
    ("SignUp", ("ValidationData", "<member>", "Name"), limits.ATTRIBUTE_NAME),
    ("SignUp", ("ValidationData", "<member>", "Value"), limits.ATTRIBUTE_VALUE),
    ("ConfirmSignUp", ("ConfirmationCode",), limits.CONFIRMATION_CODE),
    ("ConfirmSignUp", ("Session",), limits.SESSION),
]


@pytest.mark.parametrize(
    ("operation", "path", "limit"), _CASES, ids=[f"{o}.{'.'.join(p)}" for o, p, _ in _CASES]
)
def test_limits_match_model(
    model: Any, operation: str, path: tuple[str, ...], limit: limits.StringLimit
) -> None:
    _assert_limit(_shape(model.operation_model(operation), *path), limit)


def test_password_and_session_are_sensitive_in_the_model(model: Any) -> None:
    # The app keeps both as Secret values; AWS marks them so too.
    assert _shape(model.operation_model("SignUp"), "Password").metadata.get("sensitive")
    assert _shape(model.operation_model("ConfirmSignUp"), "Session").metadata.get("sensitive")


@pytest.mark.parametrize(
    ("operation", "required"),
    [("ResendConfirmationCode", {"ClientId", "Username"}),
     ("SignUp", {"ClientId", "Username"}),
     ("ConfirmSignUp", {"ClientId", "Username", "ConfirmationCode"})],
)  # fmt: skip
def test_required_members(model: Any, operation: str, required: set[str]) -> None:
    assert set(model.operation_model(operation).input_shape.required_members) == required


def _full_request() -> ResendRequest:
    return ResendRequest(
        client_id="abc",
        username="alice",
        client_metadata=MappingProxyType({"k": "v"}),
        analytics_endpoint_id="ep",
        user_context=UserContextData("203.0.113.7", "blob"),
        secret_hash=Secret("aGFzaA=="),
    )


def _full_signup() -> SignUpRequest:
    return SignUpRequest(
        common=_full_request(),
        password=Secret("Passw0rd!"),
        user_attributes=(UserAttribute("email", "a@example.com"),),
        validation_data=(UserAttribute("k", "v"),),
    )


def _full_confirm() -> ConfirmRequest:
    return ConfirmRequest(
        common=_full_request(),
        confirmation_code="123456",
        force_alias_creation=True,
        session=Secret("s" * 20),
    )


_FULL = [
    ("ResendConfirmationCode", _full_request),
    ("SignUp", _full_signup),
    ("ConfirmSignUp", _full_confirm),
]


def _members(shape: Any, prefix: str = "") -> set[str]:
    """Every member path of a structure; nested structures and list items expanded
    (maps are leaves)."""
    out: set[str] = set()
    for name, member in shape.members.items():
        out.add(prefix + name)
        if member.type_name == "structure":
            out |= _members(member, f"{prefix}{name}.")
        elif member.type_name == "list" and member.member.type_name == "structure":
            out |= _members(member.member, f"{prefix}{name}[].")
    return out


def _params_paths(params: dict[str, object], prefix: str = "") -> set[str]:
    out: set[str] = set()
    for name, value in params.items():
        out.add(prefix + name)
        if isinstance(value, dict) and name != "ClientMetadata":
            out |= _params_paths(value, f"{prefix}{name}.")
        elif isinstance(value, list):
            for item in value:
                out |= _params_paths(item, f"{prefix}{name}[].")
    return out


@pytest.mark.parametrize(("operation", "build"), _FULL)
def test_to_api_params_covers_every_model_member(model: Any, operation: str, build: Any) -> None:
    # A member AWS adds to the request (or renames) fails here until the app handles it.
    shape = model.operation_model(operation).input_shape
    assert _params_paths(build().to_api_params()) == _members(shape)


@pytest.mark.parametrize(("operation", "build"), _FULL)
def test_full_params_pass_botocore_validation(model: Any, operation: str, build: Any) -> None:
    from botocore.validate import ParamValidator

    shape = model.operation_model(operation).input_shape
    report = ParamValidator().validate(build().to_api_params(), shape)
    assert not report.has_errors(), report.generate_report()
