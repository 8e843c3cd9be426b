"""The File menu's exports of the whole history: a CSV, an iCalendar file (with the sessions
planned for the next four weeks) or the PDF report, each told in one sentence.

A mixin for App (``app``), which builds and wires every part used here.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from ..core.wording import plural
from ..infra.store_errors import StoreError


class ExportActions:
    """Ask where, then export; a mixin for App."""

    def export_dialog(self, kind: str) -> None:
        """Ask where, then write a CSV, ICS or PDF of the whole history."""
        suffix = {"csv": "CSV (*.csv)", "ics": "Calendar (*.ics)", "pdf": "PDF (*.pdf)"}[kind]
        path = self.dialogs.save_file(self.window, "export", "Export",
                                      f"backrehab-history.{kind}", suffix)
        if path:
            self.window.statusBar().showMessage(self.export(kind, path), 8000)

    def export(self, kind: str, path: Path, first: date | None = None,
               last: date | None = None) -> str:
        """Write an export; returns a sentence saying what happened."""
        from ..infra import export  # icalendar loads only when someone exports

        if self.store is None:
            return self.store_problem
        last = last or self.today()
        first = first or (self.calendar.enrolment.start if self.calendar
                          else last - timedelta(days=365))
        try:
            records, where = export.read_for_export(self.store, self.calendar, first, last,
                                                    self.today())
            if kind == "csv":
                count = export.write_csv(path, records, where, self.library)
                return f"Saved {plural(count, 'row')} to {path}"
            if kind == "ics":
                planned = export.planned_between(
                    self.calendar, first, last + timedelta(days=28),
                    self._records(self.calendar.enrolment.start, self.today()),
                    self.today()) if self.calendar else []
                names, estimates = export.routine_details(self.library)
                count = export.write_ics(path, records, planned, names, estimates,
                                         where=where)
                return f"Saved {plural(count, 'event')} to {path}"
            from .report import write_report

            write_report(path, store=self.store, library=self.library,
                         calendar=self.calendar,
                         program=self.calendar.program if self.calendar else None,
                         today=self.today(), first=first, last=last)
            return f"Saved the report to {path}"
        except (export.ExportError, StoreError) as err:
            return f"Not exported: {err.message}"
        except OSError as err:
            return f"Not exported: {err.strerror or err}"
