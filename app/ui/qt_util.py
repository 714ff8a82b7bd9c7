"""Small Qt helpers the window's parts share: typed async slots, names, awaited dialogs, tables.

asyncio, qasync and the Qt classes are imported where they are used, not here: the
window's first screen names its widgets through this module and is painted before asyncio
is imported (~30 ms, see app/ui/staged_start.py); even a Qt class costs its first use
(PySide6 builds its Python type then, up to ~1 ms each).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar, cast

if TYPE_CHECKING:
    import asyncio

    from PySide6.QtWidgets import QDialog, QDialogButtonBox, QPushButton, QTableWidget, QWidget

_F = TypeVar("_F", bound=Callable[..., Any])


def async_slot(fn: _F) -> _F:
    """qasync's asyncSlot with its type kept (qasync ships no type hints)."""
    from qasync import asyncSlot

    return cast(_F, asyncSlot()(fn))


def name_widget(widget: QWidget, name: str) -> None:
    """Give `widget` the same objectName (automation) and accessibleName (screen readers)."""
    widget.setObjectName(name)
    widget.setAccessibleName(name)


async def dialog_result(dialog: Any) -> bool:
    """Show a dialog window-modally and await its answer without a nested event loop."""
    import asyncio

    done: asyncio.Future[int] = asyncio.get_running_loop().create_future()

    def on_finished(code: int) -> None:
        if not done.done():
            done.set_result(code)

    dialog.finished.connect(on_finished)
    dialog.open()
    try:
        return bool(await done == 1)
    finally:
        # Already gone when its parent window closed while the answer was awaited.
        with contextlib.suppress(RuntimeError):
            dialog.deleteLater()


def ok_cancel_buttons(
    dialog: QDialog, ok_text: str, ok_name: str
) -> tuple[QDialogButtonBox, QPushButton]:
    """OK (renamed to what it does, e.g. "Confirm") and Cancel, wired to accept/reject."""
    from PySide6.QtWidgets import QDialogButtonBox

    buttons = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, dialog
    )
    ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
    ok.setText(ok_text)
    name_widget(ok, ok_name)
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    return buttons, ok


def read_only_table(table: QTableWidget) -> None:
    """A table that lists (rows selectable, not editable), its first column fitted."""
    from PySide6.QtWidgets import QAbstractItemView, QHeaderView

    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.verticalHeader().hide()
    table.horizontalHeader().setStretchLastSection(True)
    table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
