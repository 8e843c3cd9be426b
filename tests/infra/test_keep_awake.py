"""Keeping the screen on: the child process lives exactly as long as the session."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from backrehab_gui.infra.keep_awake import (
    KeepAwake,
    NullKeepAwake,
    RecordingKeepAwake,
    default_commands,
    make_keep_awake,
    plain_reason,
)

REPO = Path(__file__).resolve().parents[2]
posix_only = pytest.mark.skipif(os.name != "posix", reason="uses /proc and POSIX tools")


def gone(pid: int) -> bool:
    """The process has ended: no such process, or a zombie some other reaper owns."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] in ("Z", "X")
    except FileNotFoundError:
        return True


def our_zombies() -> list[int]:
    """Children of this test process that ended and were never reaped."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if fields[0] == "Z" and int(fields[1]) == os.getpid():
            found.append(int(entry.name))
    return found


def wait_for(predicate, timeout: float = 10.0) -> None:
    end = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > end:
            raise AssertionError("timed out")
        time.sleep(0.01)


@posix_only
def test_start_spawns_the_command_and_stop_kills_it_without_a_zombie():
    keeper = KeepAwake([["sleep", "60"]], settle=0.1)
    keeper.start("Exercise session")
    assert keeper.wait_settled(5)
    assert keeper.active and keeper.available and keeper.method == "sleep"
    assert keeper.reason == ""
    pid = keeper.pid
    assert pid is not None and not gone(pid)
    keeper.stop()
    assert gone(pid)
    assert not keeper.active and keeper.pid is None
    assert pid not in our_zombies()


@posix_only
def test_the_reason_reaches_the_command_and_a_second_start_is_ignored(tmp_path):
    out = tmp_path / "why.txt"
    keeper = KeepAwake([["sh", "-c", f'printf %s "$1" > {out}; exec sleep 60', "sh",
                         "{reason}"]], settle=0.2)
    keeper.start("Morning block")
    assert keeper.wait_settled(5) and keeper.active
    first = keeper.pid
    keeper.start("again")
    assert keeper.pid == first
    keeper.stop()
    assert out.read_text() == "Morning block"
    assert gone(first)


@posix_only
def test_stop_ends_the_tools_own_child_too():
    # Like systemd-inhibit running cat: the tool is the child, cat the grandchild.
    keeper = KeepAwake([["sh", "-c", "sleep 60 & echo $! >&2; wait"]], settle=0.2)
    keeper.start()
    assert keeper.wait_settled(5) and keeper.active
    grandchild = _grandchildren(keeper.pid)
    assert grandchild
    keeper.stop()
    wait_for(lambda: all(gone(pid) for pid in grandchild), timeout=5)


def _grandchildren(pid: int) -> list[int]:
    wait_for(lambda: bool(_children(pid)), timeout=5)
    return _children(pid)


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


@posix_only
def test_a_tool_that_fails_is_reported_and_the_next_one_is_used():
    keeper = KeepAwake([["sh", "-c", "echo 'Failed to connect to bus' >&2; exit 1"],
                        ["sleep", "60"]], settle=0.3)
    keeper.start()
    assert keeper.wait_settled(5)
    assert keeper.active and keeper.method == "sleep"
    keeper.stop()
    assert our_zombies() == []


@posix_only
def test_when_every_tool_fails_the_reason_says_why_and_nothing_raises():
    changes = []
    failing = ["sh", "-c", "echo 'Failed to connect to bus: No such file' >&2; exit 1"]
    keeper = KeepAwake([failing, ["false"]], settle=0.5, on_change=lambda: changes.append(1))
    keeper.start()
    assert keeper.wait_settled(5)
    assert not keeper.active and not keeper.available
    # In plain words for the person; what the tools said stays for diagnostics.
    assert keeper.reason == (
        "Could not keep the screen awake: no desktop session bus is running. Move the mouse "
        "now and then, or change the screen-saver settings.")
    assert "Failed to connect to bus" in keeper.detail
    assert "false ended: exit status 1" in keeper.detail
    assert changes
    keeper.stop()
    assert our_zombies() == []


@pytest.mark.parametrize(("printed", "cause"), [
    (["systemd-inhibit ended: Failed to connect to bus: No such file or directory"],
     "no desktop session bus is running"),
    (["gnome-session-inhibit ended: Failed to inhibit: GDBus.Error:org.freedesktop.DBus.Error."
      "ServiceUnknown: The name org.gnome.SessionManager was not provided by any .service files",
      "systemd-inhibit ended: Failed to inhibit: Access denied"],
     "the system did not allow it"),
    (["gnome-session-inhibit ended: Failed to inhibit: GDBus.Error:org.freedesktop.DBus.Error."
      "ServiceUnknown: The name org.gnome.SessionManager was not provided by any .service files"],
     "the desktop's session manager is not running"),
    (["systemd-inhibit ended: Failed to inhibit: Access denied"], "the system did not allow it"),
    (["caffeinate ended: exit status 3"], "the desktop did not accept the request"),
])
def test_what_the_tools_print_becomes_plain_words(printed, cause):
    reason = plain_reason(printed)
    assert reason == (f"Could not keep the screen awake: {cause}. Move the mouse now and then, "
                      "or change the screen-saver settings.")


def test_a_missing_tool_makes_it_unavailable_with_a_reason():
    keeper = KeepAwake([["backrehab-no-such-inhibitor", "cat"]])
    assert not keeper.available
    assert "backrehab-no-such-inhibitor" in keeper.reason
    keeper.start()  # no raise, no thread
    assert not keeper.active
    keeper.stop()


def test_a_callback_that_raises_does_not_reach_anyone():
    def boom():
        raise RuntimeError("ui gone")

    keeper = KeepAwake([["false"]], settle=0.2, on_change=boom)
    keeper.start()
    assert keeper.wait_settled(5)
    assert not keeper.available
    keeper.stop()


@posix_only
def test_interpreter_exit_kills_the_child():
    script = textwrap.dedent("""
        import sys
        from backrehab_gui.infra.keep_awake import KeepAwake
        keeper = KeepAwake([["sleep", "60"]], settle=0.1)
        keeper.start()
        keeper.wait_settled(5)
        print(keeper.pid, flush=True)
        # no stop(): the atexit hook must end it
    """)
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            cwd=REPO, timeout=30)
    assert result.returncode == 0, result.stderr
    pid = int(result.stdout.strip())
    wait_for(lambda: gone(pid), timeout=5)


@posix_only
def test_a_killed_app_leaves_no_inhibitor_behind():
    # The real commands end in `cat` reading our pipe: when the app dies, cat sees
    # the end of its input and the inhibit tool exits with it.
    script = textwrap.dedent("""
        import time
        from backrehab_gui.infra.keep_awake import KeepAwake
        keeper = KeepAwake([["cat"]], settle=0.1)
        keeper.start()
        keeper.wait_settled(5)
        print(keeper.pid, flush=True)
        time.sleep(60)
    """)
    app = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True,
                           cwd=REPO)
    try:
        pid = int(app.stdout.readline())
        assert not gone(pid)
        app.send_signal(signal.SIGKILL)
        app.wait(timeout=10)
        wait_for(lambda: gone(pid), timeout=5)
    finally:
        if app.poll() is None:
            app.kill()
            app.wait()
        app.stdout.close()


def test_default_commands_hold_the_inhibition_through_a_child_reading_our_pipe():
    linux = default_commands("linux")
    assert [c[0] for c in linux] == ["gnome-session-inhibit", "systemd-inhibit"]
    assert all(c[-1] == "cat" for c in linux)
    assert "--what=idle" in linux[1] and "--mode=block" in linux[1]
    assert default_commands("darwin")[0][:3] == ["caffeinate", "-d", "-i"]
    assert default_commands("plan9") == []


def test_make_keep_awake_never_raises_and_says_why():
    assert isinstance(make_keep_awake(False), NullKeepAwake)
    assert make_keep_awake(False).reason == ""
    keeper = make_keep_awake(True)
    if isinstance(keeper, NullKeepAwake):
        assert keeper.reason
    else:
        keeper.stop()


@pytest.mark.skipif(shutil.which("systemd-inhibit") is None, reason="no systemd-inhibit")
def test_the_real_tool_either_holds_or_says_why():
    keeper = KeepAwake(default_commands(), settle=0.5)
    keeper.start("BackRehab test")
    assert keeper.wait_settled(10)
    try:
        assert keeper.active or (not keeper.available and keeper.reason)
    finally:
        keeper.stop()
    assert our_zombies() == []


def test_null_and_recording_keepers():
    null = NullKeepAwake("Not on this system.")
    null.start()
    null.stop()
    assert not null.available and not null.active and null.reason == "Not on this system."
    recording = RecordingKeepAwake()
    recording.start("Evening block")
    assert recording.active
    recording.stop()
    assert recording.calls == [("start", "Evening block"), ("stop", "")]
