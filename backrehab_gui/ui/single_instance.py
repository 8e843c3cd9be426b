"""One running BackRehab per data folder: a second launch brings the first to the front.

Two Qt pieces do the work together:

* a ``QLockFile`` in the data folder says who owns it. Only one process can
  hold it; after a crash Qt sees that the process named in the file is gone
  and lets the next launch take the lock over. Its age-based staleness is
  turned off (``setStaleLockTime(0)``): the app holds the lock for hours, and
  Qt's default of 30 s would let a second copy steal it from a running one.
* a ``QLocalServer`` whose name comes from a hash of the user and the data
  folder. The owner listens on it; a second launch connects, sends one line
  asking to be raised, and exits. A socket left behind by a crash is removed
  (``QLocalServer.removeServer``) by whoever takes the lock, so it can never
  keep the next launch out.

The message carries the launcher's activation token (``XDG_ACTIVATION_TOKEN``
on Wayland, ``DESKTOP_STARTUP_ID`` on X11) so the first window may take focus
where the compositor would otherwise refuse; see ``bring_to_front``.
"""

from __future__ import annotations

import getpass
import json
import os
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

# Not `Qt`: its first import costs ~15 ms, which the window-first start-up avoids.
from PySide6.QtCore import QByteArray, QLockFile, QObject, Signal
from PySide6.QtWidgets import QWidget

from ..core.digests import blake2b

if TYPE_CHECKING:
    from PySide6.QtNetwork import QLocalServer, QLocalSocket

LOCK_NAME = "backrehab.lock"
RAISE = "raise"
FOUND_PRIMARY_EXIT = 3
"""Exit status ``python -m backrehab_gui.ui.single_instance DIR`` uses when another copy runs."""


def _user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return str(os.getuid()) if hasattr(os, "getuid") else "user"


def server_name(data_dir: Path, user: str | None = None) -> str:
    """The local socket name for this user and data folder.

    On Linux it lives in the private ``$XDG_RUNTIME_DIR`` when there is one,
    else Qt puts it in the temporary folder; on Windows it is a named pipe.
    """
    key = f"{user or _user()}\0{_resolved(data_dir)}".encode()
    name = f"backrehab-{blake2b(key, digest_size=10).hexdigest()}"
    runtime = os.environ.get("XDG_RUNTIME_DIR")
    if sys.platform != "win32" and runtime and Path(runtime).is_dir():
        return str(Path(runtime) / name)
    return name


def _resolved(data_dir: Path) -> str:
    try:
        return str(Path(data_dir).expanduser().resolve())
    except OSError:
        return str(Path(data_dir).expanduser().absolute())


def activation_token() -> str:
    """The token the launcher gave this process for taking focus ("" when none)."""
    return os.environ.get("XDG_ACTIVATION_TOKEN") or os.environ.get("DESKTOP_STARTUP_ID") or ""


class SingleInstance(QObject):
    """Decides whether this process is the one BackRehab for ``data_dir``.

    ``is_primary()`` is True for the first copy, which then listens and emits
    ``sig_raise_requested`` each time another launch asks. For a later copy it
    sends that request (``notified`` says whether it got through) and returns
    False; that copy should exit. ``close()`` lets go of the lock and socket.
    """

    sig_raise_requested = Signal(str)
    """Another launch asked for the window; with its activation token ("" if none)."""

    def __init__(self, data_dir: Path, *, user: str | None = None,
                 connect_timeout_ms: int = 3000, reply_timeout_ms: int = 1000,
                 listen_later: bool = False, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.listen_later = listen_later
        """Take the lock at once but open the socket only on ``listen()``: the app shows
        its window first. A later copy keeps trying to connect meanwhile."""
        self.data_dir = Path(data_dir)
        self.name = server_name(self.data_dir, user)
        self.connect_timeout_ms = connect_timeout_ms
        self.reply_timeout_ms = reply_timeout_ms
        self.answered = False
        """For a later copy: the first one replied that it got the request."""
        self.notified = False
        """For a later copy: the first one received the request."""
        self.problem = ""
        """What went wrong on the way, in words, when something did (never fatal)."""
        self._primary: bool | None = None
        self._lock: QLockFile | None = None
        self._server: QLocalServer | None = None
        self._buffers: dict[QLocalSocket, QByteArray] = {}

    @property
    def listening(self) -> bool:
        return self._server is not None and self._server.isListening()

    @property
    def lock_path(self) -> Path:
        return self.data_dir / LOCK_NAME

    def is_primary(self) -> bool:
        """Become the one copy for this data folder, or hand over to it. Asked once."""
        if self._primary is None:
            self._primary = self._decide()
        return self._primary

    def close(self) -> None:
        """Stop listening and release the lock (the app is quitting)."""
        if self._server is not None:
            self._server.close()  # also removes the socket file
            self._server.deleteLater()
            self._server = None
        if self._lock is not None:
            self._lock.unlock()
            self._lock = None

    # --- Deciding ----------------------------------------------------------------------

    def _decide(self) -> bool:
        lock = self._take_lock()
        if lock is True:
            if not self.listen_later:
                self._listen()
            return True
        if lock is False:
            self.notified = self._send_raise(wait_ms=self.connect_timeout_ms)
            if not self.notified:
                self.problem = ("BackRehab is already running with this data folder but did "
                                "not answer.")
            return False
        # The lock could not be used at all (a read-only folder): fall back on the socket.
        if self._send_raise(wait_ms=0):
            self.notified = True
            return False
        self._listen()
        return True

    def _take_lock(self) -> bool | None:
        """True: ours. False: another live process holds it. None: locking is impossible."""
        try:
            self.data_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            self.problem = f"The data folder cannot be used for the lock: {exc.strerror or exc}."
            return None
        lock = QLockFile(str(self.lock_path))
        lock.setStaleLockTime(0)  # a lock held for hours is not stale; a dead owner is
        if lock.tryLock(0):
            self._lock = lock
            return True
        if lock.error() == QLockFile.LockError.LockFailedError:
            return False
        self.problem = f"The lock file {self.lock_path} cannot be written."
        return None

    def listen(self) -> None:
        """Start answering later launches (after ``is_primary()`` with ``listen_later``)."""
        if self._primary and self._server is None:
            self._listen()

    def _listen(self) -> None:
        # QtNetwork loads here, not at start-up: only the socket needs it.
        from PySide6.QtNetwork import QLocalServer

        server = QLocalServer(self)
        server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        server.newConnection.connect(self._on_new_connection)
        QLocalServer.removeServer(self.name)  # a socket a crashed copy left behind
        if server.listen(self.name):
            self._server = server
        else:
            self.problem = (f"Another launch cannot bring this window forward "
                            f"({server.errorString()}).")
            server.deleteLater()

    def _send_raise(self, *, wait_ms: int) -> bool:
        """Ask the first copy to come forward; retried while it is still starting up."""
        from PySide6.QtNetwork import QLocalSocket

        message = json.dumps({"action": RAISE, "token": activation_token()}).encode() + b"\n"
        deadline = time.monotonic() + wait_ms / 1000
        while True:
            socket = QLocalSocket()
            socket.connectToServer(self.name)
            if socket.waitForConnected(500):
                socket.write(message)
                socket.flush()
                sent = socket.waitForBytesWritten(1000) or socket.bytesToWrite() == 0
                # The reply only confirms: the request counts once written, since
                # the first copy reads it even after this process has gone.
                if sent and socket.waitForReadyRead(self.reply_timeout_ms):
                    self.answered = bytes(socket.readAll().data()).startswith(b"ok")
                socket.disconnectFromServer()
                return sent
            socket.abort()
            if time.monotonic() >= deadline:
                return False
            time.sleep(0.05)

    # --- Serving later launches --------------------------------------------------------

    def _on_new_connection(self) -> None:
        while self._server is not None and self._server.hasPendingConnections():
            socket = self._server.nextPendingConnection()
            self._buffers[socket] = QByteArray()
            socket.readyRead.connect(lambda s=socket: self._on_ready_read(s))
            socket.disconnected.connect(lambda s=socket: self._forget(s))
            if socket.bytesAvailable():
                self._on_ready_read(socket)

    def _on_ready_read(self, socket: QLocalSocket) -> None:
        buffer = self._buffers.get(socket)
        if buffer is None:
            return
        buffer.append(socket.readAll())
        if len(buffer) > 4096:  # not ours to read: drop it
            socket.abort()
            return
        if b"\n" not in bytes(buffer.data()):
            return
        line = bytes(buffer.data()).split(b"\n", 1)[0]
        self._buffers[socket] = QByteArray()
        try:
            request = json.loads(line.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            request = None
        if isinstance(request, dict) and request.get("action") == RAISE:
            socket.write(b"ok\n")
            socket.flush()
            token = request.get("token")
            self.sig_raise_requested.emit(token if isinstance(token, str) else "")
        else:
            socket.write(b"unknown\n")
            socket.flush()

    def _forget(self, socket: QLocalSocket) -> None:
        self._buffers.pop(socket, None)
        socket.deleteLater()


def bring_to_front(window: QWidget, token: str = "") -> None:
    """Show ``window`` un-minimised, raised and (where the desktop allows) focused."""
    if token and sys.platform.startswith("linux"):
        # Qt's Wayland plugin uses this token once for the next activation.
        os.environ["XDG_ACTIVATION_TOKEN"] = token
    if window.isMinimized():
        from PySide6.QtCore import Qt

        window.setWindowState(window.windowState() & ~Qt.WindowState.WindowMinimized)
    window.show()
    window.raise_()
    window.activateWindow()


def main(argv: list[str] | None = None) -> int:
    """``python -m backrehab_gui.ui.single_instance DIR``: 0 if first, 3 if another runs."""
    from PySide6.QtCore import QCoreApplication

    args = sys.argv[1:] if argv is None else argv
    app = QCoreApplication.instance() or QCoreApplication([sys.argv[0]])
    instance = SingleInstance(Path(args[0]) if args else Path.cwd())
    primary = instance.is_primary()
    instance.close()
    del app
    return 0 if primary else FOUND_PRIMARY_EXIT


if __name__ == "__main__":
    sys.exit(main())
