"""configure_logging: the file is written off the caller's thread, flushed on demand, rotated."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.services.logging_setup import configure_logging, file_handler, flush_logs


@pytest.fixture
def restore_root() -> Iterator[None]:
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    for h in list(root.handlers):
        if h not in handlers:
            root.removeHandler(h)
            h.close()
    root.setLevel(level)


def test_records_reach_the_file_after_flush_redacted(tmp_path: Path, restore_root: None) -> None:
    log_file = tmp_path / "logs" / "app.log"
    configure_logging(log_file)
    log = logging.getLogger("app.test")
    for i in range(100):
        log.info("line %d SecretHash=%s", i, "abc123")
    flush_logs()
    text = log_file.read_text(encoding="utf-8")
    assert text.count("\n") == 100 and "line 99" in text
    assert "abc123" not in text and "••••••" in text


def test_a_traceback_is_written_and_redacted(tmp_path: Path, restore_root: None) -> None:
    log_file = tmp_path / "app.log"
    configure_logging(log_file)
    try:
        raise ValueError("client_secret=hunter2")
    except ValueError:
        logging.getLogger("app.test").exception("it broke")
    flush_logs()
    text = log_file.read_text(encoding="utf-8")
    assert "Traceback" in text and "ValueError" in text and "hunter2" not in text


def test_rotation_keeps_every_file_under_the_limit(tmp_path: Path, restore_root: None) -> None:
    log_file = tmp_path / "app.log"
    configure_logging(log_file, max_bytes=5_000, backup_count=2)
    for i in range(500):
        logging.getLogger("app.test").info("record %04d %s", i, "x" * 40)
    flush_logs()
    files = sorted(tmp_path.glob("app.log*"))
    assert [f.name for f in files] == ["app.log", "app.log.1", "app.log.2"]
    assert all(f.stat().st_size <= 5_000 for f in files)
    assert "record 0499" in log_file.read_text(encoding="utf-8")
    handler = file_handler()
    assert handler is not None and Path(handler.baseFilename) == log_file


def test_reconfiguring_replaces_the_handler(tmp_path: Path, restore_root: None) -> None:
    configure_logging(tmp_path / "a.log")
    logging.getLogger("app.test").warning("to a")
    configure_logging(tmp_path / "b.log")  # closes the first: what it held is written
    logging.getLogger("app.test").warning("to b")
    flush_logs()
    first = (tmp_path / "a.log").read_text()
    assert "to a" in first and "to b" not in first
    assert "to b" in (tmp_path / "b.log").read_text()
