"""The window's top: the profile bar with the view toggle beside it, the Sandbox notice under."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QGridLayout, QToolButton, QVBoxLayout, QWidget

from app.ui.qt_util import name_widget

if TYPE_CHECKING:
    from app.ui.widgets.profile_bar import ProfileBar
    from app.ui.widgets.sandbox_notice import SandboxNotice


class WindowHeader(QWidget):
    """Composes the `viewToggle` button, the given profile bar and the `sandboxNotice`.

    The toggle comes first and alone: the welcome page, a first screen, shows nothing else
    of the header and is painted before the bar and the notice are built (see
    app/ui/staged_start.py); `add_profile_bar` and `add_notice` put them in. The notice
    shows only once a profile is chosen, so no first screen needs it."""

    profile_bar: ProfileBar
    sandbox_notice: SandboxNotice

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        name_widget(self, "windowHeader")
        self.view_toggle = QToolButton(self)
        name_widget(self.view_toggle, "viewToggle")
        # Its action has no icon, so the default style shows the text alone (as
        # ToolButtonTextOnly would, without naming Qt's enums on the first screen).
        # Column 1 is empty: it takes the slack when the bar shows only its chooser.
        self._grid = layout = QGridLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        # At the top of its cell when the bar is taller: a stretch under it (an alignment
        # flag would name the `Qt` namespace on the first screen).
        toggle_column = QVBoxLayout()
        toggle_column.addWidget(self.view_toggle)
        toggle_column.addStretch(1)
        layout.addLayout(toggle_column, 0, 2)
        layout.setColumnStretch(0, 1)
        self._page: str | None = None  # until `show_for`

    @property
    def has_profile_bar(self) -> bool:
        return hasattr(self, "profile_bar")

    @property
    def has_notice(self) -> bool:
        return hasattr(self, "sandbox_notice")

    def add_profile_bar(self, profile_bar: ProfileBar) -> None:
        """The profile bar, beside the toggle."""
        self.profile_bar = profile_bar
        self._grid.addWidget(profile_bar, 0, 0)
        if self._page is not None:  # added to a shown window: hidden now if the page says so
            self.show_for(self._page)

    def add_notice(self) -> None:
        """The Sandbox notice (hidden until the Sandbox is chosen), under the bar and toggle."""
        from app.ui.widgets.sandbox_notice import SandboxNotice

        self.sandbox_notice = SandboxNotice(self)
        self._grid.addWidget(self.sandbox_notice, 1, 0, 1, 3)
        if self._page is not None:
            self.show_for(self._page)

    def show_for(self, page: str) -> None:
        """ "welcome": no profile bar, no notice (nothing is chosen yet); "support": the
        profile chooser and Add only — the endpoint, keyring and batch are the developer's;
        "developer": everything."""
        self._page = page
        developer = page == "developer"
        self._grid.setColumnStretch(0, 1 if developer else 0)
        self._grid.setColumnStretch(1, 0 if developer else 1)
        if self.has_notice:
            self.sandbox_notice.set_suppressed(page == "welcome")
        if not self.has_profile_bar:  # the welcome page's first screen: the toggle alone
            return
        self.profile_bar.setVisible(page != "welcome")
        self.profile_bar.set_developer_parts_shown(developer)
