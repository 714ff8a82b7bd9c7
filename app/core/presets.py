"""ClientMetadata presets of a profile: pick, save (new or edited), rename, remove."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import Final

from app.core.profile import MetadataPreset, Profile

PRESET_NAME_MAX: Final = 64
# Shown once, when a developer first saves a preset: presets tempt people to store tokens.
NOT_ENCRYPTED_WARNING: Final = (
    "Cognito passes ClientMetadata to your Lambda triggers as plain text: it does not "
    "store, validate or encrypt it. Presets are saved unencrypted in the profile file too. "
    "Do not put passwords, tokens or personal data in them."
)


def _key(name: str) -> str:
    # Same rule as profile names: case-insensitive, surrounding spaces ignored.
    return name.strip().casefold()


def find_preset(profile: Profile, name: str) -> MetadataPreset | None:
    key = _key(name)
    return next((p for p in profile.presets if _key(p.name) == key), None)


def preset_name_problem(profile: Profile, name: str, *, replacing: str | None = None) -> str | None:
    """Why `name` cannot be saved on `profile` (None when it can)."""
    stripped = name.strip()
    if not stripped:
        return "a preset needs a name"
    if len(stripped) > PRESET_NAME_MAX:
        return f"a preset name may have at most {PRESET_NAME_MAX} characters"
    clash = find_preset(profile, stripped)
    if clash is not None and (replacing is None or _key(replacing) != _key(clash.name)):
        return f"this profile already has a preset named {clash.name!r}"
    return None


def save_preset(
    profile: Profile,
    name: str,
    pairs: Iterable[tuple[str, str]],
    *,
    replacing: str | None = None,
) -> Profile:
    """`profile` with the preset added, or with `replacing` edited in place (its position kept).

    ValueError (the message from `preset_name_problem`) when the name is unusable. Rows with
    an empty key are dropped, as the resend form drops them.
    """
    problem = preset_name_problem(profile, name, replacing=replacing)
    if problem is not None:
        raise ValueError(problem)
    preset = MetadataPreset(name.strip(), tuple((k, v) for k, v in pairs if k))
    presets = list(profile.presets)
    old = find_preset(profile, replacing) if replacing is not None else None
    if old is None:
        presets.append(preset)
    else:
        presets[presets.index(old)] = preset
    return replace(profile, presets=tuple(presets))


def remove_preset(profile: Profile, name: str) -> Profile:
    """`profile` without the preset called `name` (unchanged when there is none)."""
    key = _key(name)
    return replace(profile, presets=tuple(p for p in profile.presets if _key(p.name) != key))


def metadata_from(
    preset: MetadataPreset | None, overrides: Sequence[tuple[str, str]] = ()
) -> dict[str, str]:
    """The ClientMetadata a pick sends: the preset's pairs, then the overrides (which win)."""
    merged: dict[str, str] = dict(preset.pairs) if preset is not None else {}
    merged.update(dict(overrides))
    return merged


def preset_names(presets: Iterable[MetadataPreset]) -> list[str]:
    return [p.name for p in presets]

