"""Roles for the widgets Qt cannot know the nature of.

A widget that paints itself (a chart, a drawing) or is a window of its own (the player) is a plain
QWidget to Qt, which screen readers are told is a "filler", a layout box they
skip or read without saying what it is. A factory gives those classes their
true role; their names and descriptions still come from the widgets
themselves (``setAccessibleName``/``setAccessibleDescription``). The classes
are matched by name, so this module imports none of them.
"""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtGui import QAccessible, QAccessibleInterface
from PySide6.QtWidgets import QAccessibleWidget

ROLES: dict[str, QAccessible.Role] = {
    "ChartView": QAccessible.Role.Chart,
    "Illustration": QAccessible.Role.Graphic,
    # A top-level QWidget, not a QMainWindow: a window to screen readers all the same.
    "PlayerWindow": QAccessible.Role.Window,
}

_installed = False


def _factory(class_name: str, obj: QObject) -> QAccessibleInterface | None:
    role = ROLES.get(class_name)
    if role is None or not obj.isWidgetType():
        return None
    return QAccessibleWidget(obj, role)


def install() -> None:
    """Give the classes in ``ROLES`` their roles (once per process; before any is read)."""
    global _installed
    if not _installed:
        _installed = True
        QAccessible.installFactory(_factory)
