"""Recurrent cells: an RNN unrolled in time, the LSTM cell and the GRU cell (private).

Part of ``helpers.diagrams``, which re-exports everything here. The symbols are those of
``03_algorithms/rnn_cells``: x_t, h_t, c_t, the gates i_t, f_t, o_t, r_t, z_t, the
candidates g_t (LSTM) and n_t (GRU), and the weights W_x, W_h, W_y.
"""

from __future__ import annotations

from matplotlib.axes import Axes

from helpers._draw import (
    BLUE,
    INK,
    ORANGE,
    PALE,
    SMALL,
    Shape,
    arrow,
    box,
    canvas,
    node,
    text,
)
from helpers._validate import check_int

GATE = dict(size=(0.9, 0.6), ec=ORANGE, lw=1.8)  # a sigmoid gate: values in (0, 1)
SQUASH = dict(size=(0.9, 0.6), ec=BLUE, lw=1.8)  # a tanh layer: values in (-1, 1)
TOP, BUS = 4.6, 0.9  # heights of the state line along the top and of the input bus


def draw_rnn_unrolled(steps: int = 4, *, ax: Axes | None = None) -> Axes:
    """A vanilla RNN folded (one cell with a loop) and unrolled over time: inputs x_t,
    states h_t, outputs y_hat_t, and the same W_x, W_h, W_y at every step.

    Parameters
    ----------
    steps : int
        Steps drawn unrolled, in [2, 6]; from 4 on, the last is step T after a gap.
    """
    steps = check_int("steps", steps, low=2, high=6)
    names = [str(t) for t in range(1, steps + 1)]
    if steps >= 4:
        names[-1] = "T"
    dx, x0 = 2.1, 5.2
    ax = canvas(ax, (-0.6, x0 + dx * (steps - 1) + 0.9), (-1.2, 4.2))
    _column(ax, 0.6, "t", loop=True)
    text(ax, (2.6, 1.9), "=", fontsize=16)
    text(ax, (2.6, 2.4), "unrolled", fontsize=SMALL, color="0.4")
    previous = box(ax, (3.45, 1.9), "$h_0$", size=(0.8, 0.6), fc=PALE)
    for t, name in enumerate(names):
        state = _column(ax, x0 + dx * t, name)
        gap = steps >= 4 and t == steps - 1
        arrow(ax, previous, state, ls=":" if gap else "-")
        if not gap:
            text(ax, ((previous.x + state.x) / 2 + 0.1, 2.15), "$W_h$", fontsize=SMALL, color=BLUE)
        previous = state
    text(
        ax,
        ((x0 + previous.x) / 2, -0.95),
        "the same $W_x$, $W_h$, $b$ and $W_y$, $b_y$ at every step",
        fontsize=SMALL,
    )
    return ax


def _column(ax: Axes, x: float, t: str, loop: bool = False) -> Shape:
    """x_t -> h_t -> y_hat_t at horizontal position x; with a self-loop W_h if ``loop``."""
    state = box(ax, (x, 1.9), f"$h_{t}$", size=(0.9, 0.7))
    data = box(ax, (x, 0.2), f"$x_{t}$", size=(0.8, 0.6), fc=PALE)
    out = box(ax, (x, 3.6), rf"$\hat y_{t}$", size=(0.8, 0.6))
    arrow(ax, data, state)
    arrow(ax, state, out)
    text(ax, (x - 0.15, 1.05), "$W_x$", ha="right", fontsize=SMALL, color=BLUE)
    text(ax, (x - 0.15, 2.75), "$W_y$", ha="right", fontsize=SMALL, color=BLUE)
    if loop:
        arrow(ax, (x + 0.45, 2.1), (x + 0.45, 1.7), rad=-2.2)
        text(ax, (x + 1.0, 1.9), "$W_h$", fontsize=SMALL, color=BLUE, ha="left")
    return state


def draw_lstm_cell(*, ax: Axes | None = None) -> Axes:
    """The LSTM cell: the cell state c_t runs along the top, changed only by the forget
    gate f_t and the gated candidate i_t * g_t; the output gate o_t shows tanh(c_t) as h_t."""
    ax = _cell(ax, "c", right=6.5)
    forget, add, write = _op(ax, 2.6, TOP), _op(ax, 4.55, TOP, "$+$"), _op(ax, 4.55, 3.45)
    squash = box(ax, (8.0, 3.55), "tanh", size=(0.9, 0.5), ec=BLUE, lw=1.8, fontsize=SMALL)
    show = _op(ax, 8.0, 2.1)
    f, i, o = (_layer(ax, x, 2.1, "s") for x in (2.6, 3.85, 6.5))
    g = _layer(ax, 5.25, 2.1, "t")
    wires = [((-0.3, TOP), forget), (forget, add), (add, (9.9, TOP)), ((8.0, TOP), squash)]
    wires += [(squash, show), (f, forget), (i, write), (g, write), (write, add), (o, show)]
    for start, end in wires:
        arrow(ax, start, end)
    arrow(ax, show, (8.0, BUS), head=False)
    arrow(ax, (8.0, BUS), (9.9, BUS))
    labels = [("f_t", 2.45, 3.3), ("i_t", 3.9, 2.95), ("g_t", 5.2, 2.95), ("o_t", 7.45, 2.3)]
    for s, x, y in labels:
        text(ax, (x, y), f"${s}$", ha="right", fontsize=SMALL)
    text(ax, (10.0, TOP), "$c_t$", ha="left")
    text(ax, (10.0, BUS), "$h_t$", ha="left")
    return ax


def draw_gru_cell(*, ax: Axes | None = None) -> Axes:
    """The GRU cell, reset after the product (PyTorch, Keras's default): the reset gate r_t
    scales the recurrent part of the candidate n_t, the update gate z_t mixes h_{t-1}
    and n_t into h_t."""
    ax = _cell(ax, "h", right=6.2)
    keep, add = _op(ax, 6.2, TOP), _op(ax, 8.0, TOP, "$+$")
    reset, mix = _op(ax, 2.4, 3.1), _op(ax, 8.0, 3.1)
    one_minus = node(ax, (8.0, 2.0), "$1-$", r=0.3, fontsize=SMALL)
    r, z, n = (
        _layer(ax, 2.4, 2.0, "s"),
        _layer(ax, 6.2, 2.0, "s"),
        _layer(ax, 4.4, 3.1, "t", head=True),
    )
    wires = [((-0.3, TOP), keep), (keep, add), (add, (9.9, TOP)), ((2.4, TOP), reset)]
    wires += [(r, reset), (reset, n), (z, keep), (z, one_minus), (one_minus, mix), (mix, add)]
    for start, end in wires:
        arrow(ax, start, end)
    arrow(ax, n, mix, over=True)  # crosses the update gate's line
    text(ax, (2.55, 3.95), r"$W_{hn}h_{t-1} + b_{hn}$", ha="left", fontsize=SMALL)
    text(ax, (4.55, 1.3), r"$W_{xn}x_t + b_n$", ha="left", fontsize=SMALL)
    for s, x, y in [("r_t", 2.25, 2.6), ("z_t", 6.05, 2.6), ("n_t", 5.3, 3.3)]:
        text(ax, (x, y), f"${s}$", ha="right", fontsize=SMALL)
    text(ax, (10.0, TOP), "$h_t$", ha="left")
    return ax


def _cell(ax: Axes | None, state: str, right: float) -> Axes:
    """The canvas, the cell's pale outline, the inputs and the legend. h_{t-1} and x_t
    join on the bus at the bottom that feeds the gates; the state entering at the top left
    is c_{t-1} (LSTM) or h_{t-1} (GRU, which also branches down to the bus)."""
    ax = canvas(ax, (-1.0, 10.6), (-1.9, 5.6))
    box(ax, (4.6, 2.75), "", size=(8.6, 4.9), fc="0.97", ec="0.6", lw=1, zorder=0)
    text(ax, (-0.4, TOP), f"${state}_{{t-1}}$", ha="right")
    if state == "h":
        arrow(ax, (0.7, TOP), (0.7, BUS), head=False)
    else:
        text(ax, (-0.4, BUS), "$h_{t-1}$", ha="right")
        arrow(ax, (-0.3, BUS), (0.7, BUS), head=False)
    arrow(ax, (0.7, BUS), (right, BUS), head=False)
    arrow(ax, (1.4, -0.4), (1.4, BUS), head=False)
    text(ax, (1.4, -0.7), "$x_t$")
    node(ax, (1.4, BUS), r=0.06, fc=INK)
    _legend(ax)
    return ax


def _op(ax: Axes, x: float, y: float, symbol: str = r"$\odot$") -> Shape:
    """An elementwise operation: a small circle with its symbol."""
    return node(ax, (x, y), symbol, r=0.27)


def _layer(ax: Axes, x: float, y: float, kind: str, head: bool = False) -> Shape:
    """A sigmoid gate (kind "s") or a tanh layer ("t"), fed by a line from the bus."""
    shape = box(
        ax, (x, y), r"$\sigma$" if kind == "s" else "tanh", **(GATE if kind == "s" else SQUASH)
    )
    arrow(ax, (x, BUS), shape, head=head)
    return shape


def _legend(ax: Axes) -> None:
    """What the shapes mean, in one line under the cell."""
    y = -1.45
    box(ax, (0.3, y), r"$\sigma$", size=(0.6, 0.45), ec=ORANGE, lw=1.8, fontsize=SMALL)
    text(ax, (0.75, y), "gate, values in (0, 1)", ha="left", fontsize=SMALL)
    box(ax, (4.0, y), "tanh", size=(0.75, 0.45), ec=BLUE, lw=1.8, fontsize=SMALL)
    text(ax, (4.5, y), "layer, values in (−1, 1)", ha="left", fontsize=SMALL)
    node(ax, (8.0, y), r"$\odot$", r=0.2, fontsize=SMALL)
    text(ax, (8.3, y), "elementwise product", ha="left", fontsize=SMALL)
