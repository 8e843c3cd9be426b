"""A questionnaire the person skipped is stored, like an answer: safe to write twice,
carried over by the rescue of a damaged history and by a backup."""

from __future__ import annotations

import sqlite3
from datetime import date, datetime, timedelta, timezone

from backrehab_gui.core import measures as ms
from backrehab_gui.infra.backup import restore_backup, write_backup
from backrehab_gui.infra.record import read_answers, read_skips, save_answer
from backrehab_gui.infra.salvage import salvage
from backrehab_gui.infra.store import FILE_NAME, HistoryStore

PLUS1 = timezone(timedelta(hours=1))
AT = datetime(2026, 11, 23, 18, 30, tzinfo=PLUS1)
DAY = AT.date()


def test_a_skip_is_stored_once_and_read_back_by_kind(tmp_path):
    with HistoryStore.open(tmp_path) as store:
        assert store.skip_measure("peg", DAY, AT)
        assert not store.skip_measure("peg", DAY, AT)      # the same skip, written again
        assert store.skip_measure("psfs", DAY, AT)
        assert store.skip_measure("peg", DAY + timedelta(days=7), AT + timedelta(days=7))
        assert read_skips(store) == {"peg": [DAY, DAY + timedelta(days=7)], "psfs": [DAY]}
        assert store.measures() == []                       # a skip is not an answer


def test_the_rescue_carries_skips_over_and_counts_a_damaged_one(tmp_path):
    with HistoryStore.open(tmp_path) as store:
        store.skip_measure("peg", DAY, AT)
        store.skip_measure("psfs", DAY, AT)
        save_answer(store, ms.peg(DAY, 5, 6, 4), AT)
    conn = sqlite3.connect(tmp_path / FILE_NAME)
    with conn:      # a value read wrongly from a damaged page
        conn.execute("INSERT INTO measure_skips (kind, taken_on, skipped_at)"
                     " VALUES ('peg', 'not a day', '2026-11-30T18:30:00+01:00')")
    conn.close()
    rescued = tmp_path / "rescued"
    rescued.mkdir()
    report = salvage(tmp_path / FILE_NAME, rescued / FILE_NAME)
    assert report.answers == 3 and report.lost == {"answers": 1}
    with HistoryStore.open(rescued) as store:
        assert read_skips(store) == {"peg": [DAY], "psfs": [DAY]}
        assert [a.items for a in read_answers(store)] == [(5, 6, 4)]


def test_a_backup_brings_the_skips_along_so_nothing_is_asked_twice(tmp_path):
    old, new = tmp_path / "old-laptop", tmp_path / "new-laptop"
    with HistoryStore.open(old) as store:
        store.skip_measure("peg", DAY, AT)
        save_answer(store, ms.psfs(DAY, ["walking", "sitting", "lifting"], [3, 4, 2]), AT)
    backup = tmp_path / "backup.zip"
    write_backup(old, backup, AT)
    summary = restore_backup(backup, new, AT)
    restore_backup(backup, new, AT)                         # twice: nothing doubles
    assert summary.measures_added == 1
    with HistoryStore.open(new) as store:
        assert read_skips(store) == {"peg": [DAY]}
        (answer,) = read_answers(store)
        assert answer.activities == ("walking", "sitting", "lifting")
        assert not ms.peg_due(read_answers(store), *ms.asking_week(DAY, date(2026, 11, 2)),
                              skipped=read_skips(store)["peg"])


def test_a_backup_brings_safety_records_next_day_answers_and_holds(tmp_path):
    from backrehab_gui.core.next_day import NextDayCheck
    from backrehab_gui.core.progression import ProgressionChoice
    from backrehab_gui.core.schedule import Enrolment
    from backrehab_gui.core.screening import EventKind, SafetyEvent

    old, new = tmp_path / "old-laptop", tmp_path / "new-laptop"
    with HistoryStore.open(old, now=lambda: AT) as store:
        store.save_enrolment(Enrolment("lower-back-8-weeks", date(2026, 11, 2)))
        store.record_safety_event(SafetyEvent(AT, EventKind.SCREENING, emergency=True,
                                              flags=("saddle-numbness",),
                                              detail="Answered the red flags."))
        store.record_next_day(NextDayCheck(DAY, AT, "worse", 5))
        store.record_progression_choice(ProgressionChoice("plank", 4, "hold"))
    backup = tmp_path / "backup.zip"
    write_backup(old, backup, AT)
    restore_backup(backup, new, AT)
    restore_backup(backup, new, AT)                         # twice: nothing doubles
    with HistoryStore.open(new) as store:
        (event,) = store.safety_events_between(date.min, date.max)
        # An open emergency travels with the person: the new laptop stays locked too.
        assert event.emergency and event.flags == ("saddle-numbness",)
        assert [(c.about, c.answer) for c in store.next_day_checks()] == [(DAY, "worse")]
        assert store.progression_choices() == [ProgressionChoice("plank", 4, "hold")]
