"""Metadata presets of a profile: save, edit in place, rename, remove, pick."""

from __future__ import annotations

import pytest

from app.core.presets import (
    NOT_ENCRYPTED_WARNING,
    PRESET_NAME_MAX,
    find_preset,
    metadata_from,
    preset_name_problem,
    preset_names,
    remove_preset,
    save_preset,
)
from app.core.profile import MetadataPreset, Profile

BASE = Profile(
    name="QA",
    region="eu-west-1",
    presets=(MetadataPreset("checkout", (("flow", "checkout"),)), MetadataPreset("b", ())),
)


def test_save_adds_at_the_end_and_drops_empty_keys() -> None:
    saved = save_preset(BASE, "  locale de ", [("locale", "de"), ("", "ignored")])
    assert preset_names(saved.presets) == ["checkout", "b", "locale de"]
    assert saved.presets[-1].pairs == (("locale", "de"),)
    assert BASE.presets == saved.presets[:2], "the original profile is unchanged"


def test_edit_keeps_the_position_and_may_rename_or_change_case() -> None:
    edited = save_preset(BASE, "Checkout v2", [("flow", "v2")], replacing="CHECKOUT")
    assert preset_names(edited.presets) == ["Checkout v2", "b"]
    same = save_preset(BASE, "CheckOut", [], replacing="checkout")
    assert preset_names(same.presets) == ["CheckOut", "b"]


@pytest.mark.parametrize(
    ("name", "replacing", "fragment"),
    [
        ("", None, "needs a name"),
        ("   ", None, "needs a name"),
        ("x" * (PRESET_NAME_MAX + 1), None, "at most"),
        ("Checkout", None, "already has a preset named 'checkout'"),
        ("b", "checkout", "already has a preset named 'b'"),
    ],
)
def test_unusable_names(name: str, replacing: str | None, fragment: str) -> None:
    problem = preset_name_problem(BASE, name, replacing=replacing)
    assert problem is not None and fragment in problem
    with pytest.raises(ValueError, match=fragment):
        save_preset(BASE, name, [], replacing=replacing)


def test_remove_and_find_are_case_insensitive() -> None:
    assert find_preset(BASE, " CHECKOUT ") == BASE.presets[0]
    assert preset_names(remove_preset(BASE, "Checkout").presets) == ["b"]
    assert remove_preset(BASE, "nope") == BASE


def test_metadata_from_a_preset_and_overrides() -> None:
    preset = BASE.presets[0]
    assert metadata_from(preset) == {"flow": "checkout"}
    assert metadata_from(preset, [("flow", "x"), ("n", "1")]) == {"flow": "x", "n": "1"}
    assert metadata_from(None, [("a", "")]) == {"a": ""}


def test_warning_says_cognito_does_not_encrypt() -> None:
    assert "does not" in NOT_ENCRYPTED_WARNING and "encrypt" in NOT_ENCRYPTED_WARNING
