"""Field limits of ResendConfirmationCode, as botocore's service model states them.

A unit test reads botocore's model and fails when these drift from it.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass


@dataclass(frozen=True)
class StringLimit:
    """Length bounds and a pattern description of one string field."""

    min_len: int
    max_len: int
    pattern: str | None = None  # the model's regex, for display and for the drift test


CLIENT_ID = StringLimit(1, 128, r"[\w+]+")
USERNAME = StringLimit(1, 128, r"[\p{L}\p{M}\p{S}\p{N}\p{P}]+")
SECRET_HASH = StringLimit(1, 128, r"[\w+=/]+")
# IpAddress, EncodedData, AnalyticsEndpointId, ClientMetadata keys and values share StringType.
STRING = StringLimit(0, 131072)

_CLIENT_ID_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_+")
# Unicode general categories the Username pattern allows: letters, marks, symbols,
# numbers, punctuation. Spaces (Z*) and controls (C*) are not among them.
_USERNAME_CATEGORIES = frozenset("LMSNP")


def client_id_chars_ok(value: str) -> bool:
    """True when every character matches the model's `[\\w+]` (Java's ASCII \\w)."""
    return all(ch in _CLIENT_ID_CHARS for ch in value)


def username_bad_chars(value: str) -> list[str]:
    """The distinct characters the Username pattern refuses, in order of appearance."""
    bad: list[str] = []
    for ch in value:
        if unicodedata.category(ch)[0] not in _USERNAME_CATEGORIES and ch not in bad:
            bad.append(ch)
    return bad


# Control characters have no Unicode name; these are the ones a paste brings in.
_CONTROL_NAMES = {
    "\t": "tab",
    "\n": "line break",
    "\r": "carriage return",
    "\x00": "null character",
    "\x7f": "delete character",
}


def describe_char(ch: str) -> str:
    """A readable name for a character, so a message can point at an invisible one."""
    if ch == " ":
        return "space"
    name = _CONTROL_NAMES.get(ch) or unicodedata.name(ch, "")
    code = f"U+{ord(ch):04X}"
    return f"{name.lower()} ({code})" if name else code
