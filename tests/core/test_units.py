import pytest

from backrehab_gui.core.units import (
    IntRange,
    format_clock,
    format_duration,
    parse_duration,
    parse_range,
)


@pytest.mark.parametrize(
    ("text", "seconds"),
    [(30, 30), (2.5, 2.5), ("30", 30), ("30s", 30), ("30 s", 30), ("2 min", 120),
     ("1m30s", 90), ("1:30", 90), ("1 hour", 3600), ("45 seconds", 45)],
)
def test_durations_a_therapist_writes(text, seconds):
    assert parse_duration(text) == seconds


@pytest.mark.parametrize("text", ["", "thirty", "30 parsecs", "1:75", True, [1], "-5s"])
def test_bad_durations_say_what_to_write(text):
    with pytest.raises(ValueError) as err:
        parse_duration(text)
    assert str(err.value)


def test_counts_and_ranges():
    assert parse_range(10) == IntRange(10, 10)
    assert parse_range("8-12") == IntRange(8, 12)
    assert parse_range(" 8 - 12 ") == IntRange(8, 12)
    assert 10 in parse_range("8-12") and 13 not in parse_range("8-12")
    assert str(IntRange(8, 12)) == "8-12" and str(IntRange(5, 5)) == "5"


@pytest.mark.parametrize("value", [0, -3, "12-8", "ten", 2.5, True, None])
def test_bad_counts(value):
    with pytest.raises(ValueError):
        parse_range(value)


def test_formatting():
    assert format_duration(45) == "45s"
    assert format_duration(120) == "2 min"
    assert format_duration(90) == "1m30s"
    assert format_clock(0) == "0:00" and format_clock(754) == "12:34" and format_clock(-3) == "0:00"


def test_estimates_read_as_lengths_not_times_of_day():
    from backrehab_gui.core.units import format_about

    assert format_about(255) == "about 4 min"
    assert format_about(45) == "about 45 s"
    assert format_about(3900) == "about 1 h 5 min"
    assert format_about(7200) == "about 2 h"
