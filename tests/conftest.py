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
    """Each test gets its own BackRehab data folder, and its own state and cache folders
    (where the recovery journal goes when the data folder refuses it)."""
    home = tmp_path_factory.mktemp("backrehab-home")
    monkeypatch.setenv("BACKREHAB_HOME", str(home))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path_factory.mktemp("state")))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("cache")))
    return home


# --- Faults: a disk of its own, a history locked by another program ----------------------


class Disk:
    """A small disk of its own (a tmpfs) that a test can fill up or make read-only."""

    def __init__(self, path) -> None:
        self.path = path
        self._filler = path / "filler"

    def _remount(self, mode: str) -> None:
        import subprocess

        subprocess.run(["mount", "-o", f"remount,{mode}", str(self.path)], check=True)

    def read_only(self) -> None:
        self._remount("ro")

    def writable(self) -> None:
        self._remount("rw")

    def fill(self) -> None:
        """Write until the disk says it is full."""
        fd = os.open(self._filler, os.O_WRONLY | os.O_CREAT | os.O_APPEND)
        try:
            while True:
                os.write(fd, b"\0" * 4096)
        except OSError as err:
            import errno

            assert err.errno == errno.ENOSPC, err
        finally:
            os.close(fd)

    def free(self) -> None:
        self._filler.unlink(missing_ok=True)


@pytest.fixture
def disk(tmp_path_factory):
    """A 2 MiB tmpfs mounted for the test (needs the right to mount: root, as CI runs)."""
    import subprocess

    path = tmp_path_factory.mktemp("disk")
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m,mode=0755", "tmpfs",
                              str(path)], capture_output=True, text=True)
    if mounted.returncode != 0:
        pytest.skip(f"a small disk of its own needs a tmpfs mount: {mounted.stderr.strip()}")
    try:
        yield Disk(path)
    finally:
        subprocess.run(["mount", "-o", "remount,rw", str(path)], capture_output=True)
        if subprocess.run(["umount", str(path)], capture_output=True).returncode != 0:
            subprocess.run(["umount", "-l", str(path)], capture_output=True)


class Locker:
    """Another process holding the history locked (BEGIN EXCLUSIVE) until ``release()``."""

    SCRIPT = ("import sqlite3, sys\n"
              "c = sqlite3.connect(sys.argv[1], isolation_level=None)\n"
              "c.execute('BEGIN EXCLUSIVE')\n"
              "print('locked', flush=True)\n"
              "sys.stdin.read()\n"
              "c.execute('ROLLBACK')\n")

    def __init__(self, database) -> None:
        import subprocess
        import sys

        self.process = subprocess.Popen([sys.executable, "-c", self.SCRIPT, str(database)],
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        text=True)
        assert self.process.stdout.readline().strip() == "locked"

    def release(self) -> None:
        if self.process.poll() is None:
            self.process.stdin.close()
            self.process.wait(10)


@pytest.fixture
def lock_history():
    """``lock_history(folder)``: another process holds that folder's history locked."""
    from backrehab_gui.infra.store import FILE_NAME

    lockers: list[Locker] = []

    def lock(folder) -> Locker:
        lockers.append(Locker(folder / FILE_NAME))
        return lockers[-1]

    yield lock
    for locker in lockers:
        locker.release()
