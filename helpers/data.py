"""Data with a known answer, the digits scikit-learn ships, and MNIST with an offline fallback.

Every generator takes ``rng``: a ``numpy.random.Generator`` or an int seed; the same seed
gives the same arrays. Classification generators shuffle their rows, so any slice holds
every class. scikit-learn and Keras are imported only by the loaders that need them.
"""

from __future__ import annotations

import os
import socket
import threading
import warnings
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from helpers._validate import as_rng, check_array, check_choice, check_float, check_int
from helpers.seed import derive_seed

Rng = np.random.Generator | int
Pair = tuple[np.ndarray, np.ndarray]
LAYOUTS = ("flat", "torch", "keras")
MNIST_CACHE = Path("~/.keras/datasets/mnist.npz")
MNIST_HOST = ("storage.googleapis.com", 443)
MNIST_FALLBACK_MESSAGE = (
    "MNIST is not available offline (no ~/.keras/datasets/mnist.npz and no network); "
    "using scikit-learn's 8x8 digits instead."
)


def make_linear(
    n: int = 100,
    w: float | Sequence[float] = (2.0,),
    b: float = 1.0,
    noise: float = 0.1,
    *,
    rng: Rng,
    x_range: tuple[float, float] = (-1.0, 1.0),
) -> Pair:
    """Sample ``y = X @ w + b + noise * eps`` with ``X`` uniform and ``eps ~ N(0, 1)``.

    Parameters
    ----------
    n : int >= 1
    w : float or sequence of d floats (a scalar means d = 1)
    b : float
    noise : float >= 0
    rng : numpy.random.Generator or int seed
    x_range : (low, high) with low < high

    Returns
    -------
    X : ndarray, shape (n, d), float64
    y : ndarray, shape (n,), float64
    """
    n = check_int("n", n, low=1)
    w = _check_weights(w)
    b = check_float("b", b)
    noise = check_float("noise", noise, low=0.0)
    low, high = _check_interval("x_range", x_range)
    rng = as_rng(rng)
    X = rng.uniform(low, high, size=(n, w.size))
    y = X @ w + b + noise * rng.standard_normal(n)
    return X, y


def make_logistic(
    n: int = 200, w: float | Sequence[float] = (2.0, -1.0), b: float = 0.5, *, rng: Rng
) -> Pair:
    """Sample ``X ~ N(0, I)`` and ``y ~ Bernoulli(sigmoid(X @ w + b))``.

    Parameters
    ----------
    n : int >= 1
    w : float or sequence of d floats (a scalar means d = 1)
    b : float
    rng : numpy.random.Generator or int seed

    Returns
    -------
    X : ndarray, shape (n, d), float64
    y : ndarray, shape (n,), int64 in {0, 1}
    """
    n = check_int("n", n, low=1)
    w = _check_weights(w)
    b = check_float("b", b)
    rng = as_rng(rng)
    X = rng.standard_normal((n, w.size))
    p = 1.0 / (1.0 + np.exp(-(X @ w + b)))
    y = (rng.random(n) < p).astype(np.int64)
    return X, y


def make_blobs2(n: int = 200, distance: float = 3.0, *, rng: Rng) -> Pair:
    """Two unit-variance Gaussian classes centred at ``(-distance/2, 0)`` and ``(distance/2, 0)``.

    Parameters
    ----------
    n : int >= 2 (class 0 gets ``n - n // 2`` examples, class 1 ``n // 2``)
    distance : float >= 0
    rng : numpy.random.Generator or int seed

    Returns
    -------
    X : ndarray, shape (n, 2), float64
    y : ndarray, shape (n,), int64 in {0, 1}
    """
    n = check_int("n", n, low=2)
    distance = check_float("distance", distance, low=0.0)
    rng = as_rng(rng)
    y = _balanced_labels(n, 2)
    means = np.array([[-distance / 2, 0.0], [distance / 2, 0.0]])
    return _shuffle(means[y] + rng.standard_normal((n, 2)), y, rng)


def make_moons(n: int = 200, noise: float = 0.1, *, rng: Rng) -> Pair:
    """Two interleaving half-circles: class 0 ``(cos t, sin t)``, class 1
    ``(1 - cos t, 0.5 - sin t)``, ``t`` evenly spaced on [0, pi], plus Gaussian noise.

    Parameters
    ----------
    n : int >= 2 (class 0 gets ``n - n // 2`` examples, class 1 ``n // 2``)
    noise : float >= 0 (standard deviation, on each coordinate)
    rng : numpy.random.Generator or int seed

    Returns
    -------
    X : ndarray, shape (n, 2), float64
    y : ndarray, shape (n,), int64 in {0, 1}
    """
    n = check_int("n", n, low=2)
    noise = check_float("noise", noise, low=0.0)
    rng = as_rng(rng)
    t_upper = np.linspace(0.0, np.pi, n - n // 2)
    t_lower = np.linspace(0.0, np.pi, n // 2)
    upper = np.column_stack([np.cos(t_upper), np.sin(t_upper)])
    lower = np.column_stack([1.0 - np.cos(t_lower), 0.5 - np.sin(t_lower)])
    X = np.vstack([upper, lower]) + noise * rng.standard_normal((n, 2))
    return _shuffle(X, _balanced_labels(n, 2), rng)


def make_spirals(
    n: int = 300, n_classes: int = 2, noise: float = 0.2, turns: float = 1.0, *, rng: Rng
) -> Pair:
    """``n_classes`` interleaved spiral arms: arm k has radius r evenly spaced on [0, 1]
    and angle ``2 pi (turns * r + k / n_classes) + noise * eps``, ``eps ~ N(0, 1)``.

    Parameters
    ----------
    n : int >= n_classes (arm sizes differ by at most one)
    n_classes : int >= 2
    noise : float >= 0 (standard deviation of the angle, in radians)
    turns : float > 0 (turns each arm makes around the origin)
    rng : numpy.random.Generator or int seed

    Returns
    -------
    X : ndarray, shape (n, 2), float64, inside the unit disc up to noise
    y : ndarray, shape (n,), int64 in [0, n_classes)
    """
    n_classes = check_int("n_classes", n_classes, low=2)
    n = check_int("n", n, low=n_classes)
    noise = check_float("noise", noise, low=0.0)
    turns = check_float("turns", turns, low=0.0, low_open=True)
    rng = as_rng(rng)
    y = _balanced_labels(n, n_classes)
    r = np.concatenate([np.linspace(0.0, 1.0, np.sum(y == k)) for k in range(n_classes)])
    angle = 2 * np.pi * (turns * r + y / n_classes) + noise * rng.standard_normal(n)
    X = r[:, None] * np.column_stack([np.cos(angle), np.sin(angle)])
    return _shuffle(X, y, rng)


def make_sine(
    n_steps: int = 200, freq: float = 0.05, phase: float = 0.0, noise: float = 0.0, *, rng: Rng
) -> Pair:
    """A sampled sine wave ``x = sin(2 pi freq t + phase) + noise * eps``, ``eps ~ N(0, 1)``.

    Parameters
    ----------
    n_steps : int >= 1
    freq : float >= 0 (cycles per step)
    phase : float (radians)
    noise : float >= 0
    rng : numpy.random.Generator or int seed

    Returns
    -------
    t : ndarray, shape (n_steps,), float64, equal to ``0, 1, ..., n_steps - 1``
    x : ndarray, shape (n_steps,), float64
    """
    n_steps = check_int("n_steps", n_steps, low=1)
    freq = check_float("freq", freq, low=0.0)
    phase = check_float("phase", phase)
    noise = check_float("noise", noise, low=0.0)
    rng = as_rng(rng)
    t = np.arange(n_steps, dtype=np.float64)
    return t, np.sin(2 * np.pi * freq * t + phase) + noise * rng.standard_normal(n_steps)


def make_windows(series: Sequence[float] | np.ndarray, window: int, horizon: int = 1) -> Pair:
    """Cut a series into (past ``window`` values, next ``horizon`` values) pairs.

    Parameters
    ----------
    series : array-like of finite numbers, shape (T,)
    window : int in [1, T - horizon] (length of each input window)
    horizon : int >= 1 (number of future values to predict)

    Returns
    -------
    X : ndarray, shape (T - window - horizon + 1, window, 1), float32
        ``X[i, :, 0] = series[i : i + window]``
    y : ndarray, shape (T - window - horizon + 1, horizon), float32
        ``y[i] = series[i + window : i + window + horizon]``
    """
    series = check_array("series", series, ndim=1)
    window = check_int("window", window, low=1)
    horizon = check_int("horizon", horizon, low=1)
    if series.size - window - horizon + 1 < 1:
        raise ValueError(
            f"window must be in [1, len(series) - horizon] = [1, {series.size - horizon}], "
            f"got {window} (len(series)={series.size}, horizon={horizon})"
        )
    pairs = np.lib.stride_tricks.sliding_window_view(series, window + horizon)
    return pairs[:, :window, None].astype(np.float32), pairs[:, window:].astype(np.float32)


@dataclass(frozen=True, eq=False, repr=False)
class DataSplit:
    """A fixed train/test split of an image data set.

    ``X_*`` is float32 in [0, 1], shape (n, h*w), (n, 1, h, w) or (n, h, w, 1) for the
    layouts "flat", "torch", "keras"; ``y_*`` is int64, shape (n,). Unpacks as
    ``X_train, X_test, y_train, y_test = split``.
    """

    X_train: np.ndarray
    X_test: np.ndarray
    y_train: np.ndarray
    y_test: np.ndarray
    name: str
    image_shape: tuple[int, int]
    n_classes: int

    def __iter__(self) -> Iterator[np.ndarray]:
        return iter((self.X_train, self.X_test, self.y_train, self.y_test))

    def to_torch(self, device: Any = "cpu") -> tuple[Any, Any, Any, Any]:
        """``(X_train, X_test, y_train, y_test)`` as PyTorch tensors on ``device``.

        The tensors share memory with the arrays on the CPU (``torch.from_numpy``).
        """
        import torch

        return tuple(torch.from_numpy(a).to(device) for a in self)

    def __repr__(self) -> str:
        return (
            f"DataSplit(name={self.name!r}, X_train={self.X_train.shape}, "
            f"X_test={self.X_test.shape}, n_classes={self.n_classes})"
        )


def load_digits(
    layout: str = "flat", test_size: float = 0.25, seed: int | None = None
) -> DataSplit:
    """scikit-learn's 1797 shipped 8x8 digits, in a seeded stratified train/test split.

    Parameters
    ----------
    layout : {"flat", "torch", "keras"}
        Image shape (n, 64), (n, 1, 8, 8) (NCHW) or (n, 8, 8, 1) (NHWC).
    test_size : float in (0, 1) (fraction of the images in the test set)
    seed : int in [0, 2**32 - 1], optional
        Seed of the split; by default the notebook's seed (``helpers.seed.derive_seed()``),
        so ``BOOK_SEED_OFFSET`` changes the split along with everything else.

    Returns
    -------
    DataSplit
        Pixels float32 in [0, 1], labels int64 in [0, 10), ``name="digits"``.
    """
    layout = check_choice("layout", layout, LAYOUTS)
    test_size = check_float("test_size", test_size)
    if not 0.0 < test_size < 1.0:
        raise ValueError(f"test_size must be in (0, 1), got {test_size}")
    seed = derive_seed() if seed is None else check_int("seed", seed, low=0, high=2**32 - 1)
    from sklearn.datasets import load_digits as sklearn_digits
    from sklearn.model_selection import train_test_split

    X, y = sklearn_digits(return_X_y=True)
    try:
        parts = train_test_split(X, y, test_size=test_size, stratify=y, random_state=seed)
    except ValueError as err:  # a split too small to hold every class
        raise ValueError(f"test_size={test_size} leaves a split without every class") from err
    X_train, X_test, y_train, y_test = parts
    return _split("digits", (X_train, y_train, X_test, y_test), layout, (8, 8), 16.0)


def load_sentences() -> tuple[list[str], list[str]]:
    """The book's small topic corpus: 480 English sentences about sports, food, tech, weather.

    It ships inside the package (``helpers/datasets/sentences.tsv``, a label, a tab, the
    text), so it loads wherever ``helpers`` is installed, in Colab too. The script that
    wrote it ships beside it: ``python -m helpers.datasets.make_sentences`` (see
    ``helpers/datasets/README.md``).

    Returns
    -------
    labels : list of str, one topic per sentence
    texts : list of str, the sentences, in the file's order
    """
    from importlib import resources

    source = resources.files("helpers").joinpath("datasets", "sentences.tsv")
    lines = source.read_text(encoding="utf-8").splitlines()[1:]  # skip the header
    labels, texts = zip(*(line.split("\t") for line in lines), strict=True)
    return list(labels), list(texts)


def load_mnist(
    layout: str = "flat",
    *,
    allow_download: bool = True,
    timeout: float = 3.0,
    path: str | os.PathLike | None = None,
) -> DataSplit:
    """MNIST (60000 train / 10000 test 28x28 images), or the 8x8 digits when offline.

    Reads ``path`` (default ``~/.keras/datasets/mnist.npz``) if it exists; else, if
    ``allow_download`` and storage.googleapis.com answers within ``timeout`` seconds,
    downloads MNIST with Keras; else warns (and prints) and returns ``load_digits(layout)``.

    Parameters
    ----------
    layout : {"flat", "torch", "keras"}
        Image shape (n, 784), (n, 1, 28, 28) (NCHW) or (n, 28, 28, 1) (NHWC).
    allow_download : bool (try the network when the file is missing)
    timeout : float > 0 (seconds to wait for the network check and each read)
    path : str or path-like, optional
        An ``mnist.npz`` (keys x_train, y_train, x_test, y_test) to read instead.

    Returns
    -------
    DataSplit
        Pixels float32 in [0, 1], labels int64; ``name`` is "mnist" or "digits".
    """
    layout = check_choice("layout", layout, LAYOUTS)
    if not isinstance(allow_download, bool):
        raise TypeError(f"allow_download must be a bool, got {type(allow_download).__name__}")
    timeout = check_float("timeout", timeout, low=0.0, low_open=True)
    if path is not None and not isinstance(path, (str, os.PathLike)):
        raise TypeError(f"path must be a str, a path-like or None, got {type(path).__name__}")
    file = Path(MNIST_CACHE if path is None else path).expanduser()
    if file.is_file():
        with np.load(file) as data:
            arrays = data["x_train"], data["y_train"], data["x_test"], data["y_test"]
    else:
        arrays = _download_mnist(timeout) if allow_download else None
    if arrays is None:
        warnings.warn(MNIST_FALLBACK_MESSAGE, UserWarning, stacklevel=2)
        print(MNIST_FALLBACK_MESSAGE)
        return load_digits(layout)
    return _split("mnist", arrays, layout, (28, 28), 255.0)


def _download_mnist(timeout: float) -> tuple[np.ndarray, ...] | None:
    """MNIST's four arrays from Keras, or None if the host is unreachable or anything fails."""
    if not _reachable(MNIST_HOST, timeout):
        return None
    previous = socket.getdefaulttimeout()
    socket.setdefaulttimeout(timeout)  # a stalled download fails instead of hanging
    try:
        import keras

        (x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()
    except Exception:  # no keras, a dropped connection, a bad checksum: fall back
        return None
    finally:
        socket.setdefaulttimeout(previous)
    return x_train, y_train, x_test, y_test


def _reachable(address: tuple[str, int], timeout: float) -> bool:
    """Whether a TCP connection to ``address`` opens within ``timeout`` seconds.

    The probe runs in a daemon thread because the DNS lookup inside
    ``socket.create_connection`` ignores ``timeout`` and can block for much longer.
    """
    opened: list[bool] = []

    def probe() -> None:
        try:
            with socket.create_connection(address, timeout=timeout):
                opened.append(True)
        except OSError:
            pass

    thread = threading.Thread(target=probe, daemon=True)
    thread.start()
    thread.join(timeout)
    return bool(opened)


def _split(
    name: str, arrays: tuple, layout: str, shape: tuple[int, int], scale: float
) -> DataSplit:
    """A DataSplit from raw (x_train, y_train, x_test, y_test), pixels divided by ``scale``."""
    h, w = shape
    image = {"flat": (h * w,), "torch": (1, h, w), "keras": (h, w, 1)}[layout]

    def images(x: np.ndarray) -> np.ndarray:  # (n, h, w) or (n, h*w) -> (n, *image)
        return (np.asarray(x) / scale).astype(np.float32).reshape(-1, *image)

    x_train, y_train, x_test, y_test = arrays
    labels = [np.asarray(y, dtype=np.int64) for y in (y_train, y_test)]
    return DataSplit(images(x_train), images(x_test), *labels, name, shape, n_classes=10)


def _check_weights(w: object) -> np.ndarray:
    """Return ``w`` as a non-empty 1-D float array, shape (d,); a scalar gives d = 1."""
    w = np.atleast_1d(check_array("w", w))
    if w.ndim != 1 or w.size == 0:
        raise ValueError(f"w must be a number or a non-empty 1-D sequence, got shape {w.shape}")
    return w


def _check_interval(name: str, value: object) -> tuple[float, float]:
    """Return ``value`` as (low, high) with low < high, or raise naming ``name``."""
    if not isinstance(value, (tuple, list)) or len(value) != 2:
        raise TypeError(f"{name} must be a (low, high) pair of numbers, got {value!r}")
    low, high = check_float(f"{name}[0]", value[0]), check_float(f"{name}[1]", value[1])
    if low >= high:
        raise ValueError(f"{name} must have low < high, got {value!r}")
    return low, high


def _balanced_labels(n: int, n_classes: int) -> np.ndarray:
    """Sorted labels, shape (n,) int64; class k appears n // n_classes times or once more."""
    return np.arange(n, dtype=np.int64) * n_classes // n


def _shuffle(X: np.ndarray, y: np.ndarray, rng: np.random.Generator) -> Pair:
    """Apply one random permutation to the rows of X, shape (n, ...), and y, shape (n,)."""
    order = rng.permutation(len(y))
    return X[order], y[order]
