"""Import from an AWS account: region -> user pools -> app clients -> one profile, its client
secret fetched with DescribeUserPoolClient straight into the keyring (never shown, never
returned to the caller). Signed with the AWS credentials of `aws_session` (diagnosis)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from app.core.profile import ClientCredentials, Profile
from app.core.secrets import Secret
from app.services.admin_reader import AdminReader
from app.services.aws_session import AdminTarget, AwsCredentialSource
from app.services.profile_repository import ProfileRepository
from app.services.secret_store import SecretStore

_PAGE = 60  # ListUserPools / ListUserPoolClients allow at most 60 per page
_MAX_PAGES = 50  # a runaway pagination is cut off, not followed forever


@dataclass(frozen=True)
class AwsPlace:
    """Where to look: whose credentials, which region, and (a local emulator) which endpoint."""

    source: AwsCredentialSource
    region: str
    endpoint_url: str | None = None


@dataclass(frozen=True)
class PoolSummary:
    pool_id: str
    name: str


@dataclass(frozen=True)
class ClientSummary:
    client_id: str
    name: str


@dataclass(frozen=True)
class ImportedProfile:
    """The stored profile and whether a client secret went to the keyring (never the secret)."""

    profile: Profile
    client_id: str
    stored_secret: bool


class AwsImporter:
    """Lists pools and app clients, and imports one app client as a profile (blocking)."""

    def __init__(self, reader: AdminReader) -> None:
        self._reader = reader

    def pools(self, place: AwsPlace) -> list[PoolSummary]:
        """ListUserPools in `place`'s region (AdminReadError, decoded, when it fails)."""

        def run(client: Any) -> list[PoolSummary]:
            items = _all_pages(client.list_user_pools, "UserPools", {})
            return [PoolSummary(str(p["Id"]), str(p.get("Name", ""))) for p in items if p.get("Id")]

        return self._reader.call(_target(place), "cognito-idp", "ListUserPools", run)

    def app_clients(self, place: AwsPlace, pool_id: str) -> list[ClientSummary]:
        """ListUserPoolClients of one pool."""

        def run(client: Any) -> list[ClientSummary]:
            items = _all_pages(
                client.list_user_pool_clients, "UserPoolClients", {"UserPoolId": pool_id}
            )
            return [
                ClientSummary(str(c["ClientId"]), str(c.get("ClientName", "")))
                for c in items
                if c.get("ClientId")
            ]

        target = _target(place, pool_id)
        return self._reader.call(target, "cognito-idp", "ListUserPoolClients", run)

    def import_client(
        self,
        place: AwsPlace,
        pool_id: str,
        client_id: str,
        name: str,
        repo: ProfileRepository,
        secrets: SecretStore,
        *,
        replacing: str | None = None,
    ) -> ImportedProfile:
        """DescribeUserPoolClient, its secret into the keyring, then the profile into the file."""

        def run(client: Any) -> ClientCredentials:
            answer = client.describe_user_pool_client(UserPoolId=pool_id, ClientId=client_id)
            described = answer.get("UserPoolClient") or {}
            raw = described.get("ClientSecret")
            secret = Secret(raw) if isinstance(raw, str) and raw else None
            return ClientCredentials(str(described.get("ClientId") or client_id), secret)

        target = _target(place, pool_id)
        creds = self._reader.call(target, "cognito-idp", "DescribeUserPoolClient", run)
        profile = Profile(
            name=name.strip(),
            region=place.region.strip(),
            endpoint_url=place.endpoint_url or None,
            user_pool_id=pool_id,
            has_secret=creds.client_secret is not None,
            aws_profile=place.source.aws_profile if place.source.static is None else None,
        )
        # The keyring first: no profile in the file points at credentials it does not hold.
        secrets.save(profile.name, creds)
        repo.save(profile, replacing=replacing)
        return ImportedProfile(profile, creds.client_id, creds.client_secret is not None)


def _all_pages(
    call: Callable[..., Mapping[str, Any]], key: str, kwargs: dict[str, Any]
) -> list[Mapping[str, Any]]:
    """Every item of a NextToken-paginated list call (cut off after _MAX_PAGES pages)."""
    found: list[Mapping[str, Any]] = []
    token: str | None = None
    for _ in range(_MAX_PAGES):
        answer = call(**kwargs, MaxResults=_PAGE, **({"NextToken": token} if token else {}))
        found.extend(item for item in answer.get(key) or [] if isinstance(item, Mapping))
        token = answer.get("NextToken")
        if not token:
            break
    return found


def _target(place: AwsPlace, pool_id: str = "") -> AdminTarget:
    where = Profile(
        name="AWS import",
        region=place.region.strip(),
        endpoint_url=place.endpoint_url or None,
        user_pool_id=pool_id or None,
    )
    return AdminTarget(where, "", place.source)
