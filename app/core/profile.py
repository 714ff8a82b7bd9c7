"""A profile: the non-secret description of one app client to resend through."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Final
from urllib.parse import urlsplit

from app.core.secrets import Secret

SANDBOX_PROFILE_NAME = "Sandbox"
PROFILE_NAME_MAX = 64
_REGION_RE = re.compile(r"^[a-z]{2}(-[a-z]+)+-\d{1,2}$")
_POOL_ID_RE = re.compile(r"^[\w-]+_[0-9a-zA-Z]+$")


@dataclass(frozen=True)
class MetadataPreset:
    """A named ClientMetadata set a tester switches to in one click (not secret)."""

    name: str
    pairs: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Profile:
    """Name, region and endpoint of an app client. Its client ID and secret live in the keyring."""

    name: str
    region: str
    endpoint_url: str | None = None
    user_pool_id: str | None = None
    has_secret: bool = False
    # The built-in sandbox profile: its credentials come from the running sandbox.
    builtin: bool = False
    presets: tuple[MetadataPreset, ...] = field(default=())
    # An AWS CLI profile (SSO and assume-role included) for the signed admin calls of the
    # diagnosis and support actions; None: the default credential chain. Not a secret.
    aws_profile: str | None = None


@dataclass(frozen=True)
class ClientCredentials:
    """The client ID and (optional) client secret of a profile, as read from the keyring."""

    client_id: str
    client_secret: Secret | None = field(default=None, repr=False)


@dataclass(frozen=True)
class ProfileProblem:
    """A profile field that is not acceptable, and why (field is the form's field name)."""

    field: str
    message: str

    def __str__(self) -> str:
        # People read this: the form's label, never the field's code name.
        return f"{PROFILE_FIELD_LABELS.get(self.field, self.field)}: {self.message}"


# The profile form's labels, for messages a person reads.
PROFILE_FIELD_LABELS: Final = MappingProxyType(
    {
        "name": "Name",
        "region": "Region",
        "endpoint_url": "Endpoint URL",
        "user_pool_id": "User pool ID",
        "client_id": "Client ID",
        "client_secret": "Client secret",
    }
)


def validate_profile_name(name: str) -> list[ProfileProblem]:
    stripped = name.strip()
    if not stripped:
        return [ProfileProblem("name", "is required")]
    if len(stripped) > PROFILE_NAME_MAX:
        return [ProfileProblem("name", f"may have at most {PROFILE_NAME_MAX} characters")]
    if any(unicodedata.category(ch)[0] == "C" for ch in stripped):
        return [ProfileProblem("name", "may not contain control characters")]
    return []


def validate_region(region: str) -> list[ProfileProblem]:
    if not region.strip():
        return [ProfileProblem("region", "is required (e.g. eu-west-1)")]
    if not _REGION_RE.fullmatch(region.strip()):
        return [ProfileProblem("region", "must look like an AWS region, e.g. eu-west-1")]
    return []


def validate_endpoint_url(url: str | None) -> list[ProfileProblem]:
    if not url:
        return []
    try:
        parts = urlsplit(url)
        port_ok = parts.port is None or 0 < parts.port < 65536
    except ValueError:
        parts, port_ok = None, False
    if parts is None or parts.scheme not in ("http", "https") or not parts.hostname or not port_ok:
        return [
            ProfileProblem(
                "endpoint_url", "must be an http:// or https:// URL with a host, e.g. "
                "http://127.0.0.1:4566; leave it empty for AWS"
            )
        ]
    return []


def validate_user_pool_id(pool_id: str | None) -> list[ProfileProblem]:
    if not pool_id:
        return []
    if len(pool_id) > 55 or not _POOL_ID_RE.fullmatch(pool_id):
        return [ProfileProblem("user_pool_id", "must look like eu-west-1_AbC123xyz")]
    return []


_AWS_PROFILE_MAX = 128


def validate_aws_profile(name: str | None) -> list[ProfileProblem]:
    """An AWS CLI profile name as ~/.aws/config can hold it: no spaces, brackets or controls."""
    if name is None:
        return []
    if not name or len(name) > _AWS_PROFILE_MAX:
        return [ProfileProblem("aws_profile", f"must have 1 to {_AWS_PROFILE_MAX} characters")]
    if any(ch.isspace() or ch in "[]" or unicodedata.category(ch)[0] == "C" for ch in name):
        return [
            ProfileProblem(
                "aws_profile", "may not contain spaces, brackets or control characters"
            )
        ]
    return []


def validate_profile(profile: Profile) -> list[ProfileProblem]:
    """Every problem with a profile's non-secret fields."""
    return [
        *validate_profile_name(profile.name),
        *validate_region(profile.region),
        *validate_endpoint_url(profile.endpoint_url),
        *validate_user_pool_id(profile.user_pool_id),
        *validate_aws_profile(profile.aws_profile),
    ]


def region_of_pool(pool_id: str | None) -> str | None:
    """The region a user pool ID names (the part before "_"), or None if it names none."""
    if not pool_id or "_" not in pool_id:
        return None
    region = pool_id.split("_", 1)[0].strip()
    return region if _REGION_RE.fullmatch(region) else None


def validate_pool_region(region: str, pool_id: str | None) -> list[ProfileProblem]:
    """A pool ID from one region with another region: refused (the call would miss the pool).

    Kept out of `validate_profile`, so a profiles file written before this check still loads.
    """
    pool_region = region_of_pool(pool_id)
    if pool_region is None or pool_region == region.strip():
        return []
    return [
        ProfileProblem(
            "region",
            f"is {region.strip()!r} but the user pool ID is in {pool_region!r}; use {pool_region}",
        )
    ]
