"""PEG and PSFS: scored by their published rules, changes judged by the published
meaningful differences."""

from datetime import date, timedelta

import pytest

from backrehab_gui.core import measures as ms

D0 = date(2026, 1, 5)


def test_peg_is_the_mean_of_its_three_items():
    assert ms.peg(D0, 5, 6, 4).score == pytest.approx(5.0)
    assert ms.peg(D0, 0, 0, 1).score == pytest.approx(1 / 3)


@pytest.mark.parametrize("bad", [11, -1, 2.5, True, "3", None])
def test_peg_refuses_anything_but_whole_numbers_0_to_10(bad):
    with pytest.raises(ms.MeasureError, match="whole number from 0 to 10"):
        ms.peg(D0, 5, bad, 4)


def test_psfs_takes_three_to_five_named_activities_and_scores_their_mean():
    answer = ms.psfs(D0, ["tying  shoes", "sitting an hour", "lifting a bag"], [2, 4, 9])
    assert answer.score == pytest.approx(5.0) and answer.activities[0] == "tying shoes"
    with pytest.raises(ms.MeasureError, match="3 to 5 activities"):
        ms.psfs(D0, ["a", "b"], [1, 2])
    with pytest.raises(ms.MeasureError, match="named once"):
        ms.psfs(D0, ["a", "A", "b"], [1, 2, 3])
    with pytest.raises(ms.MeasureError, match="rate each of the 3"):
        ms.psfs(D0, ["a", "b", "c"], [1, 2])


def test_stored_answers_read_back_and_damaged_ones_are_skipped():
    answer = ms.psfs(D0, ["a", "b", "c"], [1, 2, 3])
    assert ms.from_items("psfs", D0, ms.to_items(answer)) == answer
    assert ms.from_items("peg", D0, [1, 2]) is None
    assert ms.from_items("peg", D0, "junk") is None


def test_changes_against_the_published_differences():
    answers = [ms.peg(D0, 6, 5, 4), ms.peg(D0 + timedelta(weeks=4), 4, 4, 3),
               ms.psfs(D0, ["walk", "sit", "lift"], [3, 4, 2]),
               ms.psfs(D0 + timedelta(weeks=4), ["walk", "sit", "lift"], [6, 5, 4])]
    found = {c.name: c for c in ms.changes(answers)}
    peg = found["PEG score (0-10, lower is better)"]
    assert peg.change == pytest.approx(-4 / 3) and peg.meaningful and peg.better
    pain = found["Pain on average (PEG item P, 0-10)"]
    assert (pain.baseline, pain.latest, pain.meaningful) == (6, 4, True)  # 2 points
    mean = found["PSFS mean (0-10, higher is better)"]
    assert mean.change == pytest.approx(2.0) and mean.meaningful and mean.better
    assert found["PSFS: walk"].meaningful and not found["PSFS: sit"].meaningful
    assert not found["PSFS: lift"].meaningful  # 2 points: one activity needs 3
    small = ms.changes([ms.peg(D0, 3, 3, 3), ms.peg(D0 + timedelta(days=7), 2, 3, 3)])
    assert not small[0].meaningful  # 0.33 points
    assert small[1].meaningful  # pain 3 -> 2 is 33 %: meaningful by the 30 % rule


def test_when_each_is_due():
    week = (D0, D0 + timedelta(days=6))
    assert ms.peg_due([], *week)
    assert not ms.peg_due([ms.peg(D0 + timedelta(days=2), 1, 1, 1)], *week)
    assert ms.peg_due([ms.peg(D0 - timedelta(days=1), 1, 1, 1)], *week)
    first = ms.psfs(D0, ["a", "b", "c"], [1, 2, 3])
    assert ms.psfs_due([], D0)
    assert not ms.psfs_due([first], D0 + timedelta(days=13))
    assert ms.psfs_due([first], D0 + timedelta(days=14))
    assert ms.psfs_activities([first]) == ("a", "b", "c")


def test_a_skip_counts_as_asked_until_the_next_due_point():
    week = (D0, D0 + timedelta(days=6))
    assert not ms.peg_due([], *week, skipped=[D0 + timedelta(days=1)])
    assert ms.peg_due([], *week, skipped=[D0 - timedelta(days=1)])  # last week's skip
    assert not ms.psfs_due([], D0 + timedelta(days=13), skipped=[D0])
    assert ms.psfs_due([], D0 + timedelta(days=14), skipped=[D0])
    first = ms.psfs(D0, ["a", "b", "c"], [1, 2, 3])
    # Answered, then skipped a fortnight later: asked again two weeks after the skip.
    assert not ms.psfs_due([first], D0 + timedelta(days=20), skipped=[D0 + timedelta(days=14)])


def test_peg_is_asked_in_program_weeks_or_in_the_last_seven_days_without_one():
    start = date(2026, 11, 4)                                       # a Wednesday
    assert ms.asking_week(date(2026, 11, 23), start) == (date(2026, 11, 18), date(2026, 11, 24))
    assert ms.asking_week(start, start) == (start, start + timedelta(days=6))
    before = date(2026, 11, 1)
    assert ms.asking_week(before, start) == (before - timedelta(days=6), before)
    assert ms.asking_week(before, None) == (before - timedelta(days=6), before)


def test_the_series_and_headline_of_each_questionnaire():
    later = D0 + timedelta(days=7)
    answers = [ms.peg(D0, 6, 6, 6), ms.peg(later, 9, 9, 9), ms.peg(later, 5, 5, 5),
               ms.psfs(D0, ["a", "b", "c"], [1, 2, 3])]
    # Two answers on one day: the later one is the day's score.
    assert ms.series(answers, ms.PEG) == [(D0, 6.0), (later, 5.0)]
    assert ms.series(answers, ms.PSFS) == [(D0, 2.0)]
    peg = ms.headline(answers, ms.PEG)
    assert (peg.baseline, peg.latest, peg.meaningful, peg.better) == (6, 5, True, True)
    assert ms.headline(answers, ms.PSFS) is None                    # one answer so far


def test_activity_names_are_tidied_and_checked_before_any_rating():
    assert ms.activity_names(["  tying   shoes", "sitting", "lifting"])[0] == "tying shoes"
    with pytest.raises(ms.MeasureError, match="3 to 5 activities, not 2"):
        ms.activity_names(["a", "b"])
    with pytest.raises(ms.MeasureError, match="at most 80 characters"):
        ms.activity_names(["a", "b", "c" * 81])
