"""Import from an AWS account: region -> user pools -> app clients -> one profile, its client
secret fetched with DescribeUserPoolClient straight into the keyring (never shown, never
returned to the caller). Signed with the AWS credentials of `aws_session` (diagnosis)."""

from __future__ import annotations

from collections.abc import Mapping
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
            found: list[PoolSummary] = []
            token: str | None = None
            for _ in range(_MAX_PAGES):
                kwargs: dict[str, Any] = {"MaxResults": _PAGE}
                if token:
                    kwargs["NextToken"] = token
                answer = client.list_user_pools(**kwargs)
                for pool in answer.get("UserPools") or []:
                    if isinstance(pool, Mapping) and pool.get("Id"):
                        found.append(PoolSummary(str(pool["Id"]), str(pool.get("Name", ""))))
                token = answer.get("NextToken")
                if not token:
                    break
            return found

        return self._reader.call(_target(place), "cognito-idp", "ListUserPools", run)

    def app_clients(self, place: AwsPlace, pool_id: str) -> list[ClientSummary]:
        """ListUserPoolClients of one pool."""

        def run(client: Any) -> list[ClientSummary]:
            found: list[ClientSummary] = []
            token: str | None = None
            for _ in range(_MAX_PAGES):
                kwargs: dict[str, Any] = {"UserPoolId": pool_id, "MaxResults": _PAGE}
                if token:
                    kwargs["NextToken"] = token
                answer = client.list_user_pool_clients(**kwargs)
                for item in answer.get("UserPoolClients") or []:
                    if isinstance(item, Mapping) and item.get("ClientId"):
                        found.append(
                            ClientSummary(str(item["ClientId"]), str(item.get("ClientName", "")))
                        )
                token = answer.get("NextToken")
                if not token:
                    break
            return found

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


def _target(place: AwsPlace, pool_id: str = "") -> AdminTarget:
    where = Profile(
        name="AWS import",
        region=place.region.strip(),
        endpoint_url=place.endpoint_url or None,
        user_pool_id=pool_id or None,
    )
    return AdminTarget(where, "", place.source)
