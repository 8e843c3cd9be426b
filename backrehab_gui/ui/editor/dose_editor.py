"""The dose of one exercise, with the controls its kind needs.

A kind is chosen first (hold, open hold, reps at one's own pace, at a tempo,
with a hold on each, breaths, a timed activity); only the fields that kind
uses are shown. ``value`` returns the dose as plain data in the file format,
``set_dose`` fills the controls from a model. Problems found by the loader's
check are shown under the field they concern (``show_problems``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QWidget,
)

from ...core import model as m
from ..flow_layout import FlowLayout
from ..plain import plain_label
from .fields import CountRange, DurationBox, in_red, labelled, limits, narrow_combo

KINDS = (
    ("hold", "Hold for a time"),
    ("open", "Hold as long as you can"),
    ("reps", "Reps at their own pace"),
    ("tempo", "Reps at a set pace"),
    ("rep-hold", "Reps with a hold on each"),
    ("breaths", "Breaths at a pace"),
    ("activity", "Timed activity (walk, cycle)"),
)
SIDES = (("", "Not one-sided"), ("both", "Both sides: left, then right"),
         ("alternating", "Alternating left and right"))

# Which fields each kind shows.
_FIELDS = {
    "hold": {"hold", "sides", "sets", "rest"},
    "open": {"goal", "sides", "sets", "rest"},
    "reps": {"reps", "sides", "sets", "rest"},
    "tempo": {"reps", "tempo", "sides", "sets", "rest"},
    "rep-hold": {"reps", "rep_hold", "pace", "sides", "sets", "rest"},
    "breaths": {"breaths", "breathing", "sets", "rest"},
    "activity": {"activity"},
}


def kind_of(dose: m.Dose) -> str:
    if isinstance(dose, m.ActivityDose):
        return "activity"
    if isinstance(dose, m.BreathsDose):
        return "breaths"
    if isinstance(dose, m.RepsDose):
        return "rep-hold" if dose.hold is not None else "tempo" if dose.tempo else "reps"
    return "open" if dose.is_open else "hold"


class DoseEditor(QWidget):
    """Controls for a dose; emits ``sig_changed`` on every edit."""

    sig_changed = Signal()
    """A value changed."""

    def __init__(self, sources: Mapping[str, m.Source], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._loading = False
        self.kind = QComboBox()
        self.kind.setObjectName("dose_kind")
        self.kind.setAccessibleName("kind of dose")
        for key, words in KINDS:
            self.kind.addItem(words, key)
        self.hold = DurationBox(least=1, name="hold_seconds")
        self.goal = DurationBox(least=1, empty="no goal", name="goal")
        self.reps = CountRange("reps", int(limits(m.RepsDose, "target", 1, 999)[1]), "reps")
        self.rep_hold = DurationBox(least=1, name="hold_each_rep")
        self.pace = QCheckBox("Set the pace of each rep")
        self.pace.setObjectName("set_pace")
        self.up = DurationBox(least=0.5, most=60, name="tempo_up")
        self.down = DurationBox(least=0.5, most=60, name="tempo_down")
        self.breaths = CountRange("breaths", int(limits(m.BreathsDose, "target", 1, 999)[1]),
                                  "breaths")
        self.inhale = DurationBox(least=1, most=60, name="inhale")
        self.exhale = DurationBox(least=1, most=60, name="exhale")
        self.activity = DurationBox(least=1, name="activity")
        self.sides = QComboBox()
        self.sides.setObjectName("sides")
        self.sides.setAccessibleName("sides")
        for key, words in SIDES:
            self.sides.addItem(words, key)
        low, high = limits(m.RepsDose, "sets", 1, 20)
        self.sets = QSpinBox()
        self.sets.setRange(int(low), int(high))
        self.sets.setObjectName("sets")
        self.sets.setAccessibleName("sets")
        self.rest = DurationBox(least=0, empty="the routine's rest", name="rest_between_sets")
        self.source = narrow_combo(16)    # a source's title can be long
        self.source.setObjectName("source")
        self.source.setAccessibleName("source of the dose")
        self.source.addItem("Not given", "")
        for source in sources.values():
            self.source.addItem(source.title, source.id)
        # Shown only where a new source can be kept (``allow_new_sources``).
        self.new_source_button = QPushButton("New source\u2026")
        self.new_source_button.setObjectName("new_source")
        self.new_source_button.setAccessibleName("make a new source for this dose")
        self.new_source_button.setHidden(True)
        source = FlowLayout()
        source.addWidget(self.source)
        source.addWidget(self.new_source_button)

        # Each box with its word; the pairs wrap onto a second row when narrow.
        tempo = FlowLayout()
        tempo.addWidget(labelled("up", self.up))
        tempo.addWidget(labelled("down", self.down))
        breathing = FlowLayout()
        breathing.addWidget(labelled("in", self.inhale))
        breathing.addWidget(labelled("out", self.exhale))
        self.form = QFormLayout(self)
        self.form.setContentsMargins(0, 0, 0, 0)
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        # Fields go under their names when there is no room beside them.
        self.form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.rows: dict[str, tuple[QWidget, QLabel]] = {}
        self.problem_labels: dict[str, QLabel] = {}
        self._row("kind", "Kind", self.kind)
        self._row("hold", "Hold", self.hold)
        self._row("goal", "Goal to aim for", self.goal)
        self._row("reps", "Reps per set", self.reps)
        self._row("rep_hold", "Hold each rep", self.rep_hold)
        self._row("pace", "", self.pace)
        self._row("tempo", "Pace of each rep", _wrap(tempo))
        self._row("breaths", "Breaths per set", self.breaths)
        self._row("breathing", "Breathe", _wrap(breathing))
        self._row("activity", "Keep going for", self.activity)
        self._row("sides", "Sides", self.sides)
        self._row("sets", "Sets", self.sets)
        self._row("rest", "Rest between sets", self.rest)
        self._row("source", "Source", _wrap(source))
        self.rows["source"][1].setBuddy(self.source)
        self.kind.currentIndexChanged.connect(self._on_kind)
        self.pace.toggled.connect(self._on_kind)
        for box in (self.hold, self.goal, self.rep_hold, self.up, self.down, self.inhale,
                    self.exhale, self.activity, self.rest):
            box.valueChanged.connect(self._on_changed)
        for count in (self.reps, self.breaths):
            count.sig_changed.connect(self._on_changed)
        self.sides.currentIndexChanged.connect(self._on_changed)
        self.source.currentIndexChanged.connect(self._on_changed)
        self.sets.valueChanged.connect(self._on_changed)
        self.set_dose(m.RepsDose.model_validate({"reps": 10}))

    def _row(self, key: str, label: str, widget: QWidget) -> None:
        problem = plain_label("", wrap=True, name=f"problem_{key}")
        in_red(problem)
        problem.setVisible(False)
        box = QWidget()
        layout = QFormLayout(box)  # the field over its problem line
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addRow(widget)
        layout.addRow(problem)
        title = QLabel(label)
        title.setBuddy(widget)
        self.form.addRow(title, box)
        self.rows[key] = (box, title)
        self.problem_labels[key] = problem

    def allow_new_sources(self, make: Callable[[], None]) -> None:
        """Show "New source…", which calls ``make`` (it offers the result with
        ``offer_source``)."""
        self.new_source_button.clicked.connect(make)
        self.new_source_button.setHidden(False)

    def offer_source(self, ident: str, title: str, *, choose: bool = False) -> None:
        """Add a source made in the editor to the choice; ``choose`` selects it."""
        found = self.source.findData(ident)
        if found < 0:
            self.source.addItem(title, ident)
            found = self.source.count() - 1
        if choose:
            self.source.setCurrentIndex(found)

    # --- Values --------------------------------------------------------------------------

    def current_kind(self) -> str:
        return self.kind.currentData()

    def set_dose(self, dose: m.Dose) -> None:
        self._loading = True
        try:
            kind = kind_of(dose)
            self.kind.setCurrentIndex([k for k, _ in KINDS].index(kind))
            if isinstance(dose, m.HoldDose):
                if dose.is_open:
                    self.goal.set_value_or_none(dose.goal)
                else:
                    self.hold.setValue(float(dose.hold))
            elif isinstance(dose, m.RepsDose):
                self.reps.set_count(dose.reps, dose.target)
                if dose.hold is not None:
                    self.rep_hold.setValue(dose.hold)
                tempo = dose.tempo or m.Tempo()
                self.pace.setChecked(dose.tempo is not None)
                self.up.setValue(tempo.up)
                self.down.setValue(tempo.down)
            elif isinstance(dose, m.BreathsDose):
                self.breaths.set_count(dose.breaths, dose.target)
                self.inhale.setValue(dose.inhale)
                self.exhale.setValue(dose.exhale)
            else:
                self.activity.setValue(dose.activity)
            sides = getattr(dose, "sides", None)
            self.sides.setCurrentIndex([k for k, _ in SIDES].index(sides.value if sides else ""))
            self.sets.setValue(getattr(dose, "sets", 1))
            self.rest.set_value_or_none(getattr(dose, "rest", None))
            found = self.source.findData(dose.source or "")
            if found < 0:  # a source from a file not loaded here: keep it
                self.source.addItem(dose.source, dose.source)
                found = self.source.count() - 1
            self.source.setCurrentIndex(found)
        finally:
            self._loading = False
        self._on_kind()

    def value(self) -> dict:
        """The dose as plain data, as the file would hold it (seconds as numbers)."""
        kind = self.current_kind()
        out: dict = {}
        if kind == "activity":
            out["activity"] = self.activity.value()
        elif kind == "breaths":
            out["breaths"] = self.breaths.count()
            if self.breaths.target_value():
                out["target"] = self.breaths.target_value()
            out["inhale"] = self.inhale.value()
            out["exhale"] = self.exhale.value()
        elif kind in ("reps", "tempo", "rep-hold"):
            out["reps"] = self.reps.count()
            if self.reps.target_value():
                out["target"] = self.reps.target_value()
            if kind == "rep-hold":
                out["hold"] = self.rep_hold.value()
            if kind == "tempo" or (kind == "rep-hold" and self.pace.isChecked()):
                out["tempo"] = {"up": self.up.value(), "down": self.down.value()}
        elif kind == "open":
            out["hold"] = "max"
            if self.goal.value_or_none() is not None:
                out["goal"] = self.goal.value()
        else:
            out["hold"] = self.hold.value()
        if "sides" in _FIELDS[kind] and self.sides.currentData():
            out["sides"] = self.sides.currentData()
        if "sets" in _FIELDS[kind]:
            if self.sets.value() != 1:
                out["sets"] = self.sets.value()
            if self.rest.value_or_none() is not None:
                out["rest"] = self.rest.value()
        if self.source.currentData():
            out["source"] = self.source.currentData()
        return out

    # --- Problems ------------------------------------------------------------------------

    def show_problems(self, problems: Mapping[str, str]) -> None:
        """Problems by dose key (``reps``, ``target``, ``sides``...); others are cleared."""
        where = {"target": "reps" if self.current_kind() != "breaths" else "breaths",
                 "tempo": "tempo", "up": "tempo", "down": "tempo", "inhale": "breathing",
                 "exhale": "breathing", "hold": "rep_hold" if self.current_kind() == "rep-hold"
                 else "hold", "": "kind"}
        shown: dict[str, list[str]] = {}
        for key, message in problems.items():
            # A target outside its range is a problem of the whole dose: show it at the count.
            row = where.get("target" if not key and "target" in message else key, key)
            if row not in self.problem_labels:
                row = "kind"
            shown.setdefault(row, []).append(message)
        for row, label in self.problem_labels.items():
            label.setText("\n".join(shown.get(row, [])))
            label.setVisible(row in shown)

    # --- Reacting ------------------------------------------------------------------------

    def _on_kind(self) -> None:
        kind = self.current_kind()
        fields = _FIELDS[kind] | {"kind", "source"}
        if kind == "rep-hold" and self.pace.isChecked():
            fields = fields | {"tempo"}
        for key, (box, title) in self.rows.items():
            box.setVisible(key in fields)
            title.setVisible(key in fields)
        # A hold cannot alternate sides: only "both" is offered.
        alternating = self.sides.model().item(2)
        alternating.setEnabled(kind not in ("hold", "open"))
        if kind in ("hold", "open") and self.sides.currentData() == "alternating":
            self.sides.setCurrentIndex(1)
        self._on_changed()

    def _on_changed(self) -> None:
        if not self._loading:
            self.sig_changed.emit()


def _wrap(layout) -> QWidget:
    widget = QWidget()
    layout.setContentsMargins(0, 0, 0, 0)
    widget.setLayout(layout)
    return widget
