"""3: bad input never crashes, and every refusal names the field and the rule.

Property-based over the resend form's fields (core validation, as the window and the CLI
use it), the profile form's fields, the CLI's arguments (in process: `app.cli.main`),
the profiles file (any bytes or JSON on disk) and the batch import (any bytes, any CSV).
Strings include unicode, control characters, whitespace, empty values and 131,072-
character values; JSON includes wrong types and deep nesting; bytes include invalid
UTF-8. The number of generated cases is printed in the pytest summary.

Cost: Hypothesis spends ~0.6 ms of bookkeeping per example and ~0.1-0.3 ms per draw, so
one structured input (a CSV file, a whole form) costs 3-5 ms to *generate*, far more than
checking it. The two biggest surfaces therefore check, per Hypothesis example, the drawn
input plus a few more made by a seeded `random.Random` (the seed is a Hypothesis draw, so
a failure is reported and replayed like any other) from the same alphabet: same kinds of
values, a fraction of the cost. Every checked input counts as one case.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import random
import socket
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, note, settings
from hypothesis import strategies as st

from app.cli import main as cli_main
from app.core.batch_input import BatchRow, BatchRowError, read_batch
from app.core.profile import Profile, validate_profile
from app.core.request import (
    FIELD_LABELS,
    Field,
    MetadataParseError,
    ResendInput,
    form_errors,
    parse_metadata_json,
    validate,
)
from app.services.profile_repository import (
    ProfileFileError,
    ProfileRepository,
    ProfileValidationError,
)
from tests.reliability.conftest import count_case

# Far above the ~40 s the module takes; a hang fails at once (tests/support/timeouts.py).
pytestmark = pytest.mark.timeout(300)

HUGE = 131_072
SETTINGS = settings(
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                           HealthCheck.function_scoped_fixture],
    database=None,  # no example files in the repo; the "ci" profile replays the same sample
)


def cases(n: int) -> settings:
    return settings(SETTINGS, max_examples=n)

# Text a person (or a paste, or a file) can hold: every code point but lone surrogates.
chars = st.characters(exclude_categories=["Cs"])
NASTY = (
    "", " ", "\t", "\n", "\r\n", "\x00", "\x1b[31m", "\u200b", "\ufeff", "\u202e", "💥",
    "é", "e\u0301", "ﬁ", "Ⅻ", "\U0010ffff", "=cmd|' /C calc'!A0", "../../etc/passwd",
    '{"a":', "a=b", "--help", "-", "None", "null", "0", "-1", "1e309", "nan",
)
nasty = st.sampled_from(NASTY)
# Mostly short mixed text; sometimes a control-character soup; sometimes 131,072 chars.
# (one_of picks its branches about evenly: the 131,072-character branch is 1 in 12 draws.)
texts = st.one_of(
    st.text(chars, max_size=40),
    nasty,
    st.text(st.characters(max_codepoint=0x1F), max_size=20),
    st.builds(lambda c, n: c * n, st.text(chars, min_size=1, max_size=2),
              st.sampled_from([HUGE, 129, 257])),
)
pairs = st.lists(st.tuples(texts, texts), max_size=6)
# Without the 131,072-character branch: for collections of many values (a CSV's cells).
small_texts = st.one_of(st.text(chars, max_size=40), nasty,
                        st.text(st.characters(max_codepoint=0x1F), max_size=20))


# -- the same kinds of values from a seeded random.Random (see the module docstring) -----
FUZZ_PER_EXAMPLE = 4
# One Hypothesis draw is the seed of a real Random: derandomized in CI like every other
# draw, replayed from Hypothesis's database on failure, and cheap (st.randoms() without
# true randomness would make every rnd call a Hypothesis draw).
seeds = st.integers(min_value=0, max_value=2**64 - 1).map(random.Random)


def _fuzz_char(rnd: random.Random) -> str:
    r = rnd.random()
    if r < 0.45:
        return chr(rnd.randrange(0x20, 0x7F))
    if r < 0.55:
        return chr(rnd.randrange(0x20))
    cp = rnd.randrange(0x80, 0x10000) if r < 0.9 else rnd.randrange(0x10000, 0x110000)
    return "\ufffd" if 0xD800 <= cp <= 0xDFFF else chr(cp)  # no lone surrogates


def fuzz_text(rnd: random.Random, *, huge: bool = True) -> str:
    """Like `texts` (or `small_texts` without `huge`): mixed text, a nasty value, a
    control-character soup, or a 129/257/131,072-character repetition."""
    branch = rnd.randrange(4 if huge else 3)
    if branch == 0:
        return "".join(_fuzz_char(rnd) for _ in range(rnd.randrange(41)))
    if branch == 1:
        return rnd.choice(NASTY)
    if branch == 2:
        return "".join(chr(rnd.randrange(0x20)) for _ in range(rnd.randrange(21)))
    unit = "".join(_fuzz_char(rnd) for _ in range(rnd.randint(1, 2)))
    return unit * rnd.choice((HUGE, 129, 257))


def fuzz_csv(rnd: random.Random) -> bytes:
    """Like `csv_files`: raw bytes, a header and rows, a name list, or a stray blob between
    good lines. Not the huge first lines: there are only 12 of them, Hypothesis draws each
    (and then stops drawing that branch), and each costs ~37 ms to read."""
    branch = rnd.choice((0, 1, 2, 4))
    if branch == 0:
        return rnd.randbytes(rnd.randrange(401))
    if branch == 1:
        header = [rnd.choice(("username", "metadata", "metadata.flow", "x", "", "USERNAME",
                              "username ")) for _ in range(rnd.randint(1, 4))]
        rows = [[rnd.choice(('"', "", fuzz_text(rnd, huge=False))) for _ in range(
            rnd.randrange(5))] for _ in range(rnd.randrange(7))]
        sep = rnd.choice((",", ";", "\t", "|"))
        text = rnd.choice(("", "\ufeff")) + sep.join(header) + "\n" + "\n".join(
            sep.join(r) for r in rows)
        return text.encode("utf-8", "surrogatepass")
    if branch == 2:
        return "\n".join(fuzz_text(rnd, huge=False) for _ in range(rnd.randrange(9))).encode()
    if branch == 3:
        unit = rnd.choice(("x", "é,", '"', "\r"))
        return (unit * rnd.choice((HUGE, HUGE + 1, 2 * HUGE))).encode()
    return b"username\nalice\n" + rnd.randbytes(rnd.randint(1, 40)) + b"\nbob\n"


def _json_values(max_leaves: int = 12) -> st.SearchStrategy[object]:
    scalars = st.none() | st.booleans() | st.integers() | st.floats() | texts
    return st.recursive(
        scalars,
        lambda inner: st.lists(inner, max_size=4) | st.dictionaries(texts, inner, max_size=4),
        max_leaves=max_leaves,
    )


DEPTHS = st.sampled_from([1, 2, 30, 999, 1_000, 5_000, 100_000])


def _deep(depth: int, kind: str) -> str:
    return ("[" * depth + "]" * depth) if kind == "list" else ('{"a":' * depth + "1" + "}" * depth)


def _assert_named(errors: Iterable[Any], label_of: Mapping[Any, str]) -> None:
    for e in errors:
        assert e.message.strip(), e
        assert str(e).startswith(label_of[e.field]), e


# -- the resend form ---------------------------------------------------------------------


@cases(400)
@given(client_id=texts, username=texts, metadata=pairs, analytics=texts, ip=texts, data=texts,
       rnd=seeds)
def test_resend_form_any_values(
    client_id: str, username: str, metadata: list[tuple[str, str]], analytics: str, ip: str,
    data: str, rnd: random.Random,
) -> None:
    _check_resend_form(ResendInput(client_id, username, tuple(metadata), analytics, ip, data))
    for _ in range(FUZZ_PER_EXAMPLE):

        def t() -> str:
            return fuzz_text(rnd)

        raw = ResendInput(t(), t(), tuple((t(), t()) for _ in range(rnd.randrange(7))),
                          t(), t(), t())
        note(f"seeded input: {raw!r:.300}")
        _check_resend_form(raw)


def _check_resend_form(raw: ResendInput) -> None:
    count_case("resend form")
    result = validate(raw)
    assert (result.request is None) == bool(result.errors)
    _assert_named(result.errors, FIELD_LABELS)
    for e in result.errors:
        assert e.field in Field
        assert (e.row is not None) == (e.field is Field.CLIENT_METADATA and e.row is not None)
    if result.request is not None:
        json.dumps(result.request.to_api_params())  # what boto3 gets is plain JSON-able data
    for e in form_errors(raw):
        assert e.field is not Field.CLIENT_ID


def _fuzz_json_value(rnd: random.Random, depth: int = 0) -> object:
    kind = rnd.randrange(7 if depth < 3 else 5)
    if kind == 0:
        return None
    if kind == 1:
        return rnd.random() < 0.5
    if kind == 2:
        return rnd.choice((0, -1, 2**63, 10**400, rnd.randrange(-(10**9), 10**9)))
    if kind == 3:
        return rnd.choice((0.0, -0.0, 1e308, float("inf"), float("nan"), rnd.random()))
    if kind == 4:
        return fuzz_text(rnd)
    if kind == 5:
        return [_fuzz_json_value(rnd, depth + 1) for _ in range(rnd.randrange(5))]
    return {fuzz_text(rnd): _fuzz_json_value(rnd, depth + 1) for _ in range(rnd.randrange(5))}


def fuzz_metadata_text(rnd: random.Random) -> str:
    """Like the metadata JSON strategy: any text, a JSON value (an object of strings a
    third of the time), or deep nesting."""
    branch = rnd.randrange(4)
    if branch == 0:
        return fuzz_text(rnd)
    if branch == 1:
        return json.dumps(_fuzz_json_value(rnd))
    if branch == 2:
        return json.dumps({fuzz_text(rnd): fuzz_text(rnd) for _ in range(rnd.randrange(5))})
    return _deep(rnd.choice((1, 2, 30, 999, 1_000, 5_000, 100_000)), rnd.choice(("list", "map")))


@cases(300)
@given(text=st.one_of(texts, st.builds(json.dumps, _json_values()),
                      st.builds(_deep, DEPTHS, st.sampled_from(["list", "map"]))), rnd=seeds)
def test_metadata_json_any_text(text: str, rnd: random.Random) -> None:
    _check_metadata_json(text)
    for _ in range(FUZZ_PER_EXAMPLE - 1):
        more = fuzz_metadata_text(rnd)
        note(f"seeded input: {more!r:.300}")
        _check_metadata_json(more)


def _check_metadata_json(text: str) -> None:
    count_case("metadata JSON")
    try:
        parsed = parse_metadata_json(text)
    except MetadataParseError as exc:
        assert str(exc).strip()
        return
    assert all(isinstance(k, str) and isinstance(v, str) for k, v in parsed)


# -- the profile form ----------------------------------------------------------------------


PROFILE_FIELDS = {"name", "region", "endpoint_url", "user_pool_id"}


@cases(700)
@given(name=texts, region=texts, endpoint=st.none() | texts, pool=st.none() | texts,
       has_secret=st.booleans())
def test_profile_form_any_values(
    tmp_path: Path, name: str, region: str, endpoint: str | None, pool: str | None,
    has_secret: bool,
) -> None:
    count_case("profile form")
    profile = Profile(name=name, region=region, endpoint_url=endpoint, user_pool_id=pool,
                      has_secret=has_secret)
    problems = validate_profile(profile)
    for p in problems:
        assert p.field in PROFILE_FIELDS and p.message.strip(), p
    repo = ProfileRepository(tmp_path / "form-profiles.json")
    try:
        repo.save(profile)
    except ProfileValidationError as exc:
        assert exc.problems and all(p.field in PROFILE_FIELDS for p in exc.problems)
        return
    except ValueError as exc:  # a duplicate or reserved name: said in words
        assert str(exc).strip()
        return
    assert not problems
    assert repo.get(name) is not None
    repo.remove(name)


# -- the profiles file ---------------------------------------------------------------------


profile_items = st.fixed_dictionaries(
    {},
    optional={
        "name": _json_values(3), "region": _json_values(3), "endpoint_url": _json_values(3),
        "user_pool_id": _json_values(3), "has_secret": _json_values(3),
        "presets": _json_values(6),
    },
)
profile_files = st.one_of(
    st.binary(max_size=300),
    st.builds(lambda v: json.dumps(v).encode(), _json_values()),
    st.builds(
        lambda version, items: json.dumps({"version": version, "profiles": items}).encode(),
        st.sampled_from([1, 1, 1, 0, 2, "1", None, 1.0]),
        st.lists(profile_items, max_size=4) | _json_values(4),
    ),
    st.builds(lambda d, k: _deep(d, k).encode(), DEPTHS,
              st.sampled_from(["list", "map"])),
    st.builds(lambda b: b'{"version": 1, "profiles": [{"name": "' + b + b'"}]}',
              st.binary(max_size=20)),
)


@cases(500)  # file I/O per case (write, read, move aside): the dearest surface
@given(content=profile_files)
def test_profiles_file_any_content(tmp_path: Path, content: bytes) -> None:
    count_case("profiles file")
    path = tmp_path / "profiles.json"
    for old in tmp_path.glob("profiles.json*"):
        old.unlink()
    path.write_bytes(content)
    repo = ProfileRepository(path)
    try:
        profiles = repo.list()
    except ProfileFileError as exc:
        assert str(exc).strip()
        # Never silently dropped: the original bytes are kept next to it.
        assert exc.moved_to is not None and exc.moved_to.read_bytes() == content
        assert not path.exists()
        return
    for p in profiles:
        assert validate_profile(p) == [] or p.builtin


# -- the batch import ----------------------------------------------------------------------


csv_cells = st.one_of(small_texts, st.just(""), st.just('"'))
csv_files = st.one_of(
    st.binary(max_size=400),
    st.builds(
        lambda header, rows, sep, bom: (bom + sep.join(header) + "\n" + "\n".join(
            sep.join(r) for r in rows)).encode("utf-8", "surrogatepass"),
        st.lists(st.sampled_from(["username", "metadata", "metadata.flow", "x", "", "USERNAME",
                                  "username "]), min_size=1, max_size=4),
        st.lists(st.lists(csv_cells, max_size=4), max_size=6),
        st.sampled_from([",", ";", "\t", "|"]),
        st.sampled_from(["", "\ufeff"]),
    ),
    st.builds(lambda names: "\n".join(names).encode(), st.lists(small_texts, max_size=8)),
    st.builds(lambda t, n: (t * n).encode(), st.sampled_from(["x", "é,", '"', "\r"]),
              st.sampled_from([HUGE, HUGE + 1, 2 * HUGE])),
    st.builds(lambda b: b"username\nalice\n" + b + b"\nbob\n", st.binary(min_size=1, max_size=40)),
)


@cases(1_000)
@given(content=csv_files, as_lines=st.booleans(), rnd=seeds)
def test_batch_import_any_bytes(content: bytes, as_lines: bool, rnd: random.Random) -> None:
    _check_batch_import(content, as_lines)
    for _ in range(FUZZ_PER_EXAMPLE):
        more = fuzz_csv(rnd)
        note(f"seeded input: {more!r:.300}")
        _check_batch_import(more, rnd.random() < 0.5)


def _check_batch_import(content: bytes, as_lines: bool) -> None:
    count_case("batch import")
    source = io.BytesIO(content) if as_lines else [content]
    last_line = 0
    for item in read_batch(source):
        assert isinstance(item, BatchRow | BatchRowError)
        assert item.line >= 1
        if isinstance(item, BatchRowError):
            assert item.reason.strip() and str(item).startswith(f"line {item.line}:")
        else:
            assert item.username.strip() and item.line >= last_line
            last_line = item.line


# -- the CLI -------------------------------------------------------------------------------


FLAG_NAMES = ("--username", "--metadata", "--metadata-json", "--analytics-endpoint-id",
              "--ip", "--encoded-data", "--timeout", "--profile", "--limit", "--format",
              "--concurrency", "--rate", "--file", "--port", "--resend-limit", "--region",
              "--client-id", "--endpoint-url", "--user-pool-id", "NAME", "the profile's")


def _run_cli(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = cli_main(argv)
        except SystemExit as exc:  # argparse's own refusals
            code = exc.code if isinstance(exc.code, int) else 1
    return code, out.getvalue(), err.getvalue()


def _whole_number_in(text: str, low: int, high: int) -> bool:
    """What the CLI's own argument types accept (int() takes " 1 ", "1_0", "١")."""
    try:
        return low <= int(text) <= high
    except ValueError:
        return False


def _sandbox_would_start(port: str, resend_limit: str) -> bool:
    return _whole_number_in(port, 0, 65535) and _whole_number_in(resend_limit, 1, 10_000)


class _ServerStartError(AssertionError):
    pass


@contextlib.contextmanager
def _no_servers() -> Iterator[list[object]]:
    """Refuse every socket bind while a CLI case runs: a generated command that would
    start a server fails at once (and is shrunk to the smallest such command) instead of
    serving forever. The attempts are returned, so the test asserts there were none even
    if the command swallowed the error."""
    attempts: list[object] = []
    real_bind = socket.socket.bind

    def refuse(self: socket.socket, address: object) -> None:
        attempts.append(address)
        raise _ServerStartError(f"a generated CLI command tried to bind {address!r}")

    socket.socket.bind = refuse  # type: ignore[method-assign,assignment]
    try:
        yield attempts
    finally:
        socket.socket.bind = real_bind  # type: ignore[method-assign]


resend_argvs = st.builds(
    lambda u, md, mj, ip, a, e, t: [
        "resend", "--profile", "No such profile", "--username", u, *sum((["--metadata", m]
        for m in md), []), *(["--metadata-json", mj] if mj is not None else []),
        "--ip", ip, "--analytics-endpoint-id", a, "--encoded-data", e,
        *(["--timeout", t] if t is not None else []),
    ],
    texts, st.lists(texts, max_size=3), st.none() | texts, texts, texts, texts,
    st.none() | texts,
)
other_argvs = st.one_of(
    st.builds(lambda n: ["history", "list", "--limit", n], texts),
    st.builds(lambda f: ["history", "export", "--format", f], texts),
    st.builds(lambda c, r, t: ["batch", "--profile", "Sandbox", "--file", "/nonexistent/x",
                               "--concurrency", c, "--rate", r, "--timeout", t],
              texts, texts, texts),
    # Never a valid sandbox command: that one binds a port and serves until Ctrl+C.
    st.builds(lambda pn: ["sandbox", "--port", pn[0], "--resend-limit", pn[1]],
              st.tuples(texts, texts).filter(lambda pn: not _sandbox_would_start(*pn))),
    st.builds(lambda name, region, cid, url, pool: [
        "profiles", "add", name, "--region", region, "--client-id", cid,
        "--endpoint-url", url, "--user-pool-id", pool], texts, texts, texts, texts, texts),
)


@pytest.fixture
def _no_message_catalogs(monkeypatch: pytest.MonkeyPatch) -> None:
    """argparse looks up a translation for each message of each parser it builds: with
    LANG=C.UTF-8 that is ~12 file-system probes per call (a quarter of a CLI case's cost);
    LANGUAGE=C skips the search. No catalog is installed here, so the text is the same."""
    monkeypatch.setenv("LANGUAGE", "C")


@cases(1_000)
@given(argv=st.one_of(resend_argvs, other_argvs))
@pytest.mark.usefixtures("_no_message_catalogs")
def test_cli_any_arguments_exit_2_naming_the_flag(argv: list[str]) -> None:
    """Every generated command has at least one value that cannot work (no such profile,
    an unreadable file, ...), so each must end in exit 2 with the flag named -- never a
    traceback, never a call."""
    assume(not any(a in ("-h", "--help", "--version") for a in argv))
    count_case("CLI arguments")
    with _no_servers() as binds:
        code, out, err = _run_cli(argv)
    assert not binds, (argv, binds, out, err)
    assert "Traceback" not in out + err
    if argv[:2] == ["profiles", "add"] and code == 0:  # pragma: no cover -- would be a bug
        raise AssertionError(f"an all-random profile was accepted: {argv!r}")
    assert code == 2, (argv, code, out, err)
    assert any(flag in err for flag in FLAG_NAMES), (argv, err)


@pytest.mark.parametrize("username", ["", "   ", "x" * HUGE, "\x00" * HUGE], ids=[
    "empty", "blank", "131072-chars", "131072-nulls"])
def test_cli_resend_with_a_huge_or_empty_username_names_username(username: str) -> None:
    code, _out, err = _run_cli(["resend", "--profile", "Sandbox", "--username", username])
    assert code == 2 and "--username" in err and "Traceback" not in err
    assert len(err) < 2_000  # the 131,072 characters are not echoed back


def test_case_counter_is_live() -> None:
    """The summary's count is real: each property test above adds to it as it runs."""
    from tests.reliability.conftest import GENERATED_CASES

    before = sum(GENERATED_CASES.values())
    count_case("self-check")
    assert sum(GENERATED_CASES.values()) == before + 1
    GENERATED_CASES["self-check"] -= 1
    del GENERATED_CASES["self-check"]
    assert os.environ.get("XDG_CONFIG_HOME")
