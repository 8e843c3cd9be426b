"""Generate the app's short sounds into assets/sounds/ (or --out).

Plain stdlib (wave + math), deterministic: running it again gives the same
bytes, and a test checks the committed files match. 16-bit mono 22050 Hz.

    python scripts/make_sounds.py [--out FOLDER]
"""

from __future__ import annotations

import argparse
import math
import struct
import wave
from pathlib import Path

RATE = 22050
PEAK = 0.30
"""Of full scale: the cues sit under speech, not over it."""

# (frequency Hz, seconds) notes played back to back
SOUNDS: dict[str, list[tuple[float, float]]] = {
    # a soft rising fifth: work starts
    "start": [(523.25, 0.13), (783.99, 0.22)],
    # a short falling fourth: the step is over
    "end": [(659.25, 0.10), (493.88, 0.18)],
    # a short, fast-decaying blip for the last seconds
    "tick": [(1760.0, 0.03)],
    # C-E-G arpeggio: the session is complete
    "complete": [(523.25, 0.12), (659.25, 0.12), (783.99, 0.32)],
}


def note(freq: float, seconds: float, *, fade: float = 0.012, decay: float = 3.0) -> list[float]:
    """A sine with a little second harmonic, a gentle decay and short fades at both ends."""
    n = int(RATE * seconds)
    fade_n = max(1, min(int(RATE * fade), n // 3))
    out = []
    for i in range(n):
        t = i / RATE
        # Raised-cosine fades: a tone that starts or stops at full level clicks.
        if i < fade_n:
            env = 0.5 - 0.5 * math.cos(math.pi * i / fade_n)
        elif i >= n - fade_n:
            env = 0.5 - 0.5 * math.cos(math.pi * (n - 1 - i) / fade_n)
        else:
            env = 1.0
        env *= math.exp(-decay * t / seconds)
        wave_value = math.sin(2 * math.pi * freq * t) + 0.2 * math.sin(4 * math.pi * freq * t)
        out.append(env * wave_value / 1.2)
    return out


def render(notes: list[tuple[float, float]], *, fade: float = 0.012,
           decay: float = 1.5) -> bytes:
    samples: list[float] = []
    for freq, seconds in notes:
        samples.extend(note(freq, seconds, fade=fade, decay=decay))
    frames = (int(round(max(-1.0, min(1.0, s * PEAK)) * 32767)) for s in samples)
    return b"".join(struct.pack("<h", f) for f in frames)


def write(path: Path, data: bytes) -> None:
    with wave.open(str(path), "wb") as f:
        f.setnchannels(1)
        f.setsampwidth(2)
        f.setframerate(RATE)
        f.writeframes(data)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default = Path(__file__).resolve().parent.parent / "assets" / "sounds"
    parser.add_argument("--out", type=Path, default=default)
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    for name, notes in SOUNDS.items():
        # The tick starts fast and decays fast so it reads as a click, not a beep.
        if name == "tick":
            data = render(notes, fade=0.002, decay=4.0)
        else:
            data = render(notes)
        write(args.out / f"{name}.wav", data)
        print(f"{args.out / (name + '.wav')}: {len(data) // 2 / RATE:.2f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
