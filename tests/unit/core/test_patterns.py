"""Username and ClientId character rules against oracles built independently of app code."""

from __future__ import annotations

import re
import sys
import unicodedata
from collections.abc import Callable

from hypothesis import given, settings
from hypothesis import strategies as st

from app.core import limits
from app.core.request import Field, validate_client_id, validate_username

try:  # The third-party `regex` module speaks \p{..} like Java; prefer it when present.
    import regex as _regex
except ImportError:  # pragma: no cover - depends on the environment
    _regex = None

# Spelled out as two-letter general categories on purpose: app code tests the first
# letter of the category, this oracle lists the categories themselves.
_ALLOWED_CATEGORIES = frozenset(
    {
        "Lu", "Ll", "Lt", "Lm", "Lo",
        "Mn", "Mc", "Me",
        "Sm", "Sc", "Sk", "So",
        "Nd", "Nl", "No",
        "Pc", "Pd", "Ps", "Pe", "Pi", "Pf", "Po",
    }
)  # fmt: skip


def _username_oracle() -> Callable[[str], bool]:
    if _regex is not None:
        pattern = _regex.compile(limits.USERNAME.pattern or "")
        return lambda s: pattern.fullmatch(s) is not None
    return lambda s: bool(s) and all(unicodedata.category(c) in _ALLOWED_CATEGORIES for c in s)


USERNAME_OK = _username_oracle()
CLIENT_ID_RE = re.compile(r"[A-Za-z0-9_+]+")

# Every code point except lone surrogates; weighted toward the interesting ones.
_chars = st.characters(exclude_categories=["Cs"], max_codepoint=sys.maxunicode)
_tricky = st.sampled_from(
    [" ", "\t", "\n", "\r", "\x00", "\x7f", "\u00a0", "\u2028", "\u200b", "\ufeff", "\u0301",
     "é", "+", "@", ".", "-", "_", "€", "😀", "\U000e0001", "\ufffe", "\U0010ffff"]
)  # fmt: skip
usernames = st.text(_chars | _tricky, min_size=1, max_size=40)


@settings(max_examples=300, deadline=None)
@given(usernames)
def test_username_chars_match_oracle(value: str) -> None:
    assert (limits.username_bad_chars(value) == []) == USERNAME_OK(value)


@settings(max_examples=150, deadline=None)
@given(usernames.filter(lambda s: s == s.strip() and len(s) <= 128))
def test_validate_username_agrees_with_oracle(value: str) -> None:
    errors = validate_username(value)
    assert (errors == []) == USERNAME_OK(value)
    for e in errors:
        assert e.field is Field.USERNAME


def test_username_oracle_sanity() -> None:
    # If the oracle itself were broken, the property test above would prove nothing.
    for good in ["alice", "a.b+c@example.com", "+15555550100", "ünï", "用户", "😀", "e\u0301"]:
        assert USERNAME_OK(good), good
    for bad in ["a b", "a\tb", "a\x00", "a\n", "\u200b", "a\u00a0b", "\ufeff", ""]:
        assert not USERNAME_OK(bad), bad


@settings(max_examples=200, deadline=None)
@given(st.text(st.characters(max_codepoint=0x3000, exclude_categories=["Cs"]) | _tricky,
               max_size=20))
def test_client_id_chars_match_ascii_word(value: str) -> None:
    expected = CLIENT_ID_RE.fullmatch(value) is not None
    assert (bool(value) and limits.client_id_chars_ok(value)) == expected


_ID_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_+"


@settings(max_examples=80, deadline=None)
@given(st.text(st.sampled_from(_ID_CHARS), min_size=1, max_size=128))
def test_valid_client_ids_are_accepted(value: str) -> None:
    assert validate_client_id(value) == []


def test_client_id_refuses_unicode_word_chars() -> None:
    # Python's \w would accept these; the model's Java \w does not.
    for bad in ["é", "١٢٣", "ａｂｃ", "abc-def", "abc def", "abc="]:
        errors = validate_client_id(bad)
        assert errors and errors[0].field is Field.CLIENT_ID, bad
