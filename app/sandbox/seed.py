"""Creates, and restores on reset, the sandbox's seeded pools, app clients and users in moto."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from app.sandbox import pools
from app.sandbox.model import SandboxClient, SandboxUser

POOL_NAME: Final = pools.MAIN_POOL
SEED_PASSWORD: Final = pools.SEED_PASSWORD


@dataclass(frozen=True)
class SeededPool:
    """All seeded pools; `user_pool_id` is the main pool's, clients and users span all three."""

    user_pool_id: str
    clients: tuple[SandboxClient, ...]
    users: tuple[SandboxUser, ...]
    pools: tuple[pools.BuiltPool, ...] = ()


def seed(region: str) -> SeededPool:
    """Create fresh pools with the seeded clients and users; ids are new on every call."""
    built = tuple(pools.build(region, spec) for spec in pools.POOL_SEEDS)
    return SeededPool(
        user_pool_id=built[0].user_pool_id,
        clients=tuple(c for b in built for c in b.clients),
        users=tuple(u for b in built for u in pools.sandbox_users(b)),
        pools=built,
    )


def pool_exists(region: str, user_pool_id: str) -> bool:
    return user_pool_id in pools.backend(region).user_pools


def restore(region: str, seeded: SeededPool) -> None:
    """Put every seeded pool and user back as seeded and drop users added since."""
    for built in seeded.pools:
        pools.restore(region, built)
