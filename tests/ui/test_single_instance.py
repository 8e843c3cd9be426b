"""One BackRehab per data folder: the second launch raises the first and exits."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

import pytest
from PySide6.QtNetwork import QLocalSocket
from PySide6.QtWidgets import QWidget

from backrehab_gui.ui.single_instance import (
    FOUND_PRIMARY_EXIT,
    LOCK_NAME,
    SingleInstance,
    bring_to_front,
    server_name,
)

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def runtime_dir(monkeypatch):
    """A private, short runtime folder, so no test meets a real running BackRehab."""
    folder = tempfile.mkdtemp(prefix="br-")
    monkeypatch.setenv("XDG_RUNTIME_DIR", folder)
    for name in ("XDG_ACTIVATION_TOKEN", "DESKTOP_STARTUP_ID"):
        monkeypatch.delenv(name, raising=False)
    yield Path(folder)
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def instances():
    made: list[SingleInstance] = []

    def make(data_dir: Path, **kwargs) -> SingleInstance:
        kwargs.setdefault("reply_timeout_ms", 0)  # same process: nobody could answer yet
        instance = SingleInstance(data_dir, **kwargs)
        made.append(instance)
        return instance

    yield make
    for instance in made:
        instance.close()


def run_second_launch(data_dir: Path, env: dict[str, str] | None = None) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "backrehab_gui.ui.single_instance", str(data_dir)],
        cwd=REPO, env={**os.environ, "QT_QPA_PLATFORM": "offscreen", **(env or {})},
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def finish(qtbot, process: subprocess.Popen, timeout: float = 20.0) -> int:
    """Wait for a child while the Qt loop keeps serving the local socket."""
    end = time.monotonic() + timeout
    while process.poll() is None:
        if time.monotonic() > end:
            process.kill()
            process.wait()
            raise AssertionError("the second launch did not exit")
        qtbot.wait(20)
    process.communicate()
    return process.returncode


def test_the_first_is_primary_and_a_second_in_the_same_process_asks_it_to_raise(
        qtbot, tmp_path, instances):
    first = instances(tmp_path)
    assert first.is_primary() and first.listening
    assert (tmp_path / LOCK_NAME).exists()
    second = instances(tmp_path)
    with qtbot.waitSignal(first.sig_raise_requested, timeout=5000) as raised:
        assert second.is_primary() is False
    assert second.notified
    assert raised.args == [""]
    assert first.is_primary() is True  # asked once, answered the same


def test_two_requests_raise_twice(qtbot, tmp_path, instances):
    first = instances(tmp_path)
    assert first.is_primary()
    for _ in range(2):
        with qtbot.waitSignal(first.sig_raise_requested, timeout=5000):
            assert not instances(tmp_path).is_primary()


def test_different_data_folders_each_get_their_own_copy(tmp_path, instances):
    assert instances(tmp_path / "a").is_primary()
    assert instances(tmp_path / "b").is_primary()


def test_after_close_the_next_launch_is_primary(tmp_path, instances):
    first = instances(tmp_path)
    assert first.is_primary()
    first.close()
    assert not first.listening
    assert instances(tmp_path).is_primary()


def test_a_long_held_lock_is_not_taken_for_stale(tmp_path, instances):
    # Qt's default would call a lock older than 30 s stale and let a second copy in.
    first = instances(tmp_path)
    assert first.is_primary()
    an_hour_ago = time.time() - 3600
    os.utime(tmp_path / LOCK_NAME, (an_hour_ago, an_hour_ago))
    assert instances(tmp_path).is_primary() is False


def test_a_real_second_process_raises_the_first_and_exits_with_found(qtbot, tmp_path,
                                                                     instances):
    first = instances(tmp_path)
    assert first.is_primary()
    with qtbot.waitSignal(first.sig_raise_requested, timeout=20000) as raised:
        process = run_second_launch(tmp_path, {"XDG_ACTIVATION_TOKEN": "token-123"})
        code = finish(qtbot, process)
    assert code == FOUND_PRIMARY_EXIT
    assert raised.args == ["token-123"]


def test_a_real_launch_alone_is_primary(qtbot, tmp_path):
    assert finish(qtbot, run_second_launch(tmp_path)) == 0


def test_a_crashed_first_copy_does_not_keep_the_next_out(qtbot, tmp_path, runtime_dir,
                                                         instances):
    script = textwrap.dedent(f"""
        import os, signal, sys
        from pathlib import Path
        from PySide6.QtCore import QCoreApplication
        from backrehab_gui.ui.single_instance import SingleInstance
        app = QCoreApplication([])
        instance = SingleInstance(Path({str(tmp_path)!r}))
        print(instance.is_primary(), instance.listening, flush=True)
        os.kill(os.getpid(), signal.SIGKILL)
    """)
    result = subprocess.run([sys.executable, "-c", script], cwd=REPO, capture_output=True,
                            text=True, timeout=30,
                            env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert result.stdout.split() == ["True", "True"], result.stderr
    # The crash left both the lock file and the socket behind.
    assert (tmp_path / LOCK_NAME).exists()
    assert Path(server_name(tmp_path)).exists()
    after = instances(tmp_path)
    assert after.is_primary() and after.listening
    with qtbot.waitSignal(after.sig_raise_requested, timeout=5000):
        assert not instances(tmp_path).is_primary()


def test_garbage_on_the_socket_raises_nothing(qtbot, tmp_path, instances):
    first = instances(tmp_path)
    assert first.is_primary()
    received = []
    first.sig_raise_requested.connect(received.append)
    socket = QLocalSocket()
    socket.connectToServer(first.name)
    assert socket.waitForConnected(2000)
    socket.write(b"<b>not json</b>\n")
    socket.flush()
    qtbot.waitUntil(lambda: socket.bytesAvailable() > 0 or socket.waitForReadyRead(10),
                    timeout=5000)
    assert bytes(socket.readAll().data()).startswith(b"unknown")
    socket.disconnectFromServer()
    assert received == []


def test_server_names_differ_by_user_and_folder_and_ignore_spelling(tmp_path, runtime_dir):
    a = server_name(tmp_path, "ann")
    assert a == server_name(tmp_path / "x" / "..", "ann")
    assert a != server_name(tmp_path, "bob")
    assert a != server_name(tmp_path / "other", "ann")
    assert Path(a).parent == runtime_dir
    assert len(a) < 100  # Unix socket paths are short


def test_bring_to_front_restores_a_minimised_window(qtbot, monkeypatch):
    monkeypatch.setattr(sys, "platform", "linux")
    window = QWidget()
    qtbot.addWidget(window)
    window.showMinimized()
    bring_to_front(window, "token-9")
    assert window.isVisible() and not window.isMinimized()
    assert os.environ.pop("XDG_ACTIVATION_TOKEN") == "token-9"
