"""The recovery journal keeps sessions on whichever disk will take them, and reads them back."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from backrehab_gui.core.engine import ExerciseResult, Summary
from backrehab_gui.infra.journal import JOURNAL_NAME, JournalError, SessionJournal, fallback_files
from backrehab_gui.infra.recorder import Feedback, SessionDraft

START = datetime(2026, 10, 24, 19, 30, tzinfo=ZoneInfo("Europe/Berlin"))


def draft(revision: int = 0, **changes) -> SessionDraft:
    base = SessionDraft(routine_id="phase-2-strength", routine_name="Strength",
                        fingerprint="f00d", kind="phase", block=None, program_week=4,
                        phase_id="strength", started_at=START, item_weights=(60.0, 45.5),
                        pain_before=3, revision=revision)
    return SessionDraft(**{**vars(base), **changes})


HOLD = ExerciseResult(0, "side-plank", "Side plank \u2014 left", "partial", 41.25, 1, 2, None,
                      None, (12.5, 9.0), 0.4)
REPS = ExerciseResult(1, "bird-dog", "Bird dog", "done", 60.0, 2, 2, 10, 10, (), 1.0)


@pytest.fixture
def journal(tmp_path):
    return SessionJournal(tmp_path / "data", fallbacks=[tmp_path / "state" / "j.jsonl",
                                                         tmp_path / "cache" / "j.jsonl"])


def test_a_session_round_trips_whole(journal, tmp_path):
    ended = START + timedelta(minutes=20)
    whole = draft(3, results=((HOLD, START + timedelta(minutes=5)),
                              (REPS, START + timedelta(minutes=9))),
                  summary=Summary("phase-2-strength", "Strength", (HOLD, REPS), True, 900.0,
                                  0.7),
                  ended_at=ended, feedback=Feedback(4, 6, "line one\nline \"two\" <b>"))
    assert journal.append(whole) == tmp_path / "data" / JOURNAL_NAME
    (back,) = journal.pending()
    assert back.record() == whole.record()
    assert back.results == whole.results and back.summary == whole.summary
    assert back.key == whole.key and back.revision == 3 and journal.problems == []


def test_the_newest_snapshot_of_a_session_wins_and_forgetting_removes_it(journal, tmp_path):
    journal.append(draft(0))
    journal.append(draft(1, results=((REPS, START),)))
    other = draft(0, routine_id="daily-morning", kind="daily")
    journal.append(other)
    second, first = journal.pending()  # same start: in key order
    assert (first.routine_id, first.revision, len(first.results)) == ("phase-2-strength", 1, 1)
    assert second.routine_id == "daily-morning"
    assert journal.forget([first.key])
    assert [d.routine_id for d in journal.pending()] == ["daily-morning"]
    assert journal.forget([other.key])
    assert not (tmp_path / "data" / JOURNAL_NAME).exists()  # nothing left: no file


def test_a_refusing_data_folder_sends_lines_to_the_fallback_and_both_are_read(tmp_path):
    (tmp_path / "data").write_text("a file where the folder should be")
    journal = SessionJournal(tmp_path / "data", fallbacks=[tmp_path / "state" / "j.jsonl"])
    assert journal.append(draft(0)) == tmp_path / "state" / "j.jsonl"
    (back,) = journal.pending()
    assert back.key == draft().key


def test_a_full_data_disk_leaves_no_half_line_and_uses_the_fallback(disk, tmp_path):
    journal = SessionJournal(disk.path, fallbacks=[tmp_path / "state" / "j.jsonl"])
    assert journal.append(draft(0)) == disk.path / JOURNAL_NAME
    before = (disk.path / JOURNAL_NAME).read_bytes()
    disk.fill()
    big = draft(1, routine_name="x" * 200_000)  # more than the few bytes left
    assert journal.append(big) == tmp_path / "state" / "j.jsonl"
    assert (disk.path / JOURNAL_NAME).read_bytes() == before  # cut back to whole lines
    (back,) = journal.pending()
    assert back.revision == 1


def test_when_no_place_takes_it_the_error_says_where_and_why(tmp_path):
    blocked = tmp_path / "file"
    blocked.write_text("")
    journal = SessionJournal(blocked / "data", fallbacks=[blocked / "state.jsonl"])
    with pytest.raises(JournalError) as caught:
        journal.append(draft())
    assert str(blocked / "data") in caught.value.message
    assert "only in memory" in caught.value.message


def test_a_damaged_line_is_reported_and_kept(journal, tmp_path):
    journal.append(draft(0))
    path = tmp_path / "data" / JOURNAL_NAME
    with open(path, "ab") as out:
        out.write(b'{"format": 1, "key": "x", "session": {"pain_before": 99}}\n')
        out.write(b"not json at all\n")
    journal.append(draft(1))
    (back,) = journal.pending()
    assert back.revision == 1
    assert len(journal.problems) == 2 and "line 2" in journal.problems[0]
    journal.forget([back.key])
    assert journal.pending() == [] and len(journal.problems) == 2  # still there to rescue
    assert b"not json at all" in path.read_bytes()


def test_out_of_range_values_are_not_taken_for_a_session(journal, tmp_path):
    journal.append(draft(0))
    path = tmp_path / "data" / JOURNAL_NAME
    text = path.read_text().replace('"pain_before":3', '"pain_before":11')
    path.write_text(text)
    assert journal.pending() == [] and len(journal.problems) == 1


def test_the_fallback_is_in_the_state_folder_and_named_for_the_data_folder(tmp_path,
                                                                           monkeypatch):
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    one, two = fallback_files(tmp_path / "a"), fallback_files(tmp_path / "b")
    assert one[0].is_relative_to(tmp_path / "state") and one[1].is_relative_to(tmp_path / "cache")
    assert one[0].name != two[0].name
    assert fallback_files(tmp_path / "a" / ".." / "a") == one


@pytest.mark.parametrize("zone", [ZoneInfo("UTC"), ZoneInfo("Asia/Kolkata"),
                                  ZoneInfo("America/St_Johns")])
def test_a_start_in_any_zone_keeps_its_identity(journal, zone):
    """The key the history is merged on must survive the trip through JSON, to the text."""
    start = datetime(2026, 1, 5, 7, 15, 30, 250000, tzinfo=zone)
    journal.append(draft(0, started_at=start))
    (back,) = journal.pending()
    assert back.key == draft(0, started_at=start).key
    assert back.started_at.isoformat() == start.isoformat()


def test_a_value_that_is_not_a_number_is_refused_in_words_not_written(journal, tmp_path):
    broken = ExerciseResult(0, "x", "X", "done", float("nan"), 1, 1, None, None, (), 1.0)
    with pytest.raises(JournalError, match="could not write the session down"):
        journal.append(draft(0, results=((broken, START),)))
    assert not (tmp_path / "data" / JOURNAL_NAME).exists()
