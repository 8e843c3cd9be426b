"""First run: welcome, not-medical-advice, red flags that block, the checklist, then the plan."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from PySide6.QtCore import Qt

from backrehab_gui.infra.keep_awake import RecordingKeepAwake
from backrehab_gui.infra.settings import SettingsStore
from backrehab_gui.infra.sound import RecordingSoundPlayer
from backrehab_gui.infra.speech import RecordingSpeaker
from backrehab_gui.ui.app import App
from backrehab_gui.ui.enrol_form import EnrolForm
from backrehab_gui.ui.first_run import FirstRun

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=timezone(timedelta(hours=1)))


def make_app(qtbot, home) -> App:
    app = App(home, speaker=RecordingSpeaker(), sounds=RecordingSoundPlayer(),
              keep_awake=RecordingKeepAwake(),
              wall_clock=lambda: NOW)
    qtbot.addWidget(app.window)
    return app


def first_run(app) -> FirstRun:
    page = app.today_view.pages.currentWidget()
    assert isinstance(page, FirstRun)
    return page


def answer(flow: FirstRun, yes: set[str] = frozenset()) -> None:
    for flag_id, group in flow.flag_groups.items():
        group.button(1 if flag_id in yes else 0).setChecked(True)


def test_first_launch_welcomes_says_not_medical_advice_and_screens(qtbot, tmp_path):
    app = make_app(qtbot, tmp_path)
    flow = first_run(app)
    assert flow.pages.currentWidget() is flow.welcome
    labels = flow.welcome.findChildren(type(flow.doctor_advice))
    texts = " ".join(label.text() for label in labels)
    assert "not medical advice" in texts
    flow.welcome_next.click()
    assert flow.pages.currentWidget() is flow.flags_page
    assert not flow.flags_next.isEnabled()  # every question needs an answer
    questions = " ".join(f.question for f in app.library.safety.red_flags).lower()
    for sign in ("leg", "groin", "bladder", "injury"):
        assert sign in questions
    answer(flow)
    flow.flags_next.click()
    assert flow.pages.currentWidget() is flow.checklist_page
    assert not flow.checklist_next.isEnabled()
    for box in flow.checks.values():
        box.setChecked(True)
    flow.checklist_next.click()
    assert isinstance(app.today_view.pages.currentWidget(), EnrolForm)
    saved = SettingsStore(tmp_path).load()
    assert saved.welcome_done and saved.screened_on == "2026-11-23" and saved.red_flags == ""
    app.close()


def test_a_see_a_doctor_sign_blocks_the_program_until_a_doctor_has_cleared(qtbot, tmp_path):
    app = make_app(qtbot, tmp_path)
    flow = first_run(app)
    flow.welcome_next.click()
    answer(flow, {"pain-down-legs"})
    flow.flags_next.click()
    assert flow.pages.currentWidget() is flow.doctor_page
    assert "nerve" in flow.doctor_advice.text()
    assert not flow.doctor_next.isEnabled()
    flow.not_now.click()
    assert not app.screening_passed
    assert "waits until a doctor has cleared you" in app.today_view.notice.text()
    app.refresh()
    # No button that looks ready and does nothing: it says why sessions wait.
    start = app.today_view.start_next
    assert not start.isEnabled() and "wait for the safety check" in start.text()
    assert app.start_routine("daily-evening") is None  # no session either
    assert isinstance(app.today_view.pages.currentWidget(), FirstRun)
    app.close()

    # Next launch, after seeing a doctor: the earlier answers are there; confirm cleared.
    app = make_app(qtbot, tmp_path)
    flow = first_run(app)
    assert flow.flag_groups["pain-down-legs"].checkedId() == 1
    flow.welcome_next.click()
    flow.flags_next.click()
    flow.cleared.setChecked(True)
    flow.doctor_next.click()
    for box in flow.checks.values():
        box.setChecked(True)
    flow.checklist_next.click()
    assert app.screening_passed
    saved = SettingsStore(tmp_path).load()
    assert saved.red_flags == "pain-down-legs" and saved.cleared_on == "2026-11-23"
    app.close()


def test_the_questions_come_in_two_tiers_with_the_urgent_ones_first(qtbot, tmp_path):
    app = make_app(qtbot, tmp_path)
    flow = first_run(app)
    tiers = [f.tier.value for f in app.library.safety.red_flags]
    assert tiers == sorted(tiers)       # every "emergency" before every "see-doctor"
    assert {"saddle-numbness", "bladder-bowel-changes", "leg-weakness-worsening"} == \
        {f.id for f in app.library.safety.red_flags if f.tier.value == "emergency"}
    # The sign the FAQ guide lists and the program lacked: leg worse than back.
    assert "leg-symptoms-worse-than-back" in flow.flag_groups
    headings = [w.text() for w in flow.flags_page.findChildren(type(flow.doctor_advice))
                if w.objectName().startswith("tier_")]
    assert headings == ["Signs that need medical help today",
                        "Signs that need a doctor's check before you start"]
    app.close()


def test_the_safety_check_can_be_revisited(qtbot, tmp_path):
    app = make_app(qtbot, tmp_path)
    flow = first_run(app)
    flow.welcome_next.click()
    answer(flow)
    flow.flags_next.click()
    for box in flow.checks.values():
        box.setChecked(True)
    flow.checklist_next.click()
    app.window.sig_safety_check.emit()
    assert isinstance(app.today_view.pages.currentWidget(), FirstRun)
    app.close()


def test_the_revisited_check_can_be_left_without_answering_again(qtbot, tmp_path):
    app = make_app(qtbot, tmp_path)
    flow = first_run(app)
    assert flow.close_buttons == []         # the first time, it must be answered
    flow.welcome_next.click()
    answer(flow)
    flow.flags_next.click()
    for box in flow.checks.values():
        box.setChecked(True)
    flow.checklist_next.click()
    before = SettingsStore(tmp_path).load()
    for leave in ("button", "escape"):
        app.window.sig_safety_check.emit()
        flow = first_run(app)
        assert len(flow.close_buttons) == 4     # one on every page
        if leave == "button":
            flow.close_buttons[0].click()
        else:
            app.window.show()
            app.window.activateWindow()
            qtbot.waitUntil(app.window.isActiveWindow)
            flow.welcome_next.setFocus()
            qtbot.keyClick(flow.welcome_next, Qt.Key.Key_Escape)
        assert not isinstance(app.today_view.pages.currentWidget(), FirstRun), leave
        assert app.screening_passed
    assert SettingsStore(tmp_path).load().screened_on == before.screened_on
    app.close()


def test_the_doctor_notice_goes_once_every_answer_is_no(qtbot, tmp_path):
    app = make_app(qtbot, tmp_path)
    flow = first_run(app)
    flow.welcome_next.click()
    answer(flow, {"pain-down-legs"})
    flow.flags_next.click()
    flow.not_now.click()
    assert "waits until a doctor" in app.today_view.notice.text()
    app.window.sig_safety_check.emit()
    flow = first_run(app)
    flow.welcome_next.click()
    answer(flow)                             # the leg pain has gone: every answer is No
    flow.flags_next.click()
    for box in flow.checks.values():
        box.setChecked(True)
    flow.checklist_next.click()
    assert app.screening_passed
    assert "doctor" not in app.today_view.notice.text()
    app.close()
