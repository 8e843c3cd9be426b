"""Themes and text size applied to the whole application."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit, QSpinBox, QVBoxLayout, QWidget

from backrehab_gui.ui import theme

Role = QPalette.ColorRole


@pytest.fixture
def app(qapp):
    """The application, put back to the system look after each test."""
    theme.original_font(qapp)  # record the untouched look before any test changes it
    yield qapp
    theme.apply(qapp, "system", 1.0)


def lightness(colour: QColor) -> int:
    return colour.lightness()


def test_dark_has_dark_backgrounds_and_light_text(app):
    theme.apply(app, "dark", 1.0)
    palette = app.palette()
    assert lightness(palette.color(Role.Window)) < 60
    assert lightness(palette.color(Role.WindowText)) > 200
    assert lightness(palette.color(Role.Text)) > lightness(palette.color(Role.Base)) + 120
    assert app.style().name().lower() == "fusion"


def test_light_has_light_backgrounds_and_dark_text(app):
    theme.apply(app, "light", 1.0)
    palette = app.palette()
    assert lightness(palette.color(Role.Window)) > 200
    assert lightness(palette.color(Role.WindowText)) < 60
    assert app.style().name().lower() == "fusion"


def test_high_contrast_is_black_white_and_yellow(app):
    theme.apply(app, "high-contrast", 1.0)
    palette = app.palette()
    assert palette.color(Role.Window) == QColor("#000000")
    assert palette.color(Role.Base) == QColor("#000000")
    assert palette.color(Role.WindowText) == QColor("#ffffff")
    assert palette.color(Role.Text) == QColor("#ffffff")
    assert palette.color(Role.Highlight) == QColor("#ffff00")
    assert palette.color(Role.HighlightedText) == QColor("#000000")
    assert palette.color(Role.Link) == QColor("#ffff00")
    assert isinstance(app.style(), theme.HighContrastStyle)


def test_high_contrast_draws_a_thick_yellow_focus_frame(app, qtbot):
    theme.apply(app, "high-contrast", 1.0)
    box = QWidget()
    layout = QVBoxLayout(box)
    spin, edit = QSpinBox(), QLineEdit("text")
    layout.addWidget(spin)
    layout.addWidget(edit)
    qtbot.addWidget(box)
    box.show()
    qtbot.waitExposed(box)

    def yellow(widget: QWidget) -> int:
        image = widget.grab().toImage()
        return sum(image.pixelColor(x, y) == QColor("#ffff00")
                   for x in range(image.width()) for y in range(image.height()))

    spin.setFocus()
    qtbot.waitUntil(spin.hasFocus)
    assert yellow(spin) > 2 * (spin.width() + spin.height())  # a frame, 3 px thick
    assert yellow(edit) == 0
    edit.setFocus()
    qtbot.waitUntil(edit.hasFocus)
    assert yellow(edit) > 2 * (edit.width() + edit.height())
    assert yellow(spin) == 0


def test_system_restores_the_original_style_and_palette(app):
    original_palette = QPalette(app.palette())
    original_style = app.style().name()
    for name in ("dark", "high-contrast", "light"):
        theme.apply(app, name, 1.0)
        assert app.palette() != original_palette
        theme.apply(app, "system", 1.0)
        assert app.palette() == original_palette
        assert app.style().name() == original_style
        assert not isinstance(app.style(), theme.HighContrastStyle)
        assert not app.testAttribute(Qt.ApplicationAttribute.AA_SetPalette)


def test_text_scale_multiplies_the_base_font_and_1_restores_it_exactly(app):
    base = QFont(app.font())
    theme.apply(app, "system", 1.5)
    assert app.font().pointSizeF() == pytest.approx(base.pointSizeF() * 1.5)
    assert app.font().family() == base.family()
    theme.apply(app, "dark", 1.5)  # not cumulative
    assert app.font().pointSizeF() == pytest.approx(base.pointSizeF() * 1.5)
    theme.apply(app, "light", 0.75)
    assert app.font().pointSizeF() == pytest.approx(base.pointSizeF() * 0.75)
    theme.apply(app, "system", 1.0)
    assert app.font() == base


def test_text_scale_is_clamped_to_the_settings_limits(app):
    base = QFont(app.font())
    theme.apply(app, "system", 9.0)
    assert app.font().pointSizeF() == pytest.approx(base.pointSizeF() * 2.5)
    theme.apply(app, "system", 0.1)
    assert app.font().pointSizeF() == pytest.approx(base.pointSizeF() * 0.75)


def test_a_given_base_font_is_the_100_percent_size(app):
    base = QFont(app.font())
    base.setPointSizeF(12)
    theme.apply(app, "light", 1.25, base_font=base)
    assert app.font().pointSizeF() == pytest.approx(15)


def test_unknown_theme_is_refused(app):
    with pytest.raises(ValueError, match="Unknown theme"):
        theme.apply(app, "sepia", 1.0)


def test_widgets_follow_including_headings_with_their_own_size(app, qtbot):
    base = QFont(app.font())
    page = QWidget()
    layout = QVBoxLayout(page)
    plain, heading, bold, pixels = QLabel("plain"), QLabel("Today"), QLabel("bold"), QLabel("9")
    # Built the way the views build their headings: a multiple of the inherited font.
    font = QFont(heading.font())
    font.setPointSizeF(font.pointSizeF() * 1.8)
    heading.setFont(font)
    font = QFont(bold.font())
    font.setBold(True)
    bold.setFont(font)
    font = QFont(pixels.font())
    font.setPixelSize(40)  # the player's way: sized from its window, left alone
    pixels.setFont(font)
    for label in (plain, heading, bold, pixels):
        layout.addWidget(label)
    qtbot.addWidget(page)
    page.show()

    theme.apply(app, "dark", 2.0)
    QApplication.processEvents()
    assert plain.font().pointSizeF() == pytest.approx(base.pointSizeF() * 2.0)
    assert bold.font().pointSizeF() == pytest.approx(base.pointSizeF() * 2.0)
    assert bold.font().bold()
    assert heading.font().pointSizeF() == pytest.approx(base.pointSizeF() * 3.6, abs=0.02)
    assert pixels.font().pixelSize() == 40

    theme.apply(app, "dark", 1.25)
    theme.apply(app, "system", 1.0)
    QApplication.processEvents()
    assert plain.font().pointSizeF() == pytest.approx(base.pointSizeF())
    assert heading.font().pointSizeF() == pytest.approx(base.pointSizeF() * 1.8, abs=0.02)

    # A view that sets a new heading size later keeps that new ratio.
    font = QFont(heading.font())
    font.setPointSizeF(base.pointSizeF() * 1.4)
    heading.setFont(font)
    theme.apply(app, "system", 2.0)
    assert heading.font().pointSizeF() == pytest.approx(base.pointSizeF() * 2.8, abs=0.02)


def test_palettes_cover_the_roles_widgets_use():
    for name in ("light", "dark", "high-contrast"):
        palette = theme.palette(name)
        for role in (Role.Window, Role.WindowText, Role.Base, Role.Text, Role.Button,
                     Role.ButtonText, Role.Highlight, Role.HighlightedText, Role.Link,
                     Role.PlaceholderText, Role.ToolTipBase, Role.ToolTipText):
            fg_bg = palette.color(role)
            assert fg_bg.isValid(), (name, role)
        text, window = palette.color(Role.WindowText), palette.color(Role.Window)
        assert abs(text.lightness() - window.lightness()) > 150, name
        disabled = palette.color(QPalette.ColorGroup.Disabled, Role.WindowText)
        assert disabled != text, name
