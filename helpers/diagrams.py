"""Schematic figures drawn from code, in the book's style: the pictures before the equations.

Every ``draw_*`` function takes ``ax=None`` (draw on a new figure sized for the diagram)
and returns the axes it drew on. Labels use the chapters' own symbols. The diagrams live
in five modules and are all reached from here:

- networks and training (this module): :func:`draw_neuron`, :func:`draw_mlp`,
  :func:`draw_computational_graph`, :func:`draw_gan_loop`, :func:`draw_data_parallel`;
- windows on grids (``helpers._diagrams_conv``): :func:`draw_conv_window`,
  :func:`draw_pooling`, :func:`draw_receptive_field`, and what they compute,
  :func:`window_cells` and :func:`receptive_field_sizes`;
- recurrent cells (``helpers._diagrams_rnn``): :func:`draw_rnn_unrolled`,
  :func:`draw_lstm_cell`, :func:`draw_gru_cell`;
- attention (``helpers._diagrams_attention``): :func:`draw_attention`,
  :func:`draw_transformer_block`;
- the residual block (``helpers._diagrams_residual``): :func:`draw_residual_block`.

The shapes they are made of (boxes, nodes, arrows, cells) are in ``helpers._draw``.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence

import numpy as np
from matplotlib.axes import Axes
from matplotlib.patches import Rectangle

from helpers._diagrams_attention import draw_attention, draw_transformer_block
from helpers._diagrams_conv import (
    draw_conv_window,
    draw_pooling,
    draw_receptive_field,
    receptive_field_sizes,
    window_cells,
)
from helpers._diagrams_residual import draw_residual_block
from helpers._diagrams_rnn import draw_gru_cell, draw_lstm_cell, draw_rnn_unrolled
from helpers._draw import BLUE, INK, PALE, RED, SMALL, arrow, box, canvas, node, text, text_width
from helpers._validate import check_int
from helpers.plotting import COLORS

__all__ = [
    "draw_attention",
    "draw_computational_graph",
    "draw_conv_window",
    "draw_data_parallel",
    "draw_gan_loop",
    "draw_gru_cell",
    "draw_lstm_cell",
    "draw_mlp",
    "draw_neuron",
    "draw_pooling",
    "draw_receptive_field",
    "draw_residual_block",
    "draw_rnn_unrolled",
    "draw_transformer_block",
    "receptive_field_sizes",
    "window_cells",
]

GREY = "0.4"  # captions: what a column of the diagram is


def draw_neuron(n_inputs: int = 3, *, ax: Axes | None = None) -> Axes:
    """One neuron: inputs x_j, a weight w_j on each edge, the sum with the bias b, the
    activation f and the output a.

    Parameters
    ----------
    n_inputs : int
        The number d of inputs, in [1, 6].
    """
    d = check_int("n_inputs", n_inputs, low=1, high=6)
    ys = (np.arange(d)[::-1] - (d - 1) / 2) * 1.1
    top = max(ys.max(), 1.0) + 0.6
    ax = canvas(ax, (-0.9, 8.1), (min(ys.min(), -1.0) - 0.9, top + 0.4))
    total = node(ax, (3.4, 0.0), r"$\Sigma$", r=0.45, fontsize=13)
    for j, y in enumerate(ys, start=1):
        arrow(ax, node(ax, (0.0, y), f"$x_{j}$", r=0.34, fc=PALE), total)
        text(ax, (0.42 * 3.4, 0.58 * y + 0.22), f"$w_{j}$", color=BLUE)  # on its edge
    text(ax, (3.4, -1.55), "$b$", color=BLUE)
    arrow(ax, (3.4, -1.3), total)
    f = box(ax, (5.5, 0.0), "$f$", size=(0.9, 0.7))
    arrow(ax, total, f)
    text(ax, (4.45, 0.25), "$z$")
    arrow(ax, f, node(ax, (7.3, 0.0), "$a$", r=0.34))
    captions = ["inputs", "weights", "sum + bias", "activation", "output"]
    for x, caption in zip([0.0, 1.6, 3.4, 5.5, 7.3], captions, strict=True):
        text(ax, (x, top), caption, fontsize=SMALL, color=GREY)
    return ax


def draw_mlp(
    sizes: Sequence[int], *, names: Sequence[str] | None = None, ax: Axes | None = None
) -> Axes:
    """A multilayer perceptron as nodes and edges: one circle per unit, one edge per weight.

    The edges into the first unit of the first hidden layer are blue: one column of W_1.

    Parameters
    ----------
    sizes : sequence of int
        Layer widths [d_0, d_1, ..., d_L]: at least two layers, each width in [1, 12].
    names : sequence of str, optional
        One name per layer; by default the book's row convention X, A_1, ..., Y_hat.
    """
    if isinstance(sizes, (str, bytes)) or not isinstance(sizes, Sequence):
        raise TypeError(f"sizes must be a sequence of ints, got {type(sizes).__name__}")
    if len(sizes) < 2:
        raise ValueError(f"sizes must have at least two layers, got {len(sizes)}")
    sizes = [check_int(f"sizes[{i}]", s, low=1, high=12) for i, s in enumerate(sizes)]
    depth = len(sizes) - 1
    hidden = [f"$A_{{{i}}}$" for i in range(1, depth)]
    names = list(names) if names is not None else ["$X$", *hidden, r"$\hat Y$"]
    if len(names) != len(sizes):
        raise ValueError(f"names must have one name per layer ({len(sizes)}), got {len(names)}")
    dx, dy = 2.3, 0.62
    ys = [(np.arange(n)[::-1] - (n - 1) / 2) * dy for n in sizes]
    low, high = -max(sizes) * dy / 2, max(sizes) * dy / 2
    ax = canvas(ax, (-0.8, depth * dx + 0.8), (low - 1.1, high + 0.7))
    for i in range(depth):
        _dense_edges(ax, i * dx, ys[i], ys[i + 1], dx, highlight=i == 0)
        text(ax, ((i + 0.5) * dx, high + 0.35), f"$W_{{{i + 1}}}$, $\\mathbf{{b}}_{{{i + 1}}}$")
    for i, (n, column) in enumerate(zip(sizes, ys, strict=True)):
        for unit, y in enumerate(column):
            ec = BLUE if (i, unit) == (1, 0) else INK
            node(ax, (i * dx, y), r=0.2, fc=PALE if i == 0 else "white", ec=ec)
        text(ax, (i * dx, low - 0.35), names[i])
        text(ax, (i * dx, low - 0.8), f"$d_{{{i}}} = {n}$", fontsize=SMALL, color=GREY)
    return ax


def _dense_edges(
    ax: Axes, x: float, ys_in: np.ndarray, ys_out: np.ndarray, dx: float, highlight: bool
) -> None:
    """Every input unit at x joined to every output unit at x + dx; with ``highlight``, the
    edges into the first output unit in blue."""
    for y0 in ys_in:
        for k, y1 in enumerate(ys_out):
            blue = highlight and k == 0
            colour, lw = (BLUE, 1.3) if blue else ("0.72", 0.6)
            ax.plot([x + 0.2, x + dx - 0.2], [y0, y1], color=colour, lw=lw, zorder=1 + blue)


def draw_computational_graph(
    nodes: Mapping[str, tuple[str, tuple[float, float]]],
    edges: Sequence[tuple[str, str]],
    *,
    values: Mapping[str, float] | None = None,
    grads: Mapping[str, float] | None = None,
    data: Collection[str] = (),
    ax: Axes | None = None,
) -> Axes:
    """A computational graph; optionally each node's forward value and dL/d(node).

    Parameters
    ----------
    nodes : mapping name -> (label, (x, y))
        One box per intermediate value, centred at (x, y), in units of 0.6 inch.
    edges : sequence of (start, end)
        One arrow from each input of an operation to its output.
    values, grads : mapping name -> float, optional
        Forward values, written above the nodes in blue, and derivatives of the loss,
        written below them in vermillion as ``dname = ...``.
    data : collection of str
        The nodes that are data, not parameters: shaded grey.
    """
    _check_graph(nodes, edges, data)
    values, grads = _check_numbers("values", values, nodes), _check_numbers("grads", grads, nodes)
    xs, ys = zip(*(xy for _, xy in nodes.values()), strict=True)
    below, above = 1.0 if grads else 0.6, 1.1 if values else 0.6  # room for the numbers
    ax = canvas(ax, (min(xs) - 1.2, max(xs) + 1.2), (min(ys) - below, max(ys) + above))
    shapes = {}
    for name, (label, (x, y)) in nodes.items():
        size = (text_width(label) + 0.5, 0.62)
        shapes[name] = box(ax, (x, y), label, size=size, fc=PALE if name in data else "white")
        if name in values:
            text(ax, (x, y + 0.52), f"{values[name]:.4f}", color=BLUE, fontsize=SMALL)
        if name in grads:
            grad = rf"$\mathrm{{d}}{name}$ = {grads[name]:.4f}"
            text(ax, (x, y - 0.55), grad, color=RED, fontsize=SMALL)
    for start, end in edges:
        arrow(ax, shapes[start], shapes[end])
    return ax


def _check_graph(nodes: object, edges: Sequence[tuple[str, str]], data: Collection[str]) -> None:
    if not isinstance(nodes, Mapping) or not nodes:
        raise TypeError("nodes must be a non-empty mapping name -> (label, (x, y))")
    for start, end in edges:
        if start not in nodes or end not in nodes:
            raise ValueError(f"edges must join nodes of the graph, got {start!r} -> {end!r}")
    if not set(data) <= set(nodes):
        raise ValueError(f"data must name nodes of the graph, got {sorted(set(data) - set(nodes))}")


def _check_numbers(name: str, given: Mapping[str, float] | None, nodes: Mapping) -> dict:
    given = dict(given or {})
    if not set(given) <= set(nodes):
        raise ValueError(
            f"{name} must be for nodes of the graph, got {sorted(set(given) - set(nodes))}"
        )
    if not np.all(np.isfinite(np.asarray(list(given.values()), dtype=float))):
        raise ValueError(f"{name} must be finite numbers")
    return given


def draw_gan_loop(k: int | None = None, *, ax: Axes | None = None) -> Axes:
    """One round of GAN training: noise -> G -> fakes, real data, D, the two losses, and
    which network each loss updates (D in blue, G in vermillion), k D steps per G step.

    Parameters
    ----------
    k : int or None
        Discriminator steps per generator step (Goodfellow et al.'s k), at least 1;
        None (the default) labels them with the symbol $k$.
    """
    n_d = "$k$" if k is None else str(check_int("k", k, low=1))
    ax = canvas(ax, (-0.4, 12.6), (-0.9, 5.3))
    noise = box(ax, (0.8, 3.4), r"$z \sim p_z$", size=(1.5, 0.7), fc=PALE)
    G = box(ax, (3.2, 3.4), "$G$", size=(1.0, 0.8), ec=RED, lw=2)
    fake = box(ax, (5.5, 3.4), "fake $G(z)$", size=(1.8, 0.7), fc=PALE)
    real = box(ax, (5.5, 1.0), r"real $x \sim p_{\mathrm{data}}$", size=(2.4, 0.7), fc=PALE)
    D = box(ax, (7.9, 2.2), "$D$", size=(1.0, 0.8), ec=BLUE, lw=2)
    loss_G = box(ax, (10.8, 3.4), r"$L_G = -\log D(G(z))$", size=(3.3, 0.7))
    loss_D = box(ax, (10.8, 1.0), r"$L_D$: $D(x) \to 1$, $D(G(z)) \to 0$", size=(3.3, 0.7))
    for start, end in [(noise, G), (G, fake), (fake, D), (real, D), (D, loss_G), (D, loss_D)]:
        arrow(ax, start, end)
    text(ax, (0.8, 2.75), "1. sample $z$ and $x$", fontsize=SMALL)
    arrow(ax, (loss_D.x, loss_D.y - 0.4), (D.x, D.y - 0.45), color=BLUE, ls="--", rad=-0.5, lw=1.6)
    text(ax, (8.25, 0.25), rf"$\times$ {n_d}", color=BLUE)  # the loop taken k times
    steps = "step" if n_d == "1" else "steps"
    d_step = f"2. {n_d} {steps} on $D$'s parameters, new $x$ and $z$ each, fakes detached"
    text(ax, (8.6, -0.5), d_step, color=BLUE, fontsize=SMALL)
    arrow(ax, (loss_G.x, loss_G.y + 0.4), (G.x, G.y + 0.45), color=RED, ls="--", rad=0.2, lw=1.6)
    text(ax, (7.0, 4.95), "3. one step on $G$'s parameters, $D$ fixed", color=RED, fontsize=SMALL)
    return ax


def draw_data_parallel(n_workers: int = 2, *, ax: Axes | None = None) -> Axes:
    """Data-parallel training: the batch split into shards, one replica per worker, the
    gradients averaged by all-reduce, the same update on every worker.

    Parameters
    ----------
    n_workers : int
        The number K of workers, in [2, 4].
    """
    K = check_int("n_workers", n_workers, low=2, high=4)
    dx = 3.6
    xs = np.arange(K) * dx
    mean = "(" + " + ".join(rf"\mathbf{{g}}_{k}" for k in range(1, K + 1)) + f")/{K}"
    ax = canvas(ax, (-1.9, xs[-1] + 1.9), (-1.3, 6.4))
    text(ax, (xs.mean(), 6.05), "mini-batch $B$ of $m$ examples, split into $K$ equal shards")
    reduce_ = f"all-reduce: every worker receives ${mean}$"
    all_reduce = box(ax, (xs.mean(), 1.9), reduce_, size=(xs[-1] + 3.0, 0.8), fc=PALE)
    update = rf"$\mathbf{{w}} \leftarrow \mathbf{{w}} - \alpha\,{mean}$"
    for k, x in enumerate(xs, start=1):
        colour = COLORS[k - 1]
        shard = Rectangle((x - dx / 2 + 0.1, 4.95), dx - 0.2, 0.6, fc=colour, alpha=0.3, ec=colour)
        ax.add_patch(shard)
        text(ax, (x, 5.25), f"$B_{k}$: $m/K$ examples", fontsize=SMALL)
        label = f"worker {k}\nreplica of " + r"$\mathbf{w}$"
        worker = box(ax, (x, 3.7), label, size=(2.6, 1.0), ec=colour, lw=2)
        arrow(ax, (x, 4.9), worker)
        arrow(ax, worker, (x, all_reduce.y + 0.42))
        text(ax, (x + 0.15, 2.75), rf"$\mathbf{{g}}_{k}$", ha="left")
        arrow(ax, (x, all_reduce.y - 0.42), box(ax, (x, 0.0), update, size=(3.3, 0.7)))
    same = "the same update on every worker: the replicas stay identical"
    text(ax, (xs.mean(), -0.85), same, fontsize=SMALL, color=GREY)
    return ax
