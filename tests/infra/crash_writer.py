"""A session writer for the crash tests: run it, then kill it with SIGKILL.

    python crash_writer.py FOLDER third   begin, record items 0 and 1, then wait "in" item 2
    python crash_writer.py FOLDER loop    record items 0, 1, 2, ... as fast as it can

Each line printed on stdout is written only after the commit it names returned.
"""

from __future__ import annotations

import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

from backrehab_gui.core.engine import ExerciseResult
from backrehab_gui.infra.store import HistoryStore

START = datetime(2026, 5, 4, 18, 30, tzinfo=timezone(timedelta(hours=2)))


def result(item: int) -> ExerciseResult:
    return ExerciseResult(item, f"exercise-{item}", f"Exercise {item}", "done", 30.0 + item,
                          2, 2, 10, 10, (), 1.0)


def main() -> None:
    folder, mode = Path(sys.argv[1]), sys.argv[2]
    store = HistoryStore.open(folder)
    weights = [30.0] * 4 if mode == "third" else ()
    session = store.begin_session("crash", "Crash routine", "f" * 16, "phase", None, START, 1,
                                  "phase-1", 2, item_weights=weights)
    print(f"session {session}", flush=True)
    item = 0
    while mode == "loop" or item < 2:
        store.record_exercise(session, result(item), START + timedelta(minutes=item + 1))
        print(f"recorded {item}", flush=True)
        item += 1
    print("in-third", flush=True)
    while True:
        time.sleep(60)


if __name__ == "__main__":
    main()
