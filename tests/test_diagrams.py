"""Tests of helpers.diagrams: every diagram draws where it is told, refuses bad arguments,
keeps its text legible, and what a diagram computes agrees with a direct calculation."""

from __future__ import annotations

import itertools

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.axes import Axes  # noqa: E402
from matplotlib.patches import Circle  # noqa: E402

from helpers import diagrams  # noqa: E402
from helpers._diagrams_conv import _cone, _geometry  # noqa: E402
from helpers.diagrams import (  # noqa: E402
    draw_attention,
    draw_computational_graph,
    draw_conv_window,
    draw_data_parallel,
    draw_gan_loop,
    draw_gru_cell,
    draw_lstm_cell,
    draw_mlp,
    draw_neuron,
    draw_pooling,
    draw_receptive_field,
    draw_residual_block,
    draw_rnn_unrolled,
    draw_transformer_block,
    receptive_field_sizes,
    window_cells,
)
from helpers.plotting import use_book_style  # noqa: E402

# The scalar graph of 02_concepts/computational_graphs, with its numbers.
NODES = {
    "w": ("$w$", (0.0, 1.4)),
    "x": ("$x$", (0.0, 0.0)),
    "b": ("$b$", (0.0, -1.4)),
    "z": ("$z = wx + b$", (2.6, 0.0)),
    "a": (r"$a = \sigma(z)$", (5.0, 0.0)),
    "y": ("$y$", (5.0, -1.5)),
    "r": ("$r = a - y$", (7.3, 0.0)),
    "L": ("$L = r^2$", (9.4, 0.0)),
}
EDGES = [("w", "z"), ("x", "z"), ("b", "z"), ("z", "a"), ("a", "r"), ("y", "r"), ("r", "L")]
VALUES = {"w": 0.5, "x": 2.0, "b": -0.5, "z": 0.5, "a": 0.6225, "y": 1.0, "r": -0.3775, "L": 0.1425}
GRADS = {"w": -0.3548, "b": -0.1774, "z": -0.1774, "a": -0.755, "r": -0.755, "L": 1.0}
CNN = [("conv1", 3, 1, 1), ("pool1", 2, 2, 0), ("conv2", 3, 1, 1), ("pool2", 2, 2, 0)]
POOL_X = np.array([[1, 3, 2, 0], [4, 2, 1, 5], [0, 1, 3, 2], [2, 6, 1, 1]])

# Each diagram with small valid arguments, drawing on `ax`.
DIAGRAMS = {
    "neuron": lambda ax: draw_neuron(3, ax=ax),
    "mlp": lambda ax: draw_mlp([4, 8, 6, 3], ax=ax),
    "graph": lambda ax: draw_computational_graph(NODES, EDGES, ax=ax),
    "graph_numbers": lambda ax: draw_computational_graph(
        NODES, EDGES, values=VALUES, grads=GRADS, data=("x", "y"), ax=ax
    ),
    "conv_window": lambda ax: draw_conv_window(
        5, 3, padding=1, stride=2, positions=[(0, 0), (0, 1)], ax=ax
    ),
    "conv_dilated": lambda ax: draw_conv_window(7, 3, dilation=2, ax=ax),
    "pooling": lambda ax: draw_pooling(POOL_X, ax=ax),
    "receptive_field": lambda ax: draw_receptive_field(CNN, 12, unit=1, ax=ax),
    "rnn_unrolled": lambda ax: draw_rnn_unrolled(4, ax=ax),
    "lstm": lambda ax: draw_lstm_cell(ax=ax),
    "gru": lambda ax: draw_gru_cell(ax=ax),
    "gan": lambda ax: draw_gan_loop(ax=ax),
    "gan_k5": lambda ax: draw_gan_loop(5, ax=ax),
    "data_parallel": lambda ax: draw_data_parallel(2, ax=ax),
    "attention": lambda ax: draw_attention(ax=ax),
    "attention_causal": lambda ax: draw_attention("causal", ax=ax),
    "attention_no_mask": lambda ax: draw_attention("none", ax=ax),
    "transformer_block": lambda ax: draw_transformer_block(ax=ax),
    "transformer_block_post_norm": lambda ax: draw_transformer_block(False, ax=ax),
    "residual_block": lambda ax: draw_residual_block(ax=ax),
    "residual_block_pre_activation": lambda ax: draw_residual_block("pre-activation", ax=ax),
}


@pytest.fixture
def ax() -> Axes:
    _, ax = plt.subplots(figsize=(6, 4))
    return ax


def texts(ax: Axes) -> list[str]:
    return [t.get_text() for t in ax.texts]


# --- every diagram: ax=None -> new figure, ax given -> that axes ----------------------------


def test_the_module_lists_every_diagram():
    drawn = {f for f in diagrams.__all__ if f.startswith("draw_")}
    assert len(drawn) == 14 and all(callable(getattr(diagrams, f)) for f in diagrams.__all__)


@pytest.mark.parametrize("draw", DIAGRAMS.values(), ids=DIAGRAMS.keys())
def test_without_ax_a_new_figure_is_drawn_and_its_axes_returned(draw):
    before = plt.get_fignums()
    result = draw(None)
    assert isinstance(result, Axes)
    assert result.figure.number not in before
    assert result.patches and result.texts


@pytest.mark.parametrize("draw", DIAGRAMS.values(), ids=DIAGRAMS.keys())
def test_with_ax_the_diagram_draws_on_that_very_axes(draw, ax):
    n_figures = len(plt.get_fignums())
    assert draw(ax) is ax
    assert len(plt.get_fignums()) == n_figures
    assert ax.patches and ax.texts and not ax.axison


@pytest.mark.parametrize("draw", DIAGRAMS.values(), ids=DIAGRAMS.keys())
@pytest.mark.parametrize("bad_ax", ["ax", 1, plt])
def test_an_ax_that_is_not_an_axes_is_rejected_naming_ax(draw, bad_ax):
    with pytest.raises(TypeError, match="ax"):
        draw(bad_ax)


@pytest.mark.parametrize("draw", DIAGRAMS.values(), ids=DIAGRAMS.keys())
def test_a_new_figure_fits_the_book_and_its_text_is_legible(draw):
    with matplotlib.rc_context():
        use_book_style()
        ax = draw(None)
    width, height = ax.figure.get_size_inches()
    assert width <= 9 and height <= 6
    assert min(t.get_fontsize() for t in ax.texts) >= 9


@pytest.mark.parametrize("draw", DIAGRAMS.values(), ids=DIAGRAMS.keys())
def test_no_two_labels_overlap(draw):
    ax = draw(None)
    ax.figure.canvas.draw()
    renderer = ax.figure.canvas.get_renderer()
    boxes = [(t.get_text(), t.get_window_extent(renderer)) for t in ax.texts if t.get_text()]
    clashes = [
        (s, t)
        for (s, a), (t, b) in itertools.combinations(boxes, 2)
        if a.shrunk(0.9, 0.8).overlaps(b)
    ]
    assert not clashes


# --- bad arguments are refused, naming the argument -------------------------------------------


@pytest.mark.parametrize(
    ("draw", "error", "name"),
    [
        (lambda: draw_neuron(0), ValueError, "n_inputs"),
        (lambda: draw_neuron(2.0), TypeError, "n_inputs"),
        (lambda: draw_mlp([4]), ValueError, "sizes"),
        (lambda: draw_mlp([4, 0, 3]), ValueError, "sizes"),
        (lambda: draw_mlp([4, 13]), ValueError, "sizes"),
        (lambda: draw_mlp("48"), TypeError, "sizes"),
        (lambda: draw_mlp([4, 3], names=["$X$"]), ValueError, "names"),
        (lambda: draw_computational_graph({}, []), TypeError, "nodes"),
        (lambda: draw_computational_graph(NODES, [("w", "q")]), ValueError, "edges"),
        (lambda: draw_computational_graph(NODES, EDGES, data=["q"]), ValueError, "data"),
        (lambda: draw_computational_graph(NODES, EDGES, values={"q": 1.0}), ValueError, "values"),
        (lambda: draw_computational_graph(NODES, EDGES, grads={"w": np.nan}), ValueError, "grads"),
        (lambda: draw_conv_window(0, 3), ValueError, "n"),
        (lambda: draw_conv_window(5, 6), ValueError, "k"),
        (lambda: draw_conv_window(5, 3, dilation=3), ValueError, "k must fit"),
        (lambda: draw_conv_window(5, 3, padding=-1), ValueError, "padding"),
        (lambda: draw_conv_window(5, 3, stride=0), ValueError, "stride"),
        (lambda: draw_conv_window(5, 3, stride=1.5), TypeError, "stride"),
        (lambda: draw_conv_window(5, 3, positions=[(3, 0)]), ValueError, "positions"),
        (lambda: draw_conv_window(5, 3, positions=[]), ValueError, "positions"),
        (lambda: draw_pooling(np.zeros(4)), ValueError, "X"),
        (lambda: draw_pooling(np.zeros((9, 4))), ValueError, "X"),
        (lambda: draw_pooling([["a"]]), TypeError, "X"),
        (lambda: draw_pooling(POOL_X, k=5), ValueError, "k"),
        (lambda: draw_pooling(POOL_X, stride=0), ValueError, "stride"),
        (lambda: draw_pooling(POOL_X, mode="min"), ValueError, "mode"),
        (lambda: draw_receptive_field(CNN, 0), ValueError, "n"),
        (lambda: draw_receptive_field(CNN, 12, unit=3), ValueError, "unit"),
        (lambda: draw_receptive_field([(3, 1, 1)], 8), TypeError, "layers"),
        (lambda: draw_receptive_field([("c", 3, 0, 1)], 8), ValueError, "layers"),
        (lambda: draw_receptive_field([("c", 3, 1, 3)], 8), ValueError, "layers"),
        (lambda: draw_receptive_field([("c", 5, 1, 0)], 4), ValueError, "layers"),
        (lambda: draw_rnn_unrolled(1), ValueError, "steps"),
        (lambda: draw_rnn_unrolled(7), ValueError, "steps"),
        (lambda: draw_gan_loop(0), ValueError, "k"),
        (lambda: draw_gan_loop(2.0), TypeError, "k"),
        (lambda: draw_data_parallel(1), ValueError, "n_workers"),
        (lambda: draw_data_parallel(5), ValueError, "n_workers"),
        (lambda: draw_attention("future"), ValueError, "mask"),
        (lambda: draw_attention(None), TypeError, "mask"),
        (lambda: draw_transformer_block(1), TypeError, "norm_first"),
        (lambda: draw_residual_block("post-activation"), ValueError, "variant"),
        (lambda: draw_residual_block(None), TypeError, "variant"),
        (lambda: window_cells(-1, 0, 3), ValueError, "i"),
        (lambda: window_cells(0, 0, 3, dilation=0), ValueError, "dilation"),
        (lambda: receptive_field_sizes([3, 3], [1]), ValueError, "kernels and strides"),
        (lambda: receptive_field_sizes([3], [0]), ValueError, "strides"),
    ],
)
def test_bad_arguments_are_rejected_naming_the_argument(draw, error, name):
    with pytest.raises(error, match=name):
        draw()


# --- what the diagrams compute ------------------------------------------------------------


@pytest.mark.parametrize(
    ("n", "k", "padding", "stride", "dilation"),
    [(5, 3, 1, 2, 1), (7, 3, 0, 1, 2), (6, 2, 1, 3, 1), (8, 3, 2, 2, 3), (4, 1, 0, 1, 1)],
)
def test_window_cells_are_the_cells_a_convolution_reads(n, k, padding, stride, dilation):
    """One input cell at a time set to 1, kernel weight (u, v) equal to 1 + u k + v: output
    (i, j) of torch's convolution is then the number of the kernel entry that read the cell."""
    import torch
    import torch.nn.functional as F

    kernel = torch.arange(1.0, k * k + 1, dtype=torch.float64).reshape(1, 1, k, k)
    for r, c in np.ndindex(n, n):
        x = torch.zeros((1, 1, n, n), dtype=torch.float64)
        x[0, 0, r, c] = 1.0
        y = F.conv2d(x, kernel, stride=stride, padding=padding, dilation=dilation)[0, 0]
        for i, j in np.ndindex(*y.shape):
            cells = window_cells(i, j, k, stride=stride, dilation=dilation)
            expected = (
                cells.index((r + padding, c + padding)) + 1
                if (r + padding, c + padding) in cells
                else 0
            )
            assert y[i, j].item() == expected, (r, c, i, j)


def test_window_cells_of_each_output_stay_inside_the_padded_input():
    n, k, p, s, d = 5, 3, 1, 2, 1
    n_out = (n + 2 * p - d * (k - 1) - 1) // s + 1
    for i, j in np.ndindex(n_out, n_out):
        cells = window_cells(i, j, k, stride=s, dilation=d)
        assert len(set(cells)) == k * k
        assert all(0 <= r < n + 2 * p and 0 <= c < n + 2 * p for r, c in cells)


def dependence(layers, n, unit):
    """The input positions (padding excluded) that ``unit`` of the last layer depends on,
    by brute force: each unit's set is the union of the sets of the units it reads; a
    padding unit is a constant zero and depends on nothing."""
    sets = [{i} for i in range(n)]
    for _, k, s, p in layers:
        padded = [set()] * p + sets + [set()] * p
        width = (len(padded) - k) // s + 1
        sets = [set().union(*padded[u * s : u * s + k]) for u in range(width)]
    return sets[unit]


def random_layers(rng, depth):
    return [("l", int(rng.integers(1, 5)), int(rng.integers(1, 4)), 0) for _ in range(depth)]


@pytest.mark.parametrize("seed", range(20))
def test_receptive_field_formula_is_the_span_of_brute_force_dependence(seed):
    rng = np.random.default_rng(seed)
    layers = random_layers(rng, int(rng.integers(1, 6)))
    sizes = receptive_field_sizes([k for _, k, _, _ in layers], [s for _, _, s, _ in layers])
    for depth in range(1, len(layers) + 1):
        seen = dependence(layers[:depth], 200, unit=1)
        assert max(seen) - min(seen) + 1 == sizes[depth]
    assert sizes[0] == 1


def test_receptive_fields_of_the_cnn_chapter_grow_3_4_8_10():
    assert receptive_field_sizes([3, 2, 3, 2], [1, 2, 1, 2]) == [1, 3, 4, 8, 10]


@pytest.mark.parametrize(("n", "unit"), [(12, 0), (12, 1), (12, 2), (8, 0), (8, 1), (16, 2)])
def test_the_drawn_cone_is_the_brute_force_dependence(n, unit):
    widths, _, _ = _geometry(CNN, n)
    lo, hi = _cone(CNN, widths, unit)[0]
    seen = dependence(CNN, n, unit)
    assert (max(lo, 0), min(hi, n - 1)) == (min(seen), max(seen))


def test_receptive_field_diagram_counts_the_input_positions_of_the_unit(ax):
    draw_receptive_field(CNN, 12, unit=1, ax=ax)
    assert "10 input positions" in texts(ax)  # away from the border: the formula
    assert "pool2\nreceptive field 10" in texts(ax)
    plt.close("all")
    _, ax = plt.subplots()
    draw_receptive_field(CNN, 8, unit=0, ax=ax)
    assert "8 input positions, 1 of them padding" in texts(ax)


def test_pooling_diagram_shows_the_pooled_values(ax):
    draw_pooling(POOL_X, ax=ax)
    expected = POOL_X.reshape(2, 2, 2, 2).max(axis=(1, 3)).ravel()
    assert [float(t) for t in texts(ax)[:4]] == list(expected)  # outputs first, row by row
    circles = [p for p in ax.patches if isinstance(p, Circle)]
    centres = sorted((round(c.center[0] - 0.5), round(3.5 - c.center[1])) for c in circles)
    argmax = sorted((c, r) for r, c in [(1, 0), (1, 3), (3, 1), (2, 2)])  # (column, row)
    assert centres == argmax


def test_average_pooling_diagram_shows_window_means(ax):
    draw_pooling(POOL_X, mode="avg", ax=ax)
    expected = POOL_X.reshape(2, 2, 2, 2).mean(axis=(1, 3)).ravel()
    np.testing.assert_allclose([float(t) for t in texts(ax)[:4]], expected, rtol=1e-2)
    assert not [p for p in ax.patches if isinstance(p, Circle)]


def test_conv_window_labels_the_output_cell_of_each_window(ax):
    draw_conv_window(5, 3, padding=1, stride=2, positions=[(0, 0), (1, 2)], ax=ax)
    assert {"$y_{0,0}$", "$y_{1,2}$"} <= set(texts(ax))
    assert "output $y$: $3 \\times 3$" in texts(ax)


def test_graph_shows_the_values_above_and_the_derivatives_below(ax):
    draw_computational_graph(NODES, EDGES, values=VALUES, grads=GRADS, data=("x", "y"), ax=ax)
    shown = [(t.get_text(), *t.get_position()) for t in ax.texts]
    for name, (_, (x, y)) in NODES.items():
        above = [s for s, tx, ty in shown if tx == x and y < ty < y + 0.8]
        below = [s for s, tx, ty in shown if tx == x and y - 0.8 < ty < y]
        assert above == [f"{VALUES[name]:.4f}"]
        grad = [rf"$\mathrm{{d}}{name}$ = {GRADS[name]:.4f}"] if name in GRADS else []
        assert below == grad


def test_mlp_draws_one_circle_per_unit_and_one_edge_per_weight(ax):
    sizes = [4, 8, 6, 3]
    draw_mlp(sizes, ax=ax)
    assert sum(isinstance(p, Circle) for p in ax.patches) == sum(sizes)
    assert len(ax.lines) == 4 * 8 + 8 * 6 + 6 * 3
    assert len([line for line in ax.lines if line.get_linewidth() > 1]) == 4  # into one unit


def test_cells_are_labelled_with_the_chapter_symbols(ax):
    draw_lstm_cell(ax=ax)
    assert {"$f_t$", "$i_t$", "$g_t$", "$o_t$", "$c_t$", "$h_t$", "$c_{t-1}$"} <= set(texts(ax))
    ax.clear()
    draw_gru_cell(ax=ax)
    assert {"$r_t$", "$z_t$", "$n_t$", "$h_t$", "$h_{t-1}$"} <= set(texts(ax))
    ax.clear()
    draw_rnn_unrolled(4, ax=ax)
    assert {"$h_0$", "$h_1$", "$h_T$", "$x_T$", r"$\hat y_T$"} <= set(texts(ax))


def test_gan_loop_shows_k_discriminator_steps_per_generator_step(ax):
    draw_gan_loop(ax=ax)
    labels = texts(ax)
    assert r"$\times$ $k$" in labels
    assert any(t.startswith("2. $k$ steps on $D$") for t in labels)
    assert any(t.startswith("3. one step on $G$") for t in labels)
    for k, steps in [(1, "2. 1 step on $D$"), (5, "2. 5 steps on $D$")]:
        ax.clear()
        draw_gan_loop(k, ax=ax)
        assert rf"$\times$ {k}" in texts(ax)
        assert any(t.startswith(steps) for t in texts(ax))


def test_data_parallel_draws_one_worker_per_replica(ax):
    draw_data_parallel(3, ax=ax)
    assert [t for t in texts(ax) if t.startswith("worker")] == [
        f"worker {k}\nreplica of " + r"$\mathbf{w}$" for k in (1, 2, 3)
    ]


def test_attention_diagram_shows_the_mask_step_only_when_asked(ax):
    draw_attention("causal", ax=ax)
    assert {"$Q$", "$K$", "$V$", "mask", "causal", "softmax", "$AV$"} <= set(texts(ax))
    ax.clear()
    draw_attention("none", ax=ax)
    assert "mask" not in texts(ax) and "softmax" in texts(ax)


@pytest.mark.parametrize(
    ("norm_first", "order"),
    [
        (True, ["LN", "MHA", "$+$", "LN", "MLP", "$+$"]),
        (False, ["MHA", "$+$", "LN", "MLP", "$+$", "LN"]),
    ],
)
def test_transformer_block_puts_the_norm_before_or_after_each_residual_sum(norm_first, order, ax):
    draw_transformer_block(norm_first, ax=ax)
    steps = sorted(
        (t.get_position()[0], t.get_text())
        for t in ax.texts
        if t.get_text() in {"LN", "MHA", "MLP", "$+$"}
    )
    assert [s for _, s in steps] == order
    assert texts(ax).count("residual") == 2
