"""The settings screen's boxes and fields: voice, sounds, timing, looks, reminders and the
data folder. ``SettingsBoxes`` builds them onto the view (settings_view), which shows,
reads and saves their values. Rows of label and field sit on a grid (``form_grid``).
"""

from __future__ import annotations

import re

from PySide6.QtCore import QEvent, QObject, Qt, QTime
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QApplication,
    QCheckBox,
    QComboBox,
    QCompleter,
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

from ..infra.settings import LIMITS
from ..infra.store import FILE_NAME as HISTORY_FILE
from .form_grid import Form
from .plain import plain_label
from .widgets import WrapLabel

SAMPLE_CUE = "Bird dog. Keep your back flat. Three, two, one."

THEME_CHOICES = (("system", "Follow the system"), ("light", "Light"), ("dark", "Dark"),
                 ("high-contrast", "High contrast"))


def _percent(limits: tuple[float, float]) -> tuple[int, int]:
    """A setting's range (0.75 to 2.5) as a slider's whole percents (75 to 250)."""
    return round(limits[0] * 100), round(limits[1] * 100)


VOLUME_PERCENT = _percent(LIMITS["voice_volume"])
TEXT_PERCENT = _percent(LIMITS["text_scale"])

REMINDER_TIMES = (("remind_morning", "M&orning:"), ("remind_midday", "M&idday:"),
                  ("remind_evening", "&Evening:"), ("remind_session", "Sessio&n days:"))

TIME_FORMAT = "HH:mm"


class SettingsBoxes:
    """The boxes and their arrangement; a mixin for SettingsView, which owns the widgets
    it creates."""

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
        # A comfortable width for each box: what its rows ask for with their labels on
        # one line, up to thirty lines of text wide (a long note may wrap), and never
        # less than its least width. Least widths alone, every label wrapped word by
        # word, kept two cramped columns at any text size.
        line = self.fontMetrics().height()

        def comfortable(box: QWidget) -> int:
            return max(box.minimumSizeHint().width(), min(box.sizeHint().width(), line * 30))

        left = max(comfortable(box) for box in self._boxes[:3])
        right = max(comfortable(box) for box in self._boxes[3:])
        margins = self._row.contentsMargins()
        return left + right + self._row.spacing() + margins.left() + margins.right()

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        self._rearrange()

    def changeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange and hasattr(self, "_boxes"):
            # A new text size may no longer fit two columns (or fit them again).
            self._rearrange()

    def _rearrange(self) -> None:
        self._arrange(2 if self.width() >= self._two_column_width() + 24 else 1)

    # --- The boxes ----------------------------------------------------------------------

    @staticmethod
    def _form_layout(box: QGroupBox) -> Form:
        """The box's rows of label and field; notes for the whole box go below them
        (``_below``)."""
        outer = QVBoxLayout(box)
        outer.setSpacing(8)
        return Form(outer)

    @staticmethod
    def _below(box: QGroupBox, widget: QWidget) -> None:
        box.layout().addWidget(widget)

    @staticmethod
    def _hint(text: str, name: str = "") -> QLabel:
        label = WrapLabel(text)
        label.setObjectName(name)
        # Wrapped text can be given more height than it needs: keep it under its row.
        label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        return label

    @staticmethod
    def _label(text: str, buddy: QWidget) -> QLabel:
        # Wraps, so a narrow window or large text takes more lines rather than the field's
        # room; "&" marks the key that goes to its field.
        label = WrapLabel(text)
        label.setBuddy(buddy)
        return label

    @staticmethod
    def _spin(name: str, field: str, suffix: str, step: int = 1) -> QSpinBox:
        spin = QSpinBox()
        low, high = (int(limit) for limit in LIMITS[field])
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
        edit.setDisplayFormat(TIME_FORMAT)
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


def show_row(widget: QWidget, visible: bool) -> None:
    """Show or hide a note under a box (a hidden widget takes no room in its layout)."""
    widget.setVisible(visible)


_ENGLISH = re.compile(r"(^|[/_-])en($|[-_])", re.IGNORECASE)


def _is_english(voice_id: str, name: str) -> bool:
    return name.strip().lower().startswith("english") or bool(_ENGLISH.search(voice_id))


def ordered_voices(voices: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """English voices first, then the rest; each group by name."""
    return sorted(voices, key=lambda v: (not _is_english(*v), v[1].strip().lower(), v[0]))


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
