"""3, for sign-up and confirmation: bad input never crashes, and every refusal names its field.

Property-based, in the style of test_bad_input.py and with its values (unicode, control
characters, white space, empty and 131,072-character strings): the SignUp and
ConfirmSignUp fields through core validation (as the window and the CLI use it) --
username, password, user attributes, validation data, confirmation code, session,
metadata -- and the `signup` / `confirm` command lines in process (`app.cli.main`), with
the password on standard input. A password is never echoed in a refusal. No case starts
a server or makes a call: every command names a profile that does not exist.
"""

from __future__ import annotations

import io
import json
import random
import sys

import pytest
from hypothesis import assume, given, note
from hypothesis import strategies as st

from app.core.request import FIELD_LABELS, Field, ResendInput
from app.core.secrets import Secret
from app.core.signup import (
    ConfirmInput,
    SignUpInput,
    confirm_form_errors,
    signup_form_errors,
    validate_confirm,
    validate_signup,
)
from tests.reliability.conftest import count_case
from tests.reliability.test_bad_input import (
    FLAG_NAMES,
    FUZZ_PER_EXAMPLE,
    _assert_named,
    _no_message_catalogs,  # noqa: F401 -- a fixture, used by name
    _no_servers,
    _run_cli,
    cases,
    fuzz_text,
    pairs,
    seeds,
    texts,
)

pytestmark = pytest.mark.timeout(300)

# The list-valued fields whose errors carry a row.
_ROWED = (Field.CLIENT_METADATA, Field.USER_ATTRIBUTES, Field.VALIDATION_DATA)


def _password_kept_out(password: str | None, messages: str, *others: str) -> None:
    """A refusal never quotes the password (unless it is too short to tell, or the same
    text was typed into another field too)."""
    if password and len(password) >= 6 and not any(password in o for o in others):
        assert password not in messages


# -- the sign-up and confirmation fields -------------------------------------------------


@cases(400)
@given(username=texts, password=st.none() | texts, attributes=pairs, validation=pairs,
       metadata=pairs, rnd=seeds)  # fmt: skip
def test_signup_fields_any_values(
    username: str,
    password: str | None,
    attributes: list[tuple[str, str]],
    validation: list[tuple[str, str]],
    metadata: list[tuple[str, str]],
    rnd: random.Random,
) -> None:
    _check_signup(username, password, attributes, validation, metadata)
    for _ in range(FUZZ_PER_EXAMPLE):

        def t() -> str:
            return fuzz_text(rnd)

        def rows() -> list[tuple[str, str]]:
            return [(t(), t()) for _ in range(rnd.randrange(4))]

        pw = None if rnd.random() < 0.2 else t()
        note(f"seeded: username={username!r:.80} rows={len(attributes)}")
        _check_signup(t(), pw, rows(), rows(), rows())


def _check_signup(
    username: str,
    password: str | None,
    attributes: list[tuple[str, str]],
    validation: list[tuple[str, str]],
    metadata: list[tuple[str, str]],
) -> None:
    count_case("sign-up fields")
    raw = SignUpInput(
        ResendInput("client", username, tuple(metadata)),
        password=Secret(password) if password is not None else None,
        user_attributes=attributes,
        validation_data=validation,
    )
    result = validate_signup(raw)
    assert (result.request is None) == bool(result.errors)
    _assert_named(result.errors, FIELD_LABELS)
    for e in result.errors:
        assert (e.row is not None) <= (e.field in _ROWED), e
    others = [username, *(x for p in (*attributes, *validation, *metadata) for x in p)]
    _password_kept_out(password, "\n".join(str(e) for e in result.errors), *others)
    if result.request is not None:
        json.dumps(result.request.to_api_params())  # plain JSON-able data for botocore
        assert isinstance(result.request.password, Secret) == (password is not None)
        # The repr shows a Secret masked; a password that is also another field's text
        # (username '0', password '0') is "in" the repr through that field, not a leak.
        if password and len(password) >= 6 and not any(password in o for o in others):
            assert password not in repr(result.request)
    assert all(e.field is not Field.CLIENT_ID for e in signup_form_errors(raw))


@cases(400)
@given(username=texts, code=texts, session=st.none() | texts, metadata=pairs,
       force=st.booleans(), rnd=seeds)  # fmt: skip
def test_confirm_fields_any_values(
    username: str,
    code: str,
    session: str | None,
    metadata: list[tuple[str, str]],
    force: bool,
    rnd: random.Random,
) -> None:
    _check_confirm(username, code, session, metadata, force)
    for _ in range(FUZZ_PER_EXAMPLE):
        t = fuzz_text(rnd)
        _check_confirm(fuzz_text(rnd), t, None if rnd.random() < 0.5 else t, [], force)


def _check_confirm(
    username: str, code: str, session: str | None, metadata: list[tuple[str, str]], force: bool
) -> None:
    count_case("confirmation fields")
    raw = ConfirmInput(
        ResendInput("client", username, tuple(metadata)),
        confirmation_code=code,
        force_alias_creation=force,
        session=Secret(session) if session is not None else None,
    )
    result = validate_confirm(raw)
    assert (result.request is None) == bool(result.errors)
    _assert_named(result.errors, FIELD_LABELS)
    if result.request is not None:
        params = result.request.to_api_params()
        json.dumps(params)
        assert params["ConfirmationCode"] == code.strip()
    assert all(e.field is not Field.CLIENT_ID for e in confirm_form_errors(raw))


# -- the command lines -------------------------------------------------------------------

SIGNUP_FLAGS = (*FLAG_NAMES, "--email", "--phone", "--attribute", "--validation-data",
                "--password-stdin", "--generate-password", "--show-password", "--code")  # fmt: skip

_password_modes = st.sampled_from(
    (["--password-stdin"], ["--generate-password"], ["--no-password"], [],
     ["--generate-password", "--show-password"], ["--password-stdin", "--show-password"],
     ["--password-stdin", "--generate-password"])
)  # fmt: skip
signup_argvs = st.builds(
    lambda u, e, ph, at, vd, md, mode: [
        "signup", "--profile", "No such profile", "--username", u,
        *(["--email", e] if e is not None else []), *(["--phone", ph] if ph is not None else []),
        *sum((["--attribute", a] for a in at), []),
        *sum((["--validation-data", v] for v in vd), []),
        *sum((["--metadata", m] for m in md), []), *mode,
    ],
    texts, st.none() | texts, st.none() | texts, st.lists(texts, max_size=3),
    st.lists(texts, max_size=2), st.lists(texts, max_size=2), _password_modes,
)  # fmt: skip
confirm_argvs = st.builds(
    lambda u, c, md, f: [
        "confirm", "--profile", "No such profile", "--username", u, "--code", c,
        *sum((["--metadata", m] for m in md), []), *(["--force-alias-creation"] if f else []),
    ],
    texts, texts, st.lists(texts, max_size=2), st.booleans(),
)  # fmt: skip


def _run_with_stdin(argv: list[str], stdin: str) -> tuple[int, str, str]:
    real = sys.stdin
    sys.stdin = io.StringIO(stdin)
    try:
        return _run_cli(argv)
    finally:
        sys.stdin = real


@cases(600)
@given(argv=st.one_of(signup_argvs, confirm_argvs), password=texts)
@pytest.mark.usefixtures("_no_message_catalogs")
def test_signup_and_confirm_any_arguments_exit_2_naming_the_flag(
    argv: list[str], password: str
) -> None:
    """Every generated command names a profile that does not exist (or breaks a field's
    rule first), so each must end in exit 2 naming the flag: never a traceback, a call,
    or the password from standard input echoed back."""
    assume(not any(a in ("-h", "--help", "--version") for a in argv))
    count_case("sign-up CLI arguments")
    with _no_servers() as binds:
        code, out, err = _run_with_stdin(argv, password + "\n")
    assert not binds, (argv, binds, out, err)
    assert "Traceback" not in out + err
    assert code == 2, (argv, code, out, err)
    assert any(flag in err for flag in SIGNUP_FLAGS), (argv, err)
    if "--password-stdin" in argv:
        _password_kept_out(password.split("\n")[0], out + err, *argv)


@pytest.mark.parametrize(
    "argv",
    [["signup", "--profile", "Sandbox", "--username", "u", "--password-stdin",
      "--attribute", "x" * 131_072],
     ["signup", "--profile", "Sandbox", "--username", "u", "--password-stdin",
      "--email", "\x00" * 131_072],
     ["confirm", "--profile", "Sandbox", "--username", "u", "--code", "1" * 131_072]],
    ids=["attribute-without-equals", "huge-email", "huge-code"],
)  # fmt: skip
def test_huge_values_are_refused_without_being_echoed(argv: list[str]) -> None:
    code, _out, err = _run_with_stdin(argv, "Passw0rd!\n")
    assert code == 2 and "Traceback" not in err
    assert any(flag in err for flag in ("--attribute", "--email", "--code")), err
    assert len(err) < 2_000  # the 131,072 characters are not echoed back
