"""Fixtures the app's tests share (the helpers to start the app are in test_today)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from backrehab_gui.core.schedule import Enrolment
from backrehab_gui.infra.store import HistoryStore

from .test_today import MONDAY


@pytest.fixture
def enrolled(tmp_path):
    """A data folder three weeks into the bundled program: week 4 begins on MONDAY, the
    day ``make_app`` starts on."""
    with HistoryStore.open(tmp_path) as store:
        store.save_enrolment(Enrolment("lower-back-8-weeks",
                                       MONDAY.date() - timedelta(weeks=3)))
    return tmp_path
