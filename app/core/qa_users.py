"""Test users for sign-up runs: a unique username and an address that never bounces."""

from __future__ import annotations

import random
import secrets
from datetime import datetime

# Amazon SES's mailbox simulator accepts mail to this address and reports a delivery,
# so a QA run against a real pool neither bounces nor harms the account's reputation
# (SES developer guide, "Using the mailbox simulator"); the "+label" part is kept.
SES_SUCCESS_MAILBOX = "success@simulator.amazonses.com"
# Any address will do on the sandbox: it sends nothing.
SANDBOX_DOMAIN = "example.com"


def qa_username(now: datetime, *, prefix: str = "qa", rng: random.Random | None = None) -> str:
    """e.g. qa-20261201-130501-4f2a: sortable by time, unique across parallel runs."""
    chooser = rng or secrets.SystemRandom()
    tag = "".join(chooser.choice("0123456789abcdef") for _ in range(4))
    return f"{prefix}-{now:%Y%m%d-%H%M%S}-{tag}"


def qa_email(username: str, *, sandbox: bool) -> str:
    """The email attribute for a test user: on a real pool the SES simulator's success
    mailbox with the username as its label, on the sandbox any example address."""
    if sandbox:
        return f"{username}@{SANDBOX_DOMAIN}"
    local, _, domain = SES_SUCCESS_MAILBOX.partition("@")
    return f"{local}+{username}@{domain}"
