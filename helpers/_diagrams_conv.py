"""Windows on grids: a convolution window, pooling, the receptive field (private).

Part of ``helpers.diagrams``, which re-exports the public names. What the pictures show
is computed, by :func:`window_cells` and :func:`receptive_field_sizes`; the tests check
both against a convolution and against the dependences through the layers.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
from matplotlib.axes import Axes
from matplotlib.patches import Rectangle

from helpers._draw import (
    BLUE,
    INK,
    LINE,
    SMALL,
    arrow,
    canvas,
    cell,
    node,
    outline,
    text,
    text_width,
)
from helpers._validate import check_array, check_choice, check_int
from helpers.plotting import COLORS

Layer = tuple[str, int, int, int]  # (name, kernel size k, stride s, padding p)


def window_cells(
    i: int, j: int, k: int, *, stride: int = 1, dilation: int = 1
) -> list[tuple[int, int]]:
    """The cells of the padded input that output (i, j) of a k x k convolution reads.

    Row ``s i + d u`` and column ``s j + d v`` for the kernel offsets u, v in 0..k-1, in
    the padded input's coordinates, in the kernel's row-major order: shape (k * k,) of
    (row, column) pairs.
    """
    i, j, k = check_int("i", i, low=0), check_int("j", j, low=0), check_int("k", k, low=1)
    s, d = check_int("stride", stride, low=1), check_int("dilation", dilation, low=1)
    return [(s * i + d * u, s * j + d * v) for u in range(k) for v in range(k)]


def receptive_field_sizes(kernels: Sequence[int], strides: Sequence[int]) -> list[int]:
    """Receptive field of a unit of each layer, in input positions, away from the border.

    r_0 = 1 and r_l = r_{l-1} + (k_l - 1) j_{l-1}, where j_{l-1} = s_1 ... s_{l-1} is the
    distance in the input between neighbouring units of layer l - 1. Returns the list
    [r_0, ..., r_L] of length L + 1.
    """
    if len(kernels) != len(strides):
        lengths = f"{len(kernels)} and {len(strides)}"
        raise ValueError(f"kernels and strides must have one entry per layer, got {lengths}")
    sizes, jump = [1], 1
    for i, (k, s) in enumerate(zip(kernels, strides, strict=True)):
        k, s = check_int(f"kernels[{i}]", k, low=1), check_int(f"strides[{i}]", s, low=1)
        sizes.append(sizes[-1] + (k - 1) * jump)
        jump *= s
    return sizes


def draw_conv_window(
    n: int,
    k: int,
    *,
    padding: int = 0,
    stride: int = 1,
    dilation: int = 1,
    positions: Sequence[tuple[int, int]] = ((0, 0),),
    ax: Axes | None = None,
) -> Axes:
    """An n x n input padded by p zeros on each side, a k x k kernel window at each output
    position, and the output cell it produces, in the window's colour.

    Parameters
    ----------
    n, k : int
        Input side in [1, 12]; kernel side in [1, 5].
    padding, stride, dilation : int
        p in [0, 3]; s and d in [1, 4].
    positions : sequence of (i, j)
        The output cells to show, 1 to 4 of them, each inside the output.
    """
    n, k = check_int("n", n, low=1, high=12), check_int("k", k, low=1, high=5)
    p = check_int("padding", padding, low=0, high=3)
    s, d = (
        check_int("stride", stride, low=1, high=4),
        check_int("dilation", dilation, low=1, high=4),
    )
    size = n + 2 * p
    n_out = (size - d * (k - 1) - 1) // s + 1
    if n_out < 1:
        raise ValueError(f"k must fit the padded input: dilated kernel {d * (k - 1) + 1} > {size}")
    positions = [tuple(ij) for ij in positions]
    inside = all(0 <= i < n_out and 0 <= j < n_out for i, j in positions)
    if not (1 <= len(positions) <= 4 and inside):
        raise ValueError(f"positions must be 1 to 4 cells (i, j) of the {n_out} x {n_out} output")
    x_out, y_out = size + 1.5, (size - n_out) / 2
    ax = canvas(ax, (-0.3, x_out + n_out + 0.3), (-1.3, size + 1.0), scale=0.42)
    _padded_grid(ax, n, p)
    for r, c in np.ndindex(n_out, n_out):
        cell(ax, (x_out + c, y_out + n_out - 1 - r))
    for colour, (i, j) in zip(COLORS, positions, strict=False):
        _window(ax, window_cells(i, j, k, stride=s, dilation=d), size, colour)
        cell(ax, (x_out + j, y_out + n_out - 1 - i), fc=colour, alpha=0.45, text=f"$y_{{{i},{j}}}$")
    text(ax, (size / 2, size + 0.5), rf"padded input $\bar x$: $n = {n}$, $p = {p}$")
    text(ax, (x_out + n_out / 2, y_out + n_out + 0.5), f"output $y$: ${n_out} \\times {n_out}$")
    kernel = f"kernel ${k} \\times {k}$, stride $s = {s}$" + (f", dilation {d}" if d > 1 else "")
    text(ax, ((x_out + n_out) / 2, -0.7), kernel)
    return ax


def _padded_grid(ax: Axes, n: int, p: int) -> None:
    """The n x n input, white, inside a border of p dashed grey cells holding 0."""
    size = n + 2 * p
    for r, c in np.ndindex(size, size):
        pad = not (p <= r < p + n and p <= c < p + n)
        style = dict(fc="0.88", ls="--", text="0") if pad else {}
        cell(ax, (c, size - 1 - r), **style)


def _window(ax: Axes, cells: list[tuple[int, int]], size: int, colour: str) -> None:
    """Fill a window's cells (rows counted from the top) and frame its extent."""
    for r, c in cells:
        cell(ax, (c, size - 1 - r), fc=colour, alpha=0.35, ec=colour)
    rows, cols = zip(*cells, strict=True)
    width, height = max(cols) - min(cols) + 1, max(rows) - min(rows) + 1
    outline(ax, (min(cols), size - 1 - max(rows)), width, height, colour)


def draw_pooling(
    X: np.ndarray,
    *,
    k: int = 2,
    stride: int | None = None,
    mode: str = "max",
    ax: Axes | None = None,
) -> Axes:
    """Pooling of a small 2-D input X: each window in its colour, its maximum circled (max
    pooling), and the output cell it becomes.

    Parameters
    ----------
    X : array, shape (h, w), h and w in [1, 8]
    k : int
        Window side, in [1, min(h, w)].
    stride : int, optional
        In [1, 4]; by default k, as in both frameworks.
    mode : {"max", "avg"}
    """
    X, k, s, mode = _check_pooling(X, k, stride, mode)
    (h, w), ho, wo = X.shape, (X.shape[0] - k) // s + 1, (X.shape[1] - k) // s + 1
    x_out, y_out = w + 2.0, (h - ho) / 2
    ax = canvas(ax, (-0.3, x_out + wo + 0.3), (-1.3, h + 1.0), scale=0.5)
    for i, j in np.ndindex(ho, wo):
        colour, window = COLORS[(i * wo + j) % 4], X[s * i : s * i + k, s * j : s * j + k]
        _window(ax, [(s * i + u, s * j + v) for u, v in np.ndindex(k, k)], h, colour)
        value = f"{window.max() if mode == 'max' else window.mean():.3g}"
        cell(ax, (x_out + j, y_out + ho - 1 - i), fc=colour, alpha=0.45, text=value, fontsize=10)
        if mode == "max":  # circle the first maximum: the input that gets the gradient
            u, v = np.unravel_index(np.argmax(window), window.shape)
            node(ax, (s * j + v + 0.5, h - 0.5 - s * i - u), r=0.3, fc="none", lw=1.2)
    for r, c in np.ndindex(h, w):
        cell(ax, (c, h - 1 - r), fc="none", text=f"{X[r, c]:.3g}", fontsize=10)
    text(ax, (w / 2, h + 0.5), "input")
    text(ax, (x_out + wo / 2, y_out + ho + 0.5), "output")
    name = "max" if mode == "max" else "average"
    text(ax, ((x_out + wo) / 2, -0.7), f"{name} pooling ${k} \\times {k}$, stride {s}")
    arrow(ax, (w + 0.3, h / 2), (x_out - 0.3, h / 2), color=LINE)
    return ax


def _check_pooling(
    X: np.ndarray, k: int, stride: int | None, mode: str
) -> tuple[np.ndarray, int, int, str]:
    X = check_array("X", X, ndim=2)
    if not (1 <= X.shape[0] <= 8 and 1 <= X.shape[1] <= 8):
        raise ValueError(f"X must be at most 8 x 8 to be drawn, got shape {X.shape}")
    k = check_int("k", k, low=1, high=min(X.shape))
    s = check_int("stride", k if stride is None else stride, low=1, high=4)
    return X, k, s, check_choice("mode", mode, ("max", "avg"))


def draw_receptive_field(
    layers: Sequence[Layer], n: int, *, unit: int = 0, ax: Axes | None = None
) -> Axes:
    """One row of units per layer along one image axis, the units that one unit of the
    last layer depends on (blue), and each layer's receptive field.

    Parameters
    ----------
    layers : sequence of (name, k, s, p)
        Kernel size, stride and padding of each convolution or pooling, first layer first.
    n : int
        Input length, in [1, 16].
    unit : int
        The unit of the last layer to follow.
    """
    n = check_int("n", n, low=1, high=16)
    widths, centres, jumps = _geometry(layers, n)
    unit = check_int("unit", unit, low=0, high=widths[-1] - 1)
    cone = _cone(layers, widths, unit)
    sizes = receptive_field_sizes([k for _, k, _, _ in layers], [s for _, _, s, _ in layers])
    pads = [layer[3] for layer in layers] + [0]  # the padding the next layer reads
    right = max(centres[i](widths[i] + pads[i] - 1) + 0.5 * jumps[i] for i in range(len(pads)))
    left = min(centres[i](-pads[i]) - 0.5 * jumps[i] for i in range(len(pads)))
    labels = [f"input: {n} positions"]
    labels += [
        f"{name}\nreceptive field {r}" for (name, *_), r in zip(layers, sizes[1:], strict=True)
    ]
    lines = [line for label in labels for line in label.splitlines()]
    margin = max(text_width(line, SMALL, scale=0.42) for line in lines) + 0.9
    ax = canvas(ax, (left - 0.2, right + margin), (-1.3, len(layers) * 1.5 + 0.8), scale=0.42)
    for i, pad in enumerate(pads):
        for u in range(-pad, widths[i] + pad):
            seen, inside = cone[i][0] <= u <= cone[i][1], 0 <= u < widths[i]
            x = centres[i](u) - 0.42 * jumps[i]
            ax.add_patch(
                _unit(x, i * 1.5, jumps[i], seen, inside, top=(i, u) == (len(layers), unit))
            )
        text(ax, (right + 0.3, i * 1.5 + 0.3), labels[i], ha="left", fontsize=SMALL)
        if i:
            _cone_edges(ax, layers[i - 1], cone[i], widths[i], centres[i - 1 : i + 1], i * 1.5)
    _bracket(ax, centres[0](cone[0][0]), centres[0](cone[0][1]), n, cone[0])
    return ax


def _geometry(layers: Sequence[Layer], n: int) -> tuple[list[int], list[Callable], list[int]]:
    """Widths of the layers, each layer's unit centre (in input positions) as a function
    of the unit's index, and the distances between neighbouring units (jumps)."""
    widths, offsets, jumps = [n], [0.0], [1]
    for i, layer in enumerate(layers):
        if not isinstance(layer, tuple) or len(layer) != 4 or not isinstance(layer[0], str):
            raise TypeError(f"layers[{i}] must be a tuple (name, k, s, p), got {layer!r}")
        k, s = (
            check_int(f"layers[{i}] k", layer[1], low=1),
            check_int(f"layers[{i}] s", layer[2], low=1),
        )
        p = check_int(f"layers[{i}] p", layer[3], low=0, high=k - 1)
        widths.append((widths[-1] + 2 * p - k) // s + 1)
        if widths[-1] < 1:
            raise ValueError(f"layers[{i}] leaves no output of an input of length {widths[-2]}")
        offsets.append(offsets[-1] + ((k - 1) / 2 - p) * jumps[-1])
        jumps.append(jumps[-1] * s)
    centres = [lambda u, o=o, j=j: u * j + o + 0.5 for o, j in zip(offsets, jumps, strict=True)]
    return widths, centres, jumps


def _cone(layers: Sequence[Layer], widths: list[int], unit: int) -> list[tuple[int, int]]:
    """For each layer, the first and last unit (padding indices included) that ``unit`` of
    the last layer reads through the layers above it. Unit u reads units u s - p to
    u s - p + k - 1 of the layer below; a padding unit is a constant and reads nothing."""
    cone = [(unit, unit)]
    for (_, k, s, p), width in zip(reversed(layers), reversed(widths[1:]), strict=True):
        lo, hi = max(cone[0][0], 0), min(cone[0][1], width - 1)
        cone.insert(0, (lo * s - p, hi * s - p + k - 1))
    return cone


def _cone_edges(
    ax: Axes, layer: Layer, seen: tuple[int, int], width: int, centres: Sequence[Callable], y: float
) -> None:
    """Lines from each unit of the cone in the layer at height y to the units it reads."""
    _, k, s, p = layer
    below, above = centres
    for u in range(max(seen[0], 0), min(seen[1], width - 1) + 1):
        for v in range(u * s - p, u * s - p + k):
            ax.plot([above(u), below(v)], [y, y - 0.9], color=BLUE, lw=0.7, zorder=0)


def _bracket(ax: Axes, a: float, b: float, n: int, seen: tuple[int, int]) -> None:
    """A double arrow under the input positions the followed unit depends on."""
    a, b = a - 0.45, b + 0.45
    ax.annotate("", (a, -0.25), (b, -0.25), arrowprops=dict(arrowstyle="<->", color=INK, lw=1))
    count = seen[1] - seen[0] + 1
    padding = count - (min(seen[1], n - 1) - max(seen[0], 0) + 1)
    note = f", {padding} of them padding" if padding else ""
    text(ax, ((a + b) / 2, -0.75), f"{count} input positions{note}", fontsize=SMALL)


def _unit(x: float, y: float, jump: int, seen: bool, inside: bool, top: bool) -> Rectangle:
    """One unit: blue if the followed unit depends on it, dashed if it is padding."""
    return Rectangle(
        (x, y),
        0.84 * jump,
        0.6,
        fc=BLUE if seen else "white",
        alpha=1.0 if top or not seen else 0.35,
        ec=INK if inside else "0.5",
        ls="-" if inside else "--",
        lw=1.6 if top else 0.8,
    )
