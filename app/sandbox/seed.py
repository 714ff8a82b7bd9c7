"""Creates, and restores on reset, the sandbox's pool, app clients and users in moto's backend."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final

from moto.cognitoidp.models import cognitoidp_backends
from moto.core.models import DEFAULT_ACCOUNT_ID

from app.sandbox.model import SandboxClient, SandboxUser

POOL_NAME: Final = "sandbox-pool"
# Satisfies moto's default password policy; nobody signs in with it.
SEED_PASSWORD: Final = "Sandbox-Passw0rd!"


@dataclass(frozen=True)
class _ClientSeed:
    name: str
    generate_secret: bool
    prevent_user_existence_errors: str


@dataclass(frozen=True)
class _UserSeed:
    username: str
    status: str
    attribute: str
    destination: str


CLIENT_SEEDS: Final = (
    _ClientSeed("public", False, "LEGACY"),
    _ClientSeed("protected", False, "ENABLED"),
    _ClientSeed("secret", True, "ENABLED"),
)

USER_SEEDS: Final = (
    _UserSeed("alice", "UNCONFIRMED", "email", "alice@example.com"),
    _UserSeed("bob", "UNCONFIRMED", "phone_number", "+15555550123"),
    _UserSeed("carol", "CONFIRMED", "email", "carol@example.com"),
    *(
        _UserSeed(f"qa-user-{n:03d}", "UNCONFIRMED", "email", f"qa-user-{n:03d}@example.com")
        for n in range(1, 11)
    ),
)


@dataclass(frozen=True)
class SeededPool:
    user_pool_id: str
    clients: tuple[SandboxClient, ...]
    users: tuple[SandboxUser, ...]


def _backend(region: str) -> Any:
    return cognitoidp_backends[DEFAULT_ACCOUNT_ID][region]


def seed(region: str) -> SeededPool:
    """Create a fresh pool with the seeded clients and users; ids are new on every call."""
    backend = _backend(region)
    pool = backend.create_user_pool(
        POOL_NAME,
        {
            "AutoVerifiedAttributes": ["email", "phone_number"],
            "AliasAttributes": ["email"],
        },
    )
    clients = []
    for spec in CLIENT_SEEDS:
        client = backend.create_user_pool_client(
            pool.id,
            spec.generate_secret,
            {
                "ClientName": spec.name,
                "PreventUserExistenceErrors": spec.prevent_user_existence_errors,
            },
        )
        clients.append(
            SandboxClient(
                name=spec.name,
                client_id=client.id,
                client_secret=client.secret if spec.generate_secret else None,
                prevents_user_existence_errors=spec.prevent_user_existence_errors == "ENABLED",
            )
        )
    seeded = SeededPool(
        user_pool_id=pool.id,
        clients=tuple(clients),
        users=tuple(
            SandboxUser(u.username, u.status, u.attribute, u.destination) for u in USER_SEEDS
        ),
    )
    restore(region, seeded)
    return seeded


def pool_exists(region: str, user_pool_id: str) -> bool:
    return user_pool_id in _backend(region).user_pools


def restore(region: str, seeded: SeededPool) -> None:
    """Put the seeded users back as seeded and drop users added since, so tests start clean."""
    backend = _backend(region)
    pool = backend.user_pools[seeded.user_pool_id]
    wanted = {u.username for u in USER_SEEDS}
    for username in [name for name in pool.users if name not in wanted]:
        del pool.users[username]
    signup_client = seeded.clients[0].client_id
    for spec in USER_SEEDS:
        user = pool.users.get(spec.username)
        if user is None:
            # sign_up is moto's public path to an UNCONFIRMED user (admin_create_user would
            # make FORCE_CHANGE_PASSWORD users, which a sign-up flow never has).
            user, _ = backend.sign_up(
                signup_client,
                spec.username,
                SEED_PASSWORD,
                [{"Name": spec.attribute, "Value": spec.destination}],
            )
        user.status = spec.status
        user.enabled = True
        # Confirmed users have their address verified (so it works as an alias); unconfirmed
        # ones do not (developer guide, "signing up users").
        verified = "true" if spec.status == "CONFIRMED" else "false"
        user.update_attributes(
            [
                {"Name": spec.attribute, "Value": spec.destination},
                {"Name": f"{spec.attribute}_verified", "Value": verified},
            ]
        )
