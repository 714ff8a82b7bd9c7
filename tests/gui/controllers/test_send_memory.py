"""Many sends through the real controllers keep no per-send objects (issue 15's memory row)."""

from __future__ import annotations

import asyncio
import gc
from collections import Counter
from typing import Any

from app.core.profile import Profile
from app.core.request import ResendInput
from app.core.secrets import Secret
from app.ui.controllers.composition import WindowControllers
from app.ui.controllers.keyring_gate import KeyringGate
from app.ui.controllers.types import ProfileEdit, SendRequest
from tests.gui.conftest import WAIT_MS, WindowHarness

STORED = "Stored"
# Sends per measured round: an object kept per send shows as at least this many more.
ROUND = 120
# What a round may add to any one type without a per-send cause: caches settling, the
# history model's page, sqlite3's list of dead cursor weakrefs (pruned every 200 cursors).
SLACK = ROUND // 2


def _run(h: WindowHarness, task: asyncio.Future[Any]) -> Any:
    h.qtbot.waitUntil(task.done, timeout=WAIT_MS)
    return task.result()


def _type_counts(h: WindowHarness, controllers: WindowControllers) -> Counter[str]:
    # Each keyring call's time box is a qasync timer (a Handle and its Context) that stays
    # until it would have fired, cancelled or not: held `patience` seconds, then freed.
    h.qtbot.wait(int(controllers.session.keyring_gate.patience * 1000) + 300)
    gc.collect()
    return Counter(type(o).__qualname__ for o in gc.get_objects())


def _sends(h: WindowHarness, controllers: WindowControllers, n: int, start: int) -> None:
    async def burst() -> None:
        sem = asyncio.Semaphore(6)

        async def one(i: int) -> None:
            async with sem:
                # Not seeded users: the shared sandbox's per-user limits stay untouched.
                req = SendRequest(STORED, ResendInput("", f"memory-{i}"))
                final = await controllers.sending.send(req)
                assert final is not None

        await asyncio.gather(*(one(start + i) for i in range(n)))

    _run(h, asyncio.ensure_future(burst()))


def test_sends_from_a_stored_profile_keep_nothing_per_send(harness: WindowHarness) -> None:
    controllers = WindowControllers(harness.factories())
    with harness.qtbot.waitSignal(controllers.session.services_ready, timeout=WAIT_MS):
        controllers.start()
    info = harness.sandbox.info
    client = info.client("public")
    profile = Profile(STORED, info.region, info.endpoint_url)
    edit = ProfileEdit(profile, client.client_id, Secret(""))
    assert _run(harness, controllers.profiles.save_profile(edit)) is True
    try:
        _sends(harness, controllers, ROUND, 0)  # warm: first-call costs, the first page
        before = _type_counts(harness, controllers)
        _sends(harness, controllers, ROUND, ROUND)
        after = _type_counts(harness, controllers)
        grown = {k: v - before[k] for k, v in after.items() if v - before[k] > SLACK}
        # A Thread (or its Event, Condition, deque) kept per keyring call grew RSS by
        # ~2 MB per 1,000 sends before the keyring gate forgot finished threads.
        assert grown == {}, grown
        assert controllers.session.keyring_gate.started >= 2 * ROUND  # the keyring was read
    finally:
        _run(harness, asyncio.ensure_future(controllers.aclose()))


def test_the_keyring_gate_forgets_finished_threads(harness: WindowHarness) -> None:
    gate = KeyringGate()

    async def calls() -> None:
        for i in range(50):
            assert await gate.call(lambda x: x, i) == i

    _run(harness, asyncio.ensure_future(calls()))
    assert gate.started == 50
    for thread in gate.threads:  # at most the last one, still leaving
        thread.join(timeout=5)
    assert gate.threads == []
