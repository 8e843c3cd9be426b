"""The reminder timer and the tray: a fake clock, the timeout handler called by hand."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtWidgets import QSystemTrayIcon

from backrehab_gui.core.loading import load_library
from backrehab_gui.core.reminders import MISSED_GRACE, Reminder
from backrehab_gui.core.schedule import Enrolment, ProgramCalendar
from backrehab_gui.core.today import today
from backrehab_gui.infra.settings import Settings
from backrehab_gui.ui.tray import (
    MAX_WAIT,
    ReminderService,
    TrayIcon,
    app_icon,
    drawn_icon,
    local_wall_clock,
    progress_text,
    should_hide_on_close,
)

BERLIN = ZoneInfo("Europe/Berlin")
LIB = load_library([Path(__file__).resolve().parents[2] / "routines"],
                   asset_roots=[Path(__file__).resolve().parents[2] / "assets"])
PROGRAM = LIB.programs["lower-back-8-weeks"]
MONDAY = date(2026, 11, 23)  # week 4, a phase-session day
CALENDAR = ProgramCalendar(PROGRAM, Enrolment(PROGRAM.id, MONDAY - timedelta(weeks=3)))


def at(hour: int, minute: int = 0, day: date = MONDAY) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=BERLIN)


class FakeClock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def set(self, when: datetime) -> None:
        self.now = when


class Harness:
    def __init__(self, qtbot, now: datetime, settings: Settings | None = None,
                 calendar: ProgramCalendar | None = CALENDAR, **service) -> None:
        self.clock = FakeClock(now)
        self.done: set[str] = set()
        self.calendar = calendar
        self.shown: list[Reminder] = []
        self.service = ReminderService(settings or Settings(), lambda: self.calendar,
                                       lambda: self.done, self.clock,
                                       names={r.id: r.name for r in LIB.routines.values()},
                                       **service)
        self.service.sig_due.connect(self.shown.append)
        self.service.start()

    def fire_at(self, when: datetime) -> None:
        """The clock reaches ``when`` and the timer's timeout arrives."""
        self.clock.set(when)
        self.service.timer.stop()
        self.service._on_timeout()

    def run_until(self, when: datetime) -> None:
        """The timer fires on time, again and again, until the clock reaches ``when``."""
        while self.service.expected is not None and self.service.expected <= when:
            self.fire_at(self.service.expected)
        self.clock.set(when)


@pytest.fixture
def make(qtbot):
    made: list[Harness] = []

    def build(now: datetime, settings: Settings | None = None, **kw) -> Harness:
        h = Harness(qtbot, now, settings, **kw)
        made.append(h)
        return h

    yield build
    for h in made:
        h.service.stop()


# --- The service ---------------------------------------------------------------------


def test_the_timer_is_armed_for_the_first_reminder(make):
    h = make(at(7, 25))
    assert h.service.timer.isActive() and h.service.timer.isSingleShot()
    assert h.service.timer.interval() == 5 * 60 * 1000
    assert h.service.plan.next.routine_id == "daily-morning"
    assert h.service.expected == at(7, 30)


def test_a_far_reminder_is_waited_for_in_steps_of_max_wait(make):
    h = make(at(3, 0))
    assert h.service.timer.interval() == MAX_WAIT.total_seconds() * 1000
    h.fire_at(at(3, 10))
    assert h.shown == []
    assert h.service.timer.interval() == MAX_WAIT.total_seconds() * 1000


def test_the_reminder_is_emitted_when_its_time_comes_and_the_next_is_armed(make, qtbot):
    h = make(at(7, 25), Settings(sitting_break_minutes=0))
    with qtbot.waitSignal(h.service.sig_due) as blocker:
        h.fire_at(at(7, 30))
    reminder = blocker.args[0]
    assert (reminder.kind, reminder.routine_id, reminder.title) == (
        "block", "daily-morning", "Morning block")
    assert reminder.text == "Time for your morning block: Morning mobility."
    assert h.service.current == reminder
    assert h.service.plan.next.routine_id == "daily-midday"
    assert h.service.timer.isActive()
    # Firing again at the same moment shows nothing twice.
    h.fire_at(at(7, 30))
    assert h.shown == [reminder]


def test_settings_changes_re_plan(make):
    h = make(at(7, 25))
    h.service.set_settings(Settings(remind_morning="07:27"))
    assert h.service.timer.interval() == 2 * 60 * 1000
    h.service.set_settings(Settings(reminders_enabled=False))
    assert not h.service.timer.isActive()
    h.service.set_settings(Settings())
    assert h.service.timer.interval() == 5 * 60 * 1000


def test_a_block_done_before_its_time_is_not_reminded(make):
    h = make(at(7, 25), Settings(sitting_break_minutes=0))
    h.done.add("daily-morning")
    h.service.session_ended()
    h.fire_at(at(7, 30))
    assert h.shown == []
    assert h.service.plan.next.routine_id == "daily-midday"


def test_the_phase_session_is_reminded_on_its_day(make):
    h = make(at(17, 55))
    h.fire_at(at(18, 0))
    assert [(r.kind, r.routine_id) for r in h.shown] == [("session", "phase-2-strength")]
    assert "Phase 2" in h.shown[0].text or "strength" in h.shown[0].text.lower()


def test_after_a_short_sleep_the_missed_reminder_comes_late(make):
    h = make(at(7, 25), Settings(sitting_break_minutes=0))
    h.fire_at(at(8, 0))  # armed for 07:30, woke at 08:00
    assert [r.routine_id for r in h.shown] == ["daily-morning"]


def test_after_a_long_sleep_old_reminders_are_dropped_and_the_sitting_count_restarts(make):
    h = make(at(7, 25))
    woke = at(7, 30) + MISSED_GRACE + timedelta(minutes=5)
    h.fire_at(woke)
    assert h.shown == []
    assert h.service.sitting.since == woke


def test_snooze_shows_the_reminder_again_later(make):
    h = make(at(18, 55), Settings(sitting_break_minutes=0))
    h.fire_at(at(19, 0))
    assert [r.routine_id for r in h.shown] == ["daily-evening"]
    h.clock.set(at(19, 1))
    assert h.service.snooze(10)
    assert h.service.current is None
    assert h.service.plan.next.at == at(19, 11)
    assert h.service.timer.interval() == 10 * 60 * 1000
    h.fire_at(at(19, 11))
    assert [r.routine_id for r in h.shown] == ["daily-evening", "daily-evening"]


def test_snooze_with_nothing_shown_does_nothing(make):
    h = make(at(9, 0))
    assert h.service.snooze(10) is False


def test_pause_today_silences_until_midnight(make, qtbot):
    h = make(at(12, 0))
    with qtbot.waitSignal(h.service.sig_pause_changed) as blocker:
        h.service.pause_today()
    assert blocker.args == ["2026-11-23"]
    assert h.service.paused
    for hour in (12, 13, 18, 19, 23):
        h.fire_at(at(hour, 30))
    assert h.shown == []
    with qtbot.waitSignal(h.service.sig_day_changed):
        h.fire_at(at(0, 0, MONDAY + timedelta(days=1)))
    assert not h.service.paused
    h.service.resume()
    assert h.service.settings.reminders_paused_on == ""


def test_the_day_changes_when_the_persons_day_ends_not_at_midnight(make, qtbot):
    from datetime import time

    from backrehab_gui.core.history import session_day

    h = make(at(23, 0), day_of=lambda moment: session_day(moment, time(3, 0)))
    days: list = []
    h.service.sig_day_changed.connect(days.append)
    h.fire_at(at(0, 30, MONDAY + timedelta(days=1)))
    assert days == []                      # still Monday for this person
    h.fire_at(at(3, 5, MONDAY + timedelta(days=1)))
    assert days == [MONDAY + timedelta(days=1)]


def test_reminders_wait_while_a_session_runs(make):
    h = make(at(18, 50), Settings(sitting_break_minutes=0))
    h.service.session_started()
    h.fire_at(at(19, 0))
    assert h.shown == []
    h.clock.set(at(19, 10))
    h.service.session_ended()
    assert [r.routine_id for r in h.shown] == ["daily-evening"]


def test_a_sitting_break_is_offered_after_the_set_minutes_and_a_session_resets_it(make):
    h = make(at(9, 0), Settings(sitting_break_minutes=25), calendar=None)
    assert h.service.timer.interval() == 10 * 60 * 1000  # capped; the break is at 09:25
    assert h.service.plan.next.kind == "sitting"
    h.run_until(at(9, 25))
    assert [(r.kind, r.routine_id) for r in h.shown] == [("sitting", "sitting-break")]
    assert h.service.plan.next.at == at(9, 50)
    h.clock.set(at(9, 40))
    h.service.session_started()
    h.clock.set(at(9, 41))
    h.service.session_ended()
    assert h.service.plan.next.at == at(10, 6)


def test_started_at_login_a_just_missed_reminder_is_caught_up(qtbot):
    shown: list[Reminder] = []
    service = ReminderService(Settings(sitting_break_minutes=0), lambda: CALENDAR, set,
                              FakeClock(at(7, 45)))
    service.sig_due.connect(shown.append)
    service.start(catch_up=True)
    try:
        assert [r.routine_id for r in shown] == ["daily-morning"]
    finally:
        service.stop()


def test_the_interval_counts_real_time_across_a_daylight_saving_change(qtbot):
    night = datetime(2026, 3, 29, 1, 55, tzinfo=BERLIN)  # clocks jump 02:00 -> 03:00
    service = ReminderService(Settings(sitting_break_minutes=0), lambda: None, set,
                              FakeClock(night), max_wait=timedelta(hours=12))
    service.start()
    try:
        assert service.plan.next.at.strftime("%H:%M %z") == "07:30 +0200"
        assert service.timer.interval() == (4 * 3600 + 35 * 60) * 1000
    finally:
        service.stop()


def test_the_default_clock_is_aware():
    assert local_wall_clock().tzinfo is not None


# --- The tray ------------------------------------------------------------------------


@pytest.fixture
def tray(qtbot):
    icon = TrayIcon(available=False)
    qtbot.addWidget(icon.notice)
    yield icon
    icon.close()


@pytest.mark.parametrize(("action", "signal", "args"), [
    ("action_open", "sig_open", []),
    ("action_break", "sig_start", ["sitting-break"]),
    ("action_quit", "sig_quit", []),
    ("action_pause", "sig_pause_today", []),
])
def test_menu_actions_emit_their_signals(tray, qtbot, action, signal, args):
    with qtbot.waitSignal(getattr(tray, signal)) as blocker:
        getattr(tray, action).trigger()
    assert blocker.args == args


def test_the_menu_lists_its_entries_in_order(tray):
    texts = [a.text() for a in tray.menu.actions() if not a.isSeparator()]
    assert texts == ["Open BackRehab", "Nothing left to start today", "Sitting break (1 min)",
                     "Snooze 10 minutes", "Pause reminders for today", "Quit"]


def test_start_next_follows_todays_plan(tray, qtbot):
    plan = today(CALENDAR, LIB, [], MONDAY)
    tray.set_today(plan)
    assert tray.action_start.text() == "Start Phase session"
    assert tray.action_start.isEnabled()
    with qtbot.waitSignal(tray.sig_start) as blocker:
        tray.action_start.trigger()
    assert blocker.args == ["phase-2-strength"]
    assert "0 of 4 done today" in tray.tooltip
    tray.set_today(None)
    assert not tray.action_start.isEnabled()
    assert "No program chosen yet" in tray.tooltip


def test_snooze_is_offered_only_for_a_shown_reminder(tray, qtbot):
    assert not tray.action_snooze.isEnabled()
    tray.notify(Reminder(at(19), "block", "daily-evening", "Evening block", "Time."))
    assert tray.action_snooze.isEnabled()
    with qtbot.waitSignal(tray.sig_snooze) as blocker:
        tray.action_snooze.trigger()
    assert blocker.args == [10]
    assert not tray.action_snooze.isEnabled()


def test_pausing_is_a_toggle(tray, qtbot):
    with qtbot.waitSignal(tray.sig_pause_today):
        tray.action_pause.trigger()
    assert tray.action_pause.isChecked() and "paused" in tray.tooltip
    with qtbot.waitSignal(tray.sig_resume):
        tray.action_pause.trigger()
    assert not tray.action_pause.isChecked()


def test_without_a_tray_a_notice_shows_the_reminder_and_its_buttons_work(tray, qtbot):
    assert tray.tray is None and tray.available is False
    reminder = Reminder(at(19), "block", "daily-evening", "Evening block",
                        "Time for your evening block.")
    tray.notify(reminder)
    assert tray.notice.isVisible()
    assert not tray.notice.isModal()
    assert tray.notice.title.text() == "Evening block"
    with qtbot.waitSignal(tray.sig_start) as blocker:
        tray.notice.start_button.click()
    assert blocker.args == ["daily-evening"]
    assert not tray.notice.isVisible()
    tray.notify(reminder)
    with qtbot.waitSignal(tray.sig_snooze) as blocker:
        tray.notice.snooze_button.click()
    assert blocker.args == [10] and not tray.notice.isVisible()
    tray.notify(reminder)
    with qtbot.waitSignal(tray.sig_dismissed):
        tray.notice.dismiss_button.click()
    assert not tray.notice.isVisible()


def test_a_sitting_notice_offers_the_break(tray):
    tray.notify(Reminder(at(10), "sitting", "sitting-break", "Time to stand up", "Stand."))
    assert tray.notice.start_button.text() == "Take the break"


def test_with_a_tray_a_click_on_the_notification_starts_the_routine(qtbot):
    icon = TrayIcon(available=True)
    qtbot.addWidget(icon.notice)
    try:
        assert isinstance(icon.tray, QSystemTrayIcon)
        assert icon.tray.contextMenu() is icon.menu
        icon.last = Reminder(at(12, 30), "block", "daily-midday", "Midday block", "Time.")
        with qtbot.waitSignal(icon.sig_start) as blocker:
            icon.tray.messageClicked.emit()
        assert blocker.args == ["daily-midday"]
        with qtbot.waitSignal(icon.sig_open):
            icon.tray.activated.emit(QSystemTrayIcon.ActivationReason.Trigger)
    finally:
        icon.close()


def test_close_hides_to_the_tray_only_with_reminders_on_and_a_tray():
    assert should_hide_on_close(Settings(), True)
    assert not should_hide_on_close(Settings(), False)
    assert not should_hide_on_close(Settings(reminders_enabled=False), True)


def test_the_icon_is_drawn_when_there_is_no_svg(qtbot):
    assert not app_icon().isNull()
    pixmap = drawn_icon(32)
    assert (pixmap.width(), pixmap.height()) == (32, 32)
    image = pixmap.toImage()
    assert image.pixelColor(16, 2).alpha() > 0  # the disc
    assert image.pixelColor(0, 0).alpha() == 0  # transparent corners


def test_progress_text_says_what_is_left():
    plan = today(CALENDAR, LIB, [], MONDAY)
    assert progress_text(plan) == "0 of 4 done today \u00b7 next: Phase session"
    early = ProgramCalendar(PROGRAM, Enrolment(PROGRAM.id, MONDAY + timedelta(days=7)))
    assert progress_text(today(early, LIB, [], MONDAY)).startswith("The program starts on")
