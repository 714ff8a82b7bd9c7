"""The built-in Sandbox profile follows the chosen seeded client, pool included."""

from __future__ import annotations

from app.sandbox.server import Sandbox
from app.services.sandbox_profile import SANDBOX_CLIENT_NAMES, sandbox_target


def test_every_seeded_client_is_offered(sandbox: Sandbox) -> None:
    sandbox_info = sandbox.info
    assert set(SANDBOX_CLIENT_NAMES) == {c.name for c in sandbox_info.clients}


def test_the_profile_points_at_the_chosen_clients_pool(sandbox: Sandbox) -> None:
    sandbox_info = sandbox.info
    pools = set()
    for name in SANDBOX_CLIENT_NAMES:
        target = sandbox_target(sandbox_info, name)
        client = sandbox_info.client(name)
        assert target.profile.user_pool_id == client.user_pool_id
        assert target.credentials.client_id == client.client_id
        assert target.profile.has_secret == (client.client_secret is not None)
        pools.add(target.profile.user_pool_id)
    # The no-verify and link clients live in pools of their own.
    assert len(pools) == 3
