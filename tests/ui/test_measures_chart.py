"""PEG and the PSFS in History: charted over time with the band of no meaningful change
around the first answer, summarised in words (baseline, latest, change, meaningful or
not), described for screen readers, and drawn in the theme's colours."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from PySide6.QtGui import QPalette

from backrehab_gui.core import measures as ms
from backrehab_gui.infra.record import save_answer
from backrehab_gui.infra.store import HistoryStore
from backrehab_gui.ui import theme
from backrehab_gui.ui.measures_chart import MeasureChart, description, summary

from .test_history_view import START, TZ, make_calendar, make_library, make_view

ACTIVITIES = ("walking", "sitting", "lifting")


@pytest.fixture
def library():
    return make_library()


@pytest.fixture
def store(tmp_path):
    with HistoryStore.open(tmp_path / "data") as opened:
        yield opened


def week(n: int) -> date:
    return START + timedelta(weeks=n - 1)


def test_the_summary_gives_baseline_latest_change_and_whether_it_is_meaningful(library):
    calendar = make_calendar(library)
    assert summary([], ms.PEG, calendar).startswith("Not answered yet")
    one = [ms.peg(week(1), 6, 6, 6)]
    assert summary(one, ms.PEG, calendar) == \
        "Baseline 6.0 (week 1, 4 May). A change shows from the second answer."
    better = one + [ms.peg(week(3), 4, 5, 5)]
    assert summary(better, ms.PEG, calendar) == (
        "Baseline 6.0 (week 1, 4 May), latest 4.7 (week 3, 18 May): change \u22121.3, a "
        "meaningful improvement (the published meaningful change is 1 point).")
    small = one + [ms.peg(week(2), 6, 5, 6)]
    assert "change \u22120.3, not yet a meaningful change (that takes 1 point)" in \
        summary(small, ms.PEG, calendar)
    psfs = [ms.psfs(week(1), ACTIVITIES, [5, 5, 5]), ms.psfs(week(3), ACTIVITIES, [3, 3, 2])]
    assert "change \u22122.3, a meaningful worsening (the published meaningful change is " \
        "2 points)" in summary(psfs, ms.PSFS, calendar)      # higher is better for the PSFS
    same = [ms.psfs(week(1), ACTIVITIES, [5, 5, 5]), ms.psfs(week(3), ACTIVITIES, [5, 5, 5])]
    assert summary(same, ms.PSFS).endswith("change 0.0, no change.")
    assert "(4 May)" in summary(same, ms.PSFS)                # without a program: dates only


def test_the_description_names_the_chart_its_summary_and_the_scores(library):
    calendar = make_calendar(library)
    answers = [ms.peg(week(n), 7 - n, 6 - n, 7 - n) for n in range(1, 4)]
    text = description(answers, ms.PEG, calendar)
    assert text.startswith("PEG, weekly") and "meaningful improvement" in text
    assert "Scores: week 1, 4 May: 5.7; week 2, 11 May: 4.7; week 3, 18 May: 3.7." in text


def test_history_shows_both_questionnaires_with_their_summaries(qtbot, store, library):
    for n, pain in ((1, 7), (2, 6), (3, 5)):
        at = datetime.combine(week(n), time(18), TZ)
        save_answer(store, ms.peg(week(n), pain, pain, pain), at)
        if n != 2:
            save_answer(store, ms.psfs(week(n), ACTIVITIES, [2 * n, 2 * n, 2 * n]), at)
    view = make_view(qtbot, store, library, make_calendar(library), today=week(3))
    panel = view.measures_panel
    assert panel.isVisible() and panel.charts[ms.PEG].isVisible()
    assert panel.charts[ms.PEG].points == [(week(1), 7.0), (week(2), 6.0), (week(3), 5.0)]
    assert panel.summaries[ms.PEG].text().startswith("Baseline 7.0 (week 1, 4 May), latest "
                                                     "5.0 (week 3, 18 May): change \u22122.0")
    assert "meaningful improvement" in panel.summaries[ms.PSFS].text()
    chart = panel.charts[ms.PSFS]
    assert chart.accessibleName() == "PSFS chart"
    assert "Scores: week 1, 4 May: 2.0; week 3, 18 May: 6.0." in chart.accessibleDescription()
    # A new answer shows after a refresh (the app refreshes after each questionnaire).
    save_answer(store, ms.peg(week(3), 3, 3, 3), datetime.combine(week(3), time(20), TZ))
    view.refresh()
    assert panel.charts[ms.PEG].points[-1] == (week(3), 3.0)


@pytest.mark.parametrize("kind", [ms.PEG, ms.PSFS])
@pytest.mark.parametrize("name", ["light", "dark", "high-contrast"])
def test_the_chart_is_drawn_in_the_theme_colours(qtbot, name, kind):
    chart = MeasureChart(kind)
    qtbot.addWidget(chart)
    palette = theme.palette(name)
    chart.setPalette(palette)
    points = [(week(n), float(v)) for n, v in ((1, 7), (2, 5), (3, 4), (4, 2))]
    chart.set_points(points, lambda d: f"W{(d - START).days // 7 + 1}", "words")
    chart.resize(420, 180)
    image = chart.grab().toImage()
    ground = palette.color(QPalette.ColorRole.Base)
    series = palette.color(QPalette.ColorRole.Highlight if kind == ms.PEG
                           else QPalette.ColorRole.LinkVisited)
    assert image.pixelColor(4, 4).name() == ground.name()
    hits = sum(1 for x in range(0, image.width(), 2) for y in range(0, image.height(), 2)
               if image.pixelColor(x, y).name() == series.name())
    assert hits > 20        # the line and its points, in the theme's colour
    # The series stands out from the ground in every theme (WCAG contrast of 3 or more).
    assert contrast(series, ground) >= 3.0


def contrast(a, b) -> float:
    def lum(c) -> float:
        def ch(v: float) -> float:
            return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4
        return 0.2126 * ch(c.redF()) + 0.7152 * ch(c.greenF()) + 0.0722 * ch(c.blueF())
    high, low = sorted((lum(a), lum(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)
