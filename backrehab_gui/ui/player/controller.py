"""The session controller: the one owner of the player's timer and clock.

It feeds ``clock()`` to the pure engine, sends the engine's cues to the
speaker and sound player, and turns everything else into Qt signals for the
window. Instead of polling, it asks the engine when the next change is due
and arms a single precise timer for exactly that moment, so the display
changes within a millisecond or two of each true second boundary.

Speech is planned by the engine from the real length of each utterance: the
controller asks the speaker to get every text of the session ready as soon
as it is made, and has the engine plan again once their lengths are known.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, QTimer, Signal

from ...core.engine import (
    Cue,
    EngineSettings,
    ExerciseFinished,
    Paused,
    Resumed,
    SessionEngine,
    SessionFinished,
    Sound,
    State,
    StepStarted,
    View,
    VoiceStop,
)
from ...core.timeline import Timeline
from ...infra.sound import SoundPlayer
from ...infra.speech import Speaker

START_WAIT = 1.0
"""Seconds a session's start may wait for the voice to have its first words ready: on a
routine done for the first time they are being made as the window opens."""


class SessionController(QObject):
    """Runs one session: engine + timer + speech + sounds."""

    sig_view = Signal(object)
    """A new View to show (emitted on every change of what is displayed)."""
    sig_step_started = Signal(int, object)
    """A step began: its index and Step. The window flashes on this."""
    sig_caption = Signal(str)
    """Text of a spoken cue, to show as a caption for anyone who cannot hear it."""
    sig_paused = Signal(bool)
    """True when paused, False when running again."""
    sig_exercise_finished = Signal(object)
    """An ExerciseResult, as soon as the exercise is behind the person."""
    sig_finished = Signal(object)
    """The Summary, when the session completes or is stopped."""
    sig_muted = Signal(bool)
    _sig_lengths = Signal()
    """The speaker has the session's texts ready (emitted from its thread)."""
    _sig_first_ready = Signal()
    """The speaker has the first step's texts ready (emitted from its thread)."""

    def __init__(self, timeline: Timeline, speaker: Speaker, sounds: SoundPlayer,
                 settings: EngineSettings | None = None,
                 clock: Callable[[], float] = time.monotonic,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.engine = SessionEngine(timeline, settings, lengths=speaker.length)
        self.speaker = speaker
        self.sounds = sounds
        self.clock = clock
        self.muted = False
        self.cues: list[Cue] = []
        """Every cue the engine emitted, spoken or only shown, in order."""
        self.spoken: list[str] = []
        """Every cue handed to the speaker, in order (the end-to-end test reads it)."""
        self.lateness: list[float] = []
        """Seconds each timer wake-up came after the moment it was armed for."""
        self._armed_for: float | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        # The default coarse timer was measured 20-40 ms late here; precise is ~1 ms.
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.timeout.connect(self._on_timeout)
        # Queued to this thread: the speaker calls back from its own.
        self._sig_lengths.connect(self._on_lengths, Qt.ConnectionType.QueuedConnection)
        self._sig_first_ready.connect(self._start_now, Qt.ConnectionType.QueuedConnection)
        self._first_ready = False
        self._start_waiting = False
        self.start_waited: float | None = None
        """Seconds the start waited for the first words to be ready (None: not started)."""
        self._start_asked = 0.0
        # The first step's words first, so the session can start with them ready.
        speaker.prepare(self.engine.speech_texts(first=True), self._on_first_ready)
        speaker.prepare(self.engine.speech_texts(), self._sig_lengths.emit)

    # --- Commands (from keys and buttons) ---------------------------------------

    def start(self) -> None:
        """Start the session: at once when the voice has its first words ready (or there is
        no voice), else as soon as it has them, waiting at most START_WAIT seconds."""
        if self.engine.state is not State.READY or self._start_waiting:
            return
        self._start_asked = self.clock()
        self._start_waiting = True
        if self._first_ready or self.muted or not self.speaker.available:
            self._start_now()
        else:
            QTimer.singleShot(int(START_WAIT * 1000), self._start_now)

    def _on_first_ready(self) -> None:
        # On the speaker's thread: only a flag here (a speaker ready at once, as in
        # tests, lets start() go straight on); the start itself runs on this thread.
        self._first_ready = True
        self._sig_first_ready.emit()

    def _start_now(self) -> None:
        """The first words are ready, or the wait is over."""
        if not self._start_waiting:
            return
        self._start_waiting = False
        if self.engine.state is not State.READY:
            return  # stopped while waiting
        now = self.clock()
        self.start_waited = now - self._start_asked
        self._handle(self.engine.start(now), now)

    def toggle_pause(self) -> None:
        self._run(self.engine.toggle_pause)

    def skip(self) -> None:
        self._run(self.engine.skip)

    def back(self) -> None:
        self._run(self.engine.back)

    def enter(self) -> None:
        self._run(self.engine.enter)

    def finish_set(self) -> None:
        self._run(self.engine.finish_set)

    def add_time(self, seconds: float) -> None:
        self._run(lambda now: self.engine.adjust(now, seconds))

    def stop(self) -> None:
        self._run(self.engine.stop)

    def skip_exercise(self) -> None:
        """Leave the rest of the current exercise and go on, running."""
        self._run(self.engine.skip_exercise)

    def swap(self, exercise, set_rest: float) -> None:
        """Go on with ``exercise`` (an easier variant) instead, for the rest of the session.

        The session's steps change from here on: the words of the new ones are made
        ahead (what the next moments say first), and the engine plans again with their
        real lengths once they are ready, as at the start.
        """
        self._run(lambda now: self.engine.swap(now, exercise, set_rest=set_rest))
        if self.engine.state is State.RUNNING:
            start = self.engine.index
            self.speaker.prepare(self.engine.speech_texts(first=True, start=start),
                                 self._sig_lengths.emit)
            self.speaker.prepare(self.engine.speech_texts(start=start), self._sig_lengths.emit)

    def set_muted(self, muted: bool) -> None:
        self.muted = muted
        if muted:
            self.speaker.stop()
        self.sig_muted.emit(muted)

    def update_now(self) -> None:
        """Catch up with the clock now (the timer does this on its own)."""
        self._run(self.engine.tick)

    @property
    def finished(self) -> bool:
        return self.engine.state is State.FINISHED

    @property
    def paused(self) -> bool:
        return self.engine.state is State.PAUSED

    def view(self) -> View:
        return self.engine.view(self.clock())

    # --- Internals ---------------------------------------------------------------

    def _on_lengths(self) -> None:
        self.engine.lengths_changed()
        if self.engine.state is State.RUNNING:
            self._arm()  # the plan may have moved the next cue

    def _on_timeout(self) -> None:
        now = self.clock()
        if self._armed_for is not None:
            self.lateness.append(now - self._armed_for)
        self._armed_for = None
        self._handle(self.engine.tick(now), now)

    def _run(self, command: Callable[[float], list]) -> None:
        now = self.clock()
        self._handle(command(now), now)

    def _handle(self, events: list, now: float) -> None:
        # The display goes first: starting a sound process or queueing speech
        # takes milliseconds that would otherwise make every second late.
        cues = [e for e in events if isinstance(e, Cue)]
        sounds = [e for e in events if isinstance(e, Sound)]
        # A cue that came due just before the voice was told to stop is only shown.
        stops = [i for i, e in enumerate(events) if isinstance(e, VoiceStop)]
        silenced = {id(e) for e in events[:stops[-1]]} if stops else set()
        finished = None
        for event in events:
            if isinstance(event, StepStarted):
                self.sig_step_started.emit(event.index, event.step)
            elif isinstance(event, VoiceStop):
                # At once, before anything else: the person paused or moved on.
                self.speaker.stop()
            elif isinstance(event, Paused):
                self.sig_paused.emit(True)
            elif isinstance(event, Resumed):
                self.sig_paused.emit(False)
            elif isinstance(event, ExerciseFinished):
                self.sig_exercise_finished.emit(event.result)
            elif isinstance(event, SessionFinished):
                finished = event.summary
        self.sig_view.emit(self.engine.view(now))
        if finished is None:
            self._arm()
        else:
            self._timer.stop()
        for cue in cues:
            self._say(cue, silenced=id(cue) in silenced)
        if not self.muted:
            for sound in sounds:
                self.sounds.play(sound.name)
        if finished is not None:
            self.sig_finished.emit(finished)

    def _say(self, cue: Cue, *, silenced: bool = False) -> None:
        self.cues.append(cue)
        self.sig_caption.emit(cue.shown)
        if cue.spoken and not self.muted and not silenced:
            self.spoken.append(cue.text)
            self.speaker.say(cue.text, due=cue.due, expires=cue.expires)

    def _arm(self) -> None:
        # A fresh reading: the time spent handling this tick must not make the
        # next wake-up late.
        now = self.clock()
        deadline = self.engine.next_deadline()
        if deadline is None:
            self._timer.stop()
            self._armed_for = None
            return
        # Round up so the timer never fires before the moment; the engine copes
        # with lateness but an early wake-up would just need another one.
        delay_ms = max(0, math.ceil((deadline - now) * 1000))
        self._armed_for = deadline
        self._timer.start(delay_ms)
