"""Planned against done: matching, day statuses, weeks, streaks and the habit score."""

import random
from datetime import date, datetime, timedelta, timezone

import pytest

from backrehab_gui.core import model as m
from backrehab_gui.core.adherence import (
    HALF_LIFE_DAYS,
    DayStatus,
    PhaseStatus,
    compute,
    compute_month,
    match_day,
    month_bounds,
    month_grid,
    score_multiplier,
)
from backrehab_gui.core.history import SessionRecord
from backrehab_gui.core.matching import WeekPlans
from backrehab_gui.core.schedule import Enrolment, PlannedSession, ProgramCalendar

MONDAY = date(2026, 1, 5)


def program(**extra) -> m.Program:
    return m.Program.model_validate({
        "id": "p", "name": "P",
        "phases": [
            {"id": "one", "name": "One", "weeks": "1-2",
             "sessions": [{"routine": "s1", "per_week": 3}]},
            {"id": "two", "name": "Two", "weeks": "3-4",
             "sessions": [{"routine": "s2", "per_week": 2}, {"routine": "s2b", "per_week": 1}]},
        ],
        "daily": [{"block": "morning", "routine": "am"}, {"block": "evening", "routine": "pm"}],
        **extra,
    })


def calendar(start=MONDAY, blocks=(m.Block.MORNING, m.Block.EVENING), **extra):
    """Phase sessions Mon, Wed, Fri from a Monday start; daily am and pm blocks."""
    return ProgramCalendar(program(**extra), Enrolment("p", start, (0, 2, 4), blocks))


def phase_only(start=MONDAY, **extra):
    """No daily blocks: only Mon, Wed, Fri are planned; every other day is a rest day."""
    return calendar(start, blocks=(), **extra)


_ids = iter(range(1, 10**9))


def rec(day, routine="s1", share=1.0, *, kind="phase", block=None, status="completed",
        before=None, after=None) -> SessionRecord:
    started = datetime(day.year, day.month, day.day, 9, tzinfo=timezone.utc)
    return SessionRecord(next(_ids), routine, routine, "f" * 16, kind, block, day, started, None,
                         status, share, before, after)


def day_n(n: int) -> date:
    return MONDAY + timedelta(days=n)


def all_phase_sessions(cal, weeks: int) -> list[SessionRecord]:
    out = []
    for d in cal.days(cal.enrolment.start, weeks * 7):
        for s in d.sessions:
            out.append(rec(d.day, s.routine_id, kind=s.kind,
                           block=s.block.value if s.block else None))
    return out


# --- Matching ------------------------------------------------------------------


def test_a_planned_session_is_matched_by_routine_and_the_best_share_wins():
    cal = calendar()
    records = [rec(MONDAY, "s1", 0.4), rec(MONDAY, "s1", 0.9), rec(MONDAY, "am")]
    day = compute(cal, records, today=day_n(1)).day(MONDAY)
    s1 = next(s for s in day.sessions if s.planned.routine_id == "s1")
    assert s1.credit == pytest.approx(0.9) and s1.record is records[1]
    assert day.credit == pytest.approx(1.9) and day.planned == 3
    # The other attempt is a session of the week: it stands in for Wednesday's until
    # Wednesday's own is done.
    assert day.extra == ()
    wednesday = compute(cal, records, today=day_n(1), last=day_n(6)).day(day_n(2))
    assert wednesday.sessions[0].moved_to == MONDAY
    assert wednesday.sessions[0].credit == pytest.approx(0.4)
    own = rec(day_n(2), "s1", 1.0)
    result = compute(cal, [*records, own], today=day_n(3), last=day_n(6))
    assert result.day(day_n(2)).sessions[0].record is own
    assert result.day(day_n(4)).sessions[0].moved_to == MONDAY  # now Friday's


def test_partial_and_interrupted_sessions_count_by_their_share():
    cal = phase_only()
    records = [rec(MONDAY, share=0.5, status="stopped"),
               rec(day_n(2), share=0.25, status="interrupted")]
    result = compute(cal, records, today=day_n(7))
    assert result.day(MONDAY).status is DayStatus.PARTIAL
    assert result.day(MONDAY).credit == pytest.approx(0.5)
    assert result.weeks[0].credit == pytest.approx(0.75)
    assert result.weeks[0].adherence == pytest.approx(25.0)


def test_a_daily_block_may_be_matched_by_block_with_another_routine():
    cal = calendar()
    swapped = rec(MONDAY, "something-else", kind="daily", block="morning")
    day = compute(cal, [swapped], today=day_n(1)).day(MONDAY)
    assert day.blocks == {m.Block.MORNING: 1.0, m.Block.EVENING: 0.0}
    assert day.extra == ()
    # A phase session is never matched by block.
    other = rec(day_n(2), "another", kind="phase", block=None)
    assert compute(cal, [other], today=day_n(3)).day(day_n(2)).extra == (other,)


def test_routine_matches_are_made_before_block_matches():
    plans = (PlannedSession("am", "daily", m.Block.MORNING),
             PlannedSession("pm", "daily", m.Block.EVENING))
    by_block = rec(MONDAY, "stretch", kind="daily", block="morning")
    by_routine = rec(MONDAY, "am", 0.5, kind="daily", block="morning")
    assert match_day(plans, [by_block, by_routine]) == (1, -1)


def test_plans_sharing_a_routine_each_take_one_session():
    plans = (PlannedSession("x", "phase"), PlannedSession("x", "daily", m.Block.MORNING))
    records = [rec(MONDAY, "x", 0.3), rec(MONDAY, "x", 1.0), rec(MONDAY, "x", 0.6)]
    assert match_day(plans, records) == (1, 2)
    assert match_day(plans, records[:1]) == (0, -1)


def test_extra_sessions_never_take_a_week_above_100_percent():
    cal = calendar()
    records = all_phase_sessions(cal, 1)
    records += [rec(day_n(i), "am", kind="daily", block="morning") for i in range(7)]
    records += [rec(day_n(1), "s1"), rec(day_n(3), "bonus", kind="extra")]
    result = compute(cal, records, today=day_n(8), last=day_n(6))
    week = result.weeks[0]
    assert week.adherence == pytest.approx(100.0) and week.phase_adherence == pytest.approx(100)
    assert week.extra == 7 + 2
    assert result.day(day_n(1)).status is DayStatus.DONE
    assert result.totals.adherence == pytest.approx(100.0)


def test_shares_outside_0_to_1_are_clamped():
    cal = phase_only()
    result = compute(cal, [rec(MONDAY, share=1.7), rec(day_n(2), share=-1)], today=day_n(3))
    assert result.day(MONDAY).credit == 1.0
    assert result.day(day_n(2)).credit == 0.0
    assert result.day(day_n(2)).status is DayStatus.MISSED


# --- Day statuses ----------------------------------------------------------------


def test_day_statuses():
    cal = phase_only()
    today = day_n(4)  # Friday of week 1
    records = [rec(MONDAY), rec(day_n(4), share=0.5)]
    result = compute(cal, records, today, first=MONDAY - timedelta(days=2), last=day_n(8))
    status = {d.day: d.status for d in result.days}
    assert status[MONDAY - timedelta(days=1)] is DayStatus.BEFORE_START
    assert status[MONDAY] is DayStatus.DONE
    assert status[day_n(1)] is DayStatus.REST
    assert status[day_n(2)] is DayStatus.MISSED
    assert status[day_n(4)] is DayStatus.PARTIAL  # today, started
    assert status[day_n(7)] is DayStatus.UPCOMING
    assert len(result.days) == 11


def test_today_is_upcoming_until_something_is_done_never_missed():
    cal = phase_only()
    assert compute(cal, [], today=MONDAY).day(MONDAY).status is DayStatus.UPCOMING
    assert compute(cal, [], today=day_n(1)).day(MONDAY).status is DayStatus.MISSED
    assert compute(cal, [rec(MONDAY)], today=MONDAY).day(MONDAY).status is DayStatus.DONE


def test_phase_session_status_is_kept_apart_from_the_daily_blocks():
    cal = calendar()
    records = [rec(MONDAY), rec(day_n(1), "am", kind="daily", block="morning")]
    result = compute(cal, records, today=day_n(3))
    monday, tuesday, wednesday = result.days[:3]
    assert monday.status is DayStatus.PARTIAL and monday.phase_status is PhaseStatus.DONE
    assert tuesday.phase_status is PhaseStatus.NONE and tuesday.status is DayStatus.PARTIAL
    assert wednesday.phase_status is PhaseStatus.MISSED
    assert result.day(day_n(4)) is None  # after last (= today)
    later = compute(cal, [], today=day_n(3), last=day_n(4))
    assert later.day(day_n(3)).phase_status is PhaseStatus.NONE
    assert later.day(day_n(4)).phase_status is PhaseStatus.UPCOMING


def test_sessions_before_the_start_are_extra_and_shown():
    cal = phase_only()
    early = rec(MONDAY - timedelta(days=3))
    result = compute(cal, [early], today=day_n(1))
    assert result.first == early.local_date
    assert result.days[0].status is DayStatus.BEFORE_START and result.days[0].extra == (early,)
    assert result.weeks[0].week == 1


def test_a_start_date_still_to_come():
    cal = phase_only()
    result = compute(cal, [], today=MONDAY - timedelta(days=3))
    assert [d.status for d in result.days] == [DayStatus.BEFORE_START]
    assert (result.weeks, result.streak, result.score, result.score_series) == ((), 0, 0.0, ())
    ahead = compute(cal, [], today=MONDAY - timedelta(days=3), last=day_n(6))
    assert ahead.day(day_n(4)).status is DayStatus.UPCOMING and ahead.weeks[0].planned == 3


def test_pain_values_and_flags_are_on_the_day():
    cal = phase_only()
    records = [rec(MONDAY, before=3, after=5), rec(MONDAY, "walk", kind="extra", after=2)]
    day = compute(cal, records, today=day_n(1)).day(MONDAY)
    assert day.pain_before == (3,) and day.pain_after == (5, 2)
    assert day.flagged
    assert not compute(cal, [rec(MONDAY, before=3, after=4)], day_n(1)).day(MONDAY).flagged


# --- Weeks -------------------------------------------------------------------------


def test_week_stats_count_everything_and_phase_sessions_apart():
    cal = calendar()
    records = [rec(MONDAY), rec(day_n(2)), rec(day_n(4))]  # phase sessions only
    week = compute(cal, records, today=day_n(7)).weeks[0]
    assert (week.week, week.first, week.last) == (1, MONDAY, day_n(6))
    assert week.planned == 3 + 14 and week.credit == 3
    assert week.adherence == pytest.approx(3 / 17 * 100)
    assert week.phase_planned == 3 and week.phase_adherence == pytest.approx(100.0)
    assert week.phase_id == "one" and week.program_week == 1 and week.finished


def test_weeks_run_in_sevens_from_the_start_across_month_ends():
    start = date(2026, 1, 28)  # a Wednesday
    cal = phase_only(start)
    records = all_phase_sessions(cal, 2)
    jan = compute_month(cal, records, date(2026, 2, 20), 2026, 1)
    feb = compute_month(cal, records, date(2026, 2, 20), 2026, 2)
    assert len(jan.days) == 31 and len(feb.days) == 28
    assert jan.days[0].status is DayStatus.BEFORE_START
    # The week Jan 28 - Feb 3 is whole in both months' views, with the same figures.
    assert jan.weeks == feb.weeks[:1]
    assert jan.weeks[0].first == start and jan.weeks[0].last == date(2026, 2, 3)
    assert [w.week for w in feb.weeks] == [1, 2, 3, 4, 5]  # week 5 runs Feb 25 - Mar 3
    assert feb.weeks[1].adherence == pytest.approx(100.0)
    assert feb.weeks[2].adherence == 0.0  # week 3, nothing recorded


def test_month_helpers():
    assert month_bounds(2028, 2) == (date(2028, 2, 1), date(2028, 2, 29))
    assert month_bounds(2026, 12) == (date(2026, 12, 1), date(2026, 12, 31))
    grid = month_grid(2026, 2)  # Feb 1 2026 is a Sunday
    assert grid[0][0] == date(2026, 1, 26) and grid[0][6] == date(2026, 2, 1)
    assert grid[-1][-1] == date(2026, 3, 1) and all(len(row) == 7 for row in grid)
    sunday_first = month_grid(2026, 2, first_weekday=6)
    assert sunday_first[0][0] == date(2026, 2, 1) and len(sunday_first) == 4


def test_a_week_with_nothing_planned_has_no_percentage():
    cal = phase_only()  # no maintenance: nothing planned after week 4
    week5 = compute(cal, [], today=day_n(40), first=day_n(28), last=day_n(34)).weeks[0]
    assert week5.week == 5 and week5.planned == 0
    assert week5.adherence is None and week5.met is None


# --- Streak ------------------------------------------------------------------------


def weeks_done(cal, shares_by_week):
    """Phase sessions of each week done at the given share (None: not done)."""
    records = []
    for week, share in enumerate(shares_by_week):
        for offset in (0, 2, 4):
            d = cal.enrolment.start + timedelta(days=7 * week + offset)
            if share is not None:
                routine = cal.day(d).phase_session.routine_id
                records.append(rec(d, routine, share))
    return records


def test_rest_days_never_break_the_streak():
    cal = phase_only()
    result = compute(cal, weeks_done(cal, [1, 1, 1]), today=day_n(21))
    assert result.streak == 3 and result.best_streak == 3


def test_rest_weeks_never_break_the_streak():
    cal = phase_only()  # weeks 5 and 6 plan nothing
    records = weeks_done(cal, [1, 1, 1, 1])
    assert compute(cal, records, today=day_n(7 * 6 + 1)).streak == 4


def test_the_unfinished_current_week_does_not_break_the_streak():
    cal = phase_only()
    records = weeks_done(cal, [1, 1])
    wednesday_week3 = day_n(16)
    assert compute(cal, records, today=wednesday_week3).streak == 2
    # Once the current week already meets the target, it counts.
    more = records + [rec(day_n(14), "s2"), rec(wednesday_week3, "s2b")]
    assert compute(cal, more, today=wednesday_week3).streak == 2  # 2 of 3: 67 %
    more.append(rec(day_n(18), "s2"))
    result = compute(cal, more, today=wednesday_week3)
    assert result.streak == 3 and result.weeks[-1].met and not result.weeks[-1].finished


def test_a_finished_week_below_target_breaks_the_streak_and_best_is_kept():
    cal = phase_only()
    records = weeks_done(cal, [1, 1, 0.5, 1])
    result = compute(cal, records, today=day_n(28))
    assert result.streak == 1 and result.best_streak == 2
    assert [w.met for w in result.weeks][:4] == [True, True, False, True]


def test_the_target_is_a_parameter_and_partial_weeks_count_by_share():
    cal = phase_only()
    records = weeks_done(cal, [0.8, 0.8])
    assert compute(cal, records, today=day_n(14)).streak == 2
    assert compute(cal, records, today=day_n(14), target=90).streak == 0


def test_streak_looks_at_all_history_whatever_the_window():
    cal = phase_only()
    records = weeks_done(cal, [1, 1, 1])
    result = compute(cal, records, today=day_n(21), first=day_n(14), last=day_n(20))
    assert result.streak == 3 and len(result.days) == 7 and len(result.weeks) == 1


# --- Score ----------------------------------------------------------------------------


def test_score_smooths_planned_days_and_rest_days_leave_it_alone():
    cal = phase_only()
    mult = score_multiplier()
    result = compute(cal, [rec(MONDAY)], today=day_n(2) + timedelta(days=1))
    series = dict(result.score_series)
    assert series[MONDAY] == pytest.approx((1 - mult) * 100)
    assert series[day_n(1)] == series[MONDAY]  # Tuesday: rest
    assert series[day_n(2)] == pytest.approx((1 - mult) * mult * 100)  # Wednesday missed
    assert result.score == series[day_n(3)]


def test_the_half_life_is_the_documented_number_of_planned_days():
    assert score_multiplier() ** HALF_LIFE_DAYS == pytest.approx(0.5)
    cal = calendar()  # something planned every day
    records = all_phase_sessions(cal, 2)
    result = compute(cal, records, today=day_n(HALF_LIFE_DAYS))
    assert dict(result.score_series)[day_n(HALF_LIFE_DAYS - 1)] == pytest.approx(50.0)


def test_today_never_lowers_the_score():
    cal = phase_only()
    records = weeks_done(cal, [1, 1, 1])
    monday = day_n(21)
    before = compute(cal, records, today=monday).score
    assert 0 < before == compute(cal, records, today=day_n(20)).score
    assert compute(cal, records + [rec(monday, "s2", 0.1)], today=monday).score == before
    assert compute(cal, records + [rec(monday, "s2")], today=monday).score > before
    assert compute(cal, records, today=day_n(22)).score < before  # Monday is over, missed


# --- The calendar shortcut and speed -----------------------------------------------------


def test_plans_per_span_and_weekday_equal_the_calendar_day_by_day():
    p = program(maintenance={"sessions": [{"routine": "keep", "per_week": 2},
                                          {"routine": "walk", "per_week": 3}]})
    for days, blocks in (((1, 3, 5), (m.Block.EVENING,)), (None, tuple(m.Block))):
        for start in (date(2026, 1, 28), date(2025, 12, 31)):
            enrolment = Enrolment("p", start, days, blocks).with_repeat("one", 1) \
                .with_repeat("two", 2)
            cal = ProgramCalendar(p, enrolment)
            plans = WeekPlans(cal)
            for offset in range(-10, 400):
                day = start + timedelta(days=offset)
                week = offset // 7 + 1
                assert plans.week(week)[offset % 7].plans == cal.day(day).sessions, day


def ten_years(cal):
    rnd = random.Random(7)
    records = []
    for plan in cal.days(cal.enrolment.start, 3650):
        for s in plan.sessions:
            if rnd.random() < 0.9:
                records.append(rec(plan.day, s.routine_id, rnd.choice([1.0, 1.0, 0.5]),
                                   kind=s.kind, block=s.block.value if s.block else None,
                                   before=rnd.randint(0, 5), after=rnd.randint(0, 7)))
    rnd.shuffle(records)
    return records


def test_ten_years_of_history_gives_every_day_and_a_consistent_month():
    p = program(maintenance={"sessions": [{"routine": "keep", "per_week": 2},
                                          {"routine": "walk", "per_week": 3}]})
    cal = ProgramCalendar(p, Enrolment("p", MONDAY, blocks=tuple(m.Block)))
    records = ten_years(cal)
    assert len(records) > 8_000
    today = MONDAY + timedelta(days=3649)
    result = compute(cal, records, today)
    month = compute_month(cal, records, today, today.year, today.month)
    # (How fast: benchmarks/history.py.)
    assert len(result.days) == 3650 and month.streak == result.streak


# --- Sessions moved within their week ------------------------------------------------


def test_phase_sessions_each_done_a_day_late_count_in_full_for_their_week():
    cal = phase_only()
    late = [rec(d.day + timedelta(days=1), "s1") for d in cal.days(MONDAY, 14)
            if d.phase_session is not None]
    assert len(late) == 6
    result = compute(cal, late, today=day_n(14))
    assert [w.phase_adherence for w in result.weeks[:2]] == [100.0, 100.0]
    assert [w.moved for w in result.weeks[:2]] == [3, 3]
    assert result.totals.extra == 0
    monday, tuesday = result.day(MONDAY), result.day(day_n(1))
    assert monday.phase_status is PhaseStatus.MOVED and monday.status is DayStatus.DONE
    assert monday.sessions[0].moved_to == day_n(1) and monday.sessions[0].record is late[0]
    assert tuesday.extra == () and tuesday.planned_day_of(0) == MONDAY
    # The habit score counts them on their planned days: as if done on time.
    on_time = [rec(d.day, "s1") for d in cal.days(MONDAY, 14) if d.phase_session is not None]
    assert result.score == pytest.approx(compute(cal, on_time, today=day_n(14)).score)


def test_a_session_in_another_week_or_of_another_routine_is_not_moved():
    cal = phase_only()
    # Friday's s1 done the next Monday (week 2) and a routine the week does not plan.
    records = [rec(day_n(7), "s1"), rec(day_n(5), "s2")]
    result = compute(cal, records, today=day_n(14))
    assert result.day(day_n(4)).phase_status is PhaseStatus.MISSED
    assert result.day(day_n(5)).extra == (records[1],)
    assert result.day(day_n(7)).sessions[0].record is records[0]  # week 2's own Monday


def test_a_session_on_its_own_day_is_matched_before_any_move():
    cal = phase_only()
    tuesday = rec(day_n(1), "s1", 0.5)
    wednesday = rec(day_n(2), "s1")
    result = compute(cal, [tuesday, wednesday], today=day_n(7))
    assert result.day(day_n(2)).sessions[0].record is wednesday
    assert result.day(MONDAY).sessions[0].record is tuesday  # nearest first
    assert result.day(MONDAY).sessions[0].credit == pytest.approx(0.5)
    assert result.day(day_n(4)).phase_status is PhaseStatus.MISSED
    assert result.weeks[0].phase_adherence == pytest.approx(50.0)


def test_moves_respect_the_window_given_whole_weeks_of_records():
    cal = phase_only()
    late = [rec(day_n(1), "s1")]
    one_day = compute(cal, late, today=day_n(7), first=MONDAY, last=MONDAY)
    assert one_day.day(MONDAY).sessions[0].moved_to == day_n(1)
