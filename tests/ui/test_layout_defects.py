"""What a new user met, one test each; the layout audit (tests/ui/layout_audit) measures
every screen, these pin down the behaviour behind each fix."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget

from backrehab_gui.infra.keep_awake import RecordingKeepAwake
from backrehab_gui.infra.settings import Settings, SettingsStore
from backrehab_gui.infra.sound import RecordingSoundPlayer
from backrehab_gui.infra.speech import RecordingSpeaker
from backrehab_gui.ui import theme
from backrehab_gui.ui.app import App


def make_app(qtbot, home, **settings) -> App:
    from datetime import date

    # The weekly urgent-sign check answered today: sessions start without it.
    settings.setdefault("checked_on", date.today().isoformat())
    SettingsStore(home).save(Settings(welcome_done=True, screened_on="2026-11-02", **settings))
    app = App(home, speaker=RecordingSpeaker(), sounds=RecordingSoundPlayer(),
              keep_awake=RecordingKeepAwake(), clock=lambda: 0.0, tray_available=False)
    qtbot.addWidget(app.window)
    return app


def app_day(home):
    """The day the app will call today (the real clock: these tests do not fake it)."""
    from datetime import datetime

    return datetime.now().date()


def test_the_first_session_fills_the_screen_and_a_later_one_keeps_its_size(qtbot, tmp_path):
    app = make_app(qtbot, tmp_path)
    room = QApplication.primaryScreen().availableGeometry()
    player = app.start_routine("daily-evening")
    qtbot.addWidget(player)
    assert player.windowState() & Qt.WindowState.WindowMaximized
    qtbot.waitUntil(lambda: player.width() >= room.width() * 0.9 and
                    player.height() >= room.height() * 0.9)
    player.showNormal()
    player.resize(700, 500)
    player.close()
    assert app.settings.player_geometry
    again = app.start_routine("daily-evening")
    qtbot.addWidget(again)
    assert not again.windowState() & Qt.WindowState.WindowMaximized
    assert (again.width(), again.height()) == (700, 500)
    again.close()
    app.close()


def test_the_main_window_opens_no_larger_than_the_screen(qtbot, tmp_path):
    app = make_app(qtbot, tmp_path)
    room = QApplication.primaryScreen().availableGeometry()
    assert app.window.width() <= room.width() and app.window.height() <= room.height()
    app.close()


def test_an_open_player_follows_the_high_contrast_theme(qtbot, tmp_path):
    app = make_app(qtbot, tmp_path)
    player = app.start_routine("daily-evening")
    qtbot.addWidget(player)
    qapp = QApplication.instance()
    try:
        theme.apply(qapp, "high-contrast", 1.0)
        assert "#ffff00" in player.styleSheet() and "#000000" in player.styleSheet()
        theme.apply(qapp, "dark", 1.0)
        assert "#ffff00" not in player.styleSheet()
    finally:
        theme.apply(qapp, "system", 1.0)
        player.close()
        app.close()


def test_changing_the_text_size_keeps_the_text_size_control_in_view(qtbot, tmp_path):
    from backrehab_gui.ui.settings_view import SettingsView

    qapp = QApplication.instance()
    view = SettingsView(Settings(), RecordingSpeaker(), RecordingSoundPlayer(), tmp_path,
                        default_dir=tmp_path, choose_folder=lambda _start: None,
                        confirm=lambda _question: True)
    view.sig_preview_theme.connect(lambda name, scale: theme.apply(qapp, name, scale))
    qtbot.addWidget(view)
    view.resize(800, 600)
    view.show()
    qtbot.waitExposed(view)
    try:
        view.text_size.setFocus()
        for percent in (150, 200):
            view.text_size.setValue(percent)

            def in_view() -> bool:
                viewport = view._scroll.viewport()
                seen = viewport.rect()
                spot = view.text_size.mapTo(viewport, view.text_size.rect().center())
                return seen.contains(spot)

            qtbot.waitUntil(in_view, timeout=2000)
        assert view._columns == 1  # too wide for two columns: the Looks box moved down
    finally:
        theme.apply(qapp, "system", 1.0)
        view.close()


def test_today_fills_a_wide_screen(qtbot, tmp_path):
    """Today at 1920x1080 was a strip of text at the top: 70 % of it empty. Now the week's
    days take the width, and what Start does next stands beside today's sessions: the
    routine, how long, each exercise with today's dose; a small window keeps to the plan."""
    from datetime import timedelta

    from backrehab_gui.core.schedule import Enrolment
    from backrehab_gui.infra.store import HistoryStore

    with HistoryStore.open(tmp_path) as store:
        store.save_enrolment(Enrolment("lower-back-8-weeks",
                                       app_day(tmp_path) - timedelta(weeks=2)))
    app = make_app(qtbot, tmp_path)
    app.window.show()
    qtbot.waitExposed(app.window)
    # After the show, which fits the window onto the (small) offscreen screen.
    qtbot.wait(10)
    app.window.resize(1920, 1080)
    qtbot.waitUntil(lambda: app.window.width() == 1920)
    view = app.today_view
    assert view.week.isVisible()  # this week's days, as in History
    upcoming = view.today.next_item
    qtbot.waitUntil(lambda: view.up_next.isVisible())
    up_next = view.up_next
    assert up_next.title.text() == f"Up next: {upcoming.routine.name}"
    preview = app.preview_routine(upcoming.routine.id)
    assert up_next.steps.text().splitlines() == [f"{n}. {line}" for n, line
                                                 in enumerate(preview.lines, start=1)]

    def used() -> int:  # from the week's left edge to Up next's right edge
        return up_next.mapTo(view, up_next.rect().topRight()).x() - \
            view.week.mapTo(view, view.week.rect().topLeft()).x()
    qtbot.waitUntil(lambda: used() > view.width() * 0.8)
    # Beside today's sessions, not under them.
    sessions = view.sessions.mapTo(view, view.sessions.rect().topRight())
    assert up_next.mapTo(view, up_next.rect().topLeft()).x() > sessions.x()
    lowest = max(w.mapTo(view, w.rect().bottomLeft()).y()
                 for w in view.findChildren(QWidget) if w.isVisible() and
                 w.parentWidget() is view.column)
    assert lowest > view.height() * 0.55
    # A small window: the plan alone, as before.
    app.window.resize(800, 600)
    qtbot.waitUntil(lambda: not view.up_next.isVisible())
    assert view.start_next.isVisible()
    app.close()


def test_the_players_words_fit_their_column_and_the_steps_give_way(qtbot):
    from backrehab_gui.ui.player.text_stack import ELIDED, TextStack

    stack = TextStack()
    qtbot.addWidget(stack)
    name = stack.add("exercise_name", bold=True)
    steps = stack.add("instruction", fill=True)
    stack.set_size(name, 60, 20)
    stack.set_size(steps, 30, 14)
    all_steps = "\n".join(f"Step {i}: move slowly and keep breathing out." for i in range(12))
    stack.set_texts({name: "Lying hamstring stretch with towel", steps: all_steps})
    stack.resize(260, 240)
    stack.show()
    qtbot.waitExposed(stack)
    # The name shrinks until it fits its column, whole.
    need = name.fontMetrics().boundingRect(0, 0, name.width(), 10_000,
                                           int(Qt.TextFlag.TextWordWrap), name.text())
    assert need.width() <= name.width() and need.height() <= name.height()
    assert name.text() == "Lying hamstring stretch with towel"
    # The steps show their start, say so, and keep all of them in the tooltip.
    assert steps.property(ELIDED) and steps.text().endswith("\u2026")
    assert "Step 11" in steps.toolTip() and "Step 11" not in steps.text()
    assert stack.text(steps) == all_steps
    # With room again they are whole.
    stack.resize(900, 900)
    qtbot.waitUntil(lambda: not steps.property(ELIDED))
    assert steps.text() == all_steps and not steps.toolTip()


def test_a_new_caption_is_never_hidden_behind_the_last_ones_shortened_text(qtbot):
    from backrehab_gui.ui.player.text_stack import TextStack

    stack = TextStack()
    qtbot.addWidget(stack)
    caption = stack.add("caption")
    stack.resize(200, 30)
    stack.show()
    stack.set_text(caption, "a long cue " * 40)
    assert caption.property("elided") and "a long cue" in caption.toolTip()
    stack.set_text(caption, "Hold")
    assert not caption.property("elided") and caption.toolTip() == ""
    assert caption.text() == "Hold"


def test_the_summarys_exercise_names_keep_every_line_when_the_short_columns_grow(qtbot):
    """The name column narrows (or widens) when the short columns follow a new text size or
    theme, at the same window width: the rows were not fitted again, and a wrapped name
    lost its last line (the audit's 150 % summary in a small window, after other screens)
    or a row stayed two lines tall for a name on one."""
    from PySide6.QtCore import QRect
    from PySide6.QtWidgets import QStyle

    from backrehab_gui.core.engine import ExerciseResult, Summary
    from backrehab_gui.ui.player.summary import SummaryView

    view = SummaryView()
    qtbot.addWidget(view)
    names = ["Lower back rotational stretch with a towel under both knees", "Bird dog"]
    results = tuple(ExerciseResult(i, f"ex-{i}", name, "done", 95.0, 3, 3, 10, 12, (), 1.0)
                    for i, name in enumerate(names))
    view.show_summary(Summary("r", "Routine", results, True, 285.0, 1.0), 2)
    view.resize(1100, 900)
    view.show()
    qtbot.waitExposed(view)
    table = view.table
    line = table.fontMetrics().height()
    # Wide enough for the name on one line: its row is one line tall.
    qtbot.waitUntil(lambda: table.rowHeight(0) < 2 * line, timeout=2000)
    before = table.columnWidth(0)
    for row in range(table.rowCount()):
        table.item(row, 1).setText("Done, and then some more words")  # a wider short column
    qtbot.waitUntil(lambda: table.columnWidth(0) < before - 40)
    assert table.fontMetrics().horizontalAdvance(names[0]) > table.columnWidth(0)  # wraps

    def fits(row: int) -> bool:  # the name's wrapped lines, inside the cell's margins
        pad = table.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin) * 2 + 2
        return table.fontMetrics().boundingRect(
            QRect(0, 0, table.columnWidth(0) - pad, 10_000), int(Qt.TextFlag.TextWordWrap),
            table.item(row, 0).text()).height() <= table.rowHeight(row)

    qtbot.waitUntil(lambda: all(fits(r) for r in range(table.rowCount())), timeout=2000)
    assert table.height() >= sum(table.rowHeight(r) for r in range(table.rowCount()))


def test_a_history_column_is_as_tall_as_its_wrapped_words_need(qtbot):
    """History's columns sit in a splitter, which sizes them by their minimum sizes and
    never asks for their height at their width: wrapped words below their guess were
    squeezed, and the questionnaire's last line was cut."""
    from PySide6.QtWidgets import QLabel, QScrollArea, QSplitter, QVBoxLayout

    from backrehab_gui.ui.folding import FitColumn
    from backrehab_gui.ui.widgets import WrapLabel

    words = "Not answered yet: asked when you start a program, then every two weeks. " * 3
    column = FitColumn()
    box = QVBoxLayout(column)
    first = QLabel(words, wordWrap=True)  # a plain wrapped label: height for width
    box.addWidget(first)
    chart = QWidget()
    chart.setMinimumHeight(120)
    box.addWidget(chart, 1)
    last = WrapLabel(words)
    box.addWidget(last)
    splitter = QSplitter(Qt.Orientation.Horizontal)
    splitter.addWidget(QWidget())
    splitter.addWidget(column)
    scroll = QScrollArea()
    scroll.setWidgetResizable(True)
    scroll.setWidget(splitter)
    qtbot.addWidget(scroll)
    scroll.resize(520, 300)
    scroll.show()
    qtbot.waitExposed(scroll)

    def whole() -> bool:
        bottom = last.mapTo(splitter, last.rect().bottomLeft()).y()
        return all(label.height() >= label.heightForWidth(label.width())
                   for label in (first, last)) and \
            bottom < splitter.height() and chart.height() >= 120
    qtbot.waitUntil(whole, timeout=2000)
    scroll.resize(360, 300)  # narrower: more lines
    qtbot.waitUntil(whole, timeout=2000)
