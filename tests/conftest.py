"""Shared test set-up: Qt runs offscreen and no test touches the real data or cache folder."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402


@pytest.fixture(autouse=True, scope="session")
def _isolated_cache(tmp_path_factory):
    """The checked routine files are cached in a folder of this test run's own, which its
    tests share (as one person's starts do), never in the real cache folder."""
    os.environ["XDG_CACHE_HOME"] = str(tmp_path_factory.mktemp("cache"))


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path_factory, monkeypatch):
    """Each test gets its own BackRehab data folder."""
    home = tmp_path_factory.mktemp("backrehab-home")
    monkeypatch.setenv("BACKREHAB_HOME", str(home))
    return home
