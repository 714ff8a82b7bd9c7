"""3 (diagnosis): every new command, flag and field refuses bad input naming it, no traceback.

The same generated values as test_bad_input.py (unicode, control characters, empty,
131,072 characters) through `users find`, `diagnose`, `admin resend-invitation`,
`admin confirm`, `profiles add --aws-profile` and `profiles set`, in process; and the new
profile field (aws_profile) through the profile validation and the profiles file.
"""

from __future__ import annotations

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from app.core.profile import Profile, validate_profile
from tests.reliability.conftest import count_case
from tests.reliability.test_bad_input import HUGE, _run_cli, cases, texts

pytestmark = [pytest.mark.timeout(300), pytest.mark.usefixtures("_no_message_catalogs")]

NO_PROFILE = "No such profile"
# The flag (or positional) each refusal may name.
FLAGS = ("--profile", "--username", "--email", "--phone", "--sub", "--timeout",
         "--mark-verified", "--aws-profile", "--user-pool-id", "--region", "--client-id",
         "--endpoint-url", "NAME", "--sandbox-client")  # fmt: skip


@pytest.fixture
def _no_message_catalogs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LANGUAGE", "C")  # see test_bad_input.py: same text, fewer probes


def _opt(flag: str, value: str | None) -> list[str]:
    return [] if value is None else [flag, value]


lookups = st.sampled_from(["--email", "--phone", "--username", "--sub"])
argvs = st.one_of(
    st.builds(
        lambda u, t: ["diagnose", "--profile", NO_PROFILE, "--username", u, *_opt("--timeout", t)],
        texts, st.none() | texts,
    ),
    st.builds(
        lambda flag, v, j: ["users", "find", "--profile", NO_PROFILE, flag, v, *(["--json"] * j)],
        lookups, texts, st.booleans(),
    ),
    st.builds(
        lambda u, y: ["admin", "resend-invitation", "--profile", NO_PROFILE, "--username", u,
                      *(["--yes"] * y)],
        texts, st.booleans(),
    ),
    st.builds(
        lambda u, m: ["admin", "confirm", "--profile", NO_PROFILE, "--username", u,
                      *_opt("--mark-verified", m), "--yes"],
        texts, st.none() | texts | st.sampled_from(["email", "phone_number"]),
    ),
    st.builds(
        lambda name, region, cid, aws: ["profiles", "add", name, "--region", region,
                                        "--client-id", cid, "--aws-profile", aws],
        texts, texts, texts, texts,
    ),
    st.builds(
        lambda aws, pool: ["profiles", "set", NO_PROFILE, *_opt("--aws-profile", aws),
                           *_opt("--user-pool-id", pool)],
        st.none() | texts, st.none() | texts,
    ),
)  # fmt: skip


@cases(600)
@given(argv=argvs)
def test_new_commands_any_arguments_exit_2_naming_the_flag(argv: list[str]) -> None:
    """Each generated command holds a value that cannot work (no such profile, a random
    region, ...): exit 2 naming the flag, never a traceback, never an AWS call."""
    assume(not any(a in ("-h", "--help", "--version") for a in argv))
    count_case("CLI arguments (diagnosis)")
    code, out, err = _run_cli(argv)
    assert "Traceback" not in out + err
    if argv[:2] == ["profiles", "add"] and code == 0:  # pragma: no cover -- would be a bug
        raise AssertionError(f"an all-random profile was accepted: {argv!r}")
    assert code == 2, (argv, code, out, err)
    assert any(flag in err for flag in FLAGS), (argv, err)


@pytest.mark.parametrize("value", ["", "   ", "x" * HUGE, "\x00" * HUGE, "a\nb"],
                         ids=["empty", "blank", "huge", "nulls", "newline"])  # fmt: skip
@pytest.mark.parametrize(
    "command",
    [
        ["diagnose", "--username"],
        ["users", "find", "--email"],
        ["users", "find", "--sub"],
        ["admin", "confirm", "--yes", "--username"],
        ["admin", "resend-invitation", "--yes", "--username"],
    ],
    ids=["diagnose", "find-email", "find-sub", "confirm", "invite"],
)
def test_an_empty_or_huge_identifier_is_named_before_anything_runs(
    command: list[str], value: str
) -> None:
    code, _out, err = _run_cli([*command[:-1], "--profile", "Sandbox", command[-1], value])
    assert code == 2, err
    assert command[-1] in err and "Traceback" not in err
    assert len(err) < 2_000


@cases(700)
@given(aws_profile=st.none() | texts)
def test_the_aws_profile_field_names_itself(aws_profile: str | None) -> None:
    count_case("profile form (aws_profile)")
    problems = validate_profile(Profile("QA", "eu-west-1", aws_profile=aws_profile))
    assert all(p.field == "aws_profile" and p.message for p in problems)
    ok = aws_profile is None or (
        0 < len(aws_profile) <= 128
        and not any(c.isspace() or c in "[]" or ord(c) < 32 or 0x7F <= ord(c) < 0xA0
                    for c in aws_profile)
    )  # fmt: skip
    if ok:
        assert not problems or problems[0].field == "aws_profile"
    else:
        assert problems, aws_profile


@cases(300)
@given(value=st.one_of(texts, st.integers(), st.lists(st.integers(), max_size=2), st.booleans()))
def test_a_stored_aws_profile_of_any_value_is_read_or_refused_naming_it(
    tmp_path_factory: pytest.TempPathFactory, value: object
) -> None:
    import json

    from app.services.profile_repository import ProfileFileError, ProfileRepository

    count_case("profiles file (aws_profile)")
    path = tmp_path_factory.mktemp("p") / "profiles.json"
    entry = {"name": "QA", "region": "eu-west-1", "aws_profile": value}
    path.write_text(json.dumps({"version": 1, "profiles": [entry]}), encoding="utf-8")
    try:
        [profile] = ProfileRepository(path).list()
    except ProfileFileError as exc:
        assert "aws_profile" in str(exc)
        return
    assert profile.aws_profile == (value or None)
