"""The wall clock keeps the system zone's rules, so times planned across a clock change
are right (reminders at 18:00 stay at 18:00 after the change)."""

from __future__ import annotations

from datetime import timedelta

from backrehab_gui.ui.clock import local_wall_clock


def test_the_wall_clock_is_in_the_zone_linux_names_with_its_summer_time(monkeypatch):
    monkeypatch.setenv("TZ", "Europe/Paris")
    now = local_wall_clock()
    assert getattr(now.tzinfo, "key", None) == "Europe/Paris"
    summer, winter = now.replace(month=7, day=1), now.replace(month=1, day=1)
    assert summer.utcoffset() - winter.utcoffset() == timedelta(hours=1)


def test_a_zone_it_cannot_name_still_gives_an_aware_clock(monkeypatch):
    monkeypatch.setenv("TZ", "CET-1CEST,M3.5.0,M10.5.0/3")  # a POSIX rule, not a zone name
    assert local_wall_clock().utcoffset() is not None
