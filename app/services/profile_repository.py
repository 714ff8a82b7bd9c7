"""Saved profiles (non-secret fields only) in a JSON file in the platform config folder.

File format: ``{"version": 1, "profiles": [{"name", "region", "endpoint_url",
"user_pool_id", "has_secret", "presets": [{"name", "pairs": [[k, v], ...]}],
"aws_profile"}]}`` (aws_profile, when set: the AWS CLI profile for the admin calls).
Client IDs and secrets are never in it: they live in the keyring (SecretStore).
The built-in Sandbox profile is not stored either; the UI adds it.

Every call re-reads the file, so a CLI and the GUI editing profiles at the same time see
each other's changes; writes are atomic (temp file, fsync, os.replace).
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from app.core.profile import (
    SANDBOX_PROFILE_NAME,
    MetadataPreset,
    Profile,
    ProfileProblem,
    validate_profile,
)

log = logging.getLogger(__name__)

FILE_VERSION = 1


class ProfileFileError(Exception):
    """The profiles file could not be read. str() says why and where the original went.

    `moved_to` is where the unreadable file was kept (None if it could not be moved;
    the repository then refuses to write, so the file is never overwritten).
    """

    def __init__(self, message: str, *, path: Path, moved_to: Path | None) -> None:
        super().__init__(message)
        self.path = path
        self.moved_to = moved_to


class ProfileValidationError(ValueError):
    """A profile that cannot be saved; `problems` name each field and what is allowed."""

    def __init__(self, name: str, problems: tuple[ProfileProblem, ...]) -> None:
        listed = "; ".join(str(p) for p in problems)
        super().__init__(f"Profile {name.strip()!r} cannot be saved: {listed}")
        self.problems = problems


class _CorruptFileError(Exception):
    """Internal: the file's content is not a valid profiles file (message says why)."""


def _key(name: str) -> str:
    return name.strip().casefold()


# The class defines a method named `list`; annotations inside it use this alias.
_Profiles = list[Profile]


class ProfileRepository:
    """Lists, adds, replaces and removes profiles in one JSON file. Thread-safe."""

    def __init__(self, path: Path) -> None:
        self._path = path
        self._lock = threading.RLock()
        self.last_error: ProfileFileError | None = None

    @property
    def path(self) -> Path:
        return self._path

    # ------------------------------------------------------------------ API
    def list(self) -> _Profiles:
        """All stored profiles in file order.

        Raises ProfileFileError once when the file turns out corrupt or unreadable: the
        original is then moved aside and later calls see an empty repository.
        """
        with self._lock:
            return self._read()

    def get(self, name: str) -> Profile | None:
        """The profile with this name (case-insensitive), or None."""
        key = _key(name)
        return next((p for p in self.list() if _key(p.name) == key), None)

    def save(self, profile: Profile, *, replacing: str | None = None) -> None:
        """Add `profile`, or replace the stored one with the same name (case-insensitive).

        `replacing` renames: the profile stored under that name is replaced in place, in
        the same atomic write. Raises ProfileValidationError (a ValueError) listing
        every problem, including a name another profile already has.
        """
        problems = list(validate_profile(profile))
        if profile.builtin or _key(profile.name) == _key(SANDBOX_PROFILE_NAME):
            problems.append(
                ProfileProblem("name", f"'{SANDBOX_PROFILE_NAME}' is the built-in profile's name")
            )
        problems.extend(_preset_problems(profile))
        with self._lock:
            profiles = self._read()
            target = _key(replacing if replacing is not None else profile.name)
            index = next((i for i, p in enumerate(profiles) if _key(p.name) == target), None)
            if replacing is not None and index is None:
                problems.append(ProfileProblem("name", f"no saved profile is named {replacing!r}"))
            clash = any(
                _key(p.name) == _key(profile.name) and i != index for i, p in enumerate(profiles)
            )
            if clash:
                problems.append(
                    ProfileProblem(
                        "name",
                        "another profile already has this name (names "
                        "are compared ignoring upper/lower case)",
                    )
                )
            if problems:
                raise ProfileValidationError(profile.name, tuple(problems))
            stored = _normalised(profile)
            if index is None:
                profiles.append(stored)
            else:
                profiles[index] = stored
            self._write(profiles)

    def remove(self, name: str) -> bool:
        """Remove the profile with this name (case-insensitive); False if there was none."""
        with self._lock:
            profiles = self._read()
            kept = [p for p in profiles if _key(p.name) != _key(name)]
            if len(kept) == len(profiles):
                return False
            self._write(kept)
            return True

    # ------------------------------------------------------------------ file
    def _read(self) -> _Profiles:
        try:
            raw = self._path.read_bytes()
        except FileNotFoundError:
            return []
        except OSError as exc:
            raise self._set_aside(f"it could not be read ({exc.strerror or exc})") from exc
        try:
            return _parse(raw)
        except _CorruptFileError as exc:
            raise self._set_aside(str(exc)) from None

    def _set_aside(self, why: str) -> ProfileFileError:
        """Move the bad file to profiles.json.corrupt-<UTC time> and describe what happened."""
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        base = self._path.with_name(f"{self._path.name}.corrupt-{stamp}")
        moved_to: Path | None = base
        n = 1
        while moved_to is not None and moved_to.exists():  # never overwrite an earlier one
            moved_to = base.with_name(f"{base.name}-{n}")
            n += 1
        try:
            assert moved_to is not None
            os.replace(self._path, moved_to)
        except OSError as exc:
            log.error("could not move the unreadable profiles file aside: %s", exc)
            moved_to = None
        if moved_to is not None:
            message = (
                f"The saved profiles in {self._path} could not be used: {why}. The file was "
                f"kept as {moved_to.name} and Cognito Resend starts with no saved profiles; "
                "add them again, or repair that file and rename it back to "
                f"{self._path.name} while the app is closed."
            )
        else:
            message = (
                f"The saved profiles in {self._path} could not be used: {why}. It could not "
                "be moved aside either, so profiles cannot be saved until that file is "
                "repaired, moved or removed."
            )
        log.warning("%s", message)
        err = ProfileFileError(message, path=self._path, moved_to=moved_to)
        self.last_error = err
        return err

    def _write(self, profiles: _Profiles) -> None:
        data = {"version": FILE_VERSION, "profiles": [profile_to_json(p) for p in profiles]}
        text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
        self._path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(
            prefix=f".{self._path.name}.", suffix=".tmp", dir=self._path.parent
        )
        tmp = Path(tmp_name)
        try:
            with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
                f.write(text)
                f.flush()
                os.fsync(f.fileno())
            # A crash before this leaves the old file whole; after it, the new one.
            os.replace(tmp, self._path)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        _fsync_dir(self._path.parent)


def _fsync_dir(directory: Path) -> None:
    # Makes the rename itself durable on POSIX; directories cannot be opened on Windows.
    if os.name != "posix":
        return
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _normalised(profile: Profile) -> Profile:
    return Profile(
        name=profile.name.strip(),
        region=profile.region.strip(),
        endpoint_url=profile.endpoint_url or None,
        user_pool_id=profile.user_pool_id or None,
        has_secret=profile.has_secret,
        presets=profile.presets,
        aws_profile=profile.aws_profile or None,
    )


def _preset_problems(profile: Profile) -> list[ProfileProblem]:
    problems: list[ProfileProblem] = []
    seen: set[str] = set()
    for preset in profile.presets:
        if not preset.name.strip():
            problems.append(ProfileProblem("presets", "every metadata preset needs a name"))
        elif _key(preset.name) in seen:
            problems.append(
                ProfileProblem("presets", f"two metadata presets are named {preset.name!r}")
            )
        seen.add(_key(preset.name))
    return problems


def profile_to_json(p: Profile) -> dict[str, object]:
    """A profile as the profiles file stores it (non-secret fields only)."""
    data: dict[str, object] = {
        "name": p.name,
        "region": p.region,
        "endpoint_url": p.endpoint_url,
        "user_pool_id": p.user_pool_id,
        "has_secret": p.has_secret,
        "presets": [{"name": ps.name, "pairs": [[k, v] for k, v in ps.pairs]} for ps in p.presets],
    }
    if p.aws_profile:  # only when set: files without one stay as older versions wrote them
        data["aws_profile"] = p.aws_profile
    return data


class ProfileRecordError(ValueError):
    """One profile record (in the profiles file or an export file) that is not valid."""


def profile_from_record(item: object, where: str) -> Profile:
    """A profile record as the profiles file stores it; ProfileRecordError says what is wrong."""
    try:
        profile = _profile_from_json(item, where)
    except _CorruptFileError as exc:
        raise ProfileRecordError(str(exc)) from None
    problems = validate_profile(profile)
    if problems:
        listed = "; ".join(str(p) for p in problems)
        raise ProfileRecordError(f"{where} ({profile.name!r}) is not valid: {listed}")
    return profile


def _parse(raw: bytes) -> list[Profile]:
    try:
        data: Any = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise _CorruptFileError("it is not UTF-8 text") from None
    except json.JSONDecodeError as exc:
        raise _CorruptFileError(
            f"it is not valid JSON (line {exc.lineno}, column {exc.colno})"
        ) from None
    except RecursionError:
        # json recurses per nesting level: a few thousand "[" exhaust the stack.
        raise _CorruptFileError("it is nested too deeply to be a profiles file") from None
    except ValueError:
        # Python refuses integers of more than 4,300 digits with a plain ValueError.
        raise _CorruptFileError("it holds a number too long to read") from None
    if not isinstance(data, dict):
        raise _CorruptFileError("it should hold a JSON object with 'version' and 'profiles'")
    version = data.get("version")
    if version != FILE_VERSION or isinstance(version, bool):
        raise _CorruptFileError(
            f"its version is {version!r}; this version of Cognito Resend reads version "
            f"{FILE_VERSION}"
        )
    items = data.get("profiles")
    if not isinstance(items, list):
        raise _CorruptFileError("'profiles' should be a list")
    profiles: list[Profile] = []
    seen: set[str] = set()
    for i, item in enumerate(items):
        profile = _profile_from_json(item, f"profile {i + 1}")
        problems = validate_profile(profile)
        if problems:
            listed = "; ".join(str(p) for p in problems)
            raise _CorruptFileError(f"profile {i + 1} ({profile.name!r}) is not valid: {listed}")
        if _key(profile.name) in seen or _key(profile.name) == _key(SANDBOX_PROFILE_NAME):
            raise _CorruptFileError(f"the name {profile.name!r} is used twice or is reserved")
        seen.add(_key(profile.name))
        profiles.append(profile)
    return profiles


def _profile_from_json(item: object, where: str) -> Profile:
    if not isinstance(item, dict):
        raise _CorruptFileError(f"{where} should be an object")
    name = _typed(item, "name", str, where, required=True)
    region = _typed(item, "region", str, where, required=True)
    endpoint_url = _typed(item, "endpoint_url", str, where)
    user_pool_id = _typed(item, "user_pool_id", str, where)
    has_secret = item.get("has_secret", False)
    if not isinstance(has_secret, bool):
        raise _CorruptFileError(f"{where}: 'has_secret' should be true or false")
    raw_presets = item.get("presets", [])
    if not isinstance(raw_presets, list):
        raise _CorruptFileError(f"{where}: 'presets' should be a list")
    presets: list[MetadataPreset] = []
    for j, ps in enumerate(raw_presets):
        pw = f"{where}, preset {j + 1}"
        if not isinstance(ps, dict):
            raise _CorruptFileError(f"{pw} should be an object")
        ps_name = _typed(ps, "name", str, pw, required=True)
        pairs = ps.get("pairs", [])
        if not isinstance(pairs, list) or not all(
            isinstance(pair, list) and len(pair) == 2 and all(isinstance(x, str) for x in pair)
            for pair in pairs
        ):
            raise _CorruptFileError(f"{pw}: 'pairs' should be a list of [key, value] strings")
        presets.append(MetadataPreset(str(ps_name), tuple((k, v) for k, v in pairs)))
    # Keys other than the seven here (a newer minor writer, a hand edit) are ignored and
    # dropped on the next write -- including anything secret someone typed in by hand.
    return Profile(
        name=str(name),
        region=str(region),
        endpoint_url=endpoint_url or None,
        user_pool_id=user_pool_id or None,
        has_secret=has_secret,
        presets=tuple(presets),
        aws_profile=_typed(item, "aws_profile", str, where) or None,
    )


def _typed(
    d: dict[str, Any], key: str, kind: type[str], where: str, *, required: bool = False
) -> str | None:
    value = d.get(key)
    if value is None:
        if required:
            raise _CorruptFileError(f"{where} has no '{key}'")
        return None
    if not isinstance(value, kind):
        raise _CorruptFileError(f"{where}: '{key}' should be text, not {type(value).__name__}")
    return value
