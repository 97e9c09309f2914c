"""The book's figure style in one place, and the plots the chapters share.

Every plotting function takes ``ax=None`` (meaning: draw on a new figure) and returns the
axes it drew on, so a chapter can compose figures with ``plt.subplots`` and add to them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes

from helpers._validate import check_array, check_int

# Okabe & Ito's palette: distinguishable with every common form of colour blindness.
COLORS = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000")

BOOK_STYLE = {
    "axes.prop_cycle": mpl.cycler(color=COLORS),
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.titlesize": 11,
    "axes.labelsize": 10,
    "legend.fontsize": 9,
    "legend.frameon": False,
    "xtick.labelsize": 9,
    "ytick.labelsize": 9,
    "figure.figsize": (6.0, 3.6),
    "figure.dpi": 100,
    "figure.constrained_layout.use": True,
    "image.cmap": "viridis",
    "savefig.bbox": "tight",
    "svg.fonttype": "none",  # text stays text in SVG: smaller files, selectable labels
}


def use_book_style() -> None:
    """Apply the book's matplotlib style; in a notebook, also draw figures as SVG."""
    mpl.rcParams.update(BOOK_STYLE)
    try:
        from IPython import get_ipython
    except ImportError:  # plain Python: nothing more to set
        return
    if get_ipython() is not None:
        from matplotlib_inline.backend_inline import set_matplotlib_formats

        set_matplotlib_formats("svg")


def _axes(ax: Axes | None, figsize: tuple[float, float] | None = None) -> Axes:
    if ax is None:
        _, ax = plt.subplots(figsize=figsize)
    elif not isinstance(ax, Axes):
        raise TypeError(f"ax must be a matplotlib Axes or None, got {type(ax).__name__}")
    return ax


def plot_loss_curves(
    curves: Mapping[str, Sequence[float]] | Sequence[float],
    *,
    ax: Axes | None = None,
    logy: bool = False,
    xlabel: str = "step",
    ylabel: str = "loss",
) -> Axes:
    """Plot one loss curve, or several given as ``{label: values}``.

    Parameters
    ----------
    curves : sequence of float, shape (n_steps,), or mapping label -> sequence
        Non-finite values (a diverged run) are left out of the plot.
    logy : bool
        Log-scale the loss axis (the natural scale for convergence rates).
    """
    ax = _axes(ax)
    if not isinstance(curves, Mapping):
        curves = {"": curves}
    for label, values in curves.items():
        values = np.asarray(values, dtype=float)
        if values.ndim != 1:
            raise ValueError(f"curves[{label!r}] must be 1-D, got shape {values.shape}")
        steps = np.arange(len(values))
        finite = np.isfinite(values)
        ax.plot(steps[finite], values[finite], label=label or None)
    if logy:
        ax.set_yscale("log")
    ax.set(xlabel=xlabel, ylabel=ylabel)
    if any(curves.keys()):
        ax.legend()
    return ax


def plot_decision_boundary(
    predict: Callable[[np.ndarray], np.ndarray],
    X: np.ndarray,
    y: np.ndarray,
    *,
    ax: Axes | None = None,
    resolution: int = 200,
    margin: float = 0.5,
) -> Axes:
    """Shade the classes ``predict`` assigns over the plane, with the data on top.

    Parameters
    ----------
    predict : callable
        Maps points of shape (m, 2) to class labels of shape (m,).
    X : array, shape (n, 2)
    y : array, shape (n,) of integer labels
    resolution : int
        Grid points per axis, in [10, 1000].
    """
    X = check_array("X", X, ndim=2)
    if X.shape[1] != 2:
        raise ValueError(f"X must have shape (n, 2), got {X.shape}")
    y = np.asarray(y)
    if y.shape != (len(X),):
        raise ValueError(f"y must have shape ({len(X)},), got {y.shape}")
    resolution = check_int("resolution", resolution, low=10, high=1000)
    if not callable(predict):
        raise TypeError("predict must be callable: points (m, 2) -> labels (m,)")
    ax = _axes(ax)
    lo, hi = X.min(axis=0) - margin, X.max(axis=0) + margin
    g0, g1 = np.meshgrid(
        np.linspace(lo[0], hi[0], resolution), np.linspace(lo[1], hi[1], resolution)
    )
    labels = np.asarray(predict(np.c_[g0.ravel(), g1.ravel()])).reshape(g0.shape)
    classes = np.unique(np.concatenate([np.unique(y), np.unique(labels)]))
    palette = [COLORS[i % len(COLORS)] for i in range(len(classes))]  # as the points below
    cmap = mpl.colors.ListedColormap(palette)
    ax.contourf(
        g0,
        g1,
        np.searchsorted(classes, labels),
        levels=np.arange(len(classes) + 1) - 0.5,
        cmap=cmap,
        alpha=0.25,
    )
    for i, c in enumerate(classes):
        ax.scatter(*X[y == c].T, s=12, color=COLORS[i % len(COLORS)], label=f"class {c}")
    ax.set(xlabel="$x_1$", ylabel="$x_2$")
    ax.legend(loc="best")
    return ax


def plot_image_grid(
    images: np.ndarray,
    *,
    labels: Sequence[object] | None = None,
    ncols: int = 10,
    ax: Axes | None = None,
    cmap: str = "gray_r",
) -> Axes:
    """Tile images into one picture, each with an optional label under it.

    Parameters
    ----------
    images : array, shape (n, h, w), (n, h, w, 1) or (n, 1, h, w)
    labels : sequence of length n, optional
        Text under each image (e.g. "7" or "7→1" for a mistake).
    ncols : int
        Images per row, in [1, 50].
    """
    images = np.asarray(images, dtype=float)
    if images.ndim == 4 and 1 in (images.shape[1], images.shape[3]):
        images = images.reshape(images.shape[0], *[s for s in images.shape[1:] if s != 1][-2:])
    if images.ndim != 3 or len(images) == 0:
        raise ValueError(f"images must have shape (n, h, w) with n >= 1, got {images.shape}")
    if labels is not None and len(labels) != len(images):
        raise ValueError(f"labels must have length {len(images)}, got {len(labels)}")
    ncols = check_int("ncols", ncols, low=1, high=50)
    n, h, w = images.shape
    ncols = min(ncols, n)
    nrows = -(-n // ncols)
    pad = max(1, h // 8)
    mosaic = np.full((nrows * (h + pad) - pad, ncols * (w + pad) - pad), np.nan)
    for i, img in enumerate(images):
        r, c = divmod(i, ncols)
        mosaic[r * (h + pad) : r * (h + pad) + h, c * (w + pad) : c * (w + pad) + w] = img
    if ax is None:
        _, ax = plt.subplots(figsize=(0.6 * ncols + 0.4, 0.75 * nrows + 0.3))
    ax = _axes(ax)
    ax.imshow(mosaic, cmap=cmap, interpolation="nearest")
    ax.set_axis_off()
    for i, label in enumerate(labels if labels is not None else []):
        r, c = divmod(i, ncols)
        ax.text(
            c * (w + pad) + w / 2,
            r * (h + pad) + h + pad / 2,
            str(label),
            ha="center",
            va="top",
            fontsize=9,
        )
    return ax


def plot_contours(
    f: Callable[[np.ndarray, np.ndarray], np.ndarray],
    xlim: tuple[float, float],
    ylim: tuple[float, float],
    *,
    ax: Axes | None = None,
    levels: int = 20,
    log: bool = True,
) -> Axes:
    """Contour lines of a loss surface ``f(W0, W1)`` evaluated on a grid.

    Parameters
    ----------
    f : callable
        Vectorised: takes two arrays of shape (m, m), returns an array of shape (m, m).
    log : bool
        Space the levels geometrically (valleys of quadratic losses look even); needs
        f >= 0 everywhere on the grid.
    """
    if not callable(f):
        raise TypeError("f must be callable: (W0, W1) -> loss array")
    levels = check_int("levels", levels, low=2, high=200)
    ax = _axes(ax)
    g0, g1 = np.meshgrid(np.linspace(*xlim, 200), np.linspace(*ylim, 200))
    z = np.asarray(f(g0, g1), dtype=float)
    lo, hi = np.nanmin(z), np.nanmax(z)
    if not lo < hi:
        raise ValueError(f"f must vary over xlim × ylim, got a constant surface ({lo:g})")
    if log and lo < 0:
        raise ValueError(f"log=True needs f >= 0 (a loss), got values down to {lo:g}")
    steps = np.geomspace(max(lo, hi * 1e-4) + 1e-12, hi, levels) if log else levels
    ax.contour(g0, g1, z, levels=steps, colors="0.55", linewidths=0.7)
    ax.set(xlim=xlim, ylim=ylim)
    return ax


def plot_path(
    path: np.ndarray, *, ax: Axes | None = None, label: str | None = None, color: str | None = None
) -> Axes:
    """Draw an optimiser's trajectory ``path`` of shape (n_steps + 1, 2): start ○, end ●."""
    path = np.asarray(path, dtype=float)
    if path.ndim != 2 or path.shape[1] != 2:
        raise ValueError(f"path must have shape (n_steps + 1, 2), got {path.shape}")
    ax = _axes(ax)
    (line,) = ax.plot(*path.T, "-", marker=".", ms=4, lw=1, color=color, label=label)
    ax.plot(*path[0], "o", mfc="white", color=line.get_color())
    ax.plot(*path[-1], "o", color=line.get_color())
    if label:
        ax.legend()
    return ax
