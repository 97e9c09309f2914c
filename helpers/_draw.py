"""Drawing primitives that the diagrams of ``helpers.diagrams`` share (private).

A diagram is drawn in data coordinates on an axes with equal aspect and no axis, from a
few shapes: rounded boxes, circular nodes, arrows that stop at a shape's outline, and
square cells. Colours come from the book's palette, ``helpers.plotting.COLORS``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import matplotlib.pyplot as plt
import numpy as np
from matplotlib import patheffects
from matplotlib.axes import Axes
from matplotlib.patches import Circle, FancyBboxPatch, Rectangle

from helpers.plotting import COLORS

INK = "0.15"  # text and outlines
LINE = "0.35"  # arrows
PALE = "0.92"  # data and other given values
BLUE, ORANGE, RED = COLORS[0], COLORS[1], COLORS[3]  # Okabe-Ito blue, orange, vermillion
FONT = 10  # the book style's label size; nothing a reader must read is below 9
SMALL = 9
MAX_WIDTH = 8.0  # inches: figures stay under the book's 9-inch limit


def canvas(
    ax: Axes | None, xlim: tuple[float, float], ylim: tuple[float, float], scale: float = 0.6
) -> Axes:
    """An axes with equal aspect and no frame showing ``xlim`` x ``ylim``.

    Without ``ax``, a new figure is sized at ``scale`` inches per data unit (at most
    ``MAX_WIDTH`` wide), so that one unit looks the same in every diagram.
    """
    if ax is None:
        width, height = xlim[1] - xlim[0], ylim[1] - ylim[0]
        scale = min(scale, MAX_WIDTH / width)
        _, ax = plt.subplots(figsize=(width * scale, height * scale))
    elif not isinstance(ax, Axes):
        raise TypeError(f"ax must be a matplotlib Axes or None, got {type(ax).__name__}")
    ax.set(xlim=xlim, ylim=ylim, aspect="equal")
    ax.set_axis_off()
    return ax


@dataclass(frozen=True)
class Shape:
    """Where a box (half-width ``hw``, half-height ``hh``) or a node (radius ``hw``) is."""

    x: float
    y: float
    hw: float
    hh: float
    round: bool = False

    def toward(self, point: tuple[float, float], gap: float = 0.04) -> tuple[float, float]:
        """The point of the outline on the way from the centre to ``point``."""
        d = np.array(point, dtype=float) - (self.x, self.y)
        norm = np.hypot(*d)
        if norm == 0:
            return self.x, self.y
        if self.round:
            t = (self.hw + gap) / norm
        else:
            t = min(
                (self.hw + gap) / max(abs(d[0]), 1e-12), (self.hh + gap) / max(abs(d[1]), 1e-12)
            )
        return self.x + t * d[0], self.y + t * d[1]


def box(
    ax: Axes,
    xy: tuple[float, float],
    text: str,
    *,
    size: tuple[float, float] = (1.0, 0.6),
    fc: str = "white",
    ec: str = INK,
    fontsize: float = FONT,
    lw: float = 1.2,
    zorder: float = 2,
) -> Shape:
    """A rounded box of ``size`` (width, height) centred on ``xy``, with ``text`` inside."""
    w, h = size
    pad = min(w, h) * 0.15
    patch = FancyBboxPatch(
        (xy[0] - w / 2 + pad, xy[1] - h / 2 + pad),
        w - 2 * pad,
        h - 2 * pad,
        boxstyle=f"round,pad={pad}",
        fc=fc,
        ec=ec,
        lw=lw,
        zorder=zorder,
    )
    ax.add_patch(patch)
    if text:
        ax.text(*xy, text, ha="center", va="center", fontsize=fontsize, color=INK, zorder=3)
    return Shape(xy[0], xy[1], w / 2, h / 2)


def node(
    ax: Axes,
    xy: tuple[float, float],
    text: str = "",
    *,
    r: float = 0.3,
    fc: str = "white",
    ec: str = INK,
    fontsize: float = FONT,
    lw: float = 1.2,
) -> Shape:
    """A circle of radius ``r`` centred on ``xy``, with ``text`` inside."""
    ax.add_patch(Circle(xy, r, fc=fc, ec=ec, lw=lw, zorder=2))
    if text:
        ax.text(*xy, text, ha="center", va="center", fontsize=fontsize, color=INK, zorder=3)
    return Shape(xy[0], xy[1], r, r, round=True)


def arrow(
    ax: Axes,
    start: Shape | tuple[float, float],
    end: Shape | tuple[float, float],
    *,
    color: str = LINE,
    lw: float = 1.2,
    ls: str = "-",
    head: bool = True,
    rad: float = 0.0,
    over: bool = False,
) -> None:
    """An arrow from ``start`` to ``end``; a Shape is left and entered at its outline.

    ``rad`` bends the arrow (matplotlib's arc3), ``head=False`` draws a plain line, and
    ``over=True`` draws it with a white halo, so that it visibly crosses over others.
    """
    p0 = _centre(start)
    p1 = _centre(end)
    if isinstance(start, Shape):
        p0 = start.toward(p1)
    if isinstance(end, Shape):
        p1 = end.toward(p0)
    props = dict(
        arrowstyle="-|>" if head else "-",
        color=color,
        lw=lw,
        ls=ls,
        shrinkA=0,
        shrinkB=0,
        mutation_scale=12,
        connectionstyle=f"arc3,rad={rad}",
    )
    if over:
        props["path_effects"] = [patheffects.withStroke(linewidth=lw + 4, foreground="white")]
    ax.annotate("", xy=p1, xytext=p0, arrowprops=props, zorder=1.5 if over else 1)


def cell(
    ax: Axes,
    xy: tuple[float, float],
    *,
    size: float = 1.0,
    fc: str = "white",
    ec: str = INK,
    text: str = "",
    ls: str = "-",
    alpha: float = 1.0,
    fontsize: float = SMALL,
) -> None:
    """A square of side ``size`` with lower-left corner ``xy``, and ``text`` in its centre."""
    ax.add_patch(Rectangle(xy, size, size, fc=fc, ec=ec, ls=ls, lw=0.8, alpha=alpha, zorder=1))
    if text:
        centre = (xy[0] + size / 2, xy[1] + size / 2)
        ax.text(*centre, text, ha="center", va="center", fontsize=fontsize, color=INK)


def outline(
    ax: Axes, xy: tuple[float, float], width: float, height: float, color: str, lw: float = 2.2
) -> None:
    """A thick coloured frame, for a window laid over cells."""
    ax.add_patch(Rectangle(xy, width, height, fill=False, ec=color, lw=lw, zorder=4))


def text(ax: Axes, xy: tuple[float, float], s: str, **kwargs: object) -> None:
    """Text in the diagram's ink, centred on ``xy`` unless told otherwise."""
    options = dict(ha="center", va="center", fontsize=FONT, color=INK, zorder=5)
    ax.text(*xy, s, **(options | kwargs))


def _centre(where: Shape | tuple[float, float]) -> tuple[float, float]:
    return (where.x, where.y) if isinstance(where, Shape) else (float(where[0]), float(where[1]))


def text_width(s: str, fontsize: float = FONT, scale: float = 0.6) -> float:
    """A rough width of ``s`` in data units, at ``scale`` inches per unit.

    Mathtext markup is stripped first: commands count as one character, braces and
    dollar signs as none.
    """
    visible = re.sub(r"\\[a-zA-Z]+", "x", s)
    visible = re.sub(r"[${}^_]", "", visible)
    return len(visible) * 0.55 * fontsize / 72 / scale
