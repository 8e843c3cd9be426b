"""Every setting in one place: voice, sounds, timing, looks, reminders, data folder.

The view edits a copy of the Settings it was given. Nothing changes until the
person presses Save: then ``sig_saved`` carries the new Settings (only the
fields the person changed differ from the ones given) and whoever owns the
SettingsStore saves and applies them. The one exception is the look: theme
and text size are previewed live through ``sig_preview_theme`` and put back
on Cancel. A different data folder is used from the next start; nothing in
the old folder is moved or copied.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QSignalBlocker, Qt, QTime, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QApplication,
    QCheckBox,
    QComboBox,
    QCompleter,
    QFileDialog,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSlider,
    QSpinBox,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from ..infra import paths
from ..infra.settings import Settings, parse_time
from ..infra.sound import SoundPlayer
from ..infra.speech import Speaker
from ..infra.store import FILE_NAME as HISTORY_FILE
from .plain import ask, plain_label

SAMPLE_CUE = "Bird dog. Keep your back flat. Three, two, one."

THEME_CHOICES = (("system", "Follow the system"), ("light", "Light"), ("dark", "Dark"),
                 ("high-contrast", "High contrast"))

LIMITS: dict[str, tuple[int, int]] = {
    "voice_rate": (80, 320),
    "prepare_seconds": (0, 120),
    "resume_seconds": (0, 30),
    "countdown_seconds": (0, 10),
    "default_rest_seconds": (0, 600),
    "sitting_break_minutes": (0, 240),
}
"""The spin boxes' ranges: the limits infra.settings accepts (a test keeps them equal)."""
VOLUME_PERCENT = (0, 100)
TEXT_PERCENT = (75, 250)

REMINDER_TIMES = (("remind_morning", "M&orning:"), ("remind_midday", "M&idday:"),
                  ("remind_evening", "&Evening:"), ("remind_session", "Sessio&n days:"))

_TIME_FORMAT = "HH:mm"
_UNSAVED = "You have unsaved changes."
_ENGLISH = re.compile(r"(^|[/_-])en($|[-_])", re.IGNORECASE)


def _is_english(voice_id: str, name: str) -> bool:
    return name.strip().lower().startswith("english") or bool(_ENGLISH.search(voice_id))


def ordered_voices(voices: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """English voices first, then the rest; each group by name."""
    return sorted(voices, key=lambda v: (not _is_english(*v), v[1].strip().lower(), v[0]))


class SettingsView(QWidget):
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

        self._build(folder_note)
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
        self.test_voice.setEnabled(available)
        if available:
            # The engine runs, yet without a sound device nothing is heard.
            text = self._audio_problem
        elif speaker.reason:
            text = speaker.reason
        else:
            text = ("The voice is turned off, so it cannot be tested. Tick \u201cSay the cues "
                    "aloud\u201d and press Save, then test it.")
        self.voice_status.setText(text)
        _show_row(self.voice_status, bool(text))
        self.test_voice.setAccessibleDescription(text)

    def set_sounds(self, sounds: SoundPlayer) -> None:
        self.sounds = sounds
        self._show_sound_status()

    def _show_sound_status(self) -> None:
        sounds = self.sounds
        available = bool(sounds.available)
        self.test_sound.setEnabled(available)
        if available:
            # No device at all matters more than a partial problem (some files missing).
            text = self._audio_problem or sounds.reason
        elif sounds.reason:
            text = sounds.reason
        else:
            text = ("Sounds are turned off, so they cannot be tested. Tick \u201cPlay "
                    "sounds\u201d and press Save, then test them.")
        self.sound_status.setText(text)
        _show_row(self.sound_status, bool(text))
        self.test_sound.setAccessibleDescription(text)

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

    # --- Building ------------------------------------------------------------------------

    def _build(self, folder_note: str) -> None:
        self._boxes = [self._build_voice(), self._build_sounds(), self._build_timing(),
                       self._build_looks(), self._build_reminders(),
                       self._build_folder(folder_note)]
        self._page = QWidget()
        self._page.setObjectName("settings_page")
        self._row = QHBoxLayout(self._page)
        self._row.setContentsMargins(16, 16, 16, 16)
        self._row.setSpacing(20)
        self._column_layouts = [QVBoxLayout(), QVBoxLayout()]
        for column in self._column_layouts:
            column.setSpacing(14)
            self._row.addLayout(column, 1)
        self._columns = 0
        self._arrange(2)

        self._scroll = QScrollArea()
        self._scroll.setWidgetResizable(True)
        self._scroll.setFrameShape(QFrame.Shape.NoFrame)
        self._scroll.setWidget(self._page)

        self.status = plain_label("", wrap=True)
        self.status.setObjectName("settings_status")
        self.restore = QPushButton("Restore defaults\u2026")
        self.restore.setAccessibleName("Restore the default settings")
        self.cancel = QPushButton("&Cancel changes")
        self.cancel.setAccessibleName("Cancel changes")
        self.save_button = QPushButton("&Save")
        self.save_button.setAccessibleName("Save settings")
        self.save_button.setDefault(True)
        self.close_button = QPushButton("Close")
        self.close_button.setAccessibleName("Close settings")
        self.close_button.setToolTip("Close the settings (Esc or Ctrl+W)")
        buttons = QHBoxLayout()
        buttons.setContentsMargins(16, 8, 16, 12)
        buttons.addWidget(self.status, 1)
        buttons.addWidget(self.restore)
        buttons.addWidget(self.cancel)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.close_button)

        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        outer.addWidget(self._scroll, 1)
        rule = QFrame()
        rule.setFrameShape(QFrame.Shape.HLine)
        outer.addWidget(rule)
        outer.addLayout(buttons)
        self._save_shortcut = QShortcut(QKeySequence.StandardKey.Save, self)
        self._save_shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        # Ctrl+W by name too: the platform's standard Close is Ctrl+F4 on some desktops.
        keys = {QKeySequence("Ctrl+W"), QKeySequence(Qt.Key.Key_Escape),
                *QKeySequence.keyBindings(QKeySequence.StandardKey.Close)}
        self._close_shortcuts = [QShortcut(key, self) for key in keys]
        for shortcut in self._close_shortcuts:
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        # A wheel turned to scroll the page must not change the values it passes over
        # (text size once jumped from 150 to 120 % that way): a field takes the wheel
        # only once it has been clicked or tabbed into.
        self._wheel_guard = _WheelOnlyWhenFocused(self._scroll.viewport(), self)
        for field in self._page.findChildren(QWidget):
            if isinstance(field, (QSpinBox, QComboBox, QSlider, QTimeEdit)):
                field.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
                field.installEventFilter(self._wheel_guard)

    def _arrange(self, columns: int) -> None:
        """Two columns on a wide screen (voice, sounds, timing | looks, reminders, folder),
        one when narrow or the text is large. Tab order stays the reading order."""
        if columns == self._columns:
            return
        self._columns = columns
        for layout in self._column_layouts:
            while layout.count():
                layout.takeAt(0)
        left, right = self._column_layouts
        if columns == 2:
            for box in self._boxes[:3]:
                left.addWidget(box)
            for box in self._boxes[3:]:
                right.addWidget(box)
        else:
            for box in self._boxes:
                left.addWidget(box)
        left.addStretch(1)
        right.addStretch(1)
        self._row.setStretch(1, 1 if columns == 2 else 0)

    def _two_column_width(self) -> int:
        left = max(box.minimumSizeHint().width() for box in self._boxes[:3])
        right = max(box.minimumSizeHint().width() for box in self._boxes[3:])
        margins = self._row.contentsMargins()
        return left + right + self._row.spacing() + margins.left() + margins.right()

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        self._arrange(2 if self.width() >= self._two_column_width() + 24 else 1)

    @staticmethod
    def _form_layout(box: QGroupBox) -> QFormLayout:
        """The box's form. Wrapped notes go below it (``_below``): QFormLayout ignores
        height-for-width, so a wrapped label in it got the height of a narrow guess."""
        outer = QVBoxLayout(box)
        outer.setSpacing(8)
        form = QFormLayout()
        outer.addLayout(form)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        return form

    @staticmethod
    def _below(box: QGroupBox, widget: QWidget) -> None:
        box.layout().addWidget(widget)

    @staticmethod
    def _hint(text: str, name: str = "") -> QLabel:
        label = plain_label(text, wrap=True)
        label.setObjectName(name)
        # Wrapped text can be given more height than it needs: keep it under its row.
        label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        return label

    @staticmethod
    def _label(text: str, buddy: QWidget) -> QLabel:
        label = QLabel(text)
        label.setBuddy(buddy)
        return label

    @staticmethod
    def _spin(name: str, field: str, suffix: str, step: int = 1) -> QSpinBox:
        spin = QSpinBox()
        low, high = LIMITS[field]
        spin.setRange(low, high)
        spin.setSingleStep(step)
        spin.setSuffix(suffix)
        spin.setAccessibleName(name)
        spin.setAlignment(Qt.AlignmentFlag.AlignRight)
        spin.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        return spin

    @staticmethod
    def _slider_pair(name: str, low: int, high: int, step: int, page: int,
                     suffix: str) -> tuple[QSlider, QSpinBox, QWidget]:
        """A slider and a number box showing the same value; the number is exact."""
        slider = QSlider(Qt.Orientation.Horizontal)
        slider.setRange(low, high)
        slider.setSingleStep(step)
        slider.setPageStep(page)
        slider.setAccessibleName(name)
        spin = QSpinBox()
        spin.setRange(low, high)
        spin.setSingleStep(step)
        spin.setSuffix(suffix)
        spin.setKeyboardTracking(False)
        spin.setAccessibleName(f"{name}, exact value")
        spin.setAlignment(Qt.AlignmentFlag.AlignRight)
        slider.valueChanged.connect(spin.setValue)
        spin.valueChanged.connect(slider.setValue)
        row = QWidget()
        layout = QHBoxLayout(row)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(slider, 1)
        layout.addWidget(spin)
        return slider, spin, row

    def _build_voice(self) -> QGroupBox:
        box = QGroupBox("Voice")
        form = self._form_layout(box)
        self.voice_on = QCheckBox("Sa&y the cues aloud")
        self.voice_on.setAccessibleName("Say the cues aloud")
        form.addRow(self.voice_on)

        self.voice = QComboBox()
        self.voice.setEditable(True)
        self.voice.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.voice.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.voice.setMinimumContentsLength(22)
        self.voice.setMaxVisibleItems(15)
        self.voice.setAccessibleName("Voice")
        self.voice.setAccessibleDescription("Type part of a name or language to search")
        self.voice.lineEdit().setPlaceholderText("Type to search the voices")
        self.voice.lineEdit().setAccessibleName("Voice, type to search")
        completer = self.voice.completer()
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        form.addRow(self._label("&Voice:", self.voice), self.voice)

        self.rate_slider, self.rate, rate_row = self._slider_pair(
            "Speaking rate in words per minute", *LIMITS["voice_rate"], 5, 20, " wpm")
        form.addRow(self._label("Spea&king rate:", self.rate_slider), rate_row)
        self.volume_slider, self.volume, volume_row = self._slider_pair(
            "Voice volume in percent", *VOLUME_PERCENT, 5, 10, " %")
        form.addRow(self._label("Vo&lume:", self.volume_slider), volume_row)

        self.test_voice = QPushButton("Test vo&ice")
        self.test_voice.setAccessibleName("Test the voice")
        self.test_voice.setToolTip(f"Says \u201c{SAMPLE_CUE}\u201d with the choices above")
        self.test_voice.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        form.addRow(self.test_voice)
        self.voice_status = self._hint("", "voice_status")
        self._below(box, self.voice_status)
        return box

    def _build_sounds(self) -> QGroupBox:
        box = QGroupBox("Sounds")
        form = self._form_layout(box)
        self.sounds_on = QCheckBox("&Play sounds at the start and end of each step")
        self.sounds_on.setAccessibleName("Play sounds")
        self.test_sound = QPushButton("Test so&und")
        self.test_sound.setAccessibleName("Test the sound")
        row = QHBoxLayout()
        row.addWidget(self.sounds_on, 1)
        row.addWidget(self.test_sound)
        form.addRow(row)
        self.sound_status = self._hint("", "sound_status")
        self._below(box, self.sound_status)
        return box

    def _build_timing(self) -> QGroupBox:
        box = QGroupBox("Timing")
        form = self._form_layout(box)
        self.prepare = self._spin("Get ready before the first exercise, seconds",
                                  "prepare_seconds", " s")
        form.addRow(self._label("&Get ready before the first exercise:", self.prepare),
                    self.prepare)
        self.resume = self._spin("Get ready after a pause, seconds", "resume_seconds", " s")
        form.addRow(self._label("Get ready &after a pause:", self.resume), self.resume)
        self.countdown = self._spin("Count down aloud the last seconds", "countdown_seconds",
                                    " s")
        self.countdown.setSpecialValueText("Off")
        form.addRow(self._label("Count &down aloud the last:", self.countdown), self.countdown)
        self.rest = self._spin("Rest between sets, seconds", "default_rest_seconds", " s", 5)
        form.addRow(self._label("Rest &between sets:", self.rest), self.rest)
        self._below(box, self._hint("The rest applies when a routine does not set its own."))
        return box

    def _build_looks(self) -> QGroupBox:
        box = QGroupBox("Looks")
        form = self._form_layout(box)
        self.theme = QComboBox()
        for value, text in THEME_CHOICES:
            self.theme.addItem(text, value)
        self.theme.setAccessibleName("Theme")
        self.theme.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
        form.addRow(self._label("The&me:", self.theme), self.theme)
        self.text_size_slider, self.text_size, size_row = self._slider_pair(
            "Text size in percent", *TEXT_PERCENT, 5, 25, " %")
        form.addRow(self._label("Text si&ze:", self.text_size_slider), size_row)
        self._below(box, self._hint("Changes show at once; Save keeps them. The session "
                                    "window sizes its big timer and words to fit its own "
                                    "window."))
        return box

    def _build_reminders(self) -> QGroupBox:
        box = QGroupBox("Reminders")
        form = self._form_layout(box)
        self.reminders_on = QCheckBox("Show re&minders")
        self.reminders_on.setAccessibleName("Show reminders")
        form.addRow(self.reminders_on)
        self._reminder_widgets: list[QWidget] = []
        self.times: dict[str, tuple[QTimeEdit, QCheckBox]] = {}
        for field, text in REMINDER_TIMES:
            plain = text.replace("&", "").rstrip(":")
            edit = self._time_edit(f"{plain} reminder time")
            off = QCheckBox("Off")
            off.setAccessibleName(f"{plain} reminder off")
            off.toggled.connect(self._on_reminders_toggled)
            row = QWidget()
            layout = QHBoxLayout(row)
            layout.setContentsMargins(0, 0, 0, 0)
            layout.addWidget(edit)
            layout.addWidget(off)
            layout.addStretch(1)
            label = self._label(text, edit)
            form.addRow(label, row)
            self.times[field] = (edit, off)
            self._reminder_widgets += [label, off]

        self.sitting_break = self._spin("Sitting break every, minutes",
                                        "sitting_break_minutes", " min", 5)
        self.sitting_break.setSpecialValueText("Off")
        self.sitting_break.setAccessibleDescription(
            "A stand-and-stretch break after this long sitting; the guides suggest 25 minutes. "
            "0 turns it off.")
        label = self._label("Sitting bre&ak every:", self.sitting_break)
        form.addRow(label, self.sitting_break)
        self._reminder_widgets += [label, self.sitting_break]

        self.quiet_on = QCheckBox("&Quiet hours from")
        self.quiet_on.setAccessibleName("Quiet hours, no reminders")
        self.quiet_start = self._time_edit("Quiet hours start")
        self.quiet_end = self._time_edit("Quiet hours end")
        until = QLabel("to")
        until.setBuddy(self.quiet_end)
        row = QWidget()
        layout = QHBoxLayout(row)
        layout.setContentsMargins(0, 0, 0, 0)
        for widget in (self.quiet_on, self.quiet_start, until, self.quiet_end):
            layout.addWidget(widget)
        layout.addStretch(1)
        form.addRow(row)
        self._reminder_widgets += [self.quiet_on, until]
        self.quiet_on.toggled.connect(self._on_reminders_toggled)

        self.day_end = self._time_edit("My day ends at")
        self.day_end.setMaximumTime(QTime(6, 0))
        self.day_end.setAccessibleDescription(
            "A session started before this time counts for the day before: in the calendar, "
            "adherence, advice and exports. From midnight to 06:00.")
        form.addRow(self._label("My &day ends at:", self.day_end), self.day_end)
        form.addRow(self._hint("A session started before this time (at 00:20, say) counts for "
                               "the day before, everywhere in BackRehab.", "day_end_help"))

        self.autostart = QCheckBox("Start BackRehab &when I log in")
        self.autostart.setAccessibleName("Start BackRehab with the desktop")
        self.autostart.setAccessibleDescription("So reminders can appear without opening it")
        form.addRow(self.autostart)
        return box

    @staticmethod
    def _time_edit(name: str) -> QTimeEdit:
        edit = QTimeEdit()
        edit.setDisplayFormat(_TIME_FORMAT)
        edit.setAccessibleName(name)
        edit.setButtonSymbols(QAbstractSpinBox.ButtonSymbols.UpDownArrows)
        edit.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        return edit

    def _build_folder(self, folder_note: str) -> QGroupBox:
        box = QGroupBox("Data folder")
        form = self._form_layout(box)
        self.folder = QLineEdit()
        self.folder.setReadOnly(True)
        self.folder.setAccessibleName("Data folder in use")
        form.addRow(self._label("Folder in use:", self.folder), self.folder)
        self.change_folder = QPushButton("Choose another folder\u2026")
        self.change_folder.setAccessibleName("Choose another data folder")
        self.default_folder = QPushButton("Use the default folder")
        self.default_folder.setAccessibleName("Use the default data folder")
        row = QHBoxLayout()
        row.addWidget(self.change_folder)
        row.addWidget(self.default_folder)
        row.addStretch(1)
        form.addRow(row)
        self.folder_status = self._hint("", "folder_status")
        self._below(box, self.folder_status)
        text = (f"Your history and these settings are kept in this folder. Another folder is "
                f"used from the next start, and nothing is moved or copied: to take your "
                f"history along, close BackRehab and copy {HISTORY_FILE} and settings.json "
                f"into the new folder first.")
        if folder_note:
            text += " " + folder_note
        self._below(box, self._hint(text, "folder_help"))
        return box

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
            "quiet_start": self.quiet_start.time().toString(_TIME_FORMAT) if quiet else "",
            "quiet_end": self.quiet_end.time().toString(_TIME_FORMAT) if quiet else "",
            "start_with_desktop": self.autostart.isChecked(),
            "day_ends_at": self.day_end.time().toString(_TIME_FORMAT),
        }
        for field, (edit, off) in self.times.items():
            values[field] = "" if off.isChecked() else edit.time().toString(_TIME_FORMAT)
        return values

    def _show_folder(self) -> None:
        self.folder.setText(str(self.data_dir))
        self.folder.setCursorPosition(0)
        if self._folder_chosen:
            self.folder_status.setText(
                f"Used from the next start, once you press Save: "
                f"{self._folder_summary(self._folder_choice)}")
        else:
            self.folder_status.setText(self._next_folder_note)
        _show_row(self.folder_status, bool(self.folder_status.text()))

    def _folder_summary(self, folder: Path | None) -> str:
        shown = folder if folder is not None else self.default_dir
        text = f"the default folder, {shown}." if folder is None else f"{shown}."
        if (shown / HISTORY_FILE).is_file():
            return text + " It already holds a BackRehab history, which will be used."
        return text + (" It has no BackRehab history yet, so BackRehab will start afresh "
                       "there unless you copy your files into it.")

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

    def _on_change_folder(self) -> None:
        start = self._folder_choice if self._folder_chosen and self._folder_choice \
            else self.data_dir
        folder = self.choose_folder(start)
        if folder is None:
            return
        folder = Path(folder)
        if not folder.is_dir() or not os.access(folder, os.W_OK | os.X_OK):
            self.folder_status.setText(
                f"BackRehab cannot write in {folder}; the data folder is unchanged. "
                "Choose a folder you can save files in.")
            _show_row(self.folder_status, True)
            return
        self._choose(folder)

    def _on_default_folder(self) -> None:
        self._choose(None)

    def _choose(self, folder: Path | None) -> None:
        target = folder if folder is not None else self.default_dir
        if target == self.data_dir and not self._next_folder_note and not self._folder_chosen:
            self.folder_status.setText("That is the folder in use already.")
            _show_row(self.folder_status, True)
            return
        self._folder_choice, self._folder_chosen = folder, True
        self._show_folder()
        self._on_edited()

    # --- Real dialogs (replaced in tests) --------------------------------------------------

    def _ask_folder(self, start: Path) -> Path | None:
        text = QFileDialog.getExistingDirectory(
            self, "Choose a folder for your BackRehab history", str(start))
        return Path(text) if text else None

    def _ask_confirm(self, question: str) -> bool:
        return ask(self, "Restore defaults", question)


class _WheelOnlyWhenFocused(QObject):
    """Sends a wheel over an unfocused field to the scrolling page instead."""

    def __init__(self, page: QWidget, parent: QObject) -> None:
        super().__init__(parent)
        self._page = page

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.Wheel and isinstance(watched, QWidget) \
                and not watched.hasFocus():
            QApplication.sendEvent(self._page, event)
            return True
        return False


def _show_row(widget: QWidget, visible: bool) -> None:
    """Show or hide a form row, spacing included (a merely hidden widget leaves a gap)."""
    layout = widget.parentWidget().layout() if widget.parentWidget() else None
    if isinstance(layout, QFormLayout):
        layout.setRowVisible(widget, visible)
    else:
        widget.setVisible(visible)


def _qtime(text: str) -> QTime:
    parsed = parse_time(text)
    return QTime(*parsed) if parsed else QTime(0, 0)
