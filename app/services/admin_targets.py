"""Admin targets for a stored profile (its AWS profile) and the sandbox (its admin keys)."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from app.core.profile import Profile
from app.core.secrets import Secret
from app.services.aws_session import AdminTarget, AwsCredentialSource, StaticKeys, source_for

if TYPE_CHECKING:
    from app.sandbox.model import SandboxInfo


def stored_target(profile: Profile, client_id: str) -> AdminTarget:
    """A saved profile: signed with its AWS CLI profile, or the default credential chain."""
    return AdminTarget(profile=profile, client_id=client_id, source=source_for(profile))


def sandbox_source(info: SandboxInfo) -> AwsCredentialSource:
    """The running sandbox's admin key pair, so diagnosis needs no set-up there."""
    admin = info.aws_credentials.admin
    return AwsCredentialSource(
        static=StaticKeys(admin.access_key_id, Secret(admin.secret_access_key))
    )


def sandbox_target(info: SandboxInfo, profile: Profile, client_name: str) -> AdminTarget:
    """The built-in Sandbox profile's target: the chosen client's pool, the admin keys."""
    client = info.client(client_name)
    pool_id = client.user_pool_id or info.user_pool_id
    return AdminTarget(
        profile=replace(profile, user_pool_id=pool_id),
        client_id=client.client_id,
        source=sandbox_source(info),
    )
