"""The settings screen: edit, save, cancel, test the voice and sound, choose a folder."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTime
from PySide6.QtGui import QPalette
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QComboBox,
    QLabel,
    QLineEdit,
    QSlider,
)

from backrehab_gui.infra import settings as settings_module
from backrehab_gui.infra.settings import Settings, SettingsStore
from backrehab_gui.infra.sound import NullSoundPlayer, RecordingSoundPlayer
from backrehab_gui.infra.speech import NullSpeaker, RecordingSpeaker
from backrehab_gui.ui import theme
from backrehab_gui.ui.settings_view import SAMPLE_CUE, SettingsView, ordered_voices

VOICES = [("gmw/af", "Afrikaans"), ("roa/ca", "Catalan"), ("gmw/en-us", "English (America)"),
          ("gmw/en", "English (Great Britain)"), ("gmw/de", "German"),
          ("sit/cmn", "Chinese (Mandarin, latin as English)")]


class Chooser:
    """Stands in for the folder dialog: answers with the next folder, remembers the asks."""

    def __init__(self, *answers: Path | None) -> None:
        self.answers = list(answers)
        self.asked: list[Path] = []

    def __call__(self, start: Path) -> Path | None:
        self.asked.append(start)
        return self.answers.pop(0)


class Confirm:
    def __init__(self, answer: bool) -> None:
        self.answer = answer
        self.questions: list[str] = []

    def __call__(self, question: str) -> bool:
        self.questions.append(question)
        return self.answer


@pytest.fixture
def data_dir(tmp_path):
    folder = tmp_path / "data"
    folder.mkdir()
    return folder


def make_view(qtbot, data_dir, settings=None, *, speaker=None, sounds=None, chooser=None,
              confirm=None, default_dir=None) -> SettingsView:
    view = SettingsView(settings or Settings(), speaker or RecordingSpeaker(VOICES),
                        sounds or RecordingSoundPlayer(), data_dir,
                        choose_folder=chooser or Chooser(),
                        confirm=confirm or Confirm(False),
                        default_dir=default_dir or data_dir.parent / "default")
    qtbot.addWidget(view)
    view.resize(1366, 768)
    view.show()
    return view


def saved(qtbot, view: SettingsView) -> Settings:
    with qtbot.waitSignal(view.sig_saved, timeout=1000) as blocker:
        qtbot.mouseClick(view.save_button, Qt.MouseButton.LeftButton)
    return blocker.args[0]


# --- Save ---------------------------------------------------------------------------


def test_save_emits_exactly_the_changed_values_and_round_trips(qtbot, data_dir, tmp_path):
    start = Settings(welcome_done=True, main_geometry="AAAA", screened_on="2026-01-05")
    view = make_view(qtbot, data_dir, start)
    assert not view.save_button.isEnabled()
    view.voice.setCurrentIndex(view.voice.findData("gmw/en-us"))
    view.rate_slider.setValue(200)
    view.volume.setValue(80)
    view.sounds_on.setChecked(False)
    view.prepare.setValue(15)
    view.resume.setValue(5)
    view.countdown.setValue(0)
    view.rest.setValue(45)
    view.theme.setCurrentIndex(view.theme.findData("dark"))
    view.text_size.setValue(125)
    view.times["remind_morning"][0].setTime(QTime(6, 45))
    view.sitting_break.setValue(40)
    view.quiet_end.setTime(QTime(6, 30))
    view.autostart.setChecked(True)
    assert view.save_button.isEnabled()
    assert view.status.text() == "You have unsaved changes."

    new = saved(qtbot, view)

    assert new == start.changed(
        voice_id="gmw/en-us", voice_rate=200, voice_volume=0.8, sounds_enabled=False,
        prepare_seconds=15, resume_seconds=5, countdown_seconds=0, default_rest_seconds=45,
        theme="dark", text_scale=1.25, remind_morning="06:45", sitting_break_minutes=40,
        quiet_end="06:30", start_with_desktop=True)
    store = SettingsStore(tmp_path)
    store.save(new)
    assert store.load() == new
    assert store.problems == []
    assert view.settings == new
    assert not view.has_changes
    assert view.status.text() == "Saved."


def test_values_the_widgets_cannot_show_exactly_pass_through_untouched(qtbot, data_dir):
    start = Settings(voice_volume=0.333, text_scale=1.234, remind_morning="7:05",
                     quiet_start="", quiet_end="06:00", voice_id="gone/voice")
    view = make_view(qtbot, data_dir, start)
    assert not view.has_changes
    view.rest.setValue(60)
    assert saved(qtbot, view) == start.changed(default_rest_seconds=60)


def test_every_saved_value_loads_back_as_shown(qtbot, data_dir):
    start = Settings(voice_enabled=False, voice_id="gmw/en", voice_rate=300, voice_volume=0.25,
                     sounds_enabled=False, prepare_seconds=120, resume_seconds=30,
                     countdown_seconds=10, default_rest_seconds=600, theme="high-contrast",
                     text_scale=2.5, reminders_enabled=False, remind_morning="",
                     remind_midday="11:15", remind_evening="", remind_session="17:45",
                     sitting_break_minutes=0, quiet_start="23:00", quiet_end="06:15",
                     start_with_desktop=True)
    view = make_view(qtbot, data_dir, start)
    assert view.edited() == start
    assert not view.voice_on.isChecked()
    assert view.voice.currentData() == "gmw/en"
    assert view.rate.value() == 300 and view.rate_slider.value() == 300
    assert view.volume.value() == 25
    assert view.theme.currentData() == "high-contrast"
    assert view.text_size.value() == 250
    assert view.times["remind_morning"][1].isChecked()
    assert view.times["remind_midday"][0].time() == QTime(11, 15)
    assert view.sitting_break.text() == "Off"
    assert view.autostart.isChecked()


def test_merge_keeps_fields_changed_elsewhere(qtbot, data_dir):
    view = make_view(qtbot, data_dir)
    view.rate.setValue(120)
    new = saved(qtbot, view)
    elsewhere = Settings(main_geometry="BBBB", welcome_done=True)
    merged = SettingsView.merge(elsewhere, new)
    assert merged == elsewhere.changed(voice_rate=120)


def test_ctrl_s_saves(qtbot, data_dir):
    view = make_view(qtbot, data_dir)
    view.prepare.setValue(20)
    view.activateWindow()
    qtbot.waitUntil(view.isActiveWindow)
    view.prepare.setFocus()
    with qtbot.waitSignal(view.sig_saved, timeout=1000) as blocker:
        QTest.keyClick(view.prepare, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert blocker.args[0].prepare_seconds == 20


# --- Cancel and restore defaults ----------------------------------------------------------


def test_cancel_shows_the_saved_values_again(qtbot, data_dir):
    start = Settings(voice_rate=150, remind_midday="")
    view = make_view(qtbot, data_dir, start)
    view.rate.setValue(250)
    view.voice_on.setChecked(False)
    view.times["remind_midday"][1].setChecked(False)
    view.times["remind_midday"][0].setTime(QTime(13, 0))
    view.quiet_on.setChecked(False)
    with qtbot.assertNotEmitted(view.sig_saved):
        qtbot.mouseClick(view.cancel, Qt.MouseButton.LeftButton)
    assert view.rate.value() == 150
    assert view.voice_on.isChecked()
    assert view.times["remind_midday"][1].isChecked()
    assert not view.times["remind_midday"][0].isEnabled()
    assert view.quiet_on.isChecked()
    assert view.edited() == start
    assert not view.has_changes
    assert not view.save_button.isEnabled()


def test_the_look_is_previewed_and_cancel_puts_the_saved_look_back(qtbot, data_dir):
    view = make_view(qtbot, data_dir, Settings(theme="light", text_scale=1.1))
    with qtbot.waitSignal(view.sig_preview_theme) as blocker:
        view.theme.setCurrentIndex(view.theme.findData("dark"))
    assert blocker.args == ["dark", 1.1]
    with qtbot.waitSignal(view.sig_preview_theme) as blocker:
        view.text_size.setValue(150)
    assert blocker.args == ["dark", 1.5]
    with qtbot.waitSignal(view.sig_preview_theme) as blocker:
        view.revert()
    assert blocker.args == ["light", 1.1]


def test_dragging_the_text_size_previews_once_on_release(qtbot, data_dir):
    view = make_view(qtbot, data_dir)
    previews = []
    view.sig_preview_theme.connect(lambda *args: previews.append(args))
    view.text_size_slider.setSliderDown(True)
    for value in (110, 120, 130, 140):
        view.text_size_slider.setValue(value)
    assert view.text_size.value() == 140  # the number follows the drag
    assert previews == []
    view.text_size_slider.setSliderDown(False)
    assert previews == [("system", 1.4)]


def test_preview_wired_to_the_theme_changes_the_app_and_cancel_restores(qtbot, qapp,
                                                                       data_dir):
    theme.original_font(qapp)
    original = QPalette(qapp.palette())
    view = make_view(qtbot, data_dir)
    view.sig_preview_theme.connect(lambda name, scale: theme.apply(qapp, name, scale))
    try:
        view.theme.setCurrentIndex(view.theme.findData("high-contrast"))
        assert qapp.palette().color(QPalette.ColorRole.Window).name() == "#000000"
        view.revert()
        assert qapp.palette() == original
    finally:
        theme.apply(qapp, "system", 1.0)


def test_restore_defaults_asks_first(qtbot, data_dir):
    start = Settings(voice_rate=100, theme="dark", remind_evening="", welcome_done=True,
                     red_flags="night-pain", player_geometry="CCCC", start_with_desktop=True)
    confirm = Confirm(False)
    view = make_view(qtbot, data_dir, start, confirm=confirm)
    with qtbot.assertNotEmitted(view.sig_saved):
        qtbot.mouseClick(view.restore, Qt.MouseButton.LeftButton)
    assert len(confirm.questions) == 1
    assert view.rate.value() == 100

    confirm.answer = True
    autostart = []
    view.sig_autostart.connect(autostart.append)
    with qtbot.waitSignal(view.sig_saved) as blocker:
        qtbot.mouseClick(view.restore, Qt.MouseButton.LeftButton)
    defaults = Settings()
    assert blocker.args[0] == start.changed(
        voice_rate=defaults.voice_rate, theme=defaults.theme,
        remind_evening=defaults.remind_evening, start_with_desktop=False)
    assert autostart == [False]
    assert view.rate.value() == defaults.voice_rate


# --- Voice and sound --------------------------------------------------------------------


def test_test_voice_configures_then_says_the_sample(qtbot, data_dir):
    speaker = RecordingSpeaker(VOICES)
    view = make_view(qtbot, data_dir, speaker=speaker)
    view.voice.setCurrentIndex(view.voice.findData("gmw/en-us"))
    view.rate.setValue(190)
    view.volume.setValue(50)
    qtbot.mouseClick(view.test_voice, Qt.MouseButton.LeftButton)
    assert speaker.settings == {"voice": "gmw/en-us", "rate": 190, "volume": 0.5}
    assert [cue.text for cue in speaker.cues] == [SAMPLE_CUE]
    assert speaker.cues[0].due is None and speaker.cues[0].expires is None

    # Cancel sets the speaker back to the saved voice, rate and volume.
    view.revert()
    assert speaker.settings == {"voice": "gmw/en-us", "rate": 165, "volume": 1.0}


def test_unavailable_voice_disables_the_test_and_says_why(qtbot, data_dir):
    reason = "Voice is unavailable: espeak-ng is not installed."
    view = make_view(qtbot, data_dir, Settings(voice_id="gmw/en"), speaker=NullSpeaker(reason))
    assert not view.test_voice.isEnabled()
    assert view.voice_status.text() == reason
    assert view.voice_status.isVisible()
    # The saved voice is kept even though the engine lists none.
    assert view.voice.currentData() == "gmw/en"
    assert view.edited().voice_id == "gmw/en"


def test_voice_turned_off_says_how_to_test_it_and_a_new_speaker_enables_it(qtbot, data_dir):
    view = make_view(qtbot, data_dir, Settings(voice_enabled=False), speaker=NullSpeaker(""))
    assert not view.test_voice.isEnabled()
    assert "turned off" in view.voice_status.text()
    speaker = RecordingSpeaker(VOICES)
    view.set_speaker(speaker)
    assert view.test_voice.isEnabled()
    assert not view.voice_status.isVisible()
    assert view.voice.count() == 1 + len(VOICES)
    qtbot.mouseClick(view.test_voice, Qt.MouseButton.LeftButton)
    assert speaker.texts == [SAMPLE_CUE]


def test_test_sound_plays_start(qtbot, data_dir):
    sounds = RecordingSoundPlayer()
    view = make_view(qtbot, data_dir, sounds=sounds)
    qtbot.mouseClick(view.test_sound, Qt.MouseButton.LeftButton)
    assert sounds.played == ["start"]


def test_unavailable_sounds_disable_the_test_and_say_why(qtbot, data_dir):
    reason = "Sounds are unavailable: aplay is not installed."
    view = make_view(qtbot, data_dir, sounds=NullSoundPlayer(reason))
    assert not view.test_sound.isEnabled()
    assert view.sound_status.text() == reason


def test_voices_list_default_first_then_english(qtbot, data_dir):
    view = make_view(qtbot, data_dir)
    ids = [view.voice.itemData(i) for i in range(view.voice.count())]
    assert ids[0] == ""
    assert ids[1:] == ["gmw/en-us", "gmw/en", "gmw/af", "roa/ca", "sit/cmn", "gmw/de"]
    assert "English (America)" in view.voice.itemText(1)
    assert "gmw/en-us" in view.voice.itemText(1)  # the id is shown with the name
    assert ordered_voices([("x/eo", "Esperanto"), ("y/en-gb-x-rp", "Received")]) == [
        ("y/en-gb-x-rp", "Received"), ("x/eo", "Esperanto")]


def test_voice_search_matches_anywhere_and_nonsense_goes_back(qtbot, data_dir):
    view = make_view(qtbot, data_dir, Settings(voice_id="gmw/de"))
    completer = view.voice.completer()
    assert completer.filterMode() == Qt.MatchFlag.MatchContains
    assert completer.caseSensitivity() == Qt.CaseSensitivity.CaseInsensitive
    line = view.voice.lineEdit()
    line.setText("no such voice")
    line.editingFinished.emit()
    assert line.text() == view.voice.currentText()
    assert view.voice.currentData() == "gmw/de"
    line.setText(view.voice.itemText(view.voice.findData("roa/ca")).upper())
    line.editingFinished.emit()
    assert view.voice.currentData() == "roa/ca"


# --- Reminders ----------------------------------------------------------------------------


def test_reminder_time_off_saves_an_empty_time(qtbot, data_dir):
    view = make_view(qtbot, data_dir)
    edit, off = view.times["remind_midday"]
    assert edit.isEnabled()
    off.setChecked(True)
    assert not edit.isEnabled()
    new = saved(qtbot, view)
    assert new.remind_midday == ""
    assert new == Settings(remind_midday="")


def test_an_empty_time_shows_as_off_and_turning_it_on_gives_a_time(qtbot, data_dir):
    view = make_view(qtbot, data_dir, Settings(remind_session=""))
    edit, off = view.times["remind_session"]
    assert off.isChecked() and not edit.isEnabled()
    off.setChecked(False)
    assert edit.isEnabled()
    assert saved(qtbot, view).remind_session == Settings().remind_session


def test_quiet_hours_off_clears_both_times(qtbot, data_dir):
    view = make_view(qtbot, data_dir)
    view.quiet_on.setChecked(False)
    assert not view.quiet_start.isEnabled() and not view.quiet_end.isEnabled()
    new = saved(qtbot, view)
    assert (new.quiet_start, new.quiet_end) == ("", "")


def test_reminders_off_greys_the_reminder_controls_but_keeps_their_values(qtbot, data_dir):
    view = make_view(qtbot, data_dir)
    view.reminders_on.setChecked(False)
    assert not view.sitting_break.isEnabled()
    assert not view.times["remind_morning"][0].isEnabled()
    assert view.autostart.isEnabled()
    assert saved(qtbot, view) == Settings(reminders_enabled=False)


def test_autostart_is_signalled_only_when_it_changes(qtbot, data_dir):
    view = make_view(qtbot, data_dir)
    calls = []
    view.sig_autostart.connect(calls.append)
    view.rate.setValue(170)
    saved(qtbot, view)
    assert calls == []
    view.autostart.setChecked(True)
    saved(qtbot, view)
    view.autostart.setChecked(False)
    saved(qtbot, view)
    assert calls == [True, False]


# --- Data folder --------------------------------------------------------------------------


def test_data_folder_change_uses_the_chooser_and_is_sent_on_save(qtbot, data_dir, tmp_path):
    new_folder = tmp_path / "elsewhere"
    new_folder.mkdir()
    chooser = Chooser(new_folder)
    view = make_view(qtbot, data_dir, chooser=chooser)
    assert view.folder.text() == str(data_dir)
    with qtbot.assertNotEmitted(view.sig_data_folder):
        qtbot.mouseClick(view.change_folder, Qt.MouseButton.LeftButton)
    assert chooser.asked == [data_dir]
    assert str(new_folder) in view.folder_status.text()
    assert "no BackRehab history" in view.folder_status.text()
    assert view.has_changes and view.save_button.isEnabled()
    with qtbot.waitSignal(view.sig_data_folder) as blocker:
        qtbot.mouseClick(view.save_button, Qt.MouseButton.LeftButton)
    assert blocker.args == [new_folder]
    assert view.folder.text() == str(data_dir)  # in use until the next start
    assert "next start" in view.folder_status.text()
    assert not view.has_changes


def test_a_folder_with_a_history_is_recognised(qtbot, data_dir, tmp_path):
    other = tmp_path / "with-history"
    other.mkdir()
    (other / "history.sqlite3").write_bytes(b"")
    view = make_view(qtbot, data_dir, chooser=Chooser(other))
    view.change_folder.click()
    assert "already holds a BackRehab history" in view.folder_status.text()


def test_cancelling_the_chooser_or_cancel_changes_keeps_the_folder(qtbot, data_dir, tmp_path):
    other = tmp_path / "other"
    other.mkdir()
    view = make_view(qtbot, data_dir, chooser=Chooser(None, other))
    view.change_folder.click()
    assert not view.has_changes
    view.change_folder.click()
    assert view.has_changes
    view.revert()
    with qtbot.assertNotEmitted(view.sig_data_folder):
        view.save()


def test_a_folder_that_cannot_be_written_is_refused(qtbot, data_dir, tmp_path):
    view = make_view(qtbot, data_dir, chooser=Chooser(tmp_path / "missing"))
    view.change_folder.click()
    assert "cannot write" in view.folder_status.text()
    assert not view.has_changes


def test_use_the_default_folder_sends_none(qtbot, data_dir, tmp_path):
    view = make_view(qtbot, data_dir, default_dir=tmp_path / "default")
    view.default_folder.click()
    assert "the default folder" in view.folder_status.text()
    with qtbot.waitSignal(view.sig_data_folder) as blocker:
        view.save()
    assert blocker.args == [None]


def test_the_folder_in_use_is_not_chosen_again(qtbot, data_dir):
    view = make_view(qtbot, data_dir, default_dir=data_dir)
    view.default_folder.click()
    assert "in use already" in view.folder_status.text()
    assert not view.has_changes


# --- Limits, layout and access --------------------------------------------------------------


def test_widget_ranges_match_the_settings_limits(qtbot, data_dir):
    limits = settings_module._LIMITS
    view = make_view(qtbot, data_dir)
    for field, spin in (("voice_rate", view.rate), ("prepare_seconds", view.prepare),
                        ("resume_seconds", view.resume), ("countdown_seconds", view.countdown),
                        ("default_rest_seconds", view.rest),
                        ("sitting_break_minutes", view.sitting_break)):
        assert (spin.minimum(), spin.maximum()) == limits[field], field
    assert (view.volume.minimum() / 100, view.volume.maximum() / 100) == \
        limits["voice_volume"]
    assert (view.text_size.minimum() / 100, view.text_size.maximum() / 100) == \
        limits["text_scale"]
    themes = tuple(view.theme.itemData(i) for i in range(view.theme.count()))
    assert themes == settings_module._CHOICES["theme"] == theme.THEMES
    assert set(SettingsView.FIELDS) <= {f for f in Settings.__dataclass_fields__}


def test_every_control_has_an_accessible_name_and_every_label_a_mnemonic(qtbot, data_dir):
    view = make_view(qtbot, data_dir)
    controls = [w for kind in (QAbstractButton, QAbstractSpinBox, QComboBox, QSlider,
                               QLineEdit) for w in view.findChildren(kind)]
    controls = [w for w in controls
                if not isinstance(w.parentWidget(), (QComboBox, QAbstractSpinBox))]
    assert len(controls) > 30
    for widget in controls:
        assert widget.accessibleName(), widget
    buddies = [label for label in view.findChildren(QLabel) if label.buddy() is not None]
    assert len(buddies) >= 16
    for label in buddies:
        assert label.buddy().focusPolicy() & Qt.FocusPolicy.TabFocus, label.text()
    with_mnemonic = [label for label in buddies if "&" in label.text()]
    assert len(with_mnemonic) >= len(buddies) - 2  # "Folder in use" and "to" need none


def test_mnemonics_stay_clear_of_the_main_windows_menus_and_tabs(qtbot, data_dir):
    view = make_view(qtbot, data_dir)
    texts = [w.text() for w in view.findChildren(QLabel) + view.findChildren(QAbstractButton)]
    letters = [t[t.index("&") + 1].lower() for t in texts if "&" in t]
    assert len(letters) >= 20
    assert not set(letters) & set("fhrt")  # File, Help; Today, Routines, History


def test_alt_mnemonic_moves_focus_to_the_field(qtbot, data_dir):
    view = make_view(qtbot, data_dir)
    view.activateWindow()
    qtbot.waitUntil(view.isActiveWindow)
    QTest.keyClick(view, Qt.Key.Key_K, Qt.KeyboardModifier.AltModifier)
    assert view.rate_slider.hasFocus()
    QTest.keyClick(view, Qt.Key.Key_G, Qt.KeyboardModifier.AltModifier)
    assert view.prepare.hasFocus()


def test_narrow_or_large_text_gives_one_column(qtbot, data_dir):
    view = make_view(qtbot, data_dir)
    assert view._columns == 2
    view.resize(560, 700)
    qtbot.waitUntil(lambda: view._columns == 1)
    view.resize(1366, 768)
    qtbot.waitUntil(lambda: view._columns == 2)


def test_a_problem_reported_while_saving_stays_on_screen(qtbot, data_dir):
    view = make_view(qtbot, data_dir)
    view.sig_saved.connect(lambda _s: view.show_problem("Not saved: the disk is full."))
    view.rate.setValue(200)
    view.save()
    assert view.status.text() == "Not saved: the disk is full."


def test_set_settings_drops_edits_and_an_unsaved_preview(qtbot, data_dir):
    view = make_view(qtbot, data_dir)
    view.theme.setCurrentIndex(view.theme.findData("dark"))
    view.rate.setValue(99)
    with qtbot.waitSignal(view.sig_preview_theme) as blocker:
        view.set_settings(Settings(theme="light", voice_rate=140))
    assert blocker.args == ["light", 1.0]
    assert view.rate.value() == 140
    assert not view.has_changes


# --- Closing and the wheel -----------------------------------------------------------


def test_close_button_esc_and_ctrl_w_close_the_settings(qtbot, data_dir):
    for press in ("button", Qt.Key.Key_Escape, "ctrl+w"):
        view = make_view(qtbot, data_dir)
        view.activateWindow()
        qtbot.waitUntil(view.isActiveWindow)  # shortcuts work in the active window
        view.text_size.setFocus()
        if press == "button":
            qtbot.mouseClick(view.close_button, Qt.MouseButton.LeftButton)
        elif press == "ctrl+w":
            QTest.keyClick(view.text_size, Qt.Key.Key_W, Qt.KeyboardModifier.ControlModifier)
        else:
            QTest.keyClick(view.text_size, press)
        assert not view.isVisible(), press


def test_closing_with_unsaved_changes_asks_and_can_keep_editing(qtbot, data_dir):
    keep = Confirm(False)
    view = make_view(qtbot, data_dir, confirm=keep)
    view.prepare.setValue(view.prepare.value() + 5)
    qtbot.mouseClick(view.close_button, Qt.MouseButton.LeftButton)
    assert view.isVisible() and keep.questions == [
        "Some changes are not saved. Close the settings without saving them?"]
    leave = Confirm(True)
    view.confirm = leave
    qtbot.mouseClick(view.close_button, Qt.MouseButton.LeftButton)
    assert not view.isVisible() and not view.has_changes


def test_the_wheel_scrolls_past_a_field_it_is_not_in(qtbot, data_dir):
    from PySide6.QtCore import QPoint, QPointF
    from PySide6.QtGui import QWheelEvent
    from PySide6.QtWidgets import QApplication

    view = make_view(qtbot, data_dir, Settings(text_scale=1.5))
    view.activateWindow()
    qtbot.waitUntil(view.isActiveWindow)
    view.save_button.setFocus()
    before = view.text_size.value()

    def wheel(widget) -> None:
        centre = QPointF(widget.rect().center())
        event = QWheelEvent(centre, QPointF(widget.mapToGlobal(centre.toPoint())), QPoint(0, 0),
                            QPoint(0, -120), Qt.MouseButton.NoButton,
                            Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase, False)
        QApplication.sendEvent(widget, event)

    for widget in (view.text_size, view.text_size_slider, view.theme):
        wheel(widget)
    assert view.text_size.value() == before and not view.has_changes
    # Once the person is in the field, the wheel is theirs to use.
    view.text_size.setFocus()
    qtbot.waitUntil(view.text_size.hasFocus)
    wheel(view.text_size)
    assert view.text_size.value() != before
