"""Words for people: a count with the noun that fits it."""

from __future__ import annotations


def counted(n: int, singular: str, plural: str | None = None) -> str:
    """'1 user', '2 users', '1,000 rows': a number with the word that fits it."""
    word = singular if n == 1 else (plural or singular + "s")
    return f"{n:,} {word}"
