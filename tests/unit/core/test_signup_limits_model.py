"""app/core/limits.py and the SignUp/ConfirmSignUp requests agree with botocore's model."""

from __future__ import annotations

from types import MappingProxyType
from typing import Any

import pytest

from app.core import limits
from app.core.request import UserContextData
from app.core.secrets import Secret
from app.core.signup import ConfirmRequest, SignUpRequest, UserAttribute

botocore_session = pytest.importorskip("botocore.session")


@pytest.fixture(scope="module")
def model() -> Any:
    return botocore_session.get_session().get_service_model("cognito-idp")


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
_CASES = [
    *(("SignUp", p, lim) for p, lim in _SHARED),
    *(("ConfirmSignUp", p, lim) for p, lim in _SHARED),
    ("SignUp", ("Password",), limits.PASSWORD),
    ("SignUp", ("UserAttributes", "<member>", "Name"), limits.ATTRIBUTE_NAME),
    ("SignUp", ("UserAttributes", "<member>", "Value"), limits.ATTRIBUTE_VALUE),
    ("SignUp", ("ValidationData", "<member>", "Name"), limits.ATTRIBUTE_NAME),
    ("SignUp", ("ValidationData", "<member>", "Value"), limits.ATTRIBUTE_VALUE),
    ("ConfirmSignUp", ("ConfirmationCode",), limits.CONFIRMATION_CODE),
    ("ConfirmSignUp", ("Session",), limits.SESSION),
]


@pytest.mark.parametrize(
    ("operation", "path", "limit"),
    _CASES,
    ids=[f"{o}.{'.'.join(p)}" for o, p, _ in _CASES],
)
def test_limits_match_model(
    model: Any, operation: str, path: tuple[str, ...], limit: limits.StringLimit
) -> None:
    shape = _shape(model.operation_model(operation), *path)
    meta = shape.metadata
    assert shape.type_name == "string"
    assert meta.get("min", 0) == limit.min_len, shape.name
    assert meta.get("max") == limit.max_len, shape.name
    assert meta.get("pattern") == limit.pattern, shape.name


def test_password_and_secrets_are_sensitive_in_the_model(model: Any) -> None:
    # The app treats these as Secret; AWS marks them so too.
    sign_up = model.operation_model("SignUp")
    confirm = model.operation_model("ConfirmSignUp")
    assert _shape(sign_up, "Password").metadata.get("sensitive") is True
    assert _shape(confirm, "Session").metadata.get("sensitive") is True


def test_required_members(model: Any) -> None:
    assert set(model.operation_model("SignUp").input_shape.required_members) == {
        "ClientId",
        "Username",
    }
    assert set(model.operation_model("ConfirmSignUp").input_shape.required_members) == {
        "ClientId",
        "Username",
        "ConfirmationCode",
    }


_CONTEXT = UserContextData("203.0.113.7", "blob")


def _full_signup() -> SignUpRequest:
    return SignUpRequest(
        client_id="abc",
        username="alice",
        password=Secret("Passw0rd!"),
        user_attributes=(UserAttribute("email", "a@example.com"),),
        validation_data=(UserAttribute("k", "v"),),
        client_metadata=MappingProxyType({"k": "v"}),
        analytics_endpoint_id="ep",
        user_context=_CONTEXT,
        secret_hash=Secret("aGFzaA=="),
    )


def _full_confirm() -> ConfirmRequest:
    return ConfirmRequest(
        client_id="abc",
        username="alice",
        confirmation_code="123456",
        force_alias_creation=True,
        session=Secret("s" * 20),
        client_metadata=MappingProxyType({"k": "v"}),
        analytics_endpoint_id="ep",
        user_context=_CONTEXT,
        secret_hash=Secret("aGFzaA=="),
    )


def _members(shape: Any, prefix: str = "") -> set[str]:
    """Every member path of a structure; nested structures and list members expanded."""
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
                assert isinstance(item, dict)
                out |= _params_paths(item, f"{prefix}{name}[].")
    return out


@pytest.mark.parametrize(
    ("operation", "build"), [("SignUp", _full_signup), ("ConfirmSignUp", _full_confirm)]
)
def test_to_api_params_covers_every_model_member(
    model: Any, operation: str, build: Any
) -> None:
    # A member AWS adds to the request (or renames) fails here until the app handles it.
    op = model.operation_model(operation)
    assert _params_paths(build().to_api_params()) == _members(op.input_shape)


@pytest.mark.parametrize(
    ("operation", "build"), [("SignUp", _full_signup), ("ConfirmSignUp", _full_confirm)]
)
def test_full_params_pass_botocore_validation(model: Any, operation: str, build: Any) -> None:
    from botocore.validate import ParamValidator

    op = model.operation_model(operation)
    report = ParamValidator().validate(build().to_api_params(), op.input_shape)
    assert not report.has_errors(), report.generate_report()
