"""Input widgets for the quantities of a routine: durations, counts and ranges.

A duration box shows and accepts what a routine file accepts ("30s", "1:30",
"2 min", "90"), through the same parser (``core.units``). Limits come from the
model's own field rules where it states them, so the boxes follow the format.
Values the model would still refuse (a target outside its range) are left to
the loader's check, which marks the field.
"""

from __future__ import annotations

import annotated_types
from PySide6.QtCore import Signal
from PySide6.QtGui import QPalette, QValidator
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QHBoxLayout,
    QLabel,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ...core import model as m
from ...core.routine_writer import duration
from ...core.units import parse_duration
from ..flow_layout import FlowLayout
from ..plain import plain_label


def limits(model: type, name: str, low: float, high: float) -> tuple[float, float]:
    """(least, most) a model field allows, from its rules; ``low``/``high`` where it says none."""
    info = model.model_fields[name]
    metadata = list(info.metadata)
    annotation = info.annotation
    for arg in getattr(annotation, "__args__", ()):  # Optional[Annotated[int, Field(...)]]
        metadata += list(getattr(arg, "__metadata__", ()))
        for inner in getattr(arg, "__metadata__", ()):
            metadata += list(getattr(inner, "metadata", ()))
    for rule in metadata:
        if isinstance(rule, annotated_types.Ge):
            low = max(low, float(rule.ge))
        elif isinstance(rule, annotated_types.Gt):
            low = max(low, float(rule.gt) + 1)
        elif isinstance(rule, annotated_types.Le):
            high = min(high, float(rule.le))
        elif isinstance(rule, annotated_types.Lt):
            high = min(high, float(rule.lt) - 1)
    return low, high


class DurationBox(QDoubleSpinBox):
    """Seconds, shown as "45s" or "1m30s"; typing "1:30" or "2 min" works too.

    With ``empty`` given, the lowest position means "not set" and shows that text
    (the routine's default, no goal...); ``value_or_none`` then returns None.
    """

    def __init__(self, *, least: float = 0.0, most: float = float(m.MAX_SECONDS),
                 empty: str = "", name: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._empty = bool(empty)
        self.setDecimals(2)
        self.setRange(least - 1 if empty else least, most)
        self.setSingleStep(1.0)
        self.setKeyboardTracking(False)
        self.setAccelerated(True)
        if empty:
            self.setSpecialValueText(empty)
        if name:
            self.setObjectName(name)
            self.setAccessibleName(name.replace("_", " "))

    def textFromValue(self, value: float) -> str:  # noqa: N802 - Qt's name
        return str(duration(max(value, 0.0)))

    def valueFromText(self, text: str) -> float:  # noqa: N802 - Qt's name
        try:
            return parse_duration(text)
        except ValueError:
            return self.value()

    def validate(self, text: str, pos: int) -> object:
        if self._empty and text == self.specialValueText():
            return QValidator.State.Acceptable, text, pos
        try:
            seconds = parse_duration(text)
        except ValueError:
            return QValidator.State.Intermediate, text, pos
        ok = self.minimum() <= seconds <= self.maximum()
        return (QValidator.State.Acceptable if ok else QValidator.State.Intermediate), text, pos

    def stepBy(self, steps: int) -> None:  # noqa: N802 - Qt's name
        # Seconds for short times, five seconds past a minute, a minute past ten.
        value = self.value()
        step = 1.0 if value < 60 else 5.0 if value < 600 else 60.0
        if self._empty and value <= self.minimum():
            self.setValue(max(self.minimum() + 1, 0.0) if steps > 0 else value)
            return
        self.setValue(value + steps * step)

    def value_or_none(self) -> float | None:
        return None if self._empty and self.value() <= self.minimum() else self.value()

    def set_value_or_none(self, value: float | None) -> None:
        self.setValue(self.minimum() if value is None else float(value))


class CountRange(QWidget):
    """A count that may be a range: "10", or "8 to 12, count to 10"."""

    sig_changed = Signal()
    """Any of the three numbers changed."""

    def __init__(self, what: str, target_most: int, name: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.low = QSpinBox()
        self.low.setRange(1, 999)
        self.low.setAccessibleName(f"{what}")
        self.low.setObjectName(f"{name}_low")
        self.high = QSpinBox()
        self.high.setRange(0, 999)
        self.high.setSpecialValueText("no range")
        self.high.setAccessibleName(f"{what}, top of the range")
        self.high.setObjectName(f"{name}_high")
        self.target = QSpinBox()
        self.target.setRange(0, target_most)
        self.target.setSpecialValueText("the lowest")
        self.target.setAccessibleName(f"{what} the app counts to")
        self.target.setObjectName(f"{name}_target")
        # "8 up to 12, count to 10": the parts wrap onto a second row when narrow.
        layout = FlowLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.low)
        layout.addWidget(labelled("up to", self.high))
        self.target_row = labelled("count to", self.target)
        layout.addWidget(self.target_row)
        for box in (self.low, self.high, self.target):
            box.valueChanged.connect(self._on_changed)

    def _on_changed(self) -> None:
        ranged = self.high.value() > 0
        self.target_row.setVisible(ranged)
        self.sig_changed.emit()

    def set_count(self, value, target: int | None) -> None:
        self.low.setValue(value.low)
        self.high.setValue(value.high if value.high != value.low else 0)
        self.target.setValue(target or 0)
        self._on_changed()

    def count(self) -> int | str:
        low, high = self.low.value(), self.high.value()
        return low if high == 0 or high == low else f"{low}-{high}"

    def target_value(self) -> int | None:
        return self.target.value() or None if self.high.value() > 0 else None


def problem_label(key: str) -> QLabel:
    """A red line under a field, hidden until the check finds something there."""
    label = plain_label("", wrap=True, name=f"problem_{key}")
    in_red(label)
    label.setVisible(False)
    return label


def in_red(label: QLabel) -> None:
    """Problem words in the theme's warning colour (its BrightText: dark red in the light
    theme, light red in the dark one, yellow in high contrast), which reads on its ground.
    A fixed dark red was unreadable on the dark theme's ground (2:1)."""
    label.setForegroundRole(QPalette.ColorRole.BrightText)


def with_problem(widget: QWidget, problem: QLabel) -> QWidget:
    """A field with its problem line under it."""
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(0)
    layout.addWidget(widget)
    layout.addWidget(problem)
    return box


def show_problems(problems: dict[tuple, str], labels: dict[str, QLabel],
                  general: QLabel) -> None:
    """Each problem under the field it names (``labels`` by the path's first key), the
    rest in ``general``; a field without a problem shows none."""
    shown: dict[str, list[str]] = {}
    rest: list[str] = []
    for path, message in problems.items():
        key = str(path[0]) if path else ""
        (shown.setdefault(key, []) if key in labels else rest).append(message)
    for key, label in labels.items():
        label.setText("\n".join(shown.get(key, [])))
        label.setVisible(key in shown)
    general.setText("\n".join(rest))
    general.setVisible(bool(rest))


def labelled(words: str, box: QWidget) -> QWidget:
    """A box with its word before it, kept together when a row wraps."""
    pair = QWidget()
    row = QHBoxLayout(pair)
    row.setContentsMargins(0, 0, 0, 0)
    row.addWidget(QLabel(words))
    row.addWidget(box)
    return pair


def narrow_combo(letters: int = 14) -> QComboBox:
    """A choice box that can be narrower than its longest entry (a routine's or a source's
    name): it shows the start of the chosen one, and its list shows them whole."""
    combo = QComboBox()
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(letters)
    return combo


def layout_box(layout) -> QWidget:
    widget = QWidget()
    widget.setLayout(layout)
    return widget
