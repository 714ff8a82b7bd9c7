"""SignUp and ConfirmSignUp validation names the field and the rule; it never raises."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.core.request import FIELD_LABELS, Field, FieldError, ResendInput
from app.core.secrets import Secret
from app.core.signup import (
    ConfirmInput,
    SignUpInput,
    UserAttribute,
    confirm_form_errors,
    parse_attribute_assignment,
    signup_form_errors,
    validate_confirm,
    validate_signup,
)

_COMMON = ResendInput(client_id="abc123", username="alice")


def _signup_errors(common: ResendInput = _COMMON, **kw: object) -> tuple[FieldError, ...]:
    result = validate_signup(SignUpInput(common, **kw))  # type: ignore[arg-type]
    assert (result.request is None) == bool(result.errors)
    return result.errors


def _confirm_errors(**kw: object) -> tuple[FieldError, ...]:
    values: dict[str, object] = {"confirmation_code": "123456", **kw}
    result = validate_confirm(ConfirmInput(_COMMON, **values))  # type: ignore[arg-type]
    assert (result.request is None) == bool(result.errors)
    return result.errors


def _only(errors: tuple[FieldError, ...], which: Field) -> FieldError:
    assert len(errors) == 1, errors
    assert errors[0].field is which
    assert str(errors[0]).startswith(FIELD_LABELS[which])
    return errors[0]


def test_valid_signup_builds_the_parameters() -> None:
    result = validate_signup(
        SignUpInput(
            ResendInput(client_id=" abc123 ", username="alice\n", client_metadata=[("k", "v")]),
            password=Secret("Passw0rd!"),
            user_attributes=[("email", "a@example.com"), ("", "")],
        )
    )
    assert result.request is not None
    params = result.request.to_api_params()
    assert params == {
        "ClientId": "abc123",
        "Username": "alice",
        "Password": "Passw0rd!",
        "UserAttributes": [{"Name": "email", "Value": "a@example.com"}],
        "ClientMetadata": {"k": "v"},
    }
    assert result.request.user_attributes == (UserAttribute("email", "a@example.com"),)


def test_passwordless_signup_sends_no_password() -> None:
    result = validate_signup(SignUpInput(ResendInput("abc", "alice")))
    assert result.request is not None
    assert "Password" not in result.request.to_api_params()


def test_password_never_in_repr_or_errors() -> None:
    secret = "Hunter 2 secret"
    raw = SignUpInput(ResendInput("abc", "alice"), password=Secret(secret))
    assert secret not in repr(raw)
    errors = validate_signup(raw).errors
    e = _only(errors, Field.PASSWORD)
    assert "white space" in e.message
    assert secret not in str(e) and "Hunter" not in str(e)
    ok = validate_signup(SignUpInput(ResendInput("abc", "a"), password=Secret("Xy1!abcd")))
    assert "Xy1!abcd" not in repr(ok.request)


@pytest.mark.parametrize(
    ("password", "words"),
    [("", "is empty"), ("a" * 257, "at most 256"), ("ab\tcd", "white space"),
     ("ab\ncd", "white space"), ("ab cd", "white space")],
)  # fmt: skip
def test_bad_passwords(password: str, words: str) -> None:
    e = _only(_signup_errors(password=Secret(password)), Field.PASSWORD)
    assert words in e.message


def test_password_at_limits_and_no_break_space_are_fine() -> None:
    # Java's \S (the model's dialect) excludes only ASCII white space.
    assert _signup_errors(password=Secret("a" * 256)) == ()
    assert _signup_errors(password=Secret("a\u00a0b")) == ()


@pytest.mark.parametrize("which", [Field.USER_ATTRIBUTES, Field.VALIDATION_DATA])
@pytest.mark.parametrize(
    ("pairs", "row", "words"),
    [([("", "x")], 0, "name is empty"),
     ([("n" * 33, "x")], 0, "at most 32"),
     ([("email", "v" * 2049)], 0, "at most 2,048"),
     ([("email", "a"), ("email", "b")], 1, "repeats row 1"),
     ([("ok", "1"), ("bad\x00name", "x")], 1, "null character")],
)  # fmt: skip
def test_bad_attributes(
    which: Field, pairs: list[tuple[str, str]], row: int, words: str
) -> None:
    if which is Field.USER_ATTRIBUTES:
        errors = _signup_errors(user_attributes=pairs)
    else:
        errors = _signup_errors(validation_data=pairs)
    e = _only(errors, which)
    assert e.row == row
    assert words in e.message
    assert f"(row {row + 1})" in str(e)


def test_attribute_name_allows_the_models_white_space() -> None:
    # The AttributeNameType pattern adds \t \n \r and space to the Username classes.
    assert _signup_errors(user_attributes=[("custom:a b", "x")]) == ()
    assert _signup_errors(user_attributes=[("n" * 32, "v" * 2048)]) == ()


def test_signup_collects_every_problem() -> None:
    errors = _signup_errors(
        ResendInput(client_id="bad id", username="", ip_address="nope"),
        password=Secret(""),
        user_attributes=[("", "v")],
    )
    fields = {e.field for e in errors}
    assert fields == {
        Field.CLIENT_ID,
        Field.USERNAME,
        Field.PASSWORD,
        Field.USER_ATTRIBUTES,
        Field.IP_ADDRESS,
    }


def test_valid_confirm_builds_the_parameters() -> None:
    result = validate_confirm(
        ConfirmInput(ResendInput("abc", "alice"), confirmation_code=" 123456\n")
    )
    assert result.request is not None
    assert result.request.to_api_params() == {
        "ClientId": "abc",
        "Username": "alice",
        "ConfirmationCode": "123456",
    }


@pytest.mark.parametrize(
    ("code", "words"),
    [("", "is required"), ("   ", "is required"), ("12 34", "space"),
     ("1" * 2049, "at most 2,048")],
)  # fmt: skip
def test_bad_codes(code: str, words: str) -> None:
    e = _only(_confirm_errors(confirmation_code=code), Field.CONFIRMATION_CODE)
    assert words in e.message


def test_session_bounds() -> None:
    e = _only(_confirm_errors(session=Secret("short")), Field.SESSION)
    assert "at least 20" in e.message
    assert _confirm_errors(session=Secret("s" * 20)) == ()


def test_force_alias_creation_only_when_asked() -> None:
    base = validate_confirm(ConfirmInput(ResendInput("abc", "alice"), "1"))
    forced = validate_confirm(
        ConfirmInput(ResendInput("abc", "alice"), "1", force_alias_creation=True)
    )
    assert base.request is not None and forced.request is not None
    assert "ForceAliasCreation" not in base.request.to_api_params()
    assert forced.request.to_api_params()["ForceAliasCreation"] is True


def test_parse_attribute_assignment() -> None:
    assert parse_attribute_assignment("email=a=b@example.com") == ("email", "a=b@example.com")
    assert parse_attribute_assignment("name=") == ("name", "")
    with pytest.raises(ValueError, match="NAME=VALUE"):
        parse_attribute_assignment("email")


_text = st.text(st.characters(exclude_categories=["Cs"]), max_size=40)


@settings(max_examples=150, deadline=None, derandomize=True)
@given(
    username=_text,
    password=st.none() | _text,
    attributes=st.lists(st.tuples(_text, _text), max_size=4),
    code=_text,
)
def test_any_input_gives_a_request_or_named_errors(
    username: str, password: str | None, attributes: list[tuple[str, str]], code: str
) -> None:
    signup = validate_signup(
        SignUpInput(
            ResendInput("abc", username),
            password=Secret(password) if password is not None else None,
            user_attributes=attributes,
        )
    )
    confirm = validate_confirm(ConfirmInput(ResendInput("abc", username), code))
    for result in (signup, confirm):
        assert (result.request is None) == bool(result.errors)
        for e in result.errors:
            assert str(e).startswith(FIELD_LABELS[e.field])
            if password and e.field is Field.PASSWORD:
                assert password not in e.message or len(password) < 3


def test_form_errors_leave_out_the_client_id() -> None:
    # The client ID comes from the keyring later; a form cannot be blamed for it.
    signup = SignUpInput(ResendInput("", "a b"), password=Secret(""))
    assert {e.field for e in signup_form_errors(signup)} == {Field.USERNAME, Field.PASSWORD}
    confirm = ConfirmInput(ResendInput("", "alice"), "")
    assert [e.field for e in confirm_form_errors(confirm)] == [Field.CONFIRMATION_CODE]
    assert confirm_form_errors(ConfirmInput(ResendInput("", "alice"), "1")) == ()
