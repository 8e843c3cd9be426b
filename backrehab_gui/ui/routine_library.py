"""The routine files as App keeps them: loaded (a fault never stops the app) and loaded
again when they change (App's watcher says when), their problems told on Today and the
Routines tab, the folder opened, imports asked for (``import_flow`` does them), and the
routine and program editors opened on them.

A mixin for App (``app``), which builds and wires every part used here.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from ..core.loading import Library, Problem
from ..core.wording import plural
from ..infra import paths, routines


class RoutineLibrary:
    """Load, reload, import and edit the routine files; a mixin for App."""

    def _library_notice(self) -> str:
        notices = []
        if self.library.set_aside:
            from .routines_view import set_aside_notice  # with its view: not for every start

            notices.append(set_aside_notice(self.library))
        others = [p for p in self.library.problems if p not in self.library.set_aside]
        if others:
            first = "\n".join(str(p) for p in others[:3])
            notices.append(f"{plural(len(others), 'problem')} in routine files; those entries are "
                           f"left out and everything else loaded:\n{first}")
        return "\n\n".join(notices)

    def import_dialog(self) -> None:
        path = self.dialogs.open_file(self.window, "import", "Import a routine file",
                                      "Routine files (*.yaml *.yml)")
        if path:
            self.import_routine(path)

    def import_folder_dialog(self) -> None:
        # A sent folder sits in Downloads or on a stick: next time, start beside it.
        path = self.dialogs.choose_folder(self.window, "import",
                                          "Import a folder of routine files",
                                          remember_parent=True)
        if path:
            self.import_routine(path)

    def import_routine(self, source: Path) -> bool:
        """Check and copy in a routine file, or a folder of them with their pictures (asking
        first when it replaces what the person has); say what happened on the Routines tab."""
        from .import_flow import import_routine

        return import_routine(self, source)

    def open_routines_folder(self) -> bool:
        """Show the routines folder in the file manager, or, when none opens, its path."""
        folder = paths.user_routines(self.data_dir)
        view = self.window.routines
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as err:
            view.show_message(f"Your routines folder could not be made ({err.strerror or err}). "
                              f"It should be here:\n{folder}")
            return False
        from PySide6.QtCore import QUrl  # only here: not loaded before Today

        if self.open_url(QUrl.fromLocalFile(str(folder))):
            return True
        # No file manager here (or no xdg-open to find one): the path, to copy.
        view.show_message("No file manager could be opened on this computer. Your routines "
                          f"folder is:\n{folder}\nSelect that line and copy it into a file "
                          "manager or a file dialog to open the folder.")
        return False

    def _rewatch(self) -> None:
        folder = paths.user_routines(self.data_dir)
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError:
            return
        watched = set(self._watcher.files()) | set(self._watcher.directories())
        wanted = {str(folder), *(str(p) for p in routines.expand([folder]))}
        if wanted - watched:
            self._watcher.addPaths(sorted(wanted - watched))

    def _load_library(self) -> Library:
        """The routine files; each file's failures are contained already (infra.routines),
        this is the last guard so that even a fault there leaves a working app."""
        try:
            return routines.load_for_app(self.data_dir)
        except Exception as err:  # noqa: BLE001
            problem = Problem(str(paths.user_routines(self.data_dir)),
                              f"BackRehab went wrong while loading the routine files, so none "
                              f"were loaded ({type(err).__name__}: {err})")
            return Library(problems=[problem], set_aside=[problem])

    def reload_routines(self) -> None:
        if self._closed:
            return  # a file change noticed while quitting
        self.library = self._load_library()
        self.window.set_library(self.library)
        self.reminders.set_names({r.id: r.name for r in self.library.routines.values()})
        self._rewatch()
        problems = [str(p) for p in self.library.problems if p not in self.library.set_aside]
        if problems:
            self.window.routines.show_message("Some routine files have problems; those "
                                              "entries are left out:", problems)
        self.refresh()

    @staticmethod
    def _actions():
        from .editor import actions  # the editor loads when first used

        return actions

    def _bench_message(self, text: str) -> None:
        if text:
            self.window.routines.show_message(text)

    def edit_routine(self, routine_id: str | None, copy: bool = False) -> QWidget:
        """Open the routine editor on a new routine, a routine, or a copy of one."""
        from .editor.window import RoutineEditor

        routine = self.library.routines.get(routine_id) if routine_id else None
        editor = RoutineEditor(self.data_dir, self.library, routine, copy=copy)
        editor.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        editor.sig_saved.connect(self._on_routine_saved)
        editor.sig_handout.connect(lambda r, e=editor: e.status.setText(
            self._actions().ask_handout(e, e.checked.library, r.id)))
        editor.sig_send.connect(lambda r, e=editor: e.status.setText(
            self._actions().ask_send(e, e.checked.library, r)))
        editor.destroyed.connect(lambda _o=None, e=editor: self.editors.remove(e)
                                 if e in self.editors else None)
        self.editors.append(editor)
        editor.resize(1280, 820)
        editor.show()
        return editor

    def edit_program(self) -> QWidget:
        """The program editor on the person's own program, else on a copy of the bundled one."""
        from .editor.document import is_bundled
        from .editor.program_form import ProgramEditor

        programs = list(self.library.programs.values())
        own = [p for p in programs if not is_bundled(Path(
            self.library.origins[("programs", p.id)].file))]
        editor = ProgramEditor(self.data_dir, self.library, (own or programs or [None])[0])
        editor.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        editor.sig_saved.connect(lambda _id: self.reload_routines())
        editor.sig_handout.connect(lambda what, e=editor: e.status.setText(
            self._actions().ask_handout(e, *what)))
        editor.destroyed.connect(lambda _o=None, e=editor: self.editors.remove(e)
                                 if e in self.editors else None)
        self.editors.append(editor)
        editor.resize(900, 820)
        editor.show()
        return editor

    def _on_routine_saved(self, routine_id: str) -> None:
        self.reload_routines()
        self.window.routines.select(routine_id)
