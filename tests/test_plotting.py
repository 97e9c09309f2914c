"""Tests of helpers.plotting: the book style, and what each plot draws on which Axes."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.axes import Axes  # noqa: E402
from matplotlib.collections import PathCollection  # noqa: E402
from matplotlib.colors import to_hex, to_rgba  # noqa: E402
from matplotlib.contour import ContourSet  # noqa: E402

from helpers import plotting  # noqa: E402
from helpers.plotting import (  # noqa: E402
    COLORS,
    plot_contours,
    plot_decision_boundary,
    plot_image_grid,
    plot_loss_curves,
    plot_path,
    use_book_style,
)

# Two classes split by the line x1 = 0.5, and a predict that knows it.
X = np.array([[-1.0, 0.0], [0.0, 1.0], [-0.5, -1.0], [1.0, 0.5], [2.0, -0.5], [1.5, 1.0]])
Y = np.array([0, 0, 0, 1, 1, 1])
PATH = np.array([[2.0, 1.0], [1.0, 0.5], [0.5, 0.2], [0.1, 0.05]])


def predict(points: np.ndarray) -> np.ndarray:
    return (points[:, 0] > 0.5).astype(int)


def quadratic(w0: np.ndarray, w1: np.ndarray) -> np.ndarray:
    return w0**2 + 4 * w1**2


# Each plotting function with small valid arguments, drawing on `ax`.
PLOTS = {
    "loss_curves": lambda ax: plot_loss_curves([3.0, 2.0, 1.0], ax=ax),
    "decision_boundary": lambda ax: plot_decision_boundary(predict, X, Y, ax=ax, resolution=20),
    "image_grid": lambda ax: plot_image_grid(np.zeros((3, 4, 4)), ax=ax),
    "contours": lambda ax: plot_contours(quadratic, (-2, 2), (-1, 1), ax=ax, levels=5),
    "path": lambda ax: plot_path(PATH, ax=ax),
}


@pytest.fixture
def ax() -> Axes:
    _, ax = plt.subplots(figsize=(3, 2))
    return ax


# --- the book style ----------------------------------------------------------------------


def test_use_book_style_sets_the_okabe_ito_colour_cycle():
    with matplotlib.rc_context():
        use_book_style()
        colors = matplotlib.rcParams["axes.prop_cycle"].by_key()["color"]
        assert [to_hex(c) for c in colors] == [c.lower() for c in COLORS]
        assert matplotlib.rcParams["axes.spines.top"] is False


def test_use_book_style_colours_new_lines_in_palette_order():
    with matplotlib.rc_context():
        use_book_style()
        _, ax = plt.subplots()
        lines = [ax.plot([0, 1])[0] for _ in range(3)]
        assert [to_hex(line.get_color()) for line in lines] == [c.lower() for c in COLORS[:3]]


def test_okabe_ito_palette_has_eight_distinct_colours():
    assert len(set(COLORS)) == len(COLORS) == 8


# --- every plot: ax=None -> new Axes, ax given -> that Axes --------------------------------


@pytest.mark.parametrize("plot", PLOTS.values(), ids=PLOTS.keys())
def test_without_ax_a_new_axes_is_created_and_returned(plot):
    before = plt.get_fignums()
    result = plot(None)
    assert isinstance(result, Axes)
    assert result.figure.number not in before


@pytest.mark.parametrize("plot", PLOTS.values(), ids=PLOTS.keys())
def test_with_ax_the_plot_draws_on_that_very_axes(plot, ax):
    n_figures = len(plt.get_fignums())
    assert plot(ax) is ax
    assert len(plt.get_fignums()) == n_figures
    assert ax.has_data() or ax.images


@pytest.mark.parametrize("plot", PLOTS.values(), ids=PLOTS.keys())
@pytest.mark.parametrize("bad_ax", ["ax", 1, plt])
def test_an_ax_that_is_not_an_axes_is_rejected_naming_ax(plot, bad_ax):
    with pytest.raises(TypeError, match="ax"):
        plot(bad_ax)


# --- plot_loss_curves --------------------------------------------------------------------


def test_loss_curves_from_a_dict_draw_one_labelled_line_each(ax):
    curves = {"train": [3.0, 2.0, 1.5], "test": [3.5, 2.5, 2.0]}
    plot_loss_curves(curves, ax=ax)
    assert [line.get_label() for line in ax.get_lines()] == ["train", "test"]
    np.testing.assert_array_equal(ax.get_lines()[1].get_ydata(), curves["test"])
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["train", "test"]


def test_one_loss_curve_is_plotted_against_step_without_a_legend(ax):
    plot_loss_curves(np.array([4.0, 2.0, 1.0, 0.5]), ax=ax)
    (line,) = ax.get_lines()
    np.testing.assert_array_equal(line.get_xdata(), [0, 1, 2, 3])
    np.testing.assert_array_equal(line.get_ydata(), [4.0, 2.0, 1.0, 0.5])
    assert ax.get_legend() is None
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("step", "loss")


def test_non_finite_losses_are_left_out_and_steps_kept(ax):
    plot_loss_curves({"diverged": [1.0, np.nan, 4.0, np.inf, -np.inf, 2.0]}, ax=ax)
    (line,) = ax.get_lines()
    np.testing.assert_array_equal(line.get_xdata(), [0, 2, 5])
    np.testing.assert_array_equal(line.get_ydata(), [1.0, 4.0, 2.0])


@pytest.mark.parametrize(("logy", "scale"), [(True, "log"), (False, "linear")])
def test_logy_sets_the_y_scale(ax, logy, scale):
    plot_loss_curves([1.0, 0.1, 0.01], ax=ax, logy=logy)
    assert ax.get_yscale() == scale


def test_loss_curves_take_axis_labels(ax):
    plot_loss_curves([1.0, 0.5], ax=ax, xlabel="epoch", ylabel="MSE")
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("epoch", "MSE")


def test_a_two_dimensional_curve_is_rejected_naming_curves(ax):
    with pytest.raises(ValueError, match="curves"):
        plot_loss_curves({"train": [[1.0, 2.0], [3.0, 4.0]]}, ax=ax)


# --- plot_decision_boundary ----------------------------------------------------------------


def test_decision_boundary_colours_the_points_of_each_class(ax):
    plot_decision_boundary(predict, X, Y, ax=ax, resolution=20)
    points = [c for c in ax.collections if isinstance(c, PathCollection)]
    assert len(points) == 2
    for k, collection in enumerate(points):
        np.testing.assert_array_equal(collection.get_offsets(), X[Y == k])
        np.testing.assert_allclose(collection.get_facecolor()[0], to_rgba(COLORS[k]))
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["class 0", "class 1"]


def test_decision_boundary_shades_each_region_in_its_class_colour(ax):
    plot_decision_boundary(predict, X, Y, ax=ax, resolution=50)
    (regions,) = [c for c in ax.collections if isinstance(c, ContourSet)]
    np.testing.assert_allclose(regions.get_facecolor()[:, :3], [to_rgba(c)[:3] for c in COLORS[:2]])
    class0, class1 = regions.get_paths()
    assert class0.contains_point((-1.0, 0.0)) and not class0.contains_point((1.5, 0.0))
    assert class1.contains_point((1.5, 0.0)) and not class1.contains_point((-1.0, 0.0))


@pytest.mark.parametrize("n_classes", [3, 8, 10])
def test_each_region_is_shaded_in_the_colour_of_its_points(ax, n_classes):
    X_line = np.c_[np.arange(n_classes, dtype=float), np.zeros(n_classes)]  # class k at x1 = k

    def nearest(points):
        return np.clip(np.rint(points[:, 0]), 0, n_classes - 1).astype(int)

    plot_decision_boundary(nearest, X_line, np.arange(n_classes), ax=ax, resolution=50)
    (regions,) = [c for c in ax.collections if isinstance(c, ContourSet)]
    points = [c for c in ax.collections if isinstance(c, PathCollection)]
    assert [to_hex(c) for c in regions.get_facecolor()] == [
        to_hex(c.get_facecolor()[0]) for c in points
    ]


def test_decision_boundary_grid_spans_the_data_plus_margin(ax):
    seen = []

    def recording_predict(points):
        seen.append(points)
        return predict(points)

    plot_decision_boundary(recording_predict, X, Y, ax=ax, resolution=12, margin=0.25)
    (points,) = seen
    assert points.shape == (12 * 12, 2)
    np.testing.assert_allclose(points.min(axis=0), X.min(axis=0) - 0.25)
    np.testing.assert_allclose(points.max(axis=0), X.max(axis=0) + 0.25)


@pytest.mark.parametrize(
    ("kwargs", "error", "name"),
    [
        (dict(X=np.zeros((6, 3))), ValueError, "X"),
        (dict(X=np.zeros(6)), ValueError, "X"),
        (dict(y=Y[:-1]), ValueError, "y"),
        (dict(resolution=5), ValueError, "resolution"),
        (dict(resolution=20.0), TypeError, "resolution"),
        (dict(predict="predict"), TypeError, "predict"),
    ],
)
def test_decision_boundary_rejects_bad_input_naming_the_argument(ax, kwargs, error, name):
    args = dict(predict=predict, X=X, y=Y, resolution=20) | kwargs
    with pytest.raises(error, match=name):
        plot_decision_boundary(args.pop("predict"), args.pop("X"), args.pop("y"), ax=ax, **args)


# --- plot_image_grid ----------------------------------------------------------------------


IMAGES = np.arange(5 * 4 * 3, dtype=float).reshape(5, 4, 3)  # (n, h, w), all different


@pytest.mark.parametrize(
    "images", [IMAGES, IMAGES[..., None], IMAGES[:, None]], ids=["nhw", "nhw1", "n1hw"]
)
def test_image_grid_accepts_each_layout_and_tiles_the_same_mosaic(ax, images):
    plot_image_grid(images, ax=ax, ncols=2)
    (image,) = ax.get_images()
    mosaic = np.ma.filled(image.get_array(), np.nan)
    assert mosaic.shape == (3 * 4 + 2, 2 * 3 + 1)  # 3 rows, 2 columns, padding 1
    np.testing.assert_array_equal(mosaic[:4, :3], IMAGES[0])
    np.testing.assert_array_equal(mosaic[:4, 4:], IMAGES[1])
    np.testing.assert_array_equal(mosaic[10:, :3], IMAGES[4])
    assert np.isnan(mosaic[10:, 4:]).all()  # no sixth image


def test_image_grid_puts_one_text_per_label(ax):
    plot_image_grid(IMAGES, labels=[7, 1, "7→1", 3, 0], ax=ax, ncols=3)
    assert [t.get_text() for t in ax.texts] == ["7", "1", "7→1", "3", "0"]


def test_image_grid_without_labels_has_no_text_and_no_axis(ax):
    plot_image_grid(IMAGES, ax=ax)
    assert len(ax.texts) == 0
    assert not ax.axison


@pytest.mark.parametrize(
    ("kwargs", "error", "name"),
    [
        (dict(images=np.zeros((8, 8))), ValueError, "images"),
        (dict(images=np.zeros((0, 4, 4))), ValueError, "images"),
        (dict(images=np.zeros((2, 3, 4, 4))), ValueError, "images"),
        (dict(labels=["a", "b"]), ValueError, "labels"),
        (dict(ncols=0), ValueError, "ncols"),
        (dict(ncols=51), ValueError, "ncols"),
        (dict(ncols=2.0), TypeError, "ncols"),
    ],
)
def test_image_grid_rejects_bad_input_naming_the_argument(ax, kwargs, error, name):
    args = dict(images=IMAGES) | kwargs
    with pytest.raises(error, match=name):
        plot_image_grid(args.pop("images"), ax=ax, **args)


# --- plot_contours and plot_path -----------------------------------------------------------


def test_contours_draw_the_requested_number_of_geometric_levels(ax):
    plot_contours(quadratic, (-2, 2), (-1, 1), ax=ax, levels=7)
    (contours,) = [c for c in ax.collections if isinstance(c, ContourSet)]
    assert len(contours.levels) == 7
    ratios = contours.levels[1:] / contours.levels[:-1]
    np.testing.assert_allclose(ratios, ratios[0])
    assert contours.levels[-1] == pytest.approx(8.0)  # f(±2, ±1)
    assert (ax.get_xlim(), ax.get_ylim()) == ((-2.0, 2.0), (-1.0, 1.0))


def test_contours_with_log_false_space_levels_linearly(ax):
    plot_contours(quadratic, (-2, 2), (-1, 1), ax=ax, levels=5, log=False)
    (contours,) = [c for c in ax.collections if isinstance(c, ContourSet)]
    steps = np.diff(contours.levels)
    np.testing.assert_allclose(steps, steps[0])


@pytest.mark.parametrize(
    ("kwargs", "error", "name"),
    [
        (dict(levels=1), ValueError, "levels"),
        (dict(levels=201), ValueError, "levels"),
        (dict(f="quadratic"), TypeError, "f"),
    ],
)
def test_contours_reject_bad_input_naming_the_argument(ax, kwargs, error, name):
    args = dict(f=quadratic) | kwargs
    with pytest.raises(error, match=name):
        plot_contours(args.pop("f"), (-2, 2), (-1, 1), ax=ax, **args)


def test_path_draws_the_trajectory_and_start_and_end_markers(ax):
    plot_path(PATH, ax=ax)
    trajectory, start, end = ax.get_lines()
    np.testing.assert_array_equal(trajectory.get_xydata(), PATH)
    np.testing.assert_array_equal(start.get_xydata(), [PATH[0]])
    np.testing.assert_array_equal(end.get_xydata(), [PATH[-1]])
    assert start.get_marker() == end.get_marker() == "o"
    assert to_hex(start.get_markerfacecolor()) == "#ffffff"  # start hollow, end filled
    assert to_hex(end.get_markerfacecolor()) == to_hex(trajectory.get_color())


def test_path_with_a_label_and_colour_shows_them(ax):
    plot_path(PATH, ax=ax, label="SGD", color=COLORS[3])
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["SGD"]
    assert {to_hex(line.get_color()) for line in ax.get_lines()} == {COLORS[3].lower()}


@pytest.mark.parametrize("path", [np.zeros((5, 3)), np.zeros(5), np.zeros((2, 5, 2))])
def test_path_of_the_wrong_shape_is_rejected_naming_path(ax, path):
    with pytest.raises(ValueError, match="path"):
        plot_path(path, ax=ax)


def test_module_exposes_the_style_it_applies():
    assert plotting.BOOK_STYLE["axes.prop_cycle"].by_key()["color"] == list(COLORS)


@pytest.mark.parametrize(
    ("f", "log", "message"),
    [
        (lambda a, b: a * 0 + 1.0, True, "constant"),
        (lambda a, b: a**2 - b**2, True, "log=True needs f >= 0"),
    ],
)
def test_plot_contours_rejects_surfaces_it_cannot_draw(ax, f, log, message):
    with pytest.raises(ValueError, match=message):
        plot_contours(f, (-1.0, 1.0), (-1.0, 1.0), ax=ax, log=log)


def test_plot_contours_draws_signed_surfaces_on_a_linear_scale(ax):
    plot_contours(lambda a, b: a**2 - b**2, (-1.0, 1.0), (-1.0, 1.0), ax=ax, log=False)
    assert ax.collections
