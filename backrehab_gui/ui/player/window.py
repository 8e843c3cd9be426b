"""The follow-along window: one session, from the question before it to the summary after.

Its pages: how the back feels before starting, the session, the summary, and "Stop: it
hurts". Keys drive the session whatever has the focus; Enter and +/-10 s are offered only
where they act. How the pages are built and sized is ``layout``; what the session page
shows as the session runs is ``display``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

from PySide6.QtCore import QByteArray, QEvent, Qt, Signal
from PySide6.QtWidgets import (
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from ...core import model as m
from ...core.controls import controls_for
from ...core.engine import State, Summary
from ...core.timeline import Step
from ..folding import page_scroll
from ..plain import ask
from ..widgets import FlashOverlay
from .announce import Announcer, announce
from .controller import SessionController
from .display import SessionDisplay
from .hurt import HurtFlow
from .layout import PlayerLayout
from .summary import SummaryView


class PlayerWindow(SessionDisplay, PlayerLayout, QWidget):
    """Leads a person through one session."""

    sig_started = Signal(object)
    """The session started; with the pain before it (0-10), or None if the person skipped."""
    sig_feedback = Signal(object, object, str, object)
    """After the session: pain after, effort (each 0-10 or None), a note, and whether pain
    more than light lasted over 15 minutes (True, False or None)."""
    sig_retry_save = Signal()
    """The person asked to try saving the session again."""
    sig_save_copy = Signal()
    """The person asked for a copy of the unsaved session."""
    sig_closed = Signal(object)
    """The window closed: the Summary (None if the session never finished or stopped)."""
    sig_window_state = Signal(bool, str)
    """Full screen or not, and the saved geometry (base64), to remember for next time."""
    sig_hurt = Signal(object, object, object)
    """"Stop: it hurts": what happened (core.hurt.Hurt), the exercise's id and name (None
    between exercises)."""
    sig_hurt_action = Signal(object)
    """What the person chose next (core.hurt.Action)."""
    sig_checked = Signal(object)
    """The emergency questions were answered in the session: the ids answered yes."""

    def __init__(self, controller: SessionController, exercises: Mapping[str, m.Exercise],
                 images: Mapping[str, tuple[Path, Path | None]] | None = None,
                 voice_notice: str | None = None, *, ask_pain: bool = True,
                 text_scale: float = 1.0, safety: m.Safety | None = None,
                 easier_for: Callable[[str | None], m.Exercise | None] | None = None,
                 set_rest: float = 30.0, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.text_scale = text_scale
        self.controller = controller
        self.exercises = exercises
        self.images = images or {}
        self.summary: Summary | None = None
        self.pain_before: int | None = None
        self.confirm_stop: Callable[[], bool] = self._ask_stop
        self.setObjectName("player")
        self.setWindowTitle(f"BackRehab: {controller.engine.timeline.name}")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        self._restyle()
        self.setMinimumSize(640, 420)
        self._last_view_key: tuple | None = None

        self._pages = QStackedWidget(self)
        self._before = self._build_before_page(controller.engine.timeline)
        self._session = QWidget()
        self._summary_view = SummaryView(exercises)
        self._summary_view.sig_close.connect(self.close)
        self._summary_view.sig_feedback.connect(self.sig_feedback)
        self._summary_view.sig_retry.connect(self.sig_retry_save)
        self._summary_view.sig_save_copy.connect(self.sig_save_copy)
        self.hurt = HurtFlow(self, safety, easier_for, set_rest, text_scale)
        self._pages.addWidget(self._before)
        self._pages.addWidget(self._session)
        # A small window scrolls the summary rather than squeezing its table and
        # questions on top of each other.
        self._summary_page = page_scroll(self._summary_view, "summary_scroll")
        self._pages.addWidget(self._summary_page)
        self._pages.addWidget(self.hurt.view)
        self._ask_pain = ask_pain
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self._pages)

        self._build_session_page(voice_notice)
        self._flash = FlashOverlay(self)
        self._connect_shortcuts()

        controller.sig_view.connect(self._on_view)
        controller.sig_step_started.connect(self._on_step_started)
        controller.sig_caption.connect(self._on_caption)
        controller.sig_paused.connect(self._on_paused)
        controller.sig_finished.connect(self._on_finished)
        controller.sig_muted.connect(self._on_muted)
        # After the display: screen readers hear the moments that matter, not every second.
        self.announcer = Announcer(lambda text, urgent: announce(self.timer, text,
                                                                 urgent=urgent))
        controller.sig_view.connect(self.announcer.on_view)
        controller.sig_paused.connect(self.announcer.on_paused)
        controller.sig_finished.connect(self.announcer.on_finished)

    def begin(self) -> None:
        """Ask how the back feels (one tap, skippable), then start; or start at once."""
        if self._ask_pain:
            self._pages.setCurrentWidget(self._before)
            self._before_scale.setFocus()
        else:
            self._on_pain_before(None)

    @property
    def on_summary(self) -> bool:
        return self._pages.currentWidget() is self._summary_page

    def set_save_status(self, saved: bool, message: str = "", *, busy: bool = False) -> None:
        self._summary_view.set_save_status(saved, message, busy=busy)

    # --- Before and after the session ------------------------------------------------

    def _on_pain_before(self, value: int | None) -> None:
        if self.controller.engine.state is not State.READY:
            return
        self.pain_before = value
        self._pages.setCurrentWidget(self._session)
        self.setFocus()
        self.sig_started.emit(value)
        self.controller.start()

    def _on_finished(self, summary: Summary) -> None:
        self.summary = summary
        if self.hurt.emergency:
            return      # the emergency page stays: getting help comes before any questions
        self._summary_view.show_summary(summary, self.pain_before)
        self._pages.setCurrentWidget(self._summary_page)
        self._summary_view.pain_after.setFocus()

    # --- Keys and controls ------------------------------------------------------------

    def _connect_shortcuts(self) -> None:
        # Keys are handled in keyPressEvent rather than with QShortcut: they then
        # work whatever has focus inside the window, and whether or not a window
        # manager has made it "active".
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        key = Qt.Key
        self._keys: dict[int, Callable[[], None]] = {
            key.Key_Space: self.controller.toggle_pause,
            key.Key_Right: self.controller.skip,
            key.Key_Left: self.controller.back,
            key.Key_Return: self.controller.enter,
            key.Key_Enter: self.controller.enter,
            key.Key_D: self.controller.finish_set,
            key.Key_Plus: lambda: self.controller.add_time(10),
            key.Key_Equal: lambda: self.controller.add_time(10),
            key.Key_Minus: lambda: self.controller.add_time(-10),
            key.Key_Underscore: lambda: self.controller.add_time(-10),
            key.Key_F: self.toggle_full_screen,
            key.Key_F11: self.toggle_full_screen,
            key.Key_M: self.toggle_mute,
            key.Key_H: self.hurt.start,
            key.Key_Escape: self._on_escape,
        }

    def keyPressEvent(self, event) -> None:  # noqa: N802 - Qt's name
        if self._pages.currentWidget() is self._before:
            self._before_scale.keyPressEvent(event)
            return
        if self._pages.currentWidget() is self.hurt.view:
            if not event.isAutoRepeat():
                self.hurt.view.keyPressEvent(event)
            event.accept()
            return
        handler = self._keys.get(event.key())
        on_summary = self.on_summary
        if handler is None or (on_summary and handler not in (self.toggle_full_screen,
                                                               self._on_escape)):
            super().keyPressEvent(event)
            return
        if not event.isAutoRepeat():
            why_not = self._why_key_does_nothing(event.key())
            if why_not:
                # A key that does nothing here says why rather than staying silent.
                self.words.set_text(self.caption, f"\u2139 {why_not}.")
            else:
                handler()
        event.accept()

    def _why_key_does_nothing(self, key: int) -> str:
        step = self.controller.engine.current
        allowed = controls_for(step)
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_D) and allowed.enter is None:
            return allowed.enter_why_not
        if key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal, Qt.Key.Key_Minus) and not allowed.time:
            return allowed.time_why_not
        return ""

    def _show_controls(self, step: Step) -> None:
        """Enter and +/-10 s appear only where they act; their tooltips say why not."""
        allowed = controls_for(step)
        enter = self.buttons["enter"]
        enter.setEnabled(allowed.enter is not None)
        enter.setText(f"{allowed.enter or 'Rep / Done'}\nEnter")
        enter.setAccessibleName(allowed.enter or "Rep or done")
        enter.setToolTip(allowed.enter_why_not)
        for name in ("minus", "plus"):
            self.buttons[name].setEnabled(allowed.time)
            self.buttons[name].setToolTip(allowed.time_why_not)

    # --- Look and sizes follow the theme and the window (``layout``) ------------------

    def changeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        if event.type() in (QEvent.Type.ApplicationPaletteChange, QEvent.Type.StyleChange):
            self._restyle()
        super().changeEvent(event)

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        self._size_text()

    # --- Actions ------------------------------------------------------------------------

    def toggle_full_screen(self) -> None:
        if self.isFullScreen():
            self.showNormal()
        else:
            self.showFullScreen()

    def toggle_mute(self) -> None:
        self.controller.set_muted(not self.controller.muted)

    @property
    def on_session(self) -> bool:
        return self._pages.currentWidget() is self._session

    def show_page(self, page: QWidget) -> None:
        """Show one of the window's pages (the session's own, or "Stop: it hurts"), with the
        keys going to the window."""
        self._pages.setCurrentWidget(page)
        self.setFocus()

    def show_session(self) -> None:
        self.show_page(self._session)

    def _on_escape(self) -> None:
        if self.isFullScreen():
            self.showNormal()
        elif self._pages.currentWidget() is not self._session:
            self.close()
        else:
            self.request_stop()

    def request_stop(self) -> None:
        if self.controller.finished:
            self.close()
            return
        was_running = not self.controller.paused
        if was_running:
            self.controller.toggle_pause()
        if self.confirm_stop():
            self.controller.stop()
        elif was_running:
            self.controller.toggle_pause()

    def _ask_stop(self) -> bool:
        return ask(self, "Stop the session?",
                   "Stop now? Everything you have done so far is kept.")

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        if not self.controller.finished and self.controller.engine.state is not State.READY:
            self.request_stop()
            if not self.controller.finished:
                event.ignore()
                return
        geometry = bytes(self.saveGeometry().toBase64()).decode("ascii") \
            if not self.isFullScreen() else ""
        self.sig_window_state.emit(self.isFullScreen(), geometry)
        if self.summary is not None:
            self._summary_view.send_feedback()
        self.sig_closed.emit(self.summary)
        super().closeEvent(event)

    def restore_geometry(self, encoded: str) -> None:
        if encoded:
            self.restoreGeometry(QByteArray.fromBase64(encoded.encode("ascii")))

