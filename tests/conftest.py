"""Shared test set-up: Qt runs offscreen and no test touches the real data folder."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path_factory, monkeypatch):
    """Each test gets its own BackRehab data folder."""
    home = tmp_path_factory.mktemp("backrehab-home")
    monkeypatch.setenv("BACKREHAB_HOME", str(home))
    return home
