"""Red flags in the app: an emergency answer locks the program until, on a later day, the
person confirms a doctor has cleared them; the weekly check; records in the history."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from backrehab_gui.core.schedule import Enrolment
from backrehab_gui.core.screening import EventKind
from backrehab_gui.infra.keep_awake import RecordingKeepAwake
from backrehab_gui.infra.settings import FILE_NAME, Settings, SettingsStore
from backrehab_gui.infra.sound import RecordingSoundPlayer
from backrehab_gui.infra.speech import RecordingSpeaker
from backrehab_gui.infra.store import HistoryStore
from backrehab_gui.ui.app import App
from backrehab_gui.ui.enrol_form import EnrolForm
from backrehab_gui.ui.first_run import FirstRun
from backrehab_gui.ui.player.window import PlayerWindow
from backrehab_gui.ui.safety_screens import LockScreen, QuickCheck

from .test_today import questionnaires_skipped

MONDAY = datetime(2026, 11, 23, 9, 0, tzinfo=timezone(timedelta(hours=1)))


class WallClock:
    def __init__(self, now: datetime = MONDAY) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def make_app(qtbot, home, clock: WallClock) -> App:
    app = App(home, speaker=RecordingSpeaker(), sounds=RecordingSoundPlayer(),
              keep_awake=RecordingKeepAwake(), wall_clock=clock, tray_available=False)
    qtbot.addWidget(app.window)
    return app


def shown(app):
    return app.today_view.pages.currentWidget()


def screen_with(flow: FirstRun, yes: set[str]) -> None:
    flow.welcome_next.click()
    for flag_id, group in flow.flag_groups.items():
        group.button(1 if flag_id in yes else 0).setChecked(True)
    flow.flags_next.click()


def events(home, kind: EventKind | None = None):
    with HistoryStore.open(home) as store:
        found = store.safety_events_between(date(2026, 1, 1), date(2026, 12, 31))
    return [e for e in found if kind is None or e.kind is kind]


def test_an_emergency_yes_says_get_help_today_and_cannot_be_cleared_the_same_day(qtbot,
                                                                                  tmp_path):
    clock = WallClock()
    app = make_app(qtbot, tmp_path, clock)
    screen_with(shown(app), {"saddle-numbness", "recent-injury"})
    lock = shown(app)
    assert isinstance(lock, LockScreen)
    text = lock.advice.text()
    assert "groin" in text and "today" in text
    # No way to unlock today: nothing to tick, no button, and the rule refuses it anyway.
    assert not lock.confirm.isVisibleTo(lock) and not lock.unlock.isVisibleTo(lock)
    assert "From Tuesday 24 November 2026" in lock.note.text()
    lock.confirm.setChecked(True)
    lock.unlock.click()
    lock.sig_cleared.emit()
    assert not app.screening_passed
    # No session, and the safety check from the menu shows the lock, not the questions.
    assert app.start_routine("daily-evening") is None
    app.window.sig_safety_check.emit()
    assert isinstance(shown(app), LockScreen)
    saved = SettingsStore(tmp_path).load()
    assert saved.emergency_on == "2026-11-23" and saved.emergency_flags == "saddle-numbness"
    (screening,) = events(tmp_path, EventKind.SCREENING)
    assert screening.emergency and screening.flags == ("saddle-numbness", "recent-injury")
    assert screening.at == MONDAY
    app.close()

    # A restart the same evening changes nothing.
    clock.now = MONDAY.replace(hour=23, minute=59)
    app = make_app(qtbot, tmp_path, clock)
    assert isinstance(shown(app), LockScreen) and not shown(app).clearable
    app.close()


def test_on_a_later_day_a_deliberate_confirmation_unlocks_and_is_recorded(qtbot, tmp_path):
    clock = WallClock()
    app = make_app(qtbot, tmp_path, clock)
    screen_with(shown(app), {"bladder-bowel-changes"})
    app.close()

    clock.now = MONDAY + timedelta(days=2, hours=8)
    app = make_app(qtbot, tmp_path, clock)
    lock = shown(app)
    assert isinstance(lock, LockScreen) and lock.clearable
    assert "Has a doctor examined you?" in [w.text() for w in lock.findChildren(
        type(lock.note)) if w.objectName() == "heading"]
    assert "On Monday 23 November 2026" in " ".join(
        w.text() for w in lock.findChildren(type(lock.note)))
    assert not lock.unlock.isEnabled()          # the tick first, then the button
    lock.unlock.click()
    assert not app.screening_passed
    lock.confirm.setChecked(True)
    lock.unlock.click()
    assert app.screening_passed
    assert isinstance(shown(app), EnrolForm)     # on to choosing the plan
    saved = SettingsStore(tmp_path).load()
    assert (saved.emergency_on, saved.cleared_on) == ("", "2026-11-25")
    (cleared,) = events(tmp_path, EventKind.EMERGENCY_CLEARED)
    assert cleared.at == clock.now and cleared.flags == ("bladder-bowel-changes",)
    assert "23 Nov 2026" in cleared.detail
    app.close()


def test_a_lost_settings_file_does_not_lift_the_lock(qtbot, tmp_path):
    clock = WallClock()
    app = make_app(qtbot, tmp_path, clock)
    screen_with(shown(app), {"leg-weakness-worsening"})
    app.close()
    (tmp_path / FILE_NAME).unlink()
    clock.now += timedelta(days=1)
    app = make_app(qtbot, tmp_path, clock)
    lock = shown(app)
    assert isinstance(lock, LockScreen) and lock.clearable
    assert "weaker" in lock.advice.text()
    app.close()


def enrolled(home, screened: str = "2026-11-16") -> None:
    with HistoryStore.open(home) as store:
        store.save_enrolment(Enrolment("lower-back-8-weeks", date(2026, 11, 16)))
    SettingsStore(home).save(Settings(welcome_done=True, screened_on=screened))
    # The questionnaires that follow the check are tested in test_measure_prompts.
    questionnaires_skipped(home, MONDAY.date())


def test_the_first_session_of_a_program_week_asks_the_urgent_questions_first(qtbot, tmp_path):
    enrolled(tmp_path)                          # week 2 began today, Monday the 23rd
    app = make_app(qtbot, tmp_path, WallClock())
    app.window.show()
    assert app.start_routine("daily-evening") is None
    check = shown(app)
    assert isinstance(check, QuickCheck)
    assert len(check.boxes) == 3 and app.window.focusWidget() is check.none
    qtbot.keyClick(check, Qt.Key.Key_N)         # "none of these" is one key
    player = app.player
    assert isinstance(player, PlayerWindow)
    qtbot.addWidget(player)
    (weekly,) = events(tmp_path, EventKind.CHECK)
    assert not weekly.emergency and weekly.detail.startswith("Weekly check. No to all 3")
    player.confirm_stop = lambda: True
    player.close()
    # Once a week: the next session goes straight on.
    second = app.start_routine("daily-evening")
    assert isinstance(second, PlayerWindow)
    qtbot.addWidget(second)
    second.close()
    app.close()


def test_a_yes_in_the_weekly_check_locks_the_program(qtbot, tmp_path):
    enrolled(tmp_path)
    app = make_app(qtbot, tmp_path, WallClock())
    app.start_routine("daily-evening")
    check = shown(app)
    # The question itself ticks its box (a long one wraps, so it is a label of its own).
    question = next(label for label in check.findChildren(QLabel) if "bladder" in label.text())
    qtbot.mouseClick(question, Qt.MouseButton.LeftButton)
    assert check.boxes["bladder-bowel-changes"].isChecked()
    assert not check.none.isEnabled()           # a tick and "none" cannot both be said
    qtbot.keyClick(check, Qt.Key.Key_N)
    assert app.player is None and shown(app) is check
    qtbot.keyClick(check, Qt.Key.Key_Return)
    assert app.player is None
    assert isinstance(shown(app), LockScreen) and not app.screening_passed
    (weekly,) = events(tmp_path, EventKind.CHECK)
    assert weekly.emergency and weekly.flags == ("bladder-bowel-changes",)
    app.close()


def test_a_damaged_lock_date_holds_from_today_and_can_be_cleared_tomorrow(qtbot, tmp_path):
    SettingsStore(tmp_path).save(Settings(welcome_done=True, screened_on="2026-11-02",
                                          emergency_on="not a date",
                                          emergency_flags="saddle-numbness"))
    clock = WallClock()
    app = make_app(qtbot, tmp_path, clock)
    assert isinstance(shown(app), LockScreen) and not shown(app).clearable
    assert SettingsStore(tmp_path).load().emergency_on == "2026-11-23"
    app.close()
    clock.now += timedelta(days=1)
    app = make_app(qtbot, tmp_path, clock)
    assert shown(app).clearable
    app.close()
