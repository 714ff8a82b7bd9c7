"""The composition root: each service built once, on first use; close releases them."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.services.cognito_gateway import GatewayConfig
from app.services.composition import Composition, StackSettings
from app.services.history_sink import MemoryHistory
from app.services.paths import AppPaths


def _stack(tmp_path: Path) -> Composition:
    paths = AppPaths(tmp_path / "config", tmp_path / "data", tmp_path / "log").ensure()
    return Composition(StackSettings(paths, GatewayConfig(read_timeout=4.0)))


def test_services_are_built_once_and_shared(tmp_path: Path) -> None:
    stack = _stack(tmp_path)
    assert stack.gateway() is stack.gateway()
    assert stack.gateway().config.read_timeout == 4.0
    assert stack.batch_gateway().config.max_attempts == 1
    assert stack.history() is stack.history()
    assert stack.profiles() is stack.profiles()
    assert stack.triggers() is stack.triggers()
    assert not stack.sandbox().running  # built, not started: start() blocks
    stack.close()


def test_close_releases_the_history_and_a_later_call_opens_a_new_one(tmp_path: Path) -> None:
    stack = _stack(tmp_path)
    first = stack.history()
    stack.close()
    second = stack.history()
    assert second is not first
    stack.close()


def test_a_stack_without_folders_refuses_the_history_but_runs_with_a_memory_sink() -> None:
    stack = Composition(StackSettings(paths=None))
    with pytest.raises(RuntimeError):
        stack.history()
    assert stack.pipeline(history=MemoryHistory(), keyring=False) is not None
