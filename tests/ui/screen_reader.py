"""Read BackRehab as a screen reader does: over the AT-SPI accessibility bus.

Run by tests/ui/test_screen_reader.py with the system's python3 (Debian's
python3-pyatspi lives there, not in the virtual environment), inside
``dbus-run-session`` and with an X server in $DISPLAY:

    dbus-run-session -- /usr/bin/python3 screen_reader.py APP_PYTHON DATA_FOLDER STEPS_JSON

It starts the accessibility bus (at-spi-bus-launcher), then the app with
QT_LINUX_ACCESSIBILITY_ALWAYS_ON=1 on that display and data folder, then works
through the steps, each a one-key object:

    {"wait": {"role": "label", "name": "Week"}}   until a showing node matches (name: part of)
    {"dump": "today"}                             the showing tree of the app's windows
    {"press": {"role": "push button", "name": "Start"}}   its first action, as Orca would
    {"select": {"role": "list item", "name": "Morning"}}  select it in its list
    {"listen": 3.5}                               seconds of events
    {"mark": "started"}                           a marker in the announcements list

Throughout, it records every announcement (``object:announcement``) with the
step count at the time. It prints one JSON object: {"dumps": {name: [node...]},
"announcements": [[text, politeness, marks so far]], "error": text or null}. A
node is {"role", "name", "description", "text", "value", "states", "children"};
only nodes a screen reader would present (showing) are kept.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

import pyatspi
from gi.repository import GLib

APP_NAME = "BackRehab"
TIMEOUT = 30.0


def pump(seconds: float) -> None:
    """Let events arrive for ``seconds`` (the listeners run in GLib's main context)."""
    context = GLib.MainContext.default()
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        while context.pending():
            context.iteration(False)
        time.sleep(0.01)


def app_root():
    desktop = pyatspi.Registry.getDesktop(0)
    for index in range(desktop.childCount):
        child = desktop.getChildAtIndex(index)
        if child is not None and child.name == APP_NAME:
            return child
    return None


def is_showing(node) -> bool:
    states = node.getState()
    return states.contains(pyatspi.STATE_SHOWING) and states.contains(pyatspi.STATE_VISIBLE)


def children(node) -> list:
    """A node's children that still exist: the app may delete one while it is read (a view
    rebuilt), and a screen reader goes on with the rest."""
    out = []
    for index in range(node.childCount):
        try:
            child = node.getChildAtIndex(index)
            if child is not None:
                child.getRole()
                out.append(child)
        except GLib.Error:
            continue
    return out


def read(node, depth: int = 0) -> dict | None:
    """A node and its showing children, as a screen reader sees them."""
    if depth > 0 and not is_showing(node):
        return None
    out = {"role": node.getRoleName(), "name": node.name or "",
           "description": node.description or ""}
    try:
        text = node.queryText()
        out["text"] = text.getText(0, -1)
    except NotImplementedError:
        pass
    try:
        value = node.queryValue()
        out["value"] = [value.currentValue, value.minimumValue, value.maximumValue]
    except NotImplementedError:
        pass
    states = node.getState()
    out["states"] = sorted(pyatspi.stateToString(s) for s in states.getStates()
                           if s in (pyatspi.STATE_FOCUSED, pyatspi.STATE_CHECKED,
                                    pyatspi.STATE_SELECTED, pyatspi.STATE_ENABLED,
                                    pyatspi.STATE_FOCUSABLE))
    out["children"] = []
    for child in children(node):
        try:
            got = read(child, depth + 1)
        except GLib.Error:  # gone while it was read
            continue
        if got is not None:
            out["children"].append(got)
    return out


def find(node, role: str, name: str):
    """The first showing node of ``role`` whose name contains ``name`` (depth first)."""
    if node.getRoleName() == role and name in (node.name or "") and is_showing(node):
        return node
    for child in children(node):
        try:
            if node.getRoleName() != "application" and not is_showing(child):
                continue
            found = find(child, role, name)
        except GLib.Error:
            continue
        if found is not None:
            return found
    return None


def wait_for(role: str, name: str):
    end = time.monotonic() + TIMEOUT
    while time.monotonic() < end:
        root = app_root()
        if root is not None:
            found = find(root, role, name)
            if found is not None:
                return found
        pump(0.1)
    raise TimeoutError(f"no showing {role} named like {name!r} within {TIMEOUT:.0f} s")


def run(steps: list[dict], marks: list[str]) -> dict:
    dumps: dict[str, list] = {}
    for number, step in enumerate(steps):
        try:
            do(step, dumps, marks)
        except Exception as err:
            raise RuntimeError(f"step {number + 1}, {json.dumps(step)}: "
                               f"{type(err).__name__}: {err}") from err
        pump(0.05)
    return dumps


def do(step: dict, dumps: dict, marks: list[str]) -> None:
    (kind, arg), = step.items()
    if kind == "wait":
        wait_for(arg["role"], arg["name"])
    elif kind == "dump":
        pump(0.3)  # let the screen settle, as a person would
        tree = [read(window, 1) for window in children(app_root())]
        dumps[arg] = [window for window in tree if window is not None]
    elif kind == "press":
        wait_for(arg["role"], arg["name"]).queryAction().doAction(0)
    elif kind == "select":
        node = wait_for(arg["role"], arg["name"])
        node.parent.querySelection().selectChild(node.getIndexInParent())
    elif kind == "listen":
        pump(float(arg))
    elif kind == "mark":
        marks.append(arg)
    else:
        raise ValueError(f"unknown step {kind}")


def main() -> int:
    app_python, data, steps = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
    bus = subprocess.Popen(["/usr/libexec/at-spi-bus-launcher", "--launch-immediately"],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    app = None
    announcements: list = []
    marks: list[str] = []
    result = {"dumps": {}, "announcements": announcements, "error": None}
    try:
        def heard(event) -> None:
            announcements.append([str(event.any_data), event.detail1, list(marks)])

        pyatspi.Registry.registerEventListener(heard, "object:announcement")
        env = dict(os.environ, QT_LINUX_ACCESSIBILITY_ALWAYS_ON="1", QT_QPA_PLATFORM="xcb",
                   BACKREHAB_HOME=data)
        app = subprocess.Popen([app_python, "-m", "backrehab_gui"], env=env,
                               stdout=subprocess.DEVNULL, stderr=sys.stderr)
        result["dumps"] = run(steps, marks)
    except Exception as err:  # noqa: BLE001 - reported to the test, which fails with it
        result["error"] = f"{type(err).__name__}: {err}"
    finally:
        if app is not None:
            app.terminate()
            try:
                app.wait(10)
            except subprocess.TimeoutExpired:
                app.kill()
        bus.terminate()
        bus.wait(10)
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
