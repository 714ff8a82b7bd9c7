"""The history pane's saved layout: its splitter and table header as one versioned blob."""

from __future__ import annotations

import struct

from PySide6.QtCore import QByteArray
from PySide6.QtWidgets import QHeaderView, QSplitter

# The bytes: magic, version, splitter state length; then the two Qt states.
# An unknown magic or version is ignored (the default layout stays).
_STATE_HEAD = struct.Struct(">4sHI")
_STATE_MAGIC = b"CRhp"
# 2: the default columns changed (issue 14); a version-1 layout would show all nine again.
_STATE_VERSION = 2


def pack_layout(splitter: QSplitter, header: QHeaderView) -> bytes:
    """The splitter's and the header's states (widths, order, hidden columns)."""
    split = bytes(splitter.saveState().data())
    head = bytes(header.saveState().data())
    return _STATE_HEAD.pack(_STATE_MAGIC, _STATE_VERSION, len(split)) + split + head


def unpack_layout(state: bytes, splitter: QSplitter, header: QHeaderView) -> bool:
    """Restore what pack_layout gave; False (and nothing changed) for anything else."""
    if len(state) < _STATE_HEAD.size:
        return False
    magic, version, split_len = _STATE_HEAD.unpack_from(state)
    body = state[_STATE_HEAD.size :]
    if magic != _STATE_MAGIC or version != _STATE_VERSION or split_len > len(body):
        return False
    split, head = body[:split_len], body[split_len:]
    ok = splitter.restoreState(QByteArray(split))
    return header.restoreState(QByteArray(head)) and ok
