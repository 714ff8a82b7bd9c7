"""One banner at a time: each source (keyring, problems) posts to a channel; the newest shows."""

from __future__ import annotations

from app.ui.widgets.banner import Banner, BannerAction, BannerMessage


class BannerManager:
    """Owns the window's one `Banner`: a new message replaces the shown one, never stacks.

    Hiding the shown message brings back the newest message still posted by another
    channel (the keyring's trouble outlives a failed send's note); ✕ drops the shown one.
    """

    def __init__(self, banner: Banner) -> None:
        self.banner = banner
        self._posted: dict[str, BannerMessage] = {}  # insertion order = age, newest last
        self._shown: str | None = None
        banner.dismissed.connect(self._on_dismissed)

    def channel(self, name: str) -> BannerChannel:
        return BannerChannel(self, name)

    @property
    def shown_channel(self) -> str | None:
        return self._shown

    def post(self, channel: str, message: BannerMessage) -> None:
        self._posted.pop(channel, None)
        self._posted[channel] = message
        self._show_newest()

    def withdraw(self, channel: str) -> None:
        if self._posted.pop(channel, None) is not None:
            self._show_newest()

    def message(self, channel: str) -> BannerMessage | None:
        return self._posted.get(channel)

    def _show_newest(self) -> None:
        if not self._posted:
            self._shown = None
            self.banner.clear()
            return
        self._shown = next(reversed(self._posted))
        self.banner.show_banner(self._posted[self._shown])

    def _on_dismissed(self) -> None:
        if self._shown is not None:
            self._posted.pop(self._shown, None)
        self._show_newest()


class BannerChannel:
    """What one source of messages holds: post or withdraw its message, ask whether it shows."""

    def __init__(self, manager: BannerManager, name: str) -> None:
        self._manager = manager
        self._name = name

    def show_message(
        self,
        title: str,
        text: str,
        level: str = "warning",
        actions: tuple[BannerAction, ...] = (),
    ) -> None:
        self._manager.post(self._name, BannerMessage(title, text, level, actions))

    def hide(self) -> None:
        self._manager.withdraw(self._name)

    def isVisible(self) -> bool:  # noqa: N802 -- reads like the QWidget call it stands for
        return self._manager.shown_channel == self._name and self._manager.banner.isVisible()

    def text(self) -> str:
        message = self._manager.message(self._name)
        return message.plain() if message else ""

    def button(self, name: str) -> object | None:
        """The shown banner's button `name` when this channel's message is the one shown."""
        return self._manager.banner.button(name) if self.isVisible() else None
