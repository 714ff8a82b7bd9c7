"""What lets the window fit a small screen and work from the keyboard, set up once."""

from __future__ import annotations

from typing import TYPE_CHECKING

from app.ui.theme import focus_ring_style

if TYPE_CHECKING:
    from app.ui.window.main_window import MainWindow

# The window must fit 1024 px with the Sandbox drawer open (issue 14).
FORM_MIN_WIDTH = 300
DOCK_MIN_WIDTH = 220


def fit_and_keyboard(window: MainWindow) -> None:
    """A focus ring from the palette, menu shortcuts over text fields, a drawer that shrinks."""
    window.setStyleSheet(focus_ring_style(window.palette()))
    window.window_actions.keep_over_text_fields(window)  # the filter's parent is the window
    window.sandbox_panel.setMinimumWidth(0)
    window.sandbox_dock.setMinimumWidth(DOCK_MIN_WIDTH)
    # A long status ("alice: Lambda trigger rejected the request") is cut, never widening.
    window.status_label.setMinimumWidth(1)
