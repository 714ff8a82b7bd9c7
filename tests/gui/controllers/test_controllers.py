"""WindowControllers without a window: start-up order, sends, credentials problems, shutdown."""

from __future__ import annotations

import asyncio
import threading
from typing import Any

from app.core.outcome import Status
from app.core.profile import SANDBOX_PROFILE_NAME, Profile
from app.core.request import ResendInput
from app.ui.controllers.composition import WindowControllers
from app.ui.controllers.types import ProfileEdit, SendRequest
from tests.gui.conftest import WAIT_MS, WindowHarness


def _run(h: WindowHarness, task: asyncio.Task[Any]) -> Any:
    h.qtbot.waitUntil(task.done, timeout=WAIT_MS)
    return task.result()


def _started(h: WindowHarness, **overrides: Any) -> WindowControllers:
    controllers = WindowControllers(h.factories(**overrides))
    with h.qtbot.waitSignal(controllers.session.services_ready, timeout=WAIT_MS):
        controllers.start()
    return controllers


def _close(h: WindowHarness, controllers: WindowControllers) -> None:
    _run(h, asyncio.get_event_loop().create_task(controllers.aclose()))


def test_start_up_reports_sandbox_profiles_then_ready_without_the_keyring(
    harness: WindowHarness,
) -> None:
    controllers = WindowControllers(harness.factories())
    seen: list[str] = []
    controllers.session.keyring_status_changed.connect(lambda _s: seen.append("keyring"))
    controllers.session.sandbox_started.connect(lambda _i: seen.append("sandbox"))
    controllers.profiles.profiles_changed.connect(lambda _p: seen.append("profiles"))
    controllers.session.history_opened.connect(lambda _h: seen.append("history"))
    controllers.session.services_ready.connect(lambda: seen.append("ready"))
    controllers.start()
    harness.qtbot.waitUntil(lambda: "ready" in seen, timeout=WAIT_MS)
    assert seen[-1] == "ready"
    assert {"sandbox", "profiles", "history"} <= set(seen)
    assert "keyring" not in seen  # first touched when a stored profile needs it
    assert [p.name for p in controllers.profiles.profiles()] == [SANDBOX_PROFILE_NAME]
    _close(harness, controllers)


def test_blocking_factories_never_run_on_the_ui_thread(harness: WindowHarness) -> None:
    threads: dict[str, bool] = {}
    main = threading.main_thread()
    base = harness.factories()

    def spy(name: str, fn: Any) -> Any:
        def wrapped() -> Any:
            threads[name] = threading.current_thread() is main
            return fn()

        return wrapped

    controllers = _started(
        harness,
        secret_store=spy("secret_store", base.secret_store),
        gateway=spy("gateway", base.gateway),
        history=spy("history", base.history),
        profiles=spy("profiles", base.profiles),
    )
    assert threads == {"secret_store": False, "gateway": False, "history": False, "profiles": False}
    _close(harness, controllers)


def test_send_before_ready_reports_a_problem(harness: WindowHarness) -> None:
    controllers = WindowControllers(harness.factories())
    with harness.qtbot.waitSignal(controllers.sending.problem_reported, timeout=WAIT_MS) as got:
        task = controllers.sending.send(SendRequest("Sandbox", ResendInput("", "alice")))
    assert got.args[0] == "Not ready"
    assert _run(harness, task) is None
    assert harness.sandbox.inbox() == []


def test_pending_then_final_and_history_written(harness: WindowHarness) -> None:
    controllers = _started(harness)
    started: list[Any] = []
    controllers.sending.attempt_started.connect(started.append)
    final = _run(
        harness, controllers.sending.send(SendRequest("Sandbox", ResendInput("", "alice")))
    )
    assert started[0].status is Status.PENDING
    assert final.attempt_id == started[0].attempt_id and final.status is Status.DELIVERED
    store = controllers.session.history
    assert store is not None and store.get(final.attempt_id) is not None
    _close(harness, controllers)


def test_missing_keyring_entry_becomes_a_recorded_credentials_failure(
    harness: WindowHarness,
) -> None:
    controllers = _started(harness)
    info = harness.sandbox.info
    edit = ProfileEdit(Profile("gone", info.region, info.endpoint_url), "abc", None)
    assert _run(harness, controllers.profiles.save_profile(edit)) is True
    # Remove the keyring entry behind the app's back, as a user's keyring manager could.
    secrets = controllers.session.secrets  # the test plays "outside the app"
    assert secrets is not None
    secrets.delete("gone")
    final = _run(harness, controllers.sending.send(SendRequest("gone", ResendInput("", "alice"))))
    assert final.status is Status.FAILED
    assert final.failure.code == "CredentialsUnavailable"
    assert "not in the keyring" in final.failure.aws_message
    store = controllers.session.history
    assert store is not None and store.get(final.attempt_id) is not None
    _close(harness, controllers)


def test_sandbox_client_choice_changes_the_builtin_profile(harness: WindowHarness) -> None:
    controllers = _started(harness)
    profiles: list[list[Profile]] = []
    controllers.profiles.profiles_changed.connect(profiles.append)
    controllers.session.set_sandbox_client("secret")
    assert profiles and profiles[-1][0].has_secret
    final = _run(harness, controllers.sending.send(SendRequest("Sandbox", ResendInput("", "bob"))))
    assert final.status is Status.DELIVERED and final.used_secret_hash
    _close(harness, controllers)


def test_sandbox_that_fails_to_start_is_reported_and_aws_profiles_still_load(
    harness: WindowHarness,
) -> None:
    def broken() -> Any:
        raise OSError("port 1 is taken")

    controllers = WindowControllers(harness.factories(sandbox=broken))
    with harness.qtbot.waitSignal(controllers.session.sandbox_failed, timeout=WAIT_MS) as got:
        controllers.start()
    assert "port 1 is taken" in got.args[0]
    harness.qtbot.waitUntil(lambda: controllers.session.ready, timeout=WAIT_MS)
    assert controllers.profiles.profiles() == []
    _close(harness, controllers)


def test_renaming_a_profile_by_case_only_keeps_it(harness: WindowHarness) -> None:
    controllers = _started(harness)
    info = harness.sandbox.info
    first = ProfileEdit(Profile("Dev", info.region, info.endpoint_url), "abc", None)
    assert _run(harness, controllers.profiles.save_profile(first)) is True
    renamed = ProfileEdit(
        Profile("dev", info.region, info.endpoint_url), "abc", None, previous_name="Dev"
    )
    assert _run(harness, controllers.profiles.save_profile(renamed)) is True
    repo = controllers.session.repo  # checks what reached the profile file
    assert repo is not None
    assert [p.name for p in repo.list()] == ["dev"]
    _close(harness, controllers)


def test_damage_the_fast_open_missed_is_reported_after_start_up(
    harness: WindowHarness,
) -> None:
    from app.core.outcome import Attempt
    from app.services.history_store import HistoryStore

    path = harness.paths.history_db
    path.parent.mkdir(parents=True, exist_ok=True)
    store = HistoryStore(path)
    store.append_many(
        Attempt(profile="p", username=f"user-{i}", client_id="c", region="us-east-1")
        for i in range(3000)
    )
    store.close()
    # Scribble over an old table page: the header, schema and newest rows stay readable,
    # so only the full check (run after start-up) can see it.
    data = bytearray(path.read_bytes())
    data[40 * 4096 + 100 : 40 * 4096 + 3000] = b"\xde\xad" * 1450
    path.write_bytes(bytes(data))

    reports: list[tuple[str, str]] = []
    controllers = WindowControllers(harness.factories())
    controllers.session.problem_reported.connect(lambda title, text: reports.append((title, text)))
    with harness.qtbot.waitSignal(controllers.session.services_ready, timeout=WAIT_MS):
        controllers.start()
    harness.qtbot.waitUntil(lambda: bool(reports), timeout=WAIT_MS)
    title, text = reports[0]
    assert title == "History file is damaged"
    assert "moved aside" in text and len(text) < 600
    assert (path.parent / (path.name + ".damaged")).exists()
    _close(harness, controllers)
