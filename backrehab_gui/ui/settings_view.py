"""Every setting in one place: voice, sounds, timing, looks, reminders, data folder.

The view edits a copy of the Settings it was given. Nothing changes until the
person presses Save: then ``sig_saved`` carries the new Settings (only the
fields the person changed differ from the ones given) and whoever owns the
SettingsStore saves and applies them. The one exception is the look: theme
and text size are previewed live through ``sig_preview_theme`` and put back
on Cancel (and the text-size control stays in view while a new size moves
the boxes). A different data folder is used from the next start; nothing in
the old folder is moved or copied. The boxes themselves are built and arranged
in ``settings_boxes``; the data folder's choice is ``settings_folder``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import (
    QElapsedTimer,
    QEvent,
    QObject,
    QSignalBlocker,
    Qt,
    QTime,
    QTimer,
    Signal,
)
from PySide6.QtWidgets import QLabel, QPushButton, QWidget

from ..infra import paths
from ..infra.settings import Settings, parse_time
from ..infra.sound import SoundPlayer
from ..infra.speech import Speaker
from .plain import ask
from .settings_boxes import SAMPLE_CUE, TIME_FORMAT, SettingsBoxes, ordered_voices, show_row
from .settings_folder import SettingsFolder

__all__ = ["SAMPLE_CUE", "SettingsView", "ordered_voices"]

_UNSAVED = "You have unsaved changes."
class SettingsView(SettingsBoxes, SettingsFolder, QWidget):
    """The settings screen. Emits; never saves, speaks a session or touches the desktop itself.

    Mnemonics (Alt+letter) leave out F, H, R and T, which the main window's menus
    and tabs use. Three pairs share a letter (Alt+M, Alt+I, Alt+A move between
    the two); the folder and restore buttons have none and are reached with Tab.

    ``choose_folder(current) -> Path | None`` and ``confirm(question) -> bool``
    default to real dialogs; tests (and anyone embedding the view) can pass
    their own so no dialog ever opens.
    """

    sig_saved = Signal(object)
    """Save was pressed: the new Settings, to save and apply."""
    sig_preview_theme = Signal(str, float)
    """The theme or text size being tried (theme name, text scale); also the saved look on
    Cancel."""
    sig_data_folder = Signal(object)
    """Save was pressed with a new data folder: a Path, or None for the default; used from
    the next start."""
    sig_autostart = Signal(bool)
    """Save was pressed and 'start with the desktop' changed: turn autostart on or off."""
    sig_audio_test = Signal()
    """The voice or a sound was tested: check again that sound can be played at all."""

    FIELDS = ("voice_enabled", "voice_id", "voice_rate", "voice_volume", "sounds_enabled",
              "prepare_seconds", "resume_seconds", "countdown_seconds",
              "default_rest_seconds", "theme", "text_scale", "reminders_enabled",
              "remind_morning", "remind_midday", "remind_evening", "remind_session",
              "sitting_break_minutes", "quiet_start", "quiet_end", "start_with_desktop",
              "day_ends_at")
    """The Settings fields this view edits; every other field passes through untouched."""

    def __init__(self, settings: Settings, speaker: Speaker, sounds: SoundPlayer,
                 data_dir: Path, *,
                 choose_folder: Callable[[Path], Path | None] | None = None,
                 confirm: Callable[[str], bool] | None = None,
                 default_dir: Path | None = None, folder_note: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("settings_view")
        self.speaker = speaker
        self.sounds = sounds
        self.data_dir = Path(data_dir)
        self.default_dir = Path(default_dir) if default_dir else paths.default_data_dir()
        self.choose_folder: Callable[[Path], Path | None] = choose_folder or self._ask_folder
        self.confirm: Callable[[str], bool] = confirm or self._ask_confirm
        self._settings = settings
        self._shown: dict[str, object] = {}
        self._folder_choice: Path | None = None
        self._folder_chosen = False
        self._next_folder_note = ""
        self._loading = False
        self._previewed = False
        self._voice_tested = False
        self._audio_problem = ""

        self._follow_looks = QElapsedTimer()
        self._build(folder_note)
        self._page.installEventFilter(self)
        self._connect()
        self._show(settings)
        self._show_folder()
        self.set_speaker(speaker)
        self.set_sounds(sounds)

    # --- Public ------------------------------------------------------------------------

    @property
    def settings(self) -> Settings:
        """The settings last given or saved (not the unsaved edits)."""
        return self._settings

    def edited(self) -> Settings:
        """The settings as shown, unsaved edits included."""
        form = self._form()
        return self._settings.changed(
            **{name: value for name, value in form.items() if value != self._shown[name]})

    @property
    def has_changes(self) -> bool:
        return self._form() != self._shown or self._folder_chosen

    @staticmethod
    def merge(current: Settings, saved: Settings) -> Settings:
        """``current`` with the fields this view edits taken from ``saved``.

        For the receiver of ``sig_saved``: fields changed elsewhere while the view
        was open (window geometry, first-run answers) are kept.
        """
        return current.changed(**{name: getattr(saved, name) for name in SettingsView.FIELDS})

    def set_settings(self, settings: Settings) -> None:
        """Show ``settings``, dropping unsaved edits (say, after they changed elsewhere)."""
        self._settings = settings
        self._folder_choice, self._folder_chosen = None, False
        self._show(settings)
        self._show_folder()
        if self._previewed:
            self._previewed = False
            self.sig_preview_theme.emit(settings.theme, float(settings.text_scale))

    def set_audio_problem(self, text: str) -> None:
        """Why no sound can be played at all ("" when it can), shown beside both tests."""
        self._audio_problem = text
        self._show_voice_status()
        self._show_sound_status()

    def set_speaker(self, speaker: Speaker) -> None:
        """Use another speaker (the app rebuilds it when the voice is turned on or off)."""
        self.speaker = speaker
        self._fill_voices(self._current_voice() or self._settings.voice_id)
        self._show_voice_status()

    def _show_voice_status(self) -> None:
        speaker = self.speaker
        available = bool(speaker.available)
        if available:
            # The engine runs, yet without a sound device nothing is heard.
            text = self._audio_problem
        elif speaker.reason:
            text = speaker.reason
        else:
            text = ("The voice is turned off, so it cannot be tested. Tick \u201cSay the cues "
                    "aloud\u201d and press Save, then test it.")
        _show_test(self.test_voice, self.voice_status, available, text)

    def set_sounds(self, sounds: SoundPlayer) -> None:
        self.sounds = sounds
        self._show_sound_status()

    def _show_sound_status(self) -> None:
        sounds = self.sounds
        available = bool(sounds.available)
        if available:
            # No device at all matters more than a partial problem (some files missing).
            text = self._audio_problem or sounds.reason
        elif sounds.reason:
            text = sounds.reason
        else:
            text = ("Sounds are turned off, so they cannot be tested. Tick \u201cPlay "
                    "sounds\u201d and press Save, then test them.")
        _show_test(self.test_sound, self.sound_status, available, text)

    def show_problem(self, text: str) -> None:
        """Tell the person something went wrong (e.g. the settings could not be saved)."""
        self.status.setText(text)

    def save(self) -> None:
        """Hand over the edited settings (and folder, autostart), as the Save button does."""
        self._commit("Saved.")

    def _commit(self, message: str) -> None:
        before = self._settings
        new = self.edited()
        folder_chosen, folder = self._folder_chosen, self._folder_choice
        self._settings = new
        self._folder_chosen = False
        if folder_chosen:
            self._next_folder_note = f"From the next start: {self._folder_summary(folder)}"
            message += " The new data folder is used from the next start."
        self._previewed = False
        self._voice_tested = False
        self._show(new)
        self._show_folder()
        # Before the signals, so a receiver's show_problem() is what stays on screen.
        self.status.setText(message)
        self.sig_saved.emit(new)
        if new.start_with_desktop != before.start_with_desktop:
            self.sig_autostart.emit(new.start_with_desktop)
        if folder_chosen:
            self.sig_data_folder.emit(folder)

    def revert(self) -> None:
        """Show the saved settings again and undo the preview and the voice test."""
        self._folder_choice, self._folder_chosen = None, False
        self._show(self._settings)
        self._show_folder()
        if self._previewed:
            self._previewed = False
            self.sig_preview_theme.emit(self._settings.theme, float(self._settings.text_scale))
        if self._voice_tested:
            self._voice_tested = False
            s = self._settings
            self.speaker.configure(voice=s.voice_id or None, rate=s.voice_rate,
                                   volume=s.voice_volume)
        self.status.setText("Changes undone.")

    def restore_defaults(self) -> None:
        """Ask, then save the defaults of every setting on this page."""
        if not self.confirm(
                "Put every setting on this page back to how BackRehab came, and save?\n\n"
                "Your history, your plan and your answers to the safety questions are kept, "
                "and the data folder stays where it is."):
            return
        defaults = Settings()
        self._folder_choice, self._folder_chosen = None, False
        self._fill(self._settings.changed(
            **{name: getattr(defaults, name) for name in self.FIELDS}))
        self._on_look_changed()
        self._commit("The default settings are back, and saved.")

    def _connect(self) -> None:
        self.save_button.clicked.connect(self.save)
        self.close_button.clicked.connect(self.close)
        for shortcut in self._close_shortcuts:
            shortcut.activated.connect(self.close)
        self._save_shortcut.activated.connect(self._on_save_key)
        self.cancel.clicked.connect(self.revert)
        self.restore.clicked.connect(self.restore_defaults)
        self.test_voice.clicked.connect(self._on_test_voice)
        self.test_sound.clicked.connect(self._on_test_sound)
        self.change_folder.clicked.connect(self._on_change_folder)
        self.default_folder.clicked.connect(self._on_default_folder)
        self.voice.lineEdit().editingFinished.connect(self._on_voice_typed)
        self.reminders_on.toggled.connect(self._on_reminders_toggled)
        self.theme.currentIndexChanged.connect(self._on_look_changed)
        self.text_size.valueChanged.connect(self._on_look_changed)
        # Dragging previews once, on release, rather than relaying out the app per pixel.
        self.text_size_slider.sliderReleased.connect(self._on_look_changed)
        for widget in (self.voice_on, self.sounds_on, self.reminders_on, self.quiet_on,
                       self.autostart):
            widget.toggled.connect(self._on_edited)
        for spin in (self.rate, self.volume, self.text_size, self.prepare, self.resume,
                     self.countdown, self.rest, self.sitting_break):
            spin.valueChanged.connect(self._on_edited)
        for combo in (self.voice, self.theme):
            combo.currentIndexChanged.connect(self._on_edited)
        for edit in (self.quiet_start, self.quiet_end, self.day_end):
            edit.timeChanged.connect(self._on_edited)
        for edit, off in self.times.values():
            edit.timeChanged.connect(self._on_edited)
            off.toggled.connect(self._on_edited)

    # --- Showing and reading values --------------------------------------------------------

    def _fill_voices(self, selected: str) -> None:
        with QSignalBlocker(self.voice):
            self.voice.clear()
            self.voice.addItem("Default (the speech engine's own)", "")
            known = set()
            for voice_id, name in ordered_voices(list(self.speaker.voices())):
                self.voice.addItem(f"{name.strip() or voice_id}  \u2014  {voice_id}", voice_id)
                known.add(voice_id)
            if selected and selected not in known:
                where = "not found on this computer" if known else "the saved choice"
                self.voice.addItem(f"{selected}  \u2014  {where}", selected)
            self.voice.setCurrentIndex(max(0, self.voice.findData(selected)))

    def _current_voice(self) -> str:
        data = self.voice.currentData()
        return data if isinstance(data, str) else ""

    def _fill(self, s: Settings) -> None:
        """Put ``s`` into the widgets."""
        self._loading = True
        try:
            self.voice_on.setChecked(s.voice_enabled)
            self._fill_voices(s.voice_id)
            self.rate.setValue(int(s.voice_rate))
            self.volume.setValue(round(s.voice_volume * 100))
            self.sounds_on.setChecked(s.sounds_enabled)
            self.prepare.setValue(s.prepare_seconds)
            self.resume.setValue(s.resume_seconds)
            self.countdown.setValue(s.countdown_seconds)
            self.rest.setValue(s.default_rest_seconds)
            index = self.theme.findData(s.theme)
            self.theme.setCurrentIndex(index if index >= 0 else 0)
            self.text_size.setValue(round(s.text_scale * 100))
            self.reminders_on.setChecked(s.reminders_enabled)
            defaults = Settings()
            for field, (edit, off) in self.times.items():
                value = getattr(s, field)
                off.setChecked(not value)
                edit.setTime(_qtime(value or getattr(defaults, field)))
            self.sitting_break.setValue(s.sitting_break_minutes)
            self.quiet_on.setChecked(bool(s.quiet_start and s.quiet_end))
            self.quiet_start.setTime(_qtime(s.quiet_start or defaults.quiet_start))
            self.quiet_end.setTime(_qtime(s.quiet_end or defaults.quiet_end))
            self.autostart.setChecked(s.start_with_desktop)
            self.day_end.setTime(_qtime(s.day_ends_at or "00:00"))
        finally:
            self._loading = False
        self._on_reminders_toggled()

    def _show(self, s: Settings) -> None:
        self._fill(s)
        self._shown = self._form()
        self._on_edited()

    def _form(self) -> dict[str, object]:
        """The widgets' values, as Settings values."""
        quiet = self.quiet_on.isChecked()
        values: dict[str, object] = {
            "voice_enabled": self.voice_on.isChecked(),
            "voice_id": self._current_voice(),
            "voice_rate": self.rate.value(),
            "voice_volume": self.volume.value() / 100,
            "sounds_enabled": self.sounds_on.isChecked(),
            "prepare_seconds": self.prepare.value(),
            "resume_seconds": self.resume.value(),
            "countdown_seconds": self.countdown.value(),
            "default_rest_seconds": self.rest.value(),
            "theme": self.theme.currentData(),
            "text_scale": self.text_size.value() / 100,
            "reminders_enabled": self.reminders_on.isChecked(),
            "sitting_break_minutes": self.sitting_break.value(),
            "quiet_start": self.quiet_start.time().toString(TIME_FORMAT) if quiet else "",
            "quiet_end": self.quiet_end.time().toString(TIME_FORMAT) if quiet else "",
            "start_with_desktop": self.autostart.isChecked(),
            "day_ends_at": self.day_end.time().toString(TIME_FORMAT),
        }
        for field, (edit, off) in self.times.items():
            values[field] = "" if off.isChecked() else edit.time().toString(TIME_FORMAT)
        return values

    # --- Handlers ----------------------------------------------------------------------

    def _on_edited(self, *_: object) -> None:
        if self._loading:
            return
        changed = self.has_changes
        self.save_button.setEnabled(changed)
        self.cancel.setEnabled(changed)
        if changed:
            self.status.setText(_UNSAVED)
        elif self.status.text() == _UNSAVED:
            self.status.setText("")

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        """Closing with unsaved changes asks first; leaving them puts the saved look back."""
        if self.has_changes and not self.confirm(
                "Some changes are not saved. Close the settings without saving them?"):
            event.ignore()
            return
        if self.has_changes:
            self.revert()
        event.accept()

    def _on_save_key(self) -> None:
        if self.save_button.isEnabled():
            self.save()

    def _on_look_changed(self, *_: object) -> None:
        if self._loading or self.text_size_slider.isSliderDown():
            return
        self._previewed = True
        self.sig_preview_theme.emit(self.theme.currentData(), self.text_size.value() / 100)
        # A new text size moves the boxes (two columns become one, every row grows): the
        # control the person is using stays in view while the page is laid out again.
        self._follow_looks.start()
        QTimer.singleShot(0, self, self._keep_looks_in_view)

    def _keep_looks_in_view(self) -> None:
        focused = self.focusWidget()
        looks = (self.theme, self.text_size, self.text_size_slider)
        target = focused if focused in looks else self.text_size
        self._scroll.ensureWidgetVisible(target, 20, 40)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        # The page settles over a few turns of the event loop after a new text size.
        if watched is self._page and event.type() == QEvent.Type.Resize and \
                self._follow_looks.isValid() and self._follow_looks.elapsed() < 1000:
            QTimer.singleShot(0, self, self._keep_looks_in_view)
        return super().eventFilter(watched, event)

    def _on_reminders_toggled(self, *_: object) -> None:
        on = self.reminders_on.isChecked()
        for widget in self._reminder_widgets:
            widget.setEnabled(on)
        for edit, off in self.times.values():
            edit.setEnabled(on and not off.isChecked())
        quiet = on and self.quiet_on.isChecked()
        self.quiet_start.setEnabled(quiet)
        self.quiet_end.setEnabled(quiet)

    def _on_voice_typed(self) -> None:
        """Typed text that names no voice goes back to the chosen voice's name."""
        text = self.voice.lineEdit().text()
        index = self.voice.findText(text, Qt.MatchFlag.MatchFixedString)
        if index >= 0:
            self.voice.setCurrentIndex(index)
        else:
            self.voice.lineEdit().setText(self.voice.currentText())

    def _on_test_voice(self) -> None:
        if not self.speaker.available:
            return
        self._voice_tested = True
        self.speaker.stop()
        self.speaker.configure(voice=self._current_voice() or None, rate=self.rate.value(),
                               volume=self.volume.value() / 100)
        self.speaker.say(SAMPLE_CUE)
        self.sig_audio_test.emit()

    def _on_test_sound(self) -> None:
        if self.sounds.available:
            self.sounds.play("start")
            self.sig_audio_test.emit()

    # --- Real dialogs (replaced in tests) --------------------------------------------------

    def _ask_confirm(self, question: str) -> bool:
        return ask(self, "Restore defaults", question)


def _show_test(button: QPushButton, note: QLabel, available: bool, text: str) -> None:
    """A test button works when its device can; the note under it (and the button's
    description, for a screen reader) says why not, or what else is wrong."""
    button.setEnabled(available)
    note.setText(text)
    show_row(note, bool(text))
    button.setAccessibleDescription(text)


def _qtime(text: str) -> QTime:
    parsed = parse_time(text)
    return QTime(*parsed) if parsed else QTime(0, 0)
