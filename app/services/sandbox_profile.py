"""The built-in Sandbox profile and its app client's credentials, built in one place."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from app.core.profile import SANDBOX_PROFILE_NAME, ClientCredentials, MetadataPreset, Profile
from app.core.secrets import Secret

if TYPE_CHECKING:
    from app.sandbox.model import SandboxInfo


# The seeded app clients (app/sandbox/seed.py), in the order the window and the CLI offer
# them: the main pool's three, then the pools that show a refusal and a confirmation link.
SANDBOX_CLIENT_NAMES: tuple[str, ...] = ("public", "protected", "secret", "no-verify", "link")


@dataclass(frozen=True)
class SandboxTarget:
    """The Sandbox profile pointing at a running sandbox, and the seeded client it uses."""

    profile: Profile
    credentials: ClientCredentials


def sandbox_credentials(info: SandboxInfo, client_name: str = "public") -> ClientCredentials:
    """A seeded client's id and secret (memory only); KeyError names the known clients."""
    client = info.client(client_name)
    secret = Secret(client.client_secret) if client.client_secret else None
    return ClientCredentials(client_id=client.client_id, client_secret=secret)


def sandbox_target(
    info: SandboxInfo,
    client_name: str = "public",
    presets: tuple[MetadataPreset, ...] = (),
) -> SandboxTarget:
    """The built-in profile for `info` with `client_name`'s credentials (and its presets)."""
    credentials = sandbox_credentials(info, client_name)
    profile = Profile(
        name=SANDBOX_PROFILE_NAME,
        region=info.region,
        endpoint_url=info.endpoint_url,
        # The chosen client's pool: no-verify and link live in pools of their own.
        user_pool_id=info.client(client_name).user_pool_id,
        has_secret=credentials.client_secret is not None,
        builtin=True,
        presets=presets,
    )
    return SandboxTarget(profile, credentials)
