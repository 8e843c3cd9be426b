"""The app's looks: colour theme and text size, applied to the whole QApplication.

``apply(app, theme, text_scale)`` is the one entry point. Themes:

* ``system``: the platform's own style and palette, exactly as they were
  before the first ``apply`` (recorded then);
* ``light`` and ``dark``: Qt's Fusion style with a full QPalette of our own, so
  they look the same on every desktop;
* ``high-contrast``: pure black, white and yellow, with thick yellow focus
  frames. Not Fusion: Fusion draws frames, check boxes and spin-box outlines
  in a shade of the window colour, which on pure black is black, so they all
  vanish (and restyling them with a style sheet loses the spin-box arrows).
  Qt's classic "Windows" style draws every edge from the palette's Light,
  Dark and Shadow roles, which are white here: the look of the Windows
  high-contrast modes. A small proxy over it thickens the focus frames.

Text size multiplies the *original* application font (or ``base_font``), never
the current one, so 1.5 then 1.0 gives back the original font exactly. Widgets
that only inherit the font follow at once. Widgets that set their own point
size (the views' headings: ``font.setPointSizeF(font.pointSizeF() * 1.8)``)
keep their ratio to the application font: each ``apply`` rescales them.
Fonts set in pixels are left alone: the player window sizes its text in
pixels from its own window size, for reading from two metres away.

Windows with colours of their own (the player, the charts) ask ``current()`` which
theme is on. Widgets under a style sheet keep the font and palette they were
polished with, so each ``apply`` polishes them again.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPalette, QPen
from PySide6.QtWidgets import QApplication, QWidget

from ..core.records import record_class

if TYPE_CHECKING:
    from PySide6.QtWidgets import QStyleOption

from ..infra.settings import CHOICES, LIMITS

THEMES = CHOICES["theme"]
SCALE_LIMITS = LIMITS["text_scale"]
"""The text sizes the settings allow."""

_SIZE_RESOLVED = 0x0002
"""QFont::SizeResolved: the font's own size was set (PySide6 does not expose the enum)."""
_RATIO = "_backrehab_font_ratio"
_CURRENT = "_backrehab_theme"
_LAST_SIZE = "_backrehab_font_size"

_Role = QPalette.ColorRole
_Group = QPalette.ColorGroup


@record_class(frozen=False)
class _Original:
    app: QApplication
    style: str
    palette: QPalette
    palette_set: bool
    font: QFont


_original: _Original | None = None


def apply(app: QApplication, theme: str, text_scale: float,
          base_font: QFont | None = None) -> None:
    """Give ``app`` the theme and text size; every open and future widget follows.

    Raises ValueError for an unknown theme. ``text_scale`` is clamped to
    SCALE_LIMITS. ``base_font`` is the font at 100%; None means the
    application's font before the first call.
    """
    if theme not in THEMES:
        raise ValueError(f"Unknown theme {theme!r}; expected one of {', '.join(THEMES)}")
    original = _remember(app)
    # Set first: windows with colours of their own (the player, the charts) ask for it
    # when the new style and palette reach them.
    app.setProperty(_CURRENT, theme)
    if theme == "system":
        _set_style(app, original.style)
        # A default-constructed palette hands the palette back to the platform
        # (and clears Qt.AA_SetPalette); a palette someone set before us is kept.
        app.setPalette(QPalette(original.palette) if original.palette_set else QPalette())
    else:
        _set_style(app, "high-contrast" if theme == "high-contrast" else "fusion")
        app.setPalette(palette(theme))
    _set_scale(app, QFont(base_font) if base_font is not None else QFont(original.font),
               text_scale)
    _repolish_style_sheets()


def _repolish_style_sheets() -> None:
    """Polish again every widget that has a style sheet of its own.

    Widgets under a style sheet keep the font and palette they were polished with: a
    new text size or theme did not reach the player's questions, its summary or the
    exercise library's heading. Setting the same sheet again polishes them afresh.
    """
    for widget in QApplication.allWidgets():
        sheet = widget.styleSheet()
        if sheet:
            widget.setStyleSheet(sheet)


def current(app: QApplication | None = None) -> str:
    """The theme last applied ("system" before any)."""
    app = app or QApplication.instance()
    name = app.property(_CURRENT) if app is not None else None
    return name if name in THEMES else "system"


def original_font(app: QApplication) -> QFont:
    """The application font at 100%, as it was before the first ``apply``."""
    return QFont(_remember(app).font)


def _remember(app: QApplication) -> _Original:
    global _original
    if _original is None or _original.app is not app:
        _original = _Original(
            app=app, style=app.style().name(), palette=QPalette(app.palette()),
            palette_set=app.testAttribute(Qt.ApplicationAttribute.AA_SetPalette),
            font=QFont(app.font()))
    return _original


def _set_style(app: QApplication, name: str) -> None:
    current = app.style()
    high_contrast = _high_contrast_style()
    if name == "high-contrast":
        if not isinstance(current, high_contrast):
            app.setStyle(high_contrast())
    elif isinstance(current, high_contrast) or current.name().lower() != name.lower():
        app.setStyle(name)


def __getattr__(name: str) -> object:
    if name == "HighContrastStyle":
        return _high_contrast_style()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


@functools.cache
def _high_contrast_style() -> type:
    """The high-contrast style's class (``HighContrastStyle``), made when a theme is first
    set: defining it builds Qt's style classes and their many enums, ~6 ms that a start
    in the desktop's own look, and every start's Today, need not wait for."""
    from PySide6.QtWidgets import QAbstractSpinBox, QComboBox, QProxyStyle, QStyle, QStyleFactory

    class HighContrastStyle(QProxyStyle):
        """Qt's "Windows" style (Fusion where it is missing) with 3-pixel yellow focus
        frames, also round spin boxes, combo boxes and text fields, which draw no focus
        frame there."""

        FOCUS = QColor("#ffff00")
        WIDTH = 3

        def __init__(self) -> None:
            super().__init__(QStyleFactory.create("Windows") or QStyleFactory.create("Fusion"))

        def drawPrimitive(self, element, option, painter, widget=None) -> None:  # noqa: N802
            if element == QStyle.PrimitiveElement.PE_FrameFocusRect:
                self._focus_frame(painter, option.rect)
                return
            super().drawPrimitive(element, option, painter, widget)
            if element == QStyle.PrimitiveElement.PE_PanelLineEdit and _focused(option) and \
                    not isinstance(widget.parentWidget() if widget else None,
                                   (QComboBox, QAbstractSpinBox)):
                self._focus_frame(painter, option.rect)

        def drawComplexControl(self, control, option, painter,  # noqa: N802
                               widget=None) -> None:
            super().drawComplexControl(control, option, painter, widget)
            if control in (QStyle.ComplexControl.CC_SpinBox,
                           QStyle.ComplexControl.CC_ComboBox) and _focused(option):
                self._focus_frame(painter, option.rect)

        def _focus_frame(self, painter: QPainter, rect: QRect) -> None:
            painter.save()
            pen = QPen(self.FOCUS)
            pen.setWidth(self.WIDTH)
            pen.setJoinStyle(Qt.PenJoinStyle.MiterJoin)
            painter.setPen(pen)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            inset = self.WIDTH // 2
            painter.drawRect(rect.adjusted(inset, inset, -inset - 1, -inset - 1))
            painter.restore()

    return HighContrastStyle


def _focused(option: QStyleOption) -> bool:
    from PySide6.QtWidgets import QStyle

    state = option.state
    return bool(state & QStyle.StateFlag.State_HasFocus) and \
        bool(state & QStyle.StateFlag.State_Enabled)


# --- Text size ------------------------------------------------------------------------


def scaled_font(base: QFont, scale: float) -> QFont:
    """``base`` at ``scale`` times its size (points or pixels, whichever it uses)."""
    font = QFont(base)
    if base.pointSizeF() > 0:
        font.setPointSizeF(base.pointSizeF() * scale)
    elif base.pixelSize() > 0:
        font.setPixelSize(max(1, round(base.pixelSize() * scale)))
    return font


def _set_scale(app: QApplication, base: QFont, text_scale: float) -> None:
    scale = min(max(float(text_scale), SCALE_LIMITS[0]), SCALE_LIMITS[1])
    old_size = app.font().pointSizeF()
    font = base if scale == 1.0 else scaled_font(base, scale)
    app.setFont(font)
    _rescale_own_fonts(old_size, app.font().pointSizeF())


def _rescale_own_fonts(old_size: float, new_size: float) -> None:
    """Keep each widget that set its own point size at the same ratio to the app font.

    The ratio is worked out the first time a widget is seen (against the app
    font it was built from) and kept in a property, so going back and forth
    between sizes does not drift; a widget whose owner set a new size since
    gets its ratio worked out again.
    """
    if old_size <= 0 or new_size <= 0:
        return
    for widget in QApplication.allWidgets():
        if not widget.testAttribute(Qt.WidgetAttribute.WA_SetFont):
            continue
        font = widget.font()
        size = font.pointSizeF()
        if size <= 0 or not font.resolveMask() & _SIZE_RESOLVED:
            continue  # pixel sizes (the player) and fonts that only set bold or a family
        ratio, last = widget.property(_RATIO), widget.property(_LAST_SIZE)
        if ratio is None or last is None or abs(float(last) - size) > 1e-6:
            ratio = round(size / old_size, 4)
            if abs(ratio - 1.0) < 1e-3:
                continue  # the same size as the app's: it follows by itself
        _set_point_size(widget, font, new_size * float(ratio), float(ratio))


def _set_point_size(widget: QWidget, font: QFont, size: float, ratio: float) -> None:
    font = QFont(font)
    font.setPointSizeF(round(size, 2))
    widget.setFont(font)
    widget.setProperty(_RATIO, ratio)
    widget.setProperty(_LAST_SIZE, widget.font().pointSizeF())


# --- Palettes -------------------------------------------------------------------------

# Each role's colour in the light, dark and high-contrast themes, side by side so the
# themes are compared (and every theme gives every role) at a glance.
_THEME_COLUMNS = ("light", "dark", "high-contrast")
_COLOURS = {
    _Role.Window: ("#f3f3f3", "#202124", "#000000"),
    _Role.WindowText: ("#1a1a1a", "#e8eaed", "#ffffff"),
    # Dark fields lighter than the window: Fusion outlines them in a darker shade of the
    # window colour, which a darker field would swallow (empty check boxes vanished).
    _Role.Base: ("#ffffff", "#303236", "#000000"),
    _Role.AlternateBase: ("#eef1f4", "#383a3f", "#1a1a1a"),
    _Role.ToolTipBase: ("#ffffe6", "#303134", "#000000"),
    _Role.ToolTipText: ("#1a1a1a", "#e8eaed", "#ffffff"),
    _Role.PlaceholderText: ("#6b6b6b", "#9aa0a6", "#c0c0c0"),
    _Role.Text: ("#1a1a1a", "#e8eaed", "#ffffff"),
    _Role.Button: ("#e6e6e6", "#3a3c41", "#000000"),
    _Role.ButtonText: ("#1a1a1a", "#e8eaed", "#ffffff"),
    _Role.BrightText: ("#b00020", "#ff8a80", "#ffff00"),
    _Role.Light: ("#ffffff", "#4a4d52", "#ffffff"),
    _Role.Midlight: ("#f0f0f0", "#3c4043", "#ffffff"),
    _Role.Mid: ("#b8b8b8", "#2a2b2e", "#ffffff"),
    _Role.Dark: ("#9a9a9a", "#151617", "#ffffff"),
    _Role.Shadow: ("#5c5c5c", "#000000", "#ffffff"),
    _Role.Highlight: ("#1a5fb4", "#8ab4f8", "#ffff00"),
    _Role.HighlightedText: ("#ffffff", "#202124", "#000000"),
    _Role.Link: ("#1a5fb4", "#8ab4f8", "#ffff00"),
    _Role.LinkVisited: ("#613583", "#c58af9", "#00ffff"),
}
# Disabled widgets; None keeps the role's usual colour (high contrast's black fields).
_DISABLED = {
    _Role.WindowText: ("#8a8a8a", "#8a9096", "#a0a0a0"),
    _Role.Text: ("#8a8a8a", "#8a9096", "#a0a0a0"),
    _Role.ButtonText: ("#8a8a8a", "#8a9096", "#a0a0a0"),
    _Role.Base: ("#f3f3f3", "#26282b", None),
    _Role.Highlight: ("#9a9a9a", "#5f6368", "#a0a0a0"),
}


def palette(theme: str) -> QPalette:
    """The palette of ``light``, ``dark`` or ``high-contrast``."""
    column = _THEME_COLUMNS.index(theme)
    result = QPalette()
    for role, colours in _COLOURS.items():
        result.setColor(role, QColor(colours[column]))
    accent = getattr(_Role, "Accent", None)  # Qt 6.6 and later
    if accent is not None:
        result.setColor(accent, QColor(_COLOURS[_Role.Highlight][column]))
    for role, colours in _DISABLED.items():
        if colours[column] is not None:
            result.setColor(_Group.Disabled, role, QColor(colours[column]))
    return result
