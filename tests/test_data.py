"""Tests of helpers.data: shapes, determinism, known answers, bad input, offline MNIST."""

from __future__ import annotations

import dataclasses
import socket
import subprocess
import sys
import threading
import time
import types
from collections import Counter
from importlib import resources
from pathlib import Path

import numpy as np
import pytest

from helpers import data
from helpers.data import (
    DataSplit,
    load_digits,
    load_mnist,
    load_sentences,
    make_blobs2,
    make_linear,
    make_logistic,
    make_moons,
    make_sine,
    make_spirals,
    make_windows,
)
from helpers.datasets import make_sentences

# Each generator with small arguments, for the checks every generator must pass.
GENERATORS = {
    "linear": lambda rng: make_linear(20, w=(1.0, -2.0), rng=rng),
    "logistic": lambda rng: make_logistic(20, rng=rng),
    "blobs2": lambda rng: make_blobs2(20, rng=rng),
    "moons": lambda rng: make_moons(20, rng=rng),
    "spirals": lambda rng: make_spirals(21, n_classes=3, rng=rng),
    "sine": lambda rng: make_sine(20, noise=0.1, rng=rng),
}


def sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-z))


# --- every generator -------------------------------------------------------------------


@pytest.mark.parametrize("make", GENERATORS.values(), ids=GENERATORS.keys())
def test_same_seed_gives_identical_arrays(make):
    for first, second in zip(make(0), make(0), strict=True):
        np.testing.assert_array_equal(first, second)


@pytest.mark.parametrize("make", GENERATORS.values(), ids=GENERATORS.keys())
def test_generator_and_int_seed_give_the_same_arrays(make):
    for first, second in zip(make(7), make(np.random.default_rng(7)), strict=True):
        np.testing.assert_array_equal(first, second)


@pytest.mark.parametrize("make", GENERATORS.values(), ids=GENERATORS.keys())
def test_different_seeds_give_different_arrays(make):
    assert not all(np.array_equal(a, b) for a, b in zip(make(0), make(1), strict=True))


@pytest.mark.parametrize("make", GENERATORS.values(), ids=GENERATORS.keys())
@pytest.mark.parametrize(("rng", "error"), [("0", TypeError), (1.5, TypeError), (-1, ValueError)])
def test_bad_rng_is_rejected_naming_rng(make, rng, error):
    with pytest.raises(error, match="rng"):
        make(rng)


def test_rng_is_required():
    with pytest.raises(TypeError, match="rng"):
        make_linear(10)


# --- make_linear -------------------------------------------------------------------------


def test_make_linear_shapes_and_dtypes():
    X, y = make_linear(50, w=(1.0, 2.0, 3.0), rng=0)
    assert X.shape == (50, 3) and y.shape == (50,)
    assert X.dtype == np.float64 and y.dtype == np.float64


def test_make_linear_scalar_w_gives_one_feature():
    X, y = make_linear(10, w=2.5, rng=0)
    assert X.shape == (10, 1) and y.shape == (10,)


def test_make_linear_x_stays_in_x_range():
    X, _ = make_linear(500, x_range=(2.0, 3.0), rng=0)
    assert X.min() >= 2.0 and X.max() < 3.0


def test_make_linear_without_noise_is_exactly_linear():
    X, y = make_linear(30, w=(2.0, -1.0), b=0.5, noise=0.0, rng=0)
    np.testing.assert_allclose(y, X @ np.array([2.0, -1.0]) + 0.5)


def test_least_squares_recovers_w_and_b_from_make_linear():
    w_true, b_true = np.array([2.0, -3.0, 0.5]), 1.0
    X, y = make_linear(200, w=w_true, b=b_true, noise=0.01, rng=0)
    A = np.column_stack([X, np.ones(len(X))])  # (n, d + 1)
    theta, *_ = np.linalg.lstsq(A, y, rcond=None)
    np.testing.assert_allclose(theta[:-1], w_true, atol=0.02)
    assert abs(theta[-1] - b_true) < 0.02


@pytest.mark.parametrize(
    ("kwargs", "error", "name"),
    [
        ({"n": 0}, ValueError, "n"),
        ({"n": 2.5}, TypeError, "n"),
        ({"n": True}, TypeError, "n"),
        ({"noise": -0.1}, ValueError, "noise"),
        ({"noise": "a"}, TypeError, "noise"),
        ({"noise": float("nan")}, ValueError, "noise"),
        ({"b": None}, TypeError, "b"),
        ({"w": ()}, ValueError, "w"),
        ({"w": [[1.0, 2.0]]}, ValueError, "w"),
        ({"w": ["a"]}, TypeError, "w"),
        ({"w": [1.0, np.inf]}, ValueError, "w"),
        ({"x_range": (1.0, -1.0)}, ValueError, "x_range"),
        ({"x_range": 1.0}, TypeError, "x_range"),
        ({"x_range": (0.0, "b")}, TypeError, "x_range"),
    ],
)
def test_make_linear_rejects_bad_input_naming_the_argument(kwargs, error, name):
    with pytest.raises(error, match=rf"^{name}\b"):
        make_linear(**kwargs, rng=0)


# --- make_logistic -----------------------------------------------------------------------


def test_make_logistic_shapes_dtypes_and_labels():
    X, y = make_logistic(40, w=(1.0, 2.0, 3.0), rng=0)
    assert X.shape == (40, 3) and X.dtype == np.float64
    assert y.shape == (40,) and y.dtype == np.int64
    assert set(np.unique(y)) <= {0, 1}


def test_make_logistic_class_balance_matches_the_model():
    w, b = np.array([2.0, -1.0]), 0.5
    X, y = make_logistic(5000, w=w, b=b, rng=0)
    assert abs(y.mean() - sigmoid(X @ w + b).mean()) < 0.03


def test_newton_logistic_regression_recovers_w_and_b():
    w_true = np.array([2.0, -1.0, 0.5])
    X, y = make_logistic(5000, w=w_true, b=0.5, rng=0)
    A = np.column_stack([X, np.ones(len(X))])  # (n, d + 1)
    theta = np.zeros(A.shape[1])
    for _ in range(10):  # Newton's method on the mean log loss
        p = sigmoid(A @ theta)
        hessian = A.T @ (A * (p * (1 - p))[:, None])
        theta -= np.linalg.solve(hessian, A.T @ (p - y))
    np.testing.assert_allclose(theta, [*w_true, 0.5], atol=0.2)


@pytest.mark.parametrize(
    ("kwargs", "error", "name"),
    [
        ({"n": 0}, ValueError, "n"),
        ({"n": "5"}, TypeError, "n"),
        ({"w": []}, ValueError, "w"),
        ({"b": "0"}, TypeError, "b"),
    ],
)
def test_make_logistic_rejects_bad_input_naming_the_argument(kwargs, error, name):
    with pytest.raises(error, match=rf"^{name}\b"):
        make_logistic(**kwargs, rng=0)


# --- make_blobs2 -------------------------------------------------------------------------


@pytest.mark.parametrize("n", [200, 201])
def test_make_blobs2_shapes_dtypes_and_balance(n):
    X, y = make_blobs2(n, rng=0)
    assert X.shape == (n, 2) and X.dtype == np.float64
    assert y.shape == (n,) and y.dtype == np.int64
    assert abs(np.sum(y == 0) - np.sum(y == 1)) <= 1


def test_make_blobs2_means_are_distance_apart():
    X, y = make_blobs2(4000, distance=5.0, rng=0)
    mean0, mean1 = X[y == 0].mean(axis=0), X[y == 1].mean(axis=0)
    assert abs(np.linalg.norm(mean1 - mean0) - 5.0) < 0.15
    np.testing.assert_allclose(X[y == 0].std(axis=0), 1.0, atol=0.1)


@pytest.mark.parametrize(
    ("kwargs", "error", "name"),
    [
        ({"n": 1}, ValueError, "n"),
        ({"distance": -1.0}, ValueError, "distance"),
        ({"distance": "far"}, TypeError, "distance"),
    ],
)
def test_make_blobs2_rejects_bad_input_naming_the_argument(kwargs, error, name):
    with pytest.raises(error, match=rf"^{name}\b"):
        make_blobs2(**kwargs, rng=0)


# --- make_moons --------------------------------------------------------------------------


@pytest.mark.parametrize(("n", "counts"), [(200, [100, 100]), (201, [101, 100])])
def test_make_moons_classes_are_balanced(n, counts):
    X, y = make_moons(n, rng=0)
    assert X.shape == (n, 2) and X.dtype == np.float64
    assert y.shape == (n,) and y.dtype == np.int64
    assert np.bincount(y).tolist() == counts


def test_make_moons_without_noise_lie_on_the_two_half_circles():
    X, y = make_moons(100, noise=0.0, rng=0)
    upper, lower = X[y == 0], X[y == 1]
    np.testing.assert_allclose(np.hypot(upper[:, 0], upper[:, 1]), 1.0)
    np.testing.assert_allclose(np.hypot(lower[:, 0] - 1.0, lower[:, 1] - 0.5), 1.0)
    assert upper[:, 1].min() >= -1e-12 and lower[:, 1].max() <= 0.5 + 1e-12


def test_make_moons_rows_are_shuffled():
    _, y = make_moons(100, rng=0)
    assert 0 < y[:50].sum() < 50


@pytest.mark.parametrize(
    ("kwargs", "error", "name"),
    [
        ({"n": 1}, ValueError, "n"),
        ({"noise": -0.1}, ValueError, "noise"),
        ({"noise": None}, TypeError, "noise"),
    ],
)
def test_make_moons_rejects_bad_input_naming_the_argument(kwargs, error, name):
    with pytest.raises(error, match=rf"^{name}\b"):
        make_moons(**kwargs, rng=0)


# --- make_spirals ------------------------------------------------------------------------


@pytest.mark.parametrize(("n", "n_classes"), [(300, 2), (100, 3), (7, 7)])
def test_make_spirals_shapes_labels_and_balance(n, n_classes):
    X, y = make_spirals(n, n_classes=n_classes, rng=0)
    assert X.shape == (n, 2) and X.dtype == np.float64
    assert y.shape == (n,) and y.dtype == np.int64
    counts = np.bincount(y, minlength=n_classes)
    assert len(counts) == n_classes and counts.max() - counts.min() <= 1


def test_make_spirals_without_noise_follow_the_stated_arms():
    X, y = make_spirals(90, n_classes=3, noise=0.0, turns=0.5, rng=0)
    r = np.hypot(X[:, 0], X[:, 1])
    angle = 2 * np.pi * (0.5 * r + y / 3)
    np.testing.assert_allclose(X, r[:, None] * np.column_stack([np.cos(angle), np.sin(angle)]))
    assert r.max() == pytest.approx(1.0)


@pytest.mark.parametrize(
    ("kwargs", "error", "name"),
    [
        ({"n_classes": 1}, ValueError, "n_classes"),
        ({"n_classes": 2.0}, TypeError, "n_classes"),
        ({"n": 2, "n_classes": 3}, ValueError, "n"),
        ({"noise": -1.0}, ValueError, "noise"),
        ({"turns": 0.0}, ValueError, "turns"),
    ],
)
def test_make_spirals_rejects_bad_input_naming_the_argument(kwargs, error, name):
    with pytest.raises(error, match=rf"^{name}\b"):
        make_spirals(**kwargs, rng=0)


# --- make_sine and make_windows ----------------------------------------------------------


def test_make_sine_without_noise_is_the_stated_sine():
    t, x = make_sine(50, freq=0.1, phase=0.3, rng=0)
    assert t.dtype == np.float64 and x.dtype == np.float64
    np.testing.assert_array_equal(t, np.arange(50.0))
    np.testing.assert_allclose(x, np.sin(2 * np.pi * 0.1 * t + 0.3))


def test_make_sine_noise_has_the_stated_scale():
    t, x = make_sine(5000, freq=0.05, noise=0.5, rng=0)
    assert np.std(x - np.sin(2 * np.pi * 0.05 * t)) == pytest.approx(0.5, abs=0.03)


@pytest.mark.parametrize(
    ("kwargs", "error", "name"),
    [
        ({"n_steps": 0}, ValueError, "n_steps"),
        ({"freq": -0.1}, ValueError, "freq"),
        ({"phase": "0"}, TypeError, "phase"),
        ({"noise": -1.0}, ValueError, "noise"),
    ],
)
def test_make_sine_rejects_bad_input_naming_the_argument(kwargs, error, name):
    with pytest.raises(error, match=rf"^{name}\b"):
        make_sine(**kwargs, rng=0)


def test_make_windows_pairs_each_window_with_the_next_values():
    X, y = make_windows(np.arange(10.0), window=3, horizon=2)
    assert X.shape == (6, 3, 1) and y.shape == (6, 2)
    assert X.dtype == np.float32 and y.dtype == np.float32
    np.testing.assert_array_equal(X[0, :, 0], [0, 1, 2])
    np.testing.assert_array_equal(y[0], [3, 4])
    np.testing.assert_array_equal(X[-1, :, 0], [5, 6, 7])
    np.testing.assert_array_equal(y[-1], [8, 9])


def test_make_windows_of_a_sine_with_default_horizon():
    _, x = make_sine(100, rng=0)
    X, y = make_windows(x, window=10)
    assert X.shape == (90, 10, 1) and y.shape == (90, 1)
    np.testing.assert_allclose(y[:, 0], x[10:], rtol=1e-6)


def test_make_windows_accepts_the_longest_window():
    X, y = make_windows([1.0, 2.0, 3.0], window=2)
    assert X.shape == (1, 2, 1) and y.tolist() == [[3.0]]


@pytest.mark.parametrize(
    ("args", "error", "name"),
    [
        (([1.0, 2.0, 3.0], 3), ValueError, "window"),
        (([1.0, 2.0, 3.0], 2, 2), ValueError, "window"),
        (([1.0, 2.0, 3.0], 0), ValueError, "window"),
        (([1.0, 2.0, 3.0], 1.5), TypeError, "window"),
        (([1.0, 2.0, 3.0], 1, 0), ValueError, "horizon"),
        ((np.zeros((4, 2)), 1), ValueError, "series"),
        ((["a", "b"], 1), TypeError, "series"),
    ],
)
def test_make_windows_rejects_bad_input_naming_the_argument(args, error, name):
    with pytest.raises(error, match=rf"^{name}\b"):
        make_windows(*args)


# --- DataSplit and load_digits ----------------------------------------------------------


@pytest.fixture(scope="module")
def digits() -> DataSplit:
    return load_digits(seed=0)


def test_load_digits_sizes_dtypes_and_pixel_range(digits):
    X_train, X_test, y_train, y_test = digits
    assert X_train.shape == (1347, 64) and X_test.shape == (450, 64)
    assert y_train.shape == (1347,) and y_test.shape == (450,)
    assert X_train.dtype == np.float32 and y_train.dtype == np.int64
    assert X_train.min() == 0.0 and X_train.max() == 1.0 and X_test.max() <= 1.0
    assert (digits.name, digits.image_shape, digits.n_classes) == ("digits", (8, 8), 10)


def test_to_torch_gives_the_same_numbers_as_tensors(digits):
    torch = pytest.importorskip("torch")
    tensors = digits.to_torch()
    assert [t.dtype for t in tensors] == [torch.float32, torch.float32, torch.int64, torch.int64]
    for t, a in zip(tensors, digits, strict=True):
        assert t.device.type == "cpu" and np.array_equal(t.numpy(), a)


def test_load_digits_split_is_stratified(digits):
    train_share = np.bincount(digits.y_train, minlength=10) / len(digits.y_train)
    test_share = np.bincount(digits.y_test, minlength=10) / len(digits.y_test)
    assert np.abs(train_share - test_share).max() < 0.02


@pytest.mark.parametrize(
    ("layout", "shape"), [("flat", (64,)), ("torch", (1, 8, 8)), ("keras", (8, 8, 1))]
)
def test_load_digits_layouts_have_the_right_shapes(digits, layout, shape):
    split = load_digits(layout, seed=0)
    assert split.X_train.shape == (1347, *shape) and split.X_test.shape == (450, *shape)
    np.testing.assert_array_equal(split.X_train.reshape(1347, 64), digits.X_train)


def test_load_digits_same_seed_same_split_different_seed_different_split(digits):
    np.testing.assert_array_equal(load_digits(seed=0).y_train, digits.y_train)
    assert not np.array_equal(load_digits(seed=1).y_train, digits.y_train)


def test_load_digits_test_size_sets_the_split_sizes():
    split = load_digits(test_size=0.5)
    assert len(split.y_train) + len(split.y_test) == 1797
    assert abs(len(split.y_test) - 898.5) <= 1


def test_data_split_unpacks_is_frozen_and_has_a_short_repr(digits):
    assert len(list(digits)) == 4
    assert repr(digits) == (
        "DataSplit(name='digits', X_train=(1347, 64), X_test=(450, 64), n_classes=10)"
    )
    with pytest.raises(dataclasses.FrozenInstanceError):
        digits.name = "other"


@pytest.mark.parametrize(
    ("kwargs", "error", "name"),
    [
        ({"layout": "NCHW"}, ValueError, "layout"),
        ({"layout": 1}, TypeError, "layout"),
        ({"test_size": 0.0}, ValueError, "test_size"),
        ({"test_size": 1.0}, ValueError, "test_size"),
        ({"test_size": 0.001}, ValueError, "test_size"),
        ({"test_size": "0.2"}, TypeError, "test_size"),
        ({"seed": -1}, ValueError, "seed"),
        ({"seed": 0.5}, TypeError, "seed"),
    ],
)
def test_load_digits_rejects_bad_input_naming_the_argument(kwargs, error, name):
    with pytest.raises(error, match=rf"^{name}\b"):
        load_digits(**kwargs)


def test_importing_helpers_data_does_not_import_sklearn_or_keras():
    code = (
        "import sys, helpers.data; "
        "print(sorted(m for m in ('sklearn', 'keras', 'tensorflow', 'torch') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


# --- load_mnist (never touches the network) ----------------------------------------------


def fake_mnist_arrays(seed: int = 0) -> tuple[np.ndarray, ...]:
    """(x_train, y_train, x_test, y_test): 20 train and 10 test uint8 images, 28x28."""
    rng = np.random.default_rng(seed)
    x_train = rng.integers(0, 256, size=(20, 28, 28), dtype=np.uint8)
    x_test = rng.integers(0, 256, size=(10, 28, 28), dtype=np.uint8)
    x_train[0, 0, 0], x_train[0, 0, 1] = 0, 255
    y_train = rng.integers(0, 10, size=20, dtype=np.uint8)
    y_test = rng.integers(0, 10, size=10, dtype=np.uint8)
    return x_train, y_train, x_test, y_test


@pytest.fixture
def fake_mnist_npz(tmp_path):
    path = tmp_path / "mnist.npz"
    x_train, y_train, x_test, y_test = fake_mnist_arrays()
    np.savez(path, x_train=x_train, y_train=y_train, x_test=x_test, y_test=y_test)
    return path


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    """Fail any test here that tries to open a connection it did not fake."""

    def refuse(*args, **kwargs):
        raise AssertionError("a test tried to open a network connection")

    monkeypatch.setattr(socket, "create_connection", refuse)


@pytest.mark.parametrize(
    ("layout", "shape"), [("flat", (784,)), ("torch", (1, 28, 28)), ("keras", (28, 28, 1))]
)
def test_load_mnist_reads_the_cached_file(fake_mnist_npz, layout, shape):
    split = load_mnist(layout, path=fake_mnist_npz)
    assert (split.name, split.image_shape, split.n_classes) == ("mnist", (28, 28), 10)
    assert split.X_train.shape == (20, *shape) and split.X_test.shape == (10, *shape)
    assert split.X_train.dtype == np.float32 and split.y_train.dtype == np.int64
    assert split.X_train.min() == 0.0 and split.X_train.max() == 1.0


def test_load_mnist_keeps_the_cached_pixels_and_labels(fake_mnist_npz):
    x_train, y_train, x_test, y_test = fake_mnist_arrays()
    X_train, X_test, y_train_out, y_test_out = load_mnist(path=fake_mnist_npz)
    np.testing.assert_allclose(X_train, x_train.reshape(20, 784) / 255.0, rtol=1e-6)
    np.testing.assert_allclose(X_test, x_test.reshape(10, 784) / 255.0, rtol=1e-6)
    np.testing.assert_array_equal(y_train_out, y_train)
    np.testing.assert_array_equal(y_test_out, y_test)


def test_load_mnist_falls_back_to_digits_when_offline_and_download_not_allowed(tmp_path, capsys):
    with pytest.warns(UserWarning, match="MNIST is not available offline"):
        split = load_mnist("torch", allow_download=False, path=tmp_path / "missing.npz")
    assert split.name == "digits" and split.X_train.shape == (1347, 1, 8, 8)
    assert data.MNIST_FALLBACK_MESSAGE in capsys.readouterr().out


def test_load_mnist_falls_back_quickly_when_the_network_is_unreachable(tmp_path, monkeypatch):
    calls = []

    def unreachable(address, timeout=None):
        calls.append((address, timeout))
        raise OSError("network is unreachable")

    monkeypatch.setattr(socket, "create_connection", unreachable)
    start = time.perf_counter()
    with pytest.warns(UserWarning, match="using scikit-learn's 8x8 digits"):
        split = load_mnist(path=tmp_path / "missing.npz", timeout=0.5)
    assert time.perf_counter() - start < 3.0
    assert split.name == "digits"
    assert calls == [(("storage.googleapis.com", 443), 0.5)]


def test_load_mnist_does_not_hang_when_the_connection_check_blocks(tmp_path, monkeypatch):
    release = threading.Event()

    def blocking(address, timeout=None):
        release.wait(10.0)  # like a DNS lookup, which ignores the socket timeout
        raise OSError("timed out")

    monkeypatch.setattr(socket, "create_connection", blocking)
    start = time.perf_counter()
    try:
        with pytest.warns(UserWarning, match="MNIST is not available offline"):
            split = load_mnist(path=tmp_path / "missing.npz", timeout=0.2)
    finally:
        release.set()
    assert time.perf_counter() - start < 2.0
    assert split.name == "digits"


def fake_keras(load_data) -> types.ModuleType:
    """A stand-in for the keras module with keras.datasets.mnist.load_data."""
    module = types.ModuleType("keras")
    module.datasets = types.SimpleNamespace(mnist=types.SimpleNamespace(load_data=load_data))
    return module


class FakeConnection:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def test_load_mnist_downloads_with_keras_when_the_network_answers(tmp_path, monkeypatch):
    x_train, y_train, x_test, y_test = fake_mnist_arrays()
    keras = fake_keras(lambda: ((x_train, y_train), (x_test, y_test)))
    monkeypatch.setitem(sys.modules, "keras", keras)
    monkeypatch.setattr(socket, "create_connection", lambda *a, **k: FakeConnection())
    previous_timeout = socket.getdefaulttimeout()
    split = load_mnist("keras", path=tmp_path / "missing.npz")
    assert split.name == "mnist" and split.X_train.shape == (20, 28, 28, 1)
    assert socket.getdefaulttimeout() == previous_timeout


def test_load_mnist_falls_back_when_the_download_fails(tmp_path, monkeypatch):
    def broken_download():
        raise ConnectionResetError("connection dropped")

    monkeypatch.setitem(sys.modules, "keras", fake_keras(broken_download))
    monkeypatch.setattr(socket, "create_connection", lambda *a, **k: FakeConnection())
    with pytest.warns(UserWarning, match="MNIST is not available offline"):
        split = load_mnist(path=tmp_path / "missing.npz")
    assert split.name == "digits"


@pytest.mark.parametrize(
    ("kwargs", "error", "name"),
    [
        ({"layout": "nhwc"}, ValueError, "layout"),
        ({"allow_download": "yes"}, TypeError, "allow_download"),
        ({"timeout": 0.0}, ValueError, "timeout"),
        ({"timeout": "3"}, TypeError, "timeout"),
        ({"path": 3}, TypeError, "path"),
    ],
)
def test_load_mnist_rejects_bad_input_naming_the_argument(kwargs, error, name):
    with pytest.raises(error, match=rf"^{name}\b"):
        load_mnist(**kwargs)


def test_load_sentences_reads_the_corpus_that_ships_with_the_package():
    labels, texts = load_sentences()
    assert len(labels) == len(texts) == 480
    assert set(labels) == {"food", "sports", "tech", "weather"}
    assert all(text and "\t" not in text and text == text.strip() for text in texts)


def shipped_corpus() -> bytes:
    return resources.files("helpers").joinpath("datasets", "sentences.tsv").read_bytes()


def test_the_shipped_corpus_is_exactly_what_its_generator_writes(tmp_path):
    make_sentences.main([str(tmp_path / "sentences.tsv")])
    assert (tmp_path / "sentences.tsv").read_bytes() == shipped_corpus()


def test_the_corpus_generator_runs_as_a_module_and_as_a_script(tmp_path):
    script = Path(make_sentences.__file__)
    for how in (["-m", "helpers.datasets.make_sentences"], [str(script)]):
        out = tmp_path / f"{len(how)}.tsv"
        subprocess.run([sys.executable, *how, str(out)], check=True, cwd=tmp_path)
        assert out.read_bytes() == shipped_corpus()


def test_corpus_generator_depends_on_its_seed_only():
    assert make_sentences.corpus_tsv(7) == make_sentences.corpus_tsv(7)
    assert make_sentences.corpus_tsv(7) != make_sentences.corpus_tsv(8)


def test_shared_words_occur_in_every_topic_and_topic_words_mostly_in_one():
    labels, texts = load_sentences()
    topics_of = {}
    for label, text in zip(labels, texts, strict=True):
        for word in text.split():
            topics_of.setdefault(word, Counter())[label] += 1
    for word in ("the", "our", "their", "a", "again", "on", "monday"):
        assert set(topics_of[word]) == set(labels), word
    for word in ("goal", "bread", "software", "rain"):  # the noise moves a few only
        assert max(topics_of[word].values()) > 0.8 * sum(topics_of[word].values()), word
