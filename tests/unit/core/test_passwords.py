"""Generated passwords meet Cognito's default policy; the policy check says what is missing."""

from __future__ import annotations

import random

import pytest

from app.core.passwords import (
    COGNITO_SYMBOLS,
    DEFAULT_POLICY,
    PasswordPolicy,
    generate_password,
    policy_problems,
)
from app.core.secrets import Secret
from app.core.signup import validate_password


def test_default_policy_is_cognitos() -> None:
    assert DEFAULT_POLICY == PasswordPolicy(8, True, True, True, True)


@pytest.mark.parametrize("seed", range(200))
def test_generated_passwords_meet_the_policy_and_the_model(seed: int) -> None:
    password = generate_password(rng=random.Random(seed))
    assert isinstance(password, Secret)
    value = password.reveal()
    assert len(value) == 20
    assert policy_problems(value) == []
    assert validate_password(password) == []  # no white space, within 256


def test_short_length_still_meets_the_minimum() -> None:
    value = generate_password(PasswordPolicy(minimum_length=12), length=4).reveal()
    assert len(value) == 12 and policy_problems(value, PasswordPolicy(12)) == []


def test_operating_system_generator_by_default() -> None:
    values = {generate_password().reveal() for _ in range(20)}
    assert len(values) == 20


@pytest.mark.parametrize(
    ("password", "missing"),
    [("Ab1!", ["at least 8 characters"]),
     ("abcdefg1!", ["an upper-case letter"]),
     ("ABCDEFG1!", ["a lower-case letter"]),
     ("Abcdefgh!", ["a number"]),
     ("Abcdefgh1", ["a symbol such as ! # % or -"])],
)  # fmt: skip
def test_policy_problems(password: str, missing: list[str]) -> None:
    assert policy_problems(password) == missing


def test_symbols_are_cognitos_list() -> None:
    # Developer guide, password requirements: these count as special characters.
    assert set("^$*.[]{}()?\"!@#%&/\\,><':;|_~`=+-") == set(COGNITO_SYMBOLS)
    assert " " not in COGNITO_SYMBOLS
