"""Colours derived from the system palette: tinted backgrounds and readable text, light or dark.

Nothing here is a fixed light colour: each tone starts from the palette's own base (or
window) colour, tints it towards a hue, then moves the text towards the palette's text colour
until WCAG AA contrast (4.5:1) holds. Use these instead of hex colours in style sheets.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from typing import TYPE_CHECKING

from PySide6.QtGui import QColor, QPalette

if TYPE_CHECKING:
    from app.core.outcome import Status

AA_NORMAL = 4.5  # WCAG 2.x level AA for normal-size text


class Tone(StrEnum):
    """What a coloured message means."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"
    SUCCESS = "success"


# The hue of each tone; the actual colours are computed from the palette.
_HUES = {
    Tone.ERROR: QColor("#d1242f"),
    Tone.WARNING: QColor("#bf8700"),
    Tone.INFO: QColor("#0969da"),
    Tone.SUCCESS: QColor("#1a7f37"),
}


@cache
def _status_tones() -> dict[Status, Tone]:
    # Looked up on first use: the window's first screen (the profile bar) takes its muted
    # colour from here before the attempt model (app.core.outcome, ~6 ms) is imported.
    from app.core.outcome import Status

    return {
        Status.DELIVERED: Tone.SUCCESS,
        Status.SUCCEEDED: Tone.SUCCESS,
        Status.FAILED: Tone.ERROR,
    }


@dataclass(frozen=True)
class ToneColors:
    """A message strip's colours: text, background and border."""

    foreground: QColor
    background: QColor
    border: QColor


def relative_luminance(color: QColor) -> float:
    """WCAG 2.x relative luminance of an sRGB colour (0 black … 1 white)."""

    def channel(value: float) -> float:
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4

    return (
        0.2126 * channel(color.redF())
        + 0.7152 * channel(color.greenF())
        + 0.0722 * channel(color.blueF())
    )


def contrast_ratio(a: QColor, b: QColor) -> float:
    """WCAG contrast ratio of two colours, 1 … 21."""
    la, lb = relative_luminance(a), relative_luminance(b)
    return (max(la, lb) + 0.05) / (min(la, lb) + 0.05)


def is_dark(palette: QPalette) -> bool:
    return palette.color(QPalette.ColorRole.Base).lightnessF() < 0.5


def blend(a: QColor, b: QColor, amount: float) -> QColor:
    """`a` moved `amount` (0 … 1) of the way to `b`."""
    t = min(1.0, max(0.0, amount))
    return QColor.fromRgbF(
        a.redF() + (b.redF() - a.redF()) * t,
        a.greenF() + (b.greenF() - a.greenF()) * t,
        a.blueF() + (b.blueF() - a.blueF()) * t,
    )


def readable_on(color: QColor, *backgrounds: QColor, minimum: float = AA_NORMAL) -> QColor:
    """`color`, moved towards black or white just far enough to read on every background."""
    darkest = min(backgrounds, key=relative_luminance)
    target = QColor("#ffffff") if relative_luminance(darkest) < 0.18 else QColor("#000000")
    for step in range(21):
        candidate = blend(color, target, step / 20)
        if all(contrast_ratio(candidate, bg) >= minimum for bg in backgrounds):
            return candidate
    return target


def tone_colors(palette: QPalette, tone: Tone) -> ToneColors:
    """The colours of a banner or message box of `tone` on this palette."""
    base = palette.color(QPalette.ColorRole.Window)
    hue = _HUES[tone]
    background = blend(base, hue, 0.28 if is_dark(palette) else 0.14)
    text = palette.color(QPalette.ColorRole.WindowText)
    foreground = readable_on(blend(text, hue, 0.35), background)
    return ToneColors(foreground, background, blend(background, hue, 0.6))


def text_color(palette: QPalette, tone: Tone) -> QColor:
    """Coloured text (an error under a field, an outcome) readable on the window and base."""
    backgrounds = (
        palette.color(QPalette.ColorRole.Window),
        palette.color(QPalette.ColorRole.Base),
        palette.color(QPalette.ColorRole.AlternateBase),
    )
    hue = _HUES[tone]
    start = hue.lighter(150) if is_dark(palette) else hue
    return readable_on(start, *backgrounds)


def status_color(palette: QPalette, status: Status) -> QColor:
    """An attempt's outcome colour: green delivered, red failed, muted pending."""
    tone = _status_tones().get(status)
    return text_color(palette, tone) if tone is not None else muted_text(palette)


def muted_text(palette: QPalette) -> QColor:
    """Secondary text (hints, notes) that is quieter than the text yet still AA-readable."""
    text = palette.color(QPalette.ColorRole.WindowText)
    window = palette.color(QPalette.ColorRole.Window)
    base = palette.color(QPalette.ColorRole.Base)
    quiet = blend(text, window, 0.4)
    return readable_on(quiet, window, base)


def invalid_field_style(palette: QPalette) -> str:
    """A style sheet for an input that holds an invalid value: tinted, outlined, readable."""
    base = palette.color(QPalette.ColorRole.Base)
    hue = _HUES[Tone.ERROR]
    background = blend(base, hue, 0.22 if is_dark(palette) else 0.07)
    text = readable_on(palette.color(QPalette.ColorRole.Text), background)
    border = text_color(palette, Tone.ERROR)
    return (
        f"border: 1px solid {border.name()}; border-radius: 3px; "
        f"background: {background.name()}; color: {text.name()};"
    )


def invalid_row_color(palette: QPalette) -> QColor:
    """The background of a table row with a problem (its text stays the palette's)."""
    base = palette.color(QPalette.ColorRole.Base)
    return blend(base, _HUES[Tone.ERROR], 0.22 if is_dark(palette) else 0.12)


def color_style(color: QColor) -> str:
    return f"color: {color.name()};"


def banner_style(palette: QPalette, tone: Tone) -> str:
    """The style sheet body of a banner of `tone` (for `#name { … }`)."""
    c = tone_colors(palette, tone)
    return (
        f"background: {c.background.name()}; color: {c.foreground.name()}; "
        f"border: 1px solid {c.border.name()};"
    )


def focus_ring_style(palette: QPalette) -> str:
    """An application style sheet: a 2 px ring in the palette's highlight around focused inputs."""
    ring = readable_on(
        palette.color(QPalette.ColorRole.Highlight),
        palette.color(QPalette.ColorRole.Window),
        minimum=3.0,  # WCAG 1.4.11: non-text contrast
    ).name()
    # Buttons and check boxes keep the style's own focus frame; inputs and tables, whose
    # focus often shows only as a caret, get the ring.
    return (
        "QLineEdit:focus, QPlainTextEdit:focus, QComboBox:focus, QTableView:focus, "
        f"QAbstractSpinBox:focus {{ border: 2px solid {ring}; border-radius: 3px; }}"
    )
