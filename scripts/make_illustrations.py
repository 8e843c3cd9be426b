"""Generate the exercise drawings into assets/illustrations/ (or --out).

Every drawing comes from a small pose model, not from artwork. A figure is a
handful of segment angles (torso, head, upper and lower arm, thigh, shin,
foot), turned into joint positions by walking out along each limb from the
hip and the shoulder. A limb can instead be aimed at a point (a foot flat on
the floor, a hand on a knee: two-bone inverse kinematics finds the elbow or
knee), or given its joints outright for views where limbs are foreshortened.
The figure is drawn as thick rounded strokes with a head circle, over a floor
or mat and a few props, with the moving part in the accent colour and, on the
end drawing, an arrow showing where it moves.

Plain stdlib and deterministic: running it again gives the same bytes, and a
test checks the committed files match. The drawings are SVG 1.1 using only
what Qt's QSvgRenderer draws (paths, circles, rects, groups; solid fills and
strokes; no filters, masks, CSS or text).

    python scripts/make_illustrations.py [--out FOLDER] [--sheet PNG [--light]]

The contact sheet in the docs is made with
``--sheet docs/screenshots/illustrations.png``.

Conventions, so the drawings read the same way everywhere:

* A square 300 x 300 canvas: the player shows the drawing in a narrow
  column, where a square one comes out larger than a wide one. The floor
  (the top of the mat) is y = 0 in the model, whose y runs up from the
  floor; the canvas flips it. Scenes are laid out round x = 200.
* Side views show the figure's LEFT side, facing right when it stands, sits
  or kneels; so lying on the back the head is on the left and lying face down
  it is on the right. The near (left) limbs are drawn in front in full
  colour, the far (right) ones behind in a darker shade.
* Exercises done one side at a time show the left side working; the app
  mirrors the drawing for the right side (flip_for_right).
* A light figure with a dark outline, mid-grey props, an orange accent and a
  teal band: it reads on a dark and on a light background alike, without a
  panel of its own.
"""

from __future__ import annotations

import argparse
import math
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "assets" / "illustrations"

W, H = 300, 300
LEFT = 50
"""Model x at the canvas's left edge: the scenes are laid out round x = 200."""
FLOOR = 258
"""Canvas y of the floor (model y = 0)."""

INK = "#1a222b"  # outlines
BODY = "#f1f4f7"  # the figure
FAR = "#a9b6c3"  # the figure's far side
ACCENT = "#ff9b2f"  # what moves or works
ACCENT_FAR = "#c96c10"  # the same, on the far side
PROP = "#7d8e9f"  # floor, mat, wall, furniture
BAND = "#20b79c"  # resistance band, towel

OUTLINE = 6
"""An outline adds this much to the width of every stroke."""
TORSO_W, NECK_W, ARM_W, LEG_W, ARROW_W = 30, 14, 14, 18, 6
HEAD_R = 19
# Segment lengths (a standing figure is about 240 tall).
TORSO, NECK, UPPER_ARM, FOREARM, THIGH, SHIN, FOOT = 72, 5, 46, 44, 60, 56, 17
STAND_Y = LEG_W / 2 + SHIN + THIGH
"""Hip height of a figure standing straight."""

Point = tuple[float, float]


def polar(p: Point, angle: float, length: float) -> Point:
    """The point ``length`` from ``p`` in direction ``angle`` (degrees, 0 right, 90 up)."""
    a = math.radians(angle)
    return (p[0] + length * math.cos(a), p[1] + length * math.sin(a))


def heading(a: Point, b: Point) -> float:
    return math.degrees(math.atan2(b[1] - a[1], b[0] - a[0]))


def dist(a: Point, b: Point) -> float:
    return math.hypot(b[0] - a[0], b[1] - a[1])


def lerp(a: Point, b: Point, t: float) -> Point:
    return (a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t)


def num(v: float) -> str:
    text = f"{v:.1f}"
    if text.endswith(".0"):
        text = text[:-2]
    return "0" if text == "-0" else text


# --- The pose model -----------------------------------------------------------


@dataclass(frozen=True)
class To:
    """Aim a limb's end (ankle, hand) at a point; two-bone IK places the knee or elbow.

    ``bend`` +1 puts the middle joint anticlockwise of the line from root to
    target, -1 clockwise. ``end`` is the angle of the foot, if any.
    """

    x: float
    y: float
    bend: int = 1
    end: float | None = None


@dataclass(frozen=True)
class At:
    """A limb given by its joints outright (knee or elbow, ankle or hand[, toe])."""

    points: tuple[Point, ...]


Limb = tuple[float, ...] | To | At
"""Absolute segment angles (upper, lower[, foot]) in degrees, a target, or joints."""


def limb_points(root: Point, spec: Limb, lengths: Sequence[float],
                scale: Sequence[float] = (1, 1, 1)) -> list[Point]:
    if isinstance(spec, At):
        return [root, *spec.points]
    l1, l2 = lengths[0] * scale[0], lengths[1] * scale[1]
    if isinstance(spec, To):
        target = (spec.x, spec.y)
        d = min(max(dist(root, target), abs(l1 - l2) + 0.01), l1 + l2 - 0.01)
        base = heading(root, target)
        cos_a = (l1 * l1 + d * d - l2 * l2) / (2 * l1 * d)
        a1 = base + spec.bend * math.degrees(math.acos(max(-1.0, min(1.0, cos_a))))
        mid = polar(root, a1, l1)
        angles = [a1, heading(mid, target)] + ([spec.end] if spec.end is not None else [])
    else:
        angles = list(spec)
    pts = [root]
    for i, angle in enumerate(angles):
        pts.append(polar(pts[-1], angle, lengths[i] * scale[i]))
    return pts


@dataclass
class Part:
    """One stroke of the figure: a polyline or a quadratic curve, or the head (one point)."""

    points: list[Point]
    width: float
    colour: str
    curve: Point | None = None  # control point: a quadratic from the first to the last point
    closed: bool = False


@dataclass
class Figure:
    parts: list[Part] = field(default_factory=list)
    joints: dict[str, Point] = field(default_factory=dict)


def _fill(name: str, hi: Sequence[str], far: bool = False) -> str:
    if name in hi:
        return ACCENT_FAR if far else ACCENT
    return FAR if far else BODY


def side(*, hip: Point | None = None, shoulder: Point | None = None, torso: float = 90,
         bend: float = 0, head: float | None = None,
         arm: Limb = (-90, -90), arm_far: Limb | None = None,
         leg: Limb = (-90, -90, 0), leg_far: Limb | None = None, hi: Sequence[str] = (),
         pelvis: float | None = None,
         arm_scale: Sequence[float] = (1, 1), arm_far_scale: Sequence[float] | None = None,
         leg_scale: Sequence[float] = (1, 1, 1),
         leg_far_scale: Sequence[float] | None = None) -> Figure:
    """A figure seen from its left side.

    Give the ``hip`` or the ``shoulder``; ``torso`` is the direction from hip
    to shoulder and ``bend`` bows the spine (positive bulges to the right of
    that direction: the belly of a figure facing right, the back of one lying
    on its back). ``head`` is the direction from the shoulder to the head.
    Far limbs not given copy the near ones. ``pelvis`` draws the pelvis as a
    short bar at that angle (from the back of it to the front), for tilts.
    ``hi`` names the parts in the accent colour: arm, arm_far, leg, leg_far,
    torso, pelvis.
    """
    if hip is None:
        assert shoulder is not None, "a figure needs its hip or its shoulder placed"
        hip = polar(shoulder, torso + 180, TORSO)
    shoulder = polar(hip, torso, TORSO)
    head_c = polar(shoulder, torso if head is None else head, NECK + HEAD_R)
    fig = Figure(joints=dict(hip=hip, shoulder=shoulder, head=head_c))
    limbs = {
        "leg_far": (hip, leg if leg_far is None else leg_far, (THIGH, SHIN, FOOT),
                    leg_scale if leg_far_scale is None else leg_far_scale, LEG_W),
        "arm_far": (shoulder, arm if arm_far is None else arm_far, (UPPER_ARM, FOREARM),
                    arm_scale if arm_far_scale is None else arm_far_scale, ARM_W),
        "leg": (hip, leg, (THIGH, SHIN, FOOT), leg_scale, LEG_W),
        "arm": (shoulder, arm, (UPPER_ARM, FOREARM), arm_scale, ARM_W),
    }
    strokes = {}
    for name, (root, spec, lengths, scale, width) in limbs.items():
        pts = limb_points(root, spec, lengths, scale)
        for i, p in enumerate(pts[1:], 1):
            fig.joints[f"{name}{i}"] = p
        strokes[name] = Part(pts, width, _fill(name, hi, far=name.endswith("far")))
    colour = _fill("torso", hi)
    mid = lerp(hip, shoulder, 0.5)
    ctrl = polar(mid, torso - 90, bend * 2) if bend else None
    fig.parts += [strokes["arm_far"], strokes["leg_far"],
                  Part([shoulder, head_c], NECK_W, colour),
                  Part([hip, shoulder], TORSO_W, colour, curve=ctrl),
                  Part([head_c], HEAD_R * 2, BODY)]
    if pelvis is not None:
        fig.parts.append(Part([polar(hip, pelvis + 180, 12), polar(hip, pelvis, 16)], 24,
                              _fill("pelvis", hi)))
    fig.parts += [strokes["leg"], strokes["arm"]]
    return fig


def front(*, pelvis: Point, torso: float = 90, hips: float = 30, shoulders: float = 48,
          head: float | None = None, torso_len: float = TORSO,
          arm_l: Limb = (-90, -90), arm_r: Limb = (-90, -90),
          leg_l: Limb = (-90, -90), leg_r: Limb = (-90, -90), hi: Sequence[str] = (),
          scale: dict[str, Sequence[float]] | None = None, far: Sequence[str] = (),
          order: Sequence[str] = ("legs", "torso", "arms"), nose: float | None = None,
          ) -> Figure:
    """A figure seen from the front, or lying on its back seen from above.

    The figure's left is on the viewer's right when it stands upright (the
    left side is ``torso - 90`` degrees round from the trunk's direction).
    ``torso_len`` shortens the trunk when it leans towards or away from the
    viewer; ``scale`` shortens limbs the same way, by name. ``far`` names
    limbs drawn in the far shade, ``order`` the layering of legs, torso (with
    the head) and arms, and ``nose`` the direction of a nose on a head
    turned sideways. ``hi`` names the parts in the accent colour: arm_l,
    arm_r, leg_l, leg_r, torso.
    """
    scale = scale or {}
    neck = polar(pelvis, torso, torso_len)
    left = torso - 90
    joints = dict(pelvis=pelvis, neck=neck,
                  hip_l=polar(pelvis, left, hips / 2), hip_r=polar(pelvis, left + 180, hips / 2),
                  sh_l=polar(neck, left, shoulders / 2),
                  sh_r=polar(neck, left + 180, shoulders / 2))
    head_c = polar(neck, torso if head is None else head, NECK + HEAD_R - 4)
    joints["head"] = head_c
    fig = Figure(joints=joints)
    groups: dict[str, list[Part]] = {"legs": [], "arms": [], "torso": []}
    for name, root, spec, lengths, width, group in (
            ("leg_r", joints["hip_r"], leg_r, (THIGH, SHIN, FOOT), LEG_W, "legs"),
            ("leg_l", joints["hip_l"], leg_l, (THIGH, SHIN, FOOT), LEG_W, "legs"),
            ("arm_r", joints["sh_r"], arm_r, (UPPER_ARM, FOREARM), ARM_W, "arms"),
            ("arm_l", joints["sh_l"], arm_l, (UPPER_ARM, FOREARM), ARM_W, "arms")):
        pts = limb_points(root, spec, lengths, scale.get(name, (1, 1, 1)))
        for i, p in enumerate(pts[1:], 1):
            fig.joints[f"{name}{i}"] = p
        groups[group].append(Part(pts, width, _fill(name, hi, far=name in far)))
    colour = _fill("torso", hi)
    # The trunk: a rounded quadrilateral a little inside the hip and shoulder joints.
    trunk = [polar(joints["hip_l"], left + 180, 2), polar(joints["hip_r"], left, 2),
             polar(joints["sh_r"], left, 6), polar(joints["sh_l"], left + 180, 6)]
    groups["torso"] += [Part([neck, head_c], NECK_W, colour), Part(trunk, 14, colour, closed=True)]
    if nose is not None:
        groups["torso"].append(Part([head_c, polar(head_c, nose, HEAD_R + 5)], 10, BODY))
    groups["torso"].append(Part([head_c], HEAD_R * 2, BODY))
    for group in order:
        fig.parts += groups[group]
    return fig


# --- SVG output ---------------------------------------------------------------


def sx(p: Point) -> str:
    return f"{num(p[0])} {num(FLOOR - p[1])}"


def path_d(points: Sequence[Point], curve: Point | None = None, closed: bool = False) -> str:
    if curve is not None:
        return f"M{sx(points[0])}Q{sx(curve)} {sx(points[-1])}"
    d = f"M{sx(points[0])}" + "".join(f"L{sx(p)}" for p in points[1:])
    return d + ("Z" if closed else "")


class Drawing:
    def __init__(self, title: str) -> None:
        self.title = title
        self.items: list[str] = []

    def add(self, text: str) -> Drawing:
        self.items.append(text)
        return self

    def stroke(self, d: str, width: float, colour: str, *, outline: bool = True,
               fill: str | None = None) -> Drawing:
        """A stroke with a dark outline under it (and a fill, for closed shapes)."""
        if outline:
            under = f' fill="{INK}"' if fill else ""
            self.add(f'<path d="{d}" stroke="{INK}" stroke-width="{num(width + OUTLINE)}"'
                     f'{under}/>')
        over = f' fill="{fill}"' if fill else ""
        return self.add(f'<path d="{d}" stroke="{colour}" stroke-width="{num(width)}"{over}/>')

    def circle(self, c: Point, r: float, colour: str, outline: float = OUTLINE) -> Drawing:
        return self.add(f'<circle cx="{num(c[0])}" cy="{num(FLOOR - c[1])}" r="{num(r)}" '
                        f'fill="{colour}" stroke="{INK}" stroke-width="{num(outline)}"/>')

    def figure(self, fig: Figure) -> Drawing:
        for part in fig.parts:
            if len(part.points) == 1:
                self.circle(part.points[0], HEAD_R, part.colour)
            else:
                self.stroke(path_d(part.points, part.curve, part.closed), part.width,
                            part.colour, fill=part.colour if part.closed else None)
        return self

    def svg(self) -> str:
        return (f'<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="{W}" '
                f'height="{H}" viewBox="{LEFT} 0 {W} {H}">'
                f"<title>{self.title}</title>"
                '<g fill="none" stroke-linecap="round" stroke-linejoin="round">'
                f"{''.join(self.items)}</g></svg>\n")


# --- Props and arrows ---------------------------------------------------------


def box(d: Drawing, x: float, y: float, w: float, h: float, r: float = 4,
        colour: str = PROP, fill: bool = True) -> Drawing:
    """A rounded box; (x, y) is its lower-left corner in model coordinates."""
    paint = f'fill="{colour}" stroke="{INK}" stroke-width="3"' if fill else \
        f'stroke="{colour}" stroke-width="6"'
    return d.add(f'<rect x="{num(x)}" y="{num(FLOOR - y - h)}" width="{num(w)}" '
                 f'height="{num(h)}" rx="{num(r)}" {paint}/>')


def mat(d: Drawing, x0: float = LEFT + 6, x1: float = LEFT + W - 6) -> Drawing:
    return box(d, x0, -11, x1 - x0, 11, 5)


def floor(d: Drawing) -> Drawing:
    return box(d, LEFT + 4, -7, W - 8, 7, 3.5)


def mat_from_above(d: Drawing, y0: float = 20, y1: float = 240) -> Drawing:
    """The outline of a mat seen from above (or, shallower, from a little above)."""
    return box(d, LEFT + 6, y0, W - 12, y1 - y0, 12, fill=False)


def line(d: Drawing, points: Sequence[Point], width: float, colour: str = PROP) -> Drawing:
    return d.stroke(path_d(points), width, colour)


def band(d: Drawing, points: Sequence[Point], width: float = 6) -> Drawing:
    return line(d, points, width, BAND)


def wall(d: Drawing, x: float, top: float = 250) -> Drawing:
    return box(d, x, 0, 16, top, 3)


def chair_side(d: Drawing, x: float, seat: float = 62, w: float = 62) -> Drawing:
    """A chair from the side, the backrest on the left."""
    for lx in (x + 4, x + w - 4):
        line(d, [(lx, 0), (lx, seat)], 7)
    line(d, [(x + 4, seat), (x, seat + 84)], 8)
    return box(d, x - 4, seat - 5, w + 8, 10, 4)


def arrow(d: Drawing, points: Sequence[Point], *, curve: Point | None = None) -> Drawing:
    """An arrow along a polyline or a quadratic curve, its head at the last point."""
    end = points[-1]
    ang = heading(curve if curve is not None else points[-2], end)
    tip = polar(end, ang, 7)
    d.stroke(path_d(points, curve), ARROW_W, ACCENT)
    head = path_d([tip, polar(tip, ang + 150, 17), polar(tip, ang - 150, 17)], closed=True)
    return d.stroke(head, 3, ACCENT, fill=ACCENT)


def arc(d: Drawing, c: Point, r: float, a0: float, a1: float) -> Drawing:
    """A curved arrow round ``c`` from angle ``a0`` to ``a1`` (degrees)."""
    steps = max(2, int(abs(a1 - a0) / 10) + 1)
    return arrow(d, [polar(c, a0 + (a1 - a0) * i / steps, r) for i in range(steps + 1)])


def both_ways(d: Drawing, a: Point, b: Point) -> Drawing:
    """A double-headed arrow from ``a`` to ``b``."""
    mid = lerp(a, b, 0.5)
    arrow(d, [mid, b])
    return arrow(d, [mid, a])


# --- Common positions -----------------------------------------------------------


def supine(**kw) -> Figure:
    """On the back, head on the left; knees bent with the feet flat unless told."""
    if "shoulder" not in kw:
        kw.setdefault("hip", (212, 15))
    kw.setdefault("torso", 180)
    kw.setdefault("head", 170)
    kw.setdefault("arm", (-7, -2))
    fig_hip = kw.get("hip") or polar(kw["shoulder"], kw["torso"] + 180, TORSO)
    kw.setdefault("leg", To(fig_hip[0] + 74, 9, 1, 0))
    return side(**kw)


def prone(**kw) -> Figure:
    """Face down, head on the right, legs long."""
    if "shoulder" not in kw:
        kw.setdefault("hip", (186, 15))
    kw.setdefault("torso", 0)
    kw.setdefault("head", 8)
    kw.setdefault("leg", (180, 180, 256))
    kw.setdefault("leg_far", (181, 181, 257))
    kw.setdefault("arm", (182, 180))
    return side(**kw)


def all_fours(**kw) -> Figure:
    """Hands under the shoulders and knees under the hips, facing right."""
    kw.setdefault("hip", (150, 69))
    kw.setdefault("torso", 16)
    kw.setdefault("head", 20)
    # Straight arms; the wrist bend is left out, so they are drawn a little short.
    kw.setdefault("arm", (-89, -90))
    kw.setdefault("arm_far", (-91, -92))
    kw.setdefault("arm_scale", (1, 0.8))
    kw.setdefault("leg", (-90, 180, 180))
    kw.setdefault("leg_far", (-92, 178, 178))
    return side(**kw)


def standing(**kw) -> Figure:
    """Standing tall facing right, arms hanging."""
    kw.setdefault("hip", (200, STAND_Y))
    kw.setdefault("leg", (-90, -90, 0))
    kw.setdefault("leg_far", (-92, -92, -2))
    kw.setdefault("arm", (-86, -80))
    kw.setdefault("arm_far", (-95, -88))
    return side(**kw)


def hands_on_hips(hip: Point) -> dict:
    """Side view: elbows out and a little back, hands on the front of the hips."""
    return dict(arm=To(hip[0] + 10, hip[1] + 14, -1), arm_far=To(hip[0] + 6, hip[1] + 14, -1),
                arm_scale=(0.86, 0.7))


def crossed_arms(torso: float) -> dict:
    """Side view, lying on the back: arms crossed on the chest."""
    return dict(arm=(torso - 155, torso - 8), arm_far=(torso - 150, torso - 4))


# --- The exercises --------------------------------------------------------------


Maker = Callable[[], Drawing]


@dataclass
class Exercise:
    start: Maker
    end: Maker | None = None
    flip: bool = False


EXERCISES: dict[str, Exercise] = {}


def exercise(ident: str, *, flip: bool = False, static: bool = False):
    """Register a function drawing the start (``end=False``) and end positions of ``ident``.

    A ``static`` hold has one drawing; ``flip`` mirrors it for the right side.
    """

    def wrap(fn: Callable[[bool], Drawing]):
        EXERCISES[ident] = Exercise(lambda: fn(False), None if static else (lambda: fn(True)),
                                    flip)
        return fn

    return wrap


def titled(name: str, end: bool, start_text: str, end_text: str) -> Drawing:
    return Drawing(f"{name}, {'end' if end else 'start'}: {end_text if end else start_text}")


# Core -------------------------------------------------------------------------


@exercise("dead-bug", flip=True)
def dead_bug(end: bool) -> Drawing:
    d = titled("Dead bug", end,
               "lying on the back, arms straight up, hips and knees bent to a right angle",
               "the left arm lowered overhead and the right leg straightened towards the "
               "floor")
    mat(d)
    fig = supine(arm=(150, 154) if end else (90, 90), arm_far=(93, 93),
                 leg=(90, 0, 80), leg_far=(18, 10, 50) if end else (92, 2, 82),
                 hi=("arm", "leg_far"))
    d.figure(fig)
    if end:
        arc(d, fig.joints["shoulder"], 100, 84, 136)
        arc(d, fig.joints["hip"], 126, 60, 26)
    return d


@exercise("bird-dog", flip=True)
def bird_dog(end: bool) -> Drawing:
    d = titled("Bird dog", end, "on all fours, hands under the shoulders, knees under the hips",
               "the left arm reaching forward and the right leg back, both level with the "
               "back")
    mat(d)
    kw = dict(arm=(2, 2), leg_far=(184, 180, 250)) if end else {}
    fig = all_fours(hip=(182, 69), hi=("arm", "leg_far"), **kw)
    d.figure(fig)
    if end:
        arc(d, fig.joints["shoulder"], 90, -66, -14)
        arc(d, fig.joints["hip"], 112, 246, 196)
    return d


@exercise("draw-in-manoeuvre")
def draw_in(end: bool) -> Drawing:
    d = titled("Draw-in manoeuvre", end, "lying on the back, knees bent, feet flat, arms by "
               "the sides", "breathing out, the belly drawn in towards the back")
    mat(d)
    fig = supine(bend=-3 if end else 5, hi=("torso",))
    d.figure(fig)
    if end:
        x = lerp(fig.joints["hip"], fig.joints["shoulder"], 0.4)[0]
        arrow(d, [(x, 84), (x, 44)])
    return d


@exercise("leg-slides", flip=True)
def leg_slides(end: bool) -> Drawing:
    d = titled("Leg slides", end, "lying on the back, knees bent, feet flat, fingertips on "
               "the hips", "the left heel slid out until the leg is straight, hips still")
    mat(d)
    hands = At(((178, 6), (204, 32)))
    fig = supine(leg=(-3, -2, 80) if end else To(286, 9, 1, 0), arm=hands,
                 arm_far=At(((176, 6), (200, 32))), hi=("leg",))
    d.figure(fig)
    if end:
        arrow(d, [(256, 52), (326, 52)])
    return d


@exercise("plank", static=True)
def plank(end: bool) -> Drawing:
    d = Drawing("Plank: on the forearms and toes, the body one straight line from head to "
                "heels")
    mat(d)
    slope = 11.6
    d.figure(side(shoulder=(262, 53), torso=slope, head=slope, arm=(-90, 0), arm_far=(-90, 2),
                  leg=(180 + slope, 180 + slope, 250), leg_far=(181 + slope, 181 + slope, 251),
                  hi=("torso",)))
    return d


@exercise("knee-plank", static=True)
def knee_plank(end: bool) -> Drawing:
    d = Drawing("Knee plank: on the forearms and knees, head, hips and knees in one line")
    mat(d)
    slope = 19.5
    d.figure(side(shoulder=(262, 53), torso=slope, head=slope, arm=(-90, 0), arm_far=(-90, 2),
                  leg=(180 + slope, 180, 180), leg_far=(181 + slope, 179, 179),
                  hi=("torso",)))
    return d


def _side_plank(knees: bool) -> Drawing:
    if knees:
        d = Drawing("Side plank on the knees, seen from the front: lying on the left side, "
                    "propped on the left forearm and knee, hips lifted in line with the head")
    else:
        d = Drawing("Side plank, seen from the front: lying on the left side, propped on the "
                    "left forearm, hips lifted so the body makes one long line")
    mat(d)
    # Seen from the front, the figure's left side is underneath.
    tilt = 24 if knees else 18
    pelvis = (196 if knees else 190, 48 if knees else 52)
    neck = polar(pelvis, tilt, TORSO)
    low_sh = polar(neck, tilt - 90, 24)
    top_sh, hip_r = polar(neck, tilt + 90, 24), polar(pelvis, tilt + 90, 15)
    elbow = polar(lerp(top_sh, hip_r, 0.5), tilt + 90, 14)
    if knees:
        knee = (pelvis[0] - 62, 9)
        legs = dict(leg_l=At((knee, (knee[0] - 26, 26), (knee[0] - 34, 30))),
                    leg_r=At(((knee[0] - 4, 27), (knee[0] - 30, 44), (knee[0] - 38, 48))))
    else:
        legs = dict(leg_l=To(pelvis[0] - 108, 9, 1, 190), leg_r=To(pelvis[0] - 110, 26, 1, 190))
    fig = front(pelvis=pelvis, torso=tilt, hips=30, shoulders=48, hi=("torso",),
                arm_l=At(((low_sh[0] + 2, 7), (low_sh[0] + 34, 7))),
                arm_r=At((elbow, polar(hip_r, tilt + 90, 4))), far=("leg_l", "arm_l"),
                order=("arms", "legs", "torso"), **legs)
    # The top arm rests on the hip: draw it over the trunk.
    top_arm = fig.parts.pop(0)
    fig.parts.append(top_arm)
    d.figure(fig)
    return d


@exercise("side-plank", flip=True, static=True)
def side_plank(end: bool) -> Drawing:
    return _side_plank(False)


@exercise("bent-knee-side-plank", flip=True, static=True)
def bent_knee_side_plank(end: bool) -> Drawing:
    return _side_plank(True)


@exercise("partial-curl")
def partial_curl(end: bool) -> Drawing:
    d = titled("Partial curl", end, "lying on the back, knees bent, arms crossed on the chest",
               "head and shoulders lifted a little off the mat")
    mat(d)
    torso = 164 if end else 180
    fig = supine(torso=torso, bend=-4 if end else 0, head=torso - 6, hi=("torso",),
                 **crossed_arms(torso))
    d.figure(fig)
    if end:
        arc(d, fig.joints["hip"], 128, 182, 160)
    return d


# Glutes -----------------------------------------------------------------------

BRIDGE_SHOULDER = (140, 15)
BRIDGE_FOOT = To(286, 9, 1, 0)


def _bridge(up: bool, **kw) -> Figure:
    if up:
        return supine(shoulder=BRIDGE_SHOULDER, torso=200, head=170, leg=BRIDGE_FOOT,
                      arm=(-4, 0), **kw)
    return supine(shoulder=BRIDGE_SHOULDER, leg=BRIDGE_FOOT, **kw)


def _lift_arrow(d: Drawing, fig: Figure) -> None:
    hip = fig.joints["hip"]
    arrow(d, [(hip[0], hip[1] + 28), (hip[0], hip[1] + 66)])


@exercise("glute-bridge")
def glute_bridge(end: bool) -> Drawing:
    d = titled("Glute bridge", end, "lying on the back, knees bent, feet flat, arms by the "
               "sides", "hips lifted until shoulders, hips and knees make a straight line")
    mat(d)
    fig = _bridge(end, hi=("torso",))
    d.figure(fig)
    if end:
        _lift_arrow(d, fig)
    return d


@exercise("glute-bridge-march", flip=True)
def glute_bridge_march(end: bool) -> Drawing:
    d = titled("Glute bridge march", end, "hips lifted in a bridge, both feet on the floor",
               "hips held up, the left knee lifted towards the chest")
    mat(d)
    fig = supine(shoulder=BRIDGE_SHOULDER, torso=200, head=170, arm=(-4, 0),
                 leg=(86, -8, 40) if end else BRIDGE_FOOT, leg_far=BRIDGE_FOOT, hi=("leg",))
    d.figure(fig)
    if end:
        knee = fig.joints["leg1"]
        arrow(d, [(knee[0] - 30, knee[1] + 4), (knee[0] - 30, knee[1] + 42)])
    return d


@exercise("band-glute-bridge")
def band_glute_bridge(end: bool) -> Drawing:
    d = titled("Glute bridge with band", end, "lying on the back, knees bent, a band round the "
               "thighs above the knees", "hips lifted, knees pressing out against the band")
    mat(d)
    fig = _bridge(end, hi=("torso",))
    d.figure(fig)
    hip, knee = fig.joints["hip"], fig.joints["leg1"]
    a = heading(hip, knee)
    at = polar(hip, a, THIGH - 14)
    band(d, [polar(at, a + 90, 15), polar(at, a - 90, 15)], 9)
    if end:
        _lift_arrow(d, fig)
    return d


@exercise("hip-thrust")
def hip_thrust(end: bool) -> Drawing:
    d = titled("Hip thrust", end, "sitting on the floor, upper back against the edge of a "
               "couch, knees bent, feet flat", "hips raised until knees, hips and shoulders "
               "make a flat table top")
    mat(d)
    box(d, LEFT + 6, 0, 66, 62, 6)
    box(d, LEFT + 6, 62, 26, 70, 6)
    foot = To(274, 9, 1, 0)
    if end:
        fig = side(shoulder=(126, 70), torso=182, head=150, leg=foot, arm=(178, 180),
                   arm_scale=(0.7, 0.5), hi=("torso",))
    else:
        fig = side(hip=(184, 15), torso=142, head=124, leg=foot, arm=(176, 180),
                   arm_scale=(0.7, 0.5), hi=("torso",))
    d.figure(fig)
    if end:
        _lift_arrow(d, fig)
    return d


def _side_lying(top_leg: Limb, bottom_leg: Limb, x: float = 200, y: float = 0) -> Figure:
    """Lying on the right side, seen from the front: head on the lower arm, on the left.

    ``y`` lifts the figure, for drawings whose mat has depth.
    """
    return front(pelvis=(x, 26 + y), torso=174, hips=30, shoulders=44, head=170,
                 leg_l=top_leg, leg_r=bottom_leg, arm_r=(180, 84), arm_l=(-8, -10),
                 scale=dict(arm_r=(0.8, 0.6)),
                 far=("leg_r", "arm_r"),
                 hi=("leg_l",), order=("legs", "torso", "arms"))


@exercise("clamshell", flip=True)
def clamshell(end: bool) -> Drawing:
    d = titled("Clamshell", end, "seen from the front and a little above, lying on the right "
               "side, hips and knees bent, knees and feet together",
               "the top knee lifted, feet together")
    # The mat has depth here: the knees come forward, so they are drawn lower.
    box(d, LEFT + 6, -11, W - 12, 56, 6)
    lift = 30
    bottom = At(((270, 18), (220, 0), (206, -4)))
    top = At(((256, 98), (222, 18), (208, 14))) if end else \
        At(((270, 36), (222, 18), (208, 14)))
    fig = _side_lying(top, bottom, 214, lift)
    d.figure(fig)
    if end:
        arc(d, fig.joints["hip_l"], 62, -24, 30)
    return d


@exercise("lying-lateral-leg-lift", flip=True)
def lying_lateral_leg_lift(end: bool) -> Drawing:
    d = titled("Lying lateral leg lift", end, "seen from the front, lying on the right side, "
               "legs long and stacked", "the top leg lifted straight up")
    mat(d)
    bottom = (0, 0, 0)
    top = (22, 22, 22) if end else (-7, -7, -7)
    fig = _side_lying(top, bottom)
    d.figure(fig)
    if end:
        arc(d, fig.joints["hip_l"], 124, 0, 22)
    return d


def _front_legs(pelvis: Point, left_foot: float, right_foot: float,
                hips: float = 30) -> dict:
    """Front view: straight legs from the hips to feet at these x positions."""
    hl, hr = (pelvis[0] + hips / 2, pelvis[1]), (pelvis[0] - hips / 2, pelvis[1])

    def straight(hip: Point, x: float, toe: float) -> At:
        foot = (x, 9)
        return At((lerp(hip, foot, 0.52), foot, polar(foot, toe, 12)))

    return dict(leg_l=straight(hl, left_foot, -10), leg_r=straight(hr, right_foot, 190))


@exercise("band-side-walk", flip=True)
def band_side_walk(end: bool) -> Drawing:
    d = titled("Band side walk", end, "standing, seen from the front, a band round the legs "
               "above the knees, knees a little bent", "the left foot stepping out to the "
               "side, the band kept taut")
    floor(d)
    pelvis = (206 if end else 196, STAND_Y - 8)
    legs = _front_legs(pelvis, 262 if end else 214, 176 if end else 178)
    fig = front(pelvis=pelvis, hi=("leg_l",), arm_l=To(pelvis[0] + 20, pelvis[1] + 12, 1),
                arm_r=To(pelvis[0] - 20, pelvis[1] + 12, -1),
                scale=dict(arm_l=(0.8, 0.7), arm_r=(0.8, 0.7)), **legs)
    d.figure(fig)
    left = lerp(fig.joints["hip_l"], fig.joints["leg_l1"], 0.72)
    right = lerp(fig.joints["hip_r"], fig.joints["leg_r1"], 0.72)
    band(d, [left, right], 8)
    if end:
        arrow(d, [(284, 48), (338, 48)])
    return d


# Back -------------------------------------------------------------------------


@exercise("superman")
def superman(end: bool) -> Drawing:
    d = titled("Superman", end, "lying face down, arms stretched out in front, legs long",
               "arms and legs lifted a little off the floor, reaching long")
    mat(d)
    hi = ("arm", "leg", "arm_far", "leg_far")
    if end:
        fig = prone(hip=(182, 15), torso=5, head=10, arm=(16, 16), arm_far=(14, 14),
                    leg=(188, 190, 256), leg_far=(186, 188, 254), arm_scale=(0.95, 0.95), hi=hi)
    else:
        fig = prone(hip=(182, 15), head=4, arm=(3, 1), arm_far=(2, 0), arm_scale=(0.95, 0.95),
                    hi=hi)
    d.figure(fig)
    if end:
        arrow(d, [(326, 62), (326, 98)])
        arrow(d, [(76, 52), (76, 88)])
    return d


@exercise("back-extension")
def back_extension(end: bool) -> Drawing:
    d = titled("Back extension", end, "lying face down, arms by the sides, forehead on the mat",
               "head and shoulders lifted a little off the mat, legs down")
    mat(d)
    torso = 18 if end else 0
    fig = prone(torso=torso, head=torso + (4 if end else 2),
                arm=(torso + 186, torso + 182), hi=("torso",))
    d.figure(fig)
    if end:
        arc(d, fig.joints["hip"], 118, 6, 34)
    return d


@exercise("press-up-back-extension")
def press_up(end: bool) -> Drawing:
    d = titled("Cobra", end, "lying face down, forearms on the mat beside the chest",
               "propped on the forearms, elbows below the shoulders, chest raised, hips "
               "on the mat")
    mat(d)
    if end:
        fig = prone(torso=31, head=40, arm=(-90, 0), arm_far=(-90, 2),
                    hi=("torso",))
    else:
        fig = prone(torso=0, head=6, arm=(-124, 2), arm_far=(-126, 0),
                    arm_scale=(0.3, 0.95), hi=("torso",))
    d.figure(fig)
    if end:
        arc(d, fig.joints["hip"], 116, 4, 38)
    return d


# Upper back -------------------------------------------------------------------


@exercise("band-pull-apart")
def band_pull_apart(end: bool) -> Drawing:
    d = titled("Band pull-apart", end, "standing, seen from the front, holding a band with "
               "straight arms in front at shoulder height", "arms straight out to the sides, "
               "the band stretched against the chest")
    floor(d)
    pelvis = (200, STAND_Y)
    neck = (200, STAND_Y + TORSO)
    if end:
        arms: dict = dict(arm_l=(2, 0), arm_r=(178, 180))
    else:
        # Arms pointing straight at us hide behind the hands: big fists in front of
        # the shoulders, a little below them as seen from a little above.
        hand_l, hand_r = (neck[0] + 17, neck[1] - 14), (neck[0] - 17, neck[1] - 14)
        arms = dict(arm_l=At((lerp(hand_l, (224, neck[1]), 0.5), hand_l)),
                    arm_r=At((lerp(hand_r, (176, neck[1]), 0.5), hand_r)))
    fig = front(pelvis=pelvis, hi=("arm_l", "arm_r"), **_front_legs(pelvis, 216, 184), **arms)
    d.figure(fig)
    hl, hr = fig.joints["arm_l2"], fig.joints["arm_r2"]
    if end:
        band(d, [hr, (200, neck[1] - 16), hl])
        y = hl[1] + 30
        arrow(d, [(252, y), (306, y)])
        arrow(d, [(148, y), (94, y)])
    else:
        band(d, [hr, hl], 8)
        for h in (hl, hr):
            d.circle(h, 11, ACCENT, 4)
    return d


def _row(end: bool, split: bool) -> Drawing:
    name = "Split-stance band row" if split else "Standing band row"
    stance = "the left foot a step in front, " if split else ""
    d = titled(name, end, f"facing a door anchor, {stance}arms straight in front holding "
               "the band at waist height", f"{stance}elbows pulled back past the sides, "
               "shoulder blades squeezed")
    floor(d)
    wall(d, 326)
    anchor = (326, 118)
    hip_x = 160
    if split:
        legs: dict = dict(leg=To(hip_x + 44, 9, 1, 0), leg_far=To(hip_x - 42, 9, 1, 0))
        hip = (hip_x, STAND_Y - 8)
    else:
        legs = dict(leg=To(hip_x + 4, 9, 1, 0), leg_far=To(hip_x - 2, 9, 1, 0))
        hip = (hip_x, STAND_Y - 2)
    arm: Limb = (-118, 6) if end else (-22, -22)
    fig = standing(hip=hip, torso=92, arm=arm, arm_far=arm, hi=("arm", "arm_far"), **legs)
    d.figure(fig)
    band(d, [fig.joints["arm2"], anchor])
    d.circle(anchor, 7, PROP, 3)
    if end:
        elbow = fig.joints["arm1"]
        arrow(d, [(elbow[0] + 40, elbow[1] - 30), (elbow[0] - 6, elbow[1] - 30)])
    return d


@exercise("standing-band-row")
def standing_band_row(end: bool) -> Drawing:
    return _row(end, False)


@exercise("split-stance-band-row", flip=True)
def split_stance_band_row(end: bool) -> Drawing:
    return _row(end, True)


# Mobility ---------------------------------------------------------------------

CAT = dict(hip=(150, 69), torso=16, bend=-12, head=-50)
"""All fours with the back rounded up (bend is to the belly side, so negative)."""


@exercise("cat-cow")
def cat_cow(end: bool) -> Drawing:
    # The player shows the end drawing while breathing in: that is the cow.
    d = Drawing("Cat-cow, breathing in (cow): on all fours, belly sinking, chest and tailbone "
                "lifted" if end else
                "Cat-cow, breathing out (cat): on all fours, back rounded up, chin and tailbone "
                "tucked")
    mat(d)
    fig = all_fours(bend=8, head=36, hi=("torso",)) if end else all_fours(hi=("torso",), **CAT)
    d.figure(fig)
    x = lerp(fig.joints["hip"], fig.joints["shoulder"], 0.5)[0]
    if end:
        arrow(d, [(x, 164), (x, 124)])
    else:
        arrow(d, [(x, 138), (x, 176)])
    return d


@exercise("cat-stretch")
def cat_stretch(end: bool) -> Drawing:
    d = titled("Cat stretch", end, "on all fours with a flat back",
               "back rounded up towards the ceiling, belly drawn in")
    mat(d)
    fig = all_fours(hi=("torso",), **CAT) if end else all_fours(hi=("torso",))
    d.figure(fig)
    if end:
        x = lerp(fig.joints["hip"], fig.joints["shoulder"], 0.5)[0]
        arrow(d, [(x, 138), (x, 176)])
    return d


@exercise("standing-pelvic-tilt")
def standing_pelvic_tilt(end: bool) -> Drawing:
    d = titled("Standing pelvic tilt", end, "standing tall, hands on the hips, tailbone "
               "tucked under so the lower back flattens", "the pelvis tipped forward into "
               "a small arch")
    floor(d)
    hip = (200, STAND_Y)
    # The pelvis is drawn as a bar, its front tipping up (tucked) or down (arched).
    fig = standing(hip=hip, bend=8 if end else -3, torso=93 if end else 90,
                   pelvis=-34 if end else 14, hi=("pelvis",), **hands_on_hips(hip))
    d.figure(fig)
    if end:
        arc(d, hip, 42, 250, 200)
    else:
        arc(d, hip, 42, 196, 246)
    return d


@exercise("supported-pelvic-tilt")
def supported_pelvic_tilt(end: bool) -> Drawing:
    d = titled("Supported pelvic tilt", end, "lying on the back, knees bent, feet flat on a "
               "wall, lower back flattened", "the pelvis tipped the other way into a small arch")
    mat(d, x1=283)
    wall(d, 283)
    fig = supine(hip=(212, 15), bend=7 if end else 0, leg=To(274, 76, 1, 90), hi=("torso",))
    d.figure(fig)
    hip = fig.joints["hip"]
    if end:
        arc(d, hip, 40, 120, 168)
    else:
        arc(d, hip, 40, 168, 120)
    return d


@exercise("pelvic-tilt")
def pelvic_tilt(end: bool) -> Drawing:
    d = titled("Pelvic tilt with hold", end, "lying on the back, knees bent, feet flat, the "
               "lower back in its natural small curve", "the lower back pressed flat onto "
               "the floor")
    mat(d)
    fig = supine(bend=0 if end else 7, hi=("torso",))
    d.figure(fig)
    hip = fig.joints["hip"]
    if end:
        arc(d, hip, 40, 168, 120)
        arrow(d, [(hip[0] - 30, 88), (hip[0] - 30, 50)])
    return d


@exercise("seated-spinal-rotation", flip=True)
def seated_spinal_rotation(end: bool) -> Drawing:
    d = titled("Seated spinal rotation", end, "seen from the front, sitting tall on a chair, "
               "arms crossed on the chest", "the upper body turned to the left, hips facing "
               "forward")
    floor(d)
    # A chair from the front: the backrest behind, the seat and two legs.
    box(d, 158, 62, 84, 100, 6)
    for x in (152, 248):
        line(d, [(x, 0), (x, 60)], 7)
    box(d, 144, 56, 112, 11, 4)
    pelvis = (200, 78)
    sh = 30 if end else 48
    legs = dict(leg_l=At(((214, 62), (216, 9), (226, 9))),
                leg_r=At(((186, 62), (184, 9), (174, 9))))
    if end:
        arms = dict(arm_l=At(((212, 124), (196, 140))), arm_r=At(((196, 124), (214, 140))))
    else:
        arms = dict(arm_l=At(((214, 122), (184, 142))), arm_r=At(((186, 122), (216, 142))))
    fig = front(pelvis=pelvis, shoulders=sh, hi=("torso",), nose=0 if end else None,
                **legs, **arms)
    d.figure(fig)
    if end:
        arrow(d, [(136, 122), (268, 122)], curve=(200, 84))
    return d


@exercise("lower-back-rotational-stretch", flip=True)
def lower_back_rotation(end: bool) -> Drawing:
    d = titled("Lower back rotational stretch", end, "seen from above, lying on the back, arms "
               "out to the sides, knees bent and together", "both knees rolled over to the "
               "left side, shoulders on the floor")
    mat_from_above(d)
    if end:
        legs = dict(leg_l=At(((150, 66), (106, 110), (92, 112))),
                    leg_r=At(((162, 80), (114, 124), (100, 126))), scale={})
    else:
        legs = dict(leg_l=(184, 176), leg_r=(176, 184),
                    scale=dict(leg_l=(0.6, 0.55), leg_r=(0.6, 0.55)))
    scale = legs.pop("scale")
    scale.update(arm_l=(0.9, 0.85), arm_r=(0.9, 0.85))
    fig = front(pelvis=(176, 128), torso=0, head=0, hi=("leg_l", "leg_r"), scale=scale,
                arm_l=(-92, -96), arm_r=(92, 96), **legs)
    d.figure(fig)
    if end:
        arc(d, (176, 128), 104, 188, 232)
    return d


@exercise("hip-90-90-stretch", flip=True)
def hip_90_90(end: bool) -> Drawing:
    d = titled("90/90 hip stretch", end, "seen from the front and a little above, sitting "
               "tall, the left shin across the front, the right leg bent out to the side",
               "leaning gently forward over the front shin")
    # The mat has depth here: what is nearer is drawn lower.
    box(d, LEFT + 6, -11, W - 12, 80, 6)
    pelvis = (200, 50)
    legs = dict(leg_l=At(((222, 22), (160, 20), (146, 24))),
                leg_r=At(((130, 50), (126, 82), (112, 86))))
    if end:
        trunk = dict(torso_len=40, arm_l=To(222, 14, 1), arm_r=To(178, 14, -1))
    else:
        trunk = dict(torso_len=TORSO, arm_l=To(244, 62, 1), arm_r=To(156, 62, -1))
    fig = front(pelvis=pelvis, hips=30, hi=("leg_l",), **legs, **trunk)
    d.figure(fig)
    if end:
        arrow(d, [(272, 160), (272, 120)])
    return d


# Stretches --------------------------------------------------------------------


@exercise("childs-pose", static=True)
def childs_pose(end: bool) -> Drawing:
    d = Drawing("Child's pose: kneeling, hips back on the heels, forehead on the floor, arms "
                "stretched forward")
    mat(d)
    knee, knee_far = (188, 9), (186, 9)
    fig = side(hip=(128, 40), torso=-10, bend=-9, head=-22, arm=To(290, 7, 1),
               arm_far=To(286, 7, 1), leg=At((knee, (knee[0] - 56, 9), (knee[0] - 72, 9))),
               leg_far=At((knee_far, (knee_far[0] - 56, 9), (knee_far[0] - 72, 9))),
               hi=("torso",))
    # The arms reach past the head: draw the near one behind it, or it hides the face.
    fig.parts.insert(4, fig.parts.pop())
    d.figure(fig)
    return d


def _knee_hug(both: bool) -> Figure:
    knee_leg = (124, -34, 50)
    return supine(leg=knee_leg, leg_far=knee_leg if both else (3, -2, 80),
                  arm=To(186, 50, 1), arm_far=To(184, 48, 1),
                  hi=("leg", "leg_far") if both else ("leg",))


@exercise("knee-to-chest", flip=True)
def knee_to_chest(end: bool) -> Drawing:
    d = titled("Knee-to-chest stretch", end, "lying on the back, left knee bent, right leg "
               "long", "hands behind the left knee, drawing it gently towards the chest")
    mat(d)
    fig = _knee_hug(False) if end else supine(leg_far=(3, -2, 80), hi=("leg",))
    d.figure(fig)
    if end:
        arc(d, fig.joints["hip"], 96, 36, 96)
    return d


@exercise("double-knee-to-chest")
def double_knee_to_chest(end: bool) -> Drawing:
    d = titled("Double knee-to-chest stretch", end, "lying on the back, knees bent, feet flat",
               "both knees drawn to the chest, hands behind the thighs")
    mat(d)
    fig = _knee_hug(True) if end else supine(hi=("leg", "leg_far"))
    d.figure(fig)
    if end:
        arc(d, fig.joints["hip"], 96, 36, 96)
    return d


@exercise("piriformis-stretch", flip=True)
def piriformis(end: bool) -> Drawing:
    d = titled("Piriformis stretch", end, "seen from above, lying on the back, legs long, "
               "arms by the sides", "the left knee drawn up and across towards the right "
               "shoulder, hands guiding it")
    mat_from_above(d)
    pelvis = (196, 130)
    if end:
        # The thigh points up at us, so it looks short; the knee is over the right hip.
        knee = (220, 164)
        leg_l = At((knee, (166, 152), (154, 160)))
        arms = dict(arm_r=To(knee[0] + 8, knee[1] + 4, 1), arm_l=To(knee[0] + 10, knee[1] - 6, 1))
    else:
        leg_l = (182, 180, 180)
        arms = dict(arm_l=(-168, -178), arm_r=(168, 178))
    # The raised leg is above the trunk, nearer to us: draw it over it, under the hands.
    fig = front(pelvis=pelvis, torso=0, head=0, leg_l=leg_l, leg_r=(178, 180, 180),
                scale=dict(leg_l=(1, 1, 0.6), leg_r=(1, 1, 0.6)), hi=("leg_l",),
                order=("torso", "legs", "arms") if end else ("legs", "torso", "arms"), **arms)
    d.figure(fig)
    if end:
        arrow(d, [(212, 204), (262, 204)])
    return d


@exercise("hip-flexor-stretch", flip=True)
def hip_flexor(end: bool) -> Drawing:
    d = titled("Hip flexor stretch", end, "kneeling on the left knee, the right foot flat in "
               "front, both knees at a right angle, back upright", "hips shifted forward, "
               "stretching the front of the left hip")
    mat(d)
    hip = (190, 58) if end else (168, 66)
    knee = (151, 9)
    fig = side(hip=hip, torso=90, leg=At((knee, (knee[0] - 56, 9), (knee[0] - 72, 9))),
               leg_far=To(246, 9, 1, 0), arm=(-94, -80), arm_far=(-100, -86), hi=("leg",))
    d.figure(fig)
    if end:
        arrow(d, [(hip[0] - 30, 200), (hip[0] + 24, 200)])
    return d


@exercise("doorway-chest-stretch", flip=True)
def doorway_chest(end: bool) -> Drawing:
    d = titled("Doorway chest stretch", end, "standing in a doorway, the left forearm up "
               "against the frame, elbow at shoulder height", "stepped forward with the left "
               "foot, the arm staying on the frame, a stretch across the chest")
    floor(d)
    frame = 176
    box(d, frame - 9, 0, 18, 248, 3)
    hip_x = 212 if end else 182
    if end:
        legs = dict(leg=To(hip_x + 36, 9, 1, 0), leg_far=To(hip_x - 30, 9, 1, 0))
    else:
        legs = dict(leg=To(hip_x + 2, 9, 1, 0), leg_far=To(hip_x - 2, 9, 1, 0))
    hip = (hip_x, STAND_Y - (6 if end else 0))
    shoulder = polar(hip, 92, TORSO)
    elbow = (frame + 2, shoulder[1] - 4)
    fig = standing(hip=hip, torso=92, arm=At((elbow, (elbow[0] + 2, elbow[1] + 42))),
                   hi=("arm",), **legs)
    d.figure(fig)
    if end:
        arrow(d, [(hip_x + 10, shoulder[1] + 44), (hip_x + 60, shoulder[1] + 44)])
    return d


@exercise("seated-hamstring-stretch", flip=True)
def seated_hamstring(end: bool) -> Drawing:
    d = titled("Seated hamstring stretch", end, "sitting tall, the left leg long, the right "
               "leg folded in", "leaning forward from the hips, reaching towards the left "
               "ankle")
    mat(d)
    hip = (132, 15)
    torso = 46 if end else 86
    hand = To(262, 24, 1) if end else To(196, 30, -1)
    fig = side(hip=hip, torso=torso, head=torso - 6, bend=-3 if end else 0, leg=(0, 0, 86),
               leg_far=At(((176, 22), (150, 12), (160, 8))), arm=hand, arm_far=hand,
               hi=("leg",))
    d.figure(fig)
    if end:
        arc(d, hip, 120, 82, 50)
    return d


@exercise("lying-hamstring-stretch", flip=True)
def lying_hamstring(end: bool) -> Drawing:
    d = titled("Lying hamstring stretch", end, "lying on the back, right knee bent, a towel "
               "round the left foot, hands holding the ends", "the left leg raised almost "
               "straight, the towel helping")
    mat(d)
    leg: Limb = (74, 72, 160) if end else (-3, -1, 86)
    hands = To(176, 66, 1) if end else To(184, 40, 1)
    fig = supine(leg=leg, leg_far=To(286, 9, 1, 0), arm=hands, arm_far=hands, hi=("leg",))
    d.figure(fig)
    hand, toe = fig.joints["arm2"], fig.joints["leg3"]
    ball = lerp(fig.joints["leg2"], toe, 0.6)
    band(d, [hand, ball])
    if end:
        arc(d, fig.joints["hip"], 134, 14, 64)
    return d


# Legs -------------------------------------------------------------------------


@exercise("wall-sit", static=True)
def wall_sit(end: bool) -> Drawing:
    d = Drawing("Wall sit: back flat against a wall, knees bent, thighs nearly level with "
                "the floor, arms out in front")
    floor(d)
    wall(d, 104)
    fig = side(hip=(138, 9 + SHIN), torso=90, leg=To(198, 9, 1, 0), leg_far=To(196, 9, 1, 0),
               arm=(0, 0), arm_far=(-2, -2), hi=("leg", "leg_far"))
    d.figure(fig)
    return d


@exercise("wall-slide")
def wall_slide(end: bool) -> Drawing:
    d = titled("Wall slide", end, "standing with the back against a wall, heels a little out "
               "from it", "knees bent a little, slid a few centimetres down the wall")
    floor(d)
    wall(d, 104)
    hip = (138, STAND_Y - (24 if end else 4))
    fig = side(hip=hip, torso=90, leg=To(180, 9, 1, 0), leg_far=To(178, 9, 1, 0),
               arm=(-92, -88), arm_far=(-95, -90), hi=("leg", "leg_far"))
    d.figure(fig)
    if end:
        arrow(d, [(236, 230), (236, 186)])
    return d


@exercise("lunge", flip=True)
def lunge(end: bool) -> Drawing:
    d = titled("Lunge", end, "standing tall, hands on the hips", "a long step forward with "
               "the left foot, sinking until the front knee is at about a right angle")
    floor(d)
    if end:
        hip = (186, 80)
        fig = standing(hip=hip, leg=To(252, 9, 1, 0), leg_far=To(106, 18, 1, -30), hi=("leg",),
                       **hands_on_hips(hip))
    else:
        hip = (190, STAND_Y)
        fig = standing(hip=hip, hi=("leg",), **hands_on_hips(hip))
    d.figure(fig)
    if end:
        arrow(d, [(124, 196), (124, 150)])
    return d


@exercise("toe-lifts")
def toe_lifts(end: bool) -> Drawing:
    d = titled("Toe lifts", end, "close-up of a foot standing flat on the floor",
               "the toes lifted off the floor, the ball of the foot down")
    floor(d)
    # A close-up of the lower leg and foot, about three times the figure's scale.
    d.stroke(path_d([(178, 226), (188, 58)]), 42, BODY)
    foot = [(150, 34), (166, 68), (214, 64), (262, 26), (268, 8), (150, 8)]
    d.stroke(path_d(foot, closed=True), 18, BODY, fill=BODY)
    d.stroke(path_d([(178, 218), (187, 70)]), 42, BODY, outline=False)
    ball = (266, 17)
    line(d, [ball, polar(ball, 36 if end else 0, 46)], 22, ACCENT)
    if end:
        arc(d, ball, 68, 4, 48)
    return d


# Cardio -----------------------------------------------------------------------


@exercise("walking")
def walking(end: bool) -> Drawing:
    d = Drawing("Walking: standing tall, mid-stride, the arms swinging" +
                (", the other foot in front" if end else ""))
    floor(d)
    hip = (200, STAND_Y - 5)
    front_leg, back_leg = To(238, 9, 1, 8), To(160, 16, 1, -24)
    front_arm, back_arm = (-64, -20), (-112, -84)
    if end:
        front_leg, back_leg, front_arm, back_arm = back_leg, front_leg, back_arm, front_arm
    d.figure(standing(hip=hip, torso=92, leg=front_leg, leg_far=back_leg, arm=back_arm,
                      arm_far=front_arm, hi=("leg", "leg_far")))
    return d


@exercise("stationary-cycling")
def cycling(end: bool) -> Drawing:
    d = Drawing("Stationary cycling: sitting tall on an exercise bike, pedalling, " +
                ("the left pedal at the top" if end else "the left leg nearly straight"))
    floor(d)
    crank = (214, 60)
    line(d, [(120, 4), (320, 4)], 10)
    line(d, [(196, 4), crank, (172, 120)], 12)
    line(d, [(296, 4), (284, 150), (304, 158)], 11)
    line(d, [crank, (288, 96)], 10)
    d.circle((288, 58), 30, PROP, 3)
    box(d, 146, 118, 50, 11, 5)
    near = polar(crank, 100 if end else -80, 28)
    far = polar(crank, -80 if end else 100, 28)
    d.circle(crank, 9, PROP, 3)
    fig = side(hip=(172, 136), torso=74, head=80, leg=To(*near, 1, -10),
               leg_far=To(*far, 1, -10), arm=To(302, 162, -1), arm_far=To(300, 162, -1),
               hi=("leg", "leg_far"))
    d.figure(fig)
    if end:
        arc(d, crank, 48, -50, 60)
    return d


@exercise("elliptical")
def elliptical(end: bool) -> Drawing:
    d = Drawing("Elliptical trainer: standing tall on the pedals, hands on the moving handles"
                + (", the other foot in front" if end else ""))
    floor(d)
    line(d, [(100, 0), (320, 0)], 10)
    line(d, [(300, 0), (296, 150)], 12)
    back, ahead = (158, 28), (236, 14)
    near, far = (back, ahead) if not end else (ahead, back)
    for p in (far, near):
        line(d, [(p[0] - 20, p[1] - 9), (p[0] + 20, p[1] - 9)], 8)
    hip = (196, 28 + SHIN + THIGH - 8)
    hand_near, hand_far = ((282, 166), (262, 170)) if not end else ((262, 170), (282, 166))
    fig = side(hip=hip, torso=92, leg=To(near[0], near[1], 1, 0), leg_far=To(far[0], far[1], 1, 0),
               arm=To(*hand_near, -1), arm_far=To(*hand_far, -1), hi=("leg", "leg_far"))
    line(d, [(296, 110), hand_far], 8)
    d.figure(fig)
    line(d, [(296, 110), hand_near], 8)
    return d


# Breathing --------------------------------------------------------------------


@exercise("diaphragmatic-breathing")
def diaphragmatic(end: bool) -> Drawing:
    # The player shows the end drawing while breathing in.
    d = Drawing("Diaphragmatic breathing, breathing in: sitting, one hand on the chest and "
                "one on the belly, the belly rising" if end else
                "Diaphragmatic breathing, breathing out: sitting, one hand on the chest and "
                "one on the belly")
    floor(d)
    chair_side(d, 118)
    hip = (148, 76)
    fig = side(hip=hip, torso=90, bend=13 if end else 1, leg=To(214, 9, 1, 0),
               leg_far=To(212, 9, 1, 0), arm=To(172 + (10 if end else 0), 102, -1),
               arm_far=To(170, 128, -1), hi=("torso",))
    d.figure(fig)
    if end:
        arrow(d, [(198, 104), (232, 104)])
    return d


# Foam roller ------------------------------------------------------------------


@exercise("foam-roll-glutes", flip=True)
def foam_roll_glutes(end: bool) -> Drawing:
    d = titled("Foam roll glutes", end, "sitting on a foam roller under the buttocks, hands "
               "on the floor behind, knees bent", "rolling slowly up and down over the left "
               "buttock")
    mat(d)
    d.circle((160, 20), 20, PROP, 3)
    hip = (176 if end else 166, 52)
    fig = side(hip=hip, torso=140, head=112, leg=To(272, 9, 1, 0), leg_far=To(268, 9, 1, 0),
               arm=To(98, 7, -1), arm_far=To(102, 7, -1), hi=("leg",))
    d.figure(fig)
    if end:
        both_ways(d, (140, 128), (236, 128))
    return d


@exercise("foam-roll-arm-reach")
def foam_roll_arm_reach(end: bool) -> Drawing:
    d = titled("Foam roller arm reach", end, "lying along a foam roller under the head and "
               "spine, knees bent, elbows bent and arms resting low at the sides",
               "arms straightened up towards the ceiling")
    mat(d)
    box(d, 62, 0, 174, 38, 19)
    arms = dict(arm=(90, 90), arm_far=(92, 92)) if end else \
        dict(arm=(-84, 170), arm_far=(-88, 168), arm_scale=(0.9, 0.7))
    fig = supine(hip=(214, 53), torso=180, head=180, leg=To(296, 9, 1, 0),
                 hi=("arm", "arm_far"), **arms)
    d.figure(fig)
    if end:
        arc(d, fig.joints["shoulder"], 104, 30, 76)
    return d


@exercise("foam-roll-rotation", flip=True)
def foam_roll_rotation(end: bool) -> Drawing:
    d = titled("Foam roller rotation", end, "seen from the head end, lying along a foam "
               "roller, knees bent up, arms crossed on the chest", "the upper body turned "
               "slowly to the left, the roller staying under the spine")
    mat(d)
    # From the head end: the knees are furthest away, the roller is a circle, the head
    # nearest. The figure's left is on our left.
    for foot, knee in (((158, 9), (186, 128)), ((242, 9), (214, 128))):
        line(d, [foot, knee, (knee[0] + (6 if knee[0] < 200 else -6), 66)], LEG_W, FAR)
    d.circle((200, 24), 24, PROP, 3)
    turn = 24 if end else 0
    pivot = (200, 48)
    colour = ACCENT if end else BODY
    chest = polar(pivot, turn + 90, 16)
    d.stroke(path_d([polar(chest, turn, 44), polar(chest, turn + 180, 44)]), 32, colour)
    # Forearms crossed on the chest, lying on top of it.
    arms = polar(chest, turn + 90, 24)
    line(d, [polar(arms, turn, 30), polar(arms, turn + 180, 30)], ARM_W, BODY)
    d.circle(polar(pivot, turn + 90, 2), HEAD_R + 2, BODY)
    if end:
        arc(d, chest, 92, 150, 100)
    return d


@exercise("single-leg-raise", flip=True)
def single_leg_raise(end: bool) -> Drawing:
    d = titled("Single straight-leg raise", end, "lying on the back, right knee bent with the "
               "foot flat, the left leg straight on the floor", "the straight left leg lifted "
               "a little off the floor")
    mat(d)
    leg = (20, 20, 104) if end else (-3, -1, 86)
    fig = supine(leg=leg, leg_far=To(286, 9, 1, 0), hi=("leg",))
    d.figure(fig)
    if end:
        arc(d, fig.joints["hip"], 124, 2, 26)
    return d


# --- Output -------------------------------------------------------------------


def drawings() -> dict[str, Drawing]:
    """Every file name (without folder) and its drawing."""
    out: dict[str, Drawing] = {}
    for ident, ex in EXERCISES.items():
        out[f"{ident}-start.svg"] = ex.start()
        if ex.end is not None:
            out[f"{ident}-end.svg"] = ex.end()
    return out


def write(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, drawing in drawings().items():
        path = folder / name
        path.write_bytes(drawing.svg().encode("utf-8"))
        written.append(path)
    return written


def contact_sheet(folder: Path, out: Path, *, background: str = "#101418",
                  ink: str = "#e6ebf0", names: Sequence[str] | None = None,
                  cell: tuple[int, int] = (170, 170), columns: int = 4) -> None:
    """A PNG of every exercise's start and end drawing, side by side, with its id underneath.

    Exercises with a single drawing (a static hold) leave the end place empty.
    """
    import os

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QRectF, Qt
    from PySide6.QtGui import QColor, QFont, QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    idents = list(names or EXERCISES)
    cw, ch = cell
    label = 26
    pair_w = cw * 2 + 8
    gap = 22
    rows = math.ceil(len(idents) / columns)
    width = columns * pair_w + (columns + 1) * gap
    height = rows * (ch + label + gap) + gap
    image = QImage(width, height, QImage.Format.Format_RGB32)
    image.fill(QColor(background))
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    font = QFont()
    font.setPixelSize(16)
    painter.setFont(font)
    for i, ident in enumerate(idents):
        x = gap + (i % columns) * (pair_w + gap)
        y = gap + (i // columns) * (ch + label + gap)
        for j, part in enumerate(("start", "end")):
            path = folder / f"{ident}-{part}.svg"
            if not path.exists():
                continue
            renderer = QSvgRenderer(str(path))
            renderer.render(painter, QRectF(x + j * (cw + 8), y, cw, ch))
        painter.setPen(QColor(ink))
        painter.drawText(QRectF(x, y + ch, pair_w, label),
                         int(Qt.AlignmentFlag.AlignCenter), ident)
    painter.end()
    image.save(str(out))
    del app


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT, help="folder for the SVG files")
    parser.add_argument("--sheet", type=Path, help="also save a contact sheet PNG here")
    parser.add_argument("--light", action="store_true",
                        help="draw the contact sheet on a light background")
    parser.add_argument("--only", nargs="*", help="exercise ids for the contact sheet")
    args = parser.parse_args(argv)
    written = write(args.out)
    print(f"wrote {len(written)} drawings for {len(EXERCISES)} exercises to {args.out}")
    if args.sheet:
        colours = dict(background="#f4f5f7", ink="#1a222b") if args.light else {}
        contact_sheet(args.out, args.sheet, names=args.only, **colours)
        print(f"saved {args.sheet}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
