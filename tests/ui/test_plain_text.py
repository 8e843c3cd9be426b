"""Text from routine files and from the person is shown as written, never as markup.

One routine file (and a safety file) holds markup in every text field. It is
loaded through the real loader from a data folder; then every screen that can
show that text is opened (first run, today, routines, exercises, reminders,
the player and its summary, the history with a session of it, an import that
fails, the PDF report), and every label, tooltip, button, menu entry, list and
table cell in every window is read the way a person would see it. Each one that
holds the text must show it literally.

The image in the markup names a file that does not exist: a real ``/dev/zero``
would make code that interprets it read until memory runs out.
"""

from __future__ import annotations

import itertools
import re
import shutil
import subprocess
from datetime import datetime, timedelta, timezone

import pytest
import yaml
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import Qt as GuiQt
from PySide6.QtGui import QTextDocument
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QComboBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QTabWidget,
    QTextEdit,
    QWidget,
)

from backrehab_gui.core import model as m
from backrehab_gui.core.schedule import Enrolment
from backrehab_gui.infra import paths
from backrehab_gui.infra.keep_awake import RecordingKeepAwake
from backrehab_gui.infra.settings import Settings, SettingsStore
from backrehab_gui.infra.sound import RecordingSoundPlayer
from backrehab_gui.infra.speech import RecordingSpeaker
from backrehab_gui.infra.store import HistoryStore
from backrehab_gui.ui import plain
from backrehab_gui.ui.app import App

from .test_today import questionnaires_skipped

MARK = ('<img src="missing-picture.png"><h1>big</h1><a href="https://example.org/">link</a>'
        ' r&amp;d & co')
"""Markup a label would render (an image, a heading, a link, an entity) and a lone & that
a button would take for a keyboard shortcut. Lower case, so lower-cased text keeps it."""
FILE_MARK = "<img src=odd-file.png><b>big<b> r&amp;d & co"
"""The same for a file name (which cannot hold a slash)."""
MARKS = {"missing-picture": MARK, "odd-file": FILE_MARK}
"""A word in each mark's raw text, and the mark a person must see wherever it is."""

WALL = datetime(2026, 11, 23, 19, 30, tzinfo=timezone(timedelta(hours=1)))
"""A Monday evening, after the evening and session reminder times."""


def marked(field: str) -> str:
    return f"{field} {MARK}"


EXERCISE_FIELDS = ("exercise-name", "step-one", "step-two", "key-cue", "tip", "why",
                   "equipment", "stop-if", "caution")
SEEN_SOMEWHERE = (*EXERCISE_FIELDS, "routine-name", "routine-summary", "cue-say",
                  "program-name", "program-summary", "phase-name", "phase-focus",
                  "disclaimer", "flag-question", "flag-advice", "check-text", "avoid-name",
                  "avoid-why", "avoid-instead", "other-exercise", "session-note",
                  "urgent-question", "urgent-advice")
"""Fields that some screen shows: the test fails if one of them is shown nowhere."""


def routine_file() -> dict:
    """Exercises, a routine and a program, as a therapist might send them."""
    def exercise(ident: str, prefix: str, dose: dict, **more) -> dict:
        return {"id": ident, "name": marked(prefix), "category": "core", "position": "on-back",
                "steps": [marked("step-one"), marked("step-two")], "key_cue": marked("key-cue"),
                "tip": marked("tip"), "why": marked("why"), "equipment": [marked("equipment")],
                "stop_if": [marked("stop-if")], "caution": marked("caution"), "dose": dose,
                **more}

    return {
        "format": 1,
        "exercises": [
            exercise("marked-hold", "exercise-name", {"hold": "max", "goal": 5},
                     easier=["marked-reps"]),
            exercise("marked-reps", "other-exercise", {"reps": 2}),
            exercise("marked-avoided", "avoided-exercise", {"reps": 2}),
        ],
        "routines": [{
            "id": "marked-routine", "name": marked("routine-name"),
            "summary": marked("routine-summary"), "prepare": 3,
            "rest_between_exercises": 3,
            "exercises": [
                {"exercise": "marked-hold", "note": marked("item-note"),
                 "cues": [{"at": 1, "say": marked("cue-say")}]},
                {"exercise": "marked-reps"},
            ],
        }],
        "programs": [{
            "id": "marked-program", "name": marked("program-name"),
            "summary": marked("program-summary"),
            "phases": [{"id": "only", "name": marked("phase-name"), "weeks": "1-8",
                        "focus": marked("phase-focus"),
                        "sessions": [{"routine": "marked-routine", "per_week": 7}]}],
            "daily": [{"block": "evening", "routine": "marked-routine"}],
            "maintenance": {"sessions": [{"routine": "marked-routine", "per_week": 3}],
                            "note": marked("maintenance-note")},
        }],
    }


def safety_file() -> dict:
    return {"format": 1, "safety": {
        "disclaimer": marked("disclaimer"),
        "red_flags": [{"id": "flag", "question": marked("flag-question"),
                       "advice": marked("flag-advice")},
                      {"id": "urgent", "tier": "emergency", "question": marked("urgent-question"),
                       "advice": marked("urgent-advice")}],
        "checklist": [{"id": "check", "text": marked("check-text")}],
        "avoid": [{"id": "avoid", "name": marked("avoid-name"), "why": marked("avoid-why"),
                   "instead": ["marked-reps"], "instead_text": marked("avoid-instead"),
                   "covers": ["marked-avoided"]}],
        "habits": [{"id": "habit", "text": marked("habit")}],
        "expectations": [marked("expectation")],
    }}


# --- Reading what a person sees ------------------------------------------------------------


def rendered(text: str, fmt: Qt.TextFormat = Qt.TextFormat.AutoText) -> str:
    """What a text shown in this format reads as on the screen."""
    if fmt == Qt.TextFormat.AutoText:
        fmt = Qt.TextFormat.RichText if GuiQt.mightBeRichText(text) else Qt.TextFormat.PlainText
    if fmt == Qt.TextFormat.PlainText:
        return text
    document = QTextDocument()
    if fmt == Qt.TextFormat.MarkdownText:
        document.setMarkdown(text)
    else:
        document.setHtml(text)
    return document.toPlainText()


def without_mnemonics(text: str) -> str:
    """A button's or menu entry's text as shown: '&&' is '&', '&x' underlines x."""
    return re.sub(r"&(.)", r"\1", text)


def surfaces(widget: QWidget) -> list[tuple[str, str, str]]:
    """(where, raw text, text as shown) for every text ``widget`` shows, tooltips included."""
    where = f"{type(widget).__name__} {widget.objectName()}".strip()
    out = [(f"{where} tooltip", widget.toolTip(), rendered(widget.toolTip())),
           (f"{where} title", widget.windowTitle(), widget.windowTitle())]
    if isinstance(widget, QLabel) and not widget.property("elided"):
        # A label that shows only the start of its text has all of it in its tooltip.
        out.append((where, widget.text(), rendered(widget.text(), widget.textFormat())))
    if isinstance(widget, QAbstractButton):
        out.append((where, widget.text(), without_mnemonics(widget.text())))
    if isinstance(widget, QGroupBox):
        out.append((where, widget.title(), without_mnemonics(widget.title())))
    if isinstance(widget, QLineEdit):
        out += [(where, widget.text(), widget.text()),
                (where, widget.placeholderText(), widget.placeholderText())]
    if isinstance(widget, QPlainTextEdit):
        out.append((where, widget.toPlainText(), widget.toPlainText()))
    if isinstance(widget, QTextEdit):
        out.append((where, widget.toHtml(), widget.toPlainText()))
    if isinstance(widget, QTabWidget):
        for i in range(widget.count()):
            out += [(f"{where} tab", widget.tabText(i), without_mnemonics(widget.tabText(i))),
                    (f"{where} tab tooltip", widget.tabToolTip(i),
                     rendered(widget.tabToolTip(i)))]
    if isinstance(widget, QComboBox):
        out += [(f"{where} item", widget.itemText(i), widget.itemText(i))
                for i in range(widget.count())]
    if isinstance(widget, QMenu):
        out += [(f"{where} entry", a.text(), without_mnemonics(a.text()))
                for a in widget.actions()]
    if isinstance(widget, QAbstractItemView) and widget.model() is not None:
        model = widget.model()
        for row in range(model.rowCount(QModelIndex())):
            for column in itertools.count():
                index = model.index(row, column)
                if not index.isValid():
                    break
                text = str(index.data(Qt.ItemDataRole.DisplayRole) or "")
                tip = str(index.data(Qt.ItemDataRole.ToolTipRole) or "")
                out += [(f"{where} cell", text, text),
                        (f"{where} cell tooltip", tip, rendered(tip))]
    return out


class Looker:
    """Reads every window; keeps what was shown wrong and which fields were seen."""

    def __init__(self) -> None:
        self.wrong: dict[tuple[str, str], str] = {}
        self.seen: set[str] = set()

    def look(self, widgets: list[QWidget] | None = None) -> None:
        for widget in widgets if widgets is not None else QApplication.allWidgets():
            for where, raw, shown in surfaces(widget):
                self.check(where, raw, shown)

    def check(self, where: str, raw: str, shown: str) -> None:
        for word, mark in MARKS.items():
            if word in raw and mark not in shown:
                self.wrong[(where, raw)] = shown
        self.seen.update(field for field in SEEN_SOMEWHERE if marked(field) in shown)


# --- The world -------------------------------------------------------------------------------


class Clocks:
    def __init__(self) -> None:
        self.now = 0.0

    def monotonic(self) -> float:
        return self.now

    def wall(self) -> datetime:
        return WALL + timedelta(seconds=self.now)


@pytest.fixture
def app(qtbot, tmp_path, monkeypatch):
    bundled = tmp_path / "bundled"
    bundled.mkdir()
    (bundled / "safety.yaml").write_text(yaml.safe_dump(safety_file()), encoding="utf-8")
    monkeypatch.setattr(paths, "bundled_routines", lambda: bundled)
    home = tmp_path / "home"
    paths.user_routines(home).mkdir(parents=True)
    (paths.user_routines(home) / "from-my-therapist.yaml").write_text(
        yaml.safe_dump(routine_file()), encoding="utf-8")
    SettingsStore(home).save(Settings(welcome_done=True, screened_on="2026-11-01",
                                      checked_on=WALL.date().isoformat()))
    with HistoryStore.open(home) as store:
        store.save_enrolment(Enrolment("marked-program", WALL.date() - timedelta(weeks=1),
                                       tuple(range(7)), (m.Block.EVENING,)))
    questionnaires_skipped(home, WALL.date())
    clocks = Clocks()
    application = App(home, speaker=RecordingSpeaker(), sounds=RecordingSoundPlayer(),
                      keep_awake=RecordingKeepAwake(), clock=clocks.monotonic,
                      wall_clock=clocks.wall, tray_available=False)
    application.clocks = clocks
    qtbot.addWidget(application.window)
    application.window.show()
    assert not application.library.problems, application.library.problems
    yield application
    application.close()


def open_tab(app: App, title: str) -> QWidget:
    tabs = app.window.tabs
    index = next(i for i in range(tabs.count()) if without_mnemonics(tabs.tabText(i)) == title)
    tabs.setCurrentIndex(index)
    return app.window.view_of(index)


def test_routine_text_is_never_markup_on_any_screen(qtbot, app, tmp_path):
    looker = Looker()

    # First run: the program, the disclaimer, a red flag answered yes, the checklist.
    app.safety_check()
    first_run = app.today_view.pages.currentWidget()
    first_run.flag_groups["flag"].button(1).setChecked(True)
    first_run.flag_groups["urgent"].button(0).setChecked(True)
    first_run.flags_next.click()
    looker.look()
    app.today_view.close_form()
    app.refresh()

    # Today, the routines list (its tooltip too) and the tray's menu and reminder notice.
    app.window.show_routines()
    app.start_reminders(catch_up=True)
    assert app.tray.notice.isVisible()
    looker.look()

    # Every exercise in the library, then what to avoid.
    library = open_tab(app, "Exercises")
    for exercise_id in app.library.exercises:
        library.select(exercise_id)
        looker.look()
    library.show_avoid()
    looker.look()

    # The player, step by step, then its summary with a note typed in.
    player = app.start_routine("marked-routine")
    qtbot.addWidget(player)
    looker.look()
    QTest.keyClick(player, Qt.Key.Key_S)
    clocks = app.clocks
    step = None
    while not player.controller.finished:
        clocks.now += 0.25
        current = player.controller.engine.current
        if current.is_open and player.controller.view().elapsed >= 2:
            player.controller.enter()
        player.controller.update_now()
        if (current, player.caption.text()) != step:
            step = (current, player.caption.text())
            looker.look(player.findChildren(QWidget) + [player])
    summary = player._summary_view
    summary.note.setText(marked("session-note"))
    looker.look()
    with qtbot.waitSignal(player.sig_closed):
        QTest.keyClick(summary.note, Qt.Key.Key_Return)

    # The history: the day of that session, and the open-hold chart of its exercise.
    history = open_tab(app, "History")
    history.show_day(WALL.date())
    qtbot.waitUntil(lambda: "Reading" not in history.hold_chart.toolTip())
    assert marked("session-note") in history.day_panel.text()
    looker.look()

    # An import that fails, from a file whose name is markup.
    odd = tmp_path / f"{FILE_MARK}.yaml"
    odd.write_text("format: 1\nroutines: [{id: x}]\n", encoding="utf-8")
    assert not app.import_routine(odd)
    looker.look()

    # "Stop: it hurts": what happened, the easier variant offered by name; then leg
    # symptoms, the urgent-sign check answered yes, the emergency page and the lock.
    player = app.start_routine("marked-routine")
    qtbot.addWidget(player)
    QTest.keyClick(player, Qt.Key.Key_S)
    clocks.now += 5
    player.controller.update_now()
    for key in (Qt.Key.Key_H, Qt.Key.Key_1, Qt.Key.Key_E, Qt.Key.Key_H, Qt.Key.Key_2):
        QTest.keyClick(player, key)
        looker.look(player.findChildren(QWidget) + [player])
    player.hurt.view.check.boxes["urgent"].setChecked(True)
    QTest.keyClick(player, Qt.Key.Key_Return)
    looker.look(player.findChildren(QWidget) + [player])
    with qtbot.waitSignal(player.sig_closed):
        QTest.keyClick(player, Qt.Key.Key_Return)
    looker.look()

    assert not looker.wrong, "\n".join(f"{where}: {raw!r} is shown as {shown!r}"
                                       for (where, raw), shown in looker.wrong.items())
    assert looker.seen >= set(SEEN_SOMEWHERE), set(SEEN_SOMEWHERE) - looker.seen

    # The report for the therapist prints the same text as written.
    pdftotext = shutil.which("pdftotext")
    if pdftotext is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    app.export("pdf", tmp_path / "report.pdf")
    text = subprocess.run([pdftotext, "-enc", "UTF-8", str(tmp_path / "report.pdf"), "-"],
                          check=True, capture_output=True, text=True).stdout
    # Table cells wrap long words, so compare without white space.
    flat = "".join(text.split())
    for field in ("program-name", "phase-name", "exercise-name", "session-note"):
        assert "".join(marked(field).split()) in flat, field


def test_a_plain_label_is_plain_text_and_not_selectable(qtbot):
    # plain.py names Qt::PlainText and Qt::NoTextInteraction by value (see there).
    label = plain.plain_label(marked("label"))
    qtbot.addWidget(label)
    assert label.textFormat() == Qt.TextFormat.PlainText
    assert label.textInteractionFlags() == Qt.TextInteractionFlag.NoTextInteraction
    assert label.text() == marked("label")


def test_a_message_box_shows_its_text_as_written(qtbot):
    box = plain.message_box(None, marked("title"), marked("message"))
    qtbot.addWidget(box)
    assert box.textFormat() == Qt.TextFormat.PlainText
    looker = Looker()
    looker.look(box.findChildren(QWidget) + [box])
    assert not looker.wrong, looker.wrong
    assert box.text() == marked("message") and box.windowTitle() == marked("title")


def test_tooltips_show_text_as_written_line_breaks_kept():
    tip = plain.tooltip_text(f"first {MARK}\nsecond line")
    assert GuiQt.mightBeRichText(tip)
    assert rendered(tip) == f"first {MARK}\nsecond line"
    assert plain.tooltip_text("") == ""
    # Text with no markup at all still shows as itself (an & stays an &).
    assert rendered(plain.tooltip_text("Hips & knees")) == "Hips & knees"


def test_desktop_notifications_are_escaped_only_where_the_body_is_markup():
    """Over D-Bus the notification body is markup; Qt's own balloon shows plain text."""
    assert plain.notification_text(MARK, takes_markup=False) == MARK
    escaped = plain.notification_text(MARK, takes_markup=True)
    assert "<" not in escaped and rendered(f"<p>{escaped}</p>") == MARK


def test_buttons_and_menus_keep_an_ampersand():
    assert without_mnemonics(plain.mnemonic_safe("Hips & knees && R&D")) == \
        "Hips & knees && R&D"
