"""The admin reader's pure parts: which ListUsers filters, their escaping, log matching."""

from __future__ import annotations

import json
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from app.core.diagnosis_input import LookupKey
from app.services.admin_reader import _function_name, _mentions, list_users_filter, lookup_keys


def test_lookup_keys_follow_the_identifiers_shape() -> None:
    assert lookup_keys("alice") == (LookupKey.USERNAME,)
    assert lookup_keys("alice@example.com") == (LookupKey.USERNAME, LookupKey.EMAIL)
    assert lookup_keys("+15555550123") == (LookupKey.USERNAME, LookupKey.PHONE)
    sub = "0f8fad5b-d9cb-469f-a165-70867728950e"
    assert lookup_keys(sub) == (LookupKey.USERNAME, LookupKey.SUB)
    assert lookup_keys("12345") == (LookupKey.USERNAME,)  # no + : not a phone number


@settings(derandomize=True, deadline=None)
@given(st.text(max_size=30))
def test_a_filter_value_is_quoted_and_escaped(value: str) -> None:
    flt = list_users_filter(LookupKey.EMAIL, value)
    assert flt.startswith('email = "') and flt.endswith('"')
    inner = flt[len('email = "') : -1]
    # Every quote and backslash is escaped: unescaping gives the value back, and no bare
    # quote is left to end the string early.
    assert re.sub(r"\\(.)", r"\1", inner, flags=re.S) == value
    assert '"' not in re.sub(r"\\.", "", inner, flags=re.S)


def test_a_log_event_names_its_user_as_a_whole_word() -> None:
    event = json.dumps(
        {"message": {"details": "the email to bounce@x.com bounced. username: grace, sub: s-1"}}
    )
    assert _mentions(event, {"grace"})
    assert _mentions(event, {"s-1"})
    assert _mentions(event, {"bounce@x.com"})
    assert not _mentions(event, {"grac"}) and not _mentions(event, {"race"})
    assert not _mentions("user alice2 failed", {"alice"})
    assert _mentions("plain text line for alice.", {"alice"})


def test_the_function_name_of_a_lambda_arn() -> None:
    arn = "arn:aws:lambda:us-east-1:123456789012:function:sandbox-custom-message"
    assert _function_name(arn) == "sandbox-custom-message"
    assert _function_name(arn + ":live") == "sandbox-custom-message"
    assert _function_name("not-an-arn") == "not-an-arn"
