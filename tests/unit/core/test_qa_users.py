"""QA test users: unique, time-sortable usernames and addresses that never bounce."""

from __future__ import annotations

import random
from datetime import UTC, datetime

from app.core.qa_users import qa_email, qa_username
from app.core.request import ResendInput
from app.core.signup import SignUpInput, validate_signup

NOW = datetime(2026, 12, 1, 13, 5, 1, tzinfo=UTC)


def test_usernames_are_unique_and_valid() -> None:
    names = {qa_username(NOW) for _ in range(200)}
    assert len(names) > 190  # 65,536 tags: a rare collision is possible, a pattern is not
    name = qa_username(NOW, rng=random.Random(3))
    assert name.startswith("qa-20261201-130501-") and len(name) == len("qa-20261201-130501-") + 4
    checked = validate_signup(
        SignUpInput(ResendInput("c", name), user_attributes=[("email", qa_email(name,
                                                                             sandbox=False))])
    )  # fmt: skip
    assert checked.request is not None


def test_addresses() -> None:
    assert qa_email("qa-1", sandbox=False) == "success+qa-1@simulator.amazonses.com"
    assert qa_email("qa-1", sandbox=True) == "qa-1@example.com"
