"""Team provisioning: a profiles file with no secrets that an admin hands out, and its import.

An export holds each profile's record (name, region, endpoint, pool, AWS profile, presets)
and its app client ID -- an identifier, not a secret: Cognito's own hosted pages put it in
every URL. The client secret is never written: `needs_secret` says the importer must give
one, and the import puts it straight into the keyring.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from app.core.profile import (
    SANDBOX_PROFILE_NAME,
    ClientCredentials,
    Profile,
    validate_pool_region,
)
from app.core.request import validate_client_id
from app.core.secrets import Secret
from app.services.profile_repository import (
    ProfileRecordError,
    ProfileRepository,
    profile_from_record,
    profile_to_json,
)
from app.services.secret_store import SecretStore, SecretStoreError

log = logging.getLogger(__name__)

EXPORT_FORMAT = "cognito-resend-profiles"
EXPORT_VERSION = 1
# An export is small; a bigger file is not one (and is not read into memory whole).
MAX_EXPORT_BYTES = 1_000_000


class TransferError(Exception):
    """An export or import that could not be done; str() says what and where, no secret."""


@dataclass(frozen=True)
class TransferRecord:
    """One profile as an export carries it: its record, its client ID, whether it needs a secret."""

    profile: Profile
    client_id: str | None
    needs_secret: bool

    @property
    def name(self) -> str:
        return self.profile.name


@dataclass(frozen=True)
class ImportOutcome:
    """What an import did for one profile: stored, or skipped and why."""

    name: str
    stored: bool
    reason: str = ""


# Asked once per profile that needs a secret; None skips that profile.
SecretAsker = Callable[[TransferRecord], Secret | None]


def export_records(
    repo: ProfileRepository, secrets: SecretStore, names: Sequence[str] = ()
) -> list[TransferRecord]:
    """The stored profiles (all, or `names`) with their client IDs from the keyring (blocking)."""
    profiles = repo.list()
    if names:
        wanted = {n.strip().casefold(): n for n in names}
        known = {p.name.casefold() for p in profiles}
        missing = [n for k, n in wanted.items() if k not in known]
        if missing:
            raise TransferError(
                "NAME: there is no saved profile named " + ", ".join(repr(n) for n in missing)
            )
        profiles = [p for p in profiles if p.name.casefold() in wanted]
    records = []
    for p in profiles:
        try:
            client_id: str | None = secrets.load(p.name).client_id
        except SecretStoreError as exc:
            log.warning("export: client ID of %r not read (%s)", p.name, exc.problem.value)
            client_id = None
        records.append(TransferRecord(p, client_id, p.has_secret))
    return records


def export_json(records: Sequence[TransferRecord]) -> str:
    """The export file's text: records and client IDs, never a secret."""
    items = []
    for r in records:
        item = profile_to_json(r.profile)
        item.pop("has_secret", None)
        item["client_id"] = r.client_id
        item["needs_secret"] = r.needs_secret
        items.append(item)
    data = {"format": EXPORT_FORMAT, "version": EXPORT_VERSION, "profiles": items}
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def write_export(path: Path, records: Sequence[TransferRecord]) -> None:
    """Write the export atomically (it holds no secret: readable like any shared file)."""
    text = export_json(records)
    directory = path.parent if str(path.parent) else Path(".")
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as out:
            out.write(text)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def read_export(path: Path) -> list[TransferRecord]:
    """The records of an export file; TransferError names the file and what is wrong."""
    try:
        with open(path, "rb") as f:
            raw = f.read(MAX_EXPORT_BYTES + 1)
    except OSError as exc:
        raise TransferError(f"FILE: cannot read {path}: {exc.strerror or exc}") from None
    if len(raw) > MAX_EXPORT_BYTES:
        raise TransferError(f"FILE: {path} is larger than an exported profiles file can be")
    return parse_export(raw, str(path))


def parse_export(raw: bytes, where: str = "the file") -> list[TransferRecord]:
    """Parse an export's bytes (see `export_json`); TransferError says what is wrong."""
    try:
        data: Any = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise TransferError(f"FILE: {where} is not UTF-8 text") from None
    except (ValueError, RecursionError):
        raise TransferError(f"FILE: {where} is not valid JSON") from None
    if not isinstance(data, dict) or data.get("format") != EXPORT_FORMAT:
        raise TransferError(
            f"FILE: {where} is not an exported profiles file (made by `profiles export`)"
        )
    version = data.get("version")
    if version != EXPORT_VERSION or isinstance(version, bool):
        raise TransferError(
            f"FILE: {where} has version {version!r}; this version reads {EXPORT_VERSION}"
        )
    items = data.get("profiles")
    if not isinstance(items, list):
        raise TransferError(f"FILE: {where}: 'profiles' should be a list")
    records: list[TransferRecord] = []
    seen: set[str] = set()
    for i, item in enumerate(items):
        records.append(_record(item, f"profile {i + 1}", seen))
    return records


def _record(item: object, where: str, seen: set[str]) -> TransferRecord:
    if not isinstance(item, dict):
        raise TransferError(f"FILE: {where} should be an object")
    try:
        profile = profile_from_record(item, where)
    except ProfileRecordError as exc:
        raise TransferError(f"FILE: {exc}") from None
    key = profile.name.casefold()
    if key in seen or key == SANDBOX_PROFILE_NAME.casefold():
        raise TransferError(f"FILE: {where}: the name {profile.name!r} is used twice or reserved")
    seen.add(key)
    mismatch = validate_pool_region(profile.region, profile.user_pool_id)
    if mismatch:
        raise TransferError(f"FILE: {where} ({profile.name!r}): Region {mismatch[0].message}")
    client_id = item.get("client_id")
    if client_id is not None:
        if not isinstance(client_id, str) or validate_client_id(client_id):
            raise TransferError(f"FILE: {where} ({profile.name!r}): 'client_id' is not a client ID")
    needs_secret = item.get("needs_secret", False)
    if not isinstance(needs_secret, bool):
        raise TransferError(f"FILE: {where}: 'needs_secret' should be true or false")
    return TransferRecord(replace(profile, has_secret=needs_secret), client_id, needs_secret)


def import_records(
    records: Sequence[TransferRecord],
    repo: ProfileRepository,
    secrets: SecretStore,
    ask_secret: SecretAsker,
    *,
    replace_existing: bool = False,
) -> list[ImportOutcome]:
    """Store each record: its client ID (and the secret asked for) in the keyring, then its
    record in the profiles file. A profile whose keyring write fails is not written."""
    outcomes: list[ImportOutcome] = []
    for record in records:
        outcomes.append(_import_one(record, repo, secrets, ask_secret, replace_existing))
    return outcomes


def _import_one(
    record: TransferRecord,
    repo: ProfileRepository,
    secrets: SecretStore,
    ask_secret: SecretAsker,
    replace_existing: bool,
) -> ImportOutcome:
    name = record.name
    if record.client_id is None:
        return ImportOutcome(name, False, "the file has no client ID for it")
    existing = repo.get(name)
    if existing is not None and not replace_existing:
        return ImportOutcome(name, False, "a profile with this name exists (replace it to import)")
    secret: Secret | None = None
    if record.needs_secret:
        secret = ask_secret(record)
        if secret is None or not secret.reveal():
            return ImportOutcome(name, False, "no client secret was given")
    try:
        secrets.save(name, ClientCredentials(record.client_id, secret))
    except SecretStoreError as exc:
        return ImportOutcome(name, False, str(exc))
    repo.save(record.profile, replacing=existing.name if existing else None)
    return ImportOutcome(name, True)
