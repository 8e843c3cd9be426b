"""Guards against a broken Qt binding release: the app emits thousands of signals a session."""

import sys

from PySide6.QtCore import QObject, Signal


class _Emitter(QObject):
    sig_flag = Signal(bool)
    sig_plain = Signal()


def test_emitting_signals_keeps_reference_counts(qtbot):
    # PySide6 6.12.0's emit() returned True without a new reference: each emit
    # took one away, and the interpreter aborted once True's count reached zero.
    emitter = _Emitter()
    received = []
    emitter.sig_flag.connect(received.append)
    before = sys.getrefcount(True)
    for _ in range(200):
        emitter.sig_flag.emit(True)
        emitter.sig_plain.emit()
    assert len(received) == 200
    assert sys.getrefcount(True) >= before
