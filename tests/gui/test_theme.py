"""Colours follow the system theme and read at WCAG AA in light and dark (issue 14 item 9).

The figures are measured on what Qt renders: each widget is grabbed to an image and the
contrast is taken between its background and the strongest glyph pixel.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from PySide6.QtGui import QColor, QImage, QPalette
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit, QWidget
from pytestqt.qtbot import QtBot

from app.core.outcome import Status
from app.core.profile import Profile
from app.ui import theme
from app.ui.widgets.resend_form import ResendForm
from app.ui.widgets.trigger_row import TriggerRow

SANDBOX = Profile(name="Sandbox", region="us-east-1", builtin=True)


def dark_palette() -> QPalette:
    """A dark theme as a desktop would give it (roles from a typical dark Fusion palette)."""
    p = QPalette()
    roles = {
        QPalette.ColorRole.Window: "#2d2d2d",
        QPalette.ColorRole.WindowText: "#e8e8e8",
        QPalette.ColorRole.Base: "#1e1e1e",
        QPalette.ColorRole.AlternateBase: "#262626",
        QPalette.ColorRole.Text: "#e8e8e8",
        QPalette.ColorRole.Button: "#3a3a3a",
        QPalette.ColorRole.ButtonText: "#e8e8e8",
        QPalette.ColorRole.Highlight: "#2f6fdb",
        QPalette.ColorRole.HighlightedText: "#ffffff",
        QPalette.ColorRole.PlaceholderText: "#8a8a8a",
        QPalette.ColorRole.ToolTipBase: "#3a3a3a",
        QPalette.ColorRole.ToolTipText: "#e8e8e8",
    }
    for role, color in roles.items():
        p.setColor(role, QColor(color))
    for role in (
        QPalette.ColorRole.WindowText,
        QPalette.ColorRole.Text,
        QPalette.ColorRole.ButtonText,
    ):
        p.setColor(QPalette.ColorGroup.Disabled, role, QColor("#7a7a7a"))
    return p


@pytest.fixture(params=["light", "dark"])
def themed(request: pytest.FixtureRequest, qapp: QApplication) -> Iterator[QPalette]:
    original = QApplication.palette()
    palette = QApplication.style().standardPalette() if request.param == "light" else dark_palette()
    QApplication.setPalette(palette)
    yield palette
    QApplication.setPalette(original)


def rendered_contrast(widget: QWidget) -> float:
    """The text colour the widget paints with (its polished palette role, style sheet
    applied) against the background it actually rendered (its most common pixel)."""
    widget.ensurePolished()
    image: QImage = widget.grab().toImage()
    counts: dict[int, int] = {}
    for y in range(image.height()):
        for x in range(image.width()):
            rgb = image.pixel(x, y)
            counts[rgb] = counts.get(rgb, 0) + 1
    background = QColor.fromRgb(max(counts, key=lambda k: counts[k]))
    text = widget.palette().color(widget.foregroundRole())
    nominal = theme.contrast_ratio(text, background)
    # The glyphs really are drawn in that colour (anti-aliasing softens thin stems a little).
    strongest = max(theme.contrast_ratio(QColor.fromRgb(rgb), background) for rgb in counts)
    assert strongest >= 0.75 * nominal, (text.name(), background.name(), strongest)
    return nominal


@pytest.mark.parametrize("tone", list(theme.Tone))
def test_tones_read_at_aa(themed: QPalette, tone: theme.Tone) -> None:
    c = theme.tone_colors(themed, tone)
    assert theme.contrast_ratio(c.foreground, c.background) >= theme.AA_NORMAL
    color = theme.text_color(themed, tone)
    for role in (QPalette.ColorRole.Window, QPalette.ColorRole.Base):
        assert theme.contrast_ratio(color, themed.color(role)) >= theme.AA_NORMAL, role
    # The banner background follows the theme: dark on a dark palette, light on a light one.
    assert theme.is_dark(themed) == (c.background.lightnessF() < 0.5)


@pytest.mark.parametrize("status", list(Status))
def test_outcome_colours_read_on_rows_and_alternate_rows(themed: QPalette, status: Status) -> None:
    color = theme.status_color(themed, status)
    for role in (QPalette.ColorRole.Base, QPalette.ColorRole.AlternateBase):
        assert theme.contrast_ratio(color, themed.color(role)) >= theme.AA_NORMAL


def test_rendered_error_label_and_invalid_field(qtbot: QtBot, themed: QPalette) -> None:
    form = ResendForm()
    qtbot.addWidget(form)
    form.set_profile(SANDBOX, keyring_usable=True)
    form.set_ready(True)
    form.show()
    form.username_edit.setText("x" * 200)  # too long: the field and its message turn red
    assert form.username_error.isVisible()
    label: QLabel = form.username_error
    assert rendered_contrast(label) >= theme.AA_NORMAL
    assert rendered_contrast(form.send_hint) >= theme.AA_NORMAL
    edit: QLineEdit = form.username_edit
    edit.setClearButtonEnabled(False)
    # The invalid field's text on its tinted background.
    assert rendered_contrast(edit) >= theme.AA_NORMAL
    style = edit.styleSheet()
    assert "background" in style and "#fff6f6" not in style


def test_rendered_trigger_error(qtbot: QtBot, themed: QPalette) -> None:
    row = TriggerRow()
    qtbot.addWidget(row)
    row.show()
    row.set_error("There is no file /tmp/missing.py.")
    assert rendered_contrast(row.status_label) >= theme.AA_NORMAL


def test_contrast_formula_matches_wcag() -> None:
    assert theme.contrast_ratio(QColor("#000000"), QColor("#ffffff")) == pytest.approx(21.0)
    assert theme.contrast_ratio(QColor("#767676"), QColor("#ffffff")) == pytest.approx(4.54, 0.01)


def test_diagnosis_findings_read_at_aa(themed: QPalette) -> None:
    """The card's finding titles take their colour from the palette, not fixed hex."""
    import re

    from app.core.diagnosis_result import Code, Finding, Severity
    from app.ui.widgets.diagnosis_card import findings_html

    @dataclass(frozen=True)
    class _Diag:
        findings: tuple[Finding, ...]

    found = tuple(
        Finding(Code.RECENT_ATTEMPTS, s, "title", "detail", "remedy") for s in Severity
    )
    html = findings_html(_Diag(found), themed)  # type: ignore[arg-type]
    colours = re.findall(r"color:(#[0-9a-f]{6})", html)
    assert len(colours) == 3
    window = themed.color(QPalette.ColorRole.Window)
    for colour in colours:
        assert theme.contrast_ratio(QColor(colour), window) >= theme.AA_NORMAL, colour


@pytest.mark.parametrize("level", ["warning", "error", "info"])
def test_rendered_banner_reads_at_aa(qtbot: QtBot, themed: QPalette, level: str) -> None:
    """The one-line banner's colours come from the palette in both themes."""
    from app.ui.widgets.banner import Banner, BannerMessage

    banner = Banner("themeBanner")
    qtbot.addWidget(banner)
    banner.resize(600, 32)
    banner.show_banner(BannerMessage("Title", "Some text for the person", level=level))
    assert rendered_contrast(banner.label) >= theme.AA_NORMAL
    tone = theme.tone_colors(themed, theme.Tone(level))
    assert tone.background.name() in banner.styleSheet()
