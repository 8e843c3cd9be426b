"""A printed home-exercise handout for a routine or a whole program.

What a physiotherapist hands over at the end of a visit: at the top the
person's name, the date and the therapist's note; then each exercise with its
start and end drawing, its steps, the key cue, the dose and when to stop. For
a program, first its phases (which sessions, how often, which weeks) and
daily blocks, then each routine it uses.

Made for paper: A4 or Letter, 11 pt text at 100 %, black on white, and the
drawings printed in grey tones, so a black-and-white printer loses nothing.
An exercise is never split across two pages. Pages flow with the report's
page cursor (``report._Pages``); the file is written atomically like the
report, and every failure is a ``HandoutError`` with a plain message.
A QGuiApplication must exist (the CLI makes an offscreen one).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QLineF, QMarginsF, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QImage,
    QImageReader,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QPen,
)
from PySide6.QtSvg import QSvgRenderer

from ..core import model as m
from ..core.dose_text import describe
from ..core.loading import Library
from ..core.timeline import compile_routine
from ..core.units import format_duration
from ..infra.export import ExportError, write_atomically
from . import charts
from .report import _Pages, _wrap

RESOLUTION = 300
PAPERS = {"a4": QPageSize.PageSizeId.A4, "letter": QPageSize.PageSizeId.Letter}
POINT_SIZE = 11.0
"""Body text on paper: comfortable to read at arm's length, at 100 %."""

BLACK = QColor("#000000")
GREY = QColor("#404040")
"""Secondary text: dark enough to stay crisp on a black-and-white printer."""

STOP_NOTE = ("Stop an exercise if it makes your pain worse or spreads it into a leg, and "
             "tell your therapist. Mild effort or stretching is fine; sharp pain is not.")


class HandoutError(ExportError):
    """The handout could not be made or saved, with a message meant for a person."""


@dataclass(frozen=True)
class Handout:
    """What a handout is of and for."""

    library: Library
    routines: Sequence[m.Routine] = ()
    program: m.Program | None = None
    name: str = ""
    """The person the exercises are for."""
    note: str = ""
    """The therapist's note, printed at the top."""
    day: date | None = None
    paper: str = "a4"


def handout_for(library: Library, ident: str, **kwargs) -> Handout:
    """A handout of the routine or program with this id; HandoutError when there is none."""
    if ident in library.routines:
        return Handout(library, routines=[library.routines[ident]], **kwargs)
    if ident in library.programs:
        program = library.programs[ident]
        return Handout(library, routines=program_routines(program, library), program=program,
                       **kwargs)
    raise HandoutError(f"There is no routine or program with the id '{ident}'.")


def program_routines(program: m.Program, library: Library) -> list[m.Routine]:
    """The routines a program uses, each once, in the order a person meets them."""
    ids: list[str] = []
    for phase in program.phases:
        ids += [s.routine for s in phase.sessions]
    ids += [d.routine for d in program.daily]
    if program.maintenance:
        ids += [s.routine for s in program.maintenance.sessions]
    seen: list[str] = []
    for ident in ids:
        if ident not in seen and ident in library.routines:
            seen.append(ident)
    return [library.routines[i] for i in seen]


def write_handout(path: Path, handout: Handout) -> int:
    """Write the handout as a PDF to ``path``; returns the number of pages."""
    if handout.paper not in PAPERS:
        raise HandoutError(f"The paper size should be A4 or Letter, not {handout.paper!r}.")
    if not handout.routines:
        raise HandoutError("There are no exercises to print: the program uses no routine "
                           "that loaded.")
    data, pages = _render(handout)
    try:
        write_atomically(Path(path), lambda f: f.write(data), what="handout")
    except ExportError as err:
        raise HandoutError(err.message) from err
    return pages


def render_pdf(handout: Handout) -> bytes:
    """The handout's PDF bytes, for a caller that writes them itself."""
    return _render(handout)[0]


# --- Drawing ------------------------------------------------------------------------------------


def _title(handout: Handout) -> str:
    if handout.program is not None:
        return handout.program.name
    return handout.routines[0].name


def _render(handout: Handout) -> tuple[bytes, int]:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setResolution(RESOLUTION)
    writer.setPageLayout(QPageLayout(QPageSize(PAPERS[handout.paper]),
                                     QPageLayout.Orientation.Portrait,
                                     QMarginsF(15, 14, 15, 14), QPageLayout.Unit.Millimeter))
    writer.setTitle(f"Home exercises: {_title(handout)}")
    writer.setCreator("BackRehab")
    painter = QPainter()
    if not painter.begin(writer):
        raise HandoutError("BackRehab could not start the PDF (the graphics system refused).")
    try:
        fonts = charts.Fonts.default(POINT_SIZE)
        footer = f"Home exercises: {_title(handout)}"
        if handout.name.strip():
            footer += f" \u2013 {handout.name.strip()}"
        pages = _Pages(writer, painter, fonts, footer)
        _header(pages, handout)
        if handout.program is not None:
            _program(pages, handout)
        for routine in handout.routines:
            _routine(pages, handout, routine)
        count = pages.page
    finally:
        painter.end()
    buffer.close()
    return bytes(data.data()), count


def _header(pages: _Pages, handout: Handout) -> None:
    pages.text(f"Home exercises: {_title(handout)}", pages.fonts.scaled(1.8, bold=True),
               color=BLACK)
    facts = []
    if handout.name.strip():
        facts.append(f"For: {handout.name.strip()}")
    day = handout.day or date.today()
    facts.append(f"Date: {day.day} {day:%B %Y}")
    pages.text("     ".join(facts), pages.fonts.scaled(1.1), color=BLACK)
    if handout.note.strip():
        _note_box(pages, handout.note.strip())
    pages.space(0.3)
    pages.text(STOP_NOTE, pages.fonts.small, color=GREY)


def _note_box(pages: _Pages, note: str) -> None:
    """The therapist's note, framed so it is the first thing read."""
    font = pages.fonts.base
    fm = QFontMetricsF(font, pages.writer)
    pad = pages.unit * 0.5
    head = pages.fonts.bold
    lines = _wrap(fm, note, pages.width - pad * 2)
    height = pad * 2 + fm.height() * 1.15 * (len(lines) + 1)
    pages.space(0.4)
    pages.ensure(height)
    painter = pages.painter
    painter.setPen(QPen(BLACK, max(pages.unit / 12, 2.0)))
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawRect(QRectF(0, pages.y, pages.width, height))
    y = pages.y + pad
    painter.setFont(head)
    painter.drawText(QRectF(pad, y, pages.width - pad * 2, fm.height() * 1.15),
                     int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                     "From your therapist")
    painter.setFont(font)
    for line in lines:
        y += fm.height() * 1.15
        painter.drawText(QRectF(pad, y, pages.width - pad * 2, fm.height() * 1.15),
                         int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), line)
    pages.y += height


def _minutes(seconds: float) -> str:
    return f"about {max(1, round(seconds / 60))} min"


def _program(pages: _Pages, handout: Handout) -> None:
    program, library = handout.program, handout.library
    assert program is not None
    pages.heading("Your program", keep=4)
    if program.summary:
        pages.text(program.summary, color=BLACK)
        pages.space(0.3)

    def name(routine_id: str) -> str:
        routine = library.routines.get(routine_id)
        return routine.name if routine else routine_id

    for phase in program.phases:
        sessions = "; ".join(f"{name(s.routine)}, {s.per_week} time{'s' if s.per_week > 1 else ''}"
                             " a week" for s in phase.sessions)
        weeks = f"Week {phase.weeks}" if phase.weeks.low == phase.weeks.high else \
            f"Weeks {phase.weeks.low}\u2013{phase.weeks.high}"
        pages.text(f"{weeks}: {phase.name}. {sessions}.", pages.fonts.bold, color=BLACK)
        if phase.focus:
            pages.text(phase.focus, pages.fonts.small, color=GREY, indent=pages.unit)
    if program.daily:
        pages.space(0.3)
        pages.text("Every day:", pages.fonts.bold, color=BLACK)
        for block in program.daily:
            at = f" (around {block.remind_at})" if block.remind_at else ""
            pages.text(f"{block.block.value.capitalize()}{at}: {name(block.routine)}",
                       color=BLACK, indent=pages.unit)
    if program.maintenance:
        sessions = "; ".join(f"{name(s.routine)}, {s.per_week} a week"
                             for s in program.maintenance.sessions)
        pages.space(0.3)
        pages.text(f"After week {program.weeks}: {sessions}.", color=BLACK)
        if program.maintenance.note:
            pages.text(program.maintenance.note, pages.fonts.small, color=GREY)


def _routine(pages: _Pages, handout: Handout, routine: m.Routine) -> None:
    library = handout.library
    estimate = compile_routine(routine, library.exercises).estimate
    title = routine.name if handout.program is not None or len(handout.routines) > 1 \
        else "The exercises"
    blocks = [_Block.make(pages, library, number, item, library.dose_for(item))
              for number, item in enumerate(routine.exercises, start=1)]
    # The heading and summary stay on the page of the first exercise.
    summary = 0.0
    if routine.summary:
        fm = QFontMetricsF(pages.fonts.base, pages.writer)
        summary = len(_wrap(fm, routine.summary, pages.width)) * fm.height() * 1.15
    pages.ensure(pages.unit * 3 + summary + blocks[0].height)
    pages.heading(f"{title} ({_minutes(estimate)})", keep=0)
    if routine.summary:
        pages.text(routine.summary, color=BLACK)
    for block in blocks:
        block.draw(pages)


@dataclass
class _Lines:
    """Wrapped lines of one text column, each with its font."""

    rows: list[tuple[str, QFont, QColor, float]]
    """(text, font, colour, indent)."""

    def height(self, pages: _Pages) -> float:
        return sum(QFontMetricsF(f, pages.writer).height() * 1.12 for _, f, _, _ in self.rows)


def _column(pages: _Pages, width: float, item: m.RoutineItem, exercise: m.Exercise,
            dose: m.Dose) -> _Lines:
    out: list[tuple[str, QFont, QColor, float]] = []
    base, bold, small = pages.fonts.base, pages.fonts.bold, pages.fonts.small

    def add(text: str, font: QFont, color: QColor = BLACK, indent: float = 0.0,
            hang: float = 0.0) -> None:
        fm = QFontMetricsF(font, pages.writer)
        for i, line in enumerate(_wrap(fm, text, width - indent - hang)):
            out.append((line, font, color, indent + (hang if i else 0.0)))

    number_width = QFontMetricsF(base, pages.writer).horizontalAdvance("10. ")
    add(f"Dose: {_dose_words(dose)}", bold)
    for i, step in enumerate(exercise.steps, start=1):
        add(f"{i}. {step}", base, hang=number_width)
    add(f"Key cue: {exercise.key_cue}", bold)
    if item.note:
        add(f"Note: {item.note}", base)
    if exercise.caution:
        add(f"Caution: {exercise.caution}", base)
    if exercise.stop_if:
        add("Stop if:", bold)
        bullet = QFontMetricsF(base, pages.writer).horizontalAdvance("\u2022 ")
        for sign in exercise.stop_if:
            add(f"\u2022 {sign}", small, GREY, hang=bullet)
    return _Lines(out)


def _dose_words(dose: m.Dose) -> str:
    words = describe(dose)
    if isinstance(dose, m.RepsDose) and dose.tempo is not None:
        words += (f"; {format_duration(dose.tempo.up)} up, "
                  f"{format_duration(dose.tempo.down)} down")
    if isinstance(dose, m.BreathsDose):
        words += (f"; breathe in {format_duration(dose.inhale)}, "
                  f"out {format_duration(dose.exhale)}")
    sets = getattr(dose, "sets", 1)
    rest = getattr(dose, "rest", None)
    if sets > 1 and rest:
        words += f"; rest {format_duration(rest)} between sets"
    return words


@dataclass
class _Block:
    """One exercise, measured before it is drawn so it is never split across pages."""

    title: str
    images: list[Path]
    column: _Lines
    picture_w: float
    cell: float
    title_h: float
    label_h: float
    height: float

    @classmethod
    def make(cls, pages: _Pages, library: Library, number: int, item: m.RoutineItem,
             dose: m.Dose) -> _Block:
        exercise = library.exercises[item.exercise]
        images = [p for p in library.images.get(exercise.id, ()) if p is not None][:2]
        gap = pages.unit * 0.8
        picture_w = pages.width * 0.4 if images else 0.0
        text_w = pages.width - picture_w - (gap if images else 0.0)
        title_h = QFontMetricsF(pages.fonts.scaled(1.3, bold=True), pages.writer).height() * 1.3
        column = _column(pages, text_w, item, exercise, dose)
        cell = (picture_w - gap) / 2 if len(images) > 1 else picture_w * 0.6
        label_h = QFontMetricsF(pages.fonts.small, pages.writer).height() * 1.2
        pictures_h = cell + label_h if images else 0.0
        height = title_h + pages.unit * 0.3 + max(column.height(pages), pictures_h) + \
            pages.unit * 0.6
        return cls(f"{number}. {exercise.name}", images, column, picture_w, cell, title_h,
                   label_h, height)

    def draw(self, pages: _Pages) -> None:
        pages.ensure(self.height)
        painter = pages.painter
        gap = pages.unit * 0.8
        top = pages.y
        painter.setPen(QPen(BLACK, max(pages.unit / 16, 1.5)))
        painter.drawLine(QLineF(0, top, pages.width, top))
        painter.setFont(pages.fonts.scaled(1.3, bold=True))
        painter.drawText(QRectF(0, top + pages.unit * 0.2, pages.width, self.title_h),
                         int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                         self.title)
        body = top + self.title_h + pages.unit * 0.3
        for i, path in enumerate(self.images):
            rect = QRectF(i * (self.cell + gap), body, self.cell, self.cell)
            _draw_picture(painter, path, rect, pages.unit)
            painter.setFont(pages.fonts.small)
            painter.setPen(GREY)
            painter.drawText(QRectF(rect.left(), rect.bottom(), self.cell, self.label_h),
                             int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignVCenter),
                             "Start" if i == 0 else "End")
        left = self.picture_w + gap if self.images else 0.0
        y = body
        for text, font, color, indent in self.column.rows:
            fm = QFontMetricsF(font, pages.writer)
            painter.setFont(font)
            painter.setPen(color)
            painter.drawText(QRectF(left + indent, y, pages.width - left - indent,
                                    fm.height() * 1.12),
                             int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                             text)
            y += fm.height() * 1.12
        pages.y = top + self.height


def _draw_picture(painter: QPainter, path: Path, rect: QRectF, unit: float) -> None:
    """A drawing in grey tones inside a thin frame; a plain note if it cannot be read."""
    image = _grey_image(path, int(rect.width()), int(rect.height()))
    if image is None:
        painter.setPen(GREY)
        painter.drawText(rect, int(Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap),
                         "(the drawing could not be read)")
    else:
        size = image.size()
        scale = min(rect.width() / size.width(), rect.height() / size.height())
        w, h = size.width() * scale, size.height() * scale
        painter.drawImage(QRectF(rect.x() + (rect.width() - w) / 2,
                                 rect.y() + (rect.height() - h) / 2, w, h), image)
    # The frame last, so the drawing's white background does not cover it.
    painter.setPen(QPen(QColor("#808080"), max(unit / 25, 1.0)))
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawRect(rect)


def _grey_image(path: Path, width: int, height: int) -> QImage | None:
    """The drawing at print resolution, in shades of grey on white."""
    if path.suffix.lower() == ".svg":
        renderer = QSvgRenderer(str(path))
        if not renderer.isValid():
            return None
        size = renderer.defaultSize()
        if size.width() <= 0 or size.height() <= 0:
            size.setWidth(width)
            size.setHeight(height)
        scale = min(width / size.width(), height / size.height())
        image = QImage(max(1, int(size.width() * scale)), max(1, int(size.height() * scale)),
                       QImage.Format.Format_RGB32)
        image.fill(QColor("white"))
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        renderer.render(painter)
        painter.end()
    else:
        reader = QImageReader(str(path))
        reader.setAutoTransform(True)
        image = reader.read()
        if image.isNull():
            return None
        if image.hasAlphaChannel():
            flat = QImage(image.size(), QImage.Format.Format_RGB32)
            flat.fill(QColor("white"))
            painter = QPainter(flat)
            painter.drawImage(0, 0, image)
            painter.end()
            image = flat
        if image.width() > width * 2 or image.height() > height * 2:
            image = image.scaled(width * 2, height * 2, Qt.AspectRatioMode.KeepAspectRatio,
                                 Qt.TransformationMode.SmoothTransformation)
    return image.convertToFormat(QImage.Format.Format_Grayscale8)
