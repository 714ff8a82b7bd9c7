"""Field limits of ResendConfirmationCode, SignUp and ConfirmSignUp, as botocore's model says.

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
# SignUp and ConfirmSignUp. Password is optional in the model (passwordless pools).
PASSWORD = StringLimit(0, 256, r"[\S]+")
ATTRIBUTE_NAME = StringLimit(1, 32, r"[\p{L}\p{M}\p{S}\p{N}\p{P}\t\n\r ]+")
ATTRIBUTE_VALUE = StringLimit(0, 2048)
CONFIRMATION_CODE = StringLimit(1, 2048, r"[\S]+")
SESSION = StringLimit(20, 4096)

_CLIENT_ID_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_+")
# Unicode general categories the Username pattern allows: letters, marks, symbols,
# numbers, punctuation. Spaces (Z*) and controls (C*) are not among them.
_USERNAME_CATEGORIES = frozenset("LMSNP")


# Java's \s (the model's regex dialect, without UNICODE_CHARACTER_CLASS): ASCII white space
# only, so `[\S]+` refuses these six and accepts a no-break space.
_JAVA_WHITESPACE = frozenset(" \t\n\x0b\f\r")
# The attribute-name pattern adds tab, line break, carriage return and space to the
# Username categories.
_ATTRIBUTE_NAME_EXTRA = frozenset("\t\n\r ")


def client_id_chars_ok(value: str) -> bool:
    """True when every character matches the model's `[\\w+]` (Java's ASCII \\w)."""
    return _CLIENT_ID_CHARS.issuperset(value)


def username_bad_chars(value: str) -> list[str]:
    """The distinct characters the Username pattern refuses, in order of appearance."""
    if value.isascii() and value.isprintable() and " " not in value:
        return []  # U+0021-U+007E: every one a letter, digit, symbol or punctuation
    bad: list[str] = []
    for ch in value:
        if unicodedata.category(ch)[0] not in _USERNAME_CATEGORIES and ch not in bad:
            bad.append(ch)
    return bad


def non_space_bad_chars(value: str) -> list[str]:
    """The distinct characters the model's `[\\S]+` refuses (Java's ASCII white space)."""
    bad: list[str] = []
    for ch in value:
        if ch in _JAVA_WHITESPACE and ch not in bad:
            bad.append(ch)
    return bad


def attribute_name_bad_chars(value: str) -> list[str]:
    """The distinct characters the attribute-name pattern refuses, in order of appearance."""
    bad: list[str] = []
    for ch in value:
        allowed = unicodedata.category(ch)[0] in _USERNAME_CATEGORIES or ch in _ATTRIBUTE_NAME_EXTRA
        if not allowed and ch not in bad:
            bad.append(ch)
    return bad


# Control characters have no Unicode name; these are the ones a paste brings in.
_CONTROL_NAMES = {
    "\t": "tab",
    "\n": "line break",
    "\r": "carriage return",
    "\x00": "null character",
    "\x7f": "delete character",
    "\x0b": "vertical tab",
    "\x0c": "form feed",
}


def describe_char(ch: str) -> str:
    """A readable name for a character, so a message can point at an invisible one."""
    if ch == " ":
        return "space"
    name = _CONTROL_NAMES.get(ch) or unicodedata.name(ch, "")
    code = f"U+{ord(ch):04X}"
    return f"{name.lower()} ({code})" if name else code
