"""Argument types and the flags several commands share, defined once (standard library only)."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import TypeAlias, TypeVar

from app.services.sandbox_profile import SANDBOX_CLIENT_NAMES

N = TypeVar("N", int, float)
# What each command's `add_parser` receives (a string: argparse's class is private).
SubParsers: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"

# The sandbox's seeded app clients, as --sandbox-client offers them.
SANDBOX_CLIENTS = SANDBOX_CLIENT_NAMES


def bounded(
    convert: Callable[[str], N],
    low: N,
    high: N,
    *,
    not_a: str,
    rule: str,
    low_excluded: bool = False,
) -> Callable[[str], N]:
    """An argparse type: `convert`, then low <= value <= high (low < value when excluded).

    The two messages name what was typed: "'x' is not <not_a>" and "'x': <rule>".
    """

    def parse(text: str) -> N:
        try:
            value = convert(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not {not_a}") from None
        # Written so that NaN fails both comparisons and is refused.
        above_low = low < value if low_excluded else low <= value
        if not (above_low and value <= high):
            raise argparse.ArgumentTypeError(f"{text!r}: {rule}")
        return value

    return parse


def whole_number(low: int, high: int) -> Callable[[str], int]:
    return bounded(int, low, high, not_a="a whole number", rule=f"must be from {low} to {high}")


seconds = bounded(
    float, 0.1, 300.0, not_a="a number of seconds", rule="must be between 0.1 and 300 seconds"
)
port = bounded(
    int, 0, 65535, not_a="a port number", rule="a port is 0-65535 (0 picks a free one)"
)


def add_json_flag(p: argparse.ArgumentParser, help_text: str = "print JSON") -> None:
    p.add_argument("--json", action="store_true", help=help_text)


def add_metadata_flags(p: argparse.ArgumentParser, *, entry_help: str, json_help: str) -> None:
    """--metadata KEY=VALUE (repeatable) and --metadata-json (read by `common.metadata_pairs`)."""
    p.add_argument(
        "--metadata", action="append", default=[], metavar="KEY=VALUE", help=entry_help
    )
    p.add_argument("--metadata-json", metavar="JSON", help=json_help)


def add_sandbox_client_flag(p: argparse.ArgumentParser, help_text: str) -> None:
    p.add_argument("--sandbox-client", choices=SANDBOX_CLIENTS, default="public", help=help_text)


def add_endpoint_url_flag(p: argparse.ArgumentParser, help_text: str) -> None:
    p.add_argument("--endpoint-url", metavar="URL", help=help_text)
