"""Importing what a therapist sent, as the Routines tab and the File menu do it: check and
copy in, or ask first when it is a new version of what the person has (the question
panel in the Routines view), then replace and say where the old files are kept.

Every outcome ends in one plain message on the Routines tab; a fault of BackRehab's own
is told there too and never closes the app.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ..core.wording import form, plural
from ..infra.put_aside import ReplaceFailed
from ..infra.routine_import import Imported, import_path
from ..infra.routine_replace import Replacement

if TYPE_CHECKING:
    from .app import App


def import_routine(app: App, source: Path) -> bool:
    """Check and copy in a routine file, or a folder of them with their pictures; when it
    would replace what the person has, ask first. True when something was imported."""
    view = app.window.routines
    view.question.clear()
    # Whatever happens is said on the Routines tab: shown, even for an import from the
    # File menu on another tab.
    app.window.show_routines()
    result = _run(app, source, False)
    if result is None:
        return False
    if result.asks:
        _ask(app, source, result.replacing)
        return False
    return _done(app, source, result)


def _run(app: App, source: Path, replace: bool | Replacement) -> Imported | None:
    view = app.window.routines
    try:
        return import_path(source, app.data_dir, replace=replace, now=app.wall_clock())
    except ReplaceFailed as err:
        view.show_message(f"{err.message[:1].upper()}{err.message[1:]}.")
    except OSError as err:
        where = f" ({err.filename})" if err.filename else ""
        view.show_message(f"Not imported: {err.strerror or err}{where}. Your routines "
                          "folder was not changed.")
    except Exception as err:  # noqa: BLE001 - a fault of ours must not close the app
        view.show_message(f"Not imported: BackRehab went wrong while importing "
                          f"{source.name} ({type(err).__name__}: {err}). Your routines "
                          "folder was not changed.")
    return None


def _ask(app: App, source: Path, plan: Replacement, again: bool = False) -> None:
    view = app.window.routines
    app.window.show_routines()  # the question is asked where the routines are
    view.show_message("Something changed since you were asked, so here is what replacing "
                      "does now." if again else
                      f"{source.name} is a new version of what you have: nothing is "
                      "changed until you choose.")
    view.question.ask(f"Replace what you have with {source.name}? This is what changes:",
                      plan.changes, lambda: _replace(app, source, plan),
                      lambda: view.show_message(f"Not imported: you kept what you have. "
                                                f"{source.name} was not copied."))


def _replace(app: App, source: Path, plan: Replacement) -> None:
    result = _run(app, source, plan)
    if result is None:
        return
    if result.asks:  # the files changed since the question: ask again, never guess
        _ask(app, source, result.replacing, again=True)
        return
    _done(app, source, result)


def _done(app: App, source: Path, result: Imported) -> bool:
    view = app.window.routines
    if result.breaks and not result.problems:
        view.show_message("Not imported: " + result.breaks_message(source.name, app.data_dir),
                          [str(p) for p in result.breaks])
        return False
    if not result.ok:
        count = len(result.problems)
        view.show_message(f"Not imported: {source.name} has {plural(count, 'problem')}, "
                          f"so nothing was copied. Fix {form(count, 'it', 'them')} (or "
                          "ask whoever sent it), then import it again.",
                          [str(p) for p in result.problems])
        return False
    if result.already:
        view.show_message(f"You already have everything in {source.name}, exactly as sent; "
                          "nothing was changed.")
        return True
    app.reload_routines()
    _select_first(app, result)
    if result.kept is not None:
        view.show_message(f"Replaced with the version in {source.name}. Your old files are "
                          f"kept in:\n{result.kept}")
        return True
    files, pictures = len(result.routine_files), len(result.pictures)
    what = plural(files, "routine file") if source.is_dir() else source.name
    if pictures:
        what += f" with {plural(pictures, 'picture')}"
    view.show_message(f"Imported {what} into your routines folder"
                      + (f" (in the folder '{result.target.name}')." if source.is_dir()
                         or pictures else "."))
    return True


def _select_first(app: App, result: Imported) -> None:
    """Show the first routine that came in, so its new exercises and doses are in view."""
    files = {str(path) for path in result.routine_files}
    for (section, ident), origin in app.library.origins.items():
        if section == "routines" and origin.file in files:
            app.window.routines.select(ident)
            return
