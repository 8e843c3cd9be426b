"""Text from routine files, from the person and from the system, shown exactly as written.

Wherever Qt is not told a text's format it guesses (``Qt.mightBeRichText``):
labels, tooltips, message boxes, the desktop's notifications. A routine named
``<img src="/dev/zero">`` would then be drawn as an image, read from that file
until memory runs out; a summary could bring headings or links. So every place
that shows such text (routine and exercise text, notes the person typed, file
names, error messages) goes through this module, and shows it as plain text.

Buttons, menus and tabs never read HTML, but a lone ``&`` in their text marks
a keyboard shortcut and vanishes: :func:`mnemonic_safe` keeps it.
"""

from __future__ import annotations

import functools
import sys
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QLabel, QWidget

if TYPE_CHECKING:
    from PySide6.QtWidgets import QMessageBox

# Qt::PlainText and Qt::NoTextInteraction, given to the label's properties by value:
# naming them through PySide's ``Qt`` namespace builds all of its hundred-odd enums
# (some 20 ms) at the first label, between the window frame and Today.
# tests/ui/test_plain_text.py checks that they still mean what they say.
PLAIN_TEXT = 0
NO_TEXT_INTERACTION = 0


def plain_label(text: str = "", parent: QWidget | None = None, *, wrap: bool = False,
                name: str = "") -> QLabel:
    """A label that shows its text exactly as written: never as rich text or links.

    ``name`` is the object name, for style sheets and tests. It is never the accessible
    name: a screen reader reads a label's text, as everyone else does.
    """
    label = QLabel(parent)
    label.setProperty("textInteractionFlags", NO_TEXT_INTERACTION)
    label.setWordWrap(wrap)
    set_plain(label, text)
    if name:
        label.setObjectName(name)
    return label


def set_plain(label: QLabel, text: str) -> None:
    """Show ``text`` in ``label`` as plain text, whatever the label was set to before."""
    label.setProperty("textFormat", PLAIN_TEXT)
    label.setText(text)


def tooltip_text(text: str) -> str:
    """``text`` made into a tooltip that shows it literally.

    Tooltips have no text-format setting, and plain text that merely looks like
    HTML is rendered as HTML. So the text is escaped and wrapped in a paragraph,
    which Qt always reads as rich text: what shows is the escaped text, exactly
    as written, wrapped to the tooltip's width. Line breaks are kept.
    """
    from PySide6.QtCore import Qt
    from PySide6.QtGui import Qt as GuiQt  # Qt namespace functions that live in QtGui

    if not text:
        return ""
    return GuiQt.convertFromPlainText(text, Qt.WhiteSpaceMode.WhiteSpaceNormal)


def mnemonic_safe(text: str) -> str:
    """Text for a button, menu entry, check box or tab: ``&`` stays an ``&`` rather than
    marking the next letter as a keyboard shortcut."""
    return text.replace("&", "&&")


def message_box(parent: QWidget | None, title: str, text: str,
                icon: QMessageBox.Icon | None = None,
                buttons: QMessageBox.StandardButton | None = None,
                default: QMessageBox.StandardButton | None = None,
                ) -> QMessageBox:
    """A message box whose text is plain (QMessageBox's static helpers guess the format):
    a warning with OK unless ``icon`` and ``buttons`` say otherwise; ``default`` the
    button Enter presses."""
    # QMessageBox's class (and its enums) is made here, when a box is shown, not at start.
    from PySide6.QtWidgets import QMessageBox

    box = QMessageBox(QMessageBox.Icon.Warning if icon is None else icon, title, text,
                      QMessageBox.StandardButton.Ok if buttons is None else buttons, parent)
    box.setProperty("textFormat", PLAIN_TEXT)
    if default is not None and default != QMessageBox.StandardButton.NoButton:
        box.setDefaultButton(default)
    return box


def ask(parent: QWidget | None, title: str, text: str) -> bool:
    """A yes-or-no question in plain text, No by default; True for yes."""
    from PySide6.QtWidgets import QMessageBox

    box = message_box(parent, title, text, QMessageBox.Icon.Question,
                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                      QMessageBox.StandardButton.No)
    return box.exec() == QMessageBox.StandardButton.Yes


def notification_text(text: str, takes_markup: bool | None = None) -> str:
    """The body of a desktop notification (``QSystemTrayIcon.showMessage``), shown literally.

    Where Qt hands notifications to the desktop's notification service
    (org.freedesktop.Notifications), their body is markup and must be escaped;
    where it draws its own balloon, the body is plain text and must not be.
    ``takes_markup`` None asks which one this desktop does. The title is plain
    text in both.
    """
    if takes_markup is None:
        takes_markup = notifications_take_markup()
    if not takes_markup:
        return text
    import html  # its table of named characters loads only for a notification

    return html.escape(text, quote=False)


@functools.cache
def notifications_take_markup() -> bool:
    """Whether this desktop's tray notifications go over D-Bus (body read as markup).

    Qt on Linux uses the D-Bus tray, and with it the notification service, when
    a StatusNotifier watcher is registered on the session bus; otherwise its own
    balloon. Qt decides once per process, so this is asked once too.
    """
    if not sys.platform.startswith("linux"):
        return False
    from PySide6.QtDBus import QDBusConnection  # only when a notification is shown

    bus = QDBusConnection.sessionBus()
    if not bus.isConnected() or bus.interface() is None:
        return False
    reply = bus.interface().isServiceRegistered("org.kde.StatusNotifierWatcher")
    return bool(reply.isValid() and reply.value())
