"""Field validation names the field and the rule; it never raises, whatever was typed."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.core.request import (
    FIELD_LABELS,
    Field,
    FieldError,
    MetadataParseError,
    ResendInput,
    form_errors,
    parse_metadata_assignment,
    parse_metadata_json,
    validate,
)


def _errors(**kw: object) -> tuple[FieldError, ...]:
    values: dict[str, object] = {"client_id": "abc123", "username": "alice", **kw}
    result = validate(ResendInput(**values))  # type: ignore[arg-type]
    assert result.ok is (not result.errors)
    assert (result.request is None) == bool(result.errors)
    return result.errors


def _only(errors: tuple[FieldError, ...], which: Field) -> FieldError:
    assert len(errors) == 1, errors
    assert errors[0].field is which
    assert str(errors[0]).startswith(FIELD_LABELS[which])
    return errors[0]


def test_valid_input_builds_request() -> None:
    assert _errors() == ()


@pytest.mark.parametrize("length", [129, 131_072])
def test_too_long_username(length: str) -> None:
    e = _only(_errors(username="a" * int(length)), Field.USERNAME)
    assert f"{int(length):,} characters" in e.message and "at most 128" in e.message


def test_username_at_limit_is_fine() -> None:
    assert _errors(username="a" * 128) == ()


@pytest.mark.parametrize(
    ("username", "named"),
    [("a b", "space"), ("a\tb", "tab (u+0009)"), ("a\x00b", "null character (u+0000)"),
     ("a\nb", "line break (u+000a)"), ("a\u00a0b", "no-break space"),
     ("a\u200bb", "zero width space")],
)  # fmt: skip
def test_username_with_white_space_or_controls(username: str, named: str) -> None:
    e = _only(_errors(username=username), Field.USERNAME)
    assert named in e.message.lower()
    assert "no spaces or control characters" in e.message


def test_username_surrounding_white_space_is_trimmed() -> None:
    result = validate(ResendInput(" abc123\n", "\talice \n"))
    assert result.request is not None
    assert (result.request.client_id, result.request.username) == ("abc123", "alice")


@pytest.mark.parametrize("username", ["", "   ", "\n"])
def test_empty_username(username: str) -> None:
    e = _only(_errors(username=username), Field.USERNAME)
    assert e.message == "is required"


@pytest.mark.parametrize("client_id", ["abc-123", "abc.def", "ünï", "a=b", "a b"])
def test_bad_client_id_chars(client_id: str) -> None:
    e = _only(_errors(client_id=client_id), Field.CLIENT_ID)
    assert "letters, digits, '_' and '+'" in e.message


def test_client_id_lengths() -> None:
    assert _only(_errors(client_id=""), Field.CLIENT_ID).message == "is required"
    assert "at most 128" in _only(_errors(client_id="a" * 129), Field.CLIENT_ID).message


def test_metadata_duplicate_key_names_both_rows() -> None:
    e = _only(_errors(client_metadata=(("k", "1"), ("x", "2"), ("k", "3"))), Field.CLIENT_METADATA)
    assert e.row == 2
    assert "repeats row 1" in e.message and "unique" in e.message
    assert str(e).startswith("Client metadata (row 3)")


def test_metadata_empty_key_with_value() -> None:
    e = _only(_errors(client_metadata=(("", "v"),)), Field.CLIENT_METADATA)
    assert e.row == 0 and "key is empty" in e.message


def test_metadata_blank_rows_are_ignored() -> None:
    result = validate(ResendInput("abc", "alice", (("", ""), ("k", "v"), ("", ""))))
    assert result.request is not None
    assert dict(result.request.client_metadata) == {"k": "v"}


def test_metadata_value_too_long() -> None:
    e = _only(_errors(client_metadata=(("k", "v" * 131_073),)), Field.CLIENT_METADATA)
    assert "value is 131,073 characters long" in e.message and "131,072" in e.message
    assert _errors(client_metadata=(("k", "v" * 131_072),)) == ()


def test_metadata_key_too_long() -> None:
    e = _only(_errors(client_metadata=(("k" * 131_073, "v"),)), Field.CLIENT_METADATA)
    assert e.message.startswith("key is 131,073")


@pytest.mark.parametrize("ip", ["1.2.3", "256.1.1.1", "localhost", " 1.2.3.4", "1.2.3.4/24",
                                "١.١.١.١"])  # fmt: skip
def test_invalid_ip(ip: str) -> None:
    e = _only(_errors(ip_address=ip), Field.IP_ADDRESS)
    assert "IPv4 or IPv6" in e.message


@pytest.mark.parametrize("ip", ["203.0.113.7", "::1", "2001:db8::1", ""])
def test_valid_ip(ip: str) -> None:
    assert _errors(ip_address=ip) == ()


def test_overlong_analytics_id_and_encoded_data() -> None:
    e = _only(_errors(analytics_endpoint_id="x" * 131_073), Field.ANALYTICS_ENDPOINT_ID)
    assert "131,072" in e.message
    e = _only(_errors(encoded_data="x" * 131_073), Field.ENCODED_DATA)
    assert "131,072" in e.message


def test_all_problems_reported_at_once() -> None:
    errors = _errors(client_id="", username="a b", ip_address="nope",
                     client_metadata=(("", "v"),))  # fmt: skip
    assert {e.field for e in errors} == {
        Field.CLIENT_ID, Field.USERNAME, Field.IP_ADDRESS, Field.CLIENT_METADATA,
    }  # fmt: skip


def test_form_errors_skip_client_id() -> None:
    assert form_errors(ResendInput("", "alice")) == ()
    errors = form_errors(ResendInput("bad id!", "a b"))
    assert [e.field for e in errors] == [Field.USERNAME]


# --- property tests ---------------------------------------------------------------------

_wild_char = st.characters(exclude_categories=["Cs"]) | st.sampled_from(
    ["\x00", "\n", "\r", "\t", " ", "\u2028", "\ufeff", "\x7f", "="]
)
wild_text = st.text(_wild_char, max_size=40) | st.builds(
    lambda c, n: c * n, st.sampled_from(["a", " ", "é", "\x00"]), st.integers(120, 140_000)
)
wild_inputs = st.builds(
    ResendInput,
    client_id=wild_text,
    username=wild_text,
    client_metadata=st.lists(st.tuples(wild_text, wild_text), max_size=4).map(tuple),
    analytics_endpoint_id=wild_text,
    ip_address=wild_text,
    encoded_data=wild_text,
)


@settings(max_examples=200, deadline=None)
@given(wild_inputs)
def test_validate_never_raises_and_errors_name_their_field(raw: ResendInput) -> None:
    result = validate(raw)
    assert result.ok == (not result.errors)
    for error in result.errors:
        text = str(error)
        assert text.startswith(FIELD_LABELS[error.field])
        # Never echo a huge value back into a message.
        assert len(text) < 400
    if result.request is not None:
        params = result.request.to_api_params()
        assert 1 <= len(str(params["Username"])) <= 128
    assert all(e.field is not Field.CLIENT_ID for e in form_errors(raw))


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=60) | st.from_type(str))
def test_parse_metadata_json_raises_only_its_error(text: str) -> None:
    try:
        pairs = parse_metadata_json(text)
    except MetadataParseError as exc:
        assert str(exc)
    else:
        assert all(isinstance(k, str) and isinstance(v, str) for k, v in pairs)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=10),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner,
                                                                max_size=3),
    max_leaves=10,
)  # fmt: skip


@settings(max_examples=150, deadline=None)
@given(json_values)
def test_parse_metadata_json_on_any_json(value: object) -> None:
    text = json.dumps(value)
    is_string_map = isinstance(value, dict) and all(isinstance(v, str) for v in value.values())
    if is_string_map:
        assert isinstance(value, dict)
        assert parse_metadata_json(text) == list(value.items())
    else:
        with pytest.raises(MetadataParseError):
            parse_metadata_json(text)


@pytest.mark.parametrize(
    "text",
    ["[" * 100_000, "{\"a\":" * 100_000, '{"a": ' + "[" * 100_000 + "]" * 100_000 + "}",
     "1" * 5_000, '{"a": ' + "9" * 5_000 + "}", '{"a": 1e999}', "", "   ", "null", "[]",
     '"text"', '{"a": 1}', '{"a": null}', '{"a": {"b": "c"}}', '{"a": ["b"]}', "{'a': 'b'}",
     '{"a": "b"} trailing', "\x00", "NaN"],
    ids=lambda t: t[:20],
)  # fmt: skip
def test_parse_metadata_json_hostile_inputs(text: str) -> None:
    with pytest.raises(MetadataParseError) as info:
        parse_metadata_json(text)
    assert len(str(info.value)) < 300


def test_parse_metadata_json_accepts_strings_in_order() -> None:
    assert parse_metadata_json('{"b": "1", "a": "", "ü": "✓"}') == [
        ("b", "1"), ("a", ""), ("ü", "✓"),
    ]  # fmt: skip


def test_parse_metadata_assignment() -> None:
    assert parse_metadata_assignment("k=v=w") == ("k", "v=w")
    assert parse_metadata_assignment("k=") == ("k", "")
    with pytest.raises(MetadataParseError):
        parse_metadata_assignment("novalue")
