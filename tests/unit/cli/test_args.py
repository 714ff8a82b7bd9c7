"""The CLI's one range-checked argument type and its one registry of commands."""

from __future__ import annotations

import argparse
import importlib

import pytest

from app.cli.args import bounded, port, seconds, whole_number
from app.cli.registry import COMMANDS, SUBCOMMANDS


@pytest.mark.parametrize(
    ("parse", "text", "message"),
    [
        (seconds, "abc", "'abc' is not a number of seconds"),
        (seconds, "nan", "'nan': must be between 0.1 and 300 seconds"),
        (seconds, "301", "'301': must be between 0.1 and 300 seconds"),
        (port, "70000", "'70000': a port is 0-65535 (0 picks a free one)"),
        (port, "1.5", "'1.5' is not a port number"),
        (whole_number(1, 9), "0", "'0': must be from 1 to 9"),
        (whole_number(1, 9), "x", "'x' is not a whole number"),
    ],
)
def test_refusals_name_what_was_typed(parse: object, text: str, message: str) -> None:
    assert callable(parse)
    with pytest.raises(argparse.ArgumentTypeError, match="^" + message.replace("(", r"\(")
                       .replace(")", r"\)") + "$"):
        parse(text)


def test_an_excluded_low_bound_refuses_the_bound_itself() -> None:
    rate = bounded(float, 0.0, 5.0, low_excluded=True, not_a="a rate", rule="above 0")
    assert rate("0.5") == 0.5 and rate("5") == 5.0
    with pytest.raises(argparse.ArgumentTypeError):
        rate("0")


def test_every_registered_command_module_has_a_parser_and_a_run() -> None:
    assert len(set(SUBCOMMANDS)) == len(COMMANDS)
    for entry in COMMANDS:
        module = importlib.import_module(entry.module)
        assert callable(module.add_parser) and callable(module.run), entry.name
